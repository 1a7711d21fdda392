// Legacy encodings in the wasm core, as the page gets them: the first legacy file makes the core ask for
// the detectors' votes (detectors_needed), the wrapper loads the detectors module and retries. The files
// are exports of real tools made by glibc's iconv (tests/vectors/encodings/tools/make.sh); the expected
// text is iconv's, not ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/index.mjs';

const dir = fileURLToPath(new URL('../vectors/encodings/tools/', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8'));
const core = await loadCore();

// The truth's cells, split as simply as these files allow (no quotes in them).
function cells(text) {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.length);
  const d = lines[0].includes(';') ? ';' : ',';
  return lines.map((l) => l.split(d));
}

for (const [file, encoding] of Object.entries(expected)) {
  test(`${file}: read as ${encoding}, every cell as iconv wrote it`, async () => {
    const s = core.createSession();
    try {
      const summary = await s.load(new Uint8Array(readFileSync(dir + file)));
      assert.equal(summary.encoding, encoding);
      assert.equal(summary.encodingUnsure, false);
      assert.equal(summary.encodingMethod, 'detected');
      const want = cells(readFileSync(dir + file.replace(/\.csv$/, '.utf8'), 'utf8'));
      assert.deepEqual(summary.headers, want[0]);
      assert.deepEqual(s.preview(1e6), want.slice(1));
    } finally {
      s.dispose();
    }
  });
}

test('too short to tell: unsure, the right reading among the choices, and choosing it reads the file again', async () => {
  // Two Hebrew words in windows-1255; KOI8-R reads Cyrillic capitals, windows-874 Thai.
  const bytes = Uint8Array.from([...new TextEncoder().encode('email,name\r\nd@example.com,'), 0xe3, 0xe5, 0xe3, 0x20, 0xeb, 0xe4, 0xef, 0x0d, 0x0a]);
  const s = core.createSession();
  try {
    const summary = await s.load(bytes);
    assert.equal(summary.encodingUnsure, true);
    assert.ok(summary.encodingChoices.length >= 2);
    assert.equal(summary.encodingChoices[0].encoding, summary.encoding, 'the one used now comes first');
    const hebrew = summary.encodingChoices.find((c) => c.encoding === 'windows-1255');
    assert.ok(hebrew, 'windows-1255 is offered');
    assert.deepEqual(hebrew.examples, ['דוד כהן']);
    for (const c of summary.encodingChoices) assert.equal(c.examples.length, 1);
    const chosen = await s.load(bytes, { encoding: 'windows-1255' });
    assert.equal(chosen.encodingUnsure, false);
    assert.equal(chosen.encodingMethod, 'override');
    assert.deepEqual(s.preview(1), [['d@example.com', 'דוד כהן']]);
  } finally {
    s.dispose();
  }
});

test('windows-1252 after 2,000 ASCII rows is found and read, not rejected', async () => {
  const s = core.createSession();
  try {
    const summary = await s.load(new Uint8Array(readFileSync(`${dir}late-windows-1252.csv`)));
    assert.equal(summary.encoding, 'windows-1252');
    assert.deepEqual(s.preview(1e6).at(-1), ['zoe@example.com', 'Zoë', 'Brontë']);
  } finally {
    s.dispose();
  }
});
