// Hand-written types for canopy-csv-import's core API (dist/index.mjs). Checked by `tsc --noEmit`
// against tests/types/usage.ts in `npm test`.

/**
 * A fatal error of the core: `cause.code` (and `code`) is the stable code, `message` says what to do (in
 * English); `cause.args` are the message's arguments, to show it in another language (see CoreInfo).
 */
export interface CoreError extends Error {
  code: string;
  cause: { code: string; args: string[] };
}

export type ModeId = 'invite' | 'create' | 'account';
export type FieldName =
  | 'email' | 'first_name' | 'last_name' | 'password' | 'role_id' | 'node_id'
  | 'client_id' | 'application_id' | 'external_id' | 'send_email';
export type DelimiterName = 'comma' | 'semicolon' | 'tab';

export interface ModeInfo {
  id: ModeId;
  title: string;
  summary: string;
  scope: 'environment' | 'account';
  surface: 'access-control' | 'tenant';
  endpoint: string;
  /** What a row that went through becomes: an invite or an identity. */
  success: 'invited' | 'created';
  required: FieldName[];
  optional: FieldName[];
}

export interface FieldInfo {
  name: FieldName;
  label: string;
  doc: string;
  format: string;
  secret: boolean;
  /** The lookup list its values must be among ('' for none). */
  lookup: '' | 'roles' | 'nodes' | 'clients' | 'applications';
  /** Limits of a value, 0 for none: characters (code points) at least / at most, UTF-8 bytes at most. */
  minChars: number;
  maxChars: number;
  maxBytes: number;
}

/** An encoding the importer reads (the WHATWG Encoding Standard's), as `load({encoding})` takes it. */
export interface EncodingInfo {
  /** The standard's name, shown to users: 'windows-1252', 'Shift_JIS'. */
  name: string;
  /** Every label it answers to (the standard's, then a few users type): 'latin1', 'cp1252', 'ansi', … */
  labels: string[];
  singleByte: boolean;
  /** The table file its decoder loads when a file needs it ('enc-jis.bin'); '' = built in. */
  tableFile: string;
}

export interface CoreInfo {
  version: string;
  modes: ModeInfo[];
  fields: FieldInfo[];
  /** In the encoding menu's order. */
  encodings: EncodingInfo[];
  delimiters: DelimiterName[];
  /** The message catalogue, English: code -> template with {0}, {1}, … */
  messages: Record<string, string>;
  /**
   * What each argument of a message is, one letter per argument (codes without an entry: all 'v'):
   * 'v' a value as it is, 'n'/'g' a number, 'f' a field name shown as its label, 'l' the same inside a
   * sentence, 'd' an ISO 8601 date and time, 'm' a message code formatted with the arguments after it.
   */
  messageArgs: Record<string, string>;
  /** The wizard's limits (check a file's size before reading it) and the batch size. */
  limits: { maxBytes: number; maxRows: number; batchRows: number };
}

/** One reading of a legacy file: its encoding and the file's first non-ASCII cells as it decodes them. */
export interface EncodingChoice {
  encoding: string;
  /** 0..100 */
  score: number;
  /** ISO 639-1 of the language its letters fit, or ''. */
  language: string;
  examples: string[];
}

export interface UploadSummary {
  rows: number;
  columns: number;
  /** The file's size (a workbook's, for one of its sheets). */
  bytes: number;
  /** 'csv', or the workbook's format for a sheet loaded with loadSheet(). */
  format: 'csv' | WorkbookFormat;
  /** The workbook sheet read (loadSheet); absent for CSV. */
  sheet?: string;
  delimiter: DelimiterName;
  delimiterConfidence: number;
  /** sep_line: Excel's "sep=X" first line named it. */
  delimiterMethod: 'detected' | 'default' | 'override' | 'sep_line';
  encoding: string;
  encodingConfidence: number;
  encodingMethod: 'bom' | 'utf8' | 'detected' | 'fallback' | 'override';
  /** Detection could not tell: ask the user which of `encodingChoices` looks right, then load again with it. */
  encodingUnsure: boolean;
  /** The readings of a detected legacy file worth showing, the one used now first (one when sure). */
  encodingChoices: EncodingChoice[];
  commentLines: number;
  blankLines: number;
  parseIssues: number;
  /** The first (at most 20) problems the reader found, with their lines. */
  issues: RowIssue[];
  headers: string[];
  /** The file is a failed-rows.csv of an earlier import (its header has an import_error column). */
  fromFailedRows: boolean;
  /** The columns that failed-rows.csv says it left out (those holding passwords). */
  leftOut: string[];
  /** What to say about the file as a whole (failed_rows_upload, failed_rows_left_out): code + args. */
  notes: RowIssue[];
  /** The line of the header row: lines above it (Excel's sep=, Entra's version:v1.0, titles) are skipped. */
  headerLine: number;
  /** The records above the header, skipped: undo with `headerLine: 1`. */
  preamble: SkippedLine[];
  /** The report footer under the data (totals, notices), skipped: undo with `keepFooters: true`. */
  footer: SkippedLine[];
}

/** A line the upload skipped (never silently): its line, its text (masked when it looks like a password). */
export interface SkippedLine {
  line: number;
  text: string;
  /** Excel's "sep=X" line (it set the delimiter). */
  sep: boolean;
}

/**
 * How the upload reads the layout. headerLine: 0 (default) finds the header row and skips the lines
 * above it; N makes line N the header (1 = nothing skipped). keepFooters: keep a report footer as rows.
 */
export interface LayoutOptions {
  headerLine?: number;
  keepFooters?: boolean;
}

/** What setColumn / setSplitColumn did. */
export interface ColumnChange {
  mapping: MappingState;
  message: string;
  code: string;
  args: string[];
}

/** split: the column's full names give first and last name (setSplitColumn). */
export type ColumnStatus = 'matched' | 'manual' | 'ignored' | 'duplicate' | 'split';

export interface ColumnMapping {
  index: number;
  header: string;
  /** '' when the column is ignored. */
  field: FieldName | '';
  alias: string;
  status: ColumnStatus;
  /** Why, in English: the rule a qualified header matched by, a duplicate, a field the mode lacks. */
  note: string;
  /** The note's catalogue code ('' when it has none) and arguments, to write it in another language. */
  noteCode: string;
  noteArgs: string[];
  /** Up to three non-empty cells; a secret column's are masked. */
  samples: string[];
  /** Holds passwords (mapped to one, or headed like one in any supported language): its cells are
   * masked everywhere and it is left out of failed-rows.csv and results.csv. */
  secret: boolean;
  /** A required field this column's contents suggest ("looks like Email": at least 90 % of its first 200
   * non-empty values are valid), with why; null when none. Never applied: map it with setColumn to confirm. */
  suggestion: ColumnSuggestion | null;
}

export interface ColumnSuggestion {
  field: FieldName;
  /** 'column_looks_like_email', with its arguments (field, valid values, values checked). */
  code: string;
  args: string[];
  /** In English, as the CLI writes it. */
  message: string;
}

export interface NameSplitPreview {
  line: number;
  name: string;
  firstName: string;
  lastName: string;
  /** '' when split; otherwise why not, a catalogue code (name_split_one_word, name_split_cjk, …) and its English text. */
  unsure: string;
  reason: string;
}

export interface MappingState {
  mode: ModeId | '';
  columns: ColumnMapping[];
  /** Required fields no column is mapped to yet. */
  missing: FieldName[];
  /** The column split into first and last name (setSplitColumn), -1 when none. */
  splitColumn: number;
  /** The mode's fields some column gives (mapped, or from the split column), in the mode's order. */
  given: FieldName[];
  /** The mode's fields, required first. */
  fields: FieldName[];
}

export interface Lookups {
  state?: 'loaded' | 'failed' | 'not_given';
  roles?: string[];
  nodes?: string[];
  /** OAuth client_id values. */
  clients?: string[];
  applications?: string[];
  /** [id, name] pairs of the ids above, for display ("Admin · 5b0f7a53…"). */
  names?: [string, string][];
}

export interface Stats {
  validated: boolean;
  total: number;
  valid: number;
  warnings: number;
  errors: number;
  selected: number;
  selectable: number;
  blockedByLookups: number;
}

export interface RowIssue {
  code: string;
  severity: 'error' | 'warning';
  field: string;
  column: number;
  line: number;
  /** The message's arguments (kinds in CoreInfo.messageArgs): code + args is the issue. */
  args: string[];
  /** The English text, made for the issues asked for. */
  message: string;
}

export interface PreviewRow {
  index: number;
  line: number;
  status: 'valid' | 'warning' | 'error';
  selected: boolean;
  selectable: boolean;
  /** Mapped fields in mode order; secrets are masked. */
  /** `name`: what the lookups call a role, node, OAuth client or application id. */
  cells: { field: FieldName; value: string; name?: string }[];
  issues: RowIssue[];
}

export type SubmitAction =
  | { kind: 'send'; batch: number; method: 'POST'; path: string; body: string; idempotencyKey: string; rows: number }
  /** reason: why, in English; reasonCode + reasonArgs: the same as a catalogue code (wait_busy, ...). */
  | { kind: 'wait'; batch: number; delayMs: number; reason: string; reasonCode: string; reasonArgs: string[] }
  | { kind: 'done' };

export interface Progress {
  rowsTotal: number;
  rowsDone: number;
  batchesTotal: number;
  batchesDone: number;
  /** Rows this run created or invited. */
  succeeded: number;
  /** Rows an earlier attempt had created (the server replayed its answer): not created by this run. */
  replayed: number;
  failed: number;
  unconfirmed: number;
  cancelled: number;
  attempt: number;
  isCancelled: boolean;
}

export type Outcome = 'pending' | 'created' | 'invited' | 'replayed' | 'failed' | 'unconfirmed' | 'cancelled' | 'deselected';

export interface ResultRow {
  index: number;
  line: number;
  email: string;
  outcome: Outcome;
  id: string;
  code: string;
  message: string;
  /** The message's arguments when the code is the importer's own (unconfirmed, http_error, bad_response,
   * ...), so it can be worded in any language; absent for a server's code, whose message is the server's. */
  args?: string[];
  /** For code 'invalid_row': the row's errors (code + args), which the message lists in English. */
  issues?: RowIssue[];
  acceptLink: string;
  /** The row's role, node, OAuth client and application ids, with their names from the lookups. */
  refs: { field: FieldName; value: string; name?: string }[];
  /** This row has the same outcome, code and message as the rows before it, from this line on. */
  sameAsLine?: number;
}

export interface Results {
  /** Rows matching the filter; `all`: every row. */
  total: number;
  all: number;
  counts: Record<Exclude<Outcome, never>, number>;
  /** Failed and unconfirmed rows by code, most frequent first (a row blocked at preview: its first error's code). */
  failures: { code: string; count: number; first: ResultRow }[];
  /** Position of the first failed or unconfirmed row among all rows; -1 when none. */
  firstFailure: number;
  rows: ResultRow[];
}

export interface HeapStats {
  heapBytes: number;
  allocated: number;
  peakFootprint: number;
}

export interface LoadCoreOptions {
  /** Where canopy-core.wasm and icudt72l.dat are served; defaults to this module's folder. */
  baseUrl?: string | URL;
  wasmBinary?: Uint8Array | ArrayBuffer;
  icuData?: Uint8Array;
}

/** Loads the WebAssembly core once per realm (page, worker or Node process). */
export function loadCore(options?: LoadCoreOptions): Promise<Core>;

export type WorkbookFormat = 'xlsx' | 'ods';

/** What the first bytes say: 'zip' (.xlsx, .ods or another ZIP), 'ole2' (legacy .xls, or encrypted), '' (text). */
export function workbookSignature(bytes: Uint8Array | ArrayBuffer): 'zip' | 'ole2' | '';

export interface SheetInfo {
  name: string;
  /** Hidden (or very hidden) in the workbook: listed, never read without being chosen. */
  hidden: boolean;
  /** Rows with cells in them (the header among them). */
  rows: number;
  columns: number;
  /** The first rows with cells, cut short, for a sheet picker; under a cell headed like a password, masked
   * (Core.openWorkbook; the reader alone knows no headers). */
  firstRows: string[][];
}

/** An open workbook (Core.openWorkbook). One is open at a time: opening another closes this one. */
export class Workbook {
  private constructor();
  readonly format: WorkbookFormat;
  readonly sheets: SheetInfo[];
  /** The sheet to read without asking (the one visible sheet with cells), -1 when the user chooses. */
  readonly choice: number;
  /** The workbook file's size. */
  readonly bytes: number;
  /** The index of a sheet given by index or name; throws CoreError `workbook_no_sheet`. */
  indexOf(sheet: number | string): number;
  /** The sheet as RFC 4180 UTF-8 CSV (a view into the reader's memory: copy it before the next call). */
  sheetCsv(sheet: number | string): Uint8Array;
  close(): void;
}

/** Loads the workbook reader (canopy-workbook.wasm) once; openWorkbook does when it is first needed. */
export function loadWorkbookReader(options?: { baseUrl?: string | URL; wasmBinary?: Uint8Array | ArrayBuffer }): Promise<unknown>;

export class Core {
  private constructor();
  info(): CoreInfo;
  /** The mode's sample CSV: every column, # comment lines documenting each, example rows. */
  /** `ids`: the scope's first role, node, OAuth client and application ('' = none), so the sample validates there. */
  sampleCsv(mode: ModeId, ids?: { role?: string; node?: string; client?: string; application?: string }): string;
  heapBytes(): number;
  heapStats(): HeapStats;
  /**
   * Opens an .xlsx or .ods workbook (fetching the workbook reader the first time) and measures its sheets.
   * Throws CoreError: workbook_legacy_xls, workbook_xlsb, workbook_encrypted, workbook_not_spreadsheet,
   * workbook_damaged, workbook_too_big, workbook_empty, file_too_large (maxBytes, default 10 MiB; 0: none).
   */
  openWorkbook(bytes: Uint8Array | ArrayBuffer | Blob, options?: { maxBytes?: number; previewRows?: number }): Promise<Workbook>;
  /** Limits default to the wizard's: 10 MiB and 10,000 rows; 0 means none. */
  createSession(limits?: { maxBytes?: number; maxRows?: number }): ImportSession;
  /** A throwaway full-size import so the first real one runs optimised code in touched memory (the wizard's worker calls it). */
  warmUp(): { ms: number };
  /**
   * Fetches and installs decoder tables (default: all, e.g. ['enc-jis.bin']) ahead of use: load() and
   * loadFile() fetch the table a file needs by themselves; decode() in a page needs this first.
   */
  loadTables(files?: string[]): Promise<void>;
  /**
   * Bytes in any supported encoding (name or label) to text, as `new TextDecoder(label, {ignoreBOM: true, fatal})`
   * reads them; fatal: throws CoreError `undecodable` naming the offset. In a page, call loadTables() first for
   * a multi-byte legacy encoding.
   */
  decode(bytes: Uint8Array | ArrayBuffer, encoding: string, options?: { fatal?: boolean }): string;
}

/** One import. The rows stay in wasm memory; ask for the slice you show. Call dispose() when done. */
export class ImportSession {
  private constructor();
  /**
   * Decodes (BOM, UTF-8, UTF-16, else the legacy readings judged by plausibility and ICU's and uchardet's
   * votes, which a lazily loaded module computes the first time a legacy file needs them), detects the
   * delimiter and parses. Rejects with a CoreError.
   */
  load(bytes: Uint8Array | ArrayBuffer, options?: { encoding?: string; delimiter?: DelimiterName | '' } & LayoutOptions): Promise<UploadSummary>;
  /** load() for a File or Blob, streamed straight into wasm memory; rejects with code `file_unreadable` when it cannot be read. */
  loadFile(file: Blob, options?: { encoding?: string; delimiter?: DelimiterName | '' } & LayoutOptions): Promise<UploadSummary>;
  loadText(text: string, options?: { delimiter?: DelimiterName | '' } & LayoutOptions): UploadSummary;
  /**
   * A sheet of an open workbook, read as a CSV file from then on (the row limit is the sheet's, the byte
   * limit the workbook file's). sheet: index or name; default workbook.choice. Throws CoreError (sheet_empty, ...).
   */
  loadSheet(workbook: Workbook, sheet?: number | string, options?: LayoutOptions): UploadSummary;
  summary(): UploadSummary;
  /** The first `count` data rows, every column, as in the file. */
  preview(count?: number): string[][];
  setMode(mode: ModeId): MappingState;
  mapping(): MappingState;
  /** Maps a column to a field ('' for Ignore). `message` says what else changed, in English; `code` and
   * `args` are the same as data (field_moved: the field came from another column), '' and [] when there
   * is nothing to say. Rejects (code bad_argument) for a field the mode does not take. */
  setColumn(index: number, field: FieldName | ''): ColumnChange;
  /** Splits a full-name column into the first and last name fields ("First Last", "First Middle Last",
   * "Last, First"; anything else stays empty with a warning on its row); -1 stops. Rejects (code
   * bad_argument) while a column is mapped to a name field. Mapping a name field later stops the split. */
  setSplitColumn(index: number): ColumnChange;
  /** How the first `count` non-empty cells of a column would split, to show before the user decides. */
  splitPreview(index: number, count?: number): NameSplitPreview[];
  exportMapping(): string;
  importMapping(json: string | object): MappingState;
  setLookups(lookups: Lookups): void;
  validate(): Stats;
  stats(): Stats;
  rows(options?: { offset?: number; limit?: number; filter?: 'all' | 'errors' | 'warnings' }): { total: number; rows: PreviewRow[] };
  /** The directory check, after validate(): what to POST next (see checkDirectory()). */
  directoryNext(scope: { accountId?: string; environmentId?: string }): DirectoryAction;
  /** The answer to the last directoryNext() request; status 0 when none came (body: why). */
  /** status 0: no answer; timeoutS: it timed out after that many seconds; body: the server's answer, or the transport's words. */
  directoryResponse(reply: { status: number; body?: string; timeoutS?: number }): { stats: Stats; directory: DirectoryStatus };
  directoryStatus(): DirectoryStatus;
  select(index: number, on: boolean): Stats;
  selectAll(on: boolean): Stats;
  planSubmit(scope: { accountId?: string; environmentId?: string }): { batches: number; rows: number };
  next(nowMs: number): SubmitAction;
  /** `replayed`: the answer carried `Idempotent-Replayed: true`. */
  response(batch: number, reply: { status: number; retryAfter?: string; body?: string; replayed?: boolean }, nowMs: number,
           epochMs?: number, random?: number): Progress;
  networkError(batch: number, options: { timeout?: boolean }, nowMs: number, random?: number): Progress;
  progress(): Progress;
  cancel(): void;
  retryUnconfirmed(): void;
  /** A page of the rows with `filter`'s outcome ('all' by default). */
  results(options?: { offset?: number; limit?: number; filter?: Outcome | 'all' | `problem:${string}` }): Results;
  /** SHA-256 (hex) of the loaded file's text. */
  fingerprint(): string;
  /** Resuming a run cut off after `since` (ISO 8601 UTC; '' to stop): emails created since then are not email_exists. */
  setResumeSince(since?: string): void;
  /** failed-rows.csv: UTF-8 with BOM, CRLF, original headers + import_error, no passwords. */
  exportFailedRows(): string;
  /** Tab-separated "email, accept link" lines of the invites made without email. */
  acceptLinks(): { count: number; text: string };
  /** results.csv: row, email, outcome, id, code, message, accept_link. */
  exportResults(): string;
  dispose(): void;
}

export type DirectoryAction =
  | { kind: 'send'; method: 'POST'; path: string; body: string; emails: number }
  | { kind: 'done' };

export interface DirectoryStatus {
  /** failed: the last request got no usable answer; rows are not blocked by it (the server still decides). */
  state: 'not_checked' | 'checking' | 'checked' | 'failed';
  /** Distinct valid emails of the file, how many of them the directory answered, rows found (email_exists). */
  emails: number;
  checked: number;
  found: number;
  /** Why the last request failed, in English ("HTTP 503: down", "no answer within 30 s"); '' otherwise. */
  reason: string;
  /** The same as a catalogue code (directory_http_said, directory_timeout, directory_no_answer, ...) and its arguments, for the page to word; '' and [] otherwise. */
  reasonCode: string;
  reasonArgs: string[];
}

export interface DirectoryCheckOptions {
  apiBaseUrl: string;
  authHeader: () => Promise<string> | string;
  scope: { accountId?: string; environmentId?: string };
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (update: { stats: Stats; directory: DirectoryStatus }) => void;
}

/**
 * Asks the scope's identities/lookup endpoint about the session's emails, 1,000 at a time, until every
 * one is answered or a request fails (call it again to retry). Rows found become email_exists errors.
 * `session`: an ImportSession, or a proxy of one whose methods answer with promises (as the wizard's
 * Web Worker client does).
 */
export function checkDirectory(
  session: { [M in 'stats' | 'directoryNext' | 'directoryResponse' | 'directoryStatus']:
    (...args: Parameters<ImportSession[M]>) => ReturnType<ImportSession[M]> | Promise<ReturnType<ImportSession[M]>> },
  options: DirectoryCheckOptions,
): Promise<{ stats: Stats; directory: DirectoryStatus }>;

export interface SubmitOptions {
  apiBaseUrl: string;
  authHeader: () => Promise<string> | string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onProgress?: (progress: Progress & { waiting?: SubmitAction }) => void;
  /** Aborting cancels between batches; the batch in flight completes and is recorded. */
  signal?: AbortSignal;
}

/** Runs a planned session's batches with fetch, doing only what the core decides. */
export function submitAll(session: ImportSession, options: SubmitOptions): Promise<Progress>;

/** One bulk request exactly as the core planned it (body, idempotency key), with a timeout. */
export function sendBatch(
  action: Extract<SubmitAction, { kind: 'send' }>,
  options: { apiBaseUrl?: string; authHeader: () => Promise<string> | string; fetch?: typeof fetch; timeoutMs?: number },
): Promise<{ reply: { status: number; retryAfter: string; body: string; replayed: boolean } | null; timedOut: boolean }>;
