// Reference server: the directory check endpoints (SPEC.md "API contract": identities/lookup), their
// limits and bad input, scope, case and IDN comparison, pending invites, and the indexes they use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { bulk, call, startTestServer } from '../../tools/server/testing.mjs';

const ENV_LOOKUP = (env = 'env_dev') => `/api/v1/environments/${env}/identities/lookup`;
const ACCOUNT_LOOKUP = '/api/v1/identities/lookup';

let server;
// Ids and dates of what the tests created, filled in by before().
const made = {};
before(async () => {
  server = await startTestServer();
  const created = await bulk(server, 'create', [
    { row: 2, email: 'Ada.Lovelace@Example.com', first_name: 'Ada', last_name: 'Lovelace' },
    { row: 3, email: 'juergen@bücher.example', first_name: 'Jürgen', last_name: 'Bücher' },
  ]);
  assert.equal(created.status, 200, JSON.stringify(created.json));
  const invited = await bulk(server, 'invite', [{ row: 2, email: 'grace.hopper@example.com', send_email: false }]);
  assert.equal(invited.status, 200, JSON.stringify(invited.json));
  const account = await bulk(server, 'account', [{ row: 2, email: 'margaret@example.com', first_name: 'Margaret', last_name: 'Hamilton' }]);
  assert.equal(account.status, 200, JSON.stringify(account.json));
  const at = (table, id) => server.db.prepare(`SELECT created_at FROM ${table} WHERE id = ?`).get(id).created_at;
  made.ada = { id: created.json.results[0].id, at: at('identities', created.json.results[0].id) };
  made.jurgen = { id: created.json.results[1].id, at: at('identities', created.json.results[1].id) };
  made.grace = { id: invited.json.results[0].id, at: at('invites', invited.json.results[0].id) };
  made.margaret = { id: account.json.results[0].id, at: at('identities', account.json.results[0].id) };
});
after(() => server.close());

const lookup = (emails, path = ENV_LOOKUP()) => call(server, 'POST', path, { body: { emails } });

describe('answers', () => {
  test('an environment: identities and pending invites, case-insensitive, emails as sent, unknown ones left out', async () => {
    const r = await lookup(['ada.lovelace@example.COM', 'nobody@example.com', 'GRACE.HOPPER@example.com', 'margaret@example.com']);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.headers.get('idempotent-replayed'), null);
    assert.deepEqual(r.json, {
      items: [
        { email: 'ada.lovelace@example.COM', identity_id: made.ada.id, invite_id: null, status: 'active', created_at: made.ada.at },
        { email: 'GRACE.HOPPER@example.com', identity_id: null, invite_id: made.grace.id, status: 'invited', created_at: made.grace.at },
      ],
    });
    assert.match(made.ada.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('read-only: the same request again (even with an Idempotency-Key) is answered afresh, never replayed', async () => {
    const key = '33333333-3333-4333-8333-333333333333';
    const body = { emails: ['late.comer@example.com'] };
    const first = await call(server, 'POST', ENV_LOOKUP(), { body, key });
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, { items: [] });
    const made = await bulk(server, 'create', [{ row: 2, email: 'late.comer@example.com', first_name: 'Late', last_name: 'Comer' }]);
    assert.equal(made.status, 200);
    const again = await call(server, 'POST', ENV_LOOKUP(), { body, key });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.deepEqual(again.json.items.map((i) => [i.email, i.identity_id]), [['late.comer@example.com', made.json.results[0].id]]);
  });

  test('IDN domains are compared in their ASCII form, whichever form is sent', async () => {
    const r = await lookup(['JUERGEN@xn--bcher-kva.example', 'juergen@BÜCHER.example']);
    assert.equal(r.status, 200);
    // The same address twice: answered once, as first sent.
    assert.deepEqual(r.json.items, [
      { email: 'JUERGEN@xn--bcher-kva.example', identity_id: made.jurgen.id, invite_id: null, status: 'active', created_at: made.jurgen.at },
    ]);
    // The bulk endpoints' conflict check compares the same way: the lookup answers what a submit would meet.
    const r2 = await bulk(server, 'create', [{ row: 9, email: 'JUERGEN@xn--bcher-kva.example', first_name: 'J', last_name: 'B' }]);
    assert.equal(r2.json.results[0].error.code, 'email_conflict');
  });

  test('scopes: the other environment and the account tier see none of env_dev', async () => {
    const emails = ['ada.lovelace@example.com', 'grace.hopper@example.com', 'margaret@example.com'];
    assert.deepEqual((await lookup(emails, ENV_LOOKUP('env_prod'))).json, { items: [] });
    assert.deepEqual((await lookup(emails, ACCOUNT_LOOKUP)).json, {
      items: [{ email: 'margaret@example.com', identity_id: made.margaret.id, invite_id: null, status: 'active', created_at: made.margaret.at }],
    });
  });

  test('an accepted invite is answered as its identity, not as an invite', async () => {
    const r = await bulk(server, 'invite', [{ row: 2, email: 'alan.turing@example.com' }]);
    const inviteId = r.json.results[0].id;
    const identityId = 'idn_000000000000000000000001';
    server.db.prepare(
      `INSERT INTO identities (id, account_id, environment_id, email, email_norm, source, created_at)
       VALUES (?, 'acc_demo', 'env_dev', 'alan.turing@example.com', 'alan.turing@example.com', 'invite', '2026-01-02T03:04:05.000Z')`,
    ).run(identityId);
    server.db.prepare("UPDATE invites SET status = 'accepted', identity_id = ? WHERE id = ?").run(identityId, inviteId);
    assert.deepEqual((await lookup(['alan.turing@example.com'])).json.items, [
      { email: 'alan.turing@example.com', identity_id: identityId, invite_id: null, status: 'active', created_at: '2026-01-02T03:04:05.000Z' },
    ]);
  });

  test('not an email, empty list: nothing found, still 200', async () => {
    assert.deepEqual((await lookup(['not-an-email', '', 'a@b'])).json, { items: [] });
    assert.deepEqual((await lookup([])).json, { items: [] });
  });

  test('exactly 1,000 emails are accepted', async () => {
    const emails = Array.from({ length: 1000 }, (_, i) => `p${i}@example.com`);
    emails[999] = 'ada.lovelace@example.com';
    const r = await lookup(emails);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((i) => i.identity_id), [made.ada.id]);
  });
});

describe('bad input', () => {
  const cases = [
    ['not JSON', '{"emails": [', 400, 'invalid_body', 'the body is not valid UTF-8 JSON'],
    ['not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 400, 'invalid_body', 'the body is not valid UTF-8 JSON'],
    ['an array body', '["a@example.com"]', 400, 'invalid_body', 'expected {"emails":[...]}: body must be a JSON object'],
    ['emails not an array', '{"emails":"a@example.com"}', 400, 'invalid_body', 'expected {"emails":[...]}: "emails" must be an array'],
    ['emails missing', '{}', 400, 'invalid_body', 'expected {"emails":[...]}: "emails" must be an array'],
    ['an extra field', '{"emails":[],"scope":"all"}', 400, 'invalid_body', 'expected {"emails":[...]}: unexpected field "scope"'],
    ['a number among the emails', '{"emails":["a@example.com",7]}', 400, 'invalid_body', 'expected {"emails":[...]}: emails[1] must be a string'],
    [
      '1,001 emails',
      JSON.stringify({ emails: Array.from({ length: 1001 }, (_, i) => `p${i}@example.com`) }),
      413,
      'too_many_emails',
      'a request may carry at most 1000 emails; this one has 1001',
    ],
  ];
  for (const [name, body, status, code, message] of cases) {
    test(name, async () => {
      const r = await call(server, 'POST', ENV_LOOKUP(), { body });
      assert.equal(r.status, status, r.bytes.toString());
      assert.deepEqual(r.json, { error: { code, message } });
    });
  }

  test('a body over 1 MiB is refused before it is parsed', async () => {
    const r = await call(server, 'POST', ACCOUNT_LOOKUP, { body: `{"emails":["${'a'.repeat(1024 * 1024)}@example.com"]}` });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, 'payload_too_large');
  });

  test('auth, unknown environment, method and content type', async () => {
    const noAuth = await call(server, 'POST', ENV_LOOKUP(), { body: { emails: [] }, token: null });
    assert.equal(noAuth.status, 401);
    const unknown = await call(server, 'POST', ENV_LOOKUP('env_nope'), { body: { emails: [] } });
    assert.deepEqual([unknown.status, unknown.json.error.code], [404, 'not_found']);
    const get = await call(server, 'GET', ACCOUNT_LOOKUP);
    assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
    const form = await fetch(server.url + ACCOUNT_LOOKUP, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'emails=a',
    });
    assert.equal(form.status, 415);
  });
});

describe('indexes and speed', () => {
  test('every probe is an index lookup, never a table scan', () => {
    const plan = (sql) => server.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a', 'b', 'c').map((r) => r.detail).join(' | ');
    assert.match(
      plan('SELECT id, created_at FROM identities WHERE account_id = ? AND environment_id = ? AND email_norm = ?'),
      /^SEARCH identities USING INDEX identities_scope_email \(account_id=\? AND environment_id=\? AND email_norm=\?\)$/,
    );
    assert.match(
      server.db
        .prepare("EXPLAIN QUERY PLAN SELECT id, created_at FROM invites WHERE environment_id = ? AND email_norm = ? AND status = 'invited'")
        .all('a', 'b')
        .map((r) => r.detail)
        .join(' | '),
      /^SEARCH invites USING INDEX invites_pending_email \(environment_id=\? AND email_norm=\?\)$/,
    );
    assert.match(
      server.db
        .prepare('EXPLAIN QUERY PLAN SELECT id, created_at FROM identities WHERE account_id = ? AND environment_id IS NULL AND email_norm = ?')
        .all('a', 'b')
        .map((r) => r.detail)
        .join(' | '),
      /^SEARCH identities USING INDEX identities_scope_email \(account_id=\? AND environment_id=\? AND email_norm=\?\)$/,
    );
  });

  test('10,000 emails (10 requests of 1,000) against 10,000 identities: all found; time reported, not asserted', async (t) => {
    const insert = server.db.prepare(
      `INSERT INTO identities (id, account_id, environment_id, email, email_norm, source, created_at)
       VALUES (?, 'acc_demo', 'env_prod', ?, ?, 'create', '2026-12-01T00:00:00.000Z')`,
    );
    server.db.transaction(() => {
      for (let i = 0; i < 10000; i++) insert.run(`idn_bulk${String(i).padStart(16, '0')}`, `bulk${i}@example.com`, `bulk${i}@example.com`);
    })();
    const emails = Array.from({ length: 10000 }, (_, i) => `Bulk${i}@Example.com`);
    const started = performance.now();
    let found = 0;
    for (let k = 0; k < emails.length; k += 1000) {
      const r = await lookup(emails.slice(k, k + 1000), ENV_LOOKUP('env_prod'));
      assert.equal(r.status, 200);
      found += r.json.items.length;
    }
    const ms = performance.now() - started;
    assert.equal(found, 10000);
    t.diagnostic(`10,000 emails looked up in ${ms.toFixed(0)} ms (10 requests of 1,000, all found)`);
    // The same with none found (the misses are the common case of a fresh import).
    const started2 = performance.now();
    for (let k = 0; k < 10000; k += 1000) {
      const r = await lookup(Array.from({ length: 1000 }, (_, i) => `fresh${k + i}@example.com`), ENV_LOOKUP('env_prod'));
      assert.deepEqual(r.json, { items: [] });
    }
    t.diagnostic(`10,000 new emails looked up in ${(performance.now() - started2).toFixed(0)} ms (none found)`);
  });
});
