#!/usr/bin/env node
// Writes the committed workbook vectors once (node tests/vectors/workbooks/generate.mjs): the
// people.mjs workbook by exceljs and by SheetJS, and the exceljs file opened and saved again by
// LibreOffice Calc headless (Debian's libreoffice-calc: soffice --headless --convert-to xlsx / ods),
// which is too heavy for every test run. expected.json says what every sheet must read as.
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { LOST, SHEETS, expectedSheets, writeExcelJS, writeSheetJS } from './people.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
writeFileSync(join(here, 'people-exceljs.xlsx'), await writeExcelJS(ExcelJS));
writeFileSync(join(here, 'people-sheetjs.xlsx'), writeSheetJS(XLSX, 'xlsx', { bookSST: true }));
writeFileSync(join(here, 'people-sheetjs-inline.xlsx'), writeSheetJS(XLSX, 'xlsx', { bookSST: false }));
writeFileSync(join(here, 'people-sheetjs.ods'), writeSheetJS(XLSX, 'ods'));

const work = mkdtempSync(join(tmpdir(), 'wb-vectors-'));
try {
  copyFileSync(join(here, 'people-exceljs.xlsx'), join(work, 'people-libreoffice.xlsx'));
  const profile = `-env:UserInstallation=file://${join(work, 'profile')}`;
  for (const [to, out] of [['ods', 'people-libreoffice.ods'], ['xlsx', 'people-libreoffice.xlsx']]) {
    const outDir = join(work, to);
    execFileSync('soffice', [profile, '--headless', '--convert-to', to, '--outdir', outDir, join(work, 'people-libreoffice.xlsx')],
      { stdio: 'inherit' });
    writeFileSync(join(here, out), readFileSync(join(outDir, `people-libreoffice.${to}`)));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const files = ['people-exceljs.xlsx', 'people-sheetjs.xlsx', 'people-sheetjs-inline.xlsx', 'people-sheetjs.ods',
  'people-libreoffice.xlsx', 'people-libreoffice.ods'];
const expected = {
  note: 'Written by generate.mjs from people.mjs: the rows every sheet of each file must read as (null: an empty line).',
  files: Object.fromEntries(files.map((f) => [f, { sheets: expectedSheets(f === 'people-sheetjs.ods' ? LOST['sheetjs-ods'] : {}) }])),
};
writeFileSync(join(here, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
console.log('wrote', SHEETS.length, 'sheets into', files.length, 'workbooks in', here);
