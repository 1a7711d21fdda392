// The packed tarball in real apps, under a strict CSP (script-src 'self' 'wasm-unsafe-eval', no
// 'unsafe-inline'), driven in Chromium through a whole import against the reference server:
//  (a) a scratch app built with Vite (its worker and asset URLs rewritten by the bundler), in German
//      from <html lang="de"> alone, and
//  (b) a plain HTML page with no bundler using <canopy-import-wizard locale="ja">.
// At every step the dialog's text (and its labels) holds no string of the English catalogue.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { startServer } from '../../tools/server/server.mjs';
import { contentTypeFor } from '../../tools/server/static.mjs';
import { loadCore } from '../../dist/index.mjs';
import { coreSource } from '../../web/wizard/i18n/index.js';
import { strings as en } from '../../web/wizard/i18n/en.js';
import { scratchProject } from '../node/support/package.mjs';
import { SKIP_REASON } from './support/harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

// A host's own server: its files with the CSP header, /api and /demo passed on to the reference server.
async function serveApp(root, apiUrl) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/demo/')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const headers = {};
        for (const h of ['authorization', 'content-type', 'idempotency-key', 'accept']) if (req.headers[h]) headers[h] = req.headers[h];
        const up = await fetch(apiUrl + url.pathname + url.search, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        const out = {};
        for (const h of ['content-type', 'retry-after', 'idempotent-replayed']) if (up.headers.get(h)) out[h] = up.headers.get(h);
        res.writeHead(up.status, out);
        res.end(Buffer.from(await up.arrayBuffer()));
        return;
      }
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = normalize(join(root, rel));
      if (!file.startsWith(root + sep) || !(await stat(file).catch(() => null))?.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' });
      createReadStream(file).pipe(res);
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

// The English catalogue in pieces (the text between placeholders), to find any of it left on the page.
const info = (await loadCore()).info();
const englishSource = [...Object.values(en), ...Object.values(coreSource(info))];
function englishPieces() {
  const pieces = new Set();
  for (const s of englishSource) {
    for (const part of s.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/)) {
      const p = part.trim().replace(/^[(:;,.–—\s]+|[(:;,.–—\s]+$/g, '');
      if (/[A-Za-z]{2,}/.test(p)) pieces.add(p);
    }
  }
  return [...pieces];
}
const PIECES = englishPieces();

/** Fails when the dialog's visible text or its labels hold an English catalogue string. */
async function assertNoEnglish(dialog, { locale, data, step }) {
  const text = await dialog.evaluate((el) => {
    const attrs = [];
    for (const n of el.querySelectorAll('*')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'alt']) if (n.getAttribute(a)) attrs.push(n.getAttribute(a));
    }
    return `${el.innerText}\n${attrs.join('\n')}`;
  });
  const mod = await import(`../../web/wizard/i18n/${locale}.js`);
  const own = [...Object.values(mod.strings), ...Object.values(mod.core)].join('\n');
  const word = (p) => new RegExp(`(^|[^\\p{L}\\p{N}_])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}_])`, 'u');
  // A piece the translation itself uses ("Status", "UUID", "OAuth") or the user's own data holds is not a leftover.
  const left = PIECES.filter((p) => word(p).test(text) && !word(p).test(own) && !word(p).test(data));
  assert.deepEqual(left, [], `English text in the ${locale} wizard at ${step}:\n${text}`);
  return text;
}

const de = {
  csv: 'E-Mail,Vorname,Nachname\njoerg@example.de,Jörg,Strauß\n anna@example.de ,Anna,Schmidt\nkarl-at-example.de,Karl,Klein\n',
  expect: { invited: ['anna@example.de', 'joerg@example.de'] },
};
const ja = {
  csv: 'email,first_name,last_name\ntaro@example.jp,太郎,山田\n hanako@example.jp ,花子,佐藤\nbad@@example.jp,次郎,鈴木\n',
  expect: { invited: ['hanako@example.jp', 'taro@example.jp'] },
};

async function importThrough(page, labels, sample, srv, locale) {
  const dlg = page.getByRole('dialog', { name: labels.title });
  await dlg.getByRole('heading', { name: labels.modeHeading }).waitFor();
  const data = sample.csv;
  await assertNoEnglish(dlg, { locale, data, step: 'mode' });
  await dlg.getByRole('radio', { name: labels.invite }).check();
  await dlg.getByRole('button', { name: labels.next, exact: true }).click();
  await dlg.getByRole('heading', { name: labels.uploadHeading }).waitFor();
  await assertNoEnglish(dlg, { locale, data, step: 'upload' });
  await dlg.locator('input[type="file"]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(sample.csv) });
  await dlg.getByRole('region', { name: labels.summary }).waitFor();
  await assertNoEnglish(dlg, { locale, data, step: 'upload summary' });
  await dlg.getByRole('button', { name: labels.next, exact: true }).click();
  await dlg.getByRole('heading', { name: labels.mappingHeading }).waitFor();
  await assertNoEnglish(dlg, { locale, data, step: 'mapping' });
  await dlg.getByRole('button', { name: labels.next, exact: true }).click();
  await dlg.getByRole('heading', { name: labels.previewHeading }).waitFor();
  const importButton = dlg.getByRole('button', { name: labels.importTwo });
  await importButton.waitFor();
  await dlg.locator('.cnp-vrow.is-error').first().waitFor();
  const previewText = await assertNoEnglish(dlg, { locale, data, step: 'preview' });
  for (const m of labels.previewMessages) assert.ok(previewText.includes(m), `${m} in\n${previewText}`);
  await importButton.click();
  await dlg.getByRole('heading', { name: labels.resultsHeading }).waitFor({ timeout: 30000 });
  await dlg.locator('.cnp-res-outcome').first().waitFor();
  const resultsText = await assertNoEnglish(dlg, { locale, data, step: 'results' });
  for (const m of labels.resultMessages) assert.ok(resultsText.includes(m), `${m} in\n${resultsText}`);
  const invites = srv.db.prepare("SELECT email FROM invites WHERE environment_id = 'env_dev' ORDER BY email").all().map((r) => r.email);
  assert.deepEqual(invites, sample.expect.invited);
}

describe('the packed package in real apps, under a strict CSP', { skip: SKIP_REASON }, () => {
  let browser;
  const cleanup = [];
  before(async () => { browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS }); });
  after(async () => {
    await browser?.close();
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  async function pageFor(url) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    await page.goto(url);
    cleanup.push(() => context.close());
    return { page, problems, async clean() { assert.deepEqual([...problems, ...await page.evaluate(() => window.__csp)], []); } };
  }

  async function apiServer() {
    const dir = await mkdtemp(join(tmpdir(), 'canopy-embed-db-'));
    const srv = await startServer({ port: 0, dbPath: join(dir, 'canopy.sqlite') });
    cleanup.push(async () => { await srv.close(); await rm(dir, { recursive: true, force: true }); });
    return srv;
  }

  it('(a) Vite: the wizard in a bundled app, German from the document language', async () => {
    const { build } = await import('vite');
    const app = await scratchProject('vite', {
      'index.html': '<!doctype html>\n<html lang="de"><head><meta charset="utf-8"><title>Host</title>' +
        '<script type="module" src="/main.js"></script></head>\n<body><main><h1>Host-App</h1>' +
        '<button id="open" type="button" disabled>Identitäten importieren</button><div id="host"></div></main></body></html>\n',
      'main.js': [
        "import { mountImportWizard } from 'canopy-csv-import/wizard';",
        "import 'canopy-csv-import/wizard.css';",
        'async function start() {',
        "  const session = await (await fetch('/demo/session')).json();",
        "  const wizard = mountImportWizard(document.getElementById('host'), {",
        "    accountId: session.account.id, environmentId: 'env_dev', surface: 'access-control',",
        '    authHeader: async () => `Bearer ${session.token}`,',
        '  });',
        "  const button = document.getElementById('open');",
        "  button.addEventListener('click', () => wizard.open());",
        '  button.disabled = false;',
        '}',
        'start();',
        '',
      ].join('\n'),
    });
    cleanup.push(() => rm(app, { recursive: true, force: true }));
    await build({ root: app, logLevel: 'warn', build: { outDir: join(app, 'out'), emptyOutDir: true } });
    const srv = await apiServer();
    const host = await serveApp(join(app, 'out'), srv.url);
    cleanup.push(host.close);
    const { page, clean } = await pageFor(host.url);
    await page.getByRole('button', { name: 'Identitäten importieren' }).click();
    await importThrough(page, {
      title: 'Identitäten aus CSV importieren', modeHeading: 'Importart wählen', invite: 'Masseneinladung', next: 'Weiter',
      uploadHeading: 'CSV hochladen', summary: 'Dateiübersicht', mappingHeading: 'Spalten den Feldern zuordnen',
      previewHeading: 'Zeilen prüfen', importTwo: '2 Zeilen importieren', resultsHeading: 'Ergebnisse',
      previewMessages: ['Leerzeichen um den Wert von E-Mail wurden entfernt.', '„karl-at-example.de“ ist keine gültige E-Mail-Adresse: es fehlt das @.'],
      resultMessages: ['Eingeladen', 'Nicht gesendet: Die Zeile hat Fehler („karl-at-example.de“ ist keine gültige E-Mail-Adresse: es fehlt das @.)'],
    }, de, srv, 'de');
    await clean();
  });

  it('(b) no bundler: <canopy-import-wizard locale="ja"> in a plain HTML page', async () => {
    const app = await scratchProject('plain', {
      'index.html': '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Host</title>' +
        '<link rel="stylesheet" href="./node_modules/canopy-csv-import/web/wizard/wizard.css">' +
        '<script type="module" src="./app.js"></script></head>\n<body><main><h1>Host page</h1>' +
        '<button id="open" type="button" disabled>Import people</button>' +
        '<canopy-import-wizard id="wizard" surface="access-control" environment-id="env_dev" locale="ja"></canopy-import-wizard>' +
        '</main></body></html>\n',
      'app.js': [
        "import './node_modules/canopy-csv-import/web/wizard/register.js';",
        "const el = document.getElementById('wizard');",
        "const session = await (await fetch('/demo/session')).json();",
        "el.setAttribute('account-id', session.account.id);",
        'el.authHeader = async () => `Bearer ${session.token}`;',
        "el.addEventListener('cnp-import:complete', (e) => { document.body.dataset.imported = String(e.detail.counts.invited); });",
        "const button = document.getElementById('open');",
        "button.addEventListener('click', () => el.open());",
        'button.disabled = false;',
        '',
      ].join('\n'),
    });
    cleanup.push(() => rm(app, { recursive: true, force: true }));
    const srv = await apiServer();
    const host = await serveApp(app, srv.url);
    cleanup.push(host.close);
    const { page, clean } = await pageFor(host.url);
    await page.getByRole('button', { name: 'Import people' }).click();
    await importThrough(page, {
      title: 'CSV から ID をインポート', modeHeading: 'インポート方法を選択', invite: '一括招待', next: '次へ',
      uploadHeading: 'CSV をアップロード', summary: 'ファイルの概要', mappingHeading: '列を項目に割り当てる',
      previewHeading: '行を確認', importTwo: '2 行をインポート', resultsHeading: '結果',
      previewMessages: ['メールアドレス の値の前後の空白を削除しました。', '「bad@@example.jp」は正しいメールアドレスではありません: @ が 2 つ以上あります。'],
      resultMessages: ['招待'],
    }, ja, srv, 'ja');
    // The element is the host: its events bubble from it.
    assert.equal(await page.evaluate(() => document.body.dataset.imported), '2');
    await clean();
  });
});
