// Step 5 (Submit): the page runs the core's send/wait loop: batches of 200 with live progress, the retry
// countdown after a 503 with Retry-After, Cancel between batches, and a confirmation to close mid-run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, csvRows, downloadText, faults, openAtPreview, screenshots, startSession } from './support/harness.mjs';

const count = (db, sql, ...args) => db.prepare(sql).get(...args).n;

async function startImport(page, csv) {
  const dlg = await openAtPreview(page, 'Bulk create', 'people.csv', csv);
  await dlg.locator('.cnp-footer .cnp-btn-primary').click();
  await dlg.getByRole('heading', { name: 'Importing' }).waitFor();
  return dlg;
}

describe('wizard step 5: submit', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('sends batches of 200, waits out a 503 with Retry-After, and reports progress', async () => {
    await faults(s.srv, { fail: [{ count: 1, status: 503, retryAfter: 2 }], latencyMs: 300 });
    const dlg = await startImport(s.page, csvRows(450, { row: (i) => `a${i}@example.com,Ann${i},Lee${i}` }));
    const bar = dlg.getByRole('progressbar', { name: 'Import progress' });
    assert.equal(await bar.getAttribute('aria-valuemax'), '450');
    const countdown = dlg.locator('.cnp-countdown');
    await countdown.filter({ hasText: /^Retrying batch 1 in \d+ s — .*busy/ }).waitFor();
    assert.match(await dlg.getByRole('status').filter({ hasText: 'Retrying batch 1' }).innerText(), /server busy|503/);
    await screenshots(s.page, 'step5-submit-waiting');
    await checkA11y(s.page, 'submit (waiting)');
    assert.ok(await dlg.getByRole('button', { name: 'Cancel import' }).isVisible());
    assert.ok(await dlg.getByRole('button', { name: 'Back' }).isDisabled(), 'no going back mid-submit');

    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 60000 });
    assert.equal(count(s.srv.db, "SELECT count(*) AS n FROM identities WHERE email LIKE 'a%@example.com' AND environment_id = 'env_dev'"), 450);
    await dlg.getByRole('button', { name: 'Back' }).click();
    await dlg.getByRole('heading', { name: 'Importing' }).waitFor();
    assert.equal(await bar.getAttribute('aria-valuenow'), '450');
    assert.match(await dlg.locator('.cnp-progress-text').innerText(), /450 of 450 rows · Batch 3 of 3/);
    await screenshots(s.page, 'step5-submit-done');
    const stats = await (await fetch(`${s.srv.url}/__test/stats`)).json();
    assert.equal(stats.bulk.failed, 1, 'one injected 503');
    assert.equal(stats.bulk.processed, 3, 'three batches committed, none twice');
  });

  it('cancels between batches: the in-flight batch completes, the rest are cancelled', async () => {
    await fetch(`${s.srv.url}/__test/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await faults(s.srv, { latencyMs: 1500 });
    const dlg = await startImport(s.page, csvRows(600, { row: (i) => `c${i}@example.com,Cy${i},Lee${i}` }));
    await dlg.getByText(/Sending batch 1 of 3/).waitFor();
    await dlg.getByRole('button', { name: 'Cancel import' }).click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    const created = count(s.srv.db, "SELECT count(*) AS n FROM identities WHERE email LIKE 'c%@example.com'");
    assert.equal(created, 200, 'only the batch in flight was written');
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Cancelled' }).innerText(), /400/);
  });

  it('asks before closing mid-submit, and finishes the run cancelled when told to stop', async () => {
    await faults(s.srv, { latencyMs: 3000 });
    const dlg = await startImport(s.page, csvRows(600, { row: (i) => `d${i}@example.com,Di${i},Lee${i}` }));
    await dlg.getByText(/Sending batch 1 of 3/).waitFor();
    await dlg.getByRole('button', { name: 'Close' }).click();
    const confirm = s.page.getByRole('alertdialog', { name: 'Stop the import?' });
    await confirm.waitFor();
    await checkA11y(s.page, 'close mid-submit confirmation');
    await confirm.getByRole('button', { name: 'No, go back' }).click();
    assert.ok(await dlg.isVisible());
    await s.page.keyboard.press('Escape');
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Stop and close' }).click();
    await dlg.waitFor({ state: 'hidden' });
    // The host hears the truth about the stopped run: the batch in flight completes and counts, the rest
    // were never sent and are said to be, with failed-rows.csv for them.
    const toast = s.page.getByRole('status').filter({ hasText: /^Import stopped: \d+ created, 0 invited, 0 failed, \d+ not sent\./ });
    await toast.waitFor({ timeout: 30000 });
    const [, created, notSent] = /(\d+) created, 0 invited, 0 failed, (\d+) not sent/.exec(await toast.innerText()).map(Number);
    assert.ok(created > 0 && created < 600, `stopped part-way (${created} created)`);
    assert.equal(created % 200, 0, 'whole batches only');
    assert.equal(notSent, 600 - created, 'every row not sent is reported');
    assert.equal(count(s.srv.db, "SELECT count(*) AS n FROM identities WHERE email LIKE 'd%@example.com'"), created);
    const failed = await downloadText(s.page, () => toast.getByRole('button', { name: 'Download failed-rows.csv' }).click());
    assert.equal(failed.name, 'failed-rows.csv');
    const lines = failed.text.slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'email,first_name,last_name,import_error');
    assert.equal(lines.length - 1, notSent);
    assert.match(lines[1], /,cancelled: Skipped: the import was cancelled before this batch was sent\.$/);
    await s.page.getByRole('rowheader', { name: 'd1@example.com' }).waitFor();
    await faults(s.srv, { latencyMs: 0 });
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
