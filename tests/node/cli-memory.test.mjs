// canopy-import keeps memory flat as files grow: a 200,000-row file is submitted to the reference
// server (and previewed) in about the memory a 50,000-row file takes. Peak RSS is measured from outside
// (GNU time's maximum resident set size, or VmHWM polled from /proc) and printed in the test output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

import { DEMO_TOKEN, startTestServer } from '../../tools/server/testing.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-cli-memory-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const MiB = 1024 * 1024;
const GNU_TIME = existsSync('/usr/bin/time') && /GNU/.test(Object.values(spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' })).join(' '));

// Runs the CLI and returns its exit code, output and peak resident memory in bytes.
function measured(args) {
  const out = join(tmp, `time-${Math.random().toString(36).slice(2)}.txt`);
  const [cmd, argv] = GNU_TIME ? ['/usr/bin/time', ['-f', '%M', '-o', out, BIN, ...args]] : [BIN, args];
  const child = spawn(cmd, argv, { env: { ...process.env, CANOPY_TOKEN: DEMO_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let polled = 0;
  const poll = GNU_TIME
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled, Number(m[1]) * 1024);
        } catch {
          // exited
        }
      }, 10);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const peak = GNU_TIME ? Number(readFileSync(out, 'utf8').trim().split('\n').pop()) * 1024 : polled;
      resolve({ code, stdout, stderr, peak, method: GNU_TIME ? 'GNU time %M' : '/proc VmHWM' });
    });
  });
}

async function writeRows(path, n, prefix) {
  const ws = createWriteStream(path);
  // A notes column the mapping ignores makes both files bigger than the CLI's first read (10 MiB, the
  // wizard's window that encoding detection decides on), so both are streamed alike.
  ws.write('email,first_name,last_name,external_id,notes\n');
  const notes = 'n'.repeat(160);
  const step = 10000;
  for (let i = 0; i < n; i += step) {
    let chunk = '';
    for (let k = i; k < Math.min(n, i + step); k++) chunk += `${prefix}.${k}@example.org,First${k},Last${k},EXT-${prefix}-${k},${notes}\n`;
    if (!ws.write(chunk)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
}

const mb = (b) => `${(b / MiB).toFixed(1)} MiB`;

test('submit and preview of 50,000 vs 200,000 rows: peak memory flat and under 64 MiB', { timeout: 170_000 }, async (t) => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run tools/bootstrap.sh (or set CANOPY_IMPORT_BIN)`);
  const small = join(tmp, 'rows-50k.csv');
  const big = join(tmp, 'rows-200k.csv');
  await writeRows(small, 50_000, 'm50');
  await writeRows(big, 200_000, 'm200');

  const server = await startTestServer({ port: 0 });
  try {
    const submit = (file, name) =>
      measured(['submit', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev', '--results', join(tmp, `${name}.results.csv`), '--quiet']);
    const t0 = Date.now();
    const s50 = await submit(small, 's50');
    const t50 = Date.now() - t0;
    assert.equal(s50.code, 0, s50.stderr);
    const t1 = Date.now();
    const s200 = await submit(big, 's200');
    const t200 = Date.now() - t1;
    assert.equal(s200.code, 0, s200.stderr);
    assert.match(s200.stdout, /200,000 created/);
    const count = (p) => server.db.prepare('SELECT count(*) AS n, count(DISTINCT email) AS d FROM identities WHERE email LIKE ?').get(`${p}.%`);
    assert.deepEqual(count('m50'), { n: 50_000, d: 50_000 });
    assert.deepEqual(count('m200'), { n: 200_000, d: 200_000 });
    const lines = readFileSync(join(tmp, 's200.results.csv'), 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, 200_001);

    const p50 = await measured(['preview', small, '--mode', 'create', '--format', 'json']);
    const p200 = await measured(['preview', big, '--mode', 'create', '--format', 'json']);
    assert.equal(JSON.parse(p200.stdout).stats.valid, 200_000);

    const report = [
      `peak memory (${s200.method}):`,
      `submit  50,000 rows: ${mb(s50.peak)} in ${(t50 / 1000).toFixed(1)} s`,
      `submit 200,000 rows: ${mb(s200.peak)} in ${(t200 / 1000).toFixed(1)} s (${Math.round(200_000 / (t200 / 1000))} rows/s, server-bound)`,
      `preview  50,000 rows: ${mb(p50.peak)}`,
      `preview 200,000 rows: ${mb(p200.peak)}`,
    ];
    for (const l of report) t.diagnostic(l);
    console.log(`# ${report.join('\n# ')}`);

    for (const [a, b, what] of [[s50, s200, 'submit'], [p50, p200, 'preview']]) {
      assert.ok(b.peak > 0 && a.peak > 0, `${what}: measured`);
      assert.ok(b.peak < 64 * MiB, `${what} of 200,000 rows peaked at ${mb(b.peak)}`);
      // 150,000 more rows may only grow the duplicate index (a 12-byte slot per email and per
      // external_id, plus slack and the copy while it grows): well under 100 bytes a row. Keeping the
      // rows themselves (text, cells, checks, outcomes) would cost several hundred bytes a row.
      const perRow = (b.peak - a.peak) / 150_000;
      t.diagnostic(`${what}: ${perRow.toFixed(0)} bytes more per added row`);
      assert.ok(perRow < 100, `${what}: ${mb(a.peak)} for 50,000 rows, ${mb(b.peak)} for 200,000 (${perRow.toFixed(0)} B/row)`);
    }
  } finally {
    await server.close();
  }
});

// A header, one stray quote, then `x,` lines: the quote used to swallow the file (334 MB of memory for
// 0.75 MB, 3.9 GB for 9 MB) and every following line printed its own issues (gigabytes of output).
async function writeStrayQuote(path, bytes) {
  const ws = createWriteStream(path);
  ws.write('email,first_name\na@example.com,"\n');
  const block = 'x,\n'.repeat(100_000);
  let written = 0;
  while (written < bytes) {
    if (!ws.write(block)) await once(ws, 'drain');
    written += block.length;
  }
  ws.end();
  await once(ws, 'finish');
  return 1 + written / 3; // data rows
}

test('a stray quote in a 10 MB file: one unterminated row, flat memory, output capped', { timeout: 300_000 }, async (t) => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run tools/bootstrap.sh (or set CANOPY_IMPORT_BIN)`);
  const file = join(tmp, 'stray-10mb.csv');
  const rows = await writeStrayQuote(file, 10 * MiB);
  const json = await measured(['preview', file, '--mode', 'invite', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const d = JSON.parse(json.stdout);
  assert.equal(d.summary.rows, rows);
  assert.equal(d.issue_counts.unterminated_quote, 1);
  assert.equal(d.issue_counts.email_invalid, rows - 1);
  assert.equal(d.rows.length, 1000); // the default --limit
  assert.equal(d.rows_omitted, rows - 1000);
  assert.equal(d.rows[0].row, 2);
  assert.equal(d.rows[0].issues[0].code, 'unterminated_quote');
  assert.equal(d.rows[1].row, 3); // the line after the stray quote is a row of its own
  const text = await measured(['validate', file, '--mode', 'invite']);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /Issue counts: [\d,]+ name_missing, [\d,]+ email_invalid, 1 unterminated_quote/);
  t.diagnostic(`stray quote, 10 MB: json ${mb(json.peak)} (${json.stdout.length} bytes out), text ${mb(text.peak)}`);
  assert.ok(json.peak < 64 * MiB, `peaked at ${mb(json.peak)}`);
  assert.ok(text.peak < 64 * MiB, `peaked at ${mb(text.peak)}`);
  assert.ok(json.stdout.length < 1 * MiB, `${json.stdout.length} bytes of JSON`);
});

test('1,000,000 rows with errors: flat memory, counts cover every row, the listing is capped', { timeout: 300_000 }, async (t) => {
  const file = join(tmp, 'errors-1m.csv');
  const ws = createWriteStream(file);
  ws.write('email,first_name,last_name\n');
  for (let i = 0; i < 1_000_000; i += 10_000) {
    let chunk = '';
    for (let k = i; k < i + 10_000; k++) chunk += `person${k}.example.org,F${k},L${k}\n`;
    if (!ws.write(chunk)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  const r = await measured(['preview', file, '--mode', 'invite', '--format', 'json', '--limit', '10']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual(d.issue_counts, { email_invalid: 1_000_000 });
  assert.equal(d.rows.length, 10);
  assert.equal(d.rows_omitted, 999_990);
  assert.equal(d.stats.errors, 1_000_000);
  t.diagnostic(`1,000,000 error rows: ${mb(r.peak)}`);
  assert.ok(r.peak < 64 * MiB, `peaked at ${mb(r.peak)}`);
});
