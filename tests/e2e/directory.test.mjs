// The directory check at Preview: emails that already have an identity or a pending invite in the
// environment are caught before anything is sent (email_exists, locked out, never in a request), and a
// check that fails says so with Retry and blocks no row.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, csvRows, openAtPreview, screenshots, startSession } from './support/harness.mjs';
import { bulk } from '../../tools/server/testing.mjs';

const stat = async (dlg, label) => Number((await dlg.locator('.cnp-stat', { has: dlg.page().locator(`dt:text-is("${label}")`) }).locator('dd').innerText()).split('/')[0].replace(/\D/g, ''));
const nextButton = (dlg) => dlg.locator('.cnp-footer .cnp-btn-primary');

describe('wizard: directory check at Preview', { skip: SKIP_REASON }, () => {
  let s;
  const requests = [];  // {path, body} of every API POST the page made
  let ada;
  let grace;
  before(async () => {
    s = await startSession();
    s.page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/')) requests.push({ path: new URL(r.url()).pathname, body: r.postData() ?? '' }); });
    ada = (await bulk(s.srv, 'create', [{ row: 2, email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' }])).json.results[0].id;
    grace = (await bulk(s.srv, 'invite', [{ row: 2, email: 'grace.hopper@example.com' }])).json.results[0].id;
  });
  after(async () => { await s?.close(); });

  it('catches an existing identity and a pending invite at Preview; neither is ever sent', async () => {
    // 1,500 rows: two requests of the check (1,000 emails at most each); the existing two are rows 2 and 1,401.
    const csv = csvRows(1500, { row: (i) => (i === 1 ? 'Ada.Lovelace@Example.com,Ada,Lovelace' : i === 1400 ? 'grace.hopper@example.com,Grace,Hopper' : `new${i}@example.com,New,P${i}`) });
    const dlg = await openAtPreview(s.page, 'Bulk invite', 'people.csv', csv);
    const found = dlg.getByRole('status').filter({ hasText: '2 rows have emails that already exist; they cannot be imported.' });
    await found.waitFor();
    assert.equal(await stat(dlg, 'Errors'), 2);
    assert.equal(await stat(dlg, 'Selected'), 1498);
    assert.equal(await nextButton(dlg).innerText(), 'Import 1,498 rows');
    const lookups = requests.filter((r) => r.path === '/api/v1/environments/env_dev/identities/lookup');
    assert.equal(lookups.length, 2);
    assert.equal(JSON.parse(lookups[0].body).emails.length, 1000);
    assert.equal(JSON.parse(lookups[1].body).emails.length, 500);
    assert.equal(JSON.parse(lookups[0].body).emails[0], 'ada.lovelace@example.com');

    await dlg.getByRole('button', { name: 'Errors (2)' }).click();
    const first = dlg.locator('tr.cnp-vrow[aria-rowindex="2"]');
    await first.filter({ hasText: 'Ada.Lovelace@Example.com' }).waitFor();
    assert.match(await first.getAttribute('class'), /is-error/);
    assert.ok(await first.getByRole('checkbox').isDisabled());
    const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    assert.equal(await first.locator('.cnp-issue-text').innerText(),
      `Ada.Lovelace@Example.com already has an identity (${ada}, created ${day}); the server would refuse this row. Leave it out of the file, or remove the existing one first and upload again.`);
    const second = dlg.locator('tr.cnp-vrow[aria-rowindex="3"]');
    assert.match(await second.locator('.cnp-issue-text').innerText(), new RegExp(`^grace\\.hopper@example\\.com already has a pending invite \\(${grace}, sent `));
    await screenshots(s.page, 'step4-preview-directory');
    await checkA11y(s.page, 'preview with existing emails');

    await nextButton(dlg).click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 60000 });
    const sent = requests.filter((r) => r.path.endsWith('/bulk-create'));
    assert.equal(sent.length, 8, '1,498 rows in batches of 200');
    assert.equal(sent.reduce((n, r) => n + JSON.parse(r.body).rows.length, 0), 1498);
    for (const r of sent) {
      assert.doesNotMatch(r.body, /ada\.lovelace|grace\.hopper/i, 'an existing email is never sent');
    }
    assert.equal(s.srv.db.prepare("SELECT count(*) AS n FROM invites WHERE email LIKE 'new%@example.com'").get().n, 1498);
  });

  it('a failing check says so with Retry and blocks no row; Retry finds the existing email', async () => {
    await s.page.route('**/identities/lookup', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"service_unavailable","message":"down"}}' }));
    const dlg = await openAtPreview(s.page, 'Bulk create', 'again.csv',
      csvRows(3, { row: (i) => (i === 2 ? 'ada.lovelace@example.com,Ada,Lovelace' : `later${i}@example.com,Later,P${i}`) }));
    const banner = dlg.getByRole('alert').filter({ hasText: 'The directory check could not be made (the server answered HTTP 503: down). Rows are not blocked; the server still refuses emails that already exist.' });
    await banner.waitFor();
    assert.equal(await stat(dlg, 'Errors'), 0);
    assert.equal(await stat(dlg, 'Selected'), 3, 'rows are not blocked by a check that failed');
    assert.ok(await nextButton(dlg).isEnabled());
    await screenshots(s.page, 'step4-preview-directory-failed');
    await checkA11y(s.page, 'directory check failed');

    await s.page.unroute('**/identities/lookup');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await dlg.getByRole('status').filter({ hasText: '1 row has an email that already exists; it cannot be imported.' }).waitFor();
    await banner.waitFor({ state: 'detached' });
    assert.equal(await stat(dlg, 'Errors'), 1);
    assert.equal(await nextButton(dlg).innerText(), 'Import 2 rows');
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
