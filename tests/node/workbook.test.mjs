// The workbook reader through the package (dist/): workbooks written at test time by exceljs and SheetJS
// from tests/vectors/workbooks/people.mjs, read cell by cell against what the writers were given, each
// sheet loaded into a session like a CSV (same header detection, mapping, validation); the errors a
// hostile or unreadable file gets; the limits (the file's bytes, the sheet's rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { loadCore, workbookSignature } from '../../dist/index.mjs';
import { LOST, expectedSheets, writeExcelJS, writeSheetJS } from '../vectors/workbooks/people.mjs';

const core = await loadCore();
const vector = (name) => readFileSync(fileURLToPath(new URL(`../vectors/workbooks/${name}`, import.meta.url)));

async function readAll(bytes) {
  const book = await core.openWorkbook(bytes);
  const out = { format: book.format, choice: book.choice, sheets: [] };
  for (let i = 0; i < book.sheets.length; i++) {
    const info = book.sheets[i];
    const sheet = { name: info.name, hidden: info.hidden, rows: null };
    if (info.rows > 1) {
      const s = core.createSession();
      const summary = s.loadSheet(book, i, { headerLine: 1, keepFooters: true });
      assert.equal(summary.format, book.format);
      assert.equal(summary.sheet, info.name);
      assert.equal(summary.bytes, bytes.byteLength, 'the byte limit is the workbook file\'s');
      sheet.rows = [summary.headers, ...s.preview(summary.rows)];
      s.dispose();
    }
    out.sheets.push(sheet);
  }
  book.close();
  return out;
}

// expected.json's shape of a sheet, as loadSheet reads it: empty lines skipped, a header alone not loaded.
const want = (lost) => expectedSheets(lost).map((s) => ({ name: s.name, hidden: s.hidden, rows: s.rows.length > 1 ? s.rows.filter((r) => r !== null) : null }));

for (const [writer, make, lost] of [
  ['exceljs', () => writeExcelJS(ExcelJS), {}],
  ['SheetJS xlsx (shared strings)', () => writeSheetJS(XLSX, 'xlsx', { bookSST: true }), {}],
  ['SheetJS xlsx (inline strings)', () => writeSheetJS(XLSX, 'xlsx', { bookSST: false }), {}],
  ['SheetJS ods', () => writeSheetJS(XLSX, 'ods'), LOST['sheetjs-ods']],
]) {
  test(`${writer}: every cell reads as the writer was given it`, async () => {
    const bytes = new Uint8Array(await make());
    assert.equal(workbookSignature(bytes), 'zip');
    const got = await readAll(bytes);
    assert.equal(got.choice, -1, 'two visible sheets with cells: the user chooses');
    assert.deepEqual(got.sheets, want(lost));
  });
}

for (const file of ['people-libreoffice.xlsx', 'people-libreoffice.ods']) {
  test(`LibreOffice Calc (${file}, committed): every cell reads as written`, async () => {
    assert.deepEqual((await readAll(vector(file))).sheets, want({}));
  });
}

test('a sheet goes through the CSV pipeline: the merged title above the header is skipped, rows validate', async () => {
  const book = await core.openWorkbook(vector('people-exceljs.xlsx'));
  const s = core.createSession();
  const summary = s.loadSheet(book, 'Contractors');
  assert.equal(summary.headerLine, 2);
  assert.deepEqual(summary.preamble.map((l) => l.text), ['Contractors 2026']);
  s.setMode('invite');
  const stats = s.validate();
  assert.deepEqual([stats.total, stats.valid, stats.errors], [2, 2, 0]);
  // Employees: the employee number keeps its zeros, the salary its digits.
  s.loadSheet(book, 'Employees');
  s.setMode('create');
  const rows = s.preview(3);
  assert.deepEqual(rows.map((r) => r[0]), ['00123', '00456', 'EMP-0007']);
  assert.equal(rows[0][6], '123456789012');
  assert.throws(() => s.loadSheet(book, 'Nope'), (e) => e.cause.code === 'workbook_no_sheet' && /Its sheets: "Employees"/.test(e.message));
  assert.throws(() => s.loadSheet(book, 'Empty'), (e) => e.cause.code === 'sheet_empty');
  s.dispose();
  book.close();
});

test('unreadable and hostile files: clear errors, never a crash', async () => {
  const code = async (bytes, options) => {
    try { await core.openWorkbook(bytes, options); return 'ok'; } catch (e) { return e.cause.code; }
  };
  const ole = new Uint8Array(1024);
  ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  assert.equal(workbookSignature(ole), 'ole2');
  assert.equal(await code(ole), 'workbook_legacy_xls');
  const enc = ole.slice();
  enc.set(new Uint8Array(Buffer.from('EncryptedPackage', 'utf16le')), 300);
  assert.equal(await code(enc), 'workbook_encrypted');
  const good = vector('people-exceljs.xlsx');
  assert.equal(await code(good.subarray(0, good.length >> 1)), 'workbook_damaged');
  assert.equal(await code(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 8, 0])), 'workbook_damaged');
  // What is damaged is a nested code with its arguments (the page words it), no English sentence.
  const short = await core.openWorkbook(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 8, 0])).catch((e) => e);
  assert.deepEqual(short.cause.args, ['workbook_zip_too_short']);
  assert.equal(short.message, 'The workbook cannot be read: the file is too short to be a ZIP archive. Open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8, and upload that.');
  // The limit is the file's, checked before a byte of a File is read.
  assert.equal(await code(new Blob([new Uint8Array(10485761)])), 'file_too_large');
  assert.equal(await code(good, { maxBytes: 100 }), 'file_too_large');
  // A workbook handed to load() is named, not read as text.
  const s = core.createSession();
  await assert.rejects(s.load(good), (e) => e.cause.code === 'workbook_needs_reader');
  s.dispose();
  // The reader keeps working after errors.
  assert.equal(await code(good), 'ok');
});

test('the row limit is the sheet\'s: 10,001 data rows are refused with the figure', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Big');
  ws.addRow(['email', 'first_name', 'last_name']);
  for (let i = 0; i < 10001; i++) ws.addRow([`p${i}@example.com`, 'P', String(i)]);
  const book = await core.openWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
  assert.equal(book.choice, 0);
  assert.equal(book.sheets[0].rows, 10002);
  const s = core.createSession();
  assert.throws(() => s.loadSheet(book), (e) => e.cause.code === 'too_many_rows' && /10,001/.test(e.message));
  s.dispose();
  book.close();
});

test('the sheet picker never shows a password: cells under a password header are masked in firstRows', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('People');
  ws.addRow(['Staff list, December']);
  ws.addRow(['email', 'Initial password', 'first_name']);
  ws.addRow(['ada@example.com', 'Sup3r-Secret!', 'Ada']);
  ws.addRow(['grace@example.com', '', 'Grace']);
  const book = await core.openWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
  const rows = book.sheets[0].firstRows;
  assert.deepEqual(rows[1], ['email', 'Initial password', 'first_name']);
  assert.equal(rows[2][0], 'ada@example.com');
  assert.equal(rows[2][1], '••••••••');
  assert.equal(rows[3][1], '', 'an empty cell stays empty');
  assert.ok(!JSON.stringify(book.sheets).includes('Sup3r-Secret!'));
  book.close();
});
