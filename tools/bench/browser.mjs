// npm run bench:browser: the product's own page in Debian's Chromium (playwright-core, launched as the e2e
// harness launches it), the generated 10 MB / 10,000-row identities file set on the Upload step's file
// input, timed inside the page from setting the file to the Preview step's stats and first rows in the
// DOM, with the wizard's Next buttons pressed as soon as they are enabled. Beside it, in the same run and
// browser, the same file through Papa.parse(file, {worker: true}) and through Papa Parse in a hand-made
// worker that reads the File and posts the rows back. Cold = a fresh page (and so a fresh worker);
// warm = the same page again. Every main-thread task over 50 ms (PerformanceObserver "longtask") is
// listed with the phase it fell in: load (file → preview), scrolling the preview to its end, a mapping
// change and the validation it triggers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ROOT, startSession, openWizard, pickMode } from '../../tests/e2e/support/harness.mjs';
import { generateIdentities } from './generate.mjs';

const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 7));
const SCROLL_PX = Number(process.env.BENCH_SCROLL_PX ?? 600);  // per wheel step, one step a frame: a fast fling

const { bytes, rows: expectedRows } = generateIdentities({ rows: 10000, targetBytes: 10 * 1024 * 1024 - 4096 });
const papaJs = await readFile(join(ROOT, 'node_modules', 'papaparse', 'papaparse.min.js'));

// The peers' page: same origin, no CSP (Papa's worker mode starts its worker from a blob: URL).
const PEER_HTML = '<!doctype html><meta charset="utf-8"><title>peers</title><script src="/__bench__/papaparse.min.js"></script>';
const HANDMADE_WORKER = `importScripts('/__bench__/papaparse.min.js');
onmessage = async (e) => { const text = await e.data.text(); postMessage(Papa.parse(text).data); };`;

const session = await startSession({ faults: false });
const { context } = session;
await context.route('**/__bench__/**', (route) => {
  const path = new URL(route.request().url()).pathname;
  if (path === '/__bench__/identities.csv') return route.fulfill({ body: Buffer.from(bytes), contentType: 'text/csv' });
  if (path === '/__bench__/papaparse.min.js') return route.fulfill({ body: papaJs, contentType: 'text/javascript' });
  if (path === '/__bench__/handmade-worker.js') return route.fulfill({ body: HANDMADE_WORKER, contentType: 'text/javascript' });
  if (path === '/__bench__/peers.html') return route.fulfill({ body: PEER_HTML, contentType: 'text/html' });
  return route.fulfill({ status: 404, body: '' });
});
// Every page records its long tasks from the start, with the phase the bench says it is in.
await context.addInitScript(() => {
  window.__bench = {
    phase: 'startup',
    longTasks: [],
    // Resolves with test()'s first truthy value, checked on every DOM change in the dialog.
    until(test) {
      const dlg = document.querySelector('dialog.cnp-wizard');
      return new Promise((resolve) => {
        const hit = test();
        if (hit) { resolve(hit); return; }
        const mo = new MutationObserver(() => { const v = test(); if (v) { mo.disconnect(); resolve(v); } });
        mo.observe(dlg, { subtree: true, childList: true, attributes: true, characterData: true });
      });
    },
    // The wizard's Next button when it can be pressed, else null.
    next() {
      const b = document.querySelector('dialog.cnp-wizard .cnp-footer .cnp-btn-primary');
      return b && !b.hidden && !b.disabled ? b : null;
    },
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ phase: window.__bench.phase, start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no longtask support: the list stays empty and the table says so */ }
});

// Loads the file into a File object inside the page (not timed).
async function fileInPage(page) {
  await page.evaluate(async () => {
    const blob = await (await fetch('/__bench__/identities.csv')).blob();
    window.__benchFile = new File([blob], 'identities-10mb.csv', { type: 'text/csv' });
  });
}

// A fresh product page at the Upload step, with the core warmed up as far as the page does it by itself.
async function freshWizardPage() {
  const page = await context.newPage();
  const dlg = await openWizard(page, 'access-control');
  await pickMode(dlg, 'Bulk create');
  await fileInPage(page);
  // A user needs seconds to pick a file; the page may use them. Wait for the page's own "core warm"
  // mark when it sets one, at most 3 s.
  await page.waitForFunction(() => performance.getEntriesByName('cnp-core-warm').length > 0, null, { timeout: 3000 }).catch(() => {});
  await settle(page);
  return page;
}

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));

// In the page: set the file, press Next as soon as each step allows, stop when the Preview step shows
// its stats and its first data row. Returns the phase times in ms.
async function importInPage(page) {
  return page.evaluate(async () => {
    const dlg = document.querySelector('dialog.cnp-wizard');
    const { until, next } = window.__bench;
    const input = dlg.querySelector('.cnp-step-upload input[type="file"]');
    const shown = dlg.querySelector('.cnp-step-upload .cnp-summary-slot .cnp-dl');  // an earlier file's summary
    const dt = new DataTransfer();
    dt.items.add(window.__benchFile);
    window.__bench.phase = 'load';
    const t0 = performance.now();
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    (await until(() => { const dl = dlg.querySelector('.cnp-step-upload .cnp-summary-slot .cnp-dl'); return dl && dl !== shown && next(); })).click();
    const t1 = performance.now();
    (await until(() => dlg.querySelector('.cnp-step-mapping select') && next())).click();
    const t2 = performance.now();
    await until(() => dlg.querySelector('.cnp-step-preview .cnp-stats') && dlg.querySelector('.cnp-step-preview tr.cnp-vrow:not(.is-loading)'));
    const t3 = performance.now();
    window.__bench.phase = 'idle';
    return { total: t3 - t0, upload: t1 - t0, mapping: t2 - t1, preview: t3 - t2 };
  });
}

// Scrolls the preview from top to end with the mouse wheel, SCROLL_PX a frame, as a user does (the
// compositor scrolls; nothing in the bench reads layout while it runs). An IntersectionObserver counts
// the rows that came into view still saying "Loading…". Then a sideways scroll to the far right,
// noting which columns stay in view.
async function scrollInPage(page) {
  const { height, box } = await page.evaluate(() => {
    const sc = document.querySelector('dialog.cnp-wizard .cnp-vscroll');
    window.__bench.phase = 'scroll';
    window.__bench.loadingSeen = 0;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting && e.target.classList.contains('is-loading')) window.__bench.loadingSeen += 1;
    }, { root: sc });
    const watch = (tr) => { if (tr.matches?.('tr.is-loading')) io.observe(tr); };
    sc.querySelectorAll('tr.is-loading').forEach(watch);
    new MutationObserver((list) => { for (const m of list) m.addedNodes.forEach(watch); }).observe(sc, { childList: true, subtree: true });
    sc.scrollTop = 0;
    const r = sc.getBoundingClientRect();
    return { height: sc.scrollHeight - sc.clientHeight, box: { x: r.x + r.width / 2, y: r.y + r.height / 2 } };
  });
  await page.mouse.move(box.x, box.y);
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const t0 = Date.now();
  let frames = 0;
  for (let y = 0; y < height + SCROLL_PX; y += SCROLL_PX) {
    await page.mouse.wheel(0, SCROLL_PX);
    await frame();
    frames += 1;
  }
  const ms = Date.now() - t0;
  await frame();
  await frame();
  return page.evaluate(async ({ frames, ms }) => {
    const sc = document.querySelector('dialog.cnp-wizard .cnp-vscroll');
    const next = () => new Promise((r) => requestAnimationFrame(r));
    const lastLine = [...sc.querySelectorAll('tr.cnp-vrow:not(.is-loading) .cnp-col-line')].map((td) => Number(td.textContent)).pop();
    sc.scrollLeft = sc.scrollWidth;
    await next();
    await next();
    const box = sc.getBoundingClientRect();
    const visible = [...sc.querySelectorAll('thead th')].filter((th) => { const r = th.getBoundingClientRect(); return r.right > box.left + 1 && r.left < box.right - 1; }).map((th) => th.textContent.trim());
    sc.scrollLeft = 0;
    window.__bench.phase = 'idle';
    return { frames, loadingRows: window.__bench.loadingSeen, ms, lastLine, visibleAtRight: visible };
  }, { frames, ms });
}

// In the page: Back to Mapping, set the external_id column to Ignore and back, then Next to the
// Preview step again until it has validated and shows rows.
async function mappingChangeInPage(page) {
  return page.evaluate(async () => {
    const dlg = document.querySelector('dialog.cnp-wizard');
    const { until, next } = window.__bench;
    window.__bench.phase = 'mapping change';
    const t0 = performance.now();
    dlg.querySelector('.cnp-footer .cnp-btn:not(.cnp-btn-primary)').click();
    const first = await until(() => [...dlg.querySelectorAll('.cnp-step-mapping select')].find((x) => x.value === 'external_id'));
    const col = first.dataset.column;
    const current = () => dlg.querySelector(`.cnp-step-mapping select[data-column="${col}"]`);
    const pick = async (value) => {
      const s = current();
      s.value = value;
      s.dispatchEvent(new Event('change', { bubbles: true }));
      await until(() => { const x = current(); return x && x !== s && x.value === value; });
    };
    await pick('');
    await pick('external_id');
    const t1 = performance.now();
    window.__bench.phase = 'validation';
    (await until(next)).click();
    await until(() => dlg.querySelector('.cnp-step-preview .cnp-stats') && dlg.querySelector('.cnp-step-preview tr.cnp-vrow:not(.is-loading)'));
    const t2 = performance.now();
    window.__bench.phase = 'idle';
    return { change: t1 - t0, revalidate: t2 - t1 };
  });
}

async function longTasks(page) {
  return page.evaluate(() => window.__bench.longTasks.filter((t) => t.phase !== 'startup' && t.phase !== 'idle'));
}

// ------------------------------------------------------------------ peers

async function freshPeerPage() {
  const page = await context.newPage();
  await page.goto('/__bench__/peers.html');
  await fileInPage(page);
  return page;
}

async function papaWorkerInPage(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    window.__bench.phase = 'papa worker';
    const t0 = performance.now();
    window.Papa.parse(window.__benchFile, {
      worker: true,
      complete: (res) => { const ms = performance.now() - t0; window.__bench.phase = 'idle'; resolve({ ms, rows: res.data.filter((r) => !(r.length === 1 && r[0] === '')).length - 1 }); },
      error: (e) => reject(new Error(String(e))),
    });
  }));
}

async function handmadeInPage(page) {
  return page.evaluate(() => new Promise((resolve) => {
    window.__handmade ??= new Worker('/__bench__/handmade-worker.js');
    window.__bench.phase = 'handmade worker';
    const t0 = performance.now();
    window.__handmade.onmessage = (e) => {
      const ms = performance.now() - t0;
      window.__bench.phase = 'idle';
      resolve({ ms, rows: e.data.filter((r) => !(r.length === 1 && r[0] === '')).length - 1 });
    };
    window.__handmade.postMessage(window.__benchFile);
  }));
}

// ------------------------------------------------------------------ the run

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const samples = {
  oursCold: [], oursWarm: [], papaCold: [], papaWarm: [], handCold: [], handWarm: [],
  phasesCold: [], phasesWarm: [],
};
const tasks = [];
let scroll = null;
let change = null;
const checkRows = (who, n) => { if (n !== expectedRows) throw new Error(`${who} saw ${n} rows, not ${expectedRows}`); };

try {
  for (let r = 0; r < RUNS; r++) {
    // Ours: a fresh page (fresh worker), then the same page again (Back to Upload, the same file).
    const page = await freshWizardPage();
    const cold = await importInPage(page);
    samples.oursCold.push(cold.total);
    samples.phasesCold.push(cold);
    const rows = await page.evaluate(() => Number(document.querySelector('.cnp-stats .cnp-stat dd')?.textContent.replace(/[^0-9]/g, '')));
    checkRows('ours', rows);
    if (r === 0) {
      scroll = await scrollInPage(page);
      change = await mappingChangeInPage(page);
    }
    tasks.push(...(await longTasks(page)).map((t) => ({ ...t, run: `ours cold #${r + 1}` })));
    await page.close();

    const warmPage = await freshWizardPage();
    await importInPage(warmPage);  // the first import of this page: its warm-up
    await warmPage.evaluate(() => { window.__bench.longTasks = []; });
    await backToUpload(warmPage);
    const warm = await importInPage(warmPage);
    samples.oursWarm.push(warm.total);
    samples.phasesWarm.push(warm);
    tasks.push(...(await longTasks(warmPage)).map((t) => ({ ...t, run: `ours warm #${r + 1}` })));
    await warmPage.close();

    // Peers: cold on a fresh page, warm on the same page again.
    const peer = await freshPeerPage();
    const pc = await papaWorkerInPage(peer); checkRows('Papa worker', pc.rows); samples.papaCold.push(pc.ms);
    const pw = await papaWorkerInPage(peer); checkRows('Papa worker', pw.rows); samples.papaWarm.push(pw.ms);
    tasks.push(...(await longTasks(peer)).map((t) => ({ ...t, run: `Papa worker #${r + 1}` })));
    await peer.close();
    const peer2 = await freshPeerPage();
    const hc = await handmadeInPage(peer2); checkRows('hand-made worker', hc.rows); samples.handCold.push(hc.ms);
    const hw = await handmadeInPage(peer2); checkRows('hand-made worker', hw.rows); samples.handWarm.push(hw.ms);
    tasks.push(...(await longTasks(peer2)).map((t) => ({ ...t, run: `hand-made #${r + 1}` })));
    await peer2.close();
    process.stderr.write(`round ${r + 1}/${RUNS}: ours cold ${cold.total.toFixed(1)} ms, warm ${warm.total.toFixed(1)} ms; Papa worker ${pc.ms.toFixed(0)}/${pw.ms.toFixed(0)} ms, hand-made ${hc.ms.toFixed(0)}/${hw.ms.toFixed(0)} ms\n`);
  }
} finally {
  await session.close();
}

async function backToUpload(page) {
  await page.evaluate(async () => {
    const dlg = document.querySelector('dialog.cnp-wizard');
    const { until } = window.__bench;
    const back = () => dlg.querySelector('.cnp-footer .cnp-btn:not(.cnp-btn-primary):not([disabled])');
    (await until(back)).click();
    await until(() => dlg.querySelector('.cnp-step-mapping') && back());
    back().click();
    await until(() => dlg.querySelector('.cnp-step-upload input[type="file"]'));
  });
  await settle(page);
}

// ------------------------------------------------------------------ report

const browserVersion = session.browser.version();
const mb = bytes.byteLength / 1e6;
const fastestPapa = (k) => Math.min(median(samples[`papa${k}`]), median(samples[`hand${k}`]));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\nInput: ${bytes.byteLength.toLocaleString('en')} bytes, ${expectedRows.toLocaleString('en')} rows. Chromium ${browserVersion}, median of ${RUNS} rounds (each: ours cold, ours warm, the peers cold and warm).\n`);
console.log(`| ${pad('job (file set on the page → result on the page)', 66)} | ${lpad('cold ms', 8)} | ${lpad('warm ms', 8)} | ${lpad('cold vs best Papa', 17)} | ${lpad('warm vs best Papa', 17)} |`);
console.log(`|${'-'.repeat(68)}|${'-'.repeat(10)}|${'-'.repeat(10)}|${'-'.repeat(19)}|${'-'.repeat(19)}|`);
const line = (name, cold, warm) => console.log(`| ${pad(name, 66)} | ${lpad(cold.toFixed(1), 8)} | ${lpad(warm.toFixed(1), 8)} | ${lpad((fastestPapa('Cold') / cold).toFixed(2) + 'x', 17)} | ${lpad((fastestPapa('Warm') / warm).toFixed(2) + 'x', 17)} |`);
line('ours: file → validated preview (stats + first rows), whole wizard', median(samples.oursCold), median(samples.oursWarm));
const ph = (k, list) => median(list.map((p) => p[k]));
line('  of which: file → Upload summary shown', ph('upload', samples.phasesCold), ph('upload', samples.phasesWarm));
line('  of which: Next → Mapping shown', ph('mapping', samples.phasesCold), ph('mapping', samples.phasesWarm));
line('  of which: Next → Preview validated, stats + first rows', ph('preview', samples.phasesCold), ph('preview', samples.phasesWarm));
line('Papa.parse(file, {worker: true}) → rows on the page', median(samples.papaCold), median(samples.papaWarm));
line('hand-made worker: file.text() + Papa.parse, rows posted back', median(samples.handCold), median(samples.handWarm));
console.log(`\nThroughput, ours warm: ${(mb / (median(samples.oursWarm) / 1000)).toFixed(0)} MB/s end to end.`);
if (scroll) {
  console.log(`Scrolling the preview to its end with the mouse wheel (${SCROLL_PX} px a step, a step a frame): ${scroll.frames} steps in ${scroll.ms.toFixed(0)} ms ` +
    `(${(scroll.ms / scroll.frames).toFixed(1)} ms a step), ${scroll.loadingRows} rows came into view still saying "Loading…", last line shown ${scroll.lastLine}; ` +
    `columns in view when scrolled fully right: ${scroll.visibleAtRight.join(', ')}.`);
}
if (change) console.log(`Mapping change (Back, a column to Ignore and back): ${change.change.toFixed(1)} ms; Next → re-validated preview: ${change.revalidate.toFixed(1)} ms.`);

const ourTasks = tasks.filter((t) => t.run.startsWith('ours'));
console.log(`\nMain-thread tasks over 50 ms (PerformanceObserver longtask): ${ourTasks.length} on our pages, ${tasks.length - ourTasks.length} on the peers' pages.`);
if (tasks.length) {
  // One line per run and phase: how many, the longest, and every one of them (ms, in order).
  const groups = new Map();
  for (const t of tasks) {
    const key = `${t.run}\u0000${t.phase}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(t.ms);
  }
  console.log(`\n| ${pad('run', 16)} | ${pad('phase', 16)} | ${lpad('tasks', 5)} | ${lpad('max ms', 6)} | every task, ms`);
  console.log(`|${'-'.repeat(18)}|${'-'.repeat(18)}|${'-'.repeat(7)}|${'-'.repeat(8)}|${'-'.repeat(20)}`);
  for (const [key, list] of groups) {
    const [run, phase] = key.split('\u0000');
    console.log(`| ${pad(run, 16)} | ${pad(phase, 16)} | ${lpad(list.length, 5)} | ${lpad(Math.max(...list).toFixed(0), 6)} | ${list.map((ms) => ms.toFixed(0)).join(' ')}`);
  }
}

console.log('\nTargets:');
const targets = [
  ['cold: whole wizard at least 10x faster than the faster Papa setup', fastestPapa('Cold') / median(samples.oursCold) >= 10, `${(fastestPapa('Cold') / median(samples.oursCold)).toFixed(2)}x`],
  ['warm: whole wizard at least 10x faster than the faster Papa setup', fastestPapa('Warm') / median(samples.oursWarm) >= 10, `${(fastestPapa('Warm') / median(samples.oursWarm)).toFixed(2)}x`],
  ['first import as fast as the second (cold within 1.25x of warm)', median(samples.oursCold) <= 1.25 * median(samples.oursWarm), `${(median(samples.oursCold) / median(samples.oursWarm)).toFixed(2)}x`],
  ['no main-thread task over 50 ms on our pages (load, validation, mapping change, scrolling)', ourTasks.length === 0, `${ourTasks.length} tasks`],
  ['no "Loading…" row in view while scrolling', !!scroll && scroll.loadingRows === 0, `${scroll?.loadingRows} rows`],
];
for (const [what, ok, figure] of targets) console.log(`  ${ok ? 'met ' : 'MISS'}  ${what}: ${figure}`);
