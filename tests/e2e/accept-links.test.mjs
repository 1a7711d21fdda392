// Accept links at Results: invites made without email show their link as text with a copy button (never
// a live link that would accept on the invitee's behalf), "Copy all accept links" copies every one as
// "email<TAB>link" lines, results.csv carries them, and opening one shows a confirmation page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, downloadText, openAtPreview, screenshots, startSession } from './support/harness.mjs';

describe('wizard: accept links at Results', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => {
    s = await startSession();
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.srv.url });
  });
  after(async () => { await s?.close(); });

  it('shows links as text, copies one or all, and exports them in results.csv', async () => {
    const csv = 'email,first_name,send_email\nmail@example.com,Mai,true\nlink1@example.com,Lin,false\nlink2@example.com,Lio,no\n';
    const dlg = await openAtPreview(s.page, 'Bulk invite', 'invites.csv', csv);
    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    const hint = dlg.locator('.cnp-alert', { hasText: '2 invites were made without email: hand each accept link to its invitee only.' });
    await hint.waitFor();
    const table = dlg.getByRole('table', { name: 'Outcome of each row' });
    assert.equal(await table.getByRole('link').count(), 0, 'no live link to click');
    const row = (email) => table.getByRole('row').filter({ hasText: email });
    assert.equal(await row('mail@example.com').locator('.cnp-link-text').count(), 0);
    const link1 = await row('link1@example.com').locator('.cnp-link-text').innerText();
    const link2 = await row('link2@example.com').locator('.cnp-link-text').innerText();
    assert.match(link1, /^http:\/\/127\.0\.0\.1:\d+\/accept\/[A-Za-z0-9_-]{32}$/);
    await screenshots(s.page, 'step6-results-accept-links');
    await checkA11y(s.page, 'results with accept links');

    await row('link2@example.com').getByRole('button', { name: 'Copy the accept link of link2@example.com' }).click();
    await dlg.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    assert.equal(await s.page.evaluate(() => navigator.clipboard.readText()), link2);

    await hint.getByRole('button', { name: 'Copy all accept links' }).click();
    await dlg.getByRole('status').filter({ hasText: '2 accept links copied (email and link, tab-separated).' }).waitFor();
    assert.equal(await s.page.evaluate(() => navigator.clipboard.readText()), `link1@example.com\t${link1}\nlink2@example.com\t${link2}\n`);

    const all = await downloadText(s.page, () => dlg.getByRole('button', { name: /results\.csv/ }).click());
    const lines = all.text.slice(1).split('\r\n');
    assert.equal(lines[0], 'row,email,outcome,id,code,message,accept_link');
    assert.match(lines[1], /^2,mail@example\.com,invited,inv_[0-9a-f]{24},,,$/);
    assert.ok(lines[2].endsWith(`,${link1}`), lines[2]);
    assert.ok(lines[3].endsWith(`,${link2}`), lines[3]);

    // The demo's landing page asks before it accepts; nothing was accepted by showing or copying links.
    const page = await s.context.newPage();
    await page.goto(link1);
    await page.getByRole('heading', { name: 'Accept the invitation?' }).waitFor();
    assert.equal(s.srv.db.prepare("SELECT status FROM invites WHERE email = 'link1@example.com'").get().status, 'invited');
    await page.getByRole('button', { name: 'Accept the invitation' }).click();
    await page.getByRole('heading', { name: 'Invitation accepted' }).waitFor();
    assert.equal(s.srv.db.prepare("SELECT status FROM invites WHERE email = 'link1@example.com'").get().status, 'accepted');
    await page.close();
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
