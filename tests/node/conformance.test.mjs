// The conformance cases of tests/vectors/conformance/ (CPython's csv.Sniffer tests, the W3C CSVW test
// suite) against the built wasm package, the same files and expectations as the native
// tests/unit/test_conformance.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/index.mjs';

const dir = fileURLToPath(new URL('../vectors/conformance/', import.meta.url));
const core = await loadCore();
const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('conformance vectors are all there', () => {
  assert.equal(cases.filter((f) => f.startsWith('python-')).length, 12);
  assert.equal(cases.filter((f) => f.startsWith('csvw-')).length, 12);
});

for (const file of cases) {
  const spec = JSON.parse(readFileSync(dir + file, 'utf8'));
  const want = spec.expected;
  test(`conformance in wasm: ${file.replace(/\.json$/, '')}`, async () => {
    assert.ok(spec.source, 'every case cites its source');
    const bytes = readFileSync(dir + spec.file);
    const s = core.createSession();
    try {
      if (want.error) {
        await assert.rejects(s.load(bytes, spec.options ?? {}), (e) => e.code === want.error && e.cause.code === want.error);
        return;
      }
      const summary = await s.load(bytes, spec.options ?? {});
      assert.equal(summary.delimiter, want.delimiter);
      if (want.encoding) assert.equal(summary.encoding, want.encoding);
      assert.deepEqual(summary.headers, want.headers);
      assert.deepEqual(s.preview(1e9), want.rows);
      assert.equal(summary.commentLines, want.comment_lines);
      assert.equal(summary.blankLines, want.blank_lines);
      assert.equal(summary.parseIssues, want.issues.length);
    } finally {
      s.dispose();
    }
  });
}
