// A workbook dropped on the Upload step: the workbook reader is fetched only then, a workbook with two
// sheets that hold cells asks which one (name, rows, first rows), and the chosen sheet goes on to
// Preview exactly as a CSV would, its employee numbers' leading zeros kept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';

import { SKIP_REASON, checkA11y, dropFile, openWizard, pickMode, screenshots, startSession, toMapping, toPreview } from './support/harness.mjs';

async function twoSheets() {
  const wb = new ExcelJS.Workbook();
  const people = wb.addWorksheet('Employees');
  people.addRow(['Employee ID', 'email', 'first_name', 'last_name']);
  people.addRow([123, 'ada@example.com', 'Ada', 'Lovelace']);
  people.addRow([456, 'grace@example.com', 'Grace', 'Hopper']);
  people.addRow([7, 'not-an-email', 'Linus', 'T']);
  people.getColumn(1).numFmt = '00000';
  const other = wb.addWorksheet('Contractors');
  other.addRow(['email', 'first_name', 'last_name']);
  other.addRow(['kim@example.com', 'Kim', 'Lee']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('wizard step 2: an .xlsx with two sheets, through the sheet picker to Preview', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  const requests = [];
  before(async () => {
    s = await startSession();
    s.page.on('request', (r) => requests.push(r.url()));
    dlg = await openWizard(s.page, 'access-control');
    await pickMode(dlg, 'Bulk create');
  });
  after(async () => { await s?.close(); });

  it('fetches the workbook reader only when a workbook is dropped', async () => {
    assert.equal(requests.filter((u) => u.includes('canopy-workbook')).length, 0, 'not in the first payload');
    // A name that says .xls: the content decides.
    await dropFile(dlg, 'people.xls', await twoSheets(), 'application/vnd.ms-excel');
    const picker = dlg.getByRole('region', { name: 'Which sheet holds the people?' });
    await picker.waitFor();
    assert.ok(requests.some((u) => u.endsWith('canopy-workbook.wasm')), 'the reader was fetched');
    const text = await picker.innerText();
    assert.match(text, /Employees\s*· 4 rows/);
    assert.match(text, /Contractors\s*· 2 rows/);
    assert.match(text, /00123/, 'the first rows, as the spreadsheet shows them');
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isDisabled(), 'nothing loaded before a sheet is chosen');
    await screenshots(s.page, 'step2-sheet-picker');
    await checkA11y(s.page, 'sheet picker');
  });

  it('loads the chosen sheet, says which, and goes on to Preview like a CSV', async () => {
    await dlg.getByRole('button', { name: 'Use sheet Employees' }).click();
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.waitFor();
    assert.match(await summary.innerText(), /Sheet ‘Employees’ of people\.xls/);
    assert.match(await summary.innerText(), /Excel workbook \(\.xlsx\)/);
    assert.equal(await dlg.getByLabel('Encoding', { exact: true }).count(), 0, 'a sheet has no encoding to choose');
    assert.match(await summary.getByRole('table').innerText(), /00123/);
    // Another sheet, then back.
    await dlg.getByRole('button', { name: 'Choose another sheet' }).click();
    await dlg.getByRole('button', { name: 'Use sheet Contractors' }).click();
    await dlg.getByText('Sheet ‘Contractors’ of people.xls').waitFor();
    await dlg.getByRole('button', { name: 'Choose another sheet' }).click();
    await dlg.getByRole('button', { name: 'Use sheet Employees' }).click();
    await dlg.getByText('Sheet ‘Employees’ of people.xls').waitFor();

    await toMapping(dlg);
    await toPreview(dlg);
    const stats = await dlg.locator('.cnp-stats').innerText();
    assert.match(stats, /2/);
    const tableEl = dlg.getByRole('table').first();
    await tableEl.locator('tr', { hasText: 'not-an-email' }).waitFor();
    const table = await tableEl.innerText();
    assert.match(table, /ada@example\.com/);
    assert.match(table, /not-an-email/);
    await screenshots(s.page, 'step4-preview-from-xlsx');
  });
});

// An OpenDocument spreadsheet made by LibreOffice (tests/vectors/workbooks/, see make-vectors there): four
// sheets, one hidden, one empty, one with a title row above its header.
describe('wizard step 2: an .ods by LibreOffice, a sheet with a title row, through to Preview', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  before(async () => {
    s = await startSession();
    dlg = await openWizard(s.page, 'access-control');
    await pickMode(dlg, 'Bulk create');
  });
  after(async () => { await s?.close(); });

  it('lists the sheets with cells (the hidden one marked), loads the chosen one and reads past its title row', async () => {
    const ods = readFileSync(new URL('../vectors/workbooks/people-libreoffice.ods', import.meta.url));
    await dropFile(dlg, 'people.ods', ods, 'application/vnd.oasis.opendocument.spreadsheet');
    const picker = dlg.getByRole('region', { name: 'Which sheet holds the people?' });
    await picker.waitFor();
    const text = await picker.innerText();
    assert.match(text, /Employees\s*· 5 rows/);
    assert.match(text, /Contractors\s*· 4 rows/);
    assert.match(text, /Secret[\s\S]*hidden/);
    assert.match(text, /Empty\s*· empty/, 'a sheet without cells says so');
    await checkA11y(s.page, 'ods sheet picker');

    await dlg.getByRole('button', { name: 'Use sheet Contractors' }).click();
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.waitFor();
    const said = await summary.innerText();
    assert.match(said, /Sheet ‘Contractors’ of people\.ods/);
    assert.match(said, /OpenDocument spreadsheet \(\.ods\)/);
    assert.match(said, /Contractors 2026/, 'the title row above the header is named as skipped');

    await toMapping(dlg);
    await toPreview(dlg);
    // Rows are drawn at once with a "Loading…" placeholder; their cells arrive from the worker.
    const tableEl = dlg.getByRole('table').first();
    await tableEl.locator('tr', { hasText: 'sam@example.com' }).waitFor();
    const table = await tableEl.innerText();
    assert.match(table, /kim@example\.com/);
    assert.match(table, /sam@example\.com/);
    await screenshots(s.page, 'step4-preview-from-ods');
  });
});
