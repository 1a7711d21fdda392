// Nothing lost, nothing doubled: the wasm core's submit state machine against the real reference
// server with its SQLite store, faults injected. The driver is the package's own submitAll().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { loadCore, submitAll } from '../../dist/index.mjs';
import { startServer } from '../../tools/server/server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const core = await loadCore();
const TOKEN = 'Bearer demo-token';

async function withServer(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-submit-'));
  const server = await startServer({ port: 0, dbPath: join(dir, 'db.sqlite'), faults: true, quiet: true });
  try {
    return await fn(server);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lookups(url) {
  const get = async (path) => (await (await fetch(`${url}${path}`, { headers: { Authorization: TOKEN } })).json()).items;
  return {
    state: 'loaded',
    roles: (await get('/api/v1/environments/env_dev/roles')).map((r) => r.id),
    nodes: (await get('/api/v1/environments/env_dev/nodes')).map((r) => r.id),
    clients: (await get('/api/v1/environments/env_dev/oauth-clients')).map((r) => r.client_id),
    applications: (await get('/api/v1/applications')).map((r) => r.id),
  };
}

function people(n, prefix = 'p') {
  const lines = ['Email,First Name,Last Name,External ID'];
  for (let i = 0; i < n; i++) lines.push(`${prefix}${i}@example.org,Given${i},Family${i},EXT-${prefix}-${i}`);
  return lines.join('\r\n') + '\r\n';
}

async function prepare(server, csv, mode = 'create') {
  const s = core.createSession();
  await s.load(new TextEncoder().encode(csv));
  s.setMode(mode);
  s.setLookups(await lookups(server.url));
  const stats = s.validate();
  assert.equal(stats.errors, 0);
  s.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
  return s;
}

const run = (server, s, extra = {}) => submitAll(s, { apiBaseUrl: server.url, authHeader: async () => TOKEN, timeoutMs: 5000, ...extra });

function countByEmail(db, like) {
  const rows = db.prepare("SELECT lower(email) AS e, count(*) AS n FROM identities WHERE email LIKE ? GROUP BY lower(email)").all(like);
  return new Map(rows.map((r) => [r.e, r.n]));
}

test('every sample validates with zero errors against the seeded lookups, and samples/ is current', async () => {
  for (const mode of ['invite', 'create', 'account']) {
    // A fresh server each: the samples share emails, and an invite would conflict with a create.
    await withServer(async (server) => {
      const lk = await lookups(server.url);
      const csv = core.sampleCsv(mode);
      assert.equal(readFileSync(`${root}samples/${mode}-sample.csv`, 'utf8'), csv, `samples/${mode}-sample.csv is stale`);
      const s = core.createSession();
      const summary = await s.load(new TextEncoder().encode(csv));
      assert.ok(summary.commentLines >= 3);
      const mapping = s.setMode(mode);
      assert.deepEqual(mapping.missing, []);
      assert.ok(mapping.columns.every((c) => c.status === 'matched'), 'every sample column maps by itself');
      s.setLookups(lk);
      const st = s.validate();
      assert.equal(st.errors, 0, JSON.stringify(s.rows({ filter: 'errors' }).rows.map((r) => r.issues)));
      // And the server accepts them.
      s.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
      const p = await run(server, s);
      assert.equal(p.succeeded, summary.rows, JSON.stringify(s.results({ limit: 10 }).rows));
      s.dispose();
    });
  }
});

test('regression: Retry-After 99999999 made submitAll spin (the timer overflowed to 1 ms): unconfirmed at once, then retried', async () => {
  await withServer(async (server) => {
    const s = await prepare(server, people(250, 'ra'));
    server.faults.failNext(1, 429, { retryAfter: '99999999' });
    let calls = 0;
    const t0 = Date.now();
    const p = await run(server, s, { onProgress: () => { calls += 1; } });
    assert.ok(Date.now() - t0 < 10000, 'no spin, no long wait');
    assert.ok(calls <= 4, `${calls} progress calls`);
    assert.equal(p.unconfirmed, 200);
    assert.equal(p.succeeded, 50);
    const first = s.results({ limit: 1 }).rows[0];
    assert.equal(first.code, 'retry_after_too_long');
    assert.match(first.message, /^The server answered HTTP 429 and asked to wait 99,999,999 seconds before the next attempt, longer than the 5 minutes/);
    assert.equal(server.faults.stats().bulk.failed, 1, 'the batch was sent once');
    s.retryUnconfirmed();
    const again = await run(server, s);
    assert.equal(again.succeeded, 250);
    assert.equal(countByEmail(server.db, 'ra%@example.org').size, 250);
    s.dispose();
  });
});

test('1,000 rows with faults on about a third of requests, lost responses included: each row exactly once', async () => {
  await withServer(async (server) => {
    const s = await prepare(server, people(1000));
    // Five batches: make sure each kind of fault happens at least once, then about a third at random.
    server.faults.lostAfterCommit(1);
    server.faults.failNext(1, 503, { retryAfter: '0' });
    server.faults.random({ rate: 0.34, seed: 42, kinds: ['503', '429', '502', 'lost'], retryAfter: '0' });
    // Short backoff keeps the test quick; the schedule itself is unit-tested in C++.
    const p = await run(server, s);
    server.faults.random(null);
    assert.equal(p.rowsTotal, 1000);
    const results = s.results({ limit: 1000 });
    assert.equal(results.counts.created + results.counts.unconfirmed, 1000);
    if (results.counts.unconfirmed) {
      s.retryUnconfirmed();
      await run(server, s);
    }
    const after = s.results({ limit: 1000 });
    assert.equal(after.counts.created, 1000, JSON.stringify(after.counts));
    const counts = countByEmail(server.db, 'p%@example.org');
    assert.equal(counts.size, 1000);
    assert.ok([...counts.values()].every((n) => n === 1), 'no row created twice');
    const stats = server.faults.stats();
    assert.ok(stats.bulk.lost > 0 && stats.bulk.failed > 0, `faults really happened: ${JSON.stringify(stats.bulk)}`);
    // Every row's outcome is in the results, with its identity id.
    assert.ok(after.rows.every((r) => r.outcome === 'created' && r.id.startsWith('idn_')));
    s.dispose();
  });
});

test('a cancelled import leaves exactly the completed batches in the database and the rest skipped', async () => {
  await withServer(async (server) => {
    const s = await prepare(server, people(1000, 'c'));
    server.faults.setLatency(150);
    const controller = new AbortController();
    let seen = 0;
    const p = await run(server, s, {
      signal: controller.signal,
      onProgress: (pr) => { seen = pr.batchesDone; if (pr.batchesDone === 2) controller.abort(); },
    });
    assert.ok(seen >= 2);
    assert.equal(p.isCancelled, true);
    const res = s.results({ limit: 1000 });
    const created = res.counts.created;
    assert.ok(created % 200 === 0 && created >= 400 && created < 1000, `created ${created}`);
    assert.equal(res.counts.cancelled, 1000 - created);
    const inDb = countByEmail(server.db, 'c%@example.org');
    assert.equal(inDb.size, created);
    assert.ok(res.rows.filter((r) => r.outcome === 'cancelled').every((r) => !inDb.has(r.email)));
    // failed-rows.csv holds exactly the cancelled rows, with their original headers plus import_error.
    const failedCsv = s.exportFailedRows();
    assert.ok(failedCsv.startsWith('\uFEFF'), 'UTF-8 BOM kept');
    assert.ok(failedCsv.includes('\r\n'));
    const failed = Papa.parse(failedCsv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    assert.deepEqual(failed[0], ['Email', 'First Name', 'Last Name', 'External ID', 'import_error']);
    assert.equal(failed.length - 1, 1000 - created);
    s.dispose();
  });
});

test('submitting the same file twice (reload, second tab) creates nothing the second time', async () => {
  await withServer(async (server) => {
    const csv = people(450, 'twice');
    const first = await prepare(server, csv);
    await run(server, first);
    assert.equal(first.results({ limit: 1 }).counts.created, 450);
    const second = await prepare(server, csv);  // a fresh session: same file, same keys
    await run(server, second);
    // Replayed answers: already created by the first run, told apart (SPEC.md Submit), not created again.
    assert.equal(second.results({ limit: 1 }).counts.created, 0);
    assert.equal(second.results({ limit: 1 }).counts.replayed, 450);
    const counts = countByEmail(server.db, 'twice%@example.org');
    assert.equal(counts.size, 450);
    assert.ok([...counts.values()].every((n) => n === 1));
    assert.ok(server.faults.stats().bulk.replayed >= 3);
    first.dispose();
    second.dispose();
  });
});

test('per-row partial success: conflicts come back as row errors, the rest is created', async () => {
  await withServer(async (server) => {
    const a = await prepare(server, people(5, 'dup'));
    await run(server, a);
    const csv = 'email,first_name,last_name\r\nDUP0@example.org,X,Y\r\nnew1@example.org,N,M\r\n';
    const b = await prepare(server, csv);
    await run(server, b);
    const res = b.results({ limit: 10 });
    assert.equal(res.rows[0].outcome, 'failed');
    assert.equal(res.rows[0].code, 'email_conflict');
    assert.equal(res.rows[1].outcome, 'created');
    const out = Papa.parse(b.exportResults().replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    assert.deepEqual(out[0], ['row', 'email', 'outcome', 'id', 'code', 'message', 'accept_link']);
    assert.equal(out[1][4], 'email_conflict');
    a.dispose();
    b.dispose();
  });
});
