// Replays told apart (SPEC.md Submit): the reference server marks a replayed answer with
// Idempotent-Replayed: true, and the core records its rows as "already created by an earlier attempt" —
// a second tab importing the same file, and the CLI resending a finished run — in the counts, both
// downloads and the CLI's summary, so each run reports exactly what it created.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadCore, submitAll } from '../../dist/index.mjs';
import { DEMO_TOKEN, startTestServer } from '../../tools/server/testing.mjs';
import { runCli } from './support/cli.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-replay-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

let server;
let core;
before(async () => {
  server = await startTestServer({ faults: true });
  core = await loadCore();
});
after(() => server.close());

const csv = (prefix, n) => ['email,first_name,last_name', ...Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com,F${i},L${i}`)].join('\n') + '\n';

async function planned(text, mode = 'create') {
  const s = core.createSession();
  await s.load(new TextEncoder().encode(text));
  s.setMode(mode);
  s.setLookups({ state: 'loaded', roles: [], nodes: [], clients: [], applications: [] });
  s.validate();
  s.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
  return s;
}
const submit = (s) => submitAll(s, { apiBaseUrl: server.url, authHeader: () => `Bearer ${DEMO_TOKEN}`, timeoutMs: 5000 });
const rowsOf = (exported) => exported.slice(1).split('\r\n').filter(Boolean).map((l) => l.split(','));

test('the server marks a replayed answer, and only a replayed one', async () => {
  const body = JSON.stringify({ rows: [{ row: 2, email: 'hdr@example.com', first_name: 'H', last_name: 'R' }] });
  const send = () => fetch(`${server.url}/api/v1/portal/environments/env_dev/identities/bulk-create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEMO_TOKEN}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'replay-header-key' },
    body,
  });
  const first = await send();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const again = await send();
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(await again.json(), await first.json());
});

test('a second tab importing the same file: its rows are replays, counted and exported apart', async () => {
  const text = csv('tab', 250);
  // Both tabs planned the same file (same bodies, same keys) before either sent anything.
  const tab1 = await planned(text);
  const tab2 = await planned(text);
  const p1 = await submit(tab1);
  assert.deepEqual([p1.succeeded, p1.replayed], [250, 0]);
  const p2 = await submit(tab2);
  assert.deepEqual([p2.succeeded, p2.replayed, p2.failed], [0, 250, 0]);
  const r2 = tab2.results({ offset: 0, limit: 1 });
  assert.equal(r2.counts.replayed, 250);
  assert.equal(r2.counts.created, 0);
  const row = tab2.results({ offset: 0, limit: 1 }).rows[0];
  const firstId = tab1.results({ offset: 0, limit: 1 }).rows[0].id;
  assert.deepEqual({ outcome: row.outcome, id: row.id, code: row.code }, { outcome: 'replayed', id: firstId, code: 'replayed' });
  assert.equal(row.message, 'Already created by an earlier attempt: the server replayed its answer, so this import did not create it again.');
  const results = rowsOf(tab2.exportResults());
  assert.deepEqual(results[1].slice(0, 5), ['2', 'tab0@example.com', 'replayed', firstId, 'replayed']);
  assert.equal(rowsOf(tab2.exportFailedRows()).length, 1, 'failed-rows.csv: the header only; replayed rows exist');
  assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'tab%'").get().n, 250);
  tab1.dispose();
  tab2.dispose();
});

test("this run's own retry after a lost answer is not a replay of someone else's", async () => {
  server.faults.lostAfterCommit(1);
  const s = await planned(csv('lost', 3));
  const p = await submit(s);
  assert.equal(server.faults.stats().bulk.replayed >= 1, true);
  assert.deepEqual([p.succeeded, p.replayed], [3, 0]);
  s.dispose();
});

const run = (args, options) => runCli(BIN, args, options);

test('the CLI: a finished run sent again with --resume reports replays, not new rows', async () => {
  const file = join(tmp, 'cli.csv');
  writeFileSync(file, csv('cli', 5));
  const results = join(tmp, 'cli.results.csv');
  const args = ['submit', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev', '--quiet', '--results', results];
  const first = await run(args);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /\n {2}5 created, 0 failed on the server/);
  assert.doesNotMatch(first.out, /earlier attempt/);
  const again = await run([...args, '--resume']);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /\n {2}0 created, 0 failed on the server, 0 not sent \(row errors\), 0 unconfirmed, 0 cancelled\n {2}5 already created by an earlier attempt \(the server replayed its answers; not created again by this run\)\n/);
  const lines = readFileSync(results, 'utf8').split('\r\n');
  assert.match(lines[1], /^2,cli0@example\.com,replayed,idn_[0-9a-f]{24},replayed,"Already created by an earlier attempt: the server replayed its answer, so this import did not create it again\.",$/);
  assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'cli%'").get().n, 5);
});
