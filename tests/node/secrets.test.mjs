// No secret in any message or sample (issue 17.3): a file whose password-like columns hold marker
// passwords, some in broken quotes, goes through every output path: what the worker (web/core/worker.js)
// posts for each call — load()'s summary, its issues and preview, the mapping samples, rows() and their
// issues, results, both exports — and the CLI's preview/validate/mapping output, as text and JSON.
// The only place a password may go is the request body, and only the mapped columns'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-secrets-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// One marker per column, so a leak names its column. "password" is mapped in create mode; the others
// are headed like passwords (by pattern, not one of them an alias) and stay on Ignore.
const COLUMNS = {
  password: 'MkPw7731-mapped',
  'Password 2': 'MkPw7731-two',
  'User Password': 'MkPw7731-user',
  'Initial PW': 'MkPw7731-initial',
  'Passwort (neu)': 'MkPw7731-neu',
  pass: 'MkPw7731-pass',
  'パスワード': 'MkPw7731-ja',
};
const MARKER = /MkPw7731/;
const headers = ['email', 'first_name', 'last_name', ...Object.keys(COLUMNS), 'Notes'];
const secrets = Object.values(COLUMNS);
// Row 1: every secret in a broken quote (text after the closing quote: malformed_quotes quotes the
// cell), and the plain Notes column too, whose text must still be shown. Rows 2-3: plain cells; row 3
// has a bad email, so it is blocked and lands in failed-rows.csv with its message.
const csv = [
  headers.join(','),
  ['ada@example.com', 'Ada', 'Lovelace', ...secrets.map((s) => `"${s}"x`), '"plain-note"y'].join(','),
  ['grace@example.com', 'Grace', 'Hopper', ...secrets, 'n'].join(','),
  ['not-an-email', 'Alan', 'Turing', ...secrets, 'n'].join(','),
].join('\n') + '\n';

function assertNoMarker(value, where) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  assert.doesNotMatch(text, MARKER, `${where} shows a secret: ${text.match(/.{0,60}MkPw7731[^"]*/)?.[0]}`);
}

// The worker module, run in Node with a stand-in for the worker global: every message it posts is kept.
const posted = [];
globalThis.self = { postMessage: (m) => posted.push(m) };
await import('../../web/core/worker.js');
let nextId = 1;
async function call(method, ...args) {
  const id = nextId++;
  const before = posted.length;
  self.onmessage({ data: { id, method, args } });
  while (!posted.slice(before).some((m) => m.id === id)) await new Promise((r) => setTimeout(r, 1));
  const m = posted.find((p) => p.id === id);
  if (m.error) throw new Error(`${method}: ${m.error.message}`);
  return m.result;
}

test('every message the worker posts keeps the passwords out, from upload to exports', async () => {
  await call('init');
  const summary = await call('load', { text: csv });
  // The reader found the broken quotes: 7 secret cells masked, the Notes cell still quoted.
  const quotes = summary.issues.filter((i) => i.code === 'malformed_quotes');
  assert.equal(quotes.length, 8);
  const notes = quotes.find((i) => i.column === headers.indexOf('Notes'));
  assert.match(notes.message, /plain-note/);
  for (const q of quotes.filter((i) => i !== notes)) {
    assert.deepEqual(q.args, ['masked_value', 'password']);
    assert.equal(q.message, 'Text follows the closing quote of a quoted cell; it was read as a value that is not shown (password values are masked). Check the cell.');
  }
  // The upload step's sample table: every secret column shows the mask.
  for (const [name] of Object.entries(COLUMNS)) {
    const c = headers.indexOf(name);
    assert.deepEqual(summary.preview.map((row) => row[c]), ['••••••••', '••••••••', '••••••••'], name);
  }
  assertNoMarker(summary, 'load()');

  const mapping = await call('setMode', 'create');
  assert.equal(mapping.columns[headers.indexOf('password')].field, 'password');
  for (const name of Object.keys(COLUMNS)) {
    const col = mapping.columns[headers.indexOf(name)];
    assert.deepEqual(col.samples, ['••••••••', '••••••••', '••••••••'], name);
  }
  assertNoMarker(mapping, 'setMode()');
  // A password-headed column mapped by hand to another field keeps its values out of messages too:
  // lines 3 and 4 hold the same "Initial PW" value, so line 4 gets a duplicate_external_id.
  const moved = await call('setColumn', headers.indexOf('Initial PW'), 'external_id');
  assertNoMarker(moved, 'setColumn()');
  await call('setLookups', { state: 'loaded', roles: [], nodes: [], clients: [], applications: [] });
  const stats = await call('validate');
  assert.equal(stats.errors, 1);  // line 4: a bad email, and line 3's external_id again
  const rows = await call('rows', { offset: 0, limit: 10, filter: 'all' });
  const dup = rows.rows.flatMap((r) => r.issues).find((i) => i.code === 'duplicate_external_id');
  assert.equal(dup.message, 'The external_id •••••••• already appears on line 3. Remove one of the two rows or give each its own id.');
  assertNoMarker(rows, 'rows()');
  assertNoMarker(await call('exportMapping'), 'exportMapping()');

  await call('planSubmit', { environmentId: 'env_dev' });
  const action = await call('next', 0);
  assert.equal(action.kind, 'send');
  // The request carries what is mapped (the password, and the column mapped by hand to external_id)
  // and nothing of the other password-like columns.
  const body = JSON.parse(action.body);
  assert.deepEqual(body.rows.map((r) => [r.password, r.external_id]), [['MkPw7731-mappedx', 'MkPw7731-initialx'], ['MkPw7731-mapped', 'MkPw7731-initial']]);
  assertNoMarker(action.body.replace(/MkPw7731-(mapped|initial)/g, ''), 'the request body beyond the mapped fields');
  const answer = JSON.stringify({ results: body.rows.map((r) => ({ row: r.row, status: 'created', id: `id-${r.row}` })) });
  assertNoMarker(await call('response', action.batch, { status: 200, body: answer }, 1), 'response()');
  assert.equal((await call('next', 2)).kind, 'done');
  const results = await call('results', { offset: 0, limit: 10 });
  assert.deepEqual(results.rows.map((r) => r.outcome), ['created', 'created', 'failed']);
  assertNoMarker(results, 'results()');
  assertNoMarker(await call('progress'), 'progress()');
  const failed = await call('exportFailedRows');
  // A comment line names the columns left out (their headers, never their values), then the header.
  assert.match(failed.split('\r\n')[0], /^\uFEFF# Left out of this file because they hold passwords \(add them back before importing it again\): /);
  assert.equal(failed.split('\r\n')[1], 'email,first_name,last_name,Notes,import_error');
  assertNoMarker(failed, 'failed-rows.csv');
  assertNoMarker(await call('exportResults'), 'results.csv');
  // And nothing else the worker posted along the way, the send action's body aside.
  for (const m of posted) {
    if (m.result?.kind === 'send') continue;
    assertNoMarker(m, `worker message ${m.id}`);
  }
});

test('the CLI prints no password: preview, validate and mapping, text and JSON', () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: build the native tree (or set CANOPY_IMPORT_BIN)`);
  const file = join(tmp, 'people.csv');
  writeFileSync(file, csv);
  const runs = [
    ['preview', file, '--mode', 'create'],
    ['preview', file, '--mode', 'create', '--format', 'json'],
    ['validate', file, '--mode', 'create'],
    ['validate', file, '--mode', 'create', '--format', 'json'],
    ['preview', file, '--mode', 'invite', '--format', 'json'],  // password not a field of invite: all on Ignore
    ['mapping', file, '--mode', 'create'],
  ];
  for (const args of runs) {
    const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(r.status !== null && r.status <= 2, `${args.join(' ')}: exit ${r.status} ${r.stderr}`);
    assertNoMarker(r.stdout, `canopy-import ${args.join(' ')} (stdout)`);
    assertNoMarker(r.stderr, `canopy-import ${args.join(' ')} (stderr)`);
    if (args[0] === 'preview' && args.includes('json')) {
      // The issues are there, masked: the test would pass on an output without them otherwise.
      assert.match(r.stdout, /a value that is not shown \(password values are masked\)/, args.join(' '));
      assert.match(r.stdout, /plain-note/, args.join(' '));
    }
  }
});
