// The hand-written declarations name the modes and fields the core's one table has (src/mapping/schema.cpp,
// seen through info()): a mode or a field added there and not here (or the other way) fails this test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadCore } from '../../dist/index.mjs';

const info = (await loadCore()).info();
const dts = readFileSync(new URL('../../wasm/index.d.ts', import.meta.url), 'utf8');

// The string literals of `export type NAME = 'a' | 'b' ...;` in the declarations.
function union(name) {
  const m = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(m, `index.d.ts declares ${name}`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
}

test('index.d.ts: ModeId is every mode of the table, FieldName every field', () => {
  assert.deepEqual(union('ModeId').sort(), info.modes.map((m) => m.id).sort());
  assert.deepEqual(union('FieldName').sort(), info.fields.map((f) => f.name).sort());
});

test('index.d.ts: the mode and field records name what info() hands over', () => {
  const keys = (iface) => {
    const m = dts.match(new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`));
    assert.ok(m, iface);
    return [...m[1].matchAll(/^\s+(\w+)\??:/gm)].map((x) => x[1]).sort();
  };
  assert.deepEqual(keys('ModeInfo'), Object.keys(info.modes[0]).sort());
  assert.deepEqual(keys('FieldInfo'), Object.keys(info.fields[0]).sort());
});
