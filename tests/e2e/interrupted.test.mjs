// A reload mid-submit leaves a small marker (no row data); reopening the wizard says the run was
// interrupted, the same file is recognised, and importing it again replays what was done (reported as
// created earlier) and sends the rest: nothing is created twice. When that run ends the marker goes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, csvRows, faults, openWizard, pickMode, screenshots, startSession, toMapping, toPreview, uploadCsv } from './support/harness.mjs';

const CSV = csvRows(400, { row: (i) => `cut${i}@example.com,Cut${i},Off${i}` });
const count = (s) => s.srv.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'cut%@example.com'").get().n;
const marker = (page) => page.evaluate(() => localStorage.getItem('canopy-import:interrupted'));

async function stats(loc) {
  const out = {};
  for (const item of await loc.locator('.cnp-stat').all()) out[(await item.locator('dt').innerText()).trim()] = (await item.locator('dd').innerText()).trim();
  return out;
}

async function until(test, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('wizard: a run cut off by a reload, then the same file again', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('says so on reopening, and the re-import replays batch 1 and creates batch 2', async () => {
    // Batch 1 of 2 is slow: the page reloads while it is in flight, so batch 2 is never sent.
    await faults(s.srv, { latencyMs: 3000 });
    let dlg = await openWizard(s.page);
    await pickMode(dlg, 'Bulk create');
    await uploadCsv(dlg, 'people.csv', CSV);
    await toMapping(dlg);
    await toPreview(dlg);
    assert.equal(await marker(s.page), null, 'no marker before a run');
    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByText(/Sending batch 1 of 2/).waitFor();

    // The marker: what recognises the file again, and nothing of its rows.
    const saved = JSON.parse(await marker(s.page));
    assert.equal(saved.length, 1);
    assert.deepEqual(Object.keys(saved[0]).sort(), ['accountId', 'environmentId', 'fingerprint', 'id', 'mode', 'name', 'rows', 'size', 'startedAt']);
    assert.deepEqual([saved[0].name, saved[0].size, saved[0].mode, saved[0].accountId, saved[0].environmentId, saved[0].rows],
      ['people.csv', Buffer.byteLength(CSV), 'create', 'acc_demo', 'env_dev', 400]);
    assert.match(saved[0].fingerprint, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(saved), /@example\.com|Cut1|Bearer/);

    // Reload and leave (the browser asks first; the test answers Leave).
    const listeners = s.page.listeners('dialog');
    s.page.removeAllListeners('dialog');
    const asked = [];
    s.page.once('dialog', (d) => { asked.push(d.type()); d.accept().catch(() => {}); });
    await s.page.reload();
    for (const l of listeners) s.page.on('dialog', l);
    assert.deepEqual(asked, ['beforeunload']);
    // The server still finishes the batch it had: 200 created, the other 200 never sent.
    await until(() => count(s) === 200, 'batch 1 to commit');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(count(s), 200);
    await faults(s.srv, { latencyMs: 0 });

    // Reopening says what happened and what to do.
    dlg = await openWizard(s.page);
    const notice = dlg.locator('.cnp-interrupted .cnp-alert');
    await notice.waitFor();
    assert.equal(await notice.count(), 1);
    assert.equal(await notice.locator('.cnp-alert-title').innerText(), 'An earlier import was interrupted');
    assert.match(await notice.innerText(), /The import of “people\.csv” \(400 rows, Bulk create\) that started .* did not finish: the page was reloaded or closed while it was sending\. .*Import the same file again with the same mode and selection: what was already done is replayed/s);
    await screenshots(s.page, 'step1-interrupted');
    await checkA11y(s.page, 'mode step with the interrupted notice');

    // The same file again: recognised, and importing it replays batch 1 and sends batch 2.
    await pickMode(dlg, 'Bulk create');
    assert.equal(await dlg.locator('.cnp-interrupted .cnp-alert').count(), 1, 'the notice on the Upload step too');
    await uploadCsv(dlg, 'people.csv', CSV);
    await dlg.getByText('This is the file of that import: go on with the same mapping and selection to finish it.').waitFor();
    await toMapping(dlg);
    const checked = s.page.waitForResponse('**/identities/lookup');
    await toPreview(dlg);
    // The directory check finds the 200 rows the cut-off run created, and they are not locked out as
    // existing: they are that run's work, sent again with the same keys.
    const found = await (await checked).json();
    assert.equal(found.items.length, 200);
    await dlg.getByText(/Checking which emails/).waitFor({ state: 'detached' });
    assert.match(await dlg.locator('.cnp-stats').innerText(), /400/);
    assert.equal(await dlg.getByText(/already exist/).count(), 0);
    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 60000 });
    assert.deepEqual(await stats(dlg.locator('.cnp-stats')), { Created: '200', 'Created earlier': '200', Failed: '0', Unconfirmed: '0', Cancelled: '0', Deselected: '0' });
    assert.equal(count(s), 400, 'nothing created twice');
    const state = await (await fetch(`${s.srv.url}/__test/stats`)).json();
    assert.equal(state.events.filter((e) => e.outcome === 'replayed').length, 1, 'batch 1 answered from the idempotency store');

    // That run ended: the marker is gone, and reopening says nothing.
    assert.equal(await marker(s.page), null);
    await dlg.getByRole('button', { name: 'Done' }).click();
    dlg = await openWizard(s.page);
    assert.equal(await dlg.locator('.cnp-interrupted .cnp-alert').count(), 0);
  });

  it('a dismissed notice stays dismissed; a marker from another environment is not shown', async () => {
    await s.page.evaluate(() => localStorage.setItem('canopy-import:interrupted', JSON.stringify([
      { id: 'a', name: 'prod.csv', size: 10, fingerprint: 'f'.repeat(64), mode: 'create', accountId: 'acc_demo', environmentId: 'env_prod', rows: 5, startedAt: Date.now() },
      { id: 'b', name: 'dev.csv', size: 10, fingerprint: 'e'.repeat(64), mode: 'invite', accountId: 'acc_demo', environmentId: 'env_dev', rows: 7, startedAt: Date.now() },
      { id: 'c', name: 'old.csv', size: 10, fingerprint: 'd'.repeat(64), mode: 'invite', accountId: 'acc_demo', environmentId: 'env_dev', rows: 7, startedAt: Date.now() - 25 * 3600 * 1000 },
    ])));
    const dlg = await openWizard(s.page);
    const notice = dlg.locator('.cnp-interrupted .cnp-alert');
    await notice.waitFor();
    assert.equal(await notice.count(), 1, 'only this environment\'s, and none older than the server keeps its keys');
    assert.match(await notice.innerText(), /“dev\.csv” \(7 rows, Bulk invite\)/);
    await dlg.getByRole('button', { name: 'Dismiss the notice about “dev.csv”' }).click();
    assert.equal(await notice.count(), 0);
    const left = JSON.parse(await marker(s.page));
    assert.deepEqual(left.map((m) => m.id), ['a']);
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
