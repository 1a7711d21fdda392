// Accept links (issue 15.4): invites made without email hand their accept link to the admin through
// results.csv (the CLI writes it 0600 and removes its state file when the run ends), and nothing that
// stays on disk keeps a token in clear.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startTestServer } from '../../tools/server/testing.mjs';
import { runCli } from './support/cli.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-accept-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

let server;
before(async () => { server = await startTestServer(); });
after(() => server.close());

const run = (args, options) => runCli(BIN, args, options);

test('the CLI: results.csv carries the accept links, is 0600, and the state file is gone when the run ends', async () => {
  const file = join(tmp, 'invites.csv');
  writeFileSync(file, 'email,send_email\nmailed@example.com,true\nlinked@example.com,false\n');
  const results = join(tmp, 'invites.results.csv');
  const r = await run(['submit', file, '--mode', 'invite', '--api', server.url, '--environment', 'env_dev', '--quiet', '--results', results]);
  assert.equal(r.code, 0, r.err);
  const lines = readFileSync(results, 'utf8').split('\r\n');
  assert.equal(lines[0], '\ufeffrow,email,outcome,id,code,message,accept_link');
  assert.match(lines[1], /^2,mailed@example\.com,invited,inv_[0-9a-f]{24},,,$/);
  const m = /^3,linked@example\.com,invited,(inv_[0-9a-f]{24}),,,(http:\/\/[^,]+\/accept\/[A-Za-z0-9_-]{32})$/.exec(lines[2]);
  assert.ok(m, lines[2]);
  assert.equal(statSync(results).mode & 0o777, 0o600);
  assert.ok(!existsSync(`${results}.state`), 'the state file is removed when the run ends');
  // The link works, and only its POST accepts.
  const page = await fetch(m[2]);
  assert.match(await page.text(), /Accept the invitation\?/);
  assert.equal(server.db.prepare('SELECT status FROM invites WHERE id = ?').get(m[1]).status, 'invited');
  // Nothing the server keeps holds the token in clear.
  const token = m[2].split('/').pop();
  const stored = server.db.prepare('SELECT response_body FROM idempotency_keys').all().map((x) => x.response_body.toString()).join('\n');
  assert.ok(stored.includes(m[1]) && !stored.includes(token));
});

test('the CLI: an interrupted run keeps its state file, created 0600', async () => {
  server.faults?.reset?.();
  const file = join(tmp, 'down.csv');
  writeFileSync(file, 'email\nx@example.com\n');
  const results = join(tmp, 'down.results.csv');
  // An API that refuses the token mid-run leaves the batch unsent: the state file stays for --resume.
  const down = await startTestServer({ faults: true });
  down.faults.failNext(6, 502);
  const r = await run(['submit', file, '--mode', 'invite', '--api', down.url, '--environment', 'env_dev', '--quiet', '--results', results]);
  await down.close();
  assert.equal(r.code, 3, r.err);
  assert.ok(existsSync(`${results}.state`));
  assert.equal(statSync(`${results}.state`).mode & 0o777, 0o600);
});
