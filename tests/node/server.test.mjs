// Reference server: auth, lookups, identity listings, demo session, persistence, logging.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServer } from '../../tools/server/server.mjs';
import { bulk, call, startTestServer } from '../../tools/server/testing.mjs';

const DEV_ROLES = [
  { id: '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01', name: 'Admin' },
  { id: '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d02', name: 'Editor' },
  { id: '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d03', name: 'Viewer' },
];
const DEV_NODES = [
  { id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01', name: 'Headquarters' },
  { id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c02', name: 'Berlin office' },
  { id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c03', name: 'Lisbon office' },
];
const CLIENTS = [
  { client_id: 'dashboard-web', name: 'Dashboard (web)' },
  { client_id: 'mobile-app', name: 'Mobile app' },
  { client_id: 'backend-sync', name: 'Backend sync' },
];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('auth and lookups', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const [label, token] of [
    ['no Authorization header', null],
    ['unknown token', 'not-a-token'],
  ]) {
    test(`401 with ${label} on every API route`, async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/environments'],
        ['GET', '/api/v1/environments/env_dev/roles'],
        ['GET', '/api/v1/applications'],
        ['GET', '/api/v1/identities'],
        ['GET', '/api/v1/does-not-exist'],
        ['POST', '/api/v1/identities/bulk-create'],
        ['POST', '/api/v1/environments/env_dev/identity-invites/bulk-create'],
      ]) {
        const r = await call(server, method, path, { token, key: 'k', body: { rows: [{ row: 1, email: 'a@example.com' }] } });
        assert.equal(r.status, 401, `${method} ${path}`);
        assert.equal(r.json.error.code, 'unauthorized');
        assert.equal(typeof r.json.error.message, 'string');
      }
    });
  }

  test('401 for a malformed Authorization header', async () => {
    const r = await call(server, 'GET', '/api/v1/environments', { token: null, headers: { Authorization: 'Basic ZGVtbzpkZW1v' } });
    assert.equal(r.status, 401);
    const r2 = await call(server, 'GET', '/api/v1/environments', { token: null, headers: { Authorization: 'Bearer' } });
    assert.equal(r2.status, 401);
  });

  test('bulk writes nothing when unauthenticated', async () => {
    await call(server, 'POST', '/api/v1/identities/bulk-create', {
      token: 'nope',
      key: 'unauth',
      body: { rows: [{ row: 1, email: 'x@example.com', first_name: 'X', last_name: 'Y' }] },
    });
    assert.equal(server.db.prepare('SELECT count(*) AS n FROM identities').get().n, 0);
    assert.equal(server.db.prepare('SELECT count(*) AS n FROM idempotency_keys').get().n, 0);
  });

  test('environments', async () => {
    const r = await call(server, 'GET', '/api/v1/environments');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      items: [
        { id: 'env_dev', name: 'Development' },
        { id: 'env_prod', name: 'Production' },
      ],
    });
  });

  test('Development roles, nodes and OAuth clients are the seeded ids', async () => {
    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_dev/roles')).json, { items: DEV_ROLES });
    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_dev/nodes')).json, { items: DEV_NODES });
    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_dev/oauth-clients')).json, { items: CLIENTS });
  });

  test('Production has the same names under different UUIDs', async () => {
    const roles = (await call(server, 'GET', '/api/v1/environments/env_prod/roles')).json.items;
    const nodes = (await call(server, 'GET', '/api/v1/environments/env_prod/nodes')).json.items;
    assert.deepEqual(roles.map((r) => r.name), ['Admin', 'Editor', 'Viewer']);
    assert.deepEqual(nodes.map((n) => n.name), ['Headquarters', 'Berlin office', 'Lisbon office']);
    for (const item of [...roles, ...nodes]) {
      assert.match(item.id, UUID_RE);
      assert.ok(!DEV_ROLES.some((r) => r.id === item.id) && !DEV_NODES.some((n) => n.id === item.id), item.id);
    }
    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_prod/oauth-clients')).json, { items: CLIENTS });
  });

  test('applications', async () => {
    const r = await call(server, 'GET', '/api/v1/applications');
    assert.deepEqual(r.json, {
      items: [
        { id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01', name: 'Customer Portal' },
        { id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a02', name: 'Partner Hub' },
      ],
    });
  });

  test('unknown environment is a 404 JSON error on lookups and bulk', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/environments/env_nope/roles'],
      ['GET', '/api/v1/environments/env_nope/identities'],
      ['POST', '/api/v1/environments/env_nope/identity-invites/bulk-create'],
      ['POST', '/api/v1/portal/environments/env_nope/identities/bulk-create'],
    ]) {
      const r = await call(server, method, path, { key: 'k404', body: { rows: [{ row: 1, email: 'a@example.com' }] } });
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.code, 'not_found');
    }
  });

  test('unknown API route is 404 and a wrong method 405 with Allow', async () => {
    const r = await call(server, 'GET', '/api/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not_found');
    const r2 = await call(server, 'GET', '/api/v1/identities/bulk-create');
    assert.equal(r2.status, 405);
    assert.equal(r2.headers.get('allow'), 'POST');
    const r3 = await call(server, 'DELETE', '/api/v1/environments/env_dev/roles');
    assert.equal(r3.status, 405);
  });

  test('demo session needs no auth and names the demo account', async () => {
    const r = await call(server, 'GET', '/demo/session', { token: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      token: 'demo-token',
      account: { id: 'acc_demo', name: 'Demo Account' },
      environments: [
        { id: 'env_dev', name: 'Development' },
        { id: 'env_prod', name: 'Production' },
      ],
    });
  });

  test('both environments start empty', async () => {
    for (const env of ['env_dev', 'env_prod']) {
      assert.deepEqual((await call(server, 'GET', `/api/v1/environments/${env}/identities`)).json, { items: [] });
    }
    assert.deepEqual((await call(server, 'GET', '/api/v1/identities')).json, { items: [] });
  });
});

describe('identity listings', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('environment identities: created with assignments, pending invites, newest first, per environment', async () => {
    const created = await bulk(server, 'create', [
      {
        row: 2,
        email: 'ada@example.com',
        first_name: 'Ada',
        last_name: 'Lovelace',
        role_id: '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01',
        node_id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01',
        external_id: 'HR-1001',
        client_id: 'dashboard-web',
      },
    ]);
    assert.equal(created.json.results[0].status, 'created');
    await new Promise((r) => setTimeout(r, 5)); // distinct created_at
    const invited = await bulk(server, 'invite', [{ row: 2, email: 'grace@example.com', first_name: 'Grace' }]);
    assert.equal(invited.json.results[0].status, 'invited');

    const list = (await call(server, 'GET', '/api/v1/environments/env_dev/identities')).json.items;
    assert.equal(list.length, 2);
    const [inv, idn] = list;
    assert.equal(inv.id, invited.json.results[0].id);
    assert.equal(inv.status, 'invited');
    assert.equal(inv.email, 'grace@example.com');
    assert.deepEqual(inv.assignments, []);
    assert.equal(idn.id, created.json.results[0].id);
    assert.equal(idn.status, 'active');
    assert.equal(idn.external_id, 'HR-1001');
    assert.equal(idn.client_id, 'dashboard-web');
    assert.deepEqual(idn.assignments, [
      {
        role_id: '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01',
        role_name: 'Admin',
        node_id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01',
        node_name: 'Headquarters',
      },
    ]);
    assert.ok(inv.created_at > idn.created_at, 'newest first');
    assert.ok(!Number.isNaN(Date.parse(idn.created_at)));
    assert.ok(!('password_hash' in idn));

    assert.deepEqual((await call(server, 'GET', '/api/v1/environments/env_prod/identities')).json.items, []);
    assert.deepEqual((await call(server, 'GET', '/api/v1/identities')).json.items, []);
  });

  test('account identities: directory rows with application membership', async () => {
    const r = await bulk(server, 'account', [
      { row: 2, email: 'm@example.com', first_name: 'Margaret', last_name: 'Hamilton', application_id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a02' },
    ]);
    const list = (await call(server, 'GET', '/api/v1/identities')).json.items;
    assert.equal(list.length, 1);
    assert.equal(list[0].id, r.json.results[0].id);
    assert.deepEqual(list[0].applications, [{ id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a02', name: 'Partner Hub' }]);
    // Directory rows do not show up in any environment.
    const dev = (await call(server, 'GET', '/api/v1/environments/env_dev/identities')).json.items;
    assert.ok(!dev.some((i) => i.email === 'm@example.com'));
  });
});

test('data persists across a restart with a file database, and the seed is not repeated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'canopy-persist-'));
  try {
    const dbPath = join(dir, 'nested', 'canopy.sqlite'); // the folder is created on demand
    let server = await startServer({ dbPath });
    const first = await bulk(server, 'create', [{ row: 2, email: 'keep@example.com', first_name: 'K', last_name: 'P' }], { key: 'persist-1' });
    assert.equal(first.status, 200);
    await server.close();

    server = await startServer({ dbPath });
    try {
      const list = (await call(server, 'GET', '/api/v1/environments/env_dev/identities')).json.items;
      assert.deepEqual(list.map((i) => i.id), [first.json.results[0].id]);
      assert.equal((await call(server, 'GET', '/api/v1/environments/env_dev/roles')).json.items.length, 3);
      assert.equal(server.db.prepare('SELECT count(*) AS n FROM accounts').get().n, 1);
      // The idempotency record survived too: the same request replays instead of conflicting.
      const again = await bulk(server, 'create', [{ row: 2, email: 'keep@example.com', first_name: 'K', last_name: 'P' }], { key: 'persist-1' });
      assert.ok(again.bytes.equals(first.bytes));
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('request log: one line per request, no bodies, tokens or secrets', async () => {
  const lines = [];
  const original = console.log;
  console.log = (...args) => lines.push(args.join(' '));
  let server;
  let token;
  try {
    server = await startTestServer({ quiet: false });
    await bulk(server, 'create', [
      { row: 2, email: 'logme@example.com', first_name: 'L', last_name: 'M', password: 'Sup3r-secret-pw' },
    ]);
    const inv = await bulk(server, 'invite', [{ row: 2, email: 'link@example.com', send_email: false }]);
    token = new URL(inv.json.results[0].accept_link).pathname.split('/').pop();
    await fetch(`${server.url}/accept/${token}`).then((r) => r.arrayBuffer());
    await call(server, 'GET', '/api/v1/environments');
  } finally {
    await server?.close();
    console.log = original;
  }
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.match(lines[0], /^POST \/api\/v1\/portal\/environments\/env_dev\/identities\/bulk-create 200 \d+(\.\d+)?ms$/);
  assert.match(lines[2], /^GET \/accept\/<token> 200 /);
  assert.match(lines[3], /^GET \/api\/v1\/environments 200 /);
  const all = lines.join('\n');
  for (const secret of ['Sup3r-secret-pw', 'demo-token', 'logme@example.com', 'Bearer', token]) assert.ok(!all.includes(secret), secret);
});
