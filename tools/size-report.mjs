#!/usr/bin/env node
// Size budget of what a page downloads: the wasm core, the trimmed ICU data and the JS (dist/*.mjs and
// the page's core glue, web/core/*.js), each gzipped at level 9 as a server would send it. Prints a
// table and exits 1 when the gzipped total exceeds the budget (600 KB = 614,400 bytes).
//
//   node tools/size-report.mjs [--budget BYTES] [--json]      (npm run size)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const budgetArg = args.indexOf('--budget');
const budget = budgetArg >= 0 ? Number(args[budgetArg + 1]) : 600 * 1024;
const asJson = args.includes('--json');

const list = (dir, ext) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir)).filter((f) => f.endsWith(ext)).sort().map((f) => join(root, dir, f))
    : [];

const groups = [
  ['wasm', [join(root, 'dist/canopy-core.wasm')]],
  ['ICU data', [join(root, 'dist/icudt72l.dat')]],
  ['JS', [...list('dist', '.mjs'), ...list('web/core', '.js')]],
];

const missing = groups.flatMap(([, files]) => files).filter((f) => !existsSync(f));
if (missing.length || groups[2][1].length === 0) {
  console.error(`size-report: missing ${missing.map((f) => relative(root, f)).join(', ') || 'JS files'}; run npm run build first`);
  process.exit(2);
}

const rows = [];
for (const [group, files] of groups) {
  for (const file of files) {
    const raw = readFileSync(file);
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length;
    rows.push({ group, file: relative(root, file), raw: raw.length, gzip: gz });
  }
}
const sum = (key, group) => rows.filter((r) => !group || r.group === group).reduce((a, r) => a + r[key], 0);
const total = sum('gzip');
const ok = total <= budget;

if (asJson) {
  console.log(JSON.stringify({ budget, total, ok, files: rows }, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const line = (a, b, c, d) => `${a.padEnd(10)} ${b.padEnd(28)} ${c.padStart(12)} ${d.padStart(12)}`;
  console.log(line('part', 'file', 'raw', 'gzip -9'));
  for (const r of rows) console.log(line(r.group, r.file, kb(r.raw), kb(r.gzip)));
  for (const [group] of groups) console.log(line(group, '(subtotal)', kb(sum('raw', group)), kb(sum('gzip', group))));
  console.log(line('total', '', kb(sum('raw')), kb(total)));
  console.log(`budget ${kb(budget)} (${budget} bytes) gzipped: ${ok ? 'ok' : 'EXCEEDED'}, ` +
    `${ok ? `${kb(budget - total)} left` : `${kb(total - budget)} over`}`);
}
process.exit(ok ? 0 : 1);
