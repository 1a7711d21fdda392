// Step 1 (Mode): the surface decides the modes, cards list the columns, the sample CSV downloads, and
// changing the mode after uploading starts over only after a confirmation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, csvRows, downloadText, openWizard, pickMode, screenshots, startSession, uploadCsv, wizard } from './support/harness.mjs';

describe('wizard step 1: mode', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('offers Bulk invite and Bulk create on Access Control, with their columns', async () => {
    const { page } = s;
    const dlg = await openWizard(page, 'access-control');
    assert.equal(await dlg.getAttribute('aria-modal'), 'true');
    // Focus lands on the step heading.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Choose how to import');
    const radios = dlg.getByRole('radio');
    assert.equal(await radios.count(), 2);
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk invite' }).isVisible());
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk create' }).isVisible());
    assert.equal(await dlg.getByRole('radio', { name: 'Account-tier bulk create' }).count(), 0);
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isDisabled(), 'Next waits for a mode');

    const invite = await dlg.locator('[data-mode="invite"]').innerText();
    for (const col of ['email', 'first_name', 'last_name', 'role_id', 'node_id', 'client_id', 'send_email']) assert.match(invite, new RegExp(col));
    const create = await dlg.locator('[data-mode="create"]').innerText();
    for (const col of ['password', 'external_id']) assert.match(create, new RegExp(col));
    assert.doesNotMatch(create, /send_email/);

    await screenshots(page, 'step1-mode');
    await checkA11y(page, 'mode step');
  });

  it('downloads the sample CSV with every column and # comment lines', async () => {
    const { page } = s;
    const dlg = wizard(page);
    const { name, text } = await downloadText(page, () => dlg.locator('[data-mode="create"]').getByRole('button', { name: 'Download sample CSV' }).click());
    assert.equal(name, 'create-sample.csv');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
    assert.ok(lines.some((l) => l.startsWith('#')), 'documents columns in # comment lines');
    const header = lines.find((l) => !l.startsWith('#'));
    for (const col of ['email', 'first_name', 'last_name', 'password', 'role_id', 'node_id', 'client_id', 'external_id']) {
      assert.ok(header.split(',').includes(col), `sample header has ${col}: ${header}`);
    }
  });

  it('asks before a mode change discards the uploaded file', async () => {
    const { page } = s;
    const dlg = wizard(page);
    await pickMode(dlg, 'Bulk invite');
    await uploadCsv(dlg, 'people.csv', csvRows(3));
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    await dlg.getByRole('button', { name: 'Back' }).click();
    await dlg.getByRole('heading', { name: 'Choose how to import' }).waitFor();
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk invite' }).isChecked(), 'the chosen mode is kept on Back');

    await dlg.getByRole('radio', { name: 'Bulk create' }).check();
    const confirm = page.getByRole('alertdialog', { name: 'Change the mode and start over?' });
    await confirm.waitFor();
    await screenshots(page, 'step1-mode-confirm');
    await checkA11y(page, 'mode change confirmation');
    await confirm.getByRole('button', { name: 'No, go back' }).click();
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk invite' }).isChecked(), 'declining keeps the old mode');
    await dlg.getByRole('button', { name: 'Next', exact: true }).click();
    await dlg.getByRole('region', { name: 'File summary' }).waitFor(); // the file is still there

    await dlg.getByRole('button', { name: 'Back' }).click();
    await dlg.getByRole('radio', { name: 'Bulk create' }).check();
    await confirm.getByRole('button', { name: 'Change mode and start over' }).click();
    assert.ok(await dlg.getByRole('radio', { name: 'Bulk create' }).isChecked());
    await dlg.getByRole('button', { name: 'Next', exact: true }).click();
    await dlg.getByRole('heading', { name: 'Upload the CSV' }).waitFor();
    assert.equal(await dlg.getByRole('region', { name: 'File summary' }).count(), 0, 'starting over drops the file');
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isDisabled());
  });

  it('offers only the account-tier mode on Tenant, preselected', async () => {
    const { page } = s;
    await page.goto('/#/overview');
    const dlg = await openWizard(page, 'tenant');
    assert.equal(await dlg.getByRole('radio').count(), 1);
    assert.ok(await dlg.getByRole('radio', { name: 'Account-tier bulk create' }).isChecked());
    const card = await dlg.locator('[data-mode="account"]').innerText();
    for (const col of ['email', 'first_name', 'last_name', 'password', 'external_id', 'application_id']) assert.match(card, new RegExp(col));
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isEnabled());
    await checkA11y(page, 'tenant mode step');
    // Nothing uploaded yet: Escape closes without asking.
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    await s.assertClean();
  });
});
