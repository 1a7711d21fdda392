// <canopy-import-wizard>: the wizard as a custom element, beside mountImportWizard (mount.js). Every
// option is a property; the simple ones are attributes too (surface, environment-id, account-id,
// api-base-url, locale, theme, core-base-url). The element is the host: the same cnp-import:* events
// bubble from it. open()/close() as on the mount handle. See docs/embedding.md.
//
// This module only declares the class; register.js (the package's "./element" entry) defines the tag.
// Both are safe to import on a server (SSR): no DOM is touched, nothing throws.
import { mountImportWizard } from './mount.js';

export const TAG_NAME = 'canopy-import-wizard';

/** @typedef {import('./mount.js').ImportWizardOptions} ImportWizardOptions */

// attribute -> option
/** @type {Record<string, 'surface' | 'environmentId' | 'accountId' | 'apiBaseUrl' | 'coreBaseUrl' | 'locale' | 'theme'>} */
const ATTRIBUTES = {
  surface: 'surface',
  'environment-id': 'environmentId',
  'account-id': 'accountId',
  'api-base-url': 'apiBaseUrl',
  'core-base-url': 'coreBaseUrl',
  locale: 'locale',
  theme: 'theme',
};

// Without a DOM (on a server) a plain class stands in, so that the module loads; no element is made there.
/** @type {typeof HTMLElement} */
const Base = typeof HTMLElement === 'undefined' ? /** @type {typeof HTMLElement} */ (/** @type {unknown} */ (class {})) : HTMLElement;

export class ImportWizardElement extends Base {
  static get observedAttributes() { return Object.keys(ATTRIBUTES); }

  /** @type {Partial<ImportWizardOptions>} */
  #props = {};
  /** @type {import('./mount.js').ImportWizard | null} */
  #wizard = null;
  #open = false;
  #stale = false;

  constructor() {
    super();
    this.addEventListener('cnp-import:open', () => { this.#open = true; });
    this.addEventListener('cnp-import:close', (e) => {
      // A host's preventDefault() keeps the dialog open; look once the event has run its course.
      queueMicrotask(() => { if (!e.defaultPrevented) this.#open = false; });
    });
  }

  /** The options mountImportWizard takes, from the attributes and properties. */
  get options() {
    /** @type {Partial<ImportWizardOptions>} */
    const o = { ...this.#props };
    // The callbacks are looked up when called, so a new token function applies at once, even mid-import
    // (one removed since makes the call throw: that request fails).
    if (this.#props.authHeader) o.authHeader = (...a) => /** @type {ImportWizardOptions['authHeader']} */ (this.#props.authHeader)(...a);
    if (this.#props.onComplete) o.onComplete = (...a) => this.#props.onComplete?.(...a);
    if (this.#props.onCancel) o.onCancel = (...a) => this.#props.onCancel?.(...a);
    for (const [attr, key] of Object.entries(ATTRIBUTES)) {
      // An attribute's text as it is: mountImportWizard checks surface and theme.
      if (this.hasAttribute(attr)) /** @type {Record<string, unknown>} */ (o)[key] = this.getAttribute(attr);
    }
    return o;
  }

  /** Opens the dialog at step 1. Throws a TypeError naming a missing option (as mountImportWizard does). */
  open() {
    if (this.#wizard && this.#stale && !this.#open) {
      this.#wizard.destroy();
      this.#wizard = null;
    }
    if (!this.#wizard) {
      // mountImportWizard checks the required options and names a missing one.
      this.#wizard = mountImportWizard(this, /** @type {import('./mount.js').ImportWizardOptions} */ (this.options));
      this.#stale = false;
    }
    return this.#wizard.open();
  }

  /** Asks the dialog to close, with the same confirmations as its × button. */
  close() { return this.#wizard?.close(); }

  /** `async () => string`: the Authorization header value, asked for before every request. */
  get authHeader() { return this.#props.authHeader; }
  set authHeader(fn) { this.#set('authHeader', fn); }
  /** Called after an import run ends (the cnp-import:complete event carries the same summary). */
  get onComplete() { return this.#props.onComplete; }
  set onComplete(fn) { this.#set('onComplete', fn); }
  /** Called when the dialog closed before anything was imported (as cnp-import:cancel). */
  get onCancel() { return this.#props.onCancel; }
  set onCancel(fn) { this.#set('onCancel', fn); }
  /** Timeout of each bulk request in ms (default 30000). */
  get requestTimeoutMs() { return this.#props.requestTimeoutMs; }
  set requestTimeoutMs(ms) { this.#set('requestTimeoutMs', ms === undefined || ms === null ? undefined : Number(ms)); }

  /**
   * @template {'authHeader' | 'onComplete' | 'onCancel' | 'requestTimeoutMs'} K
   * @param {K} key
   * @param {Partial<ImportWizardOptions>[K]} value
   */
  #set(key, value) {
    // A callback that appears or goes away changes the options; a replaced one is used at its next call.
    if (typeof value !== 'function' || typeof this.#props[key] !== 'function') this.#stale = true;
    this.#props[key] = value;
  }

  /**
   * @param {string} name
   * @param {string | null} before
   * @param {string | null} after
   */
  attributeChangedCallback(name, before, after) {
    if (before !== after) this.#stale = true;
  }

  disconnectedCallback() {
    // Moved within the page: keep it. Removed: end it (a run in progress finishes in the background).
    queueMicrotask(() => {
      if (this.isConnected || !this.#wizard) return;
      this.#wizard.destroy();
      this.#wizard = null;
      this.#open = false;
    });
  }
}

for (const [attr, key] of Object.entries(ATTRIBUTES)) {
  Object.defineProperty(ImportWizardElement.prototype, key, {
    get() { return this.getAttribute(attr) ?? undefined; },
    set(v) { if (v === undefined || v === null) this.removeAttribute(attr); else this.setAttribute(attr, String(v)); },
    enumerable: true, configurable: true,
  });
}

/** Defines the element (once) under `name`; a no-op without a DOM. Returns the class. */
export function defineImportWizardElement(name = TAG_NAME) {
  if (typeof customElements === 'undefined') return ImportWizardElement;
  if (!customElements.get(name)) customElements.define(name, name === TAG_NAME ? ImportWizardElement : class extends ImportWizardElement {});
  return ImportWizardElement;
}
