// Results over 10,000 rows (the upload limit), through the package: every page of 50 in order adds up to
// every row once, a problem's rows page the same way, repeats are folded across page boundaries, and
// the counts agree with the pages. Time per page is reported, not asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../dist/index.mjs';

const core = await loadCore();
const N = 10000;

test('10,000 rows: 200 pages, each row once, problems paged and folded, counts agree', (t) => {
  const lines = ['email,first_name,last_name'];
  for (let i = 1; i <= N; i++) lines.push(`${i % 97 === 0 ? `broken-${i}` : `p${i}@example.com`},F${i},L${i}`);
  const s = core.createSession();
  s.loadText(lines.join('\n') + '\n');
  s.setMode('create');
  s.setLookups({ state: 'loaded', roles: [], nodes: [], clients: [], applications: [] });
  s.validate();
  s.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
  // The server answers: rows whose number ends in 3 conflict (the same message), the rest are created.
  for (let now = 0; ; now++) {
    const a = s.next(now);
    if (a.kind === 'done') break;
    assert.equal(a.kind, 'send');
    const body = JSON.parse(a.body);
    const results = body.rows.map((r) => (r.row % 10 === 3
      ? { row: r.row, status: 'error', error: { code: 'email_conflict', message: 'an identity with this email already exists in this environment' } }
      : { row: r.row, status: 'created', id: `idn_${r.row}` }));
    s.response(a.batch, { status: 200, body: JSON.stringify({ results }) }, now);
  }
  const blocked = Math.floor(N / 97);
  const conflicts = Array.from({ length: N }, (_, k) => k + 1).filter((i) => i % 97 !== 0 && (i + 1) % 10 === 3).length;

  const times = [];
  const seen = [];
  let first = null;
  for (let offset = 0; ; offset += 50) {
    const t0 = performance.now();
    const page = s.results({ offset, limit: 50 });
    times.push(performance.now() - t0);
    first ??= page;
    if (!page.rows.length) { assert.equal(offset, N); break; }
    assert.equal(page.total, N);
    seen.push(...page.rows.map((r) => r.index));
  }
  assert.equal(times.length, 201);
  assert.deepEqual(seen, Array.from({ length: N }, (_, i) => i), 'every row once, in file order');
  assert.deepEqual(first.counts, { created: N - blocked - conflicts, invited: 0, replayed: 0, failed: blocked + conflicts, unconfirmed: 0, cancelled: 0, deselected: 0, pending: 0 });
  assert.deepEqual(first.failures.map((f) => [f.code, f.count]), [['email_conflict', conflicts], ['email_invalid', blocked]]);
  assert.equal(first.failures[0].first.line, 3, 'the first conflict: row 3 is line 3 (data row 2)');

  // One problem's rows: 60 pages of 50 hold them all; after the first, every one repeats line 3.
  const problem = [];
  for (let offset = 0; offset < conflicts; offset += 50) {
    const page = s.results({ offset, limit: 50, filter: 'problem:email_conflict' });
    assert.equal(page.total, conflicts);
    for (const r of page.rows) {
      assert.equal(r.code, 'email_conflict');
      problem.push(r.sameAsLine ?? null);
    }
  }
  assert.equal(problem.length, conflicts);
  assert.equal(problem[0], null);
  assert.ok(problem.slice(1).every((l) => l === 3), 'folded onto line 3, across every page boundary');
  // The last page of all rows, and a page past the end.
  const last = s.results({ offset: N - 50, limit: 50 });
  assert.equal(last.rows.at(-1).line, N + 1);
  assert.equal(s.results({ offset: N + 50, limit: 50 }).rows.length, 0);
  const failed = s.results({ offset: 0, limit: 0, filter: 'failed' });
  assert.equal(failed.total, blocked + conflicts);

  times.sort((a, b) => a - b);
  t.diagnostic(`results() over ${N} rows: median ${times[100].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms per page of 50`);
  s.dispose();
});
