// Must-hold 1 of issue 13: the decoded text equals WHATWG TextDecoder's for the same bytes, in wasm
// (the package inside Chromium) and native (build/native/tests/canopy-decode). The reference is Debian's
// Chromium: `new TextDecoder(label, {ignoreBOM: true})` for replacement mode, `{fatal: true}` for the
// fatal one (throws <-> our undecodable). The cases (support/encoding-cases.mjs): every byte of every
// single-byte table, every lead/trail pair of the multi-byte ones, truncations, ISO-2022-JP's escapes,
// GB18030's four-byte ranges, Big5's two-code-point pointers, random mixes.
//
// Where Chromium departs from the standard, the standard's value is written here instead:
// - Big5 pointers 1133, 1135, 1164, 1166 are two code points each (Ê̄ Ê̌ ê̄ ê̌); Chromium gives
//   U+0093/U+00B3 and a lone surrogate.
// - EUC-JP after a bad 0x8F sequence (Chromium keeps reading JIS X 0212) and ISO-2022-JP after an invalid
//   "ESC $"/"ESC (" (Chromium drops the byte the standard decodes again): support/encoding-oracle.mjs, the
//   two decoders written again from the standard, gives the expected text for every case of these two.
//
// Also: a UTF-8 or UTF-16 file loads no table file; a Shift_JIS one loads enc-jis.bin and nothing else.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ROOT, SKIP_REASON, startSession } from './support/harness.mjs';
import { ALL_ENCODINGS, casesFor } from './support/encoding-cases.mjs';
import { chromiumDecode, codePoints, hexBytes, nativeDecode } from './support/encoding-diff.mjs';
import { eucJp, iso2022jp } from './support/encoding-oracle.mjs';

const TOOL = join(ROOT, 'build/native/tests/canopy-decode');
const ORACLES = { 'EUC-JP': eucJp, 'ISO-2022-JP': iso2022jp };

// Chromium's Big5 answer for the four pointers that are two code points (a C1 control and a lone
// surrogate, which no correct decoding yields), and the standard's.
const BIG5_FIX = [['\u0093\uDF04', '\u00CA\u0304'], ['\u0093\uDF0C', '\u00CA\u030C'], ['\u00B3\uDF04', '\u00EA\u0304'], ['\u00B3\uDF0C', '\u00EA\u030C']];

describe('decoders equal TextDecoder (Chromium), in wasm and native', { skip: SKIP_REASON || (!existsSync(TOOL) && `${TOOL} is missing: build the native tree`) }, () => {
  let s;
  const tableRequests = [];
  before(async () => {
    s = await startSession({ faults: false });
    s.page.on('request', (r) => { if (/\/enc-[a-z0-9]+\.bin$/.test(r.url())) tableRequests.push(r.url().replace(/.*\//, '')); });
    await s.page.goto('/');
    await s.page.evaluate(async () => { window.__canopy = await import('/dist/index.mjs'); window.__core = await window.__canopy.loadCore(); });
  });
  after(async () => { await s?.close(); });

  it('a UTF-8 or UTF-16 file loads no table; a Shift_JIS file loads enc-jis.bin alone', async () => {
    const names = await s.page.evaluate(async () => {
      const core = window.__core;
      const load = async (bytes, encoding = '') => {
        const session = core.createSession();
        try { return (await session.loadFile(new File([Uint8Array.from(bytes)], 'x.csv'), { encoding })).encoding; } finally { session.dispose(); }
      };
      const utf16 = [0xff, 0xfe, ...[...'email,name\r\na@b.c,Zoë\r\n'].flatMap((c) => [c.charCodeAt(0), 0])];
      const a = await load([...new TextEncoder().encode('email,name\na@b.c,Zoë\n')]);
      const b = await load(utf16);
      const before = performance.getEntriesByType('resource').filter((e) => /enc-/.test(e.name)).length;
      // 名前 in Shift_JIS, forced (detection does not matter here).
      const c = await load([...new TextEncoder().encode('email,name\na@b.c,'), 0x96, 0xbc, 0x91, 0x4f, 0x0a], 'windows-31j');
      return { a, b, c, before };
    });
    assert.deepEqual(names, { a: 'UTF-8', b: 'UTF-16LE', c: 'Shift_JIS', before: 0 });
    assert.deepEqual(tableRequests, ['enc-jis.bin']);
  });

  for (const name of ALL_ENCODINGS) {
    it(`${name}: every case in both modes`, async () => {
      const cases = casesFor(name);
      if (name !== 'UTF-8' && name !== 'UTF-16LE' && name !== 'UTF-16BE') await s.page.evaluate(() => window.__core.loadTables());
      const [chromium, native, wasm] = await Promise.all([
        chromiumDecode(s.page, name, cases),
        nativeDecode(TOOL, name, cases),
        wasmDecode(s.page, name, cases),
      ]);
      const problems = [];
      let departures = 0;
      for (let i = 0; i < cases.length; ++i) {
        const hex = hexBytes(cases[i]);
        let want = chromium[i].text;
        let wantFatalOk = chromium[i].fatalOk;
        if (ORACLES[name]) {
          want = ORACLES[name](cases[i]);
          wantFatalOk = !want.includes('\uFFFD');
          if (want !== chromium[i].text) departures++;
        } else if (name === 'Big5') {
          for (const [chromiumSays, standard] of BIG5_FIX) want = want.split(chromiumSays).join(standard);
          if (want !== chromium[i].text) departures++;
        }
        for (const [who, got] of [['native', native[i]], ['wasm', wasm[i]]]) {
          if (got.text !== want) problems.push(`${who} ${hex}: ${codePoints(got.text)}, TextDecoder: ${codePoints(want)}`);
          if (got.fatalOk !== wantFatalOk) problems.push(`${who} ${hex}: fatal ${got.fatalOk ? 'decodes' : 'fails'}, TextDecoder's ${wantFatalOk ? 'decodes' : 'throws'}`);
        }
        // Where fatal mode stops is where replacement mode puts its first U+FFFD (same prefix before it).
        if (!native[i].fatalOk && native[i].fatalAt > cases[i].length) problems.push(`native ${hex}: fatal offset ${native[i].fatalAt} past the end`);
      }
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} differences in ${cases.length} cases of ${name}`);
      assert.ok(cases.length >= (name.startsWith('UTF-16') ? 2000 : 300), `${cases.length} cases`);
      // The cases that hold the four pointers on their own must be among those fixed.
      if (name === 'Big5') assert.ok(departures >= 4, `${departures} Big5 cases fixed`);
      if (departures) console.log(`# ${name}: ${departures} cases where Chromium departs from the standard`);
    });
  }
});

/** The package's Core.decode() inside the page, both modes: [{text, fatalOk}]. */
async function wasmDecode(page, label, cases) {
  const lengths = cases.map((c) => c.length);
  const all = Buffer.concat(cases.map((c) => Buffer.from(c)));
  return page.evaluate(({ label, b64, lengths }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const out = [];
    let at = 0;
    for (const n of lengths) {
      const piece = bytes.subarray(at, at + n);
      at += n;
      let fatalOk = true;
      try { window.__core.decode(piece, label, { fatal: true }); } catch (e) {
        if (e.code !== 'undecodable') throw e;
        fatalOk = false;
      }
      out.push({ text: window.__core.decode(piece, label), fatalOk });
    }
    return out;
  }, { label, b64: all.toString('base64'), lengths });
}
