// Header rows of the exports admins bring most often (tests/vectors/headers/, modelled on each tool's
// public documentation), through the built package as the wizard reads them. The expected fields are
// written by hand in expected.json: each listed header maps to its field, every other column stays on
// Ignore, each field once, and the password columns are secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/index.mjs';

const dir = fileURLToPath(new URL('../vectors/headers/', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8'));
const core = await loadCore();

test('every vector has its expectations, and every expectation its vector', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  assert.deepEqual(files, Object.keys(expected).filter((k) => !k.startsWith('_')).sort());
  assert.ok(files.length >= 13);
});

for (const [file, want] of Object.entries(expected)) {
  if (file.startsWith('_')) continue;
  test(`${file}: maps as an admin expects in Bulk create`, async () => {
    const s = core.createSession();
    try {
      await s.load(new Uint8Array(readFileSync(`${dir}${file}`)));
      const m = s.setMode('create');
      const got = Object.fromEntries(m.columns.map((c) => [c.header, c.field]));
      for (const header of Object.keys(want.fields)) assert.ok(header in got, `${file} has no column ${header}`);
      for (const header of Object.keys(want.not || {})) assert.ok(header in got, `${file} has no column ${header}`);
      for (const c of m.columns) {
        assert.equal(c.field, want.fields[c.header] ?? '', `${file}: ${c.header} (${want.not?.[c.header] ?? 'unlisted'}): ${c.note}`);
      }
      assert.deepEqual(m.missing, []);
      const secret = m.columns.filter((c) => c.secret).map((c) => c.header);
      assert.deepEqual(secret, want.secret || []);
      // The example row of each file validates with no error.
      const st = s.validate();
      assert.equal(st.errors, 0, JSON.stringify(s.rows({ limit: 3 }).rows.map((r) => r.issues)));
    } finally {
      s.dispose();
    }
  });
}
