// npm run bench:encoding: how often each detector names the right encoding of a legacy identity file.
// The corpus (tools/bench/encoding-corpus.mjs: names, departments and notes in 31 languages) is put
// together here into files of 1, 2, 5, 20 and 200 rows, each encoded (by iconv-lite, an encoder
// independent of ours) in every legacy encoding its language's spreadsheets save in, with the line
// endings and delimiters of the tools that write them. Every detector reads the same files in the same
// run: ours (the product: the wasm core in Node, its detectors module included), ICU's detector alone
// and uchardet alone (Debian's native `uchardet`), and the npm detectors jschardet and chardet.
//
// A file counts as "right" when the detector's answer decodes it to exactly the text that was encoded
// (so windows-1252 for an ISO-8859-15 file without €, Š, Ž, œ is right: the names are the same), as
// "asked" when ours was unsure and offered the right encoding among its choices, and as "silently
// wrong" otherwise. Peers' answers are read as a browser would read them as a label (WHATWG: ISO-8859-1
// is windows-1252). Targets (SPEC.md Upload): 0 silently wrong at >= 5 rows, >= 99 % right at >= 5 rows,
// >= 90 % right or asked at 1-2 rows, and ahead of every peer at every length.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import jschardet from 'jschardet';
import chardet from 'chardet';
import { loadCore } from '../../dist/index.mjs';
import createDetectors from '../../dist/canopy-detectors.mjs';
import { readFileSync } from 'node:fs';
import { LANGUAGES } from './encoding-corpus.mjs';

const LENGTHS = [1, 2, 5, 20, 200];
const SEEDS = Number(process.env.BENCH_SEEDS ?? 3);
const verbose = process.argv.includes('--verbose');
// --dump DIR: also write the corpus there (lang-encoding-rows-seed.csv), to look at a file that failed.
const dumpAt = process.argv.indexOf('--dump');
const dumpDir = dumpAt > 0 ? process.argv[dumpAt + 1] : '';

// Deterministic PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// iconv-lite's names for the encodings of the corpus.
const ICONV = { 'x-mac-cyrillic': 'maccyrillic', IBM866: 'cp866', 'windows-874': 'cp874' };
const iconvName = (enc) => ICONV[enc] ?? enc;
const representable = (text, enc) => iconv.decode(iconv.encode(text, iconvName(enc)), iconvName(enc)) === text;

// How the tools that write each encoding end lines and separate cells: Excel for Mac (macintosh) ends
// lines with CR; Excel on Windows uses CRLF and, in locales with a decimal comma, ';'.
const SEMICOLON = new Set(['de', 'fr', 'es', 'pt', 'it', 'nl', 'sv', 'da', 'fi', 'pl', 'cs', 'hu', 'ro', 'sk', 'hr', 'tr', 'ru', 'uk', 'bg', 'el', 'lt', 'lv', 'et']);
function makeFile(lang, enc, rows, seed) {
  const r = rng(seed * 7919 + rows * 104729 + lang.code.length * 31 + enc.length);
  const pick = (list) => {
    const ok = list.filter((w) => representable(w, enc));
    return ok.length ? ok[Math.floor(r() * ok.length)] : '';
  };
  const d = SEMICOLON.has(lang.code) ? ';' : ',';
  const eol = enc === 'macintosh' || enc === 'x-mac-cyrillic' ? '\r' : '\r\n';
  const lines = [['email', 'first_name', 'last_name', 'department', 'notes'].join(d)];
  for (let i = 0; i < rows; i++) {
    const cells = [`user${seed}.${i}@example.com`, pick(lang.given), pick(lang.family), pick(lang.dept), r() < 0.5 ? pick(lang.notes) : ''];
    lines.push(cells.map((c) => (c.includes(d) ? `"${c}"` : c)).join(d));
  }
  const text = lines.join(eol) + eol;
  return { text, bytes: new Uint8Array(iconv.encode(text, iconvName(enc))) };
}

// A detector's answer, read as a WHATWG label (the names the core's table knows), decodes the bytes to
// the original text?
const core = await loadCore();
const labels = new Map();
for (const e of core.info().encodings ?? []) {
  const name = typeof e === 'string' ? e : e.name;
  labels.set(name.toLowerCase(), name);
  for (const l of (typeof e === 'string' ? [] : e.labels ?? [])) labels.set(l.toLowerCase(), name);
}
const canonical = (answer) => (answer ? labels.get(String(answer).toLowerCase().trim()) ?? String(answer) : '');
const decodesRight = (bytes, answer, text) => {
  const name = canonical(answer);
  if (!name) return false;
  if (name === 'UTF-8') return new TextDecoder('utf-8').decode(bytes) === text;
  const n = name === 'macintosh' ? 'macintosh' : name;
  if (!iconv.encodingExists(iconvName(n))) return false;
  return iconv.decode(Buffer.from(bytes), iconvName(n)) === text;
};

// The detectors module alone (its ICU vote is "ICU's detector alone"), on the whole file.
const detectors = await createDetectors({ wasmBinary: readFileSync(new URL('../../dist/canopy-detectors.wasm', import.meta.url)) });
function icuAlone(bytes) {
  const at = detectors._malloc(Math.max(1, bytes.byteLength));
  detectors.HEAPU8.set(bytes, at);
  const out = detectors._canopy_votes(at, bytes.byteLength);
  const votes = JSON.parse(new TextDecoder().decode(detectors.HEAPU8.subarray(out, out + detectors._canopy_votes_length())));
  detectors._free(at);
  return votes.find((v) => v.detector === 'icu')?.charset ?? '';
}

const files = [];
for (const lang of LANGUAGES) {
  for (const enc of lang.encodings) {
    for (const rows of LENGTHS) {
      for (let seed = 1; seed <= SEEDS; seed++) files.push({ lang: lang.code, enc, rows, ...makeFile(lang, enc, rows, seed) });
    }
  }
}

// uchardet (native) on all files at once.
const dir = mkdtempSync(join(tmpdir(), 'canopy-enc-'));
files.forEach((f, i) => writeFileSync(join(dir, `${i}.csv`), f.bytes));
const uchardet = new Map();
for (let i = 0; i < files.length; i += 200) {
  const names = files.slice(i, i + 200).map((_, k) => join(dir, `${i + k}.csv`));
  const out = execFileSync('uchardet', names, { encoding: 'utf8', maxBuffer: 1 << 24 });
  for (const line of out.split('\n')) {
    const m = /\/(\d+)\.csv: (.*)$/.exec(line);
    if (m) uchardet.set(Number(m[1]), m[2].trim());
  }
}
rmSync(dir, { recursive: true, force: true });
if (dumpDir) {
  const seen = new Map();
  for (const f of files) {
    const base = `${f.lang}-${f.enc}-${f.rows}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    writeFileSync(join(dumpDir, `${base}-${n}.csv`), f.bytes);
  }
}

const DETECTORS = ['ours', 'ICU alone', 'uchardet alone', 'jschardet', 'chardet'];
const tally = new Map(); // detector|rows -> {right, asked, wrong}
const wrongs = [];
const asks = [];
for (const [i, f] of files.entries()) {
  const answers = {};
  const s = core.createSession();
  let ours = { right: false, asked: false, name: '' };
  try {
    const sum = await s.load(f.bytes);
    const right = decodesRight(f.bytes, sum.encoding, f.text);
    const asked = !!sum.encodingUnsure && (sum.encodingChoices ?? []).some((c) => decodesRight(f.bytes, c.encoding, f.text));
    ours = { right: right && !sum.encodingUnsure, asked: sum.encodingUnsure && asked, name: sum.encoding, unsure: sum.encodingUnsure, choices: (sum.encodingChoices ?? []).map((c) => c.encoding) };
  } catch (e) {
    ours = { right: false, asked: false, name: `error ${e.code}` };
  } finally {
    s.dispose();
  }
  answers['ICU alone'] = icuAlone(f.bytes);
  answers['uchardet alone'] = uchardet.get(i) ?? '';
  answers.jschardet = jschardet.detect(Buffer.from(f.bytes)).encoding ?? '';
  answers.chardet = chardet.detect(Buffer.from(f.bytes)) ?? '';
  for (const d of DETECTORS) {
    const key = `${d}|${f.rows}`;
    const t = tally.get(key) ?? { right: 0, asked: 0, wrong: 0 };
    if (d === 'ours') {
      if (ours.right) t.right++;
      else if (ours.asked) {
        t.asked++;
        asks.push({ ...f, got: ours.name, choices: ours.choices });
      }
      else {
        t.wrong++;
        wrongs.push({ ...f, got: ours.name, unsure: ours.unsure, choices: ours.choices });
      }
    } else if (decodesRight(f.bytes, answers[d], f.text)) t.right++;
    else t.wrong++;
    tally.set(key, t);
  }
}

const pct = (n, all) => `${(100 * n / all).toFixed(1)} %`;
console.log(`\nnpm run bench:encoding — ${files.length} files: ${LANGUAGES.length} languages, ${new Set(files.map((f) => f.enc)).size} encodings, ${LENGTHS.join('/')} rows, ${SEEDS} seeds\n`);
console.log('| detector | ' + LENGTHS.map((n) => `${n} row${n > 1 ? 's' : ''}: right / asked / silently wrong`).join(' | ') + ' |');
console.log('|---|' + LENGTHS.map(() => '---').join('|') + '|');
for (const d of DETECTORS) {
  const cells = LENGTHS.map((n) => {
    const t = tally.get(`${d}|${n}`);
    const all = t.right + t.asked + t.wrong;
    return `${pct(t.right, all)} / ${d === 'ours' ? pct(t.asked, all) : '-'} / ${pct(t.wrong, all)}`;
  });
  console.log(`| ${d} | ${cells.join(' | ')} |`);
}
const sum = (d, pred) => LENGTHS.filter(pred).reduce((a, n) => {
  const t = tally.get(`${d}|${n}`);
  return { right: a.right + t.right, asked: a.asked + t.asked, wrong: a.wrong + t.wrong };
}, { right: 0, asked: 0, wrong: 0 });
const long = sum('ours', (n) => n >= 5);
const short = sum('ours', (n) => n < 5);
const longAll = long.right + long.asked + long.wrong;
const shortAll = short.right + short.asked + short.wrong;
const ahead = LENGTHS.every((n) => DETECTORS.slice(1).every((d) => tally.get(`ours|${n}`).right + tally.get(`ours|${n}`).asked >= tally.get(`${d}|${n}`).right));
const mark = (ok) => (ok ? 'met' : 'MISS');
console.log(`\nTargets: ${mark(long.wrong === 0)} 0 silently wrong at >= 5 rows (${long.wrong}); ` +
  `${mark(long.right >= 0.99 * longAll)} >= 99 % right at >= 5 rows (${pct(long.right, longAll)}); ` +
  `${mark(short.right + short.asked >= 0.9 * shortAll)} >= 90 % right or asked at 1-2 rows (${pct(short.right + short.asked, shortAll)}); ` +
  `${mark(ahead)} ahead of every peer (right or asked) at every length.`);
if (verbose && asks.length) {
  console.log(`\nOurs, asked (${asks.length}):`);
  for (const w of asks) console.log(`  ${w.lang} ${w.enc} ${w.rows} rows: ${w.choices.join(', ')}`);
}
if (wrongs.length) {
  console.log(`\nOurs, silently wrong (${wrongs.length}${verbose ? '' : ', the first 25; --verbose for all'}):`);
  for (const w of verbose ? wrongs : wrongs.slice(0, 25)) {
    console.log(`  ${w.lang} ${w.enc} ${w.rows} rows: read as ${w.got}${w.unsure ? ` (asked: ${w.choices.join(', ')})` : ''}`);
  }
}
