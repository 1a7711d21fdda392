// Reference server: the three bulk endpoints, every per-row error code, 400/413, invite acceptance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { verifyPassword } from '../../tools/server/password.mjs';
import { BULK_PATHS, bulk, call, startTestServer } from '../../tools/server/testing.mjs';

const ADMIN = '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01';
const EDITOR = '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d02';
const HQ = '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01';
const BERLIN = '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c02';
const PORTAL = 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01';
const ID_RE = { created: /^idn_[0-9a-f]{24}$/, invited: /^inv_[0-9a-f]{24}$/ };

let server;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const count = (sql, ...args) => server.db.prepare(sql).get(...args).n;

// Sends one row that should fail and returns its error.
async function rowError(mode, row, env) {
  const r = await bulk(server, mode, [{ row: 7, ...row }], { env });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.results.length, 1);
  const [res] = r.json.results;
  assert.equal(res.row, 7);
  assert.equal(res.status, 'error', JSON.stringify(res));
  assert.ok(!('id' in res));
  return res.error;
}

describe('happy paths', () => {
  test('invite: one result per row in order, invites stored, accept link only without email', async () => {
    const r = await bulk(server, 'invite', [
      { row: 2, email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace', role_id: ADMIN, node_id: HQ, send_email: true },
      { row: 3, email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper', client_id: 'dashboard-web', send_email: false },
      { row: 5, email: 'alan.turing@example.com' },
    ]);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(r.json.results.map((x) => [x.row, x.status]), [[2, 'invited'], [3, 'invited'], [5, 'invited']]);
    for (const x of r.json.results) assert.match(x.id, ID_RE.invited);
    assert.ok(!('accept_link' in r.json.results[0]));
    assert.ok(!('accept_link' in r.json.results[2]));
    const link = new URL(r.json.results[1].accept_link);
    assert.equal(link.origin, server.url);
    assert.match(link.pathname, /^\/accept\/[A-Za-z0-9_-]{32}$/);

    const stored = server.db.prepare('SELECT * FROM invites WHERE id = ?').get(r.json.results[0].id);
    assert.equal(stored.status, 'invited');
    assert.equal(stored.environment_id, 'env_dev');
    assert.equal(stored.role_id, ADMIN);
    assert.equal(stored.node_id, HQ);
    assert.equal(stored.send_email, 1);
    // Invites create no identity until accepted.
    assert.equal(count("SELECT count(*) AS n FROM identities WHERE email_norm LIKE '%turing%'"), 0);
  });

  test('accept link creates the identity with its role assignment, once', async () => {
    const r = await bulk(server, 'invite', [{ row: 2, email: 'joan.clarke@example.com', role_id: EDITOR, node_id: BERLIN, send_email: false }]);
    const { id, accept_link } = r.json.results[0];
    const head = await fetch(accept_link, { method: 'HEAD' });
    assert.equal(head.status, 405, 'a HEAD (link checker) does not accept');
    assert.equal(server.db.prepare('SELECT status FROM invites WHERE id = ?').get(id).status, 'invited');
    // Opening the link asks first: nothing is accepted by a GET.
    const confirm = await fetch(accept_link);
    assert.equal(confirm.status, 200);
    assert.match(confirm.headers.get('content-type'), /^text\/html/);
    const html = await confirm.text();
    assert.match(html, /<h1>Accept the invitation\?<\/h1>/);
    assert.match(html, /<p>joan\.clarke@example\.com is invited to Development\.<\/p>/);
    assert.ok(html.includes(`<form method="post" action="${new URL(accept_link).pathname}"><button type="submit">Accept the invitation</button></form>`), html);
    assert.equal(server.db.prepare('SELECT status FROM invites WHERE id = ?').get(id).status, 'invited', 'a GET accepts nothing');
    assert.equal((await fetch(accept_link, { method: 'PUT' })).status, 405);
    // The page's button: a form POST with no fields.
    const page = await fetch(accept_link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Invitation accepted/);
    const invite = server.db.prepare('SELECT status, identity_id FROM invites WHERE id = ?').get(id);
    assert.equal(invite.status, 'accepted');
    assert.match(invite.identity_id, ID_RE.created);
    assert.deepEqual(
      server.db.prepare('SELECT role_id, node_id FROM role_assignments WHERE identity_id = ?').all(invite.identity_id),
      [{ role_id: EDITOR, node_id: BERLIN }],
    );
    const again = await fetch(accept_link, { method: 'POST' });
    assert.equal(again.status, 410);
    assert.equal((await fetch(accept_link)).status, 410);
    await again.arrayBuffer();
    assert.equal(count("SELECT count(*) AS n FROM identities WHERE email_norm = 'joan.clarke@example.com'"), 1);
    const bogus = await fetch(`${server.url}/accept/not-a-real-token`);
    assert.equal(bogus.status, 404);
    await bogus.arrayBuffer();
  });

  test('create: identity with role assignment, external id and a scrypt hash, never the plaintext', async () => {
    const password = 'Analytical-Engine-1843';
    const r = await bulk(server, 'create', [
      { row: 2, email: 'Ada@Create.example', first_name: 'Ada', last_name: 'Lovelace', password, role_id: ADMIN, node_id: HQ, external_id: 'HR-1001' },
      { row: 3, email: 'grace@create.example', first_name: 'Grace', last_name: 'Hopper', client_id: 'dashboard-web' },
    ]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.results.map((x) => [x.row, x.status]), [[2, 'created'], [3, 'created']]);
    for (const x of r.json.results) assert.match(x.id, ID_RE.created);
    const row = server.db.prepare('SELECT * FROM identities WHERE id = ?').get(r.json.results[0].id);
    assert.equal(row.environment_id, 'env_dev');
    assert.equal(row.email, 'Ada@Create.example');
    assert.equal(row.email_norm, 'ada@create.example');
    assert.equal(row.external_id, 'HR-1001');
    assert.match(row.password_hash, /^scrypt\$16384\$8\$1\$/);
    assert.ok(await verifyPassword(password, row.password_hash));
    assert.ok(!(await verifyPassword('wrong-password', row.password_hash)));
    assert.deepEqual(server.db.prepare('SELECT role_id, node_id FROM role_assignments WHERE identity_id = ?').all(row.id), [
      { role_id: ADMIN, node_id: HQ },
    ]);
    assert.equal(server.db.prepare('SELECT client_id FROM identities WHERE id = ?').get(r.json.results[1].id).client_id, 'dashboard-web');
    assert.equal(server.db.prepare('SELECT password_hash FROM identities WHERE id = ?').get(r.json.results[1].id).password_hash, null);
    const empty = await bulk(server, 'create', [{ row: 2, email: 'nopw@create.example', first_name: 'N', last_name: 'P', password: '' }]);
    assert.equal(empty.json.results[0].status, 'created', 'an empty optional password is no password');
    assert.equal(server.db.prepare('SELECT password_hash FROM identities WHERE id = ?').get(empty.json.results[0].id).password_hash, null);

    // The plaintext is nowhere in the database file (rows, WAL, idempotency records).
    server.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(server.db.name);
    assert.equal(file.indexOf(Buffer.from(password)), -1);
    assert.ok(file.indexOf(Buffer.from('HR-1001')) >= 0, 'the scan reads real data');
  });

  test('account: directory identity without environment, with application membership', async () => {
    const r = await bulk(server, 'account', [
      { row: 2, email: 'ada@account.example', first_name: 'Ada', last_name: 'Lovelace', password: 'long-enough', external_id: 'HR-1', application_id: PORTAL },
      { row: 3, email: 'margaret@account.example', first_name: 'Margaret', last_name: 'Hamilton' },
    ]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.results.map((x) => [x.row, x.status]), [[2, 'created'], [3, 'created']]);
    const row = server.db.prepare('SELECT * FROM identities WHERE id = ?').get(r.json.results[0].id);
    assert.equal(row.environment_id, null);
    assert.equal(row.account_id, 'acc_demo');
    assert.ok(await verifyPassword('long-enough', row.password_hash));
    assert.deepEqual(server.db.prepare('SELECT application_id FROM app_memberships WHERE identity_id = ?').all(row.id), [
      { application_id: PORTAL },
    ]);
  });

  test('internationalised domains are accepted and compared in ASCII form', async () => {
    const r = await bulk(server, 'create', [{ row: 2, email: 'jose@españa.example', first_name: 'José', last_name: 'García' }]);
    assert.equal(r.json.results[0].status, 'created');
    const err = await rowError('create', { email: 'JOSE@xn--espaa-rta.example', first_name: 'J', last_name: 'G' });
    assert.equal(err.code, 'email_conflict');
  });

  test('a batch mixes successes and errors, keeping order and row numbers', async () => {
    const r = await bulk(server, 'create', [
      { row: 10, email: 'mix1@example.com', first_name: 'A', last_name: 'B' },
      { row: 11, email: 'bad', first_name: 'A', last_name: 'B' },
      { row: 13, email: 'mix2@example.com', first_name: 'A', last_name: 'B', role_id: ADMIN },
      { row: 12, email: 'mix3@example.com', first_name: 'A', last_name: 'B' },
    ]);
    assert.deepEqual(
      r.json.results.map((x) => [x.row, x.status, x.error?.code ?? null]),
      [[10, 'created', null], [11, 'error', 'invalid_field'], [13, 'error', 'invalid_field'], [12, 'created', null]],
    );
  });
});

describe('per-row errors', () => {
  const ok = { first_name: 'Test', last_name: 'Person' };
  const invalidCases = [
    ['create', 'missing email', { ...ok }],
    ['create', 'empty email', { email: '  ', ...ok }],
    ['invite', 'email without @', { email: 'not-an-email' }],
    ['invite', 'email with two @', { email: 'a@b@example.com' }],
    ['invite', 'email domain without a dot', { email: 'a@localhost' }],
    ['invite', 'email with a space', { email: 'a b@example.com' }],
    ['invite', 'local part over 64', { email: `${'a'.repeat(65)}@example.com` }],
    ['invite', 'label over 63', { email: `a@${'b'.repeat(64)}.com` }],
    ['invite', 'email not a string', { email: 42 }],
    ['create', 'missing first_name', { email: 'p@example.com', last_name: 'X' }],
    ['account', 'missing last_name', { email: 'p@example.com', first_name: 'X' }],
    ['create', 'first_name of 101 characters', { email: 'p@example.com', first_name: 'é'.repeat(101), last_name: 'X' }],
    ['invite', 'last_name with a control character', { email: 'p@example.com', last_name: 'Tab\there' }],
    ['create', 'password of 7 characters', { email: 'p@example.com', ...ok, password: '1234567' }],
    ['account', 'password over 72 UTF-8 bytes', { email: 'p@example.com', ...ok, password: '€'.repeat(25) }],
    ['invite', 'unknown field', { email: 'p@example.com', nickname: 'P' }],
    ['invite', 'field of another mode (password in invite)', { email: 'p@example.com', password: 'long-enough' }],
    ['account', 'field of another mode (role_id in account)', { email: 'p@example.com', ...ok, role_id: ADMIN }],
    ['create', 'role_id without node_id', { email: 'p@example.com', ...ok, role_id: ADMIN }],
    ['invite', 'node_id without role_id', { email: 'p@example.com', node_id: HQ }],
    ['invite', 'role_id that is not a UUID', { email: 'p@example.com', role_id: 'admin', node_id: HQ }],
    ['invite', 'send_email as a string', { email: 'p@example.com', send_email: 'false' }],
  ];
  for (const [mode, label, row] of invalidCases) {
    test(`invalid_field: ${mode}, ${label}`, async () => {
      const err = await rowError(mode, row);
      assert.equal(err.code, 'invalid_field');
      assert.ok(err.message.length > 0);
    });
  }

  test('boundaries that pass: 100-character names, 8-character and 72-byte passwords', async () => {
    const r = await bulk(server, 'create', [
      { row: 2, email: 'b1@example.com', first_name: 'é'.repeat(100), last_name: 'X', password: '12345678' },
      { row: 3, email: 'b2@example.com', first_name: 'A', last_name: 'X', password: '€'.repeat(24) }, // 72 bytes
    ]);
    assert.deepEqual(r.json.results.map((x) => x.status), ['created', 'created']);
  });

  test('unknown_role, unknown_node, unknown_client, unknown_application', async () => {
    const prodRole = '6b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01';
    assert.equal((await rowError('invite', { email: 'u1@example.com', role_id: prodRole, node_id: HQ })).code, 'unknown_role');
    assert.equal(
      (await rowError('create', { email: 'u2@example.com', ...ok, role_id: ADMIN, node_id: '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c99' })).code,
      'unknown_node',
    );
    assert.equal((await rowError('invite', { email: 'u3@example.com', client_id: 'your-oauth-client-id' })).code, 'unknown_client');
    assert.equal((await rowError('create', { email: 'u4@example.com', ...ok, client_id: 'nope' })).code, 'unknown_client');
    assert.equal(
      (await rowError('account', { email: 'u5@example.com', ...ok, application_id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a99' })).code,
      'unknown_application',
    );
    // Development ids are unknown in Production.
    assert.equal((await rowError('invite', { email: 'u6@example.com', role_id: ADMIN, node_id: HQ }, 'env_prod')).code, 'unknown_role');
    assert.equal(count("SELECT count(*) AS n FROM invites WHERE email_norm LIKE 'u_@example.com'"), 0);
  });

  test('email_conflict: existing identity, case-insensitive', async () => {
    const first = await bulk(server, 'create', [{ row: 2, email: 'taken@example.com', ...ok }]);
    assert.equal(first.json.results[0].status, 'created');
    assert.equal((await rowError('create', { email: 'TAKEN@Example.com', ...ok })).code, 'email_conflict');
    assert.equal((await rowError('invite', { email: 'Taken@example.com' })).code, 'email_conflict');
    // Other environment and the account directory are other scopes.
    assert.equal((await bulk(server, 'create', [{ row: 2, email: 'taken@example.com', ...ok }], { env: 'env_prod' })).json.results[0].status, 'created');
    assert.equal((await bulk(server, 'account', [{ row: 2, email: 'taken@example.com', ...ok }])).json.results[0].status, 'created');
    assert.equal((await rowError('account', { email: 'taken@EXAMPLE.com', ...ok })).code, 'email_conflict');
  });

  test('email_conflict: a pending invite blocks create and a second invite in that environment', async () => {
    assert.equal((await bulk(server, 'invite', [{ row: 2, email: 'pending@example.com' }])).json.results[0].status, 'invited');
    assert.equal((await rowError('invite', { email: 'pending@example.com' })).code, 'email_conflict');
    assert.equal((await rowError('create', { email: 'PENDING@example.com', ...ok })).code, 'email_conflict');
    assert.equal((await bulk(server, 'invite', [{ row: 2, email: 'pending@example.com' }], { env: 'env_prod' })).json.results[0].status, 'invited');
  });

  test('email_conflict: a duplicate earlier in the same batch, only when the earlier row succeeded', async () => {
    const r = await bulk(server, 'create', [
      { row: 2, email: 'dup@example.com', ...ok, role_id: ADMIN }, // error: role without node
      { row: 3, email: 'dup@example.com', ...ok },
      { row: 4, email: 'DUP@example.com', ...ok },
    ]);
    assert.deepEqual(r.json.results.map((x) => [x.status, x.error?.code ?? null]), [
      ['error', 'invalid_field'],
      ['created', null],
      ['error', 'email_conflict'],
    ]);
    assert.match(r.json.results[2].error.message, /row 3/);
    assert.equal(count("SELECT count(*) AS n FROM identities WHERE email_norm = 'dup@example.com'"), 1);
  });
});

describe('request-level errors', () => {
  const path = BULK_PATHS.create();
  const row = { row: 2, email: 'req@example.com', first_name: 'R', last_name: 'Q' };

  for (const [label, body] of [
    ['malformed JSON', '{"rows": ['],
    ['a JSON array', '[]'],
    ['rows not an array', '{"rows":{}}'],
    ['empty rows', '{"rows":[]}'],
    ['a row that is not an object', '{"rows":[1]}'],
    ['a row without "row"', '{"rows":[{"email":"a@example.com"}]}'],
    ['a row number that is not a positive integer', '{"rows":[{"row":"2","email":"a@example.com"}]}'],
    ['an extra top-level key', '{"rows":[{"row":2,"email":"a@example.com"}],"x":1}'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x72, 0xff, 0x22, 0x7d])],
  ]) {
    test(`400 for ${label}`, async () => {
      const r = await call(server, 'POST', path, { key: `bad-${label.replace(/\W+/g, '-')}`, body });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'invalid_body');
    });
  }

  test('400 without an Idempotency-Key, and nothing is written', async () => {
    const r = await call(server, 'POST', path, { body: { rows: [row] } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'missing_idempotency_key');
    assert.equal(count("SELECT count(*) AS n FROM identities WHERE email_norm = 'req@example.com'"), 0);
  });

  test('400 for an Idempotency-Key with spaces or over 255 characters', async () => {
    for (const key of ['has space', 'k'.repeat(256)]) {
      const r = await call(server, 'POST', path, { key, body: { rows: [row] } });
      assert.equal(r.status, 400, key);
      assert.equal(r.json.error.code, 'invalid_idempotency_key');
    }
  });

  test('413 for 201 rows; 200 rows are fine', async () => {
    const rows = (n, tag) => Array.from({ length: n }, (_, i) => ({ row: i + 2, email: `${tag}${i}@example.com`, first_name: 'F', last_name: 'L' }));
    const tooMany = await bulk(server, 'create', rows(201, 'big'));
    assert.equal(tooMany.status, 413);
    assert.equal(tooMany.json.error.code, 'too_many_rows');
    assert.equal(count("SELECT count(*) AS n FROM identities WHERE email_norm LIKE 'big%'"), 0);
    const max = await bulk(server, 'account', rows(200, 'max'));
    assert.equal(max.status, 200);
    assert.equal(max.json.results.length, 200);
    assert.ok(max.json.results.every((x, i) => x.status === 'created' && x.row === i + 2));
  });

  test('413 for a body over the byte limit', async () => {
    const huge = JSON.stringify({ rows: [{ ...row, first_name: 'x'.repeat(5 * 1024 * 1024) }] });
    const r = await call(server, 'POST', path, { key: 'huge', body: huge });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, 'payload_too_large');
  });

  test('the account endpoint ignores environments; the env endpoints need one', async () => {
    const r = await call(server, 'POST', '/api/v1/portal/environments//identities/bulk-create', { key: 'noenv', body: { rows: [row] } });
    assert.equal(r.status, 404);
  });
});
