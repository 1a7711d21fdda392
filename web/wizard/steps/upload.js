// Step 2: a dropped/picked file or pasted text goes to core.load(); the summary and the first rows come
// back from it. Encoding/delimiter overrides re-run core.load() on the same input. A workbook (the
// worker tells by its first bytes) with several sheets that hold cells asks which one first: the sheet
// picker lists them (name, rows, first rows) and loads the one chosen.
import { h, replace, uniqueId, stepHeading } from '../dom.js';
import { interruptedNotice, matchLoaded } from '../interrupted.js';

/**
 * @typedef {import('../wizard.js').Ctx} Ctx
 * @typedef {import('../wizard.js').State} State
 * @typedef {import('../wizard.js').Source} Source
 * @typedef {import('../wizard.js').Overrides} Overrides
 * @typedef {import('../../core/client.js').Loaded} Loaded
 * @typedef {<K extends keyof Overrides>(key: K, value: Overrides[K]) => void} Override  reads the source again with it
 */

let loadSeq = 0; // the newest load wins when several race
const RESUME_MARGIN_MS = 2 * 60 * 1000; // the page's clock against the server's created_at

/** @param {number} v  0..1, or 0..100 */
function pct(v) {
  const n = Number(v) || 0;
  return Math.round(n <= 1 ? n * 100 : n);
}

/**
 * @param {Ctx} ctx
 * @param {Source} source
 * @param {Overrides} overrides
 */
export async function loadSource(ctx, source, overrides) {
  const { store } = ctx;
  const seq = ++loadSeq;
  store.set({ loading: true, loadError: null, source, overrides });
  // A File goes to the worker as a handle; the worker reads it into wasm memory (the page never holds
  // or copies the bytes).
  /** @type {import('../../core/client.js').LoadSource} */
  const arg = source.text !== undefined ? { text: source.text } : { file: source.file };
  if (overrides.encoding && source.text === undefined) arg.encoding = overrides.encoding;
  if (overrides.delimiter) arg.delimiter = overrides.delimiter;
  // The header row and the report footer (the core's rule; these only undo or move it).
  if (overrides.headerLine) arg.headerLine = overrides.headerLine;
  if (overrides.keepFooters) arg.keepFooters = true;
  if (Number.isInteger(overrides.sheet)) arg.sheet = overrides.sheet;
  try {
    const summary = await ctx.core.load(arg);
    if (seq !== loadSeq) return;
    if (summary.needsSheet) {
      // Several sheets hold cells: nothing is loaded until the user picks one.
      store.set({ summary: null, sheetChoice: summary.workbook, loading: false, loadVersion: store.get().loadVersion + 1, mapping: null, stats: null, validatedKey: '', resumes: null });
      ctx.announce(ctx.t('upload.sheetPicker'));
      return;
    }
    store.set({ summary, sheetChoice: null, loading: false, loadVersion: store.get().loadVersion + 1, mapping: null, stats: null, validatedKey: '', resumes: null });
    // The file of an interrupted run again: the notice says this is the one to continue.
    const resumes = await matchLoaded(ctx).catch(() => null);
    if (seq === loadSeq && resumes) {
      // What the server created since that run started is its work: not email_exists at Preview, so
      // the same batches go again with the same keys and the server replays them (a margin for clocks).
      await ctx.core.setResumeSince(new Date(resumes.startedAt - RESUME_MARGIN_MS).toISOString());
      store.set({ resumes });
    }
    ctx.announce(ctx.t('upload.summary') + ': ' + ctx.t('upload.rows') + ' ' + ctx.fmt(summary.rows));
  } catch (err) {
    if (seq !== loadSeq) return;
    store.set({
      summary: null, sheetChoice: null, loading: false, loadVersion: store.get().loadVersion + 1, mapping: null, stats: null, validatedKey: '',
      loadError: { code: /** @type {import('../i18n/index.js').Thrown} */ (err)?.cause?.code || 'error', message: ctx.i18n.error(err) },
    });
  }
}

// How many broken lines the upload step lists; the rest is counted ("and N more"), all of them are in
// the Preview step.
const SHOWN_ISSUES = 10;

// summary.parseIssues is the count of the reader's issues; summary.issues the first of them (the core
// hands over at most 20), with line numbers and masked secrets.
// What the core skipped around the table (never silently): the lines above the header and a report
// footer, each with its line and (masked) text, and the overrides that undo it.
/**
 * @param {Ctx} ctx
 * @param {State} s
 * @param {Override} override
 */
function skippedPanel(ctx, s, override) {
  const { t } = ctx;
  const sum = s.summary;
  if (!sum) return null;
  const pre = Array.isArray(sum.preamble) ? sum.preamble : [];
  const foot = Array.isArray(sum.footer) ? sum.footer : [];
  /** @param {import('../../../dist/index.mjs').SkippedLine} l */
  const lineItem = (l) => h('li', null, t('upload.skippedLine', { line: ctx.fmt(l.line), text: l.text }),
    l.sep ? h('span', { class: 'cnp-muted' }, ' · ' + t('upload.sepLine')) : null);
  const parts = [];
  if (pre.length) {
    parts.push(h('p', { class: 'cnp-alert-title' }, t('upload.preamble', { n: pre.length, line: ctx.fmt(sum.headerLine) })),
      h('ul', { class: 'cnp-skipped-list', 'data-skipped': 'preamble' }, pre.map(lineItem)),
      h('div', { class: 'cnp-row-actions' },
        h('button', { type: 'button', class: 'cnp-btn', onClick: () => override('headerLine', 1) }, t('upload.readEveryLine'))));
  } else if (s.overrides.headerLine) {
    parts.push(h('div', { class: 'cnp-row-actions' },
      h('button', { type: 'button', class: 'cnp-btn', onClick: () => override('headerLine', 0) }, t('upload.findHeader'))));
  }
  if (foot.length) {
    parts.push(h('p', { class: 'cnp-alert-title' }, t('upload.footer', { n: foot.length })),
      h('ul', { class: 'cnp-skipped-list', 'data-skipped': 'footer' }, foot.map(lineItem)),
      h('div', { class: 'cnp-row-actions' },
        h('button', { type: 'button', class: 'cnp-btn', onClick: () => override('keepFooters', true) }, t('upload.keepFooters'))));
  } else if (s.overrides.keepFooters) {
    parts.push(h('div', { class: 'cnp-row-actions' },
      h('button', { type: 'button', class: 'cnp-btn', onClick: () => override('keepFooters', false) }, t('upload.skipFooters'))));
  }
  return parts.length ? h('div', { class: 'cnp-alert is-warning cnp-skipped', role: 'group', 'aria-label': t('upload.skipped') }, parts) : null;
}

// The sheet picker: each sheet of the workbook with its row count and first rows; an empty sheet cannot
// be chosen, a hidden one says so.
/**
 * @param {Ctx} ctx
 * @param {State} s
 * @param {(index: number) => void} pick  loads the sheet
 */
function sheetPicker(ctx, s, pick) {
  const { t } = ctx;
  const wb = s.sheetChoice;
  if (!wb) return null;
  const cards = wb.sheets.map((sheet, index) => {
    const rows = (sheet.firstRows || []).slice(0, 3);
    const width = Math.min(Math.max(0, ...rows.map((r) => r.length)), 6);
    const titleId = uniqueId('sheet');
    return h('li', { class: 'cnp-sheet', 'aria-labelledby': titleId },
      h('p', { id: titleId, class: 'cnp-sheet-name' }, sheet.name,
        h('span', { class: 'cnp-muted' }, ' · ' + (sheet.rows ? t('upload.sheetRows', { n: sheet.rows }) : t('upload.sheetEmpty'))),
        sheet.hidden ? h('span', { class: 'cnp-badge' }, t('upload.sheetHidden')) : null),
      rows.length ? h('div', { class: 'cnp-scroll-x' },
        h('table', { class: 'cnp-table cnp-table-compact' },
          h('caption', { class: 'cnp-visually-hidden' }, t('upload.sheetFirstRows', { name: sheet.name })),
          h('tbody', null, rows.map((r) => h('tr', null, Array.from({ length: width }, (_, i) => h('td', null, h('div', { class: 'cnp-cell' }, r[i] ?? '')))))))) : null,
      h('div', { class: 'cnp-row-actions' },
        h('button', { type: 'button', class: 'cnp-btn', disabled: !sheet.rows, onClick: () => pick(index) }, t('upload.useSheet', { name: sheet.name }))));
  });
  return h('section', { class: 'cnp-panel cnp-sheet-picker', 'aria-label': t('upload.sheetPicker') },
    h('h4', { class: 'cnp-panel-title' }, t('upload.sheetPicker')),
    h('p', { class: 'cnp-muted' }, t('upload.sheetPickerHint', { name: s.source?.name || '' })),
    h('ul', { class: 'cnp-sheet-list' }, cards));
}

// Detection unsure (the core says so): the file's first non-ASCII cells under each candidate encoding,
// side by side; one click reads the file again in the one that looks right. Until then the step does not
// go on (an importer that guesses a name wrongly and says nothing is worse than one that asks).
/**
 * @param {Ctx} ctx
 * @param {Loaded} sum
 * @param {Override} override
 */
function encodingChooser(ctx, sum, override) {
  const { t } = ctx;
  const choices = Array.isArray(sum.encodingChoices) ? sum.encodingChoices : [];
  if (!sum.encodingUnsure || choices.length < 1) return null;
  const titleId = uniqueId('enc-ask');
  return h('div', { class: 'cnp-alert is-warning cnp-encoding-choice', role: 'group', 'aria-labelledby': titleId },
    h('p', { id: titleId, class: 'cnp-alert-title' }, t('upload.encodingAsk')),
    h('p', null, t('upload.encodingUnsure')),
    h('div', { class: 'cnp-encoding-options' }, choices.map((c, i) => h('div', { class: 'cnp-encoding-option', 'data-encoding': c.encoding },
      h('p', { class: 'cnp-encoding-name' }, i === 0 ? t('upload.encodingCurrent', { name: c.encoding }) : c.encoding),
      h('ul', { class: 'cnp-encoding-examples', lang: c.language || undefined }, (c.examples || []).map((x) => h('li', null, x))),
      h('button', { type: 'button', class: i === 0 ? 'cnp-btn cnp-btn-primary' : 'cnp-btn', onClick: () => override('encoding', c.encoding) },
        t('upload.encodingUse', { name: c.encoding }))))),
    h('p', { class: 'cnp-muted' }, t('upload.encodingPickFirst')));
}

/** @param {Loaded} summary */
function parseIssueList(summary) {
  const list = Array.isArray(summary.issues) ? summary.issues : [];
  const count = Math.max(Number(summary.parseIssues) || 0, list.length);
  return { count, list };
}

/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'upload',

  render(ctx) {
    const { t, store } = ctx;
    const { headingId, heading } = stepHeading(t, 'upload');

    const fileInput = h('input', {
      type: 'file', class: 'cnp-visually-hidden', tabindex: '-1', 'aria-label': t('upload.fileLabel'),
      accept: '.csv,.tsv,.txt,.xlsx,.xls,.ods,text/csv,text/plain,text/tab-separated-values,' +
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet',
      onChange: () => { if (fileInput.files?.[0]) useFile(fileInput.files[0]); fileInput.value = ''; },
    });
    const chooseBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary', onClick: () => fileInput.click() }, t('upload.choose'));
    const drop = h('div', { class: 'cnp-drop' },
      h('p', { class: 'cnp-drop-title' }, t('upload.drop')),
      h('p', { class: 'cnp-muted' }, t('upload.or')),
      chooseBtn, fileInput,
      h('p', { class: 'cnp-drop-limits cnp-muted' }, t('upload.limits')),
      h('p', { class: 'cnp-drop-limits cnp-muted' }, t('upload.workbooks')));
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('is-over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('is-over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('is-over');
      const file = e.dataTransfer?.files?.[0];
      if (file) useFile(file);
    });

    const pasteId = uniqueId('paste');
    const paste = h('textarea', { id: pasteId, class: 'cnp-textarea', rows: '4', spellcheck: 'false', placeholder: 'email,first_name,last_name' });
    const pasteBtn = h('button', {
      type: 'button', class: 'cnp-btn',
      onClick: () => { if (paste.value.trim()) loadSource(ctx, { name: t('upload.pasted'), text: paste.value }, { encoding: '', delimiter: '', headerLine: 0, keepFooters: false }); },
    }, t('upload.usePaste'));
    const pasteBox = h('div', { class: 'cnp-paste' },
      h('label', { for: pasteId, class: 'cnp-label' }, t('upload.paste')), paste,
      h('div', { class: 'cnp-row-actions' }, pasteBtn));

    const status = h('p', { class: 'cnp-status', role: 'status', 'aria-live': 'polite' });
    const noticeSlot = h('div');
    /** @param {State} s */
    const renderNotice = (s) => replace(noticeSlot, interruptedNotice(ctx, { match: s.resumes }));
    const errorBox = h('div', { class: 'cnp-error-slot' });
    const summaryBox = h('div', { class: 'cnp-summary-slot' });

    /** @param {File} file */
    async function useFile(file) {
      status.textContent = t('upload.reading', { name: file.name });
      await loadSource(ctx, { name: file.name, file }, { encoding: '', delimiter: '', headerLine: 0, keepFooters: false });
    }

    /** @type {Override} */
    function override(key, value) {
      const s = store.get();
      if (!s.source) return;
      loadSource(ctx, s.source, { ...s.overrides, [key]: value });
    }

    /** @param {number} index  -1: choose again */
    function pickSheet(index) {
      const s = store.get();
      if (!s.source) return;
      loadSource(ctx, s.source, { ...s.overrides, sheet: index, headerLine: 0, keepFooters: false });
    }

    /** @param {State} s */
    function overrides(s) {
      const isText = s.source?.text !== undefined;
      const isSheet = !!s.summary?.sheet;
      const encSelId = uniqueId('enc');
      const delSelId = uniqueId('del');
      const headId = uniqueId('head');
      const encSel = h('select', { id: encSelId, class: 'cnp-select', disabled: isText, onChange: () => override('encoding', encSel.value) },
        h('option', { value: '' }, t('upload.auto')),
        // The standard's name; its labels (latin1, cp932, …) as the option's title.
        (s.info?.encodings || []).map((e) => h('option', { value: e.name, title: e.labels.join(', '), selected: s.overrides.encoding === e.name }, e.name)));
      const delSel = h('select', { id: delSelId, class: 'cnp-select', onChange: () => override('delimiter', /** @type {Overrides['delimiter']} */ (delSel.value)) },
        h('option', { value: '' }, t('upload.auto')),
        (s.info?.delimiters || ['comma', 'semicolon', 'tab']).map((d) => h('option', { value: d, selected: s.overrides.delimiter === d }, t(`delimiter.${d}`))));

      // The header row: empty = found by the core; a line number makes that line the header.
      const headInput = h('input', {
        id: headId, class: 'cnp-input', type: 'number', min: '1', step: '1', inputmode: 'numeric',
        placeholder: t('upload.auto'), value: s.overrides.headerLine ? String(s.overrides.headerLine) : '',
        onChange: () => {
          const n = Math.floor(Number(headInput.value));
          override('headerLine', Number.isFinite(n) && n >= 1 ? n : 0);
        },
      });
      // A workbook's sheet has no encoding or delimiter to choose: its cells are read as they are.
      return h('div', { class: 'cnp-overrides' },
        isSheet ? null : h('div', { class: 'cnp-field' }, h('label', { for: encSelId, class: 'cnp-label' }, t('upload.overrideEncoding')), encSel),
        isSheet ? null : h('div', { class: 'cnp-field' }, h('label', { for: delSelId, class: 'cnp-label' }, t('upload.overrideDelimiter')), delSel),
        h('div', { class: 'cnp-field' }, h('label', { for: headId, class: 'cnp-label' }, t('upload.overrideHeaderLine')), headInput),
        h('p', { class: 'cnp-muted cnp-overrides-hint' }, t('upload.overrideHint')));
    }

    /** @param {State} s */
    function renderSummary(s) {
      status.textContent = s.loading ? t('upload.reading', { name: s.source?.name || '' }) : '';
      replace(errorBox, s.loadError
        ? h('div', { class: 'cnp-alert is-error', role: 'alert' },
          h('p', { class: 'cnp-alert-title' }, t('upload.errorTitle')),
          h('p', null, s.loadError.message))
        : null);
      if (!s.summary && s.sheetChoice) {
        replace(summaryBox, sheetPicker(ctx, s, pickSheet));
        return;
      }
      if (!s.summary) {
        // A wrong override can make the file unreadable: keep the overrides so another can be picked.
        replace(summaryBox, s.source && s.loadError && (s.overrides.encoding || s.overrides.delimiter || s.overrides.headerLine)
          ? h('section', { class: 'cnp-panel', 'aria-label': t('upload.overrides') }, overrides(s)) : null);
        return;
      }
      const sum = s.summary;
      const issues = parseIssueList(sum);

      const method = sum.encodingMethod ? t(`upload.method.${sum.encodingMethod}`) : '';
      /**
       * @param {string} label
       * @param {...import('../dom.js').Child} value
       */
      const item = (label, ...value) => h('div', { class: 'cnp-dl-item' }, h('dt', null, label), h('dd', null, ...value));
      // A workbook's sheet: "Sheet 'Employees' of people.xlsx", and no encoding or delimiter (there is none).
      const wb = sum.sheet ? sum.workbook : null;
      const withCells = wb ? wb.sheets.filter((x) => x.rows > 0).length : 0;
      const dl = h('dl', { class: 'cnp-dl' },
        item(t('upload.file'), wb ? t('upload.sheetOf', { sheet: sum.sheet, file: s.source?.name || '' }) : (s.source?.name || '')),
        wb ? item(t('upload.format'), t(`upload.format.${wb.format}`)) : null,
        item(t('upload.rows'), ctx.fmt(sum.rows)),
        item(t('upload.columns'), ctx.fmt(sum.columns)),
        item(t('upload.headerLine'), t('upload.headerLineValue', { line: ctx.fmt(sum.headerLine || 1) })),
        wb ? null : item(t('upload.delimiter'), t(`delimiter.${sum.delimiter}`),
          h('span', { class: 'cnp-muted' }, ' · ' + t('upload.confidence', { pct: pct(sum.delimiterConfidence) }))),
        wb ? null : item(t('upload.encoding'), sum.encoding,
          h('span', { class: 'cnp-muted' }, ' · ' + [t('upload.confidence', { pct: pct(sum.encodingConfidence) }), method].filter(Boolean).join(', '))),
        item(t('upload.comments'), ctx.fmt(sum.commentLines)),
        sum.blankLines ? item(t('upload.blank'), ctx.fmt(sum.blankLines)) : null,
        issues.count ? item(t('upload.parseIssues'), ctx.fmt(issues.count)) : null);

      const headers = sum.headers || [];
      const tableWrapId = uniqueId('first');
      const table = h('table', { class: 'cnp-table cnp-table-compact' },
        h('caption', { class: 'cnp-visually-hidden' }, t('upload.firstRows')),
        h('thead', null, h('tr', null, headers.map((hd) => h('th', { scope: 'col' }, hd)))),
        h('tbody', null, (sum.preview || []).map((r) => h('tr', null, headers.map((_, i) => h('td', null, h('div', { class: 'cnp-cell' }, r[i] ?? '')))))));

      // What the core says about the file as a whole: a failed-rows.csv coming back, and which
      // columns it left out (passwords), so they are added back before importing.
      const notes = Array.isArray(sum.notes) ? sum.notes : [];
      replace(summaryBox, h('section', { class: 'cnp-panel', 'aria-label': t('upload.summary') },
        h('h4', { class: 'cnp-panel-title' }, t('upload.summary')),
        notes.length ? h('div', { class: 'cnp-alert is-warning cnp-file-notes' },
          notes.map((n) => h('p', null, ctx.i18n.issue(n)))) : null,
        encodingChooser(ctx, sum, override),
        dl,
        wb && (withCells > 1 || wb.sheets.length > 1) ? h('div', { class: 'cnp-row-actions' },
          h('button', { type: 'button', class: 'cnp-btn', onClick: () => pickSheet(-1) }, t('upload.otherSheet'))) : null,
        skippedPanel(ctx, s, override),
        issues.count ? h('div', { class: 'cnp-alert is-warning' },
          h('p', null, t('upload.issuesHint')),
          issues.list.length ? h('ul', { class: 'cnp-issue-list' },
            issues.list.slice(0, SHOWN_ISSUES).map((i) => h('li', null, i.line ? t('upload.issueLine', { line: i.line, message: ctx.i18n.issue(i) }) : ctx.i18n.issue(i))),
            issues.count > Math.min(issues.list.length, SHOWN_ISSUES)
              ? h('li', { class: 'cnp-muted' }, t('upload.issuesMore', { n: issues.count - Math.min(issues.list.length, SHOWN_ISSUES) })) : null) : null) : null,
        overrides(s),
        h('h4', { id: tableWrapId, class: 'cnp-panel-title' }, t('upload.firstRows')),
        h('div', { class: 'cnp-scroll-x', tabindex: '0', role: 'region', 'aria-labelledby': tableWrapId }, table)));
    }

    const inputs = h('div', { class: 'cnp-upload-inputs' }, drop, pasteBox);
    const el = h('section', { class: 'cnp-step cnp-step-upload', 'aria-labelledby': headingId },
      heading,
      noticeSlot,
      inputs,
      status, errorBox, summaryBox);

    /** @type {State | null} */
    let last = null;
    /** @param {State} s */
    const update = (s) => {
      if (!last || last.resumes !== s.resumes) renderNotice(s);
      if (last && last.summary === s.summary && last.loadError === s.loadError && last.loading === s.loading && last.sheetChoice === s.sheetChoice) { last = s; return; }
      last = s;
      // Keep focus on an override control when the file is read again.
      const controls = () => [.../** @type {NodeListOf<HTMLElement>} */ (summaryBox.querySelectorAll('select, input'))];
      const fi = controls().indexOf(/** @type {HTMLElement} */ (document.activeElement));
      renderSummary(s);
      // Once a file is read, the inputs shrink so the summary is in view; they still replace the file.
      inputs.classList.toggle('is-compact', !!s.summary || !!s.sheetChoice);
      if (fi >= 0) controls()[fi]?.focus();
    };
    update(store.get());
    return { el, heading, update };
  },

  nav(state) {
    // An unsure encoding is chosen by the user first (the chooser above).
    const unsure = !!state.summary?.encodingUnsure && !state.overrides?.encoding;
    return { back: true, next: { disabled: !state.summary || state.loading || unsure } };
  },

  async next(ctx) {
    const { store } = ctx;
    const s = store.get();
    if (s.mappingFor !== s.loadVersion || !s.mapping) {
      const mapping = await ctx.core.setMode(/** @type {import('../../../dist/index.mjs').ModeId} */ (s.mode));  // chosen on step 1
      store.set({ mapping, mappingFor: s.loadVersion, mappingVersion: s.mappingVersion + 1, mappingNote: '', rememberedHandled: false });
    }
    return true;
  },
};
