// Regression: `npm start` failed in a checkout that was moved or copied, because the build folders'
// CMake caches named the old folder. tools/stale-builds.sh (run by bootstrap, test-all.sh, fuzz.sh)
// starts such folders over. Real CMake on a small project, copied and moved.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools', 'stale-builds.sh');
const BUILDS = ['build/native', 'build/wasm', 'build/asan', 'build/fuzz'];
const scratch = mkdtempSync(join(tmpdir(), 'canopy-stale-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function checkout(name) {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'CMakeLists.txt'), 'cmake_minimum_required(VERSION 3.16)\nproject(stale NONE)\n');
  for (const b of BUILDS) execFileSync('cmake', ['-S', dir, '-B', join(dir, b)], { stdio: 'ignore' });
  return dir;
}
const configure = (dir, b) => spawnSync('cmake', ['-S', dir, '-B', join(dir, b)], { encoding: 'utf8' });

test('a copied checkout: every build folder configured for the original is started over', () => {
  const original = checkout('original');
  const copy = join(scratch, 'copy');
  cpSync(original, copy, { recursive: true });
  // Without the fix CMake refuses the copied cache.
  const refused = configure(copy, 'build/native');
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /is different from the directory|does not match the source/);

  const out = spawnSync('bash', [SCRIPT, copy], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  for (const b of BUILDS) {
    assert.ok(!existsSync(join(copy, b)), `${b} removed`);
    assert.match(out.stderr, new RegExp(`bootstrap: ${b} was configured in ${original}/${b}; starting it over`));
    assert.equal(configure(copy, b).status, 0, `${b} configures again`);
    assert.ok(existsSync(join(original, b, 'CMakeCache.txt')), `the original's ${b} is untouched`);
  }
});

test('a moved checkout is started over; one in its own place is left alone', () => {
  const before = checkout('before-move');
  const moved = join(scratch, 'moved');
  renameSync(before, moved);
  assert.equal(spawnSync('bash', [SCRIPT, moved]).status, 0);
  for (const b of BUILDS) assert.ok(!existsSync(join(moved, b)), b);

  const home = checkout('at-home');
  const out = spawnSync('bash', [SCRIPT, home], { encoding: 'utf8' });
  assert.equal(out.status, 0);
  assert.equal(out.stderr, '');
  for (const b of BUILDS) assert.ok(existsSync(join(home, b, 'CMakeCache.txt')), b);
});
