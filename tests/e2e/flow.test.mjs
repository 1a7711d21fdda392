// End to end through all six steps with the sample CSV, by keyboard only, against the reference server:
// the rows end up in its SQLite database, the identities list refreshes, and the Overview banner goes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, openWizard, pressButton, sampleCsv, screenshots, startSession, tabTo, toMapping, toPreview, uploadCsv, wizard } from './support/harness.mjs';

describe('import wizard end to end (keyboard only)', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('invites the sample CSV through Mode → Upload → Mapping → Preview → Submit → Results', async () => {
    const { page, srv } = s;
    await page.goto('/#/overview');
    await page.getByText('You haven’t invited any users or assigned them roles yet.').waitFor();

    await page.goto('/#/access-control/identities');
    await page.getByRole('heading', { level: 1, name: 'Identities' }).waitFor();
    await pressButton(page, 'Import CSV');
    const dlg = wizard(page);
    await dlg.getByRole('heading', { name: 'Choose how to import' }).waitFor();
    const step = () => dlg.locator('[aria-current="step"]').innerText();

    // 1. Mode
    assert.match(await step(), /Mode/);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Choose how to import');
    await tabTo(page, () => document.activeElement?.type === 'radio');
    await page.keyboard.press('Space');
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk invite' }).isChecked());
    const csv = await sampleCsv(page, dlg, 'Bulk invite', 'invite');
    await screenshots(page, 'flow-1-mode');
    await checkA11y(page, 'flow: mode');
    await pressButton(page, 'Next');

    // 2. Upload: the file picker opened from the keyboard.
    await dlg.getByRole('heading', { name: 'Upload the CSV' }).waitFor();
    assert.match(await step(), /Upload/);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Upload the CSV');
    const chooser = page.waitForEvent('filechooser');
    await pressButton(page, 'Choose file');
    await (await chooser).setFiles({ name: 'invite-sample.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    await screenshots(page, 'flow-2-upload');
    await checkA11y(page, 'flow: upload');
    await pressButton(page, 'Next');

    // 3. Mapping: the sample's headers map themselves.
    await dlg.getByRole('heading', { name: 'Map columns to fields' }).waitFor();
    assert.match(await step(), /Mapping/);
    assert.equal(await dlg.locator('.cnp-alerts .cnp-alert').count(), 0);
    await screenshots(page, 'flow-3-mapping');
    await checkA11y(page, 'flow: mapping');
    await pressButton(page, 'Next');

    // 4. Preview: every sample row validates against the demo lookups.
    await dlg.getByRole('heading', { name: 'Check the rows' }).waitFor();
    await dlg.getByText('Import 3 rows').waitFor();
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Errors' }).innerText(), /\b0\b/);
    await screenshots(page, 'flow-4-preview');
    await checkA11y(page, 'flow: preview');
    await pressButton(page, 'Import 3 rows');

    // 5. Submit, then 6. Results.
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    assert.match(await step(), /Results/);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Results');
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Invited' }).innerText(), /3/);
    const grace = dlg.getByRole('row').filter({ hasText: 'grace.hopper@example.com' });
    // send_email=false returns the accept link: shown as text with a copy button, not as a live link.
    assert.match(await grace.locator('.cnp-link-text').innerText(), /^http:\/\/.*\/accept\/[A-Za-z0-9_-]{32}$/);
    assert.equal(await grace.getByRole('link').count(), 0);
    assert.ok(await grace.getByRole('button', { name: 'Copy the accept link of grace.hopper@example.com' }).isVisible());
    await screenshots(page, 'flow-6-results');
    await checkA11y(page, 'flow: results');

    // The server's database holds the invites, Ada's with her role on her node.
    const invites = srv.db.prepare("SELECT email, role_id, node_id, send_email FROM invites WHERE environment_id = 'env_dev' ORDER BY email").all();
    assert.deepEqual(invites.map((i) => i.email), ['ada.lovelace@example.com', 'alan.turing@example.com', 'grace.hopper@example.com']);
    assert.equal(invites[0].role_id, '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01');
    assert.equal(invites[0].node_id, '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01');
    assert.equal(invites[2].send_email, 0);

    await pressButton(page, 'Done');
    await dlg.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Import CSV', 'focus returns to the opener');
    await page.getByRole('rowheader', { name: 'ada.lovelace@example.com' }).waitFor(); // the list refreshed
    await page.getByRole('rowheader', { name: 'alan.turing@example.com' }).waitFor();

    await page.goto('/#/overview');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.locator('.stat-slot .stats').waitFor();
    assert.equal(await page.getByText('You haven’t invited any users or assigned them roles yet.').count(), 0);
    await s.assertClean();
  });

  it('creates the account-tier sample from Tenant > Identities as directory identities', async () => {
    const { page, srv } = s;
    const dlg = await openWizard(page, 'tenant');
    const csv = await sampleCsv(page, dlg, 'Account-tier bulk create', 'account');
    await dlg.getByRole('button', { name: 'Next', exact: true }).click();
    await uploadCsv(dlg, 'account-sample.csv', csv);
    await toMapping(dlg);
    await toPreview(dlg);
    await dlg.getByRole('button', { name: 'Import 3 rows' }).click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Created' }).innerText(), /3/);
    const rows = srv.db.prepare("SELECT email, environment_id, password_hash IS NOT NULL AS has_password FROM identities WHERE source = 'account' ORDER BY email").all();
    assert.deepEqual(rows.map((r) => [r.email, r.environment_id]), [
      ['hedy.lamarr@example.com', null], ['margaret.hamilton@example.com', null], ['radia.perlman@example.com', null]]);
    assert.equal(rows[1].has_password, 1);
    assert.equal(srv.db.prepare('SELECT count(*) AS n FROM app_memberships').get().n, 1);
    await dlg.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('rowheader', { name: 'margaret.hamilton@example.com' }).waitFor();
    await s.assertClean();
  });
});
