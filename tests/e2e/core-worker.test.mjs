// The core's worker and the page: the File goes to the worker as a handle and is read there (the page
// never reads or copies its bytes), a file picked while the worker is still warming up imports in full,
// a file that can no longer be read says so, and the preview table keeps select / line / status / email
// in view when scrolled sideways, with widths fixed from the data.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Papa from 'papaparse';

import { SKIP_REASON, openAtPreview, openWizard, pickMode, toMapping, toPreview, startSession, uploadCsv } from './support/harness.mjs';

// Every way a page could read a Blob's bytes, counted on the page's main thread.
function countPageReads() {
  window.__reads = [];
  const wrap = (proto, names, label) => {
    for (const name of names) {
      const orig = proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (...args) { window.__reads.push(`${label}.${name}`); return orig.apply(this, args); };
    }
  };
  wrap(Blob.prototype, ['arrayBuffer', 'text', 'stream', 'slice', 'bytes'], 'Blob');
  wrap(FileReader.prototype, ['readAsArrayBuffer', 'readAsText', 'readAsBinaryString', 'readAsDataURL'], 'FileReader');
  wrap(Response.prototype, ['arrayBuffer', 'text', 'blob'], 'Response');
}

// Rows with quoted cells, doubled quotes, a line break inside a cell and accented names.
function peopleCsv(n) {
  const lines = ['email,first_name,last_name,external_id,notes'];
  for (let i = 1; i <= n; i++) lines.push(`person${i}@example.com,Zoë${i},"Müller, ""M${i}""",EMP-${i},"line one\nline ${i}"`);
  return lines.join('\r\n') + '\r\n';
}

const summaryValue = async (dlg, label) => (await dlg.locator('.cnp-dl-item', { has: dlg.page().locator(`dt:text-is("${label}")`) }).locator('dd').innerText()).trim();

describe('core worker: the File is read in the worker', { skip: SKIP_REASON }, () => {
  let s;
  let dir;
  before(async () => {
    s = await startSession({ prepare: (page) => page.addInitScript(countPageReads) });
    dir = await mkdtemp(join(tmpdir(), 'canopy-file-'));
  });
  after(async () => {
    await s?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('posts the File to the worker, which reads it; the page reads no bytes', async () => {
    const csv = peopleCsv(300);
    const dlg = await openWizard(s.page);
    await pickMode(dlg, 'Bulk create');
    await s.page.evaluate(() => { window.__reads = []; });
    await uploadCsv(dlg, 'people.csv', csv);
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    // An independent reading of the same text: Papa Parse in Node.
    const ref = Papa.parse(csv, { skipEmptyLines: true }).data;
    assert.equal(await summaryValue(dlg, 'Data rows'), String(ref.length - 1));
    assert.equal(await summaryValue(dlg, 'Columns'), String(ref[0].length));
    const firstRow = await dlg.locator('.cnp-table-compact tbody tr').first().locator('td').allInnerTexts();
    assert.deepEqual(firstRow.map((c) => c.trim()), ['person1@example.com', 'Zoë1', 'Müller, "M1"', 'EMP-1', ref[1][4].replace('\n', ' ')].map((c) => c.trim()));
    assert.deepEqual(await s.page.evaluate(() => window.__reads), [], 'the page read the file itself');
    await s.assertClean();
  });

  it('reads the same File again for an encoding override, and says so when it is gone', async () => {
    const path = join(dir, 'latin1.csv');
    const text = 'email,first_name,last_name\r\nrene@example.com,Ren\xe9e,L\xe9v\xeaque\r\n';
    await writeFile(path, Buffer.from(text, 'latin1'));
    const dlg = await openWizard(s.page);
    await pickMode(dlg, 'Bulk create');
    await dlg.locator('input[type="file"]').setInputFiles(path);
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    assert.equal(await summaryValue(dlg, 'Data rows'), '1');
    // Decoded again from the File under another encoding: the worker reads it a second time.
    await dlg.getByLabel('Encoding').selectOption('ISO-8859-15');
    await dlg.locator('.cnp-dl-item', { hasText: 'ISO-8859-15' }).waitFor();
    assert.deepEqual((await dlg.locator('.cnp-table-compact tbody tr').first().locator('td').allInnerTexts()).map((c) => c.trim()), ['rene@example.com', 'Renée', 'Lévêque']);
    // The file is deleted on disk: the next read fails, in words that say what to do.
    await rm(path);
    await dlg.getByLabel('Encoding').selectOption('windows-1252');
    const alert = dlg.getByRole('alert').filter({ hasText: 'This file cannot be imported' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /The file could not be read: it may have been moved, changed or deleted after it was chosen\. Choose the file again\./);
    assert.deepEqual(await s.page.evaluate(() => window.__reads), []);
  });
});

describe('core worker: warm-up', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('a file picked while the worker warms up imports completely, and the warm-up finishes', async () => {
    const csv = peopleCsv(2000);
    const dlg = await openWizard(s.page);
    await pickMode(dlg, 'Bulk create');
    await uploadCsv(dlg, 'people.csv', csv);
    await toMapping(dlg);
    await toPreview(dlg);
    const stat = async (label) => (await dlg.locator('.cnp-stat', { has: s.page.locator(`dt:text-is("${label}")`) }).locator('dd').innerText()).split('/')[0].replace(/\D/g, '');
    assert.equal(await stat('Rows'), '2000');
    assert.equal(await stat('Errors'), '0');
    assert.match(await dlg.locator('tr.cnp-vrow[aria-rowindex="2"]').innerText(), /person1@example\.com/);
    await s.page.waitForFunction(() => performance.getEntriesByName('cnp-core-warm').length === 1);
    // A second file in the same worker after the warm-up reads the same.
    await dlg.getByRole('button', { name: 'Back', exact: true }).click();
    await dlg.getByRole('button', { name: 'Back', exact: true }).click();
    await uploadCsv(dlg, 'people-again.csv', peopleCsv(1500));
    await toMapping(dlg);
    await toPreview(dlg);
    assert.equal(await stat('Rows'), '1500');
    await s.assertClean();
  });
});

describe('preview table: sticky columns, fixed widths', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  const csv = (() => {
    const lines = ['email,first_name,last_name,role_id,node_id,client_id,external_id,password'];
    for (let i = 1; i <= 400; i++) lines.push(`a.rather.long.address.number${i}@example-company.com,Firstname${i},Lastname-Doublebarrel${i},,,,EXT-${String(i).padStart(8, '0')}-a-long-external-identifier,Secret-pass-${i}`);
    return lines.join('\n') + '\n';
  })();
  before(async () => {
    s = await startSession();
    dlg = await openAtPreview(s.page, 'Bulk create', 'wide.csv', csv);
    await dlg.locator('tr.cnp-vrow:not(.is-loading)').first().waitFor();
  });
  after(async () => { await s?.close(); });

  it('keeps select, line, status and email in view when scrolled fully right', async () => {
    const view = await dlg.locator('.cnp-vscroll').evaluate(async (sc) => {
      sc.scrollLeft = sc.scrollWidth;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const box = sc.getBoundingClientRect();
      const inView = (el) => { const r = el.getBoundingClientRect(); return r.left >= box.left - 1 && r.right <= box.right + 1; };
      const heads = [...sc.querySelectorAll('thead th')];
      const firstRow = sc.querySelector('tr.cnp-vrow:not(.is-loading)');
      return {
        scrolled: sc.scrollLeft > 0,
        headsInView: heads.filter(inView).map((th) => th.textContent.trim()),
        emailCellInView: inView([...firstRow.children][3]),
        emailText: [...firstRow.children][3].textContent.trim(),
        sticky: heads.slice(0, 4).map((th) => getComputedStyle(th).position),
      };
    });
    assert.ok(view.scrolled, 'the table is wider than its scroller');
    assert.deepEqual(view.sticky, ['sticky', 'sticky', 'sticky', 'sticky']);
    for (const name of ['Line', 'Status', 'Email', 'External ID']) assert.ok(view.headsInView.includes(name), `${name} in view: ${view.headsInView.join(', ')}`);
    assert.ok(view.emailCellInView);
    assert.equal(view.emailText, 'a.rather.long.address.number1@example-company.com');
  });

  it('fixes column widths from the data: scrolling to the end does not change them', async () => {
    const widths = () => dlg.locator('.cnp-vtable').evaluate((t) => [...t.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().width));
    const layout = await dlg.locator('.cnp-vtable').evaluate((t) => getComputedStyle(t).tableLayout);
    assert.equal(layout, 'fixed');
    const before = await widths();
    const sc = dlg.locator('.cnp-vscroll');
    await sc.evaluate((el) => { el.scrollLeft = 0; el.scrollTop = el.scrollHeight; });
    await dlg.locator('tr.cnp-vrow[aria-rowindex="401"]:not(.is-loading)').waitFor();
    assert.deepEqual(await widths(), before);
    // The email column is wide enough for these addresses (no ellipsis on a 50-character address).
    const fits = await dlg.locator('tr.cnp-vrow[aria-rowindex="401"] td').nth(3).locator('.cnp-cell').evaluate((c) => c.scrollWidth <= c.clientWidth);
    assert.ok(fits, 'the email fits its column');
    await s.assertClean();
  });
});
