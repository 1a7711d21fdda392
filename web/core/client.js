// The page's handle on the core: an async proxy to the Web Worker (worker.js). Every method returns a
// promise of plain data; fatal errors reject with an Error whose cause.code is the core's stable code.
/**
 * @typedef {import('./worker.js').CoreMethods} CoreMethods
 * @typedef {import('./worker.js').LoadSource} LoadSource
 * @typedef {import('./worker.js').Loaded} Loaded
 * @typedef {import('./worker.js').SheetNeeded} SheetNeeded
 * @typedef {import('./worker.js').WorkbookInfo} WorkbookInfo
 * @typedef {Exclude<keyof CoreMethods, 'init' | 'load' | 'dispose' | 'warmUp'>} Method
 */
/**
 * The worker's methods, each answering with a promise of what it returns there.
 * @typedef {{ [M in Method]: (...args: Parameters<CoreMethods[M]>) => Promise<Awaited<ReturnType<CoreMethods[M]>>> } & {
 *   load(source?: LoadSource): Promise<Loaded | SheetNeeded>,
 *   dispose(): void,
 *   warmUp(): Promise<{ ms: number }>,
 * }} CoreClient
 */
/**
 * @param {{ baseUrl?: string }} [options]
 * @returns {Promise<CoreClient>}
 */
export async function createCoreClient({ baseUrl } = {}) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  let seq = 0;
  /** @type {Map<number, { resolve: (result: unknown) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  worker.onmessage = (event) => {
    const { id, result, error } = event.data;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error) {
      const e = Object.assign(new Error(error.message, { cause: { code: error.code, args: error.args } }), { code: error.code });
      p.reject(e);
    } else {
      p.resolve(result);
    }
  };
  worker.onerror = (event) => {
    // The core's catalogue words it (worker_failed); the English is for a page without one.
    const detail = event.message || 'worker error';
    const e = new Error(`The import engine stopped (${detail}). Reload the page and try again.`,
      { cause: { code: 'worker_failed', args: [detail] } });
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  /**
   * @param {string} method
   * @param {unknown[]} [args]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<unknown>} what the worker's method returned (CoreClient says what, for each method)
   */
  const call = (method, args = [], transfer = []) => new Promise((resolve, reject) => {
    const id = ++seq;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args }, transfer);
  });

  // The methods written out here; every other name is the worker's method of that name (worker.js holds
  // the one list: a name it lacks rejects with bad_argument).
  const own = /** @type {CoreClient} */ ({
    /**
     * {file: File | Blob}, {bytes: ArrayBuffer} or {text: string}; {encoding, delimiter} overrides decode
     * the last input again. A File is posted as a handle (no bytes are read or copied on the page); the
     * worker streams it into wasm memory. `bytes` are copied so the caller keeps its buffer.
     */
    /**
     * A workbook's sheet: `sheet` (an index; -1 asks again); when the user must choose, the result is
     * {needsSheet: true, workbook} and nothing is loaded.
     * @param {LoadSource} [source]
     */
    load({ file, bytes, text, encoding = '', delimiter = '', headerLine = 0, keepFooters = false, sheet } = {}) {
      if (file) return call('load', [{ file, encoding, delimiter, headerLine, keepFooters, sheet }]);
      const copy = bytes ? bytes.slice(0) : undefined;
      return call('load', [{ bytes: copy, text, encoding, delimiter, headerLine, keepFooters, sheet }], copy ? [copy] : []);
    },
    dispose() {
      call('dispose').catch(() => {});
      setTimeout(() => worker.terminate(), 0);
    },
  });
  const client = /** @type {CoreClient} */ (new Proxy(own, {
    get(target, name, receiver) {
      if (typeof name !== 'string' || name in target) return Reflect.get(target, name, receiver);
      if (name === 'then') return undefined;  // not a promise: `await client` gives the client
      return (/** @type {unknown[]} */ ...args) => call(name, args);
    },
  }));
  /**
   * Warms the core up (the wizard calls it once its first step is drawn, while the user picks a mode
   * and a file): a throwaway import makes the engine optimise the hot code and touches the memory a
   * full-size import needs, so the first real import is as fast as the next. Calls made meanwhile wait
   * behind it in the worker's queue. Runs once per worker; sets the performance mark "cnp-core-warm"
   * when done.
   */
  /** @type {Promise<{ ms: number }> | null} */
  let warming = null;
  own.warmUp = () => (warming ??= /** @type {Promise<{ ms: number }>} */ (call('warmUp')).then((r) => { performance.mark('cnp-core-warm'); return r; }));
  await call('init', [{ baseUrl: baseUrl ? new URL(baseUrl, location.href).href : undefined }]);
  return client;
}
