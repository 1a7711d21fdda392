// Public entry point: mountImportWizard(element, options) -> { open(), close(), destroy() }.
// See docs/embedding.md. The dialog's styles are scoped under .cnp-wizard and loaded once via <link>.
import { createWizard } from './wizard.js';

const STYLE_URL = new URL('./wizard.css', import.meta.url).href;

function ensureStyles() {
  if (document.querySelector('link[data-cnp-wizard-css]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = STYLE_URL;
  link.setAttribute('data-cnp-wizard-css', '');
  document.head.appendChild(link);
}

const SURFACES = new Set(['access-control', 'tenant']);

/**
 * @param {HTMLElement} element  where the dialog element is attached (it renders in the top layer)
 * @param {object} options
 * @param {string} options.apiBaseUrl      prefix for API paths ('' for the same origin)
 * @param {string} options.coreBaseUrl     where the core's dist/ files are served, e.g. '/dist/'
 * @param {string} options.accountId
 * @param {string} [options.environmentId] required for the access-control surface
 * @param {'access-control'|'tenant'} options.surface  which modes are offered
 * @param {() => Promise<string>} options.authHeader   returns the Authorization header value
 * @param {(summary: object) => void} [options.onComplete]  after an import run finished
 * @param {() => void} [options.onCancel]  closed before anything was imported
 * @param {number} [options.requestTimeoutMs=30000]  per-request timeout of the bulk calls
 */
export function mountImportWizard(element, options) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountImportWizard: element must be an HTMLElement');
  if (!options || !SURFACES.has(options.surface)) throw new TypeError('mountImportWizard: options.surface must be "access-control" or "tenant"');
  if (typeof options.authHeader !== 'function') throw new TypeError('mountImportWizard: options.authHeader must be an async function');
  if (options.surface === 'access-control' && !options.environmentId) throw new TypeError('mountImportWizard: options.environmentId is required for the access-control surface');
  ensureStyles();
  const wizard = createWizard(element, {
    ...options,
    apiBaseUrl: options.apiBaseUrl ?? '',
    coreBaseUrl: options.coreBaseUrl ?? new URL('../../dist/', import.meta.url).href,
  });
  let destroyed = false;
  return {
    open() { if (!destroyed) return wizard.open(); },
    close() { if (!destroyed) return wizard.close(); },
    destroy() { if (!destroyed) { destroyed = true; wizard.destroy(); } },
  };
}
