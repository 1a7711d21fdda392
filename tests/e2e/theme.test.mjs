// Theming: a host theme set through the documented --canopy-import-* properties reaches the dialog
// (colours, status colours, font, radius, spacing and density), the dark theme follows
// prefers-color-scheme or the explicit option, and axe-core (colour contrast included) stays clean in
// each. Screenshots in test-results/screenshots/theme-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SKIP_REASON, checkA11y, openWizard, pickMode, screenshots, startSession, toMapping, toPreview, uploadCsv, wizard } from './support/harness.mjs';

// The host's stylesheet, served from the page's own origin (the CSP allows no inline style).
const HOST_THEME = `
:root {
  --canopy-import-primary: #6b21a8;
  --canopy-import-primary-hover: #581c87;
  --canopy-import-bg: #fffdf7;
  --canopy-import-fg: #1f1630;
  --canopy-import-error: #8f1d2c;
  --canopy-import-error-bg: #fbe9ec;
  --canopy-import-success: #14532d;
  --canopy-import-warning: #713f12;
  --canopy-import-font: Georgia, "DejaVu Serif", serif;
  --canopy-import-font-size: 16px;
  --canopy-import-radius: 2px;
  --canopy-import-spacing: 10px;
  --canopy-import-density: 0.8;
}`;

const CSV = 'email,first_name,last_name\nada@example.com,Ada,Lovelace\n grace@example.com ,Grace,Hopper\nnot-an-email,X,Y\n';

const style = (locator, prop) => locator.evaluate((el, p) => getComputedStyle(el)[p], prop);

async function toPreviewWith(page, query = '') {
  await page.goto('about:blank');
  await page.goto(`/${query}#/access-control/identities`);
  await page.getByRole('heading', { level: 1, name: 'Identities' }).waitFor();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dlg = wizard(page);
  await dlg.getByRole('heading', { name: 'Choose how to import' }).waitFor();
  await pickMode(dlg, 'Bulk create');
  await uploadCsv(dlg, 'people.csv', CSV);
  await toMapping(dlg);
  await toPreview(dlg);
  await dlg.locator('.cnp-vrow.is-error').first().waitFor();
  return dlg;
}

describe('theming', { skip: SKIP_REASON }, () => {
  let s;
  before(async () => {
    s = await startSession({
      prepare: (page) => page.route('**/__e2e__/host-theme.css', (route) => route.fulfill({ body: HOST_THEME, contentType: 'text/css; charset=utf-8' })),
    });
  });
  after(async () => { await s?.close(); });

  it('a host theme reaches the dialog: colours, status colours, font, radius, spacing, density', async () => {
    const { page } = s;
    const dlg = await openWizard(page, 'access-control');
    await page.addStyleTag({ url: '/__e2e__/host-theme.css' });
    await pickMode(dlg, 'Bulk create');
    await uploadCsv(dlg, 'people.csv', CSV);
    await toMapping(dlg);
    await toPreview(dlg);
    await dlg.locator('.cnp-vrow.is-error').first().waitFor();
    const dialog = page.locator('dialog.cnp-wizard');
    assert.equal(await style(dialog, 'backgroundColor'), 'rgb(255, 253, 247)');
    assert.equal(await style(dialog, 'color'), 'rgb(31, 22, 48)');
    assert.match(await style(dialog, 'fontFamily'), /^Georgia/);
    assert.equal(await style(dialog, 'fontSize'), '16px');
    await page.mouse.move(1, 1);  // not hovering the button it just pressed (hover has its own colour)
    const next = dlg.locator('.cnp-footer .cnp-btn-primary');
    assert.equal(await style(next, 'backgroundColor'), 'rgb(107, 33, 168)');
    assert.equal(await style(next, 'borderTopLeftRadius'), '2px');
    // The body's padding is 2.5 units on top and 3 at the sides (20px / 24px by default): × 10px × 0.8.
    assert.equal(await style(dlg.locator('.cnp-body'), 'paddingTop'), '20px');
    assert.equal(await style(dlg.locator('.cnp-body'), 'paddingLeft'), '24px');
    assert.equal(await style(dlg.locator('.cnp-stat.is-error dd'), 'color'), 'rgb(143, 29, 44)');
    assert.equal(await style(dlg.locator('.cnp-stat.is-success dd'), 'color'), 'rgb(20, 83, 45)');
    assert.equal(await style(dlg.locator('.cnp-badge.is-error').first(), 'backgroundColor'), 'rgb(251, 233, 236)');
    // Scoped: the host page itself keeps its own look.
    assert.notEqual(await style(page.locator('body'), 'fontFamily'), await style(dialog, 'fontFamily'));
    await screenshots(page, 'theme-host');
    await checkA11y(page, 'host theme');
    await s.assertClean();
  });

  it('dark theme from prefers-color-scheme, clean under axe (contrast included)', async () => {
    const { page } = s;
    await page.emulateMedia({ colorScheme: 'dark' });
    const dlg = await toPreviewWith(page);
    const dialog = page.locator('dialog.cnp-wizard');
    assert.equal(await style(dialog, 'backgroundColor'), 'rgb(23, 27, 34)');
    assert.equal(await style(dialog, 'color'), 'rgb(228, 232, 239)');
    assert.equal(await style(dlg.locator('.cnp-stat.is-error dd'), 'color'), 'rgb(255, 154, 154)');
    await screenshots(page, 'theme-dark-preview');
    await checkA11y(page, 'dark preview');
    // The explicit option wins over the system setting.
    await toPreviewWith(page, '?theme=light');
    assert.equal(await style(dialog, 'backgroundColor'), 'rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'light' });
    await toPreviewWith(page, '?theme=dark');
    assert.equal(await style(dialog, 'backgroundColor'), 'rgb(23, 27, 34)');
    await screenshots(page, 'theme-dark-option');
    await checkA11y(page, 'dark by option');
    await s.assertClean();
  });
});
