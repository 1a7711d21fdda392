// DOM helper: h(tag, attrs, ...children). Text always goes in as text nodes (never parsed as HTML).
// attrs: `class`, `onEvent` listeners, properties (value, checked, disabled, selected, hidden),
// booleans (true → present, false/null/undefined → absent); everything else is an attribute.
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'indeterminate', 'inert']);

/**
 * A child: a node, text (a string or a number), nothing (null, undefined, false) or a list of them.
 * @typedef {Node | string | number | boolean | null | undefined | Child[]} Child
 */
/**
 * `class`: a name or a list of them (falsy ones left out); listeners by their event's name.
 * @typedef {{
 *   class?: string | null | (string | false | null | undefined)[],
 *   onClick?: (event: MouseEvent) => void,
 *   onChange?: (event: Event) => void,
 *   [name: string]: unknown,
 * }} Attrs
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const props = /** @type {{ [prop: string]: unknown }} */ (el);
  if (attrs) {
    for (const [key, val] of Object.entries(attrs)) {
      if (val === undefined || val === null || val === false) {
        if (PROPS.has(key) && val === false) props[key] = false;
        continue;
      }
      if (key === 'class') el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : String(val);
      else if (key.startsWith('on') && typeof val === 'function') el.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (val));
      else if (PROPS.has(key)) props[key] = val;
      else el.setAttribute(key, val === true ? '' : String(val));
    }
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/**
 * Replaces an element's children.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/**
 * A document-unique id for aria-labelledby / for= pairs.
 * @param {string} prefix
 */
export function uniqueId(prefix) {
  uid += 1;
  return `cnp-${prefix}-${uid}`;
}

/**
 * A step's title (h3, text `<step>.heading`) and the id its section's aria-labelledby names.
 * @param {import('./i18n/index.js').Translator['t']} t
 * @param {import('./mount.js').ImportStep} step
 */
export function stepHeading(t, step) {
  const headingId = uniqueId(`${step}-heading`);
  return { headingId, heading: h('h3', { id: headingId, class: 'cnp-step-title' }, t(`${step}.heading`)) };
}

/**
 * Saves text as a file through a Blob URL.
 * @param {string} name
 * @param {string} text
 * @param {string} [type]
 */
export function downloadText(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'cnp-visually-hidden' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const nf = new Intl.NumberFormat('en');
/** @param {unknown} n */
export const fmt = (n) => nf.format(Number(n) || 0);

/**
 * Focusable descendants, in tab order, for the focus trap.
 * @param {ParentNode} root
 * @returns {HTMLElement[]}
 */
export function focusables(root) {
  const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  return [.../** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll(sel))].filter((el) => !el.closest('[inert]') && !el.closest('[hidden]') && el.getClientRects().length > 0);
}
