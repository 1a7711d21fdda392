// canopy-import's directory check: preview/validate with --api (and "not checked" without it), submit
// leaving out rows whose email already has an identity or a pending invite, a check that cannot be made.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DEMO_TOKEN, bulk, startTestServer } from '../../tools/server/testing.mjs';
import { runCli } from './support/cli.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-cli-directory-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const run = (args, options) => runCli(BIN, args, options);

let server;
let ada;
let grace;
const file = join(tmp, 'people.csv');
before(async () => {
  server = await startTestServer();
  ada = (await bulk(server, 'create', [{ row: 2, email: 'ada@example.com', first_name: 'Ada', last_name: 'L' }])).json.results[0].id;
  grace = (await bulk(server, 'invite', [{ row: 2, email: 'grace@example.com', send_email: false }])).json.results[0].id;
  writeFileSync(file, 'email,first_name,last_name\nADA@Example.com,Ada,L\ngrace@example.com,Grace,H\nnew@example.com,New,N\n');
});
after(() => server.close());

const day = new Date().toISOString().slice(0, 10);

test('preview without --api says the directory was not checked', async () => {
  const r = await run(['preview', file, '--mode', 'create']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\nStats: {6}3 valid, 0 with warnings, 0 with errors\n/);
  assert.match(r.out, /\nDirectory: {2}not checked: existing identities and invites are found only when the rows are sent; pass --api URL \(and --environment ID\) to check first\.\n/);
});

test('validate --api: existing identities and pending invites are email_exists errors, named with their date', async () => {
  const r = await run(['validate', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev']);
  assert.equal(r.code, 1, r.err);
  assert.ok(
    r.out.includes(
      `  line 2, email: error: ADA@Example.com already has an identity (${ada}, created ${day}); the server would refuse this row. ` +
        'Leave it out of the file, or remove the existing one first and upload again. [email_exists]\n',
    ),
    r.out,
  );
  assert.ok(r.out.includes(`  line 3, email: error: grace@example.com already has a pending invite (${grace}, sent ${day});`), r.out);
  assert.match(r.out, /\nStats: {6}1 valid, 0 with warnings, 2 with errors\n/);
  assert.match(r.out, /\nDirectory: {2}3 emails checked, 2 rows already exist in the scope \(email_exists\)\.\n/);

  const j = await run(['preview', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev', '--format', 'json']);
  const doc = JSON.parse(j.out);
  assert.deepEqual(doc.directory, { state: 'checked', emails: 3, checked: 3, found: 2, reason: null });
  assert.deepEqual(doc.rows.map((row) => [row.row, row.issues.map((i) => i.code)]), [[2, ['email_exists']], [3, ['email_exists']]]);
  // Another environment has neither.
  const prod = JSON.parse((await run(['preview', file, '--mode', 'create', '--api', server.url, '--environment', 'env_prod', '--format', 'json'])).out);
  assert.deepEqual(prod.directory, { state: 'checked', emails: 3, checked: 3, found: 0, reason: null });
});

test('a check that cannot be made blocks nothing and says why', async () => {
  const refused = await run(['preview', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev', '--format', 'json'], { token: 'wrong' });
  const doc = JSON.parse(refused.out);
  assert.deepEqual(doc.stats, { rows: 3, valid: 3, warnings: 0, errors: 0 });
  assert.deepEqual(doc.directory, {
    state: 'failed',
    emails: 3,
    checked: 0,
    found: 0,
    reason: 'the server answered HTTP 401: a valid "Authorization: Bearer <token>" header is required',
  });
  const text = await run(['preview', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev'], { token: 'wrong' });
  assert.match(text.out, /\nDirectory: {2}could not be checked \(the server answered HTTP 401: a valid "Authorization: Bearer <token>" header is required\); 0 of 3 emails were\. Rows are not blocked: the server still refuses emails that exist \(email_conflict\)\.\n/);
});

test('usage: --api needs --environment for an environment mode; --environment needs --api', async () => {
  const r = await run(['preview', file, '--mode', 'invite', '--api', server.url]);
  assert.equal(r.code, 2);
  assert.match(r.err, /Bulk invite checks emails in an environment: add --environment ID/);
  const r2 = await run(['preview', file, '--mode', 'invite', '--environment', 'env_dev']);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /--environment, --account and --token-env go with --api URL/);
});

test('submit sends only the rows the directory does not have', async () => {
  const results = join(tmp, 'people.results.csv');
  const r = await run(['submit', file, '--mode', 'create', '--api', server.url, '--environment', 'env_dev', '--quiet', '--results', results]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /\n {2}1 created, 0 failed on the server, 2 not sent \(row errors\), 0 unconfirmed, 0 cancelled\n/);
  assert.match(r.out, /\n {2}directory: {3}3 emails checked, 2 rows already exist in the scope \(email_exists\)\.\n/);
  const csv = readFileSync(results, 'utf8').split('\r\n');
  assert.match(csv[1], /^2,ADA@Example\.com,failed,,invalid_row,"Not sent: the row has errors \(ADA@Example\.com already has an identity/);
  assert.match(csv[3], /^4,new@example\.com,created,idn_[0-9a-f]{24},,,$/);
  const stats = await (await fetch(`${server.url}/api/v1/environments/env_dev/identities`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } })).json();
  assert.equal(stats.items.filter((i) => i.email === 'ADA@Example.com').length, 0, 'no second Ada was attempted');
});
