// The demo dashboard shell: hash routes, environment switcher, the Overview banner and the Setup Guide
// slide-out on its "Invite & Assign Users" tab, and the identity pages with Import CSV in their header.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, screenshots, startSession } from './support/harness.mjs';

const BANNER = 'You haven’t invited any users or assigned them roles yet.';

describe('dashboard shell', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('shows the setup banner on an empty environment and opens the Setup Guide', async () => {
    const { page } = s;
    await page.goto('/');
    await page.getByText(BANNER).waitFor();
    assert.match(page.url(), /#\/overview$/);
    assert.equal(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current'), 'page');
    await screenshots(page, 'shell-overview');
    await checkA11y(page, 'overview');

    await page.getByRole('button', { name: 'Complete Invite & Assign Users Setup' }).click();
    const guide = page.getByRole('dialog', { name: 'Setup Guide' });
    await guide.waitFor();
    const tab = guide.getByRole('tab', { name: 'Invite & Assign Users' });
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
    const panel = guide.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'Invite identities' }).waitFor();
    await panel.getByRole('heading', { name: 'Assign roles to identities' }).waitFor();
    await panel.getByText('Headquarters').waitFor(); // contextual help: the environment's node ids
    assert.equal(await panel.getByRole('link', { name: 'Go to Access Control > Identities' }).getAttribute('href'), '#/access-control/identities');
    await screenshots(page, 'shell-setup-guide');
    await checkA11y(page, 'setup guide');

    // Arrow keys switch tabs; the step links go to the right page with the guide still beside it.
    await tab.focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await guide.getByRole('tab', { name: 'Get started' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowRight');
    await panel.getByRole('link', { name: 'Go to Access Control > Identities' }).click();
    await page.getByRole('heading', { level: 1, name: 'Identities' }).waitFor();
    assert.match(page.url(), /#\/access-control\/identities$/);
    assert.ok(await guide.isVisible());
    await guide.getByRole('button', { name: 'Close setup guide' }).click();
    await guide.waitFor({ state: 'hidden' });
  });

  it('lists identities per page, with Import CSV in the header', async () => {
    const { page } = s;
    await page.goto('/#/access-control/identities');
    await page.getByText('No identities yet.').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Import CSV' }).isVisible());
    await page.goto('/#/tenant/identities');
    await page.getByText('Directory identities of the account').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Import CSV' }).isVisible());
    await screenshots(page, 'shell-tenant-identities');
    await checkA11y(page, 'tenant identities');
  });

  it('switches environments and drops the banner once identities have roles', async () => {
    const { page, srv } = s;
    const res = await fetch(`${srv.url}/api/v1/portal/environments/env_prod/identities/bulk-create`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json', 'Idempotency-Key': '22222222-2222-4222-8222-222222222222' },
      body: JSON.stringify({ rows: [{ row: 2, email: 'ops@example.com', first_name: 'Op', last_name: 'S', role_id: '6b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01', node_id: '9d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01' }] }),
    });
    assert.equal(res.status, 200);
    await page.goto('/#/overview');
    await page.getByText(BANNER).waitFor(); // Development is still empty
    await page.getByLabel('Environment').selectOption({ label: 'Production' });
    await page.getByText('Environment Production').waitFor();
    await page.locator('.stat-slot .stats').waitFor();
    assert.equal(await page.getByText(BANNER).count(), 0);
    await page.goto('/#/access-control/identities');
    await page.getByRole('row').filter({ hasText: 'ops@example.com' }).filter({ hasText: 'Admin @ Headquarters' }).waitFor();
    await page.getByLabel('Environment').selectOption({ label: 'Development' });
    await page.getByText('No identities yet.').waitFor();
    await s.assertClean();
  });
});
