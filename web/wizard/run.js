// The submit loop. The core decides everything (what to send, when to retry, what a response means);
// this only performs the fetch and the timers it asks for, and mirrors progress into the store.
import { sendBatch } from '../../dist/send-batch.mjs';
import { runEnded, runStarted, scopeOf } from './interrupted.js';

const DEFAULT_TIMEOUT_MS = 30000;
// setTimeout fires at once for a delay above 2^31-1 ms (about 24.8 days), so a longer wait would spin.
// The core never asks for more than its Retry-After bound; a longer sleep is cut here and the loop
// asks the core again, which answers with what is left.
const MAX_TIMER_MS = 2147483647;

/** @typedef {ReturnType<typeof createRunner>} Runner */

/**
 * @param {import('./wizard.js').Ctx} ctx
 * @param {{ onDone: () => Promise<void> }} callbacks  onDone: after the run ended, however it ended
 */
export function createRunner(ctx, { onDone }) {
  /** @type {(() => void) | null} */
  let wake = null;       // resolves the current wait early (cancel)
  let running = false;

  /** @param {number} ms */
  const sleep = (ms) => new Promise(/** @param {(v?: void) => void} resolve */ (resolve) => {
    const timer = setTimeout(done, Math.min(Math.max(Number(ms) || 0, 0), MAX_TIMER_MS));
    function done() { clearTimeout(timer); wake = null; resolve(); }
    wake = done;
  });

  /**
   * @param {import('../core/client.js').CoreClient} core
   * @param {Extract<import('../../dist/index.mjs').SubmitAction, { kind: 'send' }>} action
   */
  async function send(core, action) {
    const { options } = ctx;
    const { reply, timedOut } = await sendBatch(action, {
      apiBaseUrl: options.apiBaseUrl,
      authHeader: options.authHeader,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    // The retry schedule is computed against the same monotonic clock that next() is given.
    if (reply) await core.response(action.batch, reply, performance.now());
    else await core.networkError(action.batch, { timeout: timedOut }, performance.now());
  }

  // While batches are being sent, leaving or reloading the page asks first: the browser's own prompt
  // (its wording cannot be set). The batch in flight may still be committed by the server; a re-import
  // of the same file replays it (same keys) instead of creating it twice.
  /** @param {BeforeUnloadEvent} e */
  const onBeforeUnload = (e) => {
    e.preventDefault();
    e.returnValue = '';
  };

  async function start() {
    if (running) return;
    running = true;
    if (typeof window !== 'undefined') window.addEventListener('beforeunload', onBeforeUnload);
    const { store } = ctx;
    const core = ctx.core;
    store.set({ run: { state: 'running', cancelling: false, error: '' }, wait: null, sending: null, progress: await core.progress(), counts: (await core.results({ offset: 0, limit: 0 })).counts });
    // A trace of this run until it ends, so a reload that cuts it off is told about next time
    // (interrupted.js: the file's name, size and fingerprint, the mode and scope; no row data).
    /** @type {import('./interrupted.js').Marker | null} */
    let marker = null;
    try {
      const s = store.get();
      marker = runStarted({
        name: s.source?.name || '', size: s.summary?.bytes || 0, fingerprint: await core.fingerprint(),
        mode: s.mode, ...scopeOf(ctx.options, s.info?.modes.find((m) => m.id === s.mode)?.scope), rows: s.progress?.rowsTotal || 0,
      });
    } catch { /* no notice next time; the run itself goes on */ }
    try {
      for (;;) {
        const action = await core.next(performance.now());
        if (action.kind === 'done') break;
        if (action.kind === 'wait') {
          store.set({ wait: { batch: action.batch, reason: ctx.i18n.message(action.reasonCode, action.reasonArgs, action.reason), delayMs: action.delayMs, until: performance.now() + action.delayMs }, sending: null });
          await sleep(action.delayMs);
          store.set({ wait: null });
        } else if (action.kind === 'send') {
          const progress = await core.progress();
          store.set({ sending: { batch: action.batch, attempt: progress.attempt }, progress });
          await send(core, action);
          store.set({ sending: null });
        }
        store.set({ progress: await core.progress(), counts: (await core.results({ offset: 0, limit: 0 })).counts });
      }
      store.set({ run: { ...store.get().run, state: 'done' }, progress: await core.progress(), counts: (await core.results({ offset: 0, limit: 0 })).counts, wait: null, sending: null });
    } catch (err) {
      store.set({ run: { state: 'error', cancelling: false, error: /** @type {import('./i18n/index.js').Thrown} */ (err)?.message || String(err) }, wait: null, sending: null });
    } finally {
      running = false;
      if (typeof window !== 'undefined') window.removeEventListener('beforeunload', onBeforeUnload);
      runEnded(marker);
    }
    await onDone();
  }

  async function cancel() {
    const { store } = ctx;
    if (!running) return;
    store.set({ run: { ...store.get().run, cancelling: true } });
    await ctx.core.cancel();
    if (wake) wake();
  }

  return { start, cancel, get running() { return running; } };
}
