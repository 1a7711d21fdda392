// npm run bench:cli — the CLI on broken and wide files: wall time, peak RSS (GNU time) and output size
// for a stray quote at 1, 10 and 100 MB, 1,000,000 rows with errors, and 10,000 / 100,000 columns as
// text and JSON. Time should grow linearly with the input and memory stay flat; nothing is asserted
// (that is the tests' job: tests/node/cli-memory.test.mjs checks the memory bound).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm test (or tools/bootstrap.sh) first`);
const tmp = mkdtempSync(join(tmpdir(), 'canopy-bench-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const MiB = 1024 * 1024;

async function write(path, head, line, bytes) {
  const ws = createWriteStream(path);
  ws.write(head);
  const block = line.repeat(Math.max(1, Math.floor(1 * MiB / line.length)));
  for (let n = 0; n < bytes; n += block.length) if (!ws.write(block)) await once(ws, 'drain');
  ws.end();
  await once(ws, 'finish');
}

function run(args) {
  const timeOut = join(tmp, 'time.txt');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeOut, BIN, ...args], { maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = Number(readFileSync(timeOut, 'utf8').trim().split('\n').pop()) / 1024;
  return { ms, rss, out: r.stdout.length, code: r.status };
}

const rows = [];
const add = (name, args) => {
  const r = run(args);
  rows.push({ case: name, 'time s': (r.ms / 1000).toFixed(2), 'peak RSS MiB': r.rss.toFixed(1), 'output KB': (r.out / 1024).toFixed(0), exit: r.code });
};

for (const mb of [1, 10, 100]) {
  const f = join(tmp, `stray-${mb}.csv`);
  await write(f, 'email,first_name\na@example.com,"\n', 'x,\n', mb * MiB);
  add(`stray quote ${mb} MB, text`, ['preview', f, '--mode', 'invite']);
  add(`stray quote ${mb} MB, json`, ['preview', f, '--mode', 'invite', '--format', 'json']);
}
{
  const f = join(tmp, 'errors-1m.csv');
  const ws = createWriteStream(f);
  ws.write('email,first_name,last_name\n');
  for (let i = 0; i < 1_000_000; i += 10_000) {
    let s = '';
    for (let k = i; k < i + 10_000; k++) s += `person${k}.example.org,F${k},L${k}\n`;
    if (!ws.write(s)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  add('1,000,000 error rows, json', ['preview', f, '--mode', 'invite', '--format', 'json']);
}
for (const cols of [10_000, 100_000]) {
  const f = join(tmp, `wide-${cols}.csv`);
  const header = ['email', ...Array.from({ length: cols - 1 }, (_, i) => `extra_${i}`)];
  writeFileSync(f, `${header.join(',')}\n${['a@example.com', ...Array(cols - 1).fill('v')].join(',')}\n`);
  add(`${cols.toLocaleString('en-US')} columns, text`, ['preview', f, '--mode', 'invite']);
  add(`${cols.toLocaleString('en-US')} columns, json`, ['preview', f, '--mode', 'invite', '--format', 'json']);
}

const keys = Object.keys(rows[0]);
const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
const line = (vals) => `| ${vals.map((v, i) => String(v).padEnd(width[i])).join(' | ')} |`;
console.log(line(keys));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(keys.map((k) => r[k])));
