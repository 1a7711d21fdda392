// Step 6 (Results): per-row outcomes with the server's codes, both CSV downloads (BOM, CRLF, no
// password, formula cells guarded), and "Retry unconfirmed" resending with the same keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, downloadText, faults, openAtPreview, openWizard, pickMode, screenshots, startSession, toMapping, uploadCsv } from './support/harness.mjs';

async function openAtUpload(page, mode) {
  const dlg = await openWizard(page);
  await pickMode(dlg, mode);
  return dlg;
}

const count = (db, sql) => db.prepare(sql).get().n;

const runImport = (page, csv) => openAtPreview(page, 'Bulk create', 'people.csv', csv);

describe('wizard step 6: results', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('lists each row with its outcome and offers failed-rows.csv and results.csv', async () => {
    // taken@example.com already exists in Development, so the server answers email_conflict for it. The
    // directory check would catch it at Preview (directory.test.mjs): here it answers as if taken@ had been
    // created after the check, so the row reaches the server.
    await s.page.route('**/identities/lookup', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"items":[]}' }));
    const seed = await fetch(`${s.srv.url}/api/v1/portal/environments/env_dev/identities/bulk-create`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json', 'Idempotency-Key': '11111111-1111-4111-8111-111111111111' },
      body: JSON.stringify({ rows: [{ row: 2, email: 'taken@example.com', first_name: 'Old', last_name: 'Timer' }] }),
    });
    assert.equal(seed.status, 200);
    const csv = [
      'email,first_name,last_name,password',
      'new1@example.com,New,One,Correct-Horse-1',
      'taken@example.com,=HYPERLINK("x"),Two,Correct-Horse-2',
      'new3@example.com,New,Three,Correct-Horse-3',
      'not-an-email,Bad,Row,Correct-Horse-4',
    ].join('\r\n');
    const dlg = await runImport(s.page, csv);
    await dlg.locator('.cnp-footer .cnp-btn-primary').click(); // Import 3 rows
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    const table = dlg.getByRole('table', { name: 'Outcome of each row' });
    const row = (email) => table.getByRole('row').filter({ hasText: email });
    assert.match(await row('new1@example.com').innerText(), /Created\s+idn_/);
    assert.match(await row('taken@example.com').innerText(), /Failed[\s\S]*email_conflict/);
    // A row blocked at preview was never sent; it counts as failed so failed-rows.csv carries it.
    assert.match(await row('not-an-email').innerText(), /Failed[\s\S]*not a valid email address/);
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Created' }).innerText(), /2/);
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Failed' }).innerText(), /2/);
    // Submit and Results agree: Back shows the same counts (the row blocked at preview is failed there too).
    await dlg.getByRole('button', { name: 'Back' }).click();
    await dlg.getByRole('heading', { name: 'Importing' }).waitFor();
    assert.equal(await dlg.locator('.cnp-stat', { hasText: 'Succeeded' }).locator('dd').innerText(), '2');
    assert.equal(await dlg.locator('.cnp-stat', { hasText: 'Failed' }).locator('dd').innerText(), '2');
    await dlg.getByRole('button', { name: 'Show results' }).click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor();
    // It says which columns failed-rows.csv leaves out.
    assert.equal((await dlg.locator('.cnp-left-out').innerText()).trim(),
      'Left out of failed-rows.csv, because passwords are never exported: password. Add them back before uploading the file again if these rows need them.');
    await screenshots(s.page, 'step6-results');
    await checkA11y(s.page, 'results');

    const failed = await downloadText(s.page, () => dlg.getByRole('button', { name: /failed-rows\.csv/ }).click());
    assert.equal(failed.name, 'failed-rows.csv');
    assert.ok(failed.text.startsWith('\uFEFF'), 'UTF-8 BOM');
    assert.match(failed.text, /\r\n/);
    const lines = failed.text.slice(1).split('\r\n').filter(Boolean);
    // A comment line first names the column left out (a comment: the file re-imports the same).
    assert.equal(lines.shift(), '# Left out of this file because they hold passwords (add them back before importing it again): password');
    assert.match(lines[0], /^email,first_name,last_name,.*import_error/);
    assert.doesNotMatch(lines[0], /password/, 'no password column');
    assert.ok(lines.some((l) => l.startsWith('taken@example.com')));
    assert.ok(lines.some((l) => l.startsWith('not-an-email')), 'rows blocked at preview are in failed-rows.csv too');
    assert.ok(lines.some((l) => l.includes(`'=HYPERLINK`)), 'formula cells are prefixed with a quote');
    assert.doesNotMatch(failed.text, /Correct-Horse/);

    const all = await downloadText(s.page, () => dlg.getByRole('button', { name: /results\.csv/ }).click());
    assert.equal(all.name, 'results.csv');
    assert.ok(all.text.startsWith('\uFEFF'));
    assert.match(all.text, /email_conflict/);
    assert.doesNotMatch(all.text, /Correct-Horse/);
    assert.equal(all.text.slice(1).split('\r\n').filter(Boolean).length, 5, 'header + every row');
    await s.page.unroute('**/identities/lookup');

    // failed-rows.csv uploaded again: the upload says where it came from and that the password column
    // was left out (the core recognises it by its import_error column), and so does the mapping step.
    const again = await openAtUpload(s.page, 'Bulk create');
    await uploadCsv(again, 'failed-rows.csv', Buffer.from(failed.text, 'utf8'));
    const notes = again.locator('.cnp-file-notes');
    await notes.waitFor();
    assert.deepEqual((await notes.locator('p').allInnerTexts()).map((x) => x.trim()), [
      'This file is a failed-rows.csv from an earlier import: it holds the rows that were not imported, and its import_error column (why each one failed) is not imported.',
      'Left out of it: "password" (columns that held passwords). Add them back with their values before importing, or these people are created without a password.',
    ]);
    await checkA11y(s.page, 'upload of failed-rows.csv');
    await toMapping(again);
    assert.match(await again.locator('.cnp-file-notes').innerText(), /^Left out of it: "password"/);
  });

  it('turns exhausted retries into unconfirmed rows, and Retry unconfirmed creates them exactly once', async () => {
    await fetch(`${s.srv.url}/__test/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }); // counters of this test only
    await faults(s.srv, { fail: [{ count: 6, status: 503 }] });
    const dlg = await runImport(s.page, 'email,first_name,last_name\nu1@example.com,U,One\nu2@example.com,U,Two\n');
    // The backoff waits between the six attempts (full jitter: up to 0.5, 1, 2, 4 and 8 s) pass on the
    // page's clock, paused: nothing moves until a wait is shown and run through. No request is in flight
    // while the page waits, so its 30 s timeout never falls inside a run.
    await s.page.clock.install();
    await s.page.clock.pauseAt(Date.now() + 1000);
    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    const results = dlg.getByRole('heading', { name: 'Results' });
    const waiting = dlg.locator('.cnp-activity.is-waiting');
    while (!(await results.isVisible())) {
      await results.or(waiting).first().waitFor();
      if (await waiting.isVisible()) await s.page.clock.runFor(10000);
    }
    await s.page.clock.resume();
    const hint = dlg.getByRole('alert').filter({ hasText: 'not confirmed by the server' });
    await hint.waitFor();
    assert.match(await dlg.locator('.cnp-stat', { hasText: 'Unconfirmed' }).innerText(), /2/);
    assert.equal(count(s.srv.db, "SELECT count(*) AS n FROM identities WHERE email LIKE 'u_@example.com'"), 0);
    await screenshots(s.page, 'step6-results-unconfirmed');
    await checkA11y(s.page, 'results with unconfirmed rows');

    await hint.getByRole('button', { name: 'Retry unconfirmed rows' }).click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    await dlg.locator('.cnp-stat', { hasText: 'Created' }).filter({ hasText: '2' }).waitFor();
    assert.equal(count(s.srv.db, "SELECT count(*) AS n FROM identities WHERE email LIKE 'u_@example.com'"), 2);
    const stats = await (await fetch(`${s.srv.url}/__test/stats`)).json();
    const keys = new Set(stats.events.filter((e) => e.key).map((e) => e.key));
    assert.equal(keys.size, 1, 'every attempt and the retry used the same idempotency key');
    assert.equal(stats.events.filter((e) => e.outcome === 'failed').length, 6, 'six attempts before the rows were unconfirmed');
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
