// Reference server: idempotent replay, key reuse, in-flight conflicts, and the fault injection that the
// client's retry logic is tested against.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { BULK_PATHS, bulk, call, startTestServer } from '../../tools/server/testing.mjs';

const row = (email, extra = {}) => ({ row: 2, email, first_name: 'F', last_name: 'L', ...extra });

describe('idempotency', () => {
  let server;
  before(async () => {
    server = await startTestServer({ faults: true });
  });
  after(() => server.close());
  beforeEach(() => server.faults.reset());

  const identities = (email) => server.db.prepare('SELECT id FROM identities WHERE email_norm = ?').all(email);

  test('same key and body replays status and bytes exactly; nothing is written twice', async () => {
    const body = JSON.stringify({ rows: [row('replay@example.com'), row('replay@example.com', { row: 3 }), { row: 4, email: 'bad' }] });
    const first = await call(server, 'POST', BULK_PATHS.create(), { key: 'replay-key', body });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.deepEqual(first.json.results.map((r) => r.status), ['created', 'error', 'error']);

    const second = await call(server, 'POST', BULK_PATHS.create(), { key: 'replay-key', body });
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.ok(second.bytes.equals(first.bytes), 'byte-exact replay');
    // Not re-run: a re-run would report email_conflict for row 2 instead of "created".
    assert.equal(second.json.results[0].status, 'created');
    assert.equal(identities('replay@example.com').length, 1);
    assert.equal(server.faults.stats().bulk.replayed, 1);
  });

  test('invite replay returns the same ids and accept links', async () => {
    const body = { rows: [{ row: 2, email: 'inv-replay@example.com', send_email: false }] };
    const a = await call(server, 'POST', BULK_PATHS.invite(), { key: 'inv-replay', body });
    const b = await call(server, 'POST', BULK_PATHS.invite(), { key: 'inv-replay', body });
    assert.ok(a.json.results[0].accept_link);
    assert.ok(a.bytes.equals(b.bytes), 'the replay derives the same link again');
    // The stored answer holds no accept link: the token is a live secret (its hash is in invites).
    const token = new URL(a.json.results[0].accept_link).pathname.split('/').pop();
    const stored = server.db.prepare("SELECT response_body FROM idempotency_keys WHERE key = 'inv-replay'").get().response_body.toString();
    assert.equal(stored, JSON.stringify({ results: [{ row: 2, status: 'invited', id: a.json.results[0].id }] }));
    assert.ok(!stored.includes(token));
    const raw = server.db.prepare('SELECT * FROM invites WHERE id = ?').get(a.json.results[0].id);
    assert.ok(!JSON.stringify(raw).includes(token), 'the invite row keeps only the hash');
    // Once accepted, a replay no longer hands the link out.
    await fetch(a.json.results[0].accept_link, { method: 'POST' }).then((r) => r.arrayBuffer());
    const c = await call(server, 'POST', BULK_PATHS.invite(), { key: 'inv-replay', body });
    assert.deepEqual(c.json.results[0], { row: 2, status: 'invited', id: a.json.results[0].id, accept_link_withheld: true });
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM invites WHERE email_norm = 'inv-replay@example.com'").get().n, 1);
  });

  test('same key with another body, or another endpoint, is 422 idempotency_key_reused', async () => {
    const a = await bulk(server, 'create', [row('reuse-a@example.com')], { key: 'reuse-key' });
    assert.equal(a.status, 200);
    const b = await bulk(server, 'create', [row('reuse-b@example.com')], { key: 'reuse-key' });
    assert.equal(b.status, 422);
    assert.equal(b.json.error.code, 'idempotency_key_reused');
    // Whitespace differences are a different body: the key covers the bytes.
    const c = await call(server, 'POST', BULK_PATHS.create(), { key: 'reuse-key', body: JSON.stringify({ rows: [row('reuse-a@example.com')] }, null, 1) });
    assert.equal(c.status, 422);
    const d = await bulk(server, 'create', [row('reuse-a@example.com')], { key: 'reuse-key', env: 'env_prod' });
    assert.equal(d.status, 422);
    assert.equal(identities('reuse-b@example.com').length, 0);
  });

  test('409 while the first request with the key is in flight, then replay', async () => {
    server.faults.setLatency(400);
    const body = JSON.stringify({ rows: [row('slow@example.com')] });
    const firstPromise = call(server, 'POST', BULK_PATHS.create(), { key: 'slow-key', body });
    // Wait until the first request has claimed its key.
    const claimed = server.db.prepare("SELECT state FROM idempotency_keys WHERE key = 'slow-key'");
    for (let i = 0; i < 200 && !claimed.get(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(claimed.get()?.state, 'in_flight');

    const second = await call(server, 'POST', BULK_PATHS.create(), { key: 'slow-key', body });
    assert.equal(second.status, 409);
    assert.equal(second.json.error.code, 'idempotency_in_flight');
    assert.equal(second.headers.get('retry-after'), '1');
    // Another body under the same key is still a reuse, not "in flight".
    const other = await bulk(server, 'create', [row('slow-other@example.com')], { key: 'slow-key' });
    assert.equal(other.status, 422);

    const first = await firstPromise;
    assert.equal(first.status, 200);
    assert.equal(first.json.results[0].status, 'created');
    server.faults.setLatency(0);
    const third = await call(server, 'POST', BULK_PATHS.create(), { key: 'slow-key', body });
    assert.ok(third.bytes.equals(first.bytes));
    assert.equal(identities('slow@example.com').length, 1);
    assert.equal(server.faults.stats().bulk.inFlight, 1);
  });

  test('lost after commit: the client sees a network error, the retry replays, the row exists once', async () => {
    server.faults.lostAfterCommit(1);
    const body = JSON.stringify({ rows: [row('lost@example.com')] });
    await assert.rejects(call(server, 'POST', BULK_PATHS.create(), { key: 'lost-key', body }), TypeError);
    const stored = identities('lost@example.com');
    assert.equal(stored.length, 1, 'committed before the socket was dropped');

    const retry = await call(server, 'POST', BULK_PATHS.create(), { key: 'lost-key', body });
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(retry.json.results, [{ row: 2, status: 'created', id: stored[0].id }]);
    assert.equal(identities('lost@example.com').length, 1);
    const stats = server.faults.stats();
    assert.equal(stats.bulk.lost, 1);
    assert.equal(stats.bulk.replayed, 1);
    assert.deepEqual(stats.events.map((e) => [e.outcome, e.key]), [['lost', 'lost-key'], ['replayed', 'lost-key']]);
  });

  test('a failed batch gives its key back, so the same request can run again', async () => {
    // Break the write path: a trigger makes the insert fail inside the batch transaction.
    server.db.exec("CREATE TRIGGER break_insert BEFORE INSERT ON identities WHEN NEW.email_norm = 'boom@example.com' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    const errors = [];
    const originalError = console.error;
    console.error = (...a) => errors.push(a.join(' '));
    try {
      const r = await bulk(server, 'create', [row('ok-before-boom@example.com'), row('boom@example.com', { row: 3 })], { key: 'boom-key' });
      assert.equal(r.status, 500);
      assert.equal(r.json.error.code, 'internal_error');
    } finally {
      console.error = originalError;
      server.db.exec('DROP TRIGGER break_insert');
    }
    assert.equal(errors.length, 1);
    assert.equal(identities('ok-before-boom@example.com').length, 0, 'the whole batch rolled back');
    const again = await bulk(server, 'create', [row('ok-before-boom@example.com'), row('boom@example.com', { row: 3 })], { key: 'boom-key' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json.results.map((r) => r.status), ['created', 'created']);
  });

  test('keys expire after 24 hours', async () => {
    const a = await bulk(server, 'create', [row('expire-a@example.com')], { key: 'old-key' });
    assert.equal(a.status, 200);
    server.db.prepare("UPDATE idempotency_keys SET created_at = created_at - 86400001 WHERE key = 'old-key'").run();
    const b = await bulk(server, 'create', [row('expire-b@example.com')], { key: 'old-key' });
    assert.equal(b.status, 200);
    assert.equal(b.json.results[0].status, 'created');
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE key = 'old-key'").get().n, 1);
  });

  test('validation failures (400/413) do not burn the key', async () => {
    const r = await call(server, 'POST', BULK_PATHS.create(), { key: 'fix-me', body: '{"rows":' });
    assert.equal(r.status, 400);
    const ok = await bulk(server, 'create', [row('fixed@example.com')], { key: 'fix-me' });
    assert.equal(ok.status, 200);
  });
});

describe('fault injection', () => {
  let server;
  before(async () => {
    server = await startTestServer({ faults: true });
  });
  after(() => server.close());
  beforeEach(() => server.faults.reset());

  const keyCount = () => server.db.prepare('SELECT count(*) AS n FROM idempotency_keys').get().n;

  test('failNext answers with the status and Retry-After, queued in order, without touching the DB', async () => {
    server.faults.failNext(2, 503, { retryAfter: 2 });
    server.faults.failNext(1, 429, { retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' });
    server.faults.failNext(1, 500);
    const keysBefore = keyCount();
    const seen = [];
    for (let i = 0; i < 5; i++) {
      const r = await bulk(server, 'invite', [{ row: 2, email: 'fail-next@example.com' }], { key: 'fail-key' });
      seen.push([r.status, r.headers.get('retry-after'), r.json.error?.code ?? r.json.results[0].status]);
      if (i < 4) assert.equal(keyCount(), keysBefore, 'a failed request leaves no idempotency record');
    }
    assert.deepEqual(seen, [
      [503, '2', 'service_unavailable'],
      [503, '2', 'service_unavailable'],
      [429, 'Wed, 21 Oct 2026 07:28:00 GMT', 'rate_limited'],
      [500, null, 'internal_error'],
      [200, null, 'invited'],
    ]);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM invites WHERE email_norm = 'fail-next@example.com'").get().n, 1);
    const stats = server.faults.stats();
    assert.equal(stats.bulk.received, 5);
    assert.equal(stats.bulk.failed, 4);
    assert.equal(stats.bulk.processed, 1);
    assert.ok(stats.events.every((e) => e.key === 'fail-key'));
  });

  test('faults apply to bulk endpoints only', async () => {
    server.faults.failNext(1, 502);
    assert.equal((await call(server, 'GET', '/api/v1/environments/env_dev/roles')).status, 200);
    assert.equal((await bulk(server, 'account', [row('only-bulk@example.com')])).status, 502);
  });

  test('counters per path', async () => {
    await call(server, 'GET', '/api/v1/environments');
    await call(server, 'GET', '/api/v1/environments');
    await bulk(server, 'create', [row('count@example.com')]);
    await call(server, 'GET', '/no/such/file');
    const stats = server.faults.stats();
    assert.deepEqual(stats.paths, {
      '/api/v1/environments': 2,
      '/api/v1/portal/environments/env_dev/identities/bulk-create': 1,
      '/no/such/file': 1,
    });
    assert.equal(stats.total, 4);
    assert.equal(stats.bulk.processed, 1);
  });

  test('random mode is reproducible from its seed and mixes the kinds', async () => {
    const config = { rate: 0.5, seed: 42, kinds: ['503', '429', 'lost'], retryAfter: '0' };
    async function run(tag) {
      server.faults.reset();
      server.faults.random(config);
      const out = [];
      for (let i = 0; i < 24; i++) {
        try {
          const r = await bulk(server, 'create', [row(`rnd-${tag}-${i}@example.com`)], { key: `rnd-${tag}-${i}` });
          out.push(String(r.status));
        } catch {
          out.push('lost');
        }
      }
      return out;
    }
    const a = await run('a');
    const b = await run('b');
    assert.deepEqual(a, b);
    for (const kind of ['200', '503', '429', 'lost']) assert.ok(a.includes(kind), `${kind} in ${a}`);
    const failures = a.filter((s) => s !== '200').length;
    assert.ok(failures >= 6 && failures <= 18, `rate 0.5 gave ${failures}/24`);
    // A different seed gives a different sequence.
    config.seed = 7;
    assert.notDeepEqual(await run('c'), a);
  });

  test('random latency delays processing', async () => {
    server.faults.random({ rate: 1, seed: 1, kinds: ['latency'], latencyMs: 250 });
    const t = performance.now();
    const r = await bulk(server, 'create', [row('latency@example.com')]);
    assert.equal(r.status, 200);
    assert.ok(performance.now() - t >= 240, 'delayed');
    assert.equal(server.faults.stats().bulk.delayed, 1);
  });

  test('HTTP fault API: configure, state, stats, reset', async () => {
    const set = await call(server, 'POST', '/__test/faults', {
      token: null,
      body: { fail: [{ count: 1, status: 504 }, { status: 429, retryAfter: '3' }], latencyMs: 0, lostAfterCommit: 0 },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, {
      fail: [
        { status: 504, retryAfter: null },
        { status: 429, retryAfter: '3' },
      ],
      latencyMs: 0,
      lostAfterCommit: 0,
      random: null,
    });
    assert.deepEqual((await call(server, 'GET', '/__test/faults', { token: null })).json, set.json);
    assert.equal((await bulk(server, 'create', [row('http-api@example.com')])).status, 504);
    const r429 = await bulk(server, 'create', [row('http-api@example.com')]);
    assert.equal(r429.status, 429);
    assert.equal(r429.headers.get('retry-after'), '3');

    await call(server, 'POST', '/__test/faults', { token: null, body: { lostAfterCommit: 1 } });
    await assert.rejects(bulk(server, 'create', [row('http-lost@example.com')]));

    const stats = await call(server, 'GET', '/__test/stats', { token: null });
    assert.equal(stats.json.bulk.failed, 2);
    assert.equal(stats.json.bulk.lost, 1);

    const bad = await call(server, 'POST', '/__test/faults', { token: null, body: { fail: { status: 200 } } });
    assert.equal(bad.status, 400);
    const badKind = await call(server, 'POST', '/__test/faults', { token: null, body: { random: { rate: 0.3, seed: 1, kinds: ['teapot'] } } });
    assert.equal(badKind.status, 400);
    const unknown = await call(server, 'POST', '/__test/faults', { token: null, body: { explode: true } });
    assert.equal(unknown.status, 400);
    assert.deepEqual((await call(server, 'GET', '/__test/faults', { token: null })).json.fail, [], 'bad bodies change nothing');

    await call(server, 'POST', '/__test/faults', { token: null, body: { fail: { count: 3 } } });
    const reset = await call(server, 'POST', '/__test/reset', { token: null });
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.json.fail, []);
    assert.equal((await call(server, 'GET', '/__test/stats', { token: null })).json.total, 1, 'counters cleared (this request only)');
    assert.equal((await bulk(server, 'create', [row('after-reset@example.com')])).status, 200);
  });

  test('POST /__test/reset {"data":true} also clears identities, invites and keys but keeps the seed', async () => {
    await bulk(server, 'create', [row('wipe@example.com')]);
    await bulk(server, 'invite', [{ row: 2, email: 'wipe-inv@example.com' }]);
    const r = await call(server, 'POST', '/__test/reset', { token: null, body: { data: true } });
    assert.equal(r.status, 200);
    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_dev/identities')).json.items, []);
    assert.equal(keyCount(), 0);
    assert.equal((await call(server, 'GET', '/api/v1/environments/env_dev/roles')).json.items.length, 3);
  });
});

test('without faults enabled the test routes are 404 and nothing is injected', async () => {
  const server = await startTestServer({ faults: false });
  try {
    assert.equal(server.faults, null);
    for (const [method, path] of [
      ['GET', '/__test/stats'],
      ['GET', '/__test/faults'],
      ['POST', '/__test/faults'],
      ['POST', '/__test/reset'],
    ]) {
      const r = await call(server, method, path, { token: null, body: { fail: { count: 5, status: 503 } } });
      assert.equal(r.status, 404, path);
    }
    assert.equal((await bulk(server, 'create', [row('no-faults@example.com')])).status, 200);
  } finally {
    await server.close();
  }
});
