// Runs the differential test's cases (encoding-cases.mjs) through Chromium's TextDecoder in a page,
// the native decoders (build/native/tests/canopy-decode) and, when given, the wasm package in the
// same page. Every case is decoded twice: replacement mode, and fatal (throws, or the offset).
import { spawn } from 'node:child_process';

/** [{text, fatalOk}] per case, from `new TextDecoder(label, {ignoreBOM: true})` in `page`. */
export async function chromiumDecode(page, label, cases) {
  const lengths = cases.map((c) => c.length);
  const all = Buffer.concat(cases.map((c) => Buffer.from(c)));
  return page.evaluate(({ label, b64, lengths }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    // A new decoder for every case: Chromium's EUC-JP and ISO-2022-JP decoders keep state from one
    // decode() call to the next after some errors (the standard starts each call afresh).
    const out = [];
    let at = 0;
    for (const n of lengths) {
      const piece = bytes.subarray(at, at + n);
      at += n;
      let fatalOk = true;
      try { new TextDecoder(label, { ignoreBOM: true, fatal: true }).decode(piece); } catch { fatalOk = false; }
      out.push({ text: new TextDecoder(label, { ignoreBOM: true }).decode(piece), fatalOk });
    }
    return out;
  }, { label, b64: all.toString('base64'), lengths });
}

/** [{text, fatalOk, fatalAt}] per case, from the native decoders. */
export function nativeDecode(tool, label, cases) {
  return new Promise((resolve, reject) => {
    const p = spawn(tool, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks = [];
    p.stdout.on('data', (d) => chunks.push(d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${tool} exited with ${code}`));
      const lines = Buffer.concat(chunks).toString('latin1').split('\n');
      const out = [];
      for (let i = 0; i < cases.length; ++i) {
        const rep = lines[2 * i].split(' ');
        const fat = lines[2 * i + 1].split(' ');
        if (rep[0] !== 'ok') return reject(new Error(`${label}: replacement mode answered ${lines[2 * i]}`));
        out.push({
          text: rep[1] === '-' ? '' : Buffer.from(rep[1], 'hex').toString('utf8'),
          fatalOk: fat[0] === 'ok',
          fatalAt: fat[0] === 'err' ? Number(fat[1]) : -1,
        });
      }
      resolve(out);
    });
    const hex = (c) => (c.length ? Buffer.from(c).toString('hex') : '-');
    const input = cases.map((c) => `${label} 0 ${hex(c)}\n${label} 1 ${hex(c)}\n`).join('');
    p.stdin.end(input);
  });
}

export const codePoints = (s) => [...s].map((c) => 'U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')).join(' ');
export const hexBytes = (c) => Buffer.from(c).toString('hex').replace(/(..)/g, '$1 ').trim();
