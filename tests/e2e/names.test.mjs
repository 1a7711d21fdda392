// Names beside ids in Results too ("Admin · 5b0f7a53…", as in Preview), and an unknown id's message
// says which ones exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, openAtPreview, startSession } from './support/harness.mjs';

const ROLE = '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01'; // seeded in Development: Admin
const NODE = '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01'; // Headquarters
const NO_ROLE = '00000000-0000-4000-8000-000000000000';

describe('wizard: names beside ids in Results, and which names exist', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('an unknown role lists the roles; Results name the role, node and client of each row', async () => {
    const csv = [
      'email,role_id,node_id,client_id,send_email',
      `named1@example.com,${ROLE},${NODE},dashboard-web,false`,
      `named2@example.com,${NO_ROLE},${NODE},,false`,
    ].join('\n') + '\n';
    const dlg = await openAtPreview(s.page, 'Bulk invite', 'named.csv', csv);
    const bad = dlg.locator('tr.cnp-vrow', { hasText: 'named2@example.com' });
    assert.equal(await bad.locator('.cnp-issue-text').innerText(),
      `Role ${NO_ROLE} does not exist in this environment (its roles: Admin, Editor, Viewer). Use the id of one of them, or leave role_id and node_id empty.`);

    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    const row = (email) => dlg.locator('tbody tr', { hasText: email });
    const refs = async (email) => (await row(email).locator('.cnp-result-ref').allInnerTexts()).map((x) => x.replace(/\s+/g, ' ').trim());
    assert.deepEqual(await refs('named1@example.com'), ['Role ID: Admin · 5b0f7a53…', 'Node ID: Headquarters · 8d3c2b1a…', 'OAuth client ID: Dashboard (web) · dashboar…']);
    assert.equal(await row('named1@example.com').locator('.cnp-result-ref').first().getAttribute('title'), ROLE);
    // The unknown id has no name to show: the id as it is.
    assert.deepEqual(await refs('named2@example.com'), [`Role ID: ${NO_ROLE}`, 'Node ID: Headquarters · 8d3c2b1a…']);
    await checkA11y(s.page, 'results with names');
  });

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
