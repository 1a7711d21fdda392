// Step 2 (Upload) with a legacy file: the detectors module is fetched only for it (never for UTF-8), a
// file whose encoding is found says so, and a file too short to tell asks "Which of these looks right?"
// with the same cells under each reading; Next waits for the choice, one click reads the file again.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ROOT, SKIP_REASON, checkA11y, openWizard, pickMode, screenshots, startSession, uploadCsv } from './support/harness.mjs';

describe('wizard step 2: legacy encodings', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  const fetched = [];
  before(async () => {
    s = await startSession();
    s.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    dlg = await openWizard(s.page, 'access-control');
    await pickMode(dlg, 'Bulk create');
  });
  after(async () => { await s?.close(); });

  const encodingValue = async () => (await dlg.getByRole('region', { name: 'File summary' })
    .locator('.cnp-dl-item', { has: s.page.locator('dt:text-is("Encoding")') }).locator('dd').innerText()).trim();

  it('a UTF-8 file fetches no detectors', async () => {
    await uploadCsv(dlg, 'utf8.csv', Buffer.from('email,first_name,last_name\nzoe@example.com,Zoë,Brontë\n'));
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    assert.match(await encodingValue(), /UTF-8/);
    assert.ok(!fetched.some((p) => p.endsWith('canopy-detectors.wasm')), fetched.join(' '));
  });

  it('a Turkish Excel export (windows-1254) is found, its names right, without asking', async () => {
    const bytes = await readFile(join(ROOT, 'tests/vectors/encodings/tools/excel-tr-windows-1254.csv'));
    await uploadCsv(dlg, 'personel.csv', bytes);
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.getByText('Şahin').waitFor();
    assert.match(await encodingValue(), /windows-1254/);
    assert.equal(await dlg.locator('.cnp-encoding-choice').count(), 0);
    assert.ok(fetched.filter((p) => p.endsWith('canopy-detectors.wasm')).length === 1, 'the detectors module, once');
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isEnabled());
  });

  it('a file too short to tell asks which reading looks right, and goes on only after the choice', async () => {
    const bytes = Buffer.concat([Buffer.from('email,first_name,last_name\r\nd@example.com,'), Buffer.from([0xe3, 0xe5, 0xe3, 0x2c, 0xeb, 0xe4, 0xef]), Buffer.from('\r\n')]);
    await uploadCsv(dlg, 'short.csv', bytes);
    const ask = dlg.getByRole('group', { name: 'Which of these looks right?' });
    await ask.waitFor();
    const options = ask.locator('.cnp-encoding-option');
    assert.ok(await options.count() >= 2);
    const hebrew = ask.locator('.cnp-encoding-option[data-encoding="windows-1255"]');
    assert.match(await hebrew.innerText(), /דוד/);
    assert.match(await hebrew.innerText(), /כהן/);
    assert.equal(await dlg.getByRole('button', { name: 'Next', exact: true }).isEnabled(), false);
    await screenshots(s.page, 'step2-encoding-choice');
    await checkA11y(s.page, 'encoding chooser');
    await hebrew.getByRole('button', { name: 'Use windows-1255' }).click();
    await dlg.getByRole('region', { name: 'File summary' }).getByText('chosen by you').waitFor();
    assert.equal(await dlg.locator('.cnp-encoding-choice').count(), 0);
    assert.match(await encodingValue(), /windows-1255/);
    assert.match(await dlg.getByRole('region', { name: 'File summary' }).getByRole('table').innerText(), /דוד/);
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isEnabled());
  });
});
