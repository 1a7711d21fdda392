// The reference server keeps its own modes table and limits (tools/server/rows.mjs), as a real API would:
// it must not trust the client. This holds it against the core's one table (src/mapping/schema.cpp, seen
// through info()), so adding a mode or a field, or changing a limit, fails here until both agree.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadCore } from '../../dist/index.mjs';
import { LIMITS, MODES } from '../../tools/server/rows.mjs';
import { BULK_PATHS, call, startTestServer } from '../../tools/server/testing.mjs';

const core = await loadCore();
const info = core.info();

test("the server's modes are the core's: ids, scope, required and optional fields", () => {
  assert.deepEqual(Object.keys(MODES).sort(), info.modes.map((m) => m.id).sort());
  for (const m of info.modes) {
    assert.equal(MODES[m.id].scope, m.scope, m.id);
    assert.deepEqual(MODES[m.id].required, m.required, `${m.id} required`);
    assert.deepEqual(MODES[m.id].optional, m.optional, `${m.id} optional`);
  }
});

test("the server's limits are the core's table's", () => {
  const field = (name) => info.fields.find((f) => f.name === name);
  assert.equal(field('first_name').maxChars, LIMITS.nameMaxChars);
  assert.equal(field('last_name').maxChars, LIMITS.nameMaxChars);
  assert.equal(field('password').minChars, LIMITS.passwordMinChars);
  assert.equal(field('password').maxBytes, LIMITS.passwordMaxBytes);
  // Every field a mode names is in the table, and the lookups are named for what the server lists.
  for (const m of info.modes) for (const f of [...m.required, ...m.optional]) assert.ok(field(f), f);
  assert.deepEqual(info.fields.filter((f) => f.lookup).map((f) => [f.name, f.lookup]),
    [['role_id', 'roles'], ['node_id', 'nodes'], ['client_id', 'clients'], ['application_id', 'applications']]);
});

let server;
before(async () => { server = await startTestServer(); });
after(() => server.close());

test("each mode's endpoint in the core's table is a bulk route of the server", async () => {
  for (const m of info.modes) {
    const path = m.endpoint.replace('{environment_id}', 'env_dev');
    assert.equal(path, BULK_PATHS[m.id](), m.id);
    // An empty batch is refused by the route's own checks (400), not unknown (404).
    const r = await call(server, 'POST', path, { key: `schema-${m.id}`, body: { rows: [] } });
    assert.notEqual(r.status, 404, `${m.id}: ${path}`);
    assert.ok(r.status === 400 || r.status === 422 || r.status === 200, `${m.id}: HTTP ${r.status}`);
  }
});
