// Step 4: validation results. The rows stay in the core; the table is virtualised and asks core.rows()
// for pages of what is on screen (and the pages ahead of it), so 10,000 rows never become 10,000 DOM
// nodes. Column widths are fixed once, from the header and the first page of values (table-layout:
// fixed), so drawing rows while scrolling never lays the table out again; the select, line, status and
// email columns are sticky on the left.
import { checkDirectory } from '../../../dist/check-directory.mjs';
import { h, replace, uniqueId, stepHeading } from '../dom.js';

const PAGE = 100;     // rows per core.rows() call
const OVERSCAN = 6;   // rows rendered above and below the visible window
const AHEAD = 2;      // pages fetched beyond the visible window, in both directions
const DEFAULT_ROW_H = 44;
const STICKY_FIELD = 'email';  // stays in view beside line and status when scrolling sideways

/**
 * @typedef {import('../wizard.js').State} State
 * @typedef {import('../../../dist/index.mjs').PreviewRow} PreviewRow
 * @typedef {import('../../../dist/index.mjs').FieldName} FieldName
 * @typedef {import('../../../dist/index.mjs').Stats} Stats
 * @typedef {'all' | 'errors' | 'warnings'} Filter
 */

// A data column's width in ch: wide enough for its header and for nearly all of its first values
// (the longest 10% are cut with an ellipsis; the detail panel shows them in full).
/**
 * @param {string} label
 * @param {string[]} values
 */
function widthCh(label, values) {
  const lens = values.map((v) => [...v].length).sort((a, b) => a - b);
  const p90 = lens.length ? lens[Math.min(lens.length - 1, Math.floor(lens.length * 0.9))] : 0;
  return Math.min(56, Math.max(8, [...label].length, p90)) + 4;  // + the cell's padding
}


// The fields the core says some column gives (mapped, or a part of a split full name), in mode order.
/** @param {State} state */
function mappedFields(state) {
  return state.mapping?.given || [];
}

/** @param {State} s */
function validationKey(s) {
  return `${s.mappingVersion}:${s.lookupsVersion}`;
}

/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'preview',

  render(ctx) {
    const { t, store } = ctx;
    const initial = store.get();
    const fields = mappedFields(initial);
    // The email column right after Status, so it can stay in view with it; the other fields after Issues.
    const stickyFields = fields.filter((f) => f === STICKY_FIELD);
    const restFields = fields.filter((f) => f !== STICKY_FIELD);
    const colCount = 4 + fields.length;
    const { headingId, heading } = stepHeading(t, 'preview');

    /** @type {Filter} */
    let filter = 'all';
    let gen = 0;              // bumps whenever cached rows may be stale
    /** @type {Map<number, PreviewRow[]>} */
    let cache = new Map();    // page number -> rows
    /** @type {Set<number>} */
    let pending = new Set();
    let total = 0;
    let rowH = DEFAULT_ROW_H;
    /** @typedef {{ tr: HTMLTableRowElement, row: PreviewRow | undefined }} Drawn  a row drawn (undefined: still loading) */
    /** @type {Map<number, Drawn>} */
    let rendered = new Map(); // position in the filtered list -> {tr, row}
    let frame = 0;
    let validatingKey = '';
    let destroyed = false;

    const banner = h('div', { class: 'cnp-lookup-slot' });
    const directoryBanner = h('div', { class: 'cnp-directory-slot' });
    /** @type {AbortController | null} */
    let directoryRun = null;  // AbortController of the directory check under way
    const errorSlot = h('div');
    const statsSlot = h('div', { class: 'cnp-stats-slot' });
    const status = h('p', { class: 'cnp-status', role: 'status', 'aria-live': 'polite' });

    // Filters: a group of toggle buttons.
    const filterBtns = /** @type {Record<Filter, HTMLButtonElement>} */ ({});  // filled just below
    const filterGroup = h('div', { class: 'cnp-segmented', role: 'group', 'aria-label': t('preview.filter') },
      /** @type {Filter[]} */ (['all', 'errors', 'warnings']).map((f) => {
        filterBtns[f] = h('button', { type: 'button', class: 'cnp-seg', 'aria-pressed': String(f === filter), onClick: () => setFilter(f) }, t(`preview.filter.${f}`, { n: '…' }));
        return filterBtns[f];
      }));
    const selectAllBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => selectAll(true) }, t('preview.selectAll'));
    const selectNoneBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => selectAll(false) }, t('preview.selectNone'));
    const toolbar = h('div', { class: 'cnp-toolbar cnp-preview-toolbar' },
      h('span', { class: 'cnp-label cnp-inline-label', 'aria-hidden': 'true' }, t('preview.filter')), filterGroup,
      h('span', { class: 'cnp-spacer' }), selectAllBtn, selectNoneBtn);

    // The virtualised table.
    const captionId = uniqueId('preview-caption');
    /** @param {FieldName} f */
    const stickyClass = (f) => (f === STICKY_FIELD ? 'cnp-col-sticky-field' : null);
    const thead = h('thead', null, h('tr', { 'aria-rowindex': '1' },
      h('th', { scope: 'col', class: 'cnp-col-check' }, t('preview.col.select')),
      h('th', { scope: 'col', class: 'cnp-col-line' }, t('preview.col.line')),
      h('th', { scope: 'col', class: 'cnp-col-status' }, t('preview.col.status')),
      stickyFields.map((f) => h('th', { scope: 'col', class: stickyClass(f) }, ctx.i18n.fieldLabel(f))),
      // Issues before the other cells, so what is wrong is visible without scrolling sideways.
      h('th', { scope: 'col', class: 'cnp-col-issues' }, t('preview.col.issues')),
      restFields.map((f) => h('th', { scope: 'col' }, ctx.i18n.fieldLabel(f)))));
    // Widths: fixed for the first columns (CSS), from the data for the fields, set once from the first
    // page of rows. Until then the field columns share what is left.
    const fieldCols = new Map(fields.map((f) => [f, h('col', { class: stickyClass(f) })]));
    const colgroup = h('colgroup', null,
      h('col', { class: 'cnp-col-check' }), h('col', { class: 'cnp-col-line' }), h('col', { class: 'cnp-col-status' }),
      stickyFields.map((f) => fieldCols.get(f)),
      h('col', { class: 'cnp-col-issues' }),
      restFields.map((f) => fieldCols.get(f)));
    let widthsSet = false;
    /** @param {PreviewRow[]} rows  the first page */
    function setWidths(rows) {
      if (widthsSet || !rows.length) return;
      widthsSet = true;
      let sum = 0;
      for (const f of fields) {
        const ch = widthCh(ctx.i18n.fieldLabel(f), rows.map((r) => r.cells?.find((c) => c.field === f)?.value ?? ''));
        /** @type {HTMLTableColElement} */ (fieldCols.get(f)).style.width = `${ch}ch`;  // every field has its col
        sum += ch;
      }
      // The other four columns' widths are CSS custom properties; the table is as wide as its columns
      // (at least as wide as the scroller).
      table.style.width = `calc(var(--cnp-vt-fixed) + ${sum}ch)`;
    }
    const topSpacer = h('tr', { class: 'cnp-spacer-row', 'aria-hidden': 'true' }, h('td', { colspan: String(colCount) }));
    const bottomSpacer = h('tr', { class: 'cnp-spacer-row', 'aria-hidden': 'true' }, h('td', { colspan: String(colCount) }));
    const tbody = h('tbody', null, topSpacer, bottomSpacer);
    const table = h('table', { class: 'cnp-table cnp-vtable', 'aria-rowcount': '1' },
      h('caption', { id: captionId, class: 'cnp-visually-hidden' }, t('preview.table')), colgroup, thead, tbody);
    const empty = h('p', { class: 'cnp-empty', hidden: true }, t('preview.noRows'));
    const scroller = h('div', { class: 'cnp-vscroll', tabindex: '0', role: 'region', 'aria-labelledby': captionId }, table, empty);
    scroller.addEventListener('scroll', () => schedule(), { passive: true });
    tbody.addEventListener('keydown', onGridKey);
    const resizeObs = new ResizeObserver(() => schedule());
    resizeObs.observe(scroller);

    const detail = h('div', { class: 'cnp-detail-slot' });

    const el = h('section', { class: 'cnp-step cnp-step-preview', 'aria-labelledby': headingId },
      heading, banner, directoryBanner, errorSlot, statsSlot, status, toolbar, scroller, detail);

    /** @param {unknown} err */
    function showError(err) {
      replace(errorSlot, h('div', { class: 'cnp-alert is-error', role: 'alert' }, h('p', null, ctx.i18n.error(err))));
    }

    /** @param {State} s */
    function renderBanner(s) {
      const account = ctx.options.surface === 'tenant';
      if (s.lookups.state === 'loading') {
        replace(banner, h('div', { class: 'cnp-alert is-info', role: 'status' },
          h('span', { class: 'cnp-spinner', 'aria-hidden': 'true' }),
          t(account ? 'preview.lookups.loadingAccount' : 'preview.lookups.loading')));
      } else if (s.lookups.state === 'failed') {
        replace(banner, h('div', { class: 'cnp-alert is-error cnp-alert-row', role: 'alert' },
          h('p', null, t('preview.lookups.failed', { reason: s.lookups.reason || '?' })),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => ctx.retryLookups() }, t('preview.lookups.retry'))));
      } else {
        replace(banner);
      }
    }

    // The directory check: which emails already have an identity or a pending invite in the scope. It runs
    // after each validation while the user looks at the rows; a failure blocks nothing (the server still
    // decides) and offers Retry.
    /** @param {State} s */
    function renderDirectory(s) {
      const d = s.directory;
      if (!d || d.state === 'not_checked') { replace(directoryBanner); return; }
      if (d.state === 'checking') {
        replace(directoryBanner, h('div', { class: 'cnp-alert is-info', role: 'status' },
          h('span', { class: 'cnp-spinner', 'aria-hidden': 'true' }),
          t('preview.directory.checking', { checked: ctx.fmt(d.checked), emails: ctx.fmt(d.emails) })));
      } else if (d.state === 'failed') {
        replace(directoryBanner, h('div', { class: 'cnp-alert is-warning cnp-alert-row', role: 'alert' },
          h('p', null, t('preview.directory.failed', { reason: d.reasonCode ? ctx.i18n.message(d.reasonCode, d.reasonArgs, d.reason) : d.reason || '?' })),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => startDirectoryCheck() }, t('preview.directory.retry'))));
      } else if (d.found > 0) {
        replace(directoryBanner, h('div', { class: 'cnp-alert is-info', role: 'status' }, t('preview.directory.found', { n: d.found })));
      } else {
        replace(directoryBanner);
      }
    }

    async function startDirectoryCheck() {
      directoryRun?.abort();
      const run = new AbortController();
      directoryRun = run;
      const { options } = ctx;
      let found = store.get().directory?.found ?? 0;
      /** @type {NonNullable<import('../../../dist/index.mjs').DirectoryCheckOptions['onProgress']>} */
      const onProgress = ({ stats, directory }) => {
        if (run.signal.aborted || destroyed) return;
        store.set({ stats, directory });
        // Rows found became errors: draw the rows again where the user is.
        if (directory.found !== found) { found = directory.found; resetTable({ keepScroll: true }); }
      };
      try {
        store.set({ directory: await ctx.core.directoryStatus() });
        await checkDirectory(ctx.core, {
          apiBaseUrl: options.apiBaseUrl,
          authHeader: options.authHeader,
          scope: { accountId: options.accountId, environmentId: options.environmentId },
          signal: run.signal,
          onProgress,
        });
        if (!run.signal.aborted && !destroyed) store.set({ directory: await ctx.core.directoryStatus() });
      } catch (err) {
        if (!run.signal.aborted && !destroyed) showError(err);
      }
    }

    /** @param {State} s */
    function renderStats(s) {
      const st = s.stats;
      if (!st) { replace(statsSlot); return; }
      /**
       * @param {string} cls
       * @param {string} label
       * @param {string} value
       */
      const tile = (cls, label, value) => h('div', { class: `cnp-stat ${cls}` }, h('dt', null, label), h('dd', null, value));
      replace(statsSlot, h('dl', { class: 'cnp-stats', 'aria-label': t('preview.stats') },
        tile('', t('preview.stat.total'), ctx.fmt(st.total)),
        tile('is-success', t('preview.stat.valid'), ctx.fmt(st.valid)),
        tile('is-warning', t('preview.stat.warnings'), ctx.fmt(st.warnings)),
        tile('is-error', t('preview.stat.errors'), ctx.fmt(st.errors)),
        tile('is-info', t('preview.stat.selected'), `${ctx.fmt(st.selected)} / ${ctx.fmt(st.selectable)}`),
        st.blockedByLookups ? tile('is-warning', t('preview.stat.blocked'), ctx.fmt(st.blockedByLookups)) : null));
      filterBtns.all.textContent = t('preview.filter.all', { n: ctx.fmt(st.total) });
      filterBtns.errors.textContent = t('preview.filter.errors', { n: ctx.fmt(st.errors) });
      filterBtns.warnings.textContent = t('preview.filter.warnings', { n: ctx.fmt(st.warnings) });
    }

    /** @param {Stats | null} st */
    function estimateTotal(st) {
      if (!st) return 0;
      return filter === 'errors' ? st.errors : filter === 'warnings' ? st.warnings : st.total;
    }

    function resetTable({ keepScroll = false } = {}) {
      gen += 1;
      cache = new Map();
      pending = new Set();
      for (const { tr } of rendered.values()) tr.remove();
      rendered = new Map();
      total = estimateTotal(store.get().stats);
      if (!keepScroll) scroller.scrollTop = 0;
      renderWindow();
    }

    /** @param {Filter} f */
    function setFilter(f) {
      if (f === filter) return;
      filter = f;
      for (const [k, b] of Object.entries(filterBtns)) b.setAttribute('aria-pressed', String(k === f));
      closeDetail();
      resetTable();
    }

    /** @param {boolean} on */
    async function selectAll(on) {
      try {
        const stats = await ctx.core.selectAll(on);
        store.set({ stats });
        resetTable({ keepScroll: true });
      } catch (err) { showError(err); }
    }

    /**
     * @param {PreviewRow} row
     * @param {HTMLInputElement} cb  its checkbox
     */
    async function toggle(row, cb) {
      const want = cb.checked;
      try {
        const stats = await ctx.core.select(row.index, want);
        row.selected = want;
        store.set({ stats });
      } catch (err) {
        cb.checked = !want;
        showError(err);
      }
    }

    /** @param {number} p */
    function ensurePage(p) {
      if (cache.has(p) || pending.has(p)) return;
      pending.add(p);
      const g = gen;
      ctx.core.rows({ offset: p * PAGE, limit: PAGE, filter }).then((res) => {
        if (g !== gen || destroyed) return;
        pending.delete(p);
        cache.set(p, res.rows);
        setWidths(res.rows);
        if (res.total !== total) total = res.total;
        schedule();
      }, (err) => {
        if (g !== gen || destroyed) return;
        pending.delete(p);
        showError(err);
      });
    }

    /** @param {number} pos */
    function rowAt(pos) {
      const page = cache.get(Math.floor(pos / PAGE));
      return page ? page[pos % PAGE] : undefined;
    }

    /**
     * @param {number} pos
     * @param {PreviewRow | undefined} row  undefined: its page is on its way
     */
    function buildRow(pos, row) {
      if (!row) {
        return h('tr', { class: 'cnp-vrow is-loading', 'aria-rowindex': String(pos + 2), 'data-pos': String(pos) },
          h('td', { colspan: String(colCount) }, h('span', { class: 'cnp-muted' }, t('preview.loadingRow'))));
      }
      const cb = h('input', {
        type: 'checkbox', class: 'cnp-check', checked: !!row.selected, disabled: !row.selectable,
        'aria-label': t('preview.selectRow', { line: row.line }),
      });
      cb.addEventListener('change', () => toggle(row, cb));
      const byField = new Map((row.cells || []).map((c) => [c.field, c.value]));
      // An id the lookups name: "Admin · 5b0f7a53…" (the whole id in the detail panel and the tooltip).
      const named = new Map((row.cells || []).filter((c) => c.name).map((c) => [c.field, `${c.name} · ${[...c.value].length > 8 ? `${[...c.value].slice(0, 8).join('')}…` : c.value}`]));
      /** @type {Map<string, 'error' | 'warning'>} */
      const issueFields = new Map();
      for (const i of row.issues || []) {
        if (i.field && (issueFields.get(i.field) !== 'error')) issueFields.set(i.field, i.severity);
      }
      const issues = row.issues || [];
      const issueCell = issues.length
        ? h('button', { type: 'button', class: 'cnp-issue-btn', onClick: () => showDetail(row) },
          h('span', { class: 'cnp-visually-hidden' }, `${t('preview.showIssues', { line: row.line })}: `),
          h('span', { class: 'cnp-issue-text' }, ctx.i18n.issue(issues[0])),
          issues.length > 1 ? h('span', { class: 'cnp-issue-more' }, t('preview.moreIssues', { n: issues.length - 1 })) : null)
        : h('span', { class: 'cnp-muted' }, t('preview.noIssues'));
      /** @param {FieldName} f */
      const cell = (f) => h('td', { class: [stickyClass(f), issueFields.has(f) && `has-${issueFields.get(f)}`] },
        h('div', { class: 'cnp-cell', title: named.has(f) ? byField.get(f) : null }, named.get(f) ?? byField.get(f) ?? ''));
      return h('tr', { class: `cnp-vrow is-${row.status}`, 'aria-rowindex': String(pos + 2), 'data-pos': String(pos) },
        h('td', { class: 'cnp-col-check' }, cb),
        h('td', { class: 'cnp-col-line' }, String(row.line)),
        h('td', { class: 'cnp-col-status' }, h('span', { class: `cnp-badge is-${row.status === 'valid' ? 'success' : row.status}` }, t(`preview.status.${row.status}`))),
        stickyFields.map(cell),
        h('td', { class: 'cnp-col-issues' }, issueCell),
        restFields.map(cell));
    }

    function schedule() {
      if (frame || destroyed) return;
      frame = requestAnimationFrame(() => { frame = 0; renderWindow(); });
    }

    function renderWindow() {
      if (destroyed) return;
      const st = store.get().stats;
      table.setAttribute('aria-rowcount', String(total + 1));
      empty.hidden = !(st && total === 0 && !pending.size);
      const headH = thead.offsetHeight;
      const viewH = scroller.clientHeight || 400;
      const top = Math.max(0, scroller.scrollTop - headH);
      const first = Math.max(0, Math.floor(top / rowH) - OVERSCAN);
      const last = Math.min(total, Math.ceil((top + viewH) / rowH) + OVERSCAN);
      // The pages in view first, then the ones ahead, so fast scrolling finds its rows already here.
      if (st) {
        const p0 = Math.floor(first / PAGE);
        const p1 = Math.floor(Math.max(first, last - 1) / PAGE);
        for (let p = p0; p <= p1 && p * PAGE < total; p++) ensurePage(p);
        for (let d = 1; d <= AHEAD; d++) {
          if ((p1 + d) * PAGE < total) ensurePage(p1 + d);
          if (p0 - d >= 0) ensurePage(p0 - d);
        }
      }

      topSpacer.style.height = `${first * rowH}px`;
      bottomSpacer.style.height = `${Math.max(0, total - last) * rowH}px`;
      topSpacer.hidden = first === 0;
      bottomSpacer.hidden = last >= total;

      const next = new Map();
      let anchor = topSpacer;
      for (let pos = first; pos < last && st; pos++) {
        const row = rowAt(pos);
        let entry = rendered.get(pos);
        if (!entry || entry.row !== row) {
          const tr = buildRow(pos, row);
          if (entry) entry.tr.replaceWith(tr);
          entry = { tr, row };
        }
        if (anchor.nextSibling !== entry.tr) anchor.after(entry.tr);
        anchor = entry.tr;
        next.set(pos, entry);
      }
      for (const [pos, entry] of rendered) if (!next.has(pos)) entry.tr.remove();
      rendered = next;
      // Measure the real row height once so the spacers match what CSS drew.
      if (rowH === DEFAULT_ROW_H) {
        const sample = [...rendered.values()].find((e) => e.row)?.tr;
        const measured = sample?.getBoundingClientRect().height;
        if (measured && Math.abs(measured - rowH) > 0.5) { rowH = measured; schedule(); }
      }
    }

    // Arrow keys move between rows' checkboxes / issue buttons, scrolling rows in as needed.
    /** @param {KeyboardEvent} e */
    function onGridKey(e) {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const origin = /** @type {HTMLElement} */ (e.target);  // a row's checkbox or issue button
      const tr = /** @type {HTMLTableRowElement | null} */ (origin.closest('tr[data-pos]'));
      if (!tr) return;
      e.preventDefault();
      const kind = origin.classList.contains('cnp-issue-btn') ? '.cnp-issue-btn' : '.cnp-check';
      const pos = Number(tr.dataset.pos) + (e.key === 'ArrowDown' ? 1 : -1);
      if (pos < 0 || pos >= total) return;
      const headH = thead.offsetHeight;
      const rowTop = headH + pos * rowH;
      if (rowTop < scroller.scrollTop + headH) scroller.scrollTop = rowTop - headH;
      else if (rowTop + rowH > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = rowTop + rowH - scroller.clientHeight;
      renderWindow();
      const target = rendered.get(pos)?.tr;
      /** @type {HTMLElement | null | undefined} */
      const focusEl = target?.querySelector(`${kind}:not([disabled])`) || target?.querySelector('input:not([disabled]), button');
      (focusEl || scroller).focus();
    }

    /** @type {HTMLElement | null} */
    let detailReturn = null;
    function closeDetail() {
      replace(detail);
      if (detailReturn && document.contains(detailReturn)) detailReturn.focus();
      detailReturn = null;
    }
    /** @param {PreviewRow} row */
    function showDetail(row) {
      detailReturn = /** @type {HTMLElement | null} */ (document.activeElement);
      const s = store.get();
      const titleId = uniqueId('detail');
      const title = h('h4', { id: titleId, class: 'cnp-panel-title', tabindex: '-1' }, t('preview.detailTitle', { line: row.line }));
      replace(detail, h('section', { class: 'cnp-panel cnp-detail', 'aria-labelledby': titleId },
        h('div', { class: 'cnp-panel-head' }, title,
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: closeDetail }, t('preview.detailClose'))),
        h('ul', { class: 'cnp-issue-list' }, (row.issues || []).map((i) => h('li', { class: `is-${i.severity}` },
          h('span', { class: `cnp-badge is-${i.severity}` }, t(`preview.status.${i.severity}`)),
          i.field ? h('code', { class: 'cnp-issue-field' }, ctx.i18n.fieldLabel(i.field)) : null,
          h('span', null, ctx.i18n.issue(i)))))));
      title.focus();
    }

    async function ensureValidated() {
      const s = store.get();
      if (s.lookups.state === 'loading') {
        if (!s.stats) status.textContent = '';
        return;
      }
      const key = validationKey(s);
      if (s.validatedKey === key && s.stats) return;
      if (validatingKey === key) return;
      validatingKey = key;
      store.set({ validating: true });
      status.textContent = t('preview.validating', { n: s.summary?.rows || 0 });
      try {
        await ctx.core.setLookups(ctx.lookupsPayload());
        const stats = await ctx.core.validate();
        if (destroyed) { store.set({ stats, validatedKey: key, validating: false }); return; }
        store.set({ stats, validatedKey: key, validating: false });
        status.textContent = '';
        resetTable();
        startDirectoryCheck();
      } catch (err) {
        store.set({ validating: false });
        status.textContent = '';
        showError(err);
      } finally {
        validatingKey = '';
      }
    }

    /** @type {Partial<State>} */
    let last = {};
    /** @param {State} s */
    const update = (s) => {
      if (s.lookups !== last.lookups) renderBanner(s);
      if (s.directory !== last.directory) renderDirectory(s);
      if (s.stats !== last.stats) renderStats(s);
      last = s;
      ensureValidated();
    };
    update(store.get());
    if (store.get().stats && store.get().validatedKey === validationKey(store.get())) resetTable();

    return {
      el, heading, update, showError,
      destroy() {
        destroyed = true;
        directoryRun?.abort();
        resizeObs.disconnect();
        if (frame) cancelAnimationFrame(frame);
      },
    };
  },

  nav(state, ctx) {
    const st = state.stats;
    const ready = st && !state.validating && state.lookups.state !== 'loading' && state.validatedKey === validationKey(state);
    const n = st?.selected || 0;
    return {
      back: true,
      next: { label: ctx.t('preview.next', { n }), disabled: !ready || n === 0 },
      hint: ready && n === 0 ? ctx.t('preview.noneSelected') : '',
    };
  },

  async next(ctx) {
    const { options, store } = ctx;
    const plan = await ctx.core.planSubmit({ accountId: options.accountId, environmentId: options.environmentId });
    store.set({ plan });
    ctx.runner.start();
    return true;
  },
};
