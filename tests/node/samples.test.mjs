// Samples that validate where they are downloaded (issue 15.8): made with the environment's own ids
// they validate in Production too (the demo ids are Development's), the three modes use different
// people, and `canopy-import sample --lookups` does the same on the command line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadCore } from '../../dist/index.mjs';
import { DEMO_TOKEN, startTestServer } from '../../tools/server/testing.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const tmp = mkdtempSync(join(tmpdir(), 'canopy-samples-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

let server;
let core;
before(async () => {
  server = await startTestServer();
  core = await loadCore();
});
after(() => server.close());

const get = async (path) => (await (await fetch(server.url + path, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } })).json()).items;
async function lookupsOf(env) {
  const [roles, nodes, clients, applications] = await Promise.all([
    get(`/api/v1/environments/${env}/roles`), get(`/api/v1/environments/${env}/nodes`), get(`/api/v1/environments/${env}/oauth-clients`), get('/api/v1/applications'),
  ]);
  return { roles: roles.map((r) => r.id), nodes: nodes.map((n) => n.id), clients: clients.map((c) => c.client_id), applications: applications.map((a) => a.id) };
}

async function validate(mode, csv, lk) {
  const s = core.createSession();
  await s.load(new TextEncoder().encode(csv));
  s.setMode(mode);
  s.setLookups({ state: 'loaded', ...lk });
  const stats = s.validate();
  const codes = s.rows({ filter: 'errors', limit: 10 }).rows.flatMap((r) => r.issues.map((i) => i.code));
  s.dispose();
  return { stats, codes };
}

test("Production: the demo ids fail there, the environment's own ids validate", async () => {
  const prod = await lookupsOf('env_prod');
  const demo = await validate('create', core.sampleCsv('create'), prod);
  assert.deepEqual([demo.stats.errors, [...new Set(demo.codes)].sort()], [1, ['node_unknown', 'role_unknown']]);
  for (const mode of ['invite', 'create']) {
    const ids = { role: prod.roles[0], node: prod.nodes[0], client: prod.clients[0], application: prod.applications[0] };
    const own = await validate(mode, core.sampleCsv(mode, ids), prod);
    assert.deepEqual([own.stats.errors, own.stats.total], [0, 3], `${mode} in Production`);
  }
});

test('the three samples share no person', () => {
  const emails = ['invite', 'create', 'account'].map((m) => core.sampleCsv(m).split('\n').filter((l) => /^[a-z.]+@example\.com,/.test(l)).map((l) => l.split(',')[0]));
  assert.deepEqual(emails.map((e) => e.length), [3, 3, 3]);
  assert.equal(new Set(emails.flat()).size, 9);
});

test('canopy-import sample --lookups uses the file\'s first ids', async () => {
  const prod = await lookupsOf('env_prod');
  const file = join(tmp, 'prod-lookups.json');
  writeFileSync(file, JSON.stringify({ roles: { items: prod.roles.map((id) => ({ id })) }, nodes: prod.nodes, oauth_clients: prod.clients.map((client_id) => ({ client_id })) }));
  const out = await new Promise((resolve, reject) => {
    const child = spawn(BIN, ['sample', '--mode', 'invite', '--lookups', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  assert.equal(out.code, 0);
  assert.ok(out.text.includes(`\nada.lovelace@example.com,Ada,Lovelace,${prod.roles[0]},${prod.nodes[0]},,true\n`), out.text);
  assert.ok(out.text.includes(`\ngrace.hopper@example.com,Grace,Hopper,,,${prod.clients[0]},false\n`), out.text);
  assert.equal((await validate('invite', out.text, prod)).stats.errors, 0);
});
