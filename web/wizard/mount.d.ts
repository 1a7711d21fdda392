// Types of the embeddable wizard: mountImportWizard (web/wizard/mount.js) and <canopy-import-wizard>
// (web/wizard/element.js, defined by importing web/wizard/register.js). See docs/embedding.md.
// web/wizard/ and web/core/ are type-checked against these (tests/types/tsconfig.web.json).
export type ImportSurface = 'access-control' | 'tenant';
export type ImportTheme = 'auto' | 'light' | 'dark';
export type ImportLocale = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt' | 'ja';
export type ImportStep = 'mode' | 'upload' | 'mapping' | 'preview' | 'submit' | 'results';

export interface ImportCounts {
  created: number; invited: number; failed: number; unconfirmed: number; cancelled: number; deselected: number;
}

export interface ImportProgress {
  rowsTotal: number; rowsDone: number; batchesTotal: number; batchesDone: number;
  succeeded: number; failed: number; unconfirmed: number; cancelled: number; attempt: number;
}

export interface ImportSummary {
  /** The mode's id (the core's table: info().modes). */
  mode: import('../../dist/index.mjs').ModeId;
  counts: ImportCounts;
  progress: ImportProgress;
  /** The user chose "Stop and close": counts.cancelled rows were never sent. */
  stopped?: boolean;
  /** With `stopped`: failed-rows.csv (UTF-8 with BOM) of every row not imported, for the host to offer. */
  failedRowsCsv?: string;
}

export interface ImportWizardOptions {
  /** Prefix for the API paths, '' for the same origin. */
  apiBaseUrl?: string;
  /** URL of the served dist/ folder (canopy-core.wasm, icudt72l.dat). */
  coreBaseUrl?: string;
  accountId: string;
  /** Required for the access-control surface. */
  environmentId?: string;
  surface: ImportSurface;
  /** Value of the Authorization header, asked for before every request. */
  authHeader: () => Promise<string>;
  onComplete?: (summary: ImportSummary) => void;
  onCancel?: () => void;
  /** Timeout of each bulk request in ms (default 30000). */
  requestTimeoutMs?: number;
  /**
   * Language of the dialog: a BCP 47 tag ('de', 'pt-BR', 'ja'); its language is used when supported
   * (LOCALES), else English. Default: the document's `lang`, then the browser's languages.
   */
  locale?: string;
  /** 'auto' (default) follows prefers-color-scheme; 'light' or 'dark' fixes it. */
  theme?: ImportTheme;
}

/** The bubbling CustomEvents the host element receives (on the element for <canopy-import-wizard>). */
export interface ImportWizardEventMap {
  'cnp-import:open': CustomEvent<Record<string, never>>;
  'cnp-import:step': CustomEvent<{ step: ImportStep; index: number }>;
  'cnp-import:complete': CustomEvent<ImportSummary>;
  /** Cancelable: preventDefault() keeps the dialog open. */
  'cnp-import:close': CustomEvent<{ reason: 'user' | 'done' | 'stopped' }>;
  'cnp-import:cancel': CustomEvent<Record<string, never>>;
}

export interface ImportWizard {
  open(): Promise<void> | void;
  close(): Promise<void> | void;
  destroy(): void;
}

export function mountImportWizard(element: HTMLElement, options: ImportWizardOptions): ImportWizard;

/** The supported languages. */
export const LOCALES: readonly ImportLocale[];

/** The tag that register.js (the package's "./element" entry) defines: 'canopy-import-wizard'. */
export const TAG_NAME: 'canopy-import-wizard';

/**
 * <canopy-import-wizard surface="access-control" account-id="…" environment-id="…" api-base-url=""
 * core-base-url="" locale="de" theme="dark">: the same options as mountImportWizard, as properties
 * (authHeader, onComplete, onCancel, requestTimeoutMs only as properties), the same events, open()/close().
 */
export class ImportWizardElement extends HTMLElement {
  static readonly observedAttributes: string[];
  surface: ImportSurface | undefined;
  accountId: string | undefined;
  environmentId: string | undefined;
  apiBaseUrl: string | undefined;
  coreBaseUrl: string | undefined;
  locale: string | undefined;
  theme: ImportTheme | undefined;
  authHeader: (() => Promise<string>) | undefined;
  onComplete: ((summary: ImportSummary) => void) | undefined;
  onCancel: (() => void) | undefined;
  requestTimeoutMs: number | undefined;
  /** The options the element passes to mountImportWizard. */
  readonly options: Partial<ImportWizardOptions>;
  /** Opens the dialog at step 1; throws a TypeError naming a missing option. */
  open(): Promise<void> | void;
  /** Asks the dialog to close, with the same confirmations as its × button. */
  close(): Promise<void> | void;
  attributeChangedCallback(name: string, before: string | null, after: string | null): void;
  disconnectedCallback(): void;
  addEventListener<K extends keyof ImportWizardEventMap>(type: K, listener: (this: ImportWizardElement, ev: ImportWizardEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ImportWizardEventMap>(type: K, listener: (this: ImportWizardElement, ev: ImportWizardEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Defines the element under `name` (default TAG_NAME) once; a no-op without a DOM. */
export function defineImportWizardElement(name?: string): typeof ImportWizardElement;

declare global {
  interface HTMLElementTagNameMap {
    'canopy-import-wizard': ImportWizardElement;
  }
}
