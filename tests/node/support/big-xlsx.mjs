// A large .xlsx written fast, for the CLI's memory and speed measurements (a real writer takes seconds
// per 100,000 rows): one sheet of inline strings and numbers with a 00000 format on the first column,
// deflated with node:zlib, in a ZIP of the five parts Excel needs. Written to `path` in pieces.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32, deflateRawSync } from 'node:zlib';

const CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const WB = '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>';
const STYLES = '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">' +
  '<numFmt numFmtId="164" formatCode="00000"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>';

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const inline = (ref, s) => `<c r="${ref}" t="inlineStr"><is><t>${esc(s)}</t></is></c>`;

export function sheetXml(rows) {
  const out = ['<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  out.push(`<row r="1">${inline('A1', 'Employee ID')}${inline('B1', 'email')}${inline('C1', 'first_name')}${inline('D1', 'last_name')}</row>`);
  for (let i = 0; i < rows; i++) {
    const r = i + 2;
    out.push(`<row r="${r}"><c r="A${r}" s="1"><v>${i}</v></c>${inline(`B${r}`, `person${i}@example.com`)}${inline(`C${r}`, 'Ada')}${inline(`D${r}`, `Lovelace ${i}`)}</row>`);
  }
  out.push('</sheetData></worksheet>');
  return out.join('');
}

export async function writeBigXlsx(path, rows) {
  const entries = [['[Content_Types].xml', CT], ['xl/workbook.xml', WB], ['xl/_rels/workbook.xml.rels', RELS],
    ['xl/styles.xml', STYLES], ['xl/worksheets/sheet1.xml', sheetXml(rows)]];
  const file = createWriteStream(path);
  const central = [];
  let offset = 0;
  const write = async (buf) => { offset += buf.length; if (!file.write(buf)) await once(file, 'drain'); };
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const body = deflateRawSync(data, { level: 6 });
    const crc = crc32(data);
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const at = offset;
    await write(Buffer.concat([local, nameBuf]));
    await write(body);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16); cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(nameBuf.length, 28); cd.writeUInt32LE(at, 42);
    central.push(Buffer.concat([cd, nameBuf]));
  }
  const cdStart = offset;
  const cdBuf = Buffer.concat(central);
  await write(cdBuf);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12); end.writeUInt32LE(cdStart, 16);
  await write(end);
  file.end();
  await once(file, 'finish');
}
