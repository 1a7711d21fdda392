// The built wasm package (dist/) in Node 20: loading, ICU in wasm, conformance, differential against
// Papa Parse, limits and hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { loadCore } from '../../dist/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vec = (name) => readFileSync(`${root}tests/vectors/encodings/${name}`);
const core = await loadCore();

async function parseAll(bytes, opts) {
  const s = core.createSession();
  try {
    const summary = await s.load(bytes, opts);
    const rows = s.preview(1e9);
    return { summary, header: summary.headers, rows };
  } finally {
    s.dispose();
  }
}

async function fatal(bytes, opts) {
  const s = core.createSession();
  try {
    await s.load(bytes, opts);
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.cause.code, e.code);
    return e;
  } finally {
    s.dispose();
  }
  assert.fail('expected a fatal error');
}

const utf8 = (s) => new TextEncoder().encode(s);

test('the package loads and describes the modes', () => {
  const info = core.info();
  assert.deepEqual(info.modes.map((m) => m.id), ['invite', 'create', 'account']);
  assert.deepEqual(info.modes.find((m) => m.id === 'create').required, ['email', 'first_name', 'last_name']);
  assert.ok(info.encodings.some((e) => e.name === 'Shift_JIS' && e.labels.includes('windows-31j') && e.tableFile === 'enc-jis.bin'));
  assert.deepEqual(info.encodings.find((e) => e.name === 'windows-1252').labels.slice(0, 3), ['ansi_x3.4-1968', 'ascii', 'cp1252']);
  assert.ok(info.messages.too_many_rows.includes('10,000'));
});

test('ICU in wasm: a windows-1252 file decodes to the right UTF-8', async () => {
  const { summary, header, rows } = await parseAll(vec('german-semicolon-windows-1252.csv'));
  assert.equal(summary.encoding, 'windows-1252');
  assert.equal(summary.delimiter, 'semicolon');
  assert.deepEqual(header, ['E-Mail', 'Vorname', 'Nachname', 'Abteilung']);
  assert.deepEqual(rows[1], ['joerg.strauss@example.de', 'Jörg', 'Strauß', 'Außendienst']);
  assert.equal(rows[2][3], '„Vertrieb“ €');
  // Byte for byte what iconv made of the UTF-8 original.
  const expected = vec('german-semicolon.utf8').toString('utf8').split('\r\n')[3].split(';');
  assert.deepEqual(rows[2], expected);
});

test('ICU in wasm: E-MAIL and Ｅ－ｍａｉｌ normalise to the same key', () => {
  for (const header of ['E-MAIL', 'Ｅ－ｍａｉｌ', 'e_mail', 'Courriel']) {
    const s = core.createSession();
    s.loadText(`${header}\nx@example.org\n`);
    const m = s.setMode('invite');
    assert.equal(m.columns[0].field, 'email', header);
    assert.equal(m.columns[0].status, 'matched');
    s.dispose();
  }
  const s = core.createSession();
  s.loadText('E-MAIL,Ｅ－ｍａｉｌ\na@x.org,b@x.org\n');
  const m = s.setMode('invite');
  assert.equal(m.columns[1].status, 'duplicate');
  assert.match(m.columns[1].note, /already has/);
  s.dispose();
});

test('ICU in wasm: header rows in non-Latin scripts map as natively (marks, width, case folding)', () => {
  // The same rows as the native test "a header row in each of the 28 languages" (tests/unit/test_mapping.cpp),
  // for the scripts where ICU's normalisation does the most: kana with voicing marks, Thai vowel signs,
  // Arabic hamza, Hebrew gershayim, Hangul, Greek tonos, Turkish dotted İ, Cyrillic й.
  const rows = [
    ['社員番号,姓,名,メールアドレス,パスワード', 'ja'],
    ['รหัสพนักงาน,นามสกุล,ชื่อ,อีเมล,รหัสผ่าน', 'th'],
    ['الرقم الوظيفي,اسم العائلة,الاسم الأول,البريد الإلكتروني,كلمة المرور', 'ar'],
    ['מספר עובד,שם משפחה,שם פרטי,"דוא""ל",סיסמה', 'he'],
    ['사번,성,이름,이메일,비밀번호', 'ko'],
    ['Αριθμός μητρώου,Επώνυμο,Όνομα,Διεύθυνση email,Κωδικός πρόσβασης', 'el'],
    ['Sicil No,Soyadı,Adı,E-posta adresi,Şifre', 'tr'],
    ['Табельный номер,Фамилия,Имя,Эл. почта,Пароль', 'ru'],
  ];
  for (const [header, lang] of rows) {
    const s = core.createSession();
    s.loadText(`${header}\nE1,L,F,x@example.org,Secret-Passw0rd\n`);
    const m = s.setMode('create');
    assert.deepEqual(m.columns.map((c) => c.field), ['external_id', 'last_name', 'first_name', 'email', 'password'], lang);
    s.dispose();
  }
  const s = core.createSession();
  s.loadText('氏名,メールアドレス\nAda Lovelace,x@example.org\n');
  const m = s.setMode('create');
  assert.equal(m.columns[0].field, '');
  assert.equal(m.columns[0].noteCode, 'header_full_name');
  s.dispose();
});

test('real encodings in wasm: UTF-16LE Excel export, Shift_JIS, EUC-JP, UTF-8 with and without BOM', async () => {
  const cases = [
    ['excel-unicode-text-utf16le.txt', 'excel-unicode-text.utf8', 'UTF-16LE', 'tab'],
    ['japanese-shift_jis.csv', 'japanese.utf8', 'Shift_JIS', 'comma'],
    ['japanese-euc-jp.csv', 'japanese.utf8', 'EUC-JP', 'comma'],
    ['utf8-bom.csv', 'utf8-no-bom.csv', 'UTF-8', 'comma'],
    ['utf8-no-bom.csv', 'utf8-no-bom.csv', 'UTF-8', 'comma'],
    ['russian-windows-1251.csv', 'russian.utf8', 'windows-1251', 'comma'],
  ];
  for (const [file, reference, encoding, delimiter] of cases) {
    const { summary, header, rows } = await parseAll(vec(file));
    assert.equal(summary.encoding, encoding, file);
    assert.equal(summary.delimiter, delimiter, file);
    const ref = Papa.parse(vec(reference).toString('utf8'), { skipEmptyLines: true }).data;
    assert.deepEqual([header, ...rows], ref, file);
  }
});

test('an encoding override decodes the bytes again', async () => {
  const detected = await parseAll(vec('polish-windows-1250.csv'));
  assert.equal(detected.summary.encoding, 'windows-1250');
  const forced = await parseAll(vec('polish-windows-1250.csv'), { encoding: 'windows-1252' });
  assert.equal(forced.summary.encoding, 'windows-1252');
  assert.equal(forced.summary.encodingMethod, 'override');
  assert.notDeepEqual(forced.rows, detected.rows);
  assert.equal((await fatal(vec('utf8-no-bom.csv'), { encoding: 'EBCDIC' })).code, 'unknown_encoding');
});

test('csv-spectrum: all 12 cases in wasm', async () => {
  const dir = `${root}node_modules/csv-spectrum/`;
  const names = readdirSync(`${dir}csvs`).map((f) => f.replace(/\.csv$/, ''));
  assert.equal(names.length, 12);
  for (const name of names) {
    const csv = readFileSync(`${dir}csvs/${name}.csv`);
    let expected = JSON.parse(readFileSync(`${dir}json/${name}.json`, 'utf8'));
    // Errata of csv-spectrum 2.0.0 (see tests/unit/test_parse.cpp): a bare object, and a phone number
    // that is not the one in the CSV.
    if (!Array.isArray(expected)) expected = [expected];
    if (name === 'location_coordinates') expected[0]['Contact Phone Number'] = '2095257564';
    if (name.endsWith('_crlf')) assert.ok(csv.includes('\r\n'), `${name} really is CRLF`);
    const { header, rows } = await parseAll(csv, { delimiter: 'comma' });
    const objects = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    assert.deepEqual(objects, expected, name);
  }
});

test('differential: same cells as Papa Parse on generated well-formed files', async () => {
  let seed = 7;
  const rnd = (m) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % m; };
  const alphabet = ['a', 'Z', ',', ';', '"', '\n', '\r\n', ' ', 'ü', '日本', '\t', '😀', '#'];
  for (let file = 0; file < 150; file++) {
    const cols = 1 + rnd(6);
    const lines = [];
    for (let r = 0; r < 2 + rnd(40); r++) {
      const cells = [];
      for (let c = 0; c < cols; c++) {
        let v = '';
        for (let k = rnd(10); k > 0; k--) v += alphabet[rnd(alphabet.length)];
        if ((r === 0 || cols === 1) && !v.trim()) v = `h${c}`;
        cells.push(/[",\n\r#;\t]/.test(v) || rnd(3) === 0 ? `"${v.replaceAll('"', '""')}"` : v);
      }
      lines.push(cells.join(','));
    }
    const newline = rnd(2) ? '\n' : '\r\n';
    const text = lines.join(newline) + (rnd(2) ? newline : '');
    const ours = await parseAll(utf8(text), { delimiter: 'comma' });
    // Papa guesses the line ending from the whole text (quoted CRLFs can fool it), so it is told.
    const papa = Papa.parse(text, { delimiter: ',', newline, skipEmptyLines: true });
    // Rows of only empty cells are skipped by our reader, like blank lines (Papa keeps them).
    const theirs = papa.data.filter((row, i) => i === 0 || row.some((c) => c !== ''));
    assert.deepEqual([ours.header, ...ours.rows], theirs, `file ${file}:\n${text}`);
  }
});

test('limits: over 10 MiB and over 10,000 rows are rejected with the figures and how to split', async () => {
  const big = new Uint8Array(10485761).fill(0x61);
  const e1 = await fatal(big);
  assert.equal(e1.code, 'file_too_large');
  assert.match(e1.message, /10,485,761 bytes/);
  assert.match(e1.message, /Split it/);
  assert.match(e1.message, /canopy-import/);
  const rows = ['email'];
  for (let i = 0; i < 10002; i++) rows.push(`u${i}@example.org`);
  const e2 = await fatal(utf8(rows.join('\n')));
  assert.equal(e2.code, 'too_many_rows');
  assert.match(e2.message, /10,002 data rows/);
  // Exactly 10,000 is fine.
  assert.equal((await parseAll(utf8(rows.slice(0, 10001).join('\n')))).summary.rows, 10000);
});

test('bad input: clear errors, never a crash', async () => {
  assert.equal((await fatal(new Uint8Array(0))).code, 'file_empty');
  assert.equal((await fatal(utf8('email,first_name\n'))).code, 'no_data_rows');
  assert.equal((await fatal(utf8('# only a comment\n\n'))).code, 'no_header');
  const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]);
  const e = await fatal(zip);
  assert.equal(e.code, 'workbook_needs_reader'); // a workbook is named, not read as text (loadWorkbook reads it)
  assert.match(e.message, /CSV UTF-8/);
  assert.equal((await fatal(utf8('email\na@b.org\0\n'))).code, 'binary_file');
  let seed = 1;
  const garbage = new Uint8Array(4096).map(() => { seed = (seed * 48271) % 2147483647; return (seed & 0xff) | 1; });
  // Random non-NUL bytes decode as some single-byte encoding; whatever they parse to, it does not crash.
  const s = core.createSession();
  try { await s.load(garbage); } catch (err) { assert.ok(err.code); }
  s.dispose();
  // A 10 MB single line: one header cell, no data rows.
  const line = new Uint8Array(10 * 1024 * 1024 - 16).fill(0x62);
  assert.equal((await fatal(line)).code, 'no_data_rows');
  // Mixed line endings and no final newline.
  const mixed = await parseAll(vec('mixed-line-endings-no-final-newline.csv'));
  assert.equal(mixed.summary.rows, 3);
  assert.deepEqual(mixed.rows[2], ['third@example.com', 'Third', 'Line']);
});

test('memory: 20 imports of a 10 MB file do not grow the heap', async () => {
  const parts = ['email,first_name,last_name,notes'];
  let i = 0;
  let size = parts[0].length;
  while (size < 9.5 * 1024 * 1024) {
    const row = `user${i}@example.org,"Ana ""Ani""",Pérez,"${'x'.repeat(960)}\nsecond line"`;
    parts.push(row);
    size += row.length + 1;
    i++;
  }
  const file = utf8(parts.join('\n'));
  assert.ok(file.byteLength < 10485760);
  const heaps = [];
  for (let k = 0; k < 20; k++) {
    const s = core.createSession();
    await s.load(file);
    s.setMode('create');
    s.validate();
    s.dispose();
    heaps.push(core.heapBytes());
  }
  // Wasm memory never shrinks; what matters is that it stops growing after the first import.
  assert.equal(heaps[19], heaps[1], `heap sizes: ${heaps.join(', ')}`);
  assert.ok(heaps[19] < 4 * 10485760 + 64 * 1024 * 1024, `heap ${heaps[19]}`);
});

test('strict UTF-8 in wasm (the SIMD path): good and bad sequences at every lane and block boundary', async () => {
  const good = ['é', '€', '😀', '日本'];
  const bad = [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
  for (let offset = 0; offset < 140; offset += 1) {
    const prefix = 'email\n' + 'a'.repeat(offset);
    for (const g of good) {
      const bytes = utf8(`${prefix}${g}\nx@y.org\n`);
      const s = core.createSession();
      assert.equal((await s.load(bytes, { encoding: 'UTF-8' })).rows >= 1, true, `good ${g} at ${offset}`);
      s.dispose();
    }
    for (const b of bad) {
      const bytes = new Uint8Array([...utf8(prefix), ...b, ...utf8('\nx@y.org\n')]);
      const e = await fatal(bytes, { encoding: 'UTF-8' });
      assert.equal(e.code, 'undecodable', `bad ${b} at ${offset}`);
      assert.match(e.message, new RegExp(`offset ${6 + offset}\\b`));
    }
  }
});

test('UTF-8 detection in wasm agrees with TextDecoder (fatal) on 4,000 generated files', async () => {
  // Mixes of ASCII runs, two-, three- and four-byte characters and broken sequences, so that every kind
  // of block (ASCII only, two-byte only, longer sequences) meets every other kind at lane and block
  // boundaries, and a file may end inside a sequence. The reference is the platform's own decoder.
  let seed = 20261127;
  const rnd = (m) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % m; };
  const good = ['é', 'ß', 'ł', 'Ж', 'ש', 'ع', '߿', '\u0080', '€', '日', '\uffff', '😀', '\u{10ffff}'].map((c) => [...utf8(c)]);
  const bad = [[0xc0, 0xaf], [0xc1, 0x81], [0xc3], [0xdf], [0x80], [0xbf], [0xe2, 0x82], [0xed, 0xa0, 0x80],
    [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98],
    [0xf5, 0x80, 0x80, 0x80], [0xff], [0xfe], [0xc3, 0xc3, 0xa9]];
  const strict = new TextDecoder('utf-8', { fatal: true });
  const counts = { utf8: 0, other: 0 };
  for (let file = 0; file < 4000; file++) {
    const bytes = [...utf8('h\nx')];
    const tokens = 1 + rnd(40);
    const broken = rnd(2) === 0 ? rnd(tokens) : -1;
    const onlyTwoByte = rnd(3) === 0;
    for (let t = 0; t < tokens; t++) {
      if (t === broken) bytes.push(...bad[rnd(bad.length)]);
      else if (rnd(2) === 0) for (let k = rnd(40); k > 0; k--) bytes.push(97 + rnd(26));
      else bytes.push(...good[rnd(onlyTwoByte ? 7 : good.length)]);
    }
    const input = new Uint8Array(bytes);
    let valid = true;
    try { strict.decode(input); } catch { valid = false; }
    const s = core.createSession();
    let summary = null;
    try { summary = await s.load(input); } catch { /* not decodable as the encoding ICU guessed */ }
    s.dispose();
    const detectedUtf8 = summary?.encoding === 'UTF-8' && summary.encodingMethod === 'utf8';
    assert.equal(detectedUtf8, valid, `file ${file}: ${Buffer.from(input).toString('hex')}`);
    counts[valid ? 'utf8' : 'other']++;
  }
  assert.ok(counts.utf8 > 1000 && counts.other > 1000, JSON.stringify(counts));
});

test('a NUL byte is found at every offset of the last, padded block', async () => {
  for (let offset = 0; offset < 130; offset++) {
    const bytes = utf8('email\nx@y.org' + 'a'.repeat(offset));
    const withNul = new Uint8Array([...bytes, 0, ...utf8('b\n')]);
    assert.equal((await fatal(withNul)).code, 'binary_file', `NUL after ${bytes.length} bytes`);
    const s = core.createSession();
    assert.equal((await s.load(new Uint8Array([...bytes, ...utf8('\n')]))).encoding, 'UTF-8');
    s.dispose();
  }
});

test('a column headed like a password is masked in the first rows and the mapping samples, mapped or not', () => {
  const s = core.createSession();
  try {
    s.loadText('email,Passwort,first_name\nada@example.org,Geheim-123,Ada\nbob@example.org,,Bob\n');
    const rows = s.preview(5);
    assert.deepEqual(rows[0], ['ada@example.org', '••••••••', 'Ada']);
    assert.deepEqual(rows[1], ['bob@example.org', '', 'Bob']);  // an empty cell stays empty
    for (const mode of ['invite', 'create']) {  // invite has no password field; create maps the column
      const m = s.setMode(mode);
      assert.equal(m.columns[1].field, mode === 'create' ? 'password' : '');
      assert.deepEqual(m.columns[1].samples, ['••••••••'], mode);
    }
  } finally {
    s.dispose();
  }
});

test('a full-name column split on request: preview first, bodies with both names, undo', () => {
  const s = core.createSession();
  s.loadText('email,Name\nada@example.org,Ada Lovelace\ntaro@example.org,山田 太郎\n');
  let m = s.setMode('create');
  assert.deepEqual(m.missing, ['first_name', 'last_name']);
  assert.equal(m.columns[1].noteCode, 'header_full_name');
  assert.equal(m.splitColumn, -1);
  const preview = s.splitPreview(1, 5);
  assert.deepEqual(preview.map((p) => [p.line, p.firstName, p.lastName, p.unsure]),
    [[2, 'Ada', 'Lovelace', ''], [3, '', '', 'name_split_cjk']]);
  assert.match(preview[1].reason, /family name first/);
  m = s.setSplitColumn(1).mapping;
  assert.equal(m.splitColumn, 1);
  assert.equal(m.columns[1].status, 'split');
  assert.deepEqual(m.missing, []);
  const st = s.validate();
  assert.equal(st.valid, 1);
  assert.equal(st.errors, 1);
  const rows = s.rows({ limit: 5 }).rows;
  assert.ok(rows[1].issues.some((i) => i.code === 'name_split_unsure'));
  // Mapping a name field stops the split; so does -1.
  m = s.setColumn(0, 'email').mapping;
  assert.equal(m.splitColumn, 1);
  assert.equal(s.setSplitColumn(-1).mapping.splitColumn, -1);
  s.setSplitColumn(1);
  assert.equal(s.setColumn(1, 'first_name').mapping.splitColumn, -1);
  assert.throws(() => s.setSplitColumn(0), (e) => e.cause?.code === 'bad_argument' && /^First name is already mapped from column "Name"\./.test(e.message)
    && e.cause.args[0] === 'name_split_field_mapped' && e.cause.args[1] === 'first_name');
  // A move says so as data: the page words it in the user's language.
  const moved = s.setColumn(1, 'email');
  assert.equal(moved.code, 'field_moved');
  assert.deepEqual(moved.args, ['email', 'email', 'Name']);
  assert.equal(moved.message, 'Email moved from column "email" to column "Name"; "email" is now ignored.');
  assert.equal(moved.mapping.columns[0].noteCode, 'field_moved_away');
  assert.deepEqual(moved.mapping.columns[0].noteArgs, ['email', 'Name']);
  const plain = s.setColumn(0, '');
  assert.equal(plain.code, '');
  assert.deepEqual(plain.args, []);
  assert.throws(() => s.setColumn(0, 'application_id'), (e) => e.cause?.code === 'bad_argument'
    && e.cause.args[0] === 'not_a_field_of_mode' && e.message === '"application_id" is not a field of Bulk create. Choose one of its fields, or Ignore.');
  s.dispose();
});

test("the directory check's failure is a code with arguments (the page words it), and in English", async () => {
  const s = core.createSession();
  try {
    await s.load(utf8('email,first_name,last_name\nada@example.org,Ada,L\n'));
    s.setMode('invite');
    s.validate();
    assert.equal(s.directoryNext({ environmentId: 'env_dev' }).kind, 'send');
    const { directory } = s.directoryResponse({ status: 0, timeoutS: 30 });
    assert.deepEqual([directory.state, directory.reasonCode, directory.reasonArgs, directory.reason],
      ['failed', 'directory_timeout', ['30'], 'the server did not answer within 30 s']);
    const http = s.directoryResponse({ status: 503, body: '{"error":{"code":"unavailable","message":"down"}}' }).directory;
    assert.deepEqual([http.reasonCode, http.reasonArgs, http.reason], ['directory_http_said', ['503', 'down'], 'the server answered HTTP 503: down']);
    assert.deepEqual(s.directoryResponse({ status: 0 }).directory.reasonCode, 'directory_no_answer');
  } finally {
    s.dispose();
  }
});
