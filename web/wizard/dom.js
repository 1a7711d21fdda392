// DOM helper: h(tag, attrs, ...children). Text always goes in as text nodes (never parsed as HTML).
// attrs: `class`, `onEvent` listeners, properties (value, checked, disabled, selected, hidden),
// booleans (true → present, false/null/undefined → absent); everything else is an attribute.
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'indeterminate', 'inert']);

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, val] of Object.entries(attrs)) {
      if (val === undefined || val === null || val === false) {
        if (PROPS.has(key) && val === false) el[key] = false;
        continue;
      }
      if (key === 'class') el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : val;
      else if (key.startsWith('on') && typeof val === 'function') el.addEventListener(key.slice(2).toLowerCase(), val);
      else if (PROPS.has(key)) el[key] = val;
      else el.setAttribute(key, val === true ? '' : String(val));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/** A document-unique id for aria-labelledby / for= pairs. */
export function uniqueId(prefix) {
  uid += 1;
  return `cnp-${prefix}-${uid}`;
}

/** A step's title (h3, text `<step>.heading`) and the id its section's aria-labelledby names. */
export function stepHeading(t, step) {
  const headingId = uniqueId(`${step}-heading`);
  return { headingId, heading: h('h3', { id: headingId, class: 'cnp-step-title' }, t(`${step}.heading`)) };
}

/** Saves text as a file through a Blob URL. */
export function downloadText(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'cnp-visually-hidden' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const nf = new Intl.NumberFormat('en');
export const fmt = (n) => nf.format(Number(n) || 0);

/** Focusable descendants, in tab order, for the focus trap. */
export function focusables(root) {
  const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  return [...root.querySelectorAll(sel)].filter((el) => !el.closest('[inert]') && !el.closest('[hidden]') && el.getClientRects().length > 0);
}
