// The Web Worker that owns the core: every CSV decision happens here, off the page's main thread.
// Messages: {id, method, args} -> {id, result} | {id, error:{code, message}}.
import { loadCore } from '../../dist/index.mjs';

let core = null;
let session = null;
let lastBytes = null;  // kept so an encoding/delimiter override decodes the same file again
let lastText = null;
let lastLookups = null;  // re-applied to every new session, so a re-upload keeps them

const methods = {
  async init({ baseUrl } = {}) {
    core = await loadCore(baseUrl ? { baseUrl } : {});
    return core.info();
  },
  info: () => core.info(),
  sampleCsv: (mode) => core.sampleCsv(mode),
  load({ bytes, text, encoding = '', delimiter = '' } = {}) {
    if (bytes) { lastBytes = bytes; lastText = null; }
    if (typeof text === 'string') { lastText = text; lastBytes = null; }
    const next = core.createSession();
    try {
      const summary = lastText !== null
        ? next.loadText(lastText, { delimiter })
        : next.load(new Uint8Array(lastBytes ?? new ArrayBuffer(0)), { encoding, delimiter });
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
  exportMapping: () => need().exportMapping(),
  importMapping: (json) => need().importMapping(json),
  setLookups(lookups) {
    lastLookups = lookups;
    session?.setLookups(lookups);
  },
  validate: () => need().validate(),
  stats: () => need().stats(),
  rows: (opts) => need().rows(opts),
  select: (index, on) => need().select(index, on),
  selectAll: (on) => need().selectAll(on),
  planSubmit: (scope) => need().planSubmit(scope),
  next: (nowMs) => need().next(nowMs),
  response: (batch, res, nowMs) => need().response(batch, res, nowMs, Date.now(), Math.random()),
  networkError: (batch, opts, nowMs) => need().networkError(batch, opts, nowMs, Math.random()),
  progress: () => need().progress(),
  cancel: () => need().cancel(),
  retryUnconfirmed: () => need().retryUnconfirmed(),
  results: (opts) => need().results(opts),
  exportFailedRows: () => need().exportFailedRows(),
  exportResults: () => need().exportResults(),
  heapBytes: () => core.heapBytes(),
  dispose() { session?.dispose(); session = null; lastBytes = null; lastText = null; },
};

function need() {
  if (!session) {
    const e = new Error('Upload a file first.');
    e.code = 'bad_state';
    throw e;
  }
  return session;
}

self.onmessage = async (event) => {
  const { id, method, args = [] } = event.data ?? {};
  try {
    const fn = methods[method];
    if (!fn) throw Object.assign(new Error(`Unknown core method ${method}.`), { code: 'bad_argument' });
    if (!core && method !== 'init') await methods.init();
    const result = await fn(...args);
    self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: { code: e.code ?? e.cause?.code ?? 'internal', message: e.message } });
  }
};
