// The npm package as a user gets it: `npm pack` of this checkout (the built dist/ included), installed
// from the tarball into a scratch project with `npm install --offline` (the package has no
// dependencies, so nothing is fetched). One tarball per process.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let packed = null;

/** `npm pack` once: { tarball, files: [paths inside the package], dir }. */
export function packOnce() {
  packed ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canopy-pack-'));
    // --ignore-scripts: the suites run after the build; prepack would rebuild the wasm.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 64 << 20 });
    const [info] = JSON.parse(stdout);
    return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path).sort(), dir, info };
  })();
  return packed;
}

/**
 * A scratch project with the tarball installed: writes `files` ({relative path: text}) and a package.json,
 * then `npm install --offline <tarball>`. Returns the project's folder.
 */
export async function scratchProject(name, files = {}) {
  const { tarball } = await packOnce();
  const dir = await mkdtemp(join(tmpdir(), `canopy-${name}-`));
  const pkg = { name: `scratch-${name}`, version: '1.0.0', private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', tarball], { cwd: dir, maxBuffer: 64 << 20 });
  return dir;
}

/** Runs a Node script (ES module text) inside `dir`; resolves {stdout, stderr}. */
export async function runNode(dir, file, text, args = []) {
  await writeFile(join(dir, file), text);
  return run(process.execPath, [...args, file], { cwd: dir, maxBuffer: 64 << 20 });
}
