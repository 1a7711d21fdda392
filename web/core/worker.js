// The Web Worker that owns the core: every CSV decision happens here, off the page's main thread.
// Messages: {id, method, args} -> {id, result} | {id, error:{code, message}}.
import { loadCore, workbookSignature } from '../../dist/index.mjs';

let core = null;
let session = null;
// The last input, kept so an encoding/delimiter override decodes the same file again. A File is only a
// handle: its bytes are read again from it, straight into wasm memory, never held in the JS heap.
let lastInput = null;  // {file} | {bytes} | {text}
let lastLookups = null;  // re-applied to every new session, so a re-upload keeps them
// The workbook of the last input, open in the workbook reader (loaded only for a workbook), so choosing
// another sheet reads no file again: {input, book}.
let lastWorkbook = null;

// The first bytes of an input: a workbook is recognised by them (never by the file name).
async function head(input) {
  if (input.file) {
    // A File that cannot be read (moved or deleted since) is no workbook: loadFile says it is unreadable.
    try { return new Uint8Array(await input.file.slice(0, 8).arrayBuffer()); } catch { return new Uint8Array(0); }
  }
  if (input.bytes) return new Uint8Array(input.bytes, 0, Math.min(8, input.bytes.byteLength));
  return new Uint8Array(0);
}

function workbookInfo(book) {
  return { format: book.format, choice: book.choice, sheets: book.sheets };
}

const methods = {
  /** @param {{ baseUrl?: string }} [options] */
  async init({ baseUrl } = {}) {
    core = await loadCore(baseUrl ? { baseUrl } : {});
    return core.info();
  },
  info: () => core.info(),
  sampleCsv: (mode, ids) => core.sampleCsv(mode, ids),
  warmUp: () => core.warmUp(),
  /**
   * A workbook's sheet: `sheet` (an index) chooses it; without one the workbook's own choice is read,
   * and when the user must choose (several sheets with cells) or `sheet` is -1, nothing is loaded:
   * {needsSheet: true, workbook: {format, choice, sheets}}.
   * @param {{ file?: Blob, bytes?: ArrayBuffer, text?: string, encoding?: string, delimiter?: string, headerLine?: number, keepFooters?: boolean, sheet?: number }} [source]
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
        lastWorkbook = { input, book: await core.openWorkbook(input.file ?? new Uint8Array(input.bytes)) };
      }
      const book = lastWorkbook.book;
      const index = sheet === undefined || sheet === null ? book.choice : sheet;
      if (index < 0) return { needsSheet: true, workbook: workbookInfo(book) };
      const next = core.createSession();
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
    const next = core.createSession();
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
        if (/** @type {any} */ (e)?.code !== 'tables_needed') throw e;
        try { await core.loadTables([/** @type {any} */ (e).cause.args[0]]); } catch { throw e; }
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
  heapBytes: () => core.heapBytes(),
  dispose() { session?.dispose(); session = null; lastInput = null; lastWorkbook?.book.close(); lastWorkbook = null; },
};

function need() {
  if (!session) {
    throw Object.assign(new Error('Upload a file first.'), { code: 'bad_state' });
  }
  return session;
}

// One call at a time: load() awaits the File's chunks, and nothing else may touch wasm memory (or grow
// it under the view the chunks are written to) until it is done.
let queue = Promise.resolve();
self.onmessage = (event) => {
  const { id, method, args = [] } = event.data ?? {};
  queue = queue.then(async () => {
    try {
      const fn = methods[method];
      if (!fn) throw Object.assign(new Error(`Unknown core method ${method}.`), { code: 'bad_argument' });
      if (!core && method !== 'init') await methods.init();
      const result = await fn(...args);
      self.postMessage({ id, result });
    } catch (e) {
      self.postMessage({ id, error: { code: e.code ?? e.cause?.code ?? 'internal', message: e.message, args: e.cause?.args } });
    }
  });
};
