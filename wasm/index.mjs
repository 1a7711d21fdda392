// canopy-csv-import: the core API for browsers (Web Worker or page) and Node 20.
// Loads the WebAssembly module once, registers the ICU data, and wraps the embind Session in a class
// that returns plain objects and throws Error objects whose cause.code is the core's stable code.
import createCanopyCore from './canopy-core.mjs';
import { checkDirectory } from './check-directory.mjs';
import { sendBatch } from './send-batch.mjs';

export { checkDirectory, sendBatch };

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

let corePromise = null;

// Where each file the core loads lives, next to this module. Each is a URL made of a string literal
// and import.meta.url (the pattern below) so that bundlers (Vite, webpack, esbuild, Parcel) see the
// files, copy them with the build and rewrite the URLs; a file loaded any other way would be missing
// from a bundled app (tests/e2e/embedding.test.mjs builds one). Add a lazily loaded file the same way.
const ASSETS = {
  'canopy-core.wasm': () => new URL('./canopy-core.wasm', import.meta.url),
  'icudt72l.dat': () => new URL('./icudt72l.dat', import.meta.url),
  // The multi-byte decoders' tables, fetched only when a file needs one (the core answers
  // tables_needed with the file's name): a UTF-8 or UTF-16 file never loads them.
  'enc-jis.bin': () => new URL('./enc-jis.bin', import.meta.url),
  'enc-gb.bin': () => new URL('./enc-gb.bin', import.meta.url),
  'enc-big5.bin': () => new URL('./enc-big5.bin', import.meta.url),
  'enc-kr.bin': () => new URL('./enc-kr.bin', import.meta.url),
  // The workbook reader (XLSX, ODS): fetched only when a workbook is opened (openWorkbook).
  'canopy-workbook.wasm': () => new URL('./canopy-workbook.wasm', import.meta.url),
  // The statistical detectors (ICU's and uchardet): fetched only when a legacy file (not UTF-8, not
  // UTF-16) needs their votes (the core answers detectors_needed).
  'canopy-detectors.wasm': () => new URL('./canopy-detectors.wasm', import.meta.url),
};
const TABLE_FILES = ['enc-jis.bin', 'enc-gb.bin', 'enc-big5.bin', 'enc-kr.bin'];

let nodeFs = null;  // node:fs in Node (loadCore imports it), for load()'s synchronous table reads

async function readAsset(name, baseUrl) {
  if (isNode && !baseUrl) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(ASSETS[name]()));
  }
  const url = baseUrl ? new URL(name, baseUrl) : ASSETS[name]();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not load ${url} (HTTP ${res.status}). Check that the dist/ folder is served.`);
  return new Uint8Array(await res.arrayBuffer());
}

function fail(result) {
  if (result && result.error) {
    // cause.args: the message's arguments, for a page that shows it in another language.
    const e = new Error(result.error.message, { cause: { code: result.error.code, args: result.error.args ?? [] } });
    e.code = result.error.code;
    throw e;
  }
  return result;
}

/**
 * Loads the core (once per realm). `baseUrl`: where canopy-core.wasm and icudt72l.dat live; defaults to
 * this module's folder. `wasmBinary`/`icuData` may be passed directly.
 */
export function loadCore(options = {}) {
  if (!corePromise) {
    assetBase = options.baseUrl;
    corePromise = (async () => {
      const [wasmBinary, icuData] = await Promise.all([
        options.wasmBinary ?? readAsset('canopy-core.wasm', options.baseUrl),
        options.icuData ?? readAsset('icudt72l.dat', options.baseUrl),
      ]);
      const mod = await createCanopyCore({ wasmBinary });
      mod.icuDataBuffer(icuData.byteLength).set(icuData);
      fail(mod.installIcuData());
      if (isNode && !options.baseUrl) nodeFs = await import('node:fs');
      return new Core(mod, options.baseUrl);
    })();
    corePromise.catch(() => { corePromise = null; });
  }
  return corePromise;
}

/**
 * What the first bytes say the file is: 'zip' (an .xlsx or .ods workbook, or another ZIP), 'ole2' (a
 * legacy .xls, or an encrypted workbook) or '' (text: load() it). Content decides, never the name.
 */
export function workbookSignature(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0 && b[4] === 0xa1 &&
    b[5] === 0xb1 && b[6] === 0x1a && b[7] === 0xe1) return 'ole2';
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))) return 'zip';
  return '';
}

// A lazily loaded module, once per realm: the first call's load() is kept, and forgotten if it fails
// (so the next call tries again).
function once(load) {
  let promise = null;
  return (...args) => {
    if (!promise) {
      promise = load(...args);
      promise.catch(() => { promise = null; });
    }
    return promise;
  };
}

const workbookReader = once(async (options) => {
  const [{ default: create }, wasmBinary] = await Promise.all([
    import('./canopy-workbook.mjs'),
    options.wasmBinary ?? readAsset('canopy-workbook.wasm', options.baseUrl),
  ]);
  return new WorkbookReader(await create({ wasmBinary }));
});

/** Loads the workbook reader module (once per realm): only a workbook needs it. */
export function loadWorkbookReader(options = {}) {
  return workbookReader(options);
}

const utf8Decoder = new TextDecoder();

let assetBase;  // loadCore's baseUrl, for the lazily loaded files

// The detectors module, loaded once, the first time a legacy file needs its votes. Resolves to
// votes(sampleBytes) -> [{detector, charset, confidence}].
const loadDetectors = once(async () => {
  const [{ default: create }, wasmBinary] = await Promise.all([
    import('./canopy-detectors.mjs'),
    readAsset('canopy-detectors.wasm', assetBase),
  ]);
  const mod = await create({ wasmBinary });
  return (sample) => {
    const at = mod._malloc(Math.max(1, sample.byteLength));
    try {
      mod.HEAPU8.set(sample, at);
      const out = mod._canopy_votes(at, sample.byteLength);
      return JSON.parse(utf8Decoder.decode(mod.HEAPU8.subarray(out, out + mod._canopy_votes_length())));
    } finally {
      mod._free(at);
    }
  };
});

class WorkbookReader {
  #mod;
  #open = null;
  constructor(mod) { this.#mod = mod; }
  #string(ptr) {
    const heap = this.#mod.HEAPU8;
    const end = heap.indexOf(0, ptr);
    return utf8Decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
  }
  // The size alone, before any byte is read: the limit's error, or null.
  tooLarge(size, maxBytes) {
    if (!(maxBytes > 0 && size > maxBytes)) return null;
    try { fail(JSON.parse(this.#string(this.#mod._wb_open(0, size, maxBytes, 0)))); } catch (e) { return e; }
    return null;
  }
  open(bytes, { maxBytes = 10485760, previewRows = 5 } = {}) {
    const m = this.#mod;
    const src = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const p = m._wb_alloc(src.byteLength);
    if (!p) fail({ error: { code: 'out_of_memory', message: `The workbook needs more memory than this page may use (${src.byteLength} bytes).`, args: [String(src.byteLength)] } });
    m.HEAPU8.set(src, p);
    const info = fail(JSON.parse(this.#string(m._wb_open(p, src.byteLength, maxBytes, previewRows))));
    this.#open = new Workbook(this, info, src.byteLength);
    return this.#open;
  }
  // The CSV of sheet `index` of `book` (the open one), as a view into the reader's memory: copy it
  // before the next call.
  sheetCsv(book, index) {
    if (book !== this.#open) fail({ error: { code: 'bad_state', message: 'This workbook was closed: open it again.', args: [] } });
    const m = this.#mod;
    const p = m._wb_sheet_csv(index);
    if (!p) fail(JSON.parse(this.#string(m._wb_error())));
    return m.HEAPU8.subarray(p, p + m._wb_size());
  }
  close(book) {
    if (book === this.#open) { this.#mod._wb_close(); this.#open = null; }
  }
}

/**
 * An open workbook: format ('xlsx' | 'ods'), sheets [{name, hidden, rows, columns, firstRows}] (rows:
 * the non-empty rows, header included; firstRows: the first few, cells cut short), choice (the sheet
 * to read without asking, -1 when several sheets have cells and the user chooses) and bytes (the
 * file's size). One workbook is open at a time: opening another closes this one.
 */
export class Workbook {
  #reader;
  constructor(reader, info, bytes) {
    this.#reader = reader;
    this.format = info.format;
    this.sheets = info.sheets;
    this.choice = info.choice;
    this.bytes = bytes;
  }
  /** The index of `sheet`: an index, or a sheet's name. */
  indexOf(sheet) {
    if (typeof sheet === 'number' && Number.isInteger(sheet) && sheet >= 0 && sheet < this.sheets.length) return sheet;
    const i = this.sheets.findIndex((s) => s.name === sheet);
    if (i < 0) {
      const names = this.sheets.map((s) => `"${s.name}"`).join(', ');
      const e = new Error(`The workbook has no sheet "${sheet}". Its sheets: ${names}. Give a sheet's name or its number (1 is the first).`,
        { cause: { code: 'workbook_no_sheet', args: [String(sheet), names] } });
      e.code = 'workbook_no_sheet';
      throw e;
    }
    return i;
  }
  /** Sheet `sheet` as RFC 4180 UTF-8 CSV bytes (a view: copy it before the next call). */
  sheetCsv(sheet) { return this.#reader.sheetCsv(this, this.indexOf(sheet)); }
  close() { this.#reader.close(this); }
}

const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });
const bomText = (view) => keepBom.decode(view);

const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry((native) => { try { native.delete(); } catch { /* already gone */ } })
  : null;

// The table files installed in a module, and the loads under way (one fetch per file).
const tableState = new WeakMap();

function tables(mod, baseUrl) {
  let t = tableState.get(mod);
  if (!t) tableState.set(mod, (t = { baseUrl, installed: new Set(), pending: new Map() }));
  return t;
}

function installTable(mod, name, bytes) {
  mod.tableBuffer(bytes.byteLength).set(bytes);
  fail(mod.installTable(name));
  tables(mod).installed.add(name);
}

/** Fetches and installs table files (once each). */
function loadTables(mod, names) {
  const t = tables(mod);
  return Promise.all(names.map((name) => {
    if (!ASSETS[name]) return Promise.reject(new Error(`${name} is not a table file of this package.`));
    if (t.installed.has(name)) return undefined;
    if (!t.pending.has(name)) {
      const p = readAsset(name, t.baseUrl).then((bytes) => installTable(mod, name, bytes));
      p.catch(() => {}).finally(() => t.pending.delete(name));
      t.pending.set(name, p);
    }
    return t.pending.get(name);
  }));
}

// The file a tables_needed error names, when this package has it and it is not installed yet.
function neededTable(mod, e) {
  if (e?.code !== 'tables_needed') return null;
  const name = e.cause?.args?.[0];
  return ASSETS[name] && !tables(mod).installed.has(name) ? name : null;
}

// Runs `attempt` (which decodes); when the core needs a table file, fetches it, installs it and runs
// `attempt` again. A table that cannot be fetched leaves the core's tables_needed error.
async function withTables(mod, attempt) {
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      const name = neededTable(mod, e);
      if (!name) throw e;
      try { await loadTables(mod, [name]); } catch { throw e; }
    }
  }
}

// The same for a synchronous attempt: in Node the table file is read synchronously; elsewhere the
// error stays (a page calls loadFile(), or awaits core.loadTables() first).
function withTablesSync(mod, attempt) {
  for (;;) {
    try {
      return attempt();
    } catch (e) {
      const name = neededTable(mod, e);
      if (!name || !nodeFs) throw e;
      installTable(mod, name, new Uint8Array(nodeFs.readFileSync(ASSETS[name]())));
    }
  }
}

export class Core {
  #mod;
  #baseUrl;
  constructor(mod, baseUrl) {
    this.#mod = mod;
    this.#baseUrl = baseUrl;
    tables(mod, baseUrl);
  }
  /**
   * Fetches and installs the decoders' table files (default: all of them) ahead of a synchronous
   * load() in a page; loadFile() and load() in Node fetch what a file needs by themselves.
   */
  async loadTables(names = TABLE_FILES) { await loadTables(this.#mod, names); }
  /**
   * Bytes in any supported encoding (name or label) to text, exactly as
   * `new TextDecoder(label, {ignoreBOM: true, fatal})` reads them; fatal: throws `undecodable` with the
   * offset of the first bad byte. In a page, a multi-byte encoding's table must be loaded first
   * (loadTables); in Node it is read when needed.
   */
  decode(bytes, encoding, { fatal = false } = {}) {
    const src = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    return withTablesSync(this.#mod, () => {
      this.#mod.decodeBuffer(src.byteLength).set(src);
      return bomText(fail(this.#mod.decode(String(encoding), !!fatal)).utf8);
    });
  }
  /**
   * Opens an .xlsx or .ods workbook (loading the workbook reader the first time) and measures its
   * sheets. bytes: Uint8Array | ArrayBuffer | Blob (a File). Fatal errors as load()'s: workbook_legacy_xls, workbook_encrypted, workbook_damaged,
   * workbook_too_big, workbook_empty, file_too_large, ... maxBytes: the file limit (10 MiB; 0: none).
   */
  async openWorkbook(bytes, { maxBytes = 10485760, previewRows = 5 } = {}) {
    const reader = await loadWorkbookReader({ baseUrl: this.#baseUrl });
    if (typeof Blob !== 'undefined' && bytes instanceof Blob) {
      // A File: over the limit it is never read; under it, read once into the reader.
      const tooLarge = reader.tooLarge(bytes.size, maxBytes);
      if (tooLarge) throw tooLarge;
      let data;
      try { data = new Uint8Array(await bytes.arrayBuffer()); } catch { fail(this.#mod.coreError('file_unreadable')); }
      return this.#masked(reader.open(data, { maxBytes, previewRows }));
    }
    return this.#masked(reader.open(bytes, { maxBytes, previewRows }));
  }
  // The sheets' first rows with the cells under a password header masked (the reader knows no headers).
  #masked(book) {
    for (const sheet of book.sheets) sheet.firstRows = this.#mod.maskSheetRows(sheet.firstRows || []);
    return book;
  }
  /** Modes, fields, encodings, delimiters and the message catalogue. */
  info() { return this.#mod.info(); }
  /** The mode's sample CSV, with # comment lines documenting each column. */
  /** ids: {role, node, client, application} of the current scope, so the sample validates there. */
  sampleCsv(mode, ids) { return fail(this.#mod.sampleCsv(mode, ids ?? undefined)).csv; }
  /** Bytes the wasm heap currently spans (for memory checks). */
  heapBytes() { return this.#mod.heapBytes(); }
  /** {heapBytes, allocated, peakFootprint} of the wasm heap. */
  heapStats() { return this.#mod.heapStats(); }
  /**
   * A throwaway full-size import (about 10 MB built from the schema's example rows), so the engine
   * optimises the hot code and the memory an import needs is grown and touched before the first real
   * one. The wizard's worker runs it when the wizard opens. Returns {ms}.
   */
  warmUp() { return fail(this.#mod.warmUp()); }
  /** A new import. limits: {maxBytes, maxRows}; 0 means none. */
  createSession(limits = {}) {
    return new ImportSession(this.#mod, limits.maxBytes ?? 10485760, limits.maxRows ?? 10000);
  }
}

export class ImportSession {
  #s;
  #mod;
  constructor(mod, maxBytes, maxRows) {
    this.#mod = mod;
    this.#s = new mod.Session(maxBytes, maxRows);
    registry?.register(this, this.#s, this);
  }
  #live() {
    if (!this.#s) throw new Error('This import session was disposed.', { cause: { code: 'bad_state' } });
    return this.#s;
  }
  // s.load() on the bytes in wasm memory, again after the detectors' votes when a legacy file needs them
  // (detectors_needed: the bytes stay in wasm memory meanwhile). Without the module (it failed to load)
  // the core still decides, on the words alone, and says when it is unsure.
  async #loadInput(s, encoding, delimiter, headerLine, keepFooters) {
    for (let attempt = 0; ; attempt++) {
      const r = s.load(encoding, delimiter, Number(headerLine) || 0, !!keepFooters);
      if (r && r.error && r.error.code === 'detectors_needed' && attempt < 2) {
        let votes = [];
        try {
          votes = (await loadDetectors())(s.detectionSample().slice());
        } catch {
          // no votes: the words decide
        }
        s.setDetectorVotes(votes);
        continue;
      }
      return fail(r);
    }
  }
  /** Decodes, detects and parses the file. bytes: Uint8Array | ArrayBuffer. Resolves to the summary. */
  async load(bytes, options = {}) {
    return withTables(this.#mod, () => this.#loadOnce(bytes, options));
  }
  async #loadOnce(bytes, { encoding = '', delimiter = '', headerLine = 0, keepFooters = false } = {}) {
    const s = this.#live();
    const src = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const view = fail(s.inputBuffer(src.byteLength));
    view.set(src);
    return this.#loadInput(s, encoding, delimiter, headerLine, keepFooters);
  }
  /**
   * load() for a File or Blob: its bytes are read straight into wasm memory (no copy of the whole file
   * in the JS heap), then decoded and parsed as load() does. For a Web Worker handed the page's File.
   */
  async loadFile(blob, options = {}) {
    // A legacy file's table is fetched on the first try; the file is then read again (it is a File).
    return withTables(this.#mod, () => this.#loadFileOnce(blob, options));
  }
  async #loadFileOnce(blob, { encoding = '', delimiter = '', headerLine = 0, keepFooters = false } = {}) {
    const s = this.#live();
    const view = fail(s.inputBuffer(blob.size));
    let at = 0;
    try {
      if (typeof FileReaderSync !== 'undefined') {
        // In a worker: synchronous reads of 4 MiB slices, the fastest way Chromium offers (a stream
        // hands out chunks through promises, arrayBuffer() a second whole copy).
        const reader = new FileReaderSync();
        while (at < view.byteLength) {
          const part = new Uint8Array(reader.readAsArrayBuffer(blob.slice(at, at + (4 << 20))));
          if (!part.byteLength) break;  // shorter than it said: the check below reports it
          view.set(part, at);
          at += part.byteLength;
        }
      } else {
        const reader = blob.stream().getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          // A File backed by a disk file can change under it: never write past the buffer; the length
          // check below reports it.
          if (at + value.byteLength > view.byteLength) { reader.cancel(); at = -1; break; }
          view.set(value, at);
          at += value.byteLength;
        }
      }
    } catch {
      fail(this.#mod.coreError('file_unreadable'));
    }
    if (at !== view.byteLength) fail(this.#mod.coreError('file_unreadable'));
    return this.#loadInput(s, encoding, delimiter, headerLine, keepFooters);
  }
  /**
   * A sheet of an open workbook (core.openWorkbook), read exactly as a CSV file from then on: the
   * summary's format is the workbook's and sheet the sheet's name; the byte limit is the workbook
   * file's, the row limit the sheet's. sheet: an index or a name (default: workbook.choice).
   */
  loadSheet(workbook, sheet = workbook.choice, { headerLine = 0, keepFooters = false } = {}) {
    const s = this.#live();
    const index = workbook.indexOf(sheet);
    const csv = workbook.sheetCsv(index);
    const view = fail(s.inputBuffer(csv.byteLength));
    view.set(csv);
    return fail(s.loadSheet(workbook.format, workbook.sheets[index].name, workbook.bytes, Number(headerLine) || 0, !!keepFooters));
  }
  /** Parses pasted text (already Unicode). */
  loadText(text, { delimiter = '', headerLine = 0, keepFooters = false } = {}) {
    return fail(this.#live().loadText(text, delimiter, Number(headerLine) || 0, !!keepFooters));
  }
  summary() { return this.#live().summary(); }
  preview(count = 5) { return this.#live().preview(count); }
  setMode(mode) { return fail(this.#live().setMode(mode)); }
  mapping() { return this.#live().mapping(); }
  setColumn(index, field) { return fail(this.#live().setColumn(index, field ?? '')); }
  setSplitColumn(index) { return fail(this.#live().setSplitColumn(index ?? -1)); }
  splitPreview(index, count = 5) { return this.#live().splitPreview(index, count); }
  exportMapping() { return this.#live().exportMapping(); }
  importMapping(json) { return fail(this.#live().importMapping(typeof json === 'string' ? json : JSON.stringify(json))); }
  setLookups(lookups) { this.#live().setLookups(lookups); }
  validate() { return this.#live().validate(); }
  stats() { return this.#live().stats(); }
  rows({ offset = 0, limit = 50, filter = 'all' } = {}) { return this.#live().rows(offset, limit, filter); }
  /**
   * The directory check, after validate(): what to POST next, {kind:'send', method, path, body, emails}
   * or {kind:'done'}. Send it (Authorization, Content-Type: application/json) and hand the answer to
   * directoryResponse(); status 0 for no answer (timeoutS: it timed out after that many seconds; body:
   * the transport's own words, if any).
   */
  directoryNext({ accountId = '', environmentId = '' } = {}) { return this.#live().directoryNext(accountId, environmentId); }
  /** -> {stats, directory}: rows found are email_exists errors now. */
  directoryResponse({ status, body = '', timeoutS = 0 }) { return this.#live().directoryResponse(status | 0, String(body ?? ''), timeoutS >>> 0); }
  /** {state: 'not_checked'|'checking'|'checked'|'failed', emails, checked, found, reason, reasonCode, reasonArgs}. */
  directoryStatus() { return this.#live().directoryStatus(); }
  select(index, on) { return this.#live().select(index, !!on); }
  selectAll(on) { return this.#live().selectAll(!!on); }
  planSubmit({ accountId = '', environmentId = '' } = {}) { return fail(this.#live().planSubmit(accountId, environmentId)); }
  /** What to do now: {kind:'send', batch, path, body, idempotencyKey} | {kind:'wait', delayMs, reason} | {kind:'done'}. */
  next(nowMs) { return fail(this.#live().next(nowMs)); }
  /** `replayed`: the answer carried Idempotent-Replayed: true (rows of an earlier attempt). */
  response(batch, { status, retryAfter = '', body = '', replayed = false }, nowMs, epochMs = Date.now(), random = Math.random()) {
    return fail(this.#live().response(batch, status, retryAfter ?? '', body ?? '', nowMs, epochMs, random, !!replayed));
  }
  networkError(batch, { timeout = false } = {}, nowMs, random = Math.random()) {
    return fail(this.#live().networkError(batch, !!timeout, nowMs, random));
  }
  progress() { return this.#live().progress(); }
  cancel() { this.#live().cancel(); }
  retryUnconfirmed() { this.#live().retryUnconfirmed(); }
  /**
   * filter: 'all', an outcome ('failed', 'created', …) or 'problem:<code>' (a failure summary's rows);
   * also {failures: [{code, count, first}], firstFailure}; a row repeating the problem of the rows before
   * it has sameAsLine.
   */
  results({ offset = 0, limit = 50, filter = 'all' } = {}) { return this.#live().results(offset, limit, filter); }
  /** SHA-256 (hex) of the loaded file's text: the same file again has the same one. */
  fingerprint() { return this.#live().fingerprint(); }
  /** Resuming a run cut off after `since` (ISO 8601): what the server created since then is replayed, not email_exists. */
  setResumeSince(since = '') { this.#live().setResumeSince(String(since)); }
  /** failed-rows.csv as a string that keeps its leading BOM (U+FEFF). */
  exportFailedRows() { return bomText(this.#live().exportFailedRows()); }
  /** {count, text}: "email<TAB>link" lines of the invites made without email (Results: "Copy all links"). */
  acceptLinks() { return this.#live().acceptLinks(); }
  /** results.csv as a string that keeps its leading BOM (U+FEFF). */
  exportResults() { return bomText(this.#live().exportResults()); }
  /** Frees the wasm memory of this import. */
  dispose() {
    if (!this.#s) return;
    registry?.unregister(this);
    this.#s.delete();
    this.#s = null;
  }
}

/**
 * Headless submit: runs a planned session's batches against the API with `fetch`, doing only what the
 * core decides (send, wait, done). `session` is an ImportSession (or anything with the same async
 * next/response/networkError/progress methods, such as the page's worker client).
 * options: {apiBaseUrl, authHeader: async () => 'Bearer …', fetch?, timeoutMs?, onProgress?, signal?}
 * An aborted `signal` cancels between batches (the in-flight batch completes and is recorded).
 */
export async function submitAll(session, options) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30000;
  const now = () => performance.now();
  let wake = null;
  const onAbort = async () => { await session.cancel(); wake?.(); };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const action = await session.next(now());
      if (action.kind === 'done') break;
      if (action.kind === 'wait') {
        options.onProgress?.({ ...(await session.progress()), waiting: action });
        await new Promise((resolve) => {
          // Above 2^31-1 ms setTimeout fires at once (a spin); cut the wait, next() says what is left.
          const t = setTimeout(resolve, Math.min(Math.max(Number(action.delayMs) || 0, 0), 2147483647));
          wake = () => { clearTimeout(t); resolve(); };
        });
        wake = null;
        continue;
      }
      const { reply, timedOut } = await sendBatch(action, { apiBaseUrl: options.apiBaseUrl, authHeader: options.authHeader, fetch: doFetch, timeoutMs });
      if (reply) await session.response(action.batch, reply, now());
      else await session.networkError(action.batch, { timeout: timedOut }, now());
      options.onProgress?.(await session.progress());
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return session.progress();
}

