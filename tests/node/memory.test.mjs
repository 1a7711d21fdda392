// Memory limits of the wasm package: the heap may grow to 1 GiB (wasm/CMakeLists.txt). A file that
// would need more must come back as an error the page can show (the core's out_of_memory), not as a
// trap that kills the module; afterwards the same module keeps working. (Repeated 10 MB imports not
// growing the heap is tested in wasm.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../dist/index.mjs';

const core = await loadCore();
const utf8 = (s) => new TextEncoder().encode(s);

test('a 700 MB file in a session without limits is refused with out_of_memory, not a trap', async () => {
  // Zero-filled: the pages are never touched, so this costs address space, not RAM.
  const huge = new Uint8Array(700 * 1024 * 1024);
  const before = core.heapBytes();
  const s = core.createSession({ maxBytes: 0, maxRows: 0 });
  try {
    await assert.rejects(s.load(huge), (e) => {
      assert.equal(e.code, 'out_of_memory');
      assert.equal(e.cause.code, 'out_of_memory');
      assert.match(e.message, /734,003,200 bytes/);
      assert.match(e.message, /Split it/);
      return true;
    });
  } finally {
    s.dispose();
  }
  // The refusal did not grow the heap, and the module still works.
  assert.equal(core.heapBytes(), before);
  const ok = core.createSession();
  try {
    const summary = await ok.load(utf8('email,first_name\nada@example.com,Ada\n'));
    assert.equal(summary.rows, 1);
  } finally {
    ok.dispose();
  }
});

test('a file of bare delimiters past the wizard limit is refused by its cell count, not a trap', async () => {
  // 60 MB of commas fits the byte check (3x) but would need ~20x in cells and records.
  const commas = new Uint8Array(60 * 1024 * 1024).fill(0x2c);
  commas.set(utf8('email,a\n'), 0);
  const s = core.createSession({ maxBytes: 0, maxRows: 0 });
  try {
    await assert.rejects(s.load(commas), (e) => {
      assert.equal(e.code, 'out_of_memory');
      assert.match(e.message, /cells/);
      return true;
    });
  } finally {
    s.dispose();
  }
  const ok = core.createSession();
  try {
    assert.equal((await ok.load(utf8('email\nada@example.com\n'))).rows, 1);
  } finally {
    ok.dispose();
  }
});
