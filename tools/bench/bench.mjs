// npm run bench: our wasm core against Papa Parse and uDSV, in one Node process, on the same
// deterministic ~10 MB / 10,000-row identities file. Every job runs once per round, round robin on a
// collected heap (so a noisy moment hits every job alike), median of RUNS rounds after WARMUP rounds.
// Beside the medians, each job's first run in a fresh process (cold: nothing compiled, no memory grown).
//
// What is compared with what: Node's TextDecoder is slow (it is reported on its own), so each peer is
// timed both from the file's bytes (TextDecoder + parse: the same job as ours, "bytes in, rows out") and
// from an already-decoded string. The product's target: our whole pipeline (decode, parse, map,
// validate) at least 10x faster than the fastest peer's bytes -> rows, which validates nothing.
//
// Adding a row: put its input in INPUTS (if new) and a { name, run } entry in JOBS. `peer: true` marks
// a peer's bytes -> rows job (the fastest of them is the 1.00x of the table); `cold: false` skips the
// fresh-process run; `rounds: false` runs it only cold; `before` runs untimed in the fresh process.
// `run` may return { ms } when it times itself (inside wasm); otherwise the call is timed.
//
// Workbooks (issue 20): the same 10,000 rows written as an .xlsx by exceljs (a real writer; made once into
// the OS temp folder, keyed by the rows' hash), read by our workbook reader and by SheetJS in the same
// run; jobs with `workbook: true` get their own table, against SheetJS's bytes -> rows (target: our
// bytes -> validated rows at least 3x faster).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { loadCore } from '../../dist/index.mjs';
import createCanopyBench from '../../build/wasm/wasm/canopy-bench.mjs';
import { generateIdentities } from './generate.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const coldJob = process.argv[2] === '--cold' ? Number(process.argv[3]) : -1;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const { bytes, rows: expectedRows } = generateIdentities({ rows: 10000, targetBytes: 10 * 1024 * 1024 - 4096 });
const utf8Text = new TextDecoder().decode(bytes);
// The same rows in windows-1252 (the letters it lacks, such as ł and ř, as '?') and in UTF-16LE with a
// BOM (twice the bytes: its session has no size limit).
const cp1252 = (() => {
  const index = createRequire(import.meta.url)('text-encoding/lib/encoding-indexes.js')['encoding-indexes']['windows-1252'];
  const back = new Map(index.map((cp, i) => [cp, 0x80 + i]));
  const out = new Uint8Array(utf8Text.length);
  let n = 0;
  for (const ch of utf8Text) {
    const cp = ch.codePointAt(0);
    out[n++] = cp < 0x80 ? cp : back.get(cp) ?? 0x3f;
  }
  return out.subarray(0, n);
})();
const utf16 = (() => {
  const out = new Uint8Array(2 + utf8Text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < utf8Text.length; i++) {
    const u = utf8Text.charCodeAt(i);
    out[2 + 2 * i] = u & 0xff;
    out[3 + 2 * i] = u >> 8;
  }
  return out;
})();
const INPUTS = {
  utf8: { label: 'UTF-8', bytes, text: utf8Text },
  cp1252: { label: 'windows-1252', bytes: cp1252 },
  utf16: { label: 'UTF-16LE', bytes: utf16, limits: { maxBytes: 0 } },
  // The same rows with spaces around every email: each row carries a whitespace_trimmed warning.
  warned: { label: 'UTF-8, a warning on every row', bytes: generateIdentities({ rows: 10000, targetBytes: 10 * 1024 * 1024 - 4096, warnEveryRow: true }).bytes },
};
const lookups = {
  state: 'loaded',
  roles: ['5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01', '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d02'],
  nodes: ['8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01', '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c02'],
  clients: ['dashboard-web', 'mobile-app'],
  applications: [],
};

// The identities as an .xlsx by exceljs, every cell a string as in the CSV.
async function workbookOf(csvBytes) {
  const key = createHash('sha256').update(csvBytes).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `canopy-bench-${key}.xlsx`);
  if (!existsSync(path)) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    for (const row of Papa.parse(new TextDecoder().decode(csvBytes)).data) {
      if (row.length > 1 || row[0] !== '') ws.addRow(row);
    }
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  }
  return new Uint8Array(readFileSync(path));
}
const xlsxBytes = await workbookOf(bytes);

const core = await loadCore();
// The parse-alone hook lives in the benchmark's own module (tools/build-wasm.sh --bench), not in the shipped one.
const benchMod = await createCanopyBench({ wasmBinary: readFileSync(new URL('../../build/wasm/wasm/canopy-bench.wasm', import.meta.url)) });
benchMod.benchInput(bytes.byteLength).set(bytes);

let peak = 0;
async function pipeline(input, options = {}) {
  const s = core.createSession(input.limits);
  try {
    await s.load(input.bytes, options);
    s.setMode('create');
    s.setLookups(lookups);
    const st = s.validate();
    if (st.total !== expectedRows) throw new Error(`validation saw ${st.total} rows, not ${expectedRows}`);
    if (!input.limits) peak = Math.max(peak, core.heapStats().peakFootprint);  // the 10 MB files
  } finally {
    s.dispose();
  }
}
function workbookPipeline(validate) {
  return core.openWorkbook(xlsxBytes).then((book) => {
    const s = core.createSession();
    try {
      s.loadSheet(book, 0);
      if (!validate) return;
      s.setMode('create');
      s.setLookups(lookups);
      const st = s.validate();
      if (st.total !== expectedRows) throw new Error(`validation saw ${st.total} rows, not ${expectedRows}`);
    } finally {
      s.dispose();
      book.close();
    }
  });
}
const sheetjsRows = (data) => { const wb = XLSX.read(data, { type: 'array' }); return XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: false, defval: '' }); };
const papaRows = (text) => Papa.parse(text).data;
const udsvRows = (text) => initParser(inferSchema(text)).stringArrs(text);
const { utf8 } = INPUTS;

const JOBS = [
  { name: 'TextDecoder alone (UTF-8 bytes -> JS string)', run: () => new TextDecoder().decode(utf8.bytes) },
  { name: 'papaparse: bytes -> rows (TextDecoder + Papa.parse)', peer: true, run: () => papaRows(new TextDecoder().decode(utf8.bytes)) },
  { name: 'papaparse: string -> rows (already decoded)', run: () => papaRows(utf8.text) },
  { name: 'udsv: bytes -> rows (TextDecoder + inferSchema + stringArrs)', peer: true, run: () => udsvRows(new TextDecoder().decode(utf8.bytes)) },
  { name: 'udsv: string -> rows (already decoded)', run: () => udsvRows(utf8.text) },
  { name: 'ours: bytes -> rows (copy in, UTF-8 check, dialect, parse)', run: async () => { const s = core.createSession(); await s.load(utf8.bytes); s.dispose(); } },
  { name: 'ours: parse alone (UTF-8 already in wasm memory, bench module)', cold: false, run: () => ({ ms: benchMod.benchParse(',', 1).times[0] }) },
  { name: 'ours: whole pipeline (bytes -> decode+parse+map+validate)', pipeline: true, run: () => pipeline(utf8) },
  { name: 'ours: whole pipeline, a warning on every row (issues as data)', warned: true, run: () => pipeline(INPUTS.warned) },
  { name: 'ours: whole pipeline, the same rows in windows-1252 (detected)', legacy: true, run: () => pipeline(INPUTS.cp1252) },
  { name: 'ours: whole pipeline, windows-1252 chosen (no detection)', run: () => pipeline(INPUTS.cp1252, { encoding: 'windows-1252' }) },
  { name: 'ours: whole pipeline, the same rows in UTF-16LE with BOM', legacy: true, run: () => pipeline(INPUTS.utf16) },
  { name: 'ours: whole pipeline after core.warmUp() (the wizard\'s worker)', rounds: false, before: () => core.warmUp(), run: () => pipeline(utf8) },
  { name: 'sheetjs: xlsx bytes -> rows (XLSX.read + sheet_to_json)', workbook: true, sheetjs: true, run: () => sheetjsRows(xlsxBytes) },
  { name: 'ours: xlsx bytes -> rows (openWorkbook + loadSheet)', workbook: true, run: () => workbookPipeline(false) },
  { name: 'ours: xlsx bytes -> validated rows (+ map + validate)', workbook: true, workbookPipeline: true, run: () => workbookPipeline(true) },
];

async function timeOnce(job) {
  const t0 = performance.now();
  const r = await job.run();
  const ms = performance.now() - t0;
  return r && typeof r.ms === 'number' ? r.ms : ms;
}

// A child process: one job's first run, printed as JSON.
if (coldJob >= 0) {
  const job = JOBS[coldJob];
  await job.before?.();
  globalThis.gc?.();
  console.log(JSON.stringify({ ms: await timeOnce(job) }));
  process.exit(0);
}

// Sanity first: everyone must see the same number of rows, or the race means nothing.
const check = core.createSession();
const summary = await check.load(bytes);
check.dispose();
const counts = {
  ours: summary.rows,
  papaparse: papaRows(utf8.text).filter((r) => !(r.length === 1 && r[0] === '')).length - 1,  // final line break: one empty row
  udsv: udsvRows(utf8.text).length,
  'parse alone': benchMod.benchParse(',', 1).records - 1,
  sheetjs: sheetjsRows(xlsxBytes).length - 1,
};
{
  // The workbook readers agree with each other and with the CSV, cell by cell on the first rows.
  const book = await core.openWorkbook(xlsxBytes);
  const s = core.createSession();
  const sum = s.loadSheet(book, 0, { headerLine: 1, keepFooters: true });
  counts['ours (xlsx)'] = sum.rows;
  const ours = [sum.headers, ...s.preview(50)];
  const theirs = sheetjsRows(xlsxBytes).slice(0, 51);
  const csvRows = papaRows(utf8.text).slice(0, 51);
  if (JSON.stringify(ours) !== JSON.stringify(theirs) || JSON.stringify(ours) !== JSON.stringify(csvRows)) {
    console.error('the first 50 rows of the .xlsx differ between our reader, SheetJS and the CSV');
    process.exit(1);
  }
  s.dispose();
  book.close();
}
for (const [who, n] of Object.entries(counts)) {
  if (n !== expectedRows) {
    console.error(`row counts differ: ${who} saw ${n}, generated ${expectedRows}`);
    process.exit(1);
  }
}

// Cold first runs, each in a fresh process (before the rounds, so they do not compete with them).
const script = fileURLToPath(import.meta.url);
const cold = JOBS.map((job, j) => {
  if (job.cold === false) return null;
  const times = [];
  for (let k = 0; k < COLD_RUNS; k++) {
    const child = spawnSync(process.execPath, ['--expose-gc', script, '--cold', String(j)], { encoding: 'utf8', env: process.env });
    if (child.status !== 0) throw new Error(`cold run of "${job.name}" failed: ${child.stderr}`);
    times.push(JSON.parse(child.stdout.trim().split('\n').pop()).ms);
  }
  return median(times);
});

const heapBefore = core.heapStats();
const inRounds = JOBS.map((job, j) => j).filter((j) => JOBS[j].rounds !== false);
for (let i = 0; i < WARMUP; i++) for (const j of inRounds) await JOBS[j].run();
const samples = JOBS.map(() => []);
for (let r = 0; r < RUNS; r++) {
  for (const j of inRounds) {
    globalThis.gc?.();  // each run starts on a collected heap: nobody pays for another job's garbage
    samples[j].push(await timeOnce(JOBS[j]));
  }
}
const heapAfter = core.heapStats();
const warm = samples.map((s) => (s.length ? median(s) : null));

const fastestPeer = Math.min(...JOBS.map((job, j) => (job.peer ? warm[j] : Infinity)));
const csvJobs = JOBS.map((job, j) => j).filter((j) => !JOBS[j].workbook);
const fastestPeerName = JOBS[warm.indexOf(fastestPeer)].name.split(':')[0];
const mb = bytes.byteLength / 1e6;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmt = (ms) => (ms == null ? '-' : ms.toFixed(2));
console.log(`\nInput: ${bytes.byteLength.toLocaleString('en')} bytes, ${expectedRows.toLocaleString('en')} rows, ${summary.columns} columns ` +
  `(quoted fields, doubled quotes, embedded newlines, accented names, UUIDs). Node ${process.version}. ` +
  `warm: median of ${RUNS} interleaved rounds after ${WARMUP}; cold: the first run in a fresh process, median of ${COLD_RUNS}. ` +
  `1.00x = the fastest peer's bytes -> rows (${fastestPeerName}).\n`);
const W = 68;
console.log(`| ${pad('job', W)} | ${lpad('warm ms', 8)} | ${lpad('MB/s', 6)} | ${lpad('cold ms', 8)} | ${lpad('vs fastest peer', 15)} |`);
console.log(`|${'-'.repeat(W + 2)}|${'-'.repeat(10)}|${'-'.repeat(8)}|${'-'.repeat(10)}|${'-'.repeat(17)}|`);
csvJobs.forEach((j) => {
  const job = JOBS[j];
  const ms = warm[j] ?? cold[j];
  console.log(`| ${pad(job.name, W)} | ${lpad(fmt(warm[j]), 8)} | ${lpad(warm[j] ? (mb / (warm[j] / 1000)).toFixed(0) : '-', 6)} | ${lpad(fmt(cold[j]), 8)} | ${lpad((fastestPeer / ms).toFixed(2) + 'x', 15)} |`);
});

const sheetjsMs = warm[JOBS.findIndex((job) => job.sheetjs)];
const workbookMs = warm[JOBS.findIndex((job) => job.workbookPipeline)];
console.log(`\nThe same rows as an .xlsx (exceljs, ${xlsxBytes.byteLength.toLocaleString('en')} bytes; the 10 MiB limit is the file's). 1.00x = SheetJS's bytes -> rows.\n`);
console.log(`| ${pad('job', W)} | ${lpad('warm ms', 8)} | ${lpad('cold ms', 8)} | ${lpad('vs sheetjs', 11)} |`);
console.log(`|${'-'.repeat(W + 2)}|${'-'.repeat(10)}|${'-'.repeat(10)}|${'-'.repeat(13)}|`);
JOBS.forEach((job, j) => {
  if (!job.workbook) return;
  console.log(`| ${pad(job.name, W)} | ${lpad(fmt(warm[j]), 8)} | ${lpad(fmt(cold[j]), 8)} | ${lpad((sheetjsMs / warm[j]).toFixed(2) + 'x', 11)} |`);
});

const pipelineMs = warm[JOBS.findIndex((job) => job.pipeline)];
const warnedMs = warm[JOBS.findIndex((job) => job.warned)];
console.log('\nTargets (the product\'s):');
const targets = [
  ['whole pipeline at least 10x faster than the fastest peer\'s bytes -> rows', fastestPeer / pipelineMs >= 10, `${(fastestPeer / pipelineMs).toFixed(2)}x (${fmt(pipelineMs)} ms against ${fmt(fastestPeer)} ms)`],
  ['a warning on every row validates within 1.5x of the clean file', warnedMs / pipelineMs <= 1.5, `${(warnedMs / pipelineMs).toFixed(2)}x (${fmt(warnedMs)} ms against ${fmt(pipelineMs)} ms)`],
  ...JOBS.filter((job) => job.legacy).map((job) => {
    const ms = warm[JOBS.indexOf(job)];
    return [`${job.name.replace(/^ours: whole pipeline, /, '')} within 2x of UTF-8`, ms / pipelineMs <= 2, `${(ms / pipelineMs).toFixed(2)}x (${fmt(ms)} ms against ${fmt(pipelineMs)} ms)`];
  }),
  ['xlsx bytes -> validated rows at least 3x faster than SheetJS\'s bytes -> rows', sheetjsMs / workbookMs >= 3, `${(sheetjsMs / workbookMs).toFixed(2)}x (${fmt(workbookMs)} ms against ${fmt(sheetjsMs)} ms)`],
  ['peak wasm heap footprint under 4x the file', peak < 4 * bytes.byteLength, `${(peak / 1e6).toFixed(1)} MB = ${(peak / bytes.byteLength).toFixed(2)}x the file`],
];
for (const [what, ok, figure] of targets) console.log(`  ${ok ? 'met ' : 'MISS'}  ${what}: ${figure}`);
console.log(`\nwasm memory: ${(heapBefore.heapBytes / 1e6).toFixed(1)} MB before the rounds, ${(heapAfter.heapBytes / 1e6).toFixed(1)} MB after; malloc peak footprint ${(peak / 1e6).toFixed(1)} MB.`);
