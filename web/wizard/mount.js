// Public entry point: mountImportWizard(element, options) -> { open(), close(), destroy() }, and the
// <canopy-import-wizard> element (element.js) built on it. See docs/embedding.md. The dialog's styles are
// scoped under .cnp-wizard and loaded once via <link>. Importing this module touches no DOM (SSR-safe).
import { createWizard } from './wizard.js';

export { ImportWizardElement, defineImportWizardElement, TAG_NAME } from './element.js';
export { LOCALES } from './i18n/index.js';

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
const THEMES = new Set(['auto', 'light', 'dark']);

/**
 * @param {HTMLElement} element  where the dialog element is attached (it renders in the top layer)
 * @param {import('./mount.js').ImportWizardOptions} options  see mount.d.ts (checked here: a page without types may pass anything)
 * @returns {import('./mount.js').ImportWizard}
 */
export function mountImportWizard(element, options) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountImportWizard: element must be an HTMLElement');
  if (!options || !SURFACES.has(options.surface)) throw new TypeError('mountImportWizard: options.surface must be "access-control" or "tenant"');
  if (typeof options.authHeader !== 'function') throw new TypeError('mountImportWizard: options.authHeader must be an async function');
  if (options.surface === 'access-control' && !options.environmentId) throw new TypeError('mountImportWizard: options.environmentId is required for the access-control surface');
  if (options.theme !== undefined && !THEMES.has(options.theme)) throw new TypeError('mountImportWizard: options.theme must be "auto", "light" or "dark"');
  ensureStyles();
  const wizard = createWizard(element, {
    ...options,
    apiBaseUrl: options.apiBaseUrl ?? '',
    // Unset: the core finds its files next to itself (dist/), also after a bundler has renamed them.
    coreBaseUrl: options.coreBaseUrl || undefined,
    theme: options.theme ?? 'auto',
  });
  let destroyed = false;
  return {
    open() { if (!destroyed) return wizard.open(); },
    close() { if (!destroyed) return wizard.close(); },
    destroy() { if (!destroyed) { destroyed = true; wizard.destroy(); } },
  };
}
