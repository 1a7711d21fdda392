// A CSV full of HTML and script payloads is shown as text everywhere (Upload, Mapping, Preview, Results,
// the identities list): no alert/confirm fires, no element is injected, and the CSP sees no violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, openWizard, pickMode, screenshots, startSession, toMapping, toPreview, uploadCsv } from './support/harness.mjs';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '"><svg onload=alert(3)>',
  "<iframe src=javascript:alert(4)></iframe>",
  '<a href="javascript:alert(5)">click</a>',
  '{{constructor.constructor("alert(6)")()}}',
];
const q = (v) => `"${v.replace(/"/g, '""')}"`;
const CSV = [
  ['email', 'first_name', 'last_name', q('<b onmouseover=alert(7)>Notes</b>')].join(','),
  ...PAYLOADS.map((p, i) => [`x${i}@example.com`, q(p), q(`Last ${p}`), q(p)].join(',')),
  [q('<img src=x onerror=alert(8)>@example.com'), 'Bad', 'Email', 'x'].join(','),
].join('\n');

// Nothing the payloads could have created may exist inside the dialog or the page's main area.
async function assertNoInjection(page) {
  const injected = await page.evaluate(() => [...document.querySelectorAll('dialog img, dialog script, dialog svg, dialog iframe, dialog b, main img, main script, main svg, main iframe, main b, dialog a[href^="javascript"], main a[href^="javascript"]')].map((e) => e.outerHTML));
  assert.deepEqual(injected, []);
}

describe('HTML/script payloads in a CSV are shown literally', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => { s = await startSession(); });
  after(async () => { await s?.close(); });

  it('never turns cell text into markup', async () => {
    const { page } = s;
    const dlg = await openWizard(page, 'access-control');
    await pickMode(dlg, 'Bulk invite');
    await uploadCsv(dlg, 'payloads.csv', CSV);
    await dlg.getByRole('region', { name: 'File summary' }).getByText('<b onmouseover=alert(7)>Notes</b>', { exact: true }).waitFor();
    await dlg.getByText(PAYLOADS[0], { exact: true }).first().waitFor();
    await assertNoInjection(page);

    await toMapping(dlg);
    await dlg.getByRole('rowheader', { name: '<b onmouseover=alert(7)>Notes</b>' }).waitFor();
    await assertNoInjection(page);

    await toPreview(dlg);
    await dlg.locator('tr.cnp-vrow', { hasText: PAYLOADS[1] }).first().waitFor();
    for (const p of PAYLOADS) assert.ok(await dlg.getByText(p, { exact: true }).count() >= 1, `shown literally: ${p}`);
    await dlg.getByRole('button', { name: /^Errors \(1\)/ }).click();
    const bad = dlg.locator('tr.cnp-vrow', { hasText: '<img src=x onerror=alert(8)>@example.com' });
    await bad.waitFor();
    await bad.locator('.cnp-issue-btn').click();
    await dlg.getByRole('region', { name: /^Line/ }).getByText(/<img src=x onerror=alert\(8\)>@example\.com/).waitFor();
    await screenshots(page, 'xss-preview');
    await checkA11y(page, 'payload preview');
    await assertNoInjection(page);

    await dlg.locator('.cnp-footer .cnp-btn-primary').click();
    await dlg.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 30000 });
    await dlg.getByText('x0@example.com').waitFor();
    await assertNoInjection(page);
    await dlg.getByRole('button', { name: 'Done' }).click();
    await dlg.waitFor({ state: 'hidden' });

    // The server stored the text as text; the identities list shows it as text.
    const names = s.srv.db.prepare("SELECT first_name FROM invites WHERE email = 'x1@example.com'").get();
    assert.equal(names.first_name, PAYLOADS[1]);
    await page.getByRole('rowheader', { name: 'x1@example.com' }).waitFor();
    await page.getByText(`${PAYLOADS[1]} Last ${PAYLOADS[1]}`, { exact: true }).waitFor();
    await assertNoInjection(page);
    // Let anything an injected payload queued run before judging: the network settles (a broken <img>
    // fires onerror once its load fails), then two frames for handlers and timers queued by those.
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
    await s.assertClean(); // no alert/confirm/prompt, no CSP violation, no page error
  });
});
