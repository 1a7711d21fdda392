// Leaving the page mid-submit asks first (beforeunload while a batch is in flight), and not otherwise.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, csvRows, faults, openAtPreview, startSession } from './support/harness.mjs';

describe('wizard: leaving the page mid-submit', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('asks before a reload while a batch is in flight; staying keeps the run going', async () => {
    await faults(s.srv, { latencyMs: 2500 });
    const dlg = await openAtPreview(s.page, 'Bulk create', 'people.csv', csvRows(400, { row: (i) => `u${i}@example.com,U${i},L${i}` }));
    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByText(/Sending batch 1 of 2/).waitFor();
    const asked = [];
    const onDialog = (d) => { asked.push(d.type()); d.dismiss().catch(() => {}); };
    s.page.on('dialog', onDialog);
    // Chromium shows beforeunload only after a user gesture on the page, which the clicks above were.
    await s.page.reload({ timeout: 3000 }).catch(() => { /* the dismissed prompt keeps the page */ });
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    assert.deepEqual(asked, ['beforeunload']);
    assert.equal(s.srv.db.prepare("SELECT count(*) AS n FROM identities WHERE email LIKE 'u%@example.com'").get().n, 400);
    // Done: leaving asks nothing any more.
    await s.page.reload();
    assert.deepEqual(asked, ['beforeunload']);
    s.page.off('dialog', onDialog);
    await faults(s.srv, { latencyMs: 0 });
  });
});
