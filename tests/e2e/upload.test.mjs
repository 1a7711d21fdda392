// Step 2 (Upload): file picker, drop and paste all go through core.load(); the summary shows what the
// core detected; overrides decode again; fatal errors are shown in plain words.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ROOT, SKIP_REASON, checkA11y, csvRows, dropFile, openWizard, pickMode, screenshots, startSession, uploadCsv } from './support/harness.mjs';

const summaryValue = async (dlg, label) => (await dlg.getByRole('region', { name: 'File summary' }).locator('.cnp-dl-item', { has: dlg.page().locator(`dt:text-is("${label}")`) }).locator('dd').innerText()).trim();

describe('wizard step 2: upload', { skip: SKIP_REASON }, () => {
  let s;
  let dlg;
  before(async () => {
    s = await startSession();
    dlg = await openWizard(s.page, 'access-control');
    await pickMode(dlg, 'Bulk create');
  });
  after(async () => { await s?.close(); });

  it('reads a windows-1252, semicolon-separated file and shows what it detected', async () => {
    const bytes = await readFile(join(ROOT, 'tests/vectors/encodings/german-semicolon-windows-1252.csv'));
    await uploadCsv(dlg, 'german.csv', bytes);
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.waitFor();
    assert.equal(await summaryValue(dlg, 'Data rows'), '3');
    assert.equal(await summaryValue(dlg, 'Columns'), '4');
    assert.match(await summaryValue(dlg, 'Delimiter'), /Semicolon/);
    assert.match(await summaryValue(dlg, 'Encoding'), /windows-1252|ISO-8859-1|ISO-8859-15/i);
    assert.match(await summaryValue(dlg, 'Encoding'), /\d+% confidence/);
    const table = summary.getByRole('table');
    assert.match(await table.innerText(), /Müller/);
    assert.match(await table.innerText(), /Strauß/);
    assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isEnabled());
    await screenshots(s.page, 'step2-upload');
    await checkA11y(s.page, 'upload summary');
  });

  it('decodes again with an encoding or delimiter override', async () => {
    await dlg.getByLabel('Delimiter', { exact: true }).selectOption('comma');
    await dlg.locator('.cnp-dl-item', { hasText: 'Columns' }).getByText('1', { exact: true }).waitFor();
    assert.equal(await summaryValue(dlg, 'Columns'), '1');
    await dlg.getByLabel('Delimiter', { exact: true }).selectOption('');
    await dlg.locator('.cnp-dl-item', { hasText: 'Columns' }).getByText('4', { exact: true }).waitFor();

    await dlg.getByLabel('Encoding', { exact: true }).selectOption('UTF-8');
    // Latin-1 bytes are not UTF-8: the core says so, in words, with what to do.
    const alert = dlg.getByRole('alert').filter({ hasText: 'This file cannot be imported' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /not valid UTF-8/i);
    // The overrides stay, so another encoding can be picked without uploading again.
    await dlg.getByLabel('Encoding', { exact: true }).selectOption('windows-1252');
    await dlg.getByRole('region', { name: 'File summary' }).waitFor();
    assert.match(await summaryValue(dlg, 'Encoding'), /windows-1252/);
    assert.match(await summaryValue(dlg, 'Encoding'), /chosen by you/);
  });

  it('takes pasted text and strips # comment lines', async () => {
    const text = '# exported from HR\n# second comment\nemail;first_name;last_name\nada@example.com;Ada;Lovelace\ngrace@example.com;Grace;Hopper\n';
    await dlg.getByLabel('Or paste CSV text').fill(text);
    await dlg.getByRole('button', { name: 'Use pasted text' }).click();
    await dlg.locator('.cnp-dl dd', { hasText: 'Pasted text' }).waitFor();
    assert.equal(await summaryValue(dlg, 'Data rows'), '2');
    assert.equal(await summaryValue(dlg, 'Comment lines stripped'), '2');
    assert.match(await summaryValue(dlg, 'Delimiter'), /Semicolon/);
    assert.ok(await dlg.getByLabel('Encoding', { exact: true }).isDisabled(), 'pasted text has no bytes to re-decode');
  });

  it('regression: the upload step counted the broken lines but never listed them', async () => {
    // Twelve lines with a fourth, non-empty cell: the reader reports each (too_many_cells) with its line.
    const broken = Array.from({ length: 12 }, (_, i) => `p${i}@example.com,P,Q,extra${i}`);
    const text = ['email,first_name,last_name', 'ok@example.com,O,K', ...broken].join('\n') + '\n';
    await dlg.getByLabel('Or paste CSV text').fill(text);
    await dlg.getByRole('button', { name: 'Use pasted text' }).click();
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.locator('.cnp-issue-list').waitFor();
    assert.equal(await summaryValue(dlg, 'Lines with problems'), '12');
    const items = (await summary.locator('.cnp-issue-list li').allInnerTexts()).map((t) => t.trim());
    assert.equal(items.length, 11);  // ten lines, then the rest counted
    assert.equal(items[0], 'Line 3: This line has 4 cells but the header has 3, and the extra cells are not empty: an unquoted delimiter inside a value ("Smith, John") shifts the columns. Quote that value and upload again.');
    assert.match(items[9], /^Line 12: This line has 4 cells/);
    assert.equal(items[10], '…and 2 more lines with problems, all listed in the Preview step.');
  });

  it('shows no password: a broken quote in a "Password 2" column is listed masked, its cells are masked', async () => {
    const text = 'email,first_name,last_name,Password 2,Notes\n' +
      'ada@example.com,Ada,L,"MkPw7731-e2e"x,"plain-note"y\n' +
      'grace@example.com,Grace,H,MkPw7731-e2e,n\n';
    await dlg.getByLabel('Or paste CSV text').fill(text);
    await dlg.getByRole('button', { name: 'Use pasted text' }).click();
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.locator('.cnp-issue-list li', { hasText: 'plain-note' }).waitFor();  // this file's list, not the last one
    const items = (await summary.locator('.cnp-issue-list li').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(items, [
      'Line 2: Text follows the closing quote of a quoted cell; it was read as a value that is not shown (password values are masked). Check the cell.',
      'Line 2: Text follows the closing quote of a quoted cell; it was read as "plain-notey". Check the cell.',
    ]);
    const table = await summary.getByRole('table').innerText();
    assert.match(table, /••••••••/);
    assert.doesNotMatch(await dlg.innerText(), /MkPw7731/);
  });

  it('skips a report\'s title lines and footer, lists them with their lines, and undoes both', async () => {
    const bytes = await readFile(join(ROOT, 'tests/vectors/cli/salesforce-report.csv'));
    await uploadCsv(dlg, 'salesforce-report.csv', bytes);
    const summary = dlg.getByRole('region', { name: 'File summary' });
    await summary.locator('.cnp-dl dd', { hasText: 'salesforce-report.csv' }).waitFor();
    assert.equal(await summaryValue(dlg, 'Data rows'), '3');
    assert.equal(await summaryValue(dlg, 'Header row'), 'line 4');
    const skipped = summary.getByRole('group', { name: 'Skipped lines' });
    assert.match(await skipped.innerText(), /2 lines above the header \(line 4\) skipped:/);
    const pre = (await skipped.locator('[data-skipped="preamble"] li').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(pre, ['Line 1: New Hires with Email', 'Line 2: As of 11/30/2026']);
    assert.match(await skipped.innerText(), /6 lines under the data skipped as a report footer/);
    const foot = (await skipped.locator('[data-skipped="footer"] li').allInnerTexts()).map((t) => t.trim());
    assert.equal(foot.length, 6);
    assert.equal(foot[0], 'Line 9: Grand Totals (3 records)');
    assert.equal(foot[5], 'Line 15: Acme, Inc.');
    // The first rows are the people, not the titles.
    assert.match(await summary.getByRole('table').innerText(), /ada\.lovelace@example\.com/);
    assert.doesNotMatch(await summary.getByRole('table').innerText(), /New Hires/);
    await checkA11y(s.page, 'upload skipped lines');

    // Undo the footer: its lines become rows (with their problems), and the undo can be undone.
    await skipped.getByRole('button', { name: 'Keep these lines as rows' }).click();
    await summary.locator('.cnp-dl-item', { hasText: 'Data rows' }).getByText('9', { exact: true }).waitFor();
    assert.equal(await summaryValue(dlg, 'Lines with problems'), '6');
    await dlg.getByRole('button', { name: 'Skip the report footer again' }).click();
    await summary.locator('.cnp-dl-item', { hasText: 'Data rows' }).getByText('3', { exact: true }).waitFor();

    // Undo the header: line 1 is the header, nothing above it is skipped.
    await dlg.getByRole('button', { name: 'Read every line (line 1 is the header)' }).click();
    await summary.locator('.cnp-dl-item', { hasText: 'Header row' }).getByText('line 1', { exact: true }).waitFor();
    assert.equal(await dlg.getByLabel('Header row (line number)').inputValue(), '1');
    assert.equal(await summary.locator('[data-skipped="preamble"]').count(), 0);
    // Another header line, typed in.
    await dlg.getByLabel('Header row (line number)').fill('2');
    await dlg.getByLabel('Header row (line number)').press('Enter');
    await summary.locator('.cnp-dl-item', { hasText: 'Header row' }).getByText('line 2', { exact: true }).waitFor();
    assert.deepEqual((await summary.locator('[data-skipped="preamble"] li').allInnerTexts()).map((t) => t.trim()), ['Line 1: New Hires with Email']);
    await dlg.getByLabel('Header row (line number)').fill('');
    await dlg.getByLabel('Header row (line number)').press('Enter');
    await summary.locator('.cnp-dl-item', { hasText: 'Header row' }).getByText('line 4', { exact: true }).waitFor();
  });

  it('reads Excel\'s sep=; line as the delimiter, not as data', async () => {
    const bytes = await readFile(join(ROOT, 'tests/vectors/cli/excel-sep-semicolon.csv'));
    await uploadCsv(dlg, 'excel-sep.csv', bytes);
    await dlg.locator('.cnp-dl dd', { hasText: 'excel-sep.csv' }).waitFor();
    // The name shows as soon as the file is being read (over the last file's summary): wait for its own.
    await dlg.locator('.cnp-dl-item', { hasText: 'Delimiter' }).getByText(/Semicolon/).waitFor();
    assert.match(await summaryValue(dlg, 'Delimiter'), /Semicolon/);
    assert.equal(await summaryValue(dlg, 'Columns'), '4');
    const skipped = dlg.getByRole('group', { name: 'Skipped lines' });
    assert.match(await skipped.innerText(), /Line 1: sep=; · Excel’s delimiter line: it set the delimiter/);
  });

  it('accepts a dropped file', async () => {
    await dropFile(dlg, 'dropped.csv', csvRows(7), 'text/csv');
    await dlg.locator('.cnp-dl dd', { hasText: 'dropped.csv' }).waitFor();
    assert.equal(await summaryValue(dlg, 'Data rows'), '7');
  });

  for (const [name, content, pattern] of [
    ['empty.csv', '', /empty/i],
    ['workbook.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), /workbook/i],
    ['header-only.csv', 'email,first_name,last_name\n', /no data rows/i],
    ['too-many.csv', csvRows(10001), /10,000/],
  ]) {
    it(`rejects ${name} in plain words`, async () => {
      await uploadCsv(dlg, name, content);
      const alert = dlg.getByRole('alert').filter({ hasText: 'This file cannot be imported' });
      await alert.waitFor();
      assert.match(await alert.innerText(), pattern);
      assert.equal(await dlg.getByRole('region', { name: 'File summary' }).count(), 0);
      assert.ok(await dlg.getByRole('button', { name: 'Next', exact: true }).isDisabled());
      if (name === 'too-many.csv') {
        assert.match(await alert.innerText(), /split/i, 'says how to split');
        await screenshots(s.page, 'step2-upload-error');
        await checkA11y(s.page, 'upload error');
      }
    });
  }

  it('had no CSP violations, page errors or native dialogs', async () => { await s.assertClean(); });
});
