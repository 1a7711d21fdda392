// The submit loops (the wizard's runner, web/wizard/run.js, and the package's submitAll) only sleep as
// long as the core says. A timer above 2^31-1 ms fires at once in Node and in browsers, so a huge wait
// once made them spin (issue 17: 2,395 next() calls in 3 s for Retry-After: 99999999). The core no
// longer asks for such a wait (Retry-After is bounded at 5 minutes, test_submit.cpp); these loops are
// proven not to spin even if it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { createRunner } from '../../web/wizard/run.js';
import { createStore } from '../../web/wizard/store.js';
import { submitAll } from '../../dist/index.mjs';

// A core that asks for one very long wait, then says done.
function fakeCore(delayMs) {
  const calls = { next: 0 };
  let woken = false;
  const core = {
    calls,
    wake() { woken = true; },
    async next() {
      calls.next += 1;
      return woken ? { kind: 'done' } : { kind: 'wait', batch: 0, delayMs, reason: 'rate limited (429)', reasonCode: 'wait_rate_limited', reasonArgs: [] };
    },
    async progress() { return { rowsTotal: 1, rowsDone: 0, attempt: 1 }; },
    // The runner mirrors the per-row counts into the store too (Submit and Results show the same).
    async results() { return { total: 1, counts: { created: 0, invited: 0, failed: 0, unconfirmed: 0, cancelled: 0, pending: 1 }, rows: [] }; },
    async cancel() { woken = true; },
  };
  return core;
}

for (const delayMs of [99999999000, 2 ** 31, 1e300]) {
  test(`regression: the wizard's submit loop spun on a ${delayMs} ms wait (timer overflow)`, async () => {
    const core = fakeCore(delayMs);
    const store = createStore({ run: { state: 'idle' }, wait: null, sending: null, progress: null });
    let done = false;
    // The page words the wait's reason from its code (here a stand-in for the catalogue).
    const i18n = { message: (code, args, fallback) => (code === 'wait_rate_limited' ? 'Ratenbegrenzung (429)' : fallback) };
    const runner = createRunner({ core, store, options: {}, i18n }, { onDone: async () => { done = true; } });
    const running = runner.start();
    await sleep(300);
    assert.equal(core.calls.next, 1, 'asked once, then sleeping');
    assert.equal(store.get().wait.delayMs, delayMs);
    assert.equal(store.get().wait.reason, 'Ratenbegrenzung (429)');
    await runner.cancel();
    await running;
    assert.ok(done);
    assert.equal(core.calls.next, 2);
  });

  test(`regression: submitAll spun on a ${delayMs} ms wait (timer overflow)`, async () => {
    const core = fakeCore(delayMs);
    const controller = new AbortController();
    const running = submitAll(core, { apiBaseUrl: 'http://127.0.0.1:9', authHeader: async () => '', signal: controller.signal });
    await sleep(300);
    assert.equal(core.calls.next, 1, 'asked once, then sleeping');
    controller.abort();
    await running;
    assert.equal(core.calls.next, 2);
  });
}
