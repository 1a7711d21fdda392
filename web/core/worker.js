// The Web Worker that owns the core: every CSV decision happens here, off the page's main thread.
// Messages: {id, method, args} -> {id, result} | {id, error:{code, message}}.
import { loadCore, workbookSignature } from '../../dist/index.mjs';

/**
 * @typedef {import('../../dist/index.mjs').Core} Core
 * @typedef {import('../../dist/index.mjs').ImportSession} ImportSession
 * @typedef {import('../../dist/index.mjs').Workbook} Workbook
 * @typedef {import('../../dist/index.mjs').UploadSummary} UploadSummary
 * @typedef {import('../../dist/index.mjs').DelimiterName} DelimiterName
 * @typedef {import('../../dist/index.mjs').Lookups} Lookups
 * @typedef {import('../../dist/index.mjs').CoreError} CoreError
 */
/**
 * One input: a File (a handle), bytes or text.
 * @typedef {{ file: Blob, bytes?: undefined, text?: undefined } | { bytes: ArrayBuffer, file?: undefined, text?: undefined }
 *   | { text: string, file?: undefined, bytes?: undefined }} Input
 */
/**
 * load()'s argument: an input, or none to decode the last one again with other overrides.
 * @typedef {{ file?: Blob, bytes?: ArrayBuffer, text?: string, encoding?: string, delimiter?: DelimiterName | '', headerLine?: number, keepFooters?: boolean, sheet?: number }} LoadSource
 */
/** What the sheet picker shows of a workbook. @typedef {{ format: Workbook['format'], choice: number, sheets: Workbook['sheets'] }} WorkbookInfo */
/**
 * load()'s answer: the summary with the first rows (and for a sheet, its workbook and index), or, when
 * the user must choose a sheet first, only the workbook.
 * @typedef {UploadSummary & { needsSheet?: undefined, preview: string[][], workbook?: WorkbookInfo & { sheet: number } }} Loaded
 * @typedef {{ needsSheet: true, workbook: WorkbookInfo }} SheetNeeded
 */

/** @type {Core | null} */
let core = null;
/** @type {ImportSession | null} */
let session = null;
// The last input, kept so an encoding/delimiter override decodes the same file again. A File is only a
// handle: its bytes are read again from it, straight into wasm memory, never held in the JS heap.
/** @type {Input | null} */
let lastInput = null;  // {file} | {bytes} | {text}
/** @type {Lookups | null} */
let lastLookups = null;  // re-applied to every new session, so a re-upload keeps them
// The workbook of the last input, open in the workbook reader (loaded only for a workbook), so choosing
// another sheet reads no file again: {input, book}.
/** @type {{ input: Input, book: Workbook } | null} */
let lastWorkbook = null;

// The first bytes of an input: a workbook is recognised by them (never by the file name).
/** @param {Input} input */
async function head(input) {
  if (input.file) {
    // A File that cannot be read (moved or deleted since) is no workbook: loadFile says it is unreadable.
    try { return new Uint8Array(await input.file.slice(0, 8).arrayBuffer()); } catch { return new Uint8Array(0); }
  }
  if (input.bytes) return new Uint8Array(input.bytes, 0, Math.min(8, input.bytes.byteLength));
  return new Uint8Array(0);
}

/**
 * @param {Workbook} book
 * @returns {WorkbookInfo}
 */
function workbookInfo(book) {
  return { format: book.format, choice: book.choice, sheets: book.sheets };
}

/**
 * The session's methods the page calls as they are (through need()), the core's, and init, load, dispose.
 * @typedef {{ [M in Exclude<keyof ImportSession, 'load' | 'dispose'>]?: (...args: Parameters<ImportSession[M]>) => ReturnType<ImportSession[M]> }
 *   & { [M in keyof Core]?: (...args: Parameters<Core[M]>) => ReturnType<Core[M]> }
 *   & { [name: string]: (...args: never[]) => unknown }} Methods
 */
/** What the page can call, by name (client.js gives each a promise). @typedef {typeof methods} CoreMethods */
const methods = /** @satisfies {Methods} */ ({
  /** @param {{ baseUrl?: string }} [options] */
  async init({ baseUrl } = {}) {
    core = await loadCore(baseUrl ? { baseUrl } : {});
    return core.info();
  },
  info: () => needCore().info(),
  sampleCsv: (mode, ids) => needCore().sampleCsv(mode, ids),
  warmUp: () => needCore().warmUp(),
  /**
   * A workbook's sheet: `sheet` (an index) chooses it; without one the workbook's own choice is read,
   * and when the user must choose (several sheets with cells) or `sheet` is -1, nothing is loaded:
   * {needsSheet: true, workbook: {format, choice, sheets}}.
   * @param {LoadSource} [source]
   * @returns {Promise<Loaded | SheetNeeded>}
   */
  async load({ file, bytes, text, encoding = '', delimiter = '', headerLine = 0, keepFooters = false, sheet } = {}) {
    if (file) lastInput = { file };
    else if (bytes) lastInput = { bytes };
    else if (typeof text === 'string') lastInput = { text };
    const input = lastInput ?? { bytes: new ArrayBuffer(0) };
    if (input.text === undefined && workbookSignature(await head(input))) {
      if (lastWorkbook?.input !== input) {
        lastWorkbook?.book.close();
        lastWorkbook = null;
        lastWorkbook = { input, book: await needCore().openWorkbook(input.file ? input.file : new Uint8Array(input.bytes)) };
      }
      const book = lastWorkbook.book;
      const index = sheet === undefined || sheet === null ? book.choice : sheet;
      if (index < 0) return { needsSheet: true, workbook: workbookInfo(book) };
      const next = needCore().createSession();
      try {
        const summary = next.loadSheet(book, index, { headerLine, keepFooters });
        session?.dispose();
        session = next;
        if (lastLookups) session.setLookups(lastLookups);
        return { ...summary, preview: session.preview(5), workbook: { ...workbookInfo(book), sheet: index } };
      } catch (e) {
        next.dispose();
        throw e;
      }
    }
    lastWorkbook?.book.close();
    lastWorkbook = null;
    const next = needCore().createSession();
    try {
      const layout = { headerLine, keepFooters };
      const once = async () => (input.text !== undefined ? next.loadText(input.text, { delimiter, ...layout })
        : input.file ? next.loadFile(input.file, { encoding, delimiter, ...layout })
          : next.load(new Uint8Array(input.bytes), { encoding, delimiter, ...layout }));
      let summary;
      try {
        summary = await once();
      } catch (e) {
        // Bytes in a legacy encoding whose table is not loaded yet (loadFile fetches it by itself).
        if (/** @type {Partial<CoreError> | undefined} */ (e)?.code !== 'tables_needed') throw e;
        try { await needCore().loadTables([/** @type {CoreError} */ (e).cause.args[0]]); } catch { throw e; }
        summary = await once();
      }
      session?.dispose();
      session = next;
      if (lastLookups) session.setLookups(lastLookups);
      return { ...summary, preview: session.preview(5) };
    } catch (e) {
      next.dispose();
      throw e;
    }
  },
  setMode: (mode) => need().setMode(mode),
  mapping: () => need().mapping(),
  setColumn: (index, field) => need().setColumn(index, field),
  setSplitColumn: (index) => need().setSplitColumn(index),
  splitPreview: (index, count) => need().splitPreview(index, count),
  exportMapping: () => need().exportMapping(),
  importMapping: (json) => need().importMapping(json),
  /** @param {Lookups} lookups */
  setLookups(lookups) {
    lastLookups = lookups;
    session?.setLookups(lookups);
  },
  validate: () => need().validate(),
  stats: () => need().stats(),
  rows: (opts) => need().rows(opts),
  directoryNext: (scope) => need().directoryNext(scope),
  directoryResponse: (reply) => need().directoryResponse(reply),
  directoryStatus: () => need().directoryStatus(),
  select: (index, on) => need().select(index, on),
  selectAll: (on) => need().selectAll(on),
  planSubmit: (scope) => need().planSubmit(scope),
  next: (nowMs) => need().next(nowMs),
  response: (batch, res, nowMs) => need().response(batch, res, nowMs, Date.now(), Math.random()),
  networkError: (batch, opts, nowMs) => need().networkError(batch, opts, nowMs, Math.random()),
  progress: () => need().progress(),
  acceptLinks: () => need().acceptLinks(),
  cancel: () => need().cancel(),
  retryUnconfirmed: () => need().retryUnconfirmed(),
  results: (opts) => need().results(opts),
  fingerprint: () => need().fingerprint(),
  setResumeSince: (since) => need().setResumeSince(since),
  exportFailedRows: () => need().exportFailedRows(),
  exportResults: () => need().exportResults(),
  heapBytes: () => needCore().heapBytes(),
  dispose() { session?.dispose(); session = null; lastInput = null; lastWorkbook?.book.close(); lastWorkbook = null; },
});

// The queue below runs init before any other method: the core is there (a failed init is tried again).
function needCore() {
  if (!core) throw Object.assign(new Error('The import engine is not loaded.'), { code: 'bad_state' });
  return core;
}

function need() {
  if (!session) {
    throw Object.assign(new Error('Upload a file first.'), { code: 'bad_state' });
  }
  return session;
}

// One call at a time: load() awaits the File's chunks, and nothing else may touch wasm memory (or grow
// it under the view the chunks are written to) until it is done.
let queue = Promise.resolve();
// By name, as the page sends it: its arguments are the ones client.js's types checked there.
/** @type {Record<string, ((...args: any[]) => unknown) | undefined>} */
const byName = methods;
self.onmessage = (event) => {
  /** @type {{ id?: number, method?: string, args?: unknown[] }} */
  const { id, method, args = [] } = event.data ?? {};
  queue = queue.then(async () => {
    try {
      const fn = byName[method ?? ''];
      if (!fn) throw Object.assign(new Error(`Unknown core method ${method}.`), { code: 'bad_argument' });
      if (!core && method !== 'init') await methods.init();
      const result = await fn(...args);
      self.postMessage({ id, result });
    } catch (thrown) {
      const e = /** @type {Partial<CoreError>} */ (thrown);  // anything a method threw; the core's errors have code and cause
      self.postMessage({ id, error: { code: e.code ?? e.cause?.code ?? 'internal', message: e.message, args: e.cause?.args } });
    }
  });
};
