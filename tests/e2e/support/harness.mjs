// Shared plumbing for the browser specs: a reference server with its own temp database, Debian's
// Chromium through playwright-core, and the checks every spec runs (CSP violations, page errors,
// native dialogs, axe-core, screenshots at 1280×800 and 390 px wide).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';

import { startServer } from '../../../tools/server/server.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SHOTS = join(ROOT, 'test-results', 'screenshots');
const AXE_PATH = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
// Served to the page from its own origin (page.route), so the strict CSP stays on while axe runs.
const AXE_URL_PATH = '/__e2e__/axe.min.js';

/** The wasm build the page needs; specs skip (and say why) until `npm run build` has produced it. */
export const DIST_READY = existsSync(join(ROOT, 'dist', 'index.mjs')) && existsSync(join(ROOT, 'web', 'core', 'client.js'));
export const SKIP_REASON = DIST_READY ? false : 'dist/index.mjs or web/core/client.js is missing: run `npm run build` first';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Starts a server (faults on) and a browser page. `prepare(page)` runs before the first navigation.
 * Returns { srv, page, problems, close(), assertClean() }.
 */
export async function startSession({ faults = true, viewport = DESKTOP, prepare } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'canopy-e2e-'));
  const srv = await startServer({ port: 0, dbPath: join(dir, 'canopy.sqlite'), faults });
  // chromium.launch() gives every run a fresh temporary profile (user-data dir).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
  // Reduced motion: screenshots and axe see the settled page, not a slide-in half way.
  const context = await browser.newContext({ viewport, acceptDownloads: true, baseURL: srv.url, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);

  const problems = { pageErrors: [], dialogs: [], csp: [] };
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
  page.on('dialog', (d) => { problems.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|evaluate|compile|connect|create)/i.test(msg.text())) problems.csp.push(msg.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample || '?'}`);
    });
  });
  await page.route(`**${AXE_URL_PATH}`, (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }));
  if (prepare) await prepare(page);

  return {
    srv, browser, context, page, problems, dir,
    /** Fails on CSP violations, uncaught page errors and any native alert/confirm/prompt. */
    async assertClean() {
      const inPage = await page.evaluate(() => window.__cspViolations || []).catch(() => []);
      assert.deepEqual([...problems.csp, ...inPage], [], 'CSP violations');
      assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
      assert.deepEqual(problems.dialogs, [], 'native dialogs');
    },
    async close() {
      await browser.close().catch(() => {});
      await srv.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** axe-core on the whole page; fails on serious or critical violations. */
export async function checkA11y(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ url: AXE_URL_PATH });
  const violations = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe (${label}): serious/critical violations`);
  return violations;
}

/** Screenshots at 1280×800 and at 390 px wide into test-results/screenshots/<name>-{desktop,phone}.png. */
export async function screenshots(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await settle(page);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`) });
  await page.setViewportSize(PHONE);
  await settle(page);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`) });
  await page.setViewportSize(before);
  await settle(page);
}

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

// ------------------------------------------------------------------ wizard helpers

export const WIZARD = 'Import identities from CSV';

export function wizard(page) {
  return page.getByRole('dialog', { name: WIZARD });
}

/** Opens Access Control (or Tenant) > Identities and the wizard from its page header. */
export async function openWizard(page, surface = 'access-control') {
  await page.goto('about:blank'); // a fresh document: no dialog left open by an earlier test
  await page.goto(`/#/${surface}/identities`);
  await page.getByRole('heading', { level: 1, name: 'Identities' }).waitFor();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dlg = wizard(page);
  await dlg.getByRole('heading', { name: 'Choose how to import' }).waitFor();
  return dlg;
}

export async function currentStep(dlg) {
  return dlg.locator('[aria-current="step"]').innerText();
}

export async function pickMode(dlg, title) {
  await dlg.getByRole('radio', { name: title }).check();
  await dlg.getByRole('button', { name: 'Next', exact: true }).click();
  await dlg.getByRole('heading', { name: 'Upload the CSV' }).waitFor();
}

/** Uploads CSV text through the file input (the same path as the file picker and drop). */
export async function uploadCsv(dlg, name, content) {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  await dlg.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

// Drops a file on the Upload step's drop zone, as a user drags one from the desktop.
export async function dropFile(dlg, name, content, type) {
  const handle = await dlg.page().evaluateHandle(({ data, name, type }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([typeof data === 'string' ? data : new Uint8Array(data)], name, { type }));
    return dt;
  }, { data: typeof content === 'string' ? content : [...content], name, type });
  await dlg.locator('.cnp-drop').dispatchEvent('drop', { dataTransfer: handle });
}

export async function toMapping(dlg) {
  await dlg.getByRole('region', { name: 'File summary' }).waitFor();
  await dlg.getByRole('button', { name: 'Next', exact: true }).click();
  await dlg.getByRole('heading', { name: 'Map columns to fields' }).waitFor();
}

export async function toPreview(dlg) {
  await dlg.getByRole('button', { name: 'Next', exact: true }).click();
  await dlg.getByRole('heading', { name: 'Check the rows' }).waitFor();
  await dlg.locator('.cnp-stats').waitFor();
}

/** From Access Control > Identities to the Preview step: the mode, the file uploaded, the automatic mapping. */
export async function openAtPreview(page, modeTitle, name, csv) {
  const dlg = await openWizard(page, 'access-control');
  await pickMode(dlg, modeTitle);
  await uploadCsv(dlg, name, csv);
  await toMapping(dlg);
  await toPreview(dlg);
  return dlg;
}

/** Reads a Blob download as text. */
export async function downloadText(page, trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** The sample CSV of a mode: samples/<mode>-sample.csv when present, else the one the Mode step downloads. */
export async function sampleCsv(page, dlg, modeTitle, modeId) {
  for (const file of [join(ROOT, 'samples', `${modeId}-sample.csv`), join(ROOT, 'samples', `${modeId}.csv`)]) {
    if (existsSync(file)) return readFile(file, 'utf8');
  }
  const card = dlg.locator(`[data-mode="${modeId}"]`);
  const { text } = await downloadText(page, () => card.getByRole('button', { name: 'Download sample CSV' }).click());
  return text;
}

export async function faults(srv, body) {
  const res = await fetch(`${srv.url}/__test/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

/** Rows per mode in a CSV body (header + n rows) with distinct emails. */
export function csvRows(n, { header = 'email,first_name,last_name', row = (i) => `person${i}@example.com,First${i},Last${i}` } = {}) {
  const lines = [header];
  for (let i = 1; i <= n; i++) lines.push(row(i));
  return lines.join('\n') + '\n';
}

/** Presses Tab until the focused element satisfies `test(el)` (run in the page); fails after `max` presses. */
export async function tabTo(page, test, { max = 60, shift = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(test)) return;
  }
  throw new Error(`focus never reached the element (${test})`);
}

/** Tab to a button with this exact text and press Enter. */
export async function pressButton(page, text) {
  await tabTo(page, new Function(`const el = document.activeElement; return el && el.tagName === 'BUTTON' && el.textContent.trim() === ${JSON.stringify(text)} && !el.disabled;`));
  await page.keyboard.press('Enter');
}
