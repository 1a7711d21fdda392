// canopy-import reads workbooks: --sheet NAME|N, the wizard's sheet rule (one sheet with cells goes on;
// of several, the first visible, with a note naming the others), text and JSON reports, standard
// input, chunked reading equal to one piece, clear errors, and flat memory for long sheets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBigXlsx } from './support/big-xlsx.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const wbk = (name) => join(root, 'tests/vectors/workbooks', name);
const tmp = mkdtempSync(join(tmpdir(), 'canopy-cli-wb-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function run(args, { input } = {}) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (args, opts) => {
  const r = run([...args, '--format', 'json'], opts);
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : null };
};

test('a workbook with several sheets: the first visible one is read, and a note names the others', () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run tools/bootstrap.sh`);
  const r = run(['preview', wbk('people-exceljs.xlsx'), '--mode', 'create']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), 'canopy-import: note: the workbook has 3 sheets with cells; read "Employees". ' +
    'Read another with --sheet NAME or --sheet N: "Contractors", "Secret".');
  assert.match(r.stdout, /^Sheet: {6}"Employees" \(xlsx workbook, 3 sheets with cells\)$/m);
  assert.doesNotMatch(r.stdout, /^Encoding:/m);
  assert.match(r.stdout, /Rows: {7}4 data rows, 1 blank lines skipped/);
  assert.match(r.stdout, /Stats: {6}4 valid, 0 with warnings, 0 with errors/);
});

test('--sheet by name or number, JSON, ODS, standard input', () => {
  for (const file of ['people-libreoffice.ods', 'people-libreoffice.xlsx', 'people-sheetjs.ods']) {
    const byName = json(['preview', wbk(file), '--mode', 'invite', '--sheet', 'Contractors']);
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.stderr, '', 'no note when --sheet chose');
    const f = byName.doc.file;
    assert.deepEqual([f.format, f.sheet, f.header_line, f.headers], [file.endsWith('.ods') ? 'ods' : 'xlsx', 'Contractors', 2, ['email', 'first_name', 'last_name']]);
    assert.deepEqual(f.preamble.map((l) => l.text), ['Contractors 2026']);
    assert.deepEqual([f.encoding_method, f.delimiter_method], ['workbook', 'workbook']);
    assert.equal(byName.doc.summary.rows, 2);
    const byNumber = json(['preview', wbk(file), '--mode', 'invite', '--sheet', '2']);
    assert.deepEqual(byNumber.doc.summary, byName.doc.summary);
  }
  const stdin = json(['validate', '-', '--mode', 'create', '--sheet', 'employees'], { input: readFileSync(wbk('people-exceljs.xlsx')) });
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.equal(stdin.doc.file.sheet, 'Employees');
  assert.equal(stdin.doc.summary.rows, 4);
});

test('cells as the spreadsheet shows them, and chunked reading equal to one piece', () => {
  const whole = json(['preview', wbk('people-libreoffice.xlsx'), '--mode', 'create', '--sheet', 'Employees']);
  const chunked = json(['preview', wbk('people-libreoffice.xlsx'), '--mode', 'create', '--sheet', 'Employees', '--chunk-rows', '1']);
  assert.deepEqual(chunked.doc.summary, whole.doc.summary);
  assert.deepEqual(chunked.doc.rows, whole.doc.rows);
  // The mapping reads the employee number column (its values keep their zeros: validated as external ids).
  const mapping = run(['mapping', wbk('people-libreoffice.xlsx'), '--mode', 'create', '--sheet', '1']);
  assert.equal(mapping.code, 0, mapping.stderr);
  assert.equal(JSON.parse(mapping.stdout).columns['Employee ID'], 'external_id');
});

test('workbook errors are one line that says what to do (exit 2)', () => {
  const oneLine = (r) => { assert.equal(r.code, 2, r.stdout); assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr); return r.stderr; };
  assert.match(oneLine(run(['preview', wbk('people-exceljs.xlsx'), '--mode', 'create', '--sheet', 'Staff'])),
    /has no sheet "Staff"\. Its sheets: "Employees", "Contractors", "Secret", "Empty"/);
  assert.match(oneLine(run(['preview', wbk('people-exceljs.xlsx'), '--mode', 'create', '--sheet', 'Empty'])), /Sheet "Empty" is empty/);
  assert.match(oneLine(run(['preview', wbk('people-exceljs.xlsx'), '--mode', 'create', '--encoding', 'windows-1252'])), /is a workbook: .*--encoding and --delimiter do not apply/);
  assert.match(oneLine(run(['preview', join(root, 'samples/invite-sample.csv'), '--mode', 'invite', '--sheet', '1'])), /--sheet chooses a sheet of a workbook/);
  const xls = join(tmp, 'legacy.xls');
  const ole = Buffer.alloc(2048);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
  writeFileSync(xls, ole);
  assert.match(oneLine(run(['preview', xls, '--mode', 'create'])), /Excel 97-2003 workbook \(\.xls\).*save it as an Excel Workbook \(\.xlsx\) or as CSV UTF-8/);
  const cut = join(tmp, 'cut.xlsx');
  const good = readFileSync(wbk('people-exceljs.xlsx'));
  writeFileSync(cut, good.subarray(0, good.length - 100));
  assert.equal(oneLine(run(['preview', cut, '--mode', 'create'])).trim(),
    `canopy-import: ${cut}: The workbook cannot be read: the end of the ZIP archive is missing (the file is truncated). ` +
    'Open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8, and upload that.');
});

// Peak resident memory of a run, from /proc (VmHWM), polled.
function peak(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let max = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) max = Math.max(max, Number(m[1]) * 1024);
      } catch { /* exited */ }
    }, 5);
    child.on('error', reject);
    child.on('close', (code) => { clearInterval(poll); resolve({ code, peak: max, stderr }); });
  });
}

test('a long sheet streams with flat memory: 50,000 vs 200,000 rows', { timeout: 120_000 }, async (t) => {
  const small = join(tmp, 'p50k.xlsx');
  const big = join(tmp, 'p200k.xlsx');
  await writeBigXlsx(small, 50_000);
  await writeBigXlsx(big, 200_000);
  const a = await peak(['validate', small, '--mode', 'create']);
  const b = await peak(['validate', big, '--mode', 'create']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;
  t.diagnostic(`validate .xlsx: 50,000 rows ${mb(a.peak)}, 200,000 rows ${mb(b.peak)} (/proc VmHWM)`);
  assert.ok(b.peak < 64 * 1048576, `200,000 rows peaked at ${mb(b.peak)}`);
  // What may grow is the file-wide duplicate check: each row's email and external id with their table
  // slots, 96-100 bytes a row measured here (so a bound of 100 failed now and then). A sheet held in
  // memory would cost its cells and the CSV written from them, several hundred bytes a row.
  assert.ok((b.peak - a.peak) / 150_000 < 128, `${mb(a.peak)} for 50,000 rows, ${mb(b.peak)} for 200,000`);
});
