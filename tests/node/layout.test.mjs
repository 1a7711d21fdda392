// Header row and report footers (parse/layout.h) through the built wasm package and the CLI: the same
// lines are skipped and reported by both, the overrides undo it, and a file read in chunks skips
// what it skips in one piece.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = process.env.CANOPY_IMPORT_BIN ?? join(root, 'build/native/canopy-import');
const vec = (name) => join(root, 'tests/vectors/cli', name);
const core = await loadCore();
const tmp = mkdtempSync(join(tmpdir(), 'canopy-layout-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

async function load(bytes, opts) {
  const s = core.createSession();
  try {
    const summary = await s.load(bytes, opts);
    return { summary, rows: s.preview(1e9) };
  } finally {
    s.dispose();
  }
}

function cli(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const preview = (file, ...extra) => JSON.parse(cli(['preview', file, '--mode', 'create', '--format', 'json', ...extra]).out);
const lines = (list) => list.map((l) => l.line);

test('wasm: Entra ID template, version:v1.0 skipped; headerLine 1 undoes it', async () => {
  const bytes = readFileSync(vec('entra-bulk-create.csv'));
  const { summary } = await load(bytes);
  assert.equal(summary.headerLine, 2);
  assert.deepEqual(summary.preamble, [{ line: 1, text: 'version:v1.0', sep: false }]);
  assert.deepEqual(summary.footer, []);
  assert.equal(summary.headers[1], 'User name [userPrincipalName] Required');
  assert.equal(summary.rows, 1);
  const undone = (await load(bytes, { headerLine: 1 })).summary;
  assert.equal(undone.headerLine, 1);
  assert.deepEqual(undone.preamble, []);
  assert.deepEqual(undone.headers, ['version:v1.0']);
  assert.equal(undone.rows, 2);
});

test('wasm: Excel sep=; sets the delimiter and is reported as such', async () => {
  const { summary, rows } = await load(readFileSync(vec('excel-sep-semicolon.csv')));
  assert.equal(summary.delimiter, 'semicolon');
  assert.equal(summary.delimiterMethod, 'sep_line');
  assert.deepEqual(summary.preamble, [{ line: 1, text: 'sep=;', sep: true }]);
  assert.deepEqual(summary.headers, ['email', 'first_name', 'last_name', 'external_id']);
  assert.equal(rows.length, 3);
  assert.equal(summary.parseIssues, 0);
});

test('wasm: a Salesforce report: titles and footer skipped, keepFooters keeps them as rows', async () => {
  const bytes = readFileSync(vec('salesforce-report.csv'));
  const { summary, rows } = await load(bytes);
  assert.equal(summary.headerLine, 4);
  assert.deepEqual(lines(summary.preamble), [1, 2]);
  assert.deepEqual(lines(summary.footer), [9, 11, 12, 13, 14, 15]);
  assert.equal(summary.footer[0].text, 'Grand Totals (3 records)');
  assert.equal(summary.parseIssues, 0);
  assert.deepEqual(rows.map((r) => r[2]), ['ada.lovelace@example.com', 'charles.babbage@example.com', 'mary.somerville@example.com']);
  const kept = await load(bytes, { keepFooters: true });
  assert.deepEqual(kept.summary.footer, []);
  assert.equal(kept.summary.rows, 9);
  assert.equal(kept.summary.parseIssues, 6);
  // loadText takes the same options (pasted text).
  const s = core.createSession();
  try {
    const text = s.loadText(bytes.toString('utf8'), { headerLine: 1, keepFooters: true });
    assert.equal(text.headerLine, 1);
    assert.deepEqual(text.preamble, []);
    assert.equal(text.rows, 11);  // lines 2, 4-7, 9, 11-15 (the "" lines are empty records)
  } finally {
    s.dispose();
  }
});

test('wasm: a header line that does not exist is a CoreError with a message', async () => {
  const s = core.createSession();
  try {
    await assert.rejects(s.load(new TextEncoder().encode('email\na@example.org\n'), { headerLine: 7 }),
      (e) => e.cause?.code === 'bad_header_line' && /line 7/.test(e.message));
  } finally {
    s.dispose();
  }
});

test('wasm: negatives: a one-column file and a short first data row lose nothing', async () => {
  const oneCol = (await load(new TextEncoder().encode('email\na@example.org\nb@example.org\nTotal\n'))).summary;
  assert.deepEqual([oneCol.headerLine, oneCol.preamble.length, oneCol.footer.length, oneCol.rows], [1, 0, 0, 3]);
  const short = (await load(new TextEncoder().encode('email,first_name,last_name\na@example.org\nb@example.org,B,C\n'))).summary;
  assert.deepEqual([short.headerLine, short.preamble.length, short.footer.length, short.rows], [1, 0, 0, 2]);
});

test('CLI: text output lists the skipped lines and the options that undo it', () => {
  const r = cli(['preview', vec('salesforce-report.csv'), '--mode', 'create']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Header: {5}line 4$/m);
  assert.match(r.out, /Skipped: {4}Lines above the header skipped: 2 \(lines 1, 2\)\. The header is line 4;.*\(--header-line N\)\n {14}line 1: "New Hires with Email"\n {14}line 2: "As of 11\/30\/2026"\n/);
  assert.match(r.out, /Footer: {5}Lines under the data skipped as a report footer: 6 \(lines 9, 11, 12, 13, 14, 15\)\..*\(--keep-footers\)\n {14}line 9: "Grand Totals \(3 records\)"\n(.*\n){4} {14}line 15: "Acme, Inc\."\n/);
  assert.match(r.out, /Rows: {7}3 data rows/);
  const sep = cli(['preview', vec('excel-sep-semicolon.csv'), '--mode', 'create']);
  assert.match(sep.out, /Delimiter: {2}semicolon \(100%/);
  assert.match(sep.out, /line 1: "sep=;" \(Excel's delimiter line: it set the delimiter\)/);
});

test('CLI: JSON has header_line, preamble and footer; the wasm API skips the same lines', async () => {
  for (const name of ['entra-bulk-create.csv', 'excel-sep-semicolon.csv', 'salesforce-report.csv', 'workday-report.csv', 'bamboohr-report.csv']) {
    const doc = preview(vec(name));
    const { summary } = await load(readFileSync(vec(name)));
    assert.equal(doc.file.header_line, summary.headerLine, name);
    assert.deepEqual(doc.file.preamble, summary.preamble, name);
    assert.deepEqual(doc.summary.footer, summary.footer, name);
    assert.equal(doc.summary.rows, summary.rows, name);
    assert.deepEqual(doc.file.headers, summary.headers, name);
  }
});

test('CLI: --header-line and --keep-footers undo it; a bad value is a usage error', () => {
  const all = preview(vec('salesforce-report.csv'), '--header-line', '1', '--keep-footers');
  assert.equal(all.file.header_line, 1);
  assert.deepEqual(all.file.preamble, []);
  assert.deepEqual(all.summary.footer, []);
  assert.equal(all.summary.rows, 11);
  const moved = preview(vec('workday-report.csv'), '--header-line', '2');
  assert.equal(moved.file.header_line, 2);
  assert.deepEqual(lines(moved.file.preamble), [1]);
  const bad = cli(['preview', vec('workday-report.csv'), '--mode', 'create', '--header-line', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--header-line needs the line number/);
  const past = cli(['preview', vec('workday-report.csv'), '--mode', 'create', '--header-line', '99']);
  assert.equal(past.code, 2);
  assert.match(past.err, /no line 99 with a header/);
});

test('CLI: in chunks of 1, 2 and 5 rows the same lines are skipped and the same rows read', () => {
  // A report with a title, 12 rows and a footer: the header copy of every later chunk is the real
  // header, and only the last chunk's end is a footer.
  const body = Array.from({ length: 12 }, (_, i) => `p${i}@example.org,P${i},Q${i}`);
  const file = join(tmp, 'report.csv');
  writeFileSync(file, ['Quarterly joiners', '', 'email,first_name,last_name', ...body, '', 'Total: 12', 'Confidential'].join('\n') + '\n');
  const whole = preview(file);
  assert.equal(whole.file.header_line, 3);
  assert.deepEqual(lines(whole.file.preamble), [1]);
  assert.deepEqual(lines(whole.summary.footer), [17, 18]);
  assert.equal(whole.summary.rows, 12);
  for (const n of ['1', '2', '5']) {
    const doc = preview(file, '--chunk-rows', n);
    assert.equal(doc.summary.rows, 12, n);
    assert.deepEqual(doc.file.preamble, whole.file.preamble, n);
    assert.deepEqual(doc.summary.footer, whole.summary.footer, n);
    assert.deepEqual(doc.rows, whole.rows, n);
  }
});
