// canopy-import offline: sample, preview (text and JSON), validate, mapping, help and errors. No server.
// The binary is build/native/canopy-import (tools/bootstrap.sh builds it); CANOPY_IMPORT_BIN overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { APPLICATIONS, ENVIRONMENTS } from '../../tools/server/seed.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const vec = (name) => join(root, 'tests/vectors/cli', name);
const enc = (name) => join(root, 'tests/vectors/encodings', name);
const tmp = mkdtempSync(join(tmpdir(), 'canopy-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('the CLI binary is built', () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run tools/bootstrap.sh (or set CANOPY_IMPORT_BIN)`);
});

function run(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const json = (args, opts) => {
  const r = run([...args, '--format', 'json'], opts);
  return { ...r, doc: r.out ? JSON.parse(r.out) : null };
};

// Lookups of env_dev as the API returns them, from the server's own seed.
const dev = ENVIRONMENTS.find((e) => e.id === 'env_dev');
const lookupsFile = join(tmp, 'lookups.json');
writeFileSync(
  lookupsFile,
  JSON.stringify({ roles: { items: dev.roles }, nodes: dev.nodes, oauth_clients: dev.clients, applications: APPLICATIONS }),
);

const oneLineError = (r, code) => {
  assert.equal(r.code, code, r.err);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.err}`);
  assert.match(lines[0], /^canopy-import: \S/);
  return lines[0];
};

test('--help for every subcommand; unknown commands and options are one-line usage errors', () => {
  const overview = run(['--help']);
  assert.equal(overview.code, 0);
  for (const cmd of ['sample', 'preview', 'validate', 'mapping', 'submit']) assert.match(overview.out, new RegExp(`canopy-import ${cmd}`));
  assert.match(overview.out, /Exit status: 0 .*\n?.*1 .*2 .*3 /s);
  for (const cmd of ['sample', 'preview', 'validate', 'mapping', 'submit']) {
    const h = run([cmd, '--help']);
    assert.equal(h.code, 0, cmd);
    assert.match(h.out, new RegExp(`^(Usage: | +)canopy-import ${cmd} `, 'm'), cmd);
    assert.equal(run(['help', cmd]).out, h.out);
  }
  assert.match(run(['submit', '--help']).out, /--token-env VAR/);
  assert.match(run(['--version']).out, /^canopy-import \d+\.\d+\.\d+/);
  assert.match(oneLineError(run(['frobnicate']), 2), /no command "frobnicate"/);
  assert.match(oneLineError(run(['preview', 'x.csv', '--mode', 'create', '--colour']), 2), /Unknown option --colour/);
  assert.match(oneLineError(run(['preview', 'x.csv', '--mode', 'bulk']), 2), /no mode "bulk".*invite, create, account/);
  assert.match(oneLineError(run(['preview', 'x.csv']), 2), /--mode/);
  assert.equal(run([]).code, 2);
});

test('regression: the CLI wrote "6 attempts" by hand; its help gives the retry policy\'s figures', () => {
  const help = run(['submit', '--help']).out;
  // SPEC "Submit": at most 6 attempts; Retry-After honoured up to 5 minutes.
  assert.match(help, /never sooner\s+than Retry-After, at most 6 attempts, 30 s per request; a Retry-After over 5 minutes leaves\s+the batch unconfirmed instead of waiting/);
  assert.match(help, /rows unconfirmed after 6 attempts/);
  assert.doesNotMatch(help, /\{\w+\}/, 'no placeholder left');
});

test('a token is never taken on the command line', () => {
  const r = run(['submit', 'x.csv', '--mode', 'create', '--token', 'sekrit-123']);
  const line = oneLineError(r, 2);
  assert.match(line, /never takes a token on the command line.*--token-env/);
  assert.ok(!line.includes('sekrit-123'));
});

test('sample for each mode: every column, comments, rows that validate clean against the demo lookups', () => {
  for (const mode of ['invite', 'create', 'account']) {
    const s = run(['sample', '--mode', mode]);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /^# /);
    const file = join(tmp, `sample-${mode}.csv`);
    writeFileSync(file, s.out);
    const v = json(['validate', file, '--mode', mode, '--lookups', lookupsFile]);
    assert.equal(v.code, 0, v.out + v.err);
    assert.deepEqual(v.doc.mapping.missing_required, []);
    assert.ok(v.doc.mapping.columns.every((c) => c.status === 'matched' && c.field === c.header), mode);
    assert.deepEqual(
      v.doc.mapping.columns.map((c) => c.field),
      [...v.doc.mode.required, ...v.doc.mode.optional],
    );
    assert.equal(v.doc.stats.errors, 0, mode);
    // The only warnings allowed: an invite without names (the invitee fills them in).
    const warnings = v.doc.rows.flatMap((r) => r.issues.map((i) => i.code));
    assert.ok(warnings.every((c) => c === 'name_missing'), `${mode}: ${warnings}`);
    assert.ok(v.doc.stats.rows >= 2, mode);
    assert.ok(v.doc.summary.comment_lines > 3, mode);
  }
  assert.match(oneLineError(run(['sample']), 2), /--mode/);
});

test('without --lookups, lookup ids are reported as not verified rather than silently passed', () => {
  const file = join(tmp, 'sample-create.csv');
  writeFileSync(file, run(['sample', '--mode', 'create']).out);
  const p = json(['preview', file, '--mode', 'create']);
  assert.equal(p.code, 0);
  assert.equal(p.doc.lookups, 'not_given');
  const codes = p.doc.rows.flatMap((r) => r.issues.map((i) => `${r.row}:${i.field}:${i.code}:${i.severity}`));
  assert.ok(codes.some((c) => /:role_id:lookup_not_verified:warning$/.test(c)), codes.join(' '));
  assert.ok(codes.some((c) => /:client_id:lookup_not_verified:warning$/.test(c)), codes.join(' '));
  const text = run(['preview', file, '--mode', 'create']);
  assert.match(text.out, /Lookups: +not given/);
  assert.match(text.out, /\[lookup_not_verified\]/);
});

test('preview --format json: stable keys, mapping with reasons, each row with its issues', () => {
  const p = json(['preview', vec('people-de.csv'), '--mode', 'create', '--lookups', lookupsFile]);
  assert.equal(p.code, 0, p.err);
  const d = p.doc;
  assert.deepEqual(Object.keys(d), [
    'format', 'command', 'file', 'mode', 'mapping', 'lookups', 'rows', 'rows_omitted', 'issue_counts', 'file_issues', 'summary', 'stats', 'directory', 'error',
  ]);
  assert.equal(d.format, 'canopy-import.preview/1');
  assert.equal(d.command, 'preview');
  assert.deepEqual(Object.keys(d.file), [
    'path', 'bytes', 'encoding', 'encoding_confidence', 'encoding_method', 'encoding_unsure', 'encoding_choices', 'bom', 'delimiter', 'delimiter_confidence',
    'delimiter_method', 'columns', 'headers', 'header_line', 'preamble', 'format', 'sheet',
  ]);
  assert.equal(d.file.header_line, 2);  // under the # comment line
  assert.deepEqual(d.file.preamble, []);
  assert.equal(d.file.encoding, 'UTF-8');
  assert.equal(d.file.delimiter, 'comma');
  assert.equal(d.file.columns, 7);
  assert.deepEqual(Object.keys(d.mapping), ['columns', 'missing_required', 'saved']);
  assert.deepEqual(Object.keys(d.mapping.columns[0]), ['column', 'header', 'field', 'status', 'alias', 'note', 'why', 'suggested']);
  const col = (h) => d.mapping.columns.find((c) => c.header === h);
  assert.deepEqual([col('Vorname').field, col('Vorname').status, col('Vorname').alias], ['first_name', 'matched', 'vorname']);
  assert.match(col('Vorname').why, /alias "vorname" of first_name/);
  assert.equal(col('Personalnummer').field, 'external_id');
  assert.deepEqual([col('Notiz').field, col('Notiz').status], [null, 'ignored']);
  assert.match(col('Notiz').why, /^ignored/);
  assert.deepEqual(d.mapping.saved, {
    mode: 'create',
    columns: { 'E-Mail': 'email', Vorname: 'first_name', Nachname: 'last_name', 'Rollen-ID': 'role_id', 'Knoten-ID': 'node_id', Personalnummer: 'external_id', Notiz: '' },
  });
  assert.equal(d.lookups, 'loaded');

  const byRow = Object.fromEntries(d.rows.map((r) => [r.row, r]));
  const codes = (row) => byRow[row].issues.map((i) => i.code).sort();
  assert.ok(!byRow[3], 'line 3 is clean');
  assert.deepEqual(codes(4), ['email_invalid']);
  assert.deepEqual(codes(5), ['duplicate_email']);
  assert.match(byRow[5].issues[0].message, /line 3/);
  assert.deepEqual(codes(6), ['role_without_node']);
  assert.deepEqual(codes(7), ['duplicate_external_id', 'whitespace_trimmed']);
  assert.deepEqual(codes(8), ['role_unknown']);
  assert.deepEqual(Object.keys(byRow[4]), ['row', 'status', 'issues']);
  assert.deepEqual(Object.keys(byRow[4].issues[0]), ['code', 'severity', 'field', 'column', 'header', 'message']);
  assert.deepEqual(
    { ...byRow[4].issues[0], message: undefined },
    { code: 'email_invalid', severity: 'error', field: 'email', column: 1, header: 'E-Mail', message: undefined },
  );
  assert.equal(byRow[7].status, 'error');
  assert.deepEqual(d.summary, { rows: 6, comment_lines: 1, blank_lines: 0, parse_issues: 0, footer: [] });
  assert.deepEqual(d.stats, { rows: 6, valid: 1, warnings: 0, errors: 5 });
  assert.equal(d.error, null);

  // The same run twice gives the same bytes.
  assert.equal(run(['preview', vec('people-de.csv'), '--mode', 'create', '--lookups', lookupsFile, '--format', 'json']).out, p.out);
});

test('preview text: summary, mapping with why, one line per issue, stats', () => {
  const r = run(['preview', vec('people-de.csv'), '--mode', 'create', '--lookups', lookupsFile]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Encoding: +UTF-8 \(100%, valid UTF-8\)$/m);
  assert.match(r.out, /^Delimiter: +comma/m);
  assert.match(r.out, /^ +2 +Vorname +first_name +matched: alias "vorname" of first_name$/m);
  assert.match(r.out, /^ +7 +Notiz +- +ignored: /m);
  assert.match(r.out, /^ +line 4, E-Mail \(email\): error: "not-an-email" is not a valid email address.*\[email_invalid\]$/m);
  assert.match(r.out, /^ +line 8, Rollen-ID \(role_id\): error: Role 00000000-.*\[role_unknown\]$/m);
  assert.match(r.out, /^Rows: +6 data rows, 1 comment lines stripped$/m);
  assert.match(r.out, /^Stats: +1 valid, 0 with warnings, 5 with errors$/m);
  const errorsOnly = run(['preview', vec('people-de.csv'), '--mode', 'create', '--only', 'errors', '--limit', '2']);
  assert.equal(errorsOnly.out.match(/^ +line \d+/gm).length, 2);
  assert.match(errorsOnly.out, /and 2 more rows with issues/);
});

test('validate exits 1 when a row has an error and 0 when none has', () => {
  const bad = run(['validate', vec('people-de.csv'), '--mode', 'create']);
  assert.equal(bad.code, 1);
  const clean = join(tmp, 'clean.csv');
  writeFileSync(clean, 'email,first_name,last_name\nx@example.com,X,Y\n');
  assert.equal(run(['validate', clean, '--mode', 'create']).code, 0);
  // Warnings do not fail validation.
  writeFileSync(clean, 'email,first_name,last_name\n x@example.com ,X,Y\n');
  const warn = json(['validate', clean, '--mode', 'create']);
  assert.equal(warn.code, 0);
  assert.equal(warn.doc.stats.warnings, 1);
  assert.equal(warn.doc.command, 'validate');
  // preview never fails on rows.
  assert.equal(run(['preview', vec('people-de.csv'), '--mode', 'create']).code, 0);
});

test('a file read in small chunks gives exactly what it gives in one piece', () => {
  const whole = run(['preview', vec('tricky-chunks.csv'), '--mode', 'create', '--format', 'json']);
  assert.equal(whole.code, 0, whole.err);
  const d = JSON.parse(whole.out);
  const codes = d.rows.flatMap((r) => r.issues.map((i) => `${r.row}:${i.code}`));
  for (const c of ['9:duplicate_email', '12:unterminated_quote', '13:malformed_quotes', '14:duplicate_email', '15:too_many_cells', '16:too_few_cells']) {
    assert.ok(codes.includes(c), `${c} in ${codes.join(' ')}`);
  }
  assert.deepEqual(d.summary, { rows: 11, comment_lines: 2, blank_lines: 1, parse_issues: 5, footer: [] });
  for (const n of [1, 2, 3, 4, 7]) {
    const chunked = run(['preview', vec('tricky-chunks.csv'), '--mode', 'create', '--format', 'json', '--chunk-rows', String(n)]);
    assert.equal(chunked.out, whole.out, `chunks of ${n} rows`);
  }
});

test('10,000 valid rows then one ",," line: validate exits 0 (the empty line is not a chunk of no rows)', () => {
  const lines = ['email,first_name,last_name'];
  for (let i = 0; i < 10000; i++) lines.push(`v${i}@example.com,V,${i}`);
  const file = join(tmp, 'trailing-empty.csv');
  writeFileSync(file, lines.join('\n') + '\n,,\n');
  const r = run(['validate', file, '--mode', 'invite', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const d = JSON.parse(r.out);
  assert.equal(d.stats.valid, 10000);
  assert.equal(d.summary.blank_lines, 1);
  assert.equal(d.error, null);
});

test('chunked reading equals whole reading on quotes that span lines, CR-only lines and long quoted cells', () => {
  const big = 'q'.repeat(300 * 1024);
  const files = {
    'cr-only.csv': 'email,first_name\ra@x.io,"A\rB"\r\rb@x.io,C\r"c@x.io",D',
    'crlf-quotes.csv': 'email,first_name\r\na@x.io,"A\r\n""B"""\r\n# note\r\nb@x.io,"C"x\r\n,,\r\nc@x.io,D\r\n',
    'past-bound.csv': `email,first_name\na@x.io,"${big}"\nb@x.io,B\nc@x.io,"open\nd@x.io,D\n`,
    'stray-quote.csv': 'email,first_name\na@example.com,"\n' + 'x,\n'.repeat(3000) + 'z@x.io,Z\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const file = join(tmp, name);
    writeFileSync(file, text);
    const whole = run(['preview', file, '--mode', 'invite', '--format', 'json', '--limit', '0']);
    assert.equal(whole.code, 0, `${name}: ${whole.err}`);
    for (const n of [1, 2, 5]) {
      const chunked = run(['preview', file, '--mode', 'invite', '--format', 'json', '--limit', '0', '--chunk-rows', String(n)]);
      assert.equal(chunked.out, whole.out, `${name} in chunks of ${n} rows`);
    }
  }
  const d = JSON.parse(run(['preview', join(tmp, 'past-bound.csv'), '--mode', 'invite', '--format', 'json']).out);
  // The 300 KiB quoted cell passes the 256 KiB bound: its record is its first line, the rest are rows.
  assert.deepEqual(d.rows.filter((r) => r.issues.some((i) => i.code === 'unterminated_quote')).map((r) => r.row), [2, 4]);
  assert.equal(d.summary.rows, 4);
});

test('regression: JSON output of 100,000 columns took 30 s (the saved mapping went through ordered_json lookups)', { timeout: 60_000 }, () => {
  const cols = 100_000;
  const header = ['email', ...Array.from({ length: cols - 1 }, (_, i) => `extra_${i}`)];
  const file = join(tmp, 'wide-100k.csv');
  writeFileSync(file, `${header.join(',')}\n${['a@example.com', ...Array(cols - 1).fill('v')].join(',')}\n`);
  const r = run(['preview', file, '--mode', 'invite', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  assert.equal(d.file.columns, cols);
  assert.equal(Object.keys(d.mapping.saved.columns).length, cols);
  assert.equal(d.mapping.saved.columns.email, 'email');
  assert.equal(d.mapping.saved.columns.extra_99998, '');
});

test('duplicates are found across chunks of a big file, with the line of the first row', () => {
  const lines = ['email,first_name,last_name,external_id'];
  for (let i = 0; i < 25000; i++) lines.push(`u${i}@example.com,U,${i},E${i}`);
  lines.push('U7@EXAMPLE.COM,Again,X,E-new', 'z@example.com,Z,Z,E24999');
  const file = join(tmp, 'dups.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const d = json(['validate', file, '--mode', 'create']).doc;
  assert.deepEqual(
    d.rows.map((r) => [r.row, r.issues.map((i) => i.code)]),
    [[25002, ['duplicate_email']], [25003, ['duplicate_external_id']]],
  );
  assert.match(d.rows[0].issues[0].message, /already appears on line 9\b/);
  assert.match(d.rows[1].issues[0].message, /already appears on line 25001\b/);
  assert.equal(d.stats.rows, 25002);
});

test('encodings: small files as the wizard reads them, big ones streamed in the same encoding', () => {
  const w = json(['preview', enc('german-semicolon-windows-1252.csv'), '--mode', 'create']).doc;
  assert.equal(w.file.encoding, 'windows-1252');
  assert.equal(w.file.delimiter, 'semicolon');
  assert.deepEqual(w.file.headers, ['E-Mail', 'Vorname', 'Nachname', 'Abteilung']);
  const u16 = json(['preview', enc('excel-unicode-text-utf16le.txt'), '--mode', 'create']).doc;
  assert.deepEqual([u16.file.encoding, u16.file.delimiter, u16.stats.errors], ['UTF-16LE', 'tab', 0]);

  // Over the 4 MiB first read: detection on the start, then a streaming decoder.
  const rows = ['E-Mail;Vorname;Nachname;Notiz'];
  for (let i = 0; i < 90000; i++) rows.push(`p${i}@example.de;Jörg;Müller-Strauß;"Straße ${i}\r\nÄußeres; ""Büro"""`);
  rows.push('p17@example.de;Dup;Dup;x');
  const text = rows.join('\r\n') + '\r\n';
  const latin1 = Buffer.from(text, 'latin1');
  assert.ok(latin1.length > 5 * 1024 * 1024);
  writeFileSync(join(tmp, 'big-1252.csv'), latin1);
  writeFileSync(join(tmp, 'big-utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  writeFileSync(join(tmp, 'big-utf8.csv'), Buffer.from(text, 'utf8'));
  const docs = ['big-1252.csv', 'big-utf16.csv', 'big-utf8.csv'].map((f) => json(['preview', join(tmp, f), '--mode', 'create']).doc);
  assert.match(docs[0].file.encoding, /^(ISO-8859-1|windows-1252)$/);
  assert.deepEqual([docs[1].file.encoding, docs[1].file.encoding_method, docs[2].file.encoding], ['UTF-16LE', 'bom', 'UTF-8']);
  for (const x of docs) {
    assert.deepEqual(x.stats, { rows: 90001, valid: 90000, warnings: 0, errors: 1 });
    // Two lines a row (the quoted line break): the duplicate's first row p17 is on line 2 + 2 * 17.
    assert.deepEqual(x.rows.map((r) => [r.row, r.issues[0].code]), [[180002, 'duplicate_email']]);
    assert.match(x.rows[0].issues[0].message, /line 36\b/);
    assert.equal(x.file.delimiter, 'semicolon');
  }

  // A byte that is not UTF-8 far into a file that starts as UTF-8: one line naming the offset and --encoding.
  const bad = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from('tail@example.de;K\xe4the;X;y\r\n', 'latin1')]);
  writeFileSync(join(tmp, 'bad-utf8.csv'), bad);
  const line = oneLineError(run(['preview', join(tmp, 'bad-utf8.csv'), '--mode', 'create']), 2);
  assert.match(line, new RegExp(`not valid UTF-8: the bytes at offset ${bad.indexOf(0xe4)} .*--encoding`));
  assert.equal(json(['preview', join(tmp, 'bad-utf8.csv'), '--mode', 'create', '--encoding', 'windows-1252']).doc.stats.rows, 90002);
});

test('encodings: decided on the wizard\'s window, so windows-1252 after 4 MiB of ASCII reads as the wizard reads it', () => {
  const rows = ['email,first_name,last_name'];
  for (let i = 0; rows.length < 110000; i++) rows.push(`ascii${i}@example.com,Plain,Person${i}`);
  rows.push('kaethe@example.com,K\xe4the,M\xfcller');
  const file = join(tmp, 'late-1252.csv');
  writeFileSync(file, Buffer.from(rows.join('\r\n') + '\r\n', 'latin1'));
  assert.ok(readFileSync(file).length > 4 * 1024 * 1024);
  const d = json(['preview', file, '--mode', 'create']).doc;
  assert.equal(d.file.encoding, 'windows-1252');
  assert.equal(d.stats.rows, 110000);
  // An unsure file: preview warns with the readings and the --encoding values; submit refuses.
  const short = join(tmp, 'short-hebrew.csv');
  writeFileSync(short, Buffer.concat([Buffer.from('email,first_name,last_name\r\nd@example.com,'), Buffer.from([0xe3, 0xe5, 0xe3, 0x2c, 0xeb, 0xe4, 0xef]), Buffer.from('\r\n')]));
  const text = run(['preview', short, '--mode', 'create']);
  assert.match(text.out, /Warning: Not sure which encoding this file is in: it was read as \S+, but \S+ reads its names differently.*--encoding windows-1255/);
  assert.match(text.out, /windows-1255\s+דוד \| כהן/);
  const j = json(['preview', short, '--mode', 'create']).doc;
  assert.equal(j.file.encoding_unsure, true);
  assert.ok(j.file.encoding_choices.some((c) => c.encoding === 'windows-1255' && c.examples.join(' ') === 'דוד כהן'));
  const sub = run(['submit', short, '--mode', 'create', '--api', 'http://127.0.0.1:9', '--environment', 'env_dev'], { env: { CANOPY_TOKEN: 'test-token' } });
  assert.equal(sub.code, 2);
  assert.match(sub.err, /Not sure which encoding.*--encoding windows-1255/);
  const chosen = json(['preview', short, '--mode', 'create', '--encoding', 'windows-1255']).doc;
  assert.equal(chosen.file.encoding_unsure, false);
  assert.equal(chosen.stats.errors, 0);
});

test('mapping: print it, apply a saved one, and name the missing required fields (exit 2)', () => {
  const auto = run(['mapping', vec('custom-headers.csv'), '--mode', 'create']);
  assert.equal(auto.code, 2);
  assert.deepEqual(JSON.parse(auto.out), { mode: 'create', columns: { Login: '', Called: '', Clan: '', Team: '' } });
  assert.match(auto.err, /No column is mapped to email, first_name and last_name, which Bulk create .*--mapping FILE\.json/);
  // The Login column holds emails: suggested (never applied), with the figures.
  assert.match(auto.err, /Suggested: column 1 \("Login"\)\. Looks like Email: 2 of the 2 values checked are valid email addresses\./);

  const p = json(['preview', vec('custom-headers.csv'), '--mode', 'create']);
  assert.equal(p.code, 2);
  assert.deepEqual(p.doc.mapping.missing_required, ['email', 'first_name', 'last_name']);
  assert.deepEqual(p.doc.mapping.columns.map((c) => c.suggested), ['email', null, null, null]);
  assert.equal(p.doc.mapping.columns[0].field, null);
  assert.match(p.doc.mapping.columns[0].why, /if it holds the emails; suggested: Looks like Email: 2 of the 2 values/);
  assert.equal(p.doc.error.code, 'required_field_unmapped');
  assert.deepEqual(p.doc.rows, []);
  assert.equal(p.doc.stats, null);
  oneLineError(p, 2);
  assert.equal(run(['validate', vec('custom-headers.csv'), '--mode', 'create']).code, 2);

  const m = json(['validate', vec('custom-headers.csv'), '--mode', 'create', '--mapping', vec('custom-mapping.json')]);
  assert.equal(m.code, 0, m.err);
  assert.deepEqual(m.doc.mapping.columns.map((c) => [c.header, c.field, c.status]), [
    ['Login', 'email', 'manual'], ['Called', 'first_name', 'manual'], ['Clan', 'last_name', 'manual'], ['Team', null, 'ignored'],
  ]);
  assert.deepEqual(m.doc.mapping.saved, JSON.parse(readFileSync(vec('custom-mapping.json'), 'utf8')));
  assert.deepEqual(m.doc.stats, { rows: 2, valid: 2, warnings: 0, errors: 0 });
  const printed = run(['mapping', vec('custom-headers.csv'), '--mode', 'create', '--mapping', vec('custom-mapping.json')]);
  assert.equal(printed.code, 0);
  assert.deepEqual(JSON.parse(printed.out), m.doc.mapping.saved);

  // A mapping for another mode, and a mapping that names headers the file lacks.
  const other = join(tmp, 'invite-mapping.json');
  writeFileSync(other, JSON.stringify({ mode: 'invite', columns: { Login: 'email' } }));
  assert.match(oneLineError(run(['preview', vec('custom-headers.csv'), '--mode', 'create', '--mapping', other]), 2), /saved for Bulk invite, not Bulk create\. Choose a mapping saved for Bulk create, or start over in Bulk invite\./);
  const stale = join(tmp, 'stale-mapping.json');
  writeFileSync(stale, JSON.stringify({ mode: 'create', columns: { Login: 'email', Called: 'first_name', Clan: 'last_name', Phone: 'phone' } }));
  const s = run(['preview', vec('custom-headers.csv'), '--mode', 'create', '--mapping', stale]);
  assert.equal(s.code, 0);
  assert.match(s.err, /names column "Phone", which this file does not have/);
});

test('--lookups accepts the API shapes and plain id lists; bad files are one-line errors', () => {
  const file = join(tmp, 'roles.csv');
  const [admin] = dev.roles;
  const [hq] = dev.nodes;
  writeFileSync(file, `email,first_name,last_name,role_id,node_id,client_id\na@example.com,A,B,${admin.id.toUpperCase()},${hq.id},mobile-app\nb@example.com,A,B,${admin.id},${hq.id},your-oauth-client-id\n`);
  const shapes = [
    { roles: { items: dev.roles }, nodes: { items: dev.nodes }, oauth_clients: { items: dev.clients } },
    { roles: dev.roles, nodes: dev.nodes, oauth_clients: dev.clients },
    { roles: dev.roles.map((r) => r.id), nodes: dev.nodes.map((n) => n.id), oauth_clients: dev.clients.map((c) => c.client_id) },
  ];
  for (const [i, shape] of shapes.entries()) {
    const lf = join(tmp, `lookups-${i}.json`);
    writeFileSync(lf, JSON.stringify(shape));
    const d = json(['preview', file, '--mode', 'create', '--lookups', lf]).doc;
    assert.deepEqual(d.rows.map((r) => [r.row, r.issues.map((x) => x.code)]), [[3, ['client_unknown']]], `shape ${i}`);
  }
  const partial = join(tmp, 'lookups-roles-only.json');
  writeFileSync(partial, JSON.stringify({ roles: dev.roles }));
  const p = run(['preview', file, '--mode', 'create', '--lookups', partial]);
  assert.match(p.err, /no "nodes" list, so every node_id in the file will be reported unknown/);
  const broken = join(tmp, 'lookups-broken.json');
  writeFileSync(broken, '{"roles": [{"name": "Admin"}]}');
  assert.match(oneLineError(run(['preview', file, '--mode', 'create', '--lookups', broken]), 2), /"roles" is an entry without a string "id"/);
  writeFileSync(broken, 'not json');
  assert.match(oneLineError(run(['preview', file, '--mode', 'create', '--lookups', broken]), 2), /not a JSON object/);
});

test('file problems are one-line errors that say what to do (exit 2)', () => {
  assert.match(oneLineError(run(['preview', join(tmp, 'nope.csv'), '--mode', 'create']), 2), /Cannot read .*nope\.csv: No such file/);
  const empty = join(tmp, 'empty.csv');
  writeFileSync(empty, '');
  assert.match(oneLineError(run(['preview', empty, '--mode', 'create']), 2), /empty/);
  writeFileSync(empty, 'email,first_name,last_name\n');
  assert.match(oneLineError(run(['preview', empty, '--mode', 'create']), 2), /no data rows/);
  writeFileSync(empty, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
  assert.match(oneLineError(run(['preview', empty, '--mode', 'create']), 2), /The workbook cannot be read: the file is too short to be a ZIP archive/);
  assert.match(oneLineError(run(['preview', vec('people-de.csv'), '--mode', 'create', '--delimiter', 'pipe']), 2), /"pipe" is not a delimiter/);
  assert.match(oneLineError(run(['preview', vec('people-de.csv'), '--mode', 'create', '--encoding', 'klingon']), 2), /"klingon" is not an encoding/);
  assert.match(oneLineError(run(['preview', vec('people-de.csv'), vec('people-de.csv'), '--mode', 'create']), 2), /One file at a time/);
});

test('standard input with -', () => {
  const csv = 'email,first_name,last_name\nx@example.com,X,Y\nbad,X,Y\n';
  const r = json(['validate', '-', '--mode', 'create'], { input: csv });
  assert.equal(r.code, 1);
  assert.equal(r.doc.file.path, '-');
  assert.equal(r.doc.file.bytes, null);
  assert.deepEqual(r.doc.rows.map((x) => x.row), [3]);
});

test('qualified headers: real templates map, and every column says which rule matched or why not', () => {
  const whys = (file) => {
    const r = json(['preview', vec(file), '--mode', 'create']);
    return r.doc.mapping.columns.map((c) => [c.header, c.field, c.why]);
  };
  assert.deepEqual(whys('google-workspace-upload.csv'), [
    ['First Name [Required]', 'first_name', 'matched First name as "First name", reading past "[Required]": they do not change the meaning.'],
    ['Last Name [Required]', 'last_name', 'matched Last name as "Last name", reading past "[Required]": they do not change the meaning.'],
    ['Email Address [Required]', 'email', 'matched Email as "email address", reading past "[Required]": they do not change the meaning.'],
    ['Password [Required]', 'password', 'matched Password as "Password", reading past "[Required]": they do not change the meaning.'],
    ['Password Hash Function [UPLOAD ONLY]', null, 'ignored: no field has this name or alias'],
    ['Org Unit Path [Required]', null, 'ignored: no field has this name or alias'],
    ['New Primary Email [UPLOAD ONLY]', null, 'ignored: Not mapped to email: "new" changes the meaning, it is not the person\'s own email. If this column is the one to import, map it to email yourself.'],
    ['Recovery Email', null, 'ignored: Not mapped to email: "recovery" changes the meaning, it is not the person\'s own email. If this column is the one to import, map it to email yourself.'],
    ['Home Secondary Email', null, 'ignored: Not mapped to email: "home" changes the meaning, it is not the person\'s own email. If this column is the one to import, map it to email yourself.'],
    ['Employee ID', 'external_id', 'matched: alias "employee id" of external_id'],
  ]);
  assert.deepEqual(whys('entra-bulk-create.csv'), [
    ['Name [displayName] Required', null, 'ignored: Holds a full name, which is never mapped to first or last name. Map first and last name from the columns that hold them.'],
    ['User name [userPrincipalName] Required', 'email', 'matched Email by the property name [userPrincipalName] in the header.'],
    ['Initial password [passwordProfile] Required', 'password', 'matched Password by the property name [passwordProfile] in the header.'],
    ['Block sign in (Yes/No) [accountEnabled] Required', null, 'ignored: no field has this name or alias'],
    ['First name [givenName]', 'first_name', 'matched First name by the property name [givenName] in the header.'],
    ['Last name [surname]', 'last_name', 'matched Last name by the property name [surname] in the header.'],
    ['Job title [jobTitle]', null, 'ignored: no field has this name or alias'],
  ]);
});

test('--split-name: full names into first and last name, unsure ones as warnings, never guessed', () => {
  const file = join(tmp, 'full-names.csv');
  writeFileSync(file, 'email,Full name\nada@example.org,Ada Lovelace\ngrace@example.org,"Hopper, Grace"\ncher@example.org,Cher\n');
  const auto = json(['preview', file, '--mode', 'create']);
  assert.equal(auto.code, 2, 'without the split, first and last name are missing');
  const p = json(['validate', file, '--mode', 'create', '--split-name', 'Full name']);
  assert.equal(p.code, 1, 'the one-word name has no first or last name: an error in create mode');
  assert.deepEqual(p.doc.mapping.missing_required, []);
  assert.equal(p.doc.mapping.columns[1].status, 'split');
  assert.equal(p.doc.mapping.saved.split_name, 'Full name');
  assert.deepEqual(p.doc.rows.map((r) => r.row), [4]);
  assert.deepEqual(p.doc.rows[0].issues.map((i) => i.code), ['name_split_unsure', 'required_missing', 'required_missing']);
  assert.match(p.doc.rows[0].issues[0].message, /"Cher" was not split into first and last name: it is one word\./);
  // By number, and invite mode (names optional): warnings only.
  const invite = json(['validate', file, '--mode', 'invite', '--split-name', '2']);
  assert.equal(invite.code, 0);
  assert.equal(invite.doc.stats.warnings, 1);
  // The saved mapping carries the split: --mapping alone does the same.
  const saved = join(tmp, 'split-mapping.json');
  writeFileSync(saved, JSON.stringify(p.doc.mapping.saved));
  assert.equal(json(['validate', file, '--mode', 'create', '--mapping', saved]).doc.stats.valid, 2);
  // A column that is not there: exit 2, saying which exist.
  const bad = run(['preview', file, '--mode', 'create', '--split-name', 'Name']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--split-name Name: the file has no column with that header or number\. .*from 1 to 2\./);
});

test('a failed-rows.csv coming back: preview says so and names the columns it left out (text and JSON)', () => {
  const file = join(tmp, 'failed-rows.csv');
  writeFileSync(file, '\ufeff# Left out of this file because they hold passwords (add them back before importing it again): password | Initial PW\r\n' +
    'email,first_name,last_name,import_error\r\nx@example.com,A,B,email_conflict: taken\r\n');
  const r = run(['preview', '--mode', 'create', file]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ {2}file: warning: This file is a failed-rows\.csv from an earlier import: .* \[failed_rows_upload\]$/m);
  assert.match(r.out, /^ {2}file: warning: Left out of it: "password", "Initial PW" \(columns that held passwords\)\. .* \[failed_rows_left_out\]$/m);
  const d = json(['preview', '--mode', 'create', file]).doc;
  assert.deepEqual(d.file_issues.map((i) => [i.code, i.severity]), [['failed_rows_upload', 'warning'], ['failed_rows_left_out', 'warning']]);
  // Any other file: no such note.
  const plain = join(tmp, 'plain.csv');
  writeFileSync(plain, 'email,first_name,last_name\nx@example.com,A,B\n');
  assert.deepEqual(json(['preview', '--mode', 'create', plain]).doc.file_issues, []);
});

test('encodings: every label on --encoding, a big Shift_JIS file streamed through its decoder', async () => {
  const { createRequire } = await import('node:module');
  const jis = createRequire(import.meta.url)('text-encoding/lib/encoding-indexes.js')['encoding-indexes'].jis0208;
  // Shift_JIS bytes of a string, from the standard's index (the first pointer of each code point).
  const sjis = (s) => Buffer.from([...s].flatMap((ch) => {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) return [cp];
    const p = jis.indexOf(cp);
    const lead = Math.floor(p / 188);
    const trail = p % 188;
    return [lead < 0x1f ? lead + 0x81 : lead + 0xc1, trail < 0x3f ? trail + 0x40 : trail + 0x41];
  }));
  const rows = ['email,名,姓'];
  for (let i = 0; i < 150000; i++) rows.push(`person${i}@example.co.jp,太郎,山田`);
  const bytes = sjis(rows.join('\r\n') + '\r\n');
  assert.ok(bytes.length > 4.5 * 1024 * 1024);
  writeFileSync(join(tmp, 'big-sjis.csv'), bytes);
  for (const label of ['sjis', 'cp932', 'windows-31j', 'Shift_JIS']) {
    const d = json(['preview', join(tmp, 'big-sjis.csv'), '--mode', 'create', '--encoding', label]).doc;
    assert.deepEqual([d.file.encoding, d.file.headers, d.stats.rows, d.stats.errors], ["Shift_JIS", ["email", "名", "姓"], 150000, 0], label);
  }
  // A byte that no Shift_JIS sequence has, far into the file: the offset of its sequence.
  writeFileSync(join(tmp, 'bad-sjis.csv'), Buffer.concat([bytes, Buffer.from([0x61, 0x2c, 0x82, 0x20, 0x0d, 0x0a])]));
  const line = oneLineError(run(['preview', join(tmp, 'bad-sjis.csv'), '--mode', 'create', '--encoding', 'sjis']), 2);
  assert.match(line, new RegExp(`not valid Shift_JIS: the bytes at offset ${bytes.length + 2} \\(line 150002\\) `));
  // The same from a pipe (no file to read again: the lines are counted as it goes).
  const piped = oneLineError(run(['preview', '-', '--mode', 'create', '--encoding', 'sjis'], { input: readFileSync(join(tmp, 'bad-sjis.csv')) }), 2);
  assert.match(piped, /\(line 150002\)/);
  // Small files: macintosh by its aliases, ISO-8859-15 by a label.
  writeFileSync(join(tmp, 'mac.csv'), Buffer.from([...Buffer.from('email,first_name\nj@x.org,Jos'), 0x8e, 0x0a]));
  for (const label of ['macroman', 'x-mac-roman', 'mac']) {
    const d = json(['preview', join(tmp, 'mac.csv'), '--mode', 'create', '--encoding', label]).doc;
    assert.equal(d.file.encoding, 'macintosh', label);
  }
  const unknown = oneLineError(run(['preview', join(tmp, 'mac.csv'), '--mode', 'create', '--encoding', 'klingon']), 2);
  assert.match(unknown, /"klingon" is not an encoding/);
});
