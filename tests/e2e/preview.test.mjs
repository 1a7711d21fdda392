// Step 4 (Preview): validation stats, a virtualised 10,000-row table fed page by page from the core,
// filters, error rows tinted and locked, selection, and the lookups-failed banner with Retry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, csvRows, openAtPreview, screenshots, startSession } from './support/harness.mjs';

const ROLE = '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01'; // seeded in Development
const NODE = '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01';
const BIG = csvRows(10000, {
  header: 'email,first_name,last_name,role_id,node_id',
  row: (i) => `${i % 100 === 0 ? `not-an-email-${i}` : `user${i}@example.com`},First${i},Last${i},${i % 50 === 1 ? `${ROLE},${NODE}` : ','}`,
});
const stat = async (dlg, label) => Number((await dlg.locator('.cnp-stat', { has: dlg.page().locator(`dt:text-is("${label}")`) }).locator('dd').innerText()).split('/')[0].replace(/\D/g, ''));
const nextButton = (dlg) => dlg.locator('.cnp-footer .cnp-btn-primary');

describe('wizard step 4: preview', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  before(async () => {
    s = await startSession();
    dlg = await openAtPreview(s.page, 'Bulk invite', 'ten-thousand.csv', BIG);
  });
  after(async () => { await s?.close(); });

  it('shows valid / warning / error counts from the core', async () => {
    assert.equal(await stat(dlg, 'Rows'), 10000);
    assert.equal(await stat(dlg, 'Errors'), 100);
    assert.equal(await stat(dlg, 'Valid') + await stat(dlg, 'Warnings'), 9900);
    assert.equal(await stat(dlg, 'Selected'), 9900);
    assert.equal(await nextButton(dlg).innerText(), 'Import 9,900 rows');
    await screenshots(s.page, 'step4-preview');
    await checkA11y(s.page, 'preview');
  });

  it('keeps only the visible rows in the DOM and fetches others on scroll', async () => {
    const scroller = dlg.locator('.cnp-vscroll');
    await dlg.locator('tr.cnp-vrow[aria-rowindex="2"]').waitFor();
    const inDom = await dlg.locator('tr.cnp-vrow').count();
    assert.ok(inDom > 3 && inDom < 80, `virtualised: ${inDom} rows in the DOM`);
    assert.equal(await dlg.locator('table.cnp-vtable').getAttribute('aria-rowcount'), '10001');
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const last = dlg.locator('tr.cnp-vrow[aria-rowindex="10001"]');
    // The row is drawn at once with a "Loading…" placeholder; its cells arrive from the worker.
    await last.filter({ hasText: 'not-an-email-10000' }).waitFor();
    assert.match(await last.innerText(), /not-an-email-10000/);
    assert.ok(await dlg.locator('tr.cnp-vrow').count() < 80);
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await dlg.locator('tr.cnp-vrow[aria-rowindex="5001"]').waitFor();
    await scroller.evaluate((el) => { el.scrollTop = 0; });
  });

  it('filters errors: tinted rows, issues listed, checkbox disabled and unchecked', async () => {
    await dlg.getByRole('button', { name: 'Errors (100)' }).click();
    const first = dlg.locator('tr.cnp-vrow[aria-rowindex="2"]');
    await first.filter({ hasText: 'not-an-email-100' }).waitFor();
    assert.match(await first.getAttribute('class'), /is-error/);
    const box = first.getByRole('checkbox');
    assert.ok(await box.isDisabled());
    assert.ok(!(await box.isChecked()));
    await first.locator('.cnp-issue-btn').click();
    const detail = dlg.getByRole('region', { name: /^Line \d+$/ });
    await detail.waitFor();
    assert.match(await detail.innerText(), /not a valid email address/);
    await screenshots(s.page, 'step4-preview-errors');
    await checkA11y(s.page, 'preview errors filter');
    await detail.getByRole('button', { name: 'Hide' }).click();
    await dlg.getByRole('button', { name: /^All \(/ }).click();
    await dlg.locator('tr.cnp-vrow[aria-rowindex="2"]', { hasText: 'user1@example.com' }).waitFor();
  });

  it('selects and deselects rows; Next needs at least one', async () => {
    const firstBox = dlg.locator('tr.cnp-vrow[aria-rowindex="2"]').getByRole('checkbox');
    await firstBox.uncheck();
    await dlg.getByText('Import 9,899 rows').waitFor();
    await dlg.getByRole('button', { name: 'Select none' }).click();
    await dlg.getByText('Import 0 rows').waitFor();
    assert.ok(await nextButton(dlg).isDisabled());
    assert.ok(!(await firstBox.isChecked()));
    await dlg.getByRole('button', { name: 'Select all' }).click();
    await dlg.getByText('Import 9,900 rows').waitFor();
    assert.ok(await nextButton(dlg).isEnabled());
    // Keyboard: arrow keys move between row checkboxes, Space toggles.
    await dlg.locator('tr.cnp-vrow[aria-rowindex="2"]').getByRole('checkbox').focus();
    await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('Space');
    await dlg.getByText('Import 9,899 rows').waitFor();
    assert.ok(!(await dlg.locator('tr.cnp-vrow[aria-rowindex="3"]').getByRole('checkbox').isChecked()));
  });

  it('blocks lookup rows while lookups failed, and Retry recovers', async () => {
    await s.page.route('**/api/v1/environments/*/roles', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"service_unavailable","message":"down"}}' }));
    dlg = await openAtPreview(s.page, 'Bulk invite', 'with-roles.csv',
      csvRows(4, { header: 'email,role_id,node_id', row: (i) => `r${i}@example.com,${i % 2 ? `${ROLE},${NODE}` : ','}` }));
    const banner = dlg.getByRole('alert').filter({ hasText: 'lookups could not be loaded' });
    await banner.waitFor();
    assert.equal(await stat(dlg, 'Waiting for lookups'), 2);
    assert.equal(await stat(dlg, 'Selected'), 2, 'rows without lookup fields stay importable');
    await screenshots(s.page, 'step4-preview-lookups-failed');
    await checkA11y(s.page, 'lookups failed banner');

    await s.page.unroute('**/api/v1/environments/*/roles');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await banner.waitFor({ state: 'detached' });
    await dlg.getByText('Import 4 rows').waitFor();
    assert.equal(await dlg.locator('.cnp-stat', { hasText: 'Waiting for lookups' }).count(), 0);
    // Names beside ids, from the lookups: "Admin · 5b0f7a53…", the whole id in the tooltip.
    const row = dlg.locator('tr.cnp-vrow', { hasText: 'r1@example.com' });
    const roleCell = row.locator('td .cnp-cell', { hasText: 'Admin' });
    await roleCell.waitFor();
    assert.equal(await roleCell.innerText(), 'Admin · 5b0f7a53…');
    assert.equal(await roleCell.getAttribute('title'), ROLE);
    assert.equal(await row.locator('td .cnp-cell', { hasText: 'Headquarters' }).innerText(), 'Headquarters · 8d3c2b1a…');
  });

  it('regression: retrying the lookups reset the rows the user had deselected', async () => {
    await s.page.route('**/api/v1/environments/*/roles', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"service_unavailable","message":"down"}}' }));
    dlg = await openAtPreview(s.page, 'Bulk invite', 'with-roles-again.csv',
      csvRows(4, { header: 'email,role_id,node_id', row: (i) => `d${i}@example.com,${i % 2 ? `${ROLE},${NODE}` : ','}` }));
    const banner = dlg.getByRole('alert').filter({ hasText: 'lookups could not be loaded' });
    await banner.waitFor();
    assert.equal(await stat(dlg, 'Selected'), 2);
    // csvRows numbers from 1: d1 and d3 name a role (blocked for now), d2 and d4 do not.
    const firstBox = dlg.locator('tr.cnp-vrow[aria-rowindex="3"]').getByRole('checkbox');
    await firstBox.uncheck();  // d2, taken out by the user
    for (let i = 0; i < 100 && (await stat(dlg, 'Selected')) !== 1; i++) await s.page.waitForTimeout(50);
    assert.equal(await stat(dlg, 'Selected'), 1);
    assert.equal((await nextButton(dlg).innerText()).trim(), 'Import 1 row');

    await s.page.unroute('**/api/v1/environments/*/roles');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await banner.waitFor({ state: 'detached' });
    // d1 and d3 can go now; d2 stays out as the user left it.
    await dlg.getByText('Import 3 rows').waitFor();
    assert.ok(!(await firstBox.isChecked()));
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
