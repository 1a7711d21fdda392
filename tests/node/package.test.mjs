// The npm package: what `npm pack` puts in the tarball (the built core, the wizard, types, docs and
// nothing else), and the tarball installed into a scratch project: the headless core runs a whole
// load -> validate -> plan in Node, and importing every entry without a DOM (SSR) has no side effects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, packOnce, runNode, scratchProject } from './support/package.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const { files } = await packOnce();

test('the tarball holds dist/, the wizard, the worker, the types and the docs, nothing else', () => {
  const allowed = [
    /^package\.json$/, /^README\.md$/, /^docs\/embedding\.md$/,
    /^dist\/[\w.-]+\.(mjs|js|wasm|dat|d\.ts|d\.mts|json)$/, /^dist\/enc-[a-z0-9]+\.bin$/,
    /^web\/wizard\/[\w.-]+\.(js|d\.ts|css)$/, /^web\/wizard\/(steps|i18n)\/[\w.-]+\.js$/,
    /^web\/core\/[\w.-]+\.js$/,
  ];
  assert.deepEqual(files.filter((f) => !allowed.some((re) => re.test(f))), [], 'files outside the package layout');
  // The things that must never ship, named so a loosened pattern above still fails here.
  const forbidden = /(^|\/)(tests?|src|build|tools|samples|node_modules|\.data|test-results)\/|\.(test|spec)\.m?js$|\.(cpp|h|cmake)$|CMakeLists\.txt$|^web\/(index\.html|app\.js|app\.css|app-strings\.js)$/;
  assert.deepEqual(files.filter((f) => forbidden.test(f)), []);
});

test('every built file in dist/ ships, lazily loaded ones included', () => {
  const built = readdirSync(join(ROOT, 'dist')).filter((f) => !f.startsWith('.')).map((f) => `dist/${f}`);
  for (const must of ['dist/index.mjs', 'dist/index.d.ts', 'dist/canopy-core.mjs', 'dist/canopy-core.wasm', 'dist/icudt72l.dat', 'dist/send-batch.mjs',
    'dist/enc-jis.bin', 'dist/enc-gb.bin', 'dist/enc-big5.bin', 'dist/enc-kr.bin',
    'dist/canopy-workbook.mjs', 'dist/canopy-workbook.wasm']) {
    assert.ok(built.includes(must), `${must} was not built`);
  }
  assert.deepEqual(built.filter((f) => !files.includes(f)), []);
});

test('every exports target, and every file a shipped module imports or fetches, is in the tarball', () => {
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v.replace(/^\.\//, '')) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  targets.push(pkg.main.replace(/^\.\//, ''), pkg.types.replace(/^\.\//, ''));
  assert.deepEqual(targets.filter((t) => !files.includes(t)), []);
  for (const entry of ['.', './wizard', './element']) assert.ok(pkg.exports[entry].types, `types for ${entry}`);

  // Relative imports, dynamic imports and new URL('…', import.meta.url) of every shipped module resolve.
  const missing = [];
  for (const f of files.filter((x) => /\.(m?js)$/.test(x))) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g), ...text.matchAll(/new URL\('(\.{1,2}\/[^']+)', import\.meta\.url\)/g)].map((m) => m[1]);
    for (const s of specs) {
      const target = join(f, '..', s).replace(/\\/g, '/');
      if (!files.includes(target)) missing.push(`${f} -> ${s}`);
    }
  }
  assert.deepEqual(missing, []);
  // The eight catalogues ship.
  for (const l of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja']) assert.ok(files.includes(`web/wizard/i18n/${l}.js`), l);
});

test('sideEffects: only the module that defines the custom element (and the stylesheet)', () => {
  assert.deepEqual(pkg.sideEffects, ['./web/wizard/register.js', '*.css']);
  assert.ok(existsSync(join(ROOT, 'web/wizard/register.js')));
});

const scratch = await scratchProject('node');

test('installed from the tarball, the headless core runs load -> validate -> plan in Node', async () => {
  const { stdout } = await runNode(scratch, 'headless.mjs', `
    import { loadCore } from 'canopy-csv-import';
    const core = await loadCore();
    const s = core.createSession();
    const csv = 'E-Mail;Vorname;Nachname\\nada@example.com;Ada;Lovelace\\n bob@example.com ;Bob;Builder\\nnot-an-email;X;Y\\n';
    const summary = await s.load(new TextEncoder().encode(csv));
    const mapping = s.setMode('create');
    s.setLookups({ roles: [], nodes: [], clients: [] });
    const stats = s.validate();
    const rows = s.rows({ limit: 10 }).rows;
    const plan = s.planSubmit({ accountId: 'acc_demo', environmentId: 'env_dev' });
    const action = s.next(0);
    console.log(JSON.stringify({ delimiter: summary.delimiter, fields: mapping.columns.map((c) => c.field), stats, issues: rows.map((r) => r.issues.map((i) => [i.code, i.args])), plan, action: { kind: action.kind, path: action.path, body: JSON.parse(action.body) } }));
    s.dispose();
  `);
  const r = JSON.parse(stdout);
  assert.equal(r.delimiter, 'semicolon');
  assert.deepEqual(r.fields, ['email', 'first_name', 'last_name']);
  assert.deepEqual([r.stats.valid, r.stats.warnings, r.stats.errors], [1, 1, 1]);
  assert.deepEqual(r.issues, [[], [['whitespace_trimmed', ['email']]], [['email_invalid', ['not-an-email', 'email_no_at']]]]);
  assert.deepEqual(r.plan, { batches: 1, rows: 2 });
  assert.equal(r.action.kind, 'send');
  assert.equal(r.action.path, '/api/v1/portal/environments/env_dev/identities/bulk-create');
  assert.deepEqual(r.action.body, { rows: [
    { row: 2, email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
    { row: 3, email: 'bob@example.com', first_name: 'Bob', last_name: 'Builder' },
  ] });
});

test('installed from the tarball, a workbook is read through the lazily loaded workbook reader', async () => {
  const vector = join(ROOT, 'tests/vectors/workbooks/people-exceljs.xlsx');
  const { stdout } = await runNode(scratch, 'workbook.mjs', `
    import { readFileSync } from 'node:fs';
    import { loadCore, workbookSignature } from 'canopy-csv-import';
    const core = await loadCore();
    const bytes = readFileSync(${JSON.stringify(vector)});
    const book = await core.openWorkbook(bytes);
    const s = core.createSession();
    const summary = s.loadSheet(book, 'Contractors');
    console.log(JSON.stringify({ signature: workbookSignature(bytes), format: book.format, choice: book.choice,
      sheets: book.sheets.map((x) => [x.name, x.hidden, x.rows]), rows: summary.rows, sheet: summary.sheet, headers: summary.headers }));
    s.dispose();
    book.close();
  `);
  const r = JSON.parse(stdout);
  assert.equal(r.signature, 'zip');
  assert.equal(r.format, 'xlsx');
  assert.equal(r.choice, -1, 'two visible sheets with cells: the user chooses');
  assert.deepEqual(r.sheets, [['Employees', false, 5], ['Contractors', false, 4], ['Secret', true, 1], ['Empty', false, 0]]);
  assert.deepEqual([r.rows, r.sheet, r.headers], [2, 'Contractors', ['email', 'first_name', 'last_name']]);
});

test('SSR: importing every entry in Node (no DOM) throws nothing and changes no global', async () => {
  const { stdout } = await runNode(scratch, 'ssr.mjs', `
    const before = Object.getOwnPropertyNames(globalThis).sort();
    const core = await import('canopy-csv-import');
    const wizard = await import('canopy-csv-import/wizard');
    const element = await import('canopy-csv-import/element');
    const pkg = await import('canopy-csv-import/package.json', { with: { type: 'json' } });
    const after = Object.getOwnPropertyNames(globalThis).sort();
    console.log(JSON.stringify({
      added: after.filter((k) => !before.includes(k)),
      core: Object.keys(core).sort(), wizard: Object.keys(wizard).sort(), element: Object.keys(element),
      elementClass: typeof wizard.ImportWizardElement, define: wizard.defineImportWizardElement() === wizard.ImportWizardElement,
      name: pkg.default.name,
    }));
  `);
  const r = JSON.parse(stdout);
  assert.deepEqual(r.added, []);
  assert.ok(r.core.includes('loadCore') && r.core.includes('submitAll'), r.core.join());
  assert.deepEqual(r.wizard, ['ImportWizardElement', 'LOCALES', 'TAG_NAME', 'defineImportWizardElement', 'mountImportWizard']);
  assert.deepEqual(r.element, []);
  assert.equal(r.elementClass, 'function');
  assert.equal(r.define, true);
  assert.equal(r.name, 'canopy-csv-import');
  // Nothing was fetched, no worker started, no timer left: the process exited on its own (runNode returned).
});

test('the CLI is not in the package (it runs from a checkout: tools/canopy-import.sh)', () => {
  assert.equal(pkg.bin, undefined);
  assert.ok(!files.some((f) => f.startsWith('tools/')));
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /tools\/canopy-import\.sh/);
});
