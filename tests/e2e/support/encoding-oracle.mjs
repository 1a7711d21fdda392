// The Encoding Standard's EUC-JP and ISO-2022-JP decoders written a second time, in JS, from the
// standard's text (sections 12.1.1 and 12.2.1), for the cases where Chromium departs from it: its
// EUC-JP keeps the JIS X 0212 flag after a bad 0x8F sequence, its ISO-2022-JP drops the byte after an
// invalid "ESC $" or "ESC (" instead of decoding the lead and the byte again. Shares no code with
// src/detect; the indexes are the standard's (text-encoding's copy).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const idx = require('text-encoding/lib/encoding-indexes.js')['encoding-indexes'];
const EOS = -1;
const FFFD = 0xfffd;

function run(bytes, step) {
  const queue = [...bytes];
  const out = [];
  for (;;) {
    const b = queue.length ? queue.shift() : EOS;
    const r = step(b, queue);
    if (r === 'finished') break;
    if (r === 'error') out.push(FFFD);
    else if (typeof r === 'number') out.push(r);
    if (b === EOS && r === undefined) break;
  }
  return String.fromCodePoint(...out);
}

export function eucJp(bytes) {
  let lead = 0;
  let jis0212 = false;
  return run(bytes, (b, queue) => {
    if (b === EOS) {
      if (lead) { lead = 0; return 'error'; }
      return 'finished';
    }
    if (lead === 0x8e && b >= 0xa1 && b <= 0xdf) { lead = 0; return 0xff61 - 0xa1 + b; }
    if (lead === 0x8f && b >= 0xa1 && b <= 0xfe) { jis0212 = true; lead = b; return 'continue'; }
    if (lead) {
      const l = lead;
      lead = 0;
      let cp = null;
      if (l >= 0xa1 && l <= 0xfe && b >= 0xa1 && b <= 0xfe) cp = (jis0212 ? idx.jis0212 : idx.jis0208)[(l - 0xa1) * 94 + b - 0xa1] ?? null;
      jis0212 = false;
      if (cp !== null) return cp;
      if (b < 0x80) queue.unshift(b);
      return 'error';
    }
    if (b < 0x80) return b;
    if (b === 0x8e || b === 0x8f || (b >= 0xa1 && b <= 0xfe)) { lead = b; return 'continue'; }
    return 'error';
  });
}

export function iso2022jp(bytes) {
  let state = 'ascii';
  let outState = 'ascii';
  let lead = 0;
  let outFlag = false;
  return run(bytes, (b, queue) => {
    switch (state) {
      case 'ascii':
      case 'roman':
      case 'katakana':
      case 'lead':
        if (b === 0x1b) { state = 'escStart'; return 'continue'; }
        if (b === EOS) return 'finished';
        outFlag = false;
        if (state === 'ascii' && b <= 0x7f && b !== 0x0e && b !== 0x0f) return b;
        if (state === 'roman' && b <= 0x7f && b !== 0x0e && b !== 0x0f) return b === 0x5c ? 0xa5 : b === 0x7e ? 0x203e : b;
        if (state === 'katakana' && b >= 0x21 && b <= 0x5f) return 0xff61 - 0x21 + b;
        if (state === 'lead' && b >= 0x21 && b <= 0x7e) { lead = b; state = 'trail'; return 'continue'; }
        return 'error';
      case 'trail':
        if (b === 0x1b) { state = 'escStart'; return 'error'; }
        if (b >= 0x21 && b <= 0x7e) {
          state = 'lead';
          return idx.jis0208[(lead - 0x21) * 94 + b - 0x21] ?? 'error';
        }
        if (b === EOS) { state = 'lead'; queue.unshift(EOS); return 'error'; }
        state = 'lead';
        return 'error';
      case 'escStart':
        if (b === 0x24 || b === 0x28) { lead = b; state = 'esc'; return 'continue'; }
        queue.unshift(b);
        outFlag = false;
        state = outState;
        return 'error';
      case 'esc': {
        const l = lead;
        lead = 0;
        let next = null;
        if (l === 0x28 && b === 0x42) next = 'ascii';
        if (l === 0x28 && b === 0x4a) next = 'roman';
        if (l === 0x28 && b === 0x49) next = 'katakana';
        if (l === 0x24 && (b === 0x40 || b === 0x42)) next = 'lead';
        if (next) {
          state = outState = next;
          const output = outFlag;
          outFlag = true;
          return output ? 'error' : 'continue';
        }
        queue.unshift(l, b);
        outFlag = false;
        state = outState;
        return 'error';
      }
    }
    return 'error';
  });
}
