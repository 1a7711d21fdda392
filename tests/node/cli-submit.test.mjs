// canopy-import submit against the reference server (its own server and temp SQLite DB per test):
// rows land exactly once whatever the network does, results and failed-rows files as in the wizard,
// and a run killed mid-import finishes with --resume without creating anything twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { DEMO_TOKEN, startTestServer } from '../../tools/server/testing.mjs';
import { ENVIRONMENTS } from '../../tools/server/seed.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-cli-submit-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const dev = ENVIRONMENTS.find((e) => e.id === 'env_dev');

// The server runs in this process, so the CLI must run asynchronously.
function start(args, { env = {}, token = DEMO_TOKEN } = {}) {
  const child = spawn(BIN, args, { env: { ...process.env, CANOPY_TOKEN: token, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
  return { child, done };
}
const run = (args, opts) => start(args, opts).done;

async function withServer(fn) {
  const server = await startTestServer({ port: 0, faults: true });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

let fileNo = 0;
function csvFile(lines) {
  const f = join(tmp, `in-${++fileNo}.csv`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
const people = (n, prefix, extra = () => '') => [
  'email,first_name,last_name' + (extra(-1) ? `,${extra(-1)}` : ''),
  ...Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org,F${i},L${i}` + (extra(-1) ? `,${extra(i)}` : '')),
];

// results.csv as rows of objects (BOM, CRLF, header checked).
function readResults(path) {
  const text = readFileSync(path, 'utf8');
  assert.ok(text.startsWith('\ufeffrow,email,outcome,id,code,message,accept_link\r\n'), text.slice(0, 80));
  assert.ok(!/[^\r]\n/.test(text), 'CRLF line ends');
  const lines = text.slice(1).trimEnd().split('\r\n').slice(1);
  return lines.map((l) => {
    const [row, email, outcome, id, code] = l.split(',');
    return { row: Number(row), email, outcome, id, code, line: l };
  });
}

const submitArgs = (file, results, mode = 'create', more = []) => [
  'submit', file, '--mode', mode, '--api', '', ...(mode === 'account' ? [] : ['--environment', 'env_dev']), '--results', results, ...more,
];
const withApi = (args, server) => args.map((a, i) => (args[i - 1] === '--api' ? server.url : a));

test('happy path: every row created once, ids in results.csv are the rows in the DB', async () => {
  await withServer(async (server) => {
    const [admin] = dev.roles;
    const [hq] = dev.nodes;
    const lines = people(450, 'hp', (i) => (i < 0 ? 'password,role_id,node_id,external_id' : `${i < 2 ? 'Secret-pass-' + i : ''},${i % 7 === 0 ? admin.id : ''},${i % 7 === 0 ? hq.id : ''},X${i}`));
    const file = csvFile(lines);
    const results = join(tmp, 'hp.results.csv');
    const r = await run(withApi(submitArgs(file, results), server));
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /450 created, 0 failed on the server, 0 not sent/);
    assert.ok(!(r.out + r.err).includes(DEMO_TOKEN), 'the token is never printed');

    const db = server.db;
    const rows = db.prepare("SELECT id, email, password_hash, external_id FROM identities WHERE environment_id = 'env_dev' AND email LIKE 'hp%'").all();
    assert.equal(rows.length, 450);
    assert.equal(new Set(rows.map((x) => x.email)).size, 450);
    assert.equal(rows.filter((x) => x.password_hash).length, 2);
    assert.equal(db.prepare('SELECT count(*) AS n FROM role_assignments').get().n, Math.ceil(450 / 7));
    const res = readResults(results);
    assert.equal(res.length, 450);
    const byEmail = new Map(rows.map((x) => [x.email, x.id]));
    for (const [i, x] of res.entries()) {
      assert.equal(x.row, i + 2);
      assert.equal(x.outcome, 'created');
      assert.equal(x.id, byEmail.get(x.email));
    }
    assert.ok(!readFileSync(results, 'utf8').includes('Secret-pass'), 'no password in the results');
    // Nothing failed: the header only, after the comment naming the column left out (passwords).
    assert.equal(readFileSync(join(tmp, 'hp.failed-rows.csv'), 'utf8'),
      '\ufeff# Left out of this file because they hold passwords (add them back before importing it again): password\r\n' +
      'email,first_name,last_name,role_id,node_id,external_id,import_error\r\n');
    assert.ok(!existsSync(`${results}.state`), 'a complete run leaves no state file');
    assert.equal(server.faults.stats().bulk.processed, 3, 'batches of 200');
  });
});

test('invite and account modes; a plain-line progress when stderr is not a terminal', async () => {
  await withServer(async (server) => {
    const inv = csvFile(['email,send_email', 'a@example.org,false', 'b@example.org,yes']);
    const r1 = await run(withApi(submitArgs(inv, join(tmp, 'inv.csv'), 'invite'), server));
    assert.equal(r1.code, 0, r1.err);
    assert.match(r1.out, /2 invited/);
    assert.match(r1.err, /^canopy-import: 2 rows \(100%\): 2 created or invited/m);
    assert.ok(!r1.err.includes('\r'), 'no bar redraws in a pipe');
    const invites = server.db.prepare('SELECT email, send_email FROM invites ORDER BY email').all();
    assert.deepEqual(invites, [{ email: 'a@example.org', send_email: 0 }, { email: 'b@example.org', send_email: 1 }]);
    assert.deepEqual(readResults(join(tmp, 'inv.csv')).map((x) => x.outcome), ['invited', 'invited']);

    const acc = csvFile(people(3, 'acc'));
    const r2 = await run(withApi(submitArgs(acc, join(tmp, 'acc.csv'), 'account'), server));
    assert.equal(r2.code, 0, r2.err);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE environment_id IS NULL AND email LIKE 'acc%'").get().n, 3);
  });
});

test('rows with errors are not sent; server row errors fail their rows; exit 1 and a failed-rows file to re-import', async () => {
  await withServer(async (server) => {
    const first = csvFile(['email,first_name,last_name', 'taken@example.org,T,T']);
    assert.equal((await run(withApi(submitArgs(first, join(tmp, 'taken.csv')), server))).code, 0);
    // taken@ is caught by the directory check before sending (email_exists); the unknown role only by the
    // server (no --lookups: the CLI knows its format, not whether it exists).
    const unknownRole = '00000000-0000-4000-8000-000000000001,00000000-0000-4000-8000-000000000002';
    const file = csvFile(['email,first_name,last_name,role_id,node_id,Notes', 'ok@example.org,O,K,,,fine', 'bad-email,B,E,,,x',
      'taken@example.org,T,T,,,again', 'ok@example.org,Dup,Dup,,,dup', `role@example.org,R,R,${unknownRole},role`]);
    const results = join(tmp, 'mixed.csv');
    const failed = join(tmp, 'mixed-failed.csv');
    const r = await run(withApi(submitArgs(file, results, 'create', ['--failed', failed]), server));
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /1 created, 1 failed on the server, 3 not sent \(row errors\)/);
    assert.deepEqual(readResults(results).map((x) => [x.row, x.outcome, x.code]), [
      [2, 'created', ''], [3, 'failed', 'invalid_row'], [4, 'failed', 'invalid_row'], [5, 'failed', 'invalid_row'], [6, 'failed', 'unknown_role'],
    ]);
    const f = readFileSync(failed, 'utf8').split('\r\n');
    assert.equal(f[0], '\ufeffemail,first_name,last_name,role_id,node_id,Notes,import_error');
    assert.match(f[1], /^bad-email,B,E,,,x,"?invalid_row: /);
    assert.match(f[2], /^taken@example.org,T,T,,,again,"?invalid_row: .*taken@example\.org already has an identity \(idn_[0-9a-f]{24}, created /);
    assert.match(f[3], /^ok@example.org,Dup,Dup,,,dup,"?invalid_row: .*already appears on line 2/);
    assert.match(f[4], /^role@example.org,R,R,00000000-0000-4000-8000-000000000001,00000000-0000-4000-8000-000000000002,role,unknown_role: /);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email = 'ok@example.org'").get().n, 1);
  });
});

test('regression: Retry-After 99999999 would have put the CLI to sleep for three years: the batch is unconfirmed at once', async () => {
  await withServer(async (server) => {
    server.faults.failNext(1, 503, { retryAfter: '99999999' });
    const file = csvFile(people(250, 'ra'));
    const results = join(tmp, 'ra.results.csv');
    const t0 = Date.now();
    const r = await run(withApi(submitArgs(file, results), server));
    assert.ok(Date.now() - t0 < 20000, 'no long sleep');
    assert.equal(r.code, 3, r.err);  // rows unconfirmed
    assert.match(r.err, /200 rows are unconfirmed/);
    const rows = readResults(results);
    // The first batch (200 rows) is unconfirmed with the reason, the second one went through.
    assert.deepEqual([...new Set(rows.slice(0, 200).map((x) => `${x.outcome}:${x.code}`))], ['unconfirmed:retry_after_too_long']);
    assert.deepEqual([...new Set(rows.slice(200).map((x) => x.outcome))], ['created']);
    assert.match(rows[0].line, /asked to wait 99,999,999 seconds before the next attempt, longer than the 5 minutes this importer waits/);
    assert.equal(server.faults.stats().bulk.failed, 1, 'sent once, not retried');
  });
});

test('503 twice (Retry-After 1) then success: waits, retries with the same key, creates each row once', async () => {
  await withServer(async (server) => {
    server.faults.failNext(2, 503, { retryAfter: '1' });
    const file = csvFile(people(300, 'f503'));
    const t0 = Date.now();
    const r = await run(withApi(submitArgs(file, join(tmp, 'f503.csv')), server));
    assert.equal(r.code, 0, r.err);
    assert.ok(Date.now() - t0 >= 2000, 'never sooner than Retry-After');
    assert.match(r.err, /batch 1: server busy \(503\); retrying in [12]\.\d s \(attempt 2 of 6\)/);
    const s = server.faults.stats().bulk;
    assert.equal(s.failed, 2);
    assert.equal(s.processed, 2);
    const keys = s && server.faults.stats().events.filter((e) => e.path.endsWith('bulk-create')).map((e) => e.key);
    assert.equal(keys[0], keys[1]);
    assert.equal(keys[1], keys[2], 'the retries carry the same Idempotency-Key');
    assert.equal(server.db.prepare("SELECT count(*) AS n, count(DISTINCT email) AS d FROM identities WHERE email LIKE 'f503%'").get().n, 300);
  });
});

test('answers lost after commit and a seeded random mix of faults: each row exactly once, results complete', async () => {
  await withServer(async (server) => {
    server.faults.lostAfterCommit(2);
    const file = csvFile(people(1000, 'lost'));
    const results = join(tmp, 'lost.csv');
    const r = await run(withApi(submitArgs(file, results), server));
    assert.equal(r.code, 0, r.err);
    const s = server.faults.stats().bulk;
    assert.equal(s.lost, 2);
    assert.ok(s.replayed >= 2, `replayed ${s.replayed}`);
    const q = server.db.prepare("SELECT count(*) AS n, count(DISTINCT email) AS d FROM identities WHERE email LIKE 'lost%'").get();
    assert.deepEqual(q, { n: 1000, d: 1000 });
    const ids = new Map(server.db.prepare("SELECT email, id FROM identities WHERE email LIKE 'lost%'").all().map((x) => [x.email, x.id]));
    const res = readResults(results);
    assert.equal(res.length, 1000);
    assert.ok(res.every((x) => x.outcome === 'created' && x.id === ids.get(x.email)), 'replayed answers carry the first ids');

    server.faults.reset();
    server.faults.random({ rate: 0.4, seed: 7, kinds: ['503', '429', '500', '502', 'lost'], retryAfter: '0' });
    const file2 = csvFile(people(1200, 'rnd'));
    const r2 = await run(withApi(submitArgs(file2, join(tmp, 'rnd.csv')), server));
    assert.equal(r2.code, 0, r2.err);
    const s2 = server.faults.stats().bulk;
    assert.ok(s2.failed + s2.lost > 0, JSON.stringify(s2));
    assert.deepEqual(server.db.prepare("SELECT count(*) AS n, count(DISTINCT email) AS d FROM identities WHERE email LIKE 'rnd%'").get(), { n: 1200, d: 1200 });
    assert.ok(readResults(join(tmp, 'rnd.csv')).every((x) => x.outcome === 'created'));
  });
});

test('a server that keeps failing: rows unconfirmed, exit 3, and --resume finishes them later', async () => {
  await withServer(async (server) => {
    server.faults.failNext(6, 502);
    const file = csvFile(people(250, 'unc'));
    const results = join(tmp, 'unc.csv');
    const r = await run(withApi(submitArgs(file, results), server));
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /200 rows are unconfirmed.*--resume/);
    assert.deepEqual(readResults(results).map((x) => x.outcome), [...Array(200).fill('unconfirmed'), ...Array(50).fill('created')]);
    assert.ok(existsSync(`${results}.state`));
    const again = await run(withApi(submitArgs(file, results), server));
    assert.equal(again.code, 2);
    assert.match(again.err, /did not finish .*Add --resume/);
    const resumed = await run(withApi(submitArgs(file, results, 'create', ['--resume']), server));
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /1 batches were answered in an earlier run|1 batch/);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'unc%'").get().n, 250);
    assert.ok(readResults(results).every((x) => x.outcome === 'created'));
    assert.ok(!existsSync(`${results}.state`));
  });
});

test('killed mid-import (SIGKILL), then --resume: each row exactly once and results.csv complete', async () => {
  await withServer(async (server) => {
    server.faults.setLatency(120);
    const n = 3000; // 15 batches
    const file = csvFile(people(n, 'kill'));
    const results = join(tmp, 'kill.csv');
    const first = start(withApi(submitArgs(file, results), server));
    while (server.faults.stats().bulk.processed < 4) await sleep(20);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    const before = server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'kill%'").get().n;
    assert.ok(before >= 800 && before < n, `${before} rows before the kill`);
    assert.ok(!existsSync(results), 'no complete-looking results file from a killed run');
    const recorded = readFileSync(`${results}.state`, 'utf8').trimEnd().split('\n').length - 1;
    assert.ok(recorded >= 3, `${recorded} batches in the state file`);

    const receivedBefore = server.faults.stats().bulk.received;
    server.faults.setLatency(0);
    const r = await run(withApi(submitArgs(file, results, 'create', ['--resume']), server));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`resuming: ${recorded} batches already answered`));
    const sent = server.faults.stats().bulk.received - receivedBefore;
    // The rest, plus at most one 409 retry: the batch in flight at the kill may still hold its key.
    assert.ok(sent <= 15 - recorded + 1, `${sent} batches sent on resume, ${recorded} taken from the state file`);
    assert.ok(server.faults.stats().bulk.replayed <= 1, 'at most the batch in flight at the kill is replayed');
    assert.deepEqual(server.db.prepare("SELECT count(*) AS n, count(DISTINCT email) AS d FROM identities WHERE email LIKE 'kill%'").get(), { n, d: n });
    const ids = new Map(server.db.prepare("SELECT email, id FROM identities WHERE email LIKE 'kill%'").all().map((x) => [x.email, x.id]));
    const res = readResults(results);
    assert.equal(res.length, n);
    // The batch the killed run had committed but not recorded comes back replayed: the killed run's rows.
    assert.ok(res.every((x, i) => x.row === i + 2 && (x.outcome === 'created' || x.outcome === 'replayed') && x.id === ids.get(x.email)));
    const replayedRows = res.filter((x) => x.outcome === 'replayed').length;
    assert.equal(replayedRows, 200 * server.faults.stats().bulk.replayed, 'replayed rows are those of the replayed batch');
    assert.ok(!existsSync(`${results}.state`));
  });
});

test('Ctrl-C: the batch in flight finishes, the rest is cancelled (exit 130), --resume sends the rest', async () => {
  await withServer(async (server) => {
    server.faults.setLatency(150);
    const file = csvFile(people(2000, 'int'));
    const results = join(tmp, 'int.csv');
    const first = start(withApi(submitArgs(file, results), server));
    while (server.faults.stats().bulk.processed < 2) await sleep(20);
    first.child.kill('SIGINT');
    const r = await first.done;
    assert.equal(r.code, 130, r.err);
    assert.match(r.err, /Interrupted\. Run the same command with --resume/);
    const res = readResults(results);
    assert.equal(res.length, 2000, 'every row is in the results');
    const created = res.filter((x) => x.outcome === 'created').length;
    assert.equal(created, server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'int%'").get().n);
    assert.equal(res.filter((x) => x.outcome === 'cancelled').length, 2000 - created);
    assert.ok(created >= 400 && created < 2000, `${created}`);
    server.faults.setLatency(0);
    const r2 = await run(withApi(submitArgs(file, results, 'create', ['--resume']), server));
    assert.equal(r2.code, 0, r2.err);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'int%'").get().n, 2000);
  });
});

test('a file problem found far into a big file: what was read is sent and recorded, exit 2, --resume after the fix', async () => {
  await withServer(async (server) => {
    const pad = 'x'.repeat(200);
    // Past the first 10 MiB (the wizard's window, which the encoding is decided on): a byte there that
    // is not UTF-8 is a file problem found while streaming.
    const lines = ['email,first_name,last_name,Notes', ...Array.from({ length: 50000 }, (_, i) => `far${i}@example.org,F,L,${pad}`)];
    const text = lines.join('\n') + '\n';
    assert.ok(text.length > 10.5 * 1024 * 1024, 'past the first 10 MiB read');
    const file = join(tmp, 'far.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from('farlast@example.org,K\xe4the,L,y\n', 'latin1')]));
    const results = join(tmp, 'far.results.csv');
    const r = await run(withApi(submitArgs(file, results), server));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /not valid UTF-8: the bytes at offset \d+ .*--encoding.*--resume/);
    assert.ok(!existsSync(results) && existsSync(`${results}.partial`), 'an incomplete results file keeps its .partial name');
    const sent = server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'far%'").get().n;
    assert.ok(sent >= 10000 && sent < 50001, `${sent}`);
    const again = await run(withApi(submitArgs(file, results, 'create', ['--resume', '--encoding', 'windows-1252']), server));
    assert.equal(again.code, 0, again.err);
    assert.equal(server.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'far%'").get().n, 50001);
    assert.equal(server.faults.stats().bulk.replayed, 0, 'batches answered before the stop came from the state file');
    assert.equal(readResults(results).length, 50001);
  });
});

test('bad token, unknown environment, missing options: one line, nothing sent, token never shown', async () => {
  await withServer(async (server) => {
    const file = csvFile(people(5, 'tok'));
    const bad = await run(withApi(submitArgs(file, join(tmp, 'tok.csv')), server), { token: 'not-the-token-123' });
    assert.equal(bad.code, 3);
    assert.match(bad.err, /refused the token in \$CANOPY_TOKEN \(HTTP 401\)/);
    assert.ok(!(bad.err + bad.out).includes('not-the-token-123'));
    const other = await run(withApi(submitArgs(file, join(tmp, 'tok.csv'), 'create', ['--token-env', 'MY_TOKEN']), server), {
      env: { MY_TOKEN: DEMO_TOKEN }, token: '',
    });
    assert.equal(other.code, 0, other.err);
    const unset = await run(withApi(submitArgs(file, join(tmp, 'tok2.csv'), 'create', ['--token-env', 'NOPE_TOKEN']), server));
    assert.equal(unset.code, 2);
    assert.match(unset.err, /Set the environment variable NOPE_TOKEN/);
    const env = await run(['submit', file, '--mode', 'create', '--api', server.url, '--environment', 'env_nowhere', '--results', join(tmp, 'e.csv')]);
    assert.equal(env.code, 2);
    assert.match(env.err, /no environment "env_nowhere"/);
    const noEnv = await run(['submit', file, '--mode', 'invite', '--api', server.url]);
    assert.equal(noEnv.code, 2);
    assert.match(noEnv.err, /--environment ID/);
    const down = await run(['submit', file, '--mode', 'account', '--api', 'http://127.0.0.1:9', '--results', join(tmp, 'd.csv')]);
    assert.equal(down.code, 3);
    assert.match(down.err, /Cannot reach the API at http:\/\/127\.0\.0\.1:9/);
    const unmapped = csvFile(['Login,Called,Clan', 'x@example.org,X,Y']);
    const um = await run(withApi(submitArgs(unmapped, join(tmp, 'um.csv')), server));
    assert.equal(um.code, 2);
    assert.match(um.err, /No column is mapped to email, first_name, last_name.*nothing was sent/);
    for (const x of [bad, env, noEnv, down, um]) assert.equal(x.err.trimEnd().split('\n').length, 1, x.err);
    assert.equal(server.faults.stats().bulk.received, 1, 'only the run with a good token sent anything');
  });
});

test('--lookups-from-api checks ids before sending; --mapping applies a saved mapping', async () => {
  await withServer(async (server) => {
    const [admin] = dev.roles;
    const [hq] = dev.nodes;
    const file = csvFile([
      'Login,Called,Clan,Role,Node',
      `good@example.org,G,O,${admin.id},${hq.id}`,
      `bad@example.org,B,A,00000000-0000-4000-8000-000000000000,${hq.id}`,
    ]);
    const mapping = join(tmp, 'map.json');
    writeFileSync(mapping, JSON.stringify({ mode: 'create', columns: { Login: 'email', Called: 'first_name', Clan: 'last_name', Role: 'role_id', Node: 'node_id' } }));
    const results = join(tmp, 'lk.csv');
    const r = await run(withApi(submitArgs(file, results, 'create', ['--mapping', mapping, '--lookups-from-api']), server));
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /mapping: Login -> email, Called -> first_name/);
    assert.deepEqual(readResults(results).map((x) => [x.email, x.outcome, x.code]), [
      ['good@example.org', 'created', ''], ['bad@example.org', 'failed', 'invalid_row'],
    ]);
    assert.match(readFileSync(results, 'utf8'), /Role 00000000-0000-4000-8000-000000000000 does not exist/);
    assert.equal(server.db.prepare('SELECT count(*) AS n FROM role_assignments').get().n, 1);
  });
});
