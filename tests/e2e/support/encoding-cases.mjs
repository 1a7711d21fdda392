// The byte strings of the differential test against TextDecoder (tests/e2e/encoding-diff.test.mjs),
// per encoding: every byte of a single-byte table; for the multi-byte decoders every lead/trail pair,
// leads cut off by the end, EUC-JP's JIS X 0212 triples, ISO-2022-JP's escapes in every state,
// GB18030's four-byte ranges (the first four leads whole, the edges of every range, the last code
// point and past it), Big5's pointers that are two code points, and random mixes of the bytes each
// decoder cares about. Deterministic (a seeded generator), so a failure names the same case again.

export const SINGLE_BYTE = [
  'windows-1252', 'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256',
  'windows-1257', 'windows-1258', 'windows-874', 'ISO-8859-2', 'ISO-8859-3', 'ISO-8859-4', 'ISO-8859-5',
  'ISO-8859-6', 'ISO-8859-7', 'ISO-8859-8', 'ISO-8859-8-I', 'ISO-8859-10', 'ISO-8859-13', 'ISO-8859-14',
  'ISO-8859-15', 'ISO-8859-16', 'KOI8-R', 'KOI8-U', 'macintosh', 'x-mac-cyrillic', 'IBM866',
];
export const MULTI_BYTE = ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'Shift_JIS', 'EUC-JP', 'ISO-2022-JP', 'GBK', 'gb18030', 'Big5', 'EUC-KR'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b = (...xs) => Uint8Array.from(xs.flat());
const ascii = (s) => [...s].map((c) => c.charCodeAt(0));

function pairs(leads, trails, prefix = [], suffix = []) {
  const out = [];
  for (const l of leads) for (const t of trails) out.push(b(prefix, l, t, suffix));
  return out;
}
const range = (a, z) => Array.from({ length: z - a + 1 }, (_, i) => a + i);
const ALL = range(0, 255);

function randomMix(r, alphabet, count, maxLen) {
  const out = [];
  for (let k = 0; k < count; ++k) {
    const n = 1 + Math.floor(r() * maxLen);
    const a = new Uint8Array(n);
    for (let i = 0; i < n; ++i) a[i] = alphabet[Math.floor(r() * alphabet.length)];
    out.push(a);
  }
  return out;
}

/** The cases of one encoding: an array of Uint8Array. */
export function casesFor(name, { seed = 13 } = {}) {
  const r = rng(seed + name.length * 7919 + name.charCodeAt(0));
  const cases = [];
  const add = (xs) => { for (const x of xs) cases.push(x); };
  if (SINGLE_BYTE.includes(name)) {
    add(ALL.map((x) => b(x)));
    add([Uint8Array.from(ALL)]);
    add(randomMix(r, ALL, 50, 30));
    // Long ASCII runs with one other byte at every position (the vector paths and their edges).
    for (const x of [0x80, 0x81, 0x9f, 0xa0, 0xdb, 0xe9, 0xff]) {
      for (let k = 0; k < 70; ++k) add([b(ascii('abcdefghij'.repeat(7)).map((c, i) => (i === k ? x : c)))]);
    }
    return cases;
  }
  const hi = range(0x80, 0xff);
  switch (name) {
    case 'UTF-8':
      add(ALL.map((x) => b(x)));
      add(pairs(range(0xc0, 0xff), ALL));
      add(pairs(range(0xe0, 0xf4), range(0x70, 0xcf), [], [0x80]));
      add(pairs([0xe0, 0xed, 0xef, 0xf0, 0xf4], range(0x70, 0xcf), [], [0x80, 0x80]));
      add(randomMix(r, [0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff], 2000, 12));
      break;
    case 'UTF-16LE':
    case 'UTF-16BE': {
      const be = name === 'UTF-16BE';
      const unit = (u) => (be ? [u >> 8, u & 0xff] : [u & 0xff, u >> 8]);
      const units = [0x41, 0xe9, 0x4e00, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff, 0xfeff];
      for (const u of units) for (const v of units) add([b(unit(u), unit(v)), b(unit(u), unit(v)).subarray(0, 3)]);
      add(ALL.map((x) => b(x)));
      add(ALL.map((x) => b(unit(0xd83d), x)));
      add(randomMix(r, [0x00, 0x41, 0xd8, 0xdb, 0xdc, 0xdf, 0x3d, 0xff], 2000, 13));
      // Long ASCII runs with one other unit (or pair, or lone surrogate, or odd byte) at every position.
      for (const special of [[0xe9], [0x4e00], [0xd83d, 0xde00], [0xd800], [0xdc00], [0x80], [0x7f]]) {
        for (let k = 0; k < 40; ++k) {
          const units = Array.from({ length: 40 }, (_, i) => 0x61 + (i % 26));
          units.splice(k, 1, ...special);
          add([b(units.map(unit)), b(units.map(unit)).subarray(0, 2 * units.length - 1)]);
        }
      }
      break;
    }
    case 'Shift_JIS':
      add(ALL.map((x) => b(x)));
      add(pairs(hi, ALL));
      add(pairs([0x81, 0x9f, 0xe0, 0xf0, 0xfc], ALL, [], [0x41]));
      add(randomMix(r, [0x20, 0x41, 0x5c, 0x7e, 0x80, 0x81, 0x82, 0x9f, 0xa0, 0xa1, 0xdf, 0xe0, 0xef, 0xf0, 0xfc, 0xfd, 0x40, 0x7f, 0xff], 2000, 12));
      break;
    case 'EUC-JP':
      add(ALL.map((x) => b(x)));
      add(pairs(hi, ALL));
      add(pairs(range(0xa1, 0xfe), range(0xa1, 0xfe), [0x8f]));
      add(pairs([0x8f], ALL, [], [0xa1]));
      add(pairs([0x8f], ALL, [0xa2], [0x41]));
      add(pairs([0x8e], ALL, [], [0x41]));
      add(randomMix(r, [0x41, 0x8e, 0x8f, 0xa1, 0xa2, 0xa4, 0xb0, 0xdf, 0xe0, 0xfe, 0xff, 0x80], 2000, 12));
      break;
    case 'ISO-2022-JP': {
      const ESC = 0x1b;
      const escapes = [[ESC, 0x28, 0x42], [ESC, 0x28, 0x4a], [ESC, 0x28, 0x49], [ESC, 0x24, 0x40], [ESC, 0x24, 0x42]];
      add(ALL.map((x) => b(x)));
      for (const e of escapes) {
        add(ALL.map((x) => b(e, x)));
        add(ALL.map((x) => b(e, ESC, x)));
        add(ALL.map((x) => b(e, ESC, 0x24, x)));
        add(ALL.map((x) => b(e, ESC, 0x28, x)));
        for (const f of escapes) add([b(e, f), b(e, 0x41, f), b(e, f, 0x41)]);
      }
      add(pairs(range(0x21, 0x7e), ALL, [ESC, 0x24, 0x42]));
      add(randomMix(r, [ESC, 0x24, 0x28, 0x40, 0x42, 0x49, 0x4a, 0x21, 0x30, 0x5c, 0x7e, 0x7f, 0x0e, 0x0f, 0x0a, 0x80, 0xff], 3000, 16));
      break;
    }
    case 'GBK':
    case 'gb18030': {
      add(ALL.map((x) => b(x)));
      add(pairs(hi, ALL));
      // Four-byte codes: the first four leads whole (the BMP ranges), then every range's edges.
      for (const f of [0x81, 0x82, 0x83, 0x84]) for (const s of range(0x30, 0x39)) for (const t of range(0x81, 0xfe)) add(range(0x30, 0x39).map((x) => b(f, s, t, x)));
      for (const f of [0x85, 0x8f, 0x90, 0x91, 0xe3, 0xe4, 0xfd, 0xfe]) for (const s of [0x30, 0x31, 0x32, 0x35, 0x39]) for (const t of [0x81, 0x82, 0x99, 0x9a, 0x9b, 0xfe]) add([0x30, 0x34, 0x35, 0x36, 0x39].map((x) => b(f, s, t, x)));
      for (const f of [0x81, 0x84, 0x90, 0xe3]) add(ALL.map((x) => b(f, 0x30, x, 0x30)));
      add(ALL.map((x) => b(0x81, 0x30, 0x81, x)));
      add(ALL.map((x) => b(0x81, 0x30, x)));
      add([b(0x81), b(0x81, 0x30), b(0x81, 0x30, 0x81), b(0xe3, 0x32, 0x9a, 0x35), b(0xe3, 0x32, 0x9a, 0x36), b(0xfe, 0x39, 0xfe, 0x39), b(0x84, 0x31, 0xa4, 0x39), b(0x84, 0x31, 0xa5, 0x30)]);
      add(randomMix(r, [0x41, 0x30, 0x39, 0x3a, 0x7f, 0x80, 0x81, 0x84, 0x90, 0xa1, 0xa6, 0xd9, 0xe3, 0xfe, 0xff, 0x40], 3000, 12));
      break;
    }
    case 'Big5':
      add(ALL.map((x) => b(x)));
      add(pairs(hi, ALL));
      add([b(0x88, 0x62), b(0x88, 0x64), b(0x88, 0xa3), b(0x88, 0xa5), b(0x88, 0x62, 0x88, 0x64, 0x41)]);
      add(randomMix(r, [0x41, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0x87, 0x88, 0x62, 0x64, 0xa1, 0xa3, 0xa4, 0xc6, 0xf9, 0xfe, 0xff], 2000, 12));
      break;
    case 'EUC-KR':
      add(ALL.map((x) => b(x)));
      add(pairs(hi, ALL));
      add(randomMix(r, [0x41, 0x40, 0x5a, 0x61, 0x80, 0x81, 0xa1, 0xb0, 0xc8, 0xfe, 0xff], 2000, 12));
      break;
    default:
      throw new Error(`no cases for ${name}`);
  }
  return cases;
}

export const ALL_ENCODINGS = [...MULTI_BYTE, ...SINGLE_BYTE];
export { ascii };
