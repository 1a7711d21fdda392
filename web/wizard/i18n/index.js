// Localisation: one catalogue per language, keyed by stable codes.
//
// - UI strings: `strings` in en.js (the source) and in each locale file, `{name}` placeholders, and
//   `{name, plural, one {# row} other {# rows}}` where the wording depends on a count (Intl.PluralRules).
// - Core texts (issue and error messages, mode and field names): the English source is the C++ catalogue
//   (src/core/messages.cpp) and the one table (src/mapping/schema.cpp), which the core hands over in
//   info(); each locale file's `core` translates the same codes with the same `{0}`, `{1}` placeholders.
//   The core returns an issue as code + arguments, and only what is shown gets formatted, here.
// tests/node/i18n.test.mjs fails on a missing key or a placeholder mismatch in any locale.
import { strings as enStrings } from './en.js';

/**
 * @typedef {import('../../../dist/index.mjs').CoreInfo} CoreInfo
 * @typedef {import('../../../dist/index.mjs').RowIssue} RowIssue
 * @typedef {import('../../../dist/index.mjs').ResultRow} ResultRow
 */
/**
 * One language: its UI strings, its core texts (none for English: info() has them) and whether a field's
 * label is written in lower case inside a sentence ('lower') or as it is ('keep').
 * @typedef {{ locale: string, strings: Record<string, string>, core: Record<string, string>, inlineLabels: string }} Catalogue
 */
/** @typedef {ReturnType<typeof createTranslator>} Translator */
/** A UI string's key: en.js has them all (a misspelt one fails the type check). @typedef {keyof typeof enStrings} UiKey */
/**
 * What a catch may get: an Error (from the core: with cause.code and cause.args), or anything at all.
 * @typedef {{ message?: string, cause?: { code?: string, args?: string[] } } | null | undefined} Thrown
 */
/**
 * A piece of a template: text, or a placeholder (with its plural branches by selector).
 * @typedef {{ text: string, name?: undefined, plural?: undefined } | { text?: undefined, name: string, plural?: Record<string, string> }} Part
 */

export const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja'];

// Explicit imports (not a template string) so that every bundler splits them and none is loaded
// before it is asked for.
/** @type {Record<string, () => Promise<{ strings: Record<string, string>, core: Record<string, string>, inlineLabels?: string }>>} */
const LOADERS = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
  it: () => import('./it.js'),
  nl: () => import('./nl.js'),
  pt: () => import('./pt.js'),
  ja: () => import('./ja.js'),
};

/**
 * The supported locale for a BCP 47 tag ("de-CH" -> "de"), else "en". Without a tag: the document's
 * `lang`, then the browser's languages.
 * @param {string} [requested]
 */
export function resolveLocale(requested) {
  const tags = [];
  if (requested) tags.push(requested);
  else {
    if (typeof document !== 'undefined' && document.documentElement?.lang) tags.push(document.documentElement.lang);
    if (typeof navigator !== 'undefined') tags.push(...(navigator.languages || [navigator.language]));
  }
  for (const tag of tags) {
    const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
    if (LOCALES.includes(base)) return base;
  }
  return 'en';
}

/**
 * Loads a locale's catalogue: `{ locale, strings, core, inlineLabels }`.
 * @param {string} [locale]
 * @returns {Promise<Catalogue>}
 */
export async function loadCatalogue(locale) {
  const id = resolveLocale(locale);
  if (id === 'en') return { locale: 'en', strings: enStrings, core: {}, inlineLabels: 'lower' };
  const mod = await LOADERS[id]();
  return { locale: id, strings: mod.strings, core: mod.core, inlineLabels: mod.inlineLabels || 'lower' };
}

/**
 * The English core texts from info(): message codes, and `mode.<id>.*` / `field.<name>.*` keys.
 * @param {CoreInfo | null} info
 */
export function coreSource(info) {
  /** @type {Record<string, string>} */
  const out = { ...(info?.messages || {}) };
  for (const m of info?.modes || []) {
    out[`mode.${m.id}.title`] = m.title;
    out[`mode.${m.id}.summary`] = m.summary;
  }
  for (const f of info?.fields || []) {
    out[`field.${f.name}.label`] = f.label;
    out[`field.${f.name}.doc`] = f.doc;
    out[`field.${f.name}.format`] = f.format;
  }
  return out;
}

/**
 * Placeholder names of a template: `{n}` and `{n, plural, …}` give "n"; `#` and text inside plural
 * branches are not placeholders. Braces that hold no name (the `{ | }` of a character list) are text.
 * @param {string} template
 */
export function placeholders(template) {
  /** @type {Set<string>} */
  const names = new Set();
  walk(String(template), (part) => { if (part.name !== undefined) names.add(part.name); });
  return [...names].sort();
}

// Splits a template into text and placeholders, calling `visit` with {text} | {name} | {name, plural}.
/**
 * @param {string} s
 * @param {(part: Part) => void} visit
 */
function walk(s, visit) {
  let i = 0;
  let text = '';
  while (i < s.length) {
    const m = /^\{\s*(\w+)\s*(?:,\s*plural\s*,)?/.exec(s.slice(i));
    if (!m || (!m[0].includes('plural') && s[i + m[0].length] !== '}')) {
      text += s[i++];
      continue;
    }
    if (text) visit({ text });
    text = '';
    if (!m[0].includes('plural')) {
      visit({ name: m[1] });
      i += m[0].length + 1;
      continue;
    }
    // {name, plural, one {…} other {…}}: read the branches up to the matching brace.
    let j = i + m[0].length;
    /** @type {Record<string, string>} */
    const branches = {};
    for (;;) {
      while (s[j] === ' ') j++;
      if (s[j] === '}' || j >= s.length) break;
      const sel = /^(=\d+|\w+)\s*\{/.exec(s.slice(j));
      if (!sel) break;
      let depth = 1;
      let k = j + sel[0].length;
      const start = k;
      while (k < s.length && depth) {
        if (s[k] === '{') depth++;
        else if (s[k] === '}') depth--;
        k++;
      }
      branches[sel[1]] = s.slice(start, k - 1);
      j = k;
    }
    visit({ name: m[1], plural: branches });
    i = j + 1;
  }
  if (text) visit({ text });
}

/**
 * A translator for one catalogue (from loadCatalogue) and the core's info() (for the English core
 * texts and the kinds of the message arguments).
 * @param {Catalogue} catalogue
 * @param {CoreInfo | null} info
 */
export function createTranslator(catalogue, info) {
  const locale = catalogue.locale;
  const nf = new Intl.NumberFormat(locale);
  const pr = new Intl.PluralRules(locale);
  const df = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const ui = catalogue.strings;
  /** @type {Record<string, string>} */
  const en = enStrings;
  const coreEn = coreSource(info);
  const kinds = info?.messageArgs || {};
  const own = Object.prototype.hasOwnProperty;

  /** @param {number | string} n */
  const number = (n) => nf.format(Number(n) || 0);
  /** @param {Date | number | string} d */
  const date = (d) => df.format(d instanceof Date ? d : new Date(d));

  /**
   * @param {string} template
   * @param {(name: string) => unknown} value  a placeholder's value; undefined leaves it as it is
   * @returns {string}
   */
  function fill(template, value) {
    let out = '';
    walk(template, (part) => {
      if (part.text !== undefined) { out += part.text; return; }
      const v = value(part.name);
      if (v === undefined) { out += `{${part.name}}`; return; }
      if (!part.plural) { out += typeof v === 'number' ? number(v) : String(v); return; }
      const n = Number(v);
      const branch = part.plural[`=${n}`] ?? part.plural[pr.select(n)] ?? part.plural.other ?? '';
      out += fill(branch.replace(/#/g, number(n)), value);
    });
    return out;
  }

  /**
   * A UI string with `{name}` parameters (numbers are formatted for the locale).
   * @param {UiKey} key
   * @param {Record<string, unknown>} [params]
   */
  function t(key, params) {
    const s = own.call(ui, key) ? ui[key] : own.call(en, key) ? en[key] : key;
    if (!params) return s;
    return fill(s, (k) => params[k]);
  }

  /**
   * A core text by key (`mode.invite.title`, `field.email.label`, a message code), untranslated: English.
   * @param {string} key
   * @returns {string | undefined}
   */
  function coreText(key) {
    if (own.call(catalogue.core, key)) return catalogue.core[key];
    return own.call(coreEn, key) ? coreEn[key] : undefined;
  }

  /**
   * @param {string} name
   * @param {boolean} [inSentence]
   */
  function fieldLabel(name, inSentence) {
    const label = coreText(`field.${name}.label`) ?? name;
    if (!inSentence || (catalogue.inlineLabels ?? 'lower') !== 'lower') return label;
    // "First name" -> "first name", but an acronym stays ("OAuth client ID").
    return /^\p{Lu}\P{Lu}/u.test(label) ? label[0].toLocaleLowerCase(locale) + label.slice(1) : label;
  }

  // Fills a core template: args[first + k] for {k}, as its kind says (src/core/messages.h).
  /**
   * @param {string} code
   * @param {string[]} args
   * @param {number} first
   * @returns {string | null}
   */
  function fillCore(code, args, first) {
    const template = coreText(code);
    if (template === undefined) return null;
    const kind = kinds[code] || '';
    return fill(template, (name) => {
      const k = Number(name);
      const a = args[first + k];
      if (a === undefined) return undefined;
      switch (kind[k]) {
        case 'n':
        case 'g': return /^\d+$/.test(a) ? Number(a) : a;
        case 'f': return fieldLabel(a, false);
        case 'l': return fieldLabel(a, true);
        case 'o': return coreText(`mode.${a}.title`) ?? a;
        case 'd': {
          // An ISO 8601 time from the server, as a date in this locale ("1 Dec 2026"); anything else as given.
          const when = new Date(a);
          return Number.isNaN(when.getTime()) ? a : dayFormat.format(when);
        }
        case 'm': return fillCore(a, args, first + k + 1) ?? a;
        default: return a;
      }
    });
  }

  /**
   * The text of a core code with its arguments (an issue, a fatal error): in this locale.
   * @param {string} code
   * @param {string[]} [args]
   * @param {string} [fallback]
   */
  function message(code, args, fallback) {
    return fillCore(code, args || [], 0) ?? fallback ?? code;
  }

  /**
   * An issue `{code, args, message}` from the core, as text.
   * @param {Pick<RowIssue, 'code' | 'args' | 'message'>} i
   */
  const issue = (i) => message(i.code, i.args, i.message);

  /**
   * An Error from the core (cause.code, cause.args) as text; other errors as their message.
   * @param {unknown} thrown  anything a promise may reject with
   */
  function error(thrown) {
    const err = /** @type {Thrown} */ (thrown);
    const code = err?.cause?.code;
    if (code && Array.isArray(err?.cause?.args) && coreText(code) !== undefined) return message(code, err.cause.args, err.message);
    return err?.message || String(err);
  }

  /**
   * A result row's message: the core's code in this locale when the row carries its arguments, or when
   * the code's text needs none; otherwise the core's English (or the server's own message).
   * @param {Pick<ResultRow, 'code' | 'message' | 'issues'> & { args?: string[] }} r  a result row (whose code has no arguments today)
   */
  function outcome(r) {
    // invalid_row lists the row's errors: the core hands them over as data.
    if (r.code === 'invalid_row' && Array.isArray(r.issues)) return message(r.code, [r.issues.map(issue).join('; ')], r.message);
    const template = r.code ? coreText(r.code) : undefined;
    if (template !== undefined && (Array.isArray(r.args) || placeholders(template).length === 0)) return message(r.code, r.args, r.message);
    return r.message;
  }

  return { locale, t, number, date, message, issue, error, outcome, fieldLabel, coreText };
}
