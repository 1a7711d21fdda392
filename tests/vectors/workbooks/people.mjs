// The workbook the vectors are written from: what each writer is given (values, number formats, rich
// text, a merged title, a hidden and an empty sheet) and, beside it, what the importer must read back
// (cells as the spreadsheet shows them). Shared by generate.mjs (files made once, committed) and
// tests/node/workbook.test.mjs (files made again at test time by exceljs and SheetJS).
export const EMPLOYEES = {
  name: 'Employees',
  // [given, numFmt | undefined, expected]
  rows: [
    [['Employee ID'], ['email'], ['first_name'], ['last_name'], ['Start date'], ['Active'], ['Salary'], ['Note']],
    [[123, '00000', '00123'], ['ada@example.com'], ['Ada'], ['Lovelace'],
      [new Date(Date.UTC(2021, 2, 1)), 'yyyy-mm-dd', '2021-03-01'], [true, undefined, 'TRUE'],
      [123456789012, undefined, '123456789012'],
      [{ richText: [{ text: 'Likes ' }, { font: { bold: true }, text: 'maths' }] }, undefined, 'Likes maths']],
    [['00456', '@', '00456'], ['grace@example.com'], ['Grace'], ['Hopper'],
      [new Date(Date.UTC(1999, 11, 31, 10, 30)), 'yyyy-mm-dd hh:mm', '1999-12-31T10:30:00'], [false, undefined, 'FALSE'],
      [0.1 + 0.2, undefined, '0.3'], ['Line one\nLine two']],
    [[7, '"EMP-"0000', 'EMP-0007'], ['linus@example.com'], ['Linus, Jr.'], ['O"Neil'],
      [new Date(Date.UTC(2024, 1, 29)), 'dd/mm/yyyy', '2024-02-29'], [true, undefined, 'TRUE'],
      [1234.5, '#,##0.00', '1,234.50'], ['#hashtag']],
    null, // an empty row between the data
    [[9, undefined, '9'], ['zoe@example.com'], ['Zoë'], ['Ĳssel 日本'], [null], [null], [1e20, undefined, '100000000000000000000'], [null]],
  ],
};

export const CONTRACTORS = {
  name: 'Contractors',
  merge: 'A1:C1', // the title spans three cells; its value is in the first
  rows: [
    [['Contractors 2026'], [null], [null]],
    [['email'], ['first_name'], ['last_name']],
    [['kim@example.com'], ['Kim'], ['Lee']],
    [['sam@example.com'], ['Sam'], ['Patel']],
  ],
};

export const SECRET = { name: 'Secret', hidden: true, rows: [[['password'], ['hunter2']]] };
export const EMPTY = { name: 'Empty', rows: [] };

export const SHEETS = [EMPLOYEES, CONTRACTORS, SECRET, EMPTY];

// expected.json's entry for one file: its sheets, whether hidden, and their rows.
export const expectedSheets = (lost = {}) =>
  SHEETS.map((s) => ({ name: s.name, hidden: !!s.hidden && !lost.hidden, rows: expectedRows(s, lost) }));

const plain = (v) => (v && typeof v === 'object' && v.richText ? v.richText.map((r) => r.text).join('') : v);

// What a writer leaves out of its file, so the importer cannot read it back: SheetJS's ODS writer
// writes no number styles (a number shows as its value) and no hidden sheets.
export const LOST = { 'sheetjs-ods': { formats: true, hidden: true } };

// The CSV rows the importer must produce for a sheet: every row as wide as the widest, an empty row
// as an empty line, trailing empty rows and columns left out.
export function expectedRows(sheet, lost = {}) {
  const shown = ([given, fmt, expected]) => {
    if (lost.formats && typeof given === 'number' && fmt) return String(given);
    return expected !== undefined ? expected : given == null ? '' : String(plain(given));
  };
  const rows = sheet.rows.map((r) => (r === null ? null : r.map(shown)));
  let width = 0;
  for (const r of rows) if (r) for (let i = 0; i < r.length; i++) if (r[i] !== '') width = Math.max(width, i + 1);
  while (rows.length && (rows[rows.length - 1] === null || rows[rows.length - 1].every((c) => c === ''))) rows.pop();
  return rows.map((r) => (r === null || r.every((c) => c === '') ? null : Array.from({ length: width }, (_, i) => r[i] ?? '')));
}

// Writes the workbook with exceljs (cells typed as given: numbers, dates, booleans, rich text).
export async function writeExcelJS(ExcelJS) {
  const wb = new ExcelJS.Workbook();
  for (const sheet of SHEETS) {
    const ws = wb.addWorksheet(sheet.name, sheet.hidden ? { state: 'hidden' } : {});
    sheet.rows.forEach((row, r) => {
      if (!row) return;
      row.forEach(([given, fmt], c) => {
        if (given == null) return;
        const cell = ws.getCell(r + 1, c + 1);
        cell.value = given;
        if (fmt) cell.numFmt = fmt;
      });
    });
    if (sheet.merge) ws.mergeCells(sheet.merge);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Writes the workbook with SheetJS (bookType 'xlsx' or 'ods'; inline strings with bookSST false).
export function writeSheetJS(XLSX, bookType, options = {}) {
  const wb = XLSX.utils.book_new();
  for (const sheet of SHEETS) {
    const ws = {};
    let maxR = 0, maxC = 0;
    sheet.rows.forEach((row, r) => {
      if (!row) return;
      row.forEach(([given, fmt], c) => {
        if (given == null) return;
        const v = plain(given);
        const addr = XLSX.utils.encode_cell({ r, c });
        const cell = typeof v === 'number' ? { t: 'n', v } : typeof v === 'boolean' ? { t: 'b', v }
          : v instanceof Date ? { t: 'd', v } : { t: 's', v };
        if (fmt) cell.z = fmt;
        if (fmt === '@' ) cell.t = 's';
        ws[addr] = cell;
        maxR = Math.max(maxR, r);
        maxC = Math.max(maxC, c);
      });
    });
    ws['!ref'] = sheet.rows.length ? XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: maxR, c: maxC } }) : 'A1';
    if (sheet.merge) ws['!merges'] = [XLSX.utils.decode_range(sheet.merge)];
    XLSX.utils.book_append_sheet(wb, ws, sheet.name);
  }
  wb.Workbook = { Sheets: SHEETS.map((s) => ({ name: s.name, Hidden: s.hidden ? 1 : 0 })) };
  return XLSX.write(wb, { type: 'buffer', bookType, cellDates: true, ...options });
}
