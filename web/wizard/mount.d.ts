// Types of the embeddable wizard (web/wizard/mount.js). See docs/embedding.md.
export type ImportSurface = 'access-control' | 'tenant';

export interface ImportCounts {
  created: number; invited: number; failed: number; unconfirmed: number; cancelled: number; deselected: number;
}

export interface ImportProgress {
  rowsTotal: number; rowsDone: number; batchesTotal: number; batchesDone: number;
  succeeded: number; failed: number; unconfirmed: number; cancelled: number; attempt: number;
}

export interface ImportSummary {
  mode: 'invite' | 'create' | 'account';
  counts: ImportCounts;
  progress: ImportProgress;
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
}

export interface ImportWizard {
  open(): Promise<void> | void;
  close(): Promise<void> | void;
  destroy(): void;
}

export function mountImportWizard(element: HTMLElement, options: ImportWizardOptions): ImportWizard;
