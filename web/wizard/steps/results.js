// Step 6: per-row outcomes (paged from core.results), Retry unconfirmed, and the two CSV downloads.
import { h, replace, uniqueId, downloadText, stepHeading } from '../dom.js';

/**
 * @typedef {import('../../../dist/index.mjs').ImportSession} ImportSession
 * @typedef {import('../../../dist/index.mjs').Results} Results
 * @typedef {import('../../../dist/index.mjs').ResultRow} ResultRow
 * @typedef {import('../../../dist/index.mjs').Outcome} Outcome
 * @typedef {NonNullable<NonNullable<Parameters<ImportSession['results']>[0]>['filter']>} Filter  an outcome, 'all' or problem:<code>
 */

const PAGE = 50;
/** @type {Outcome[]} */
const OUTCOMES = ['created', 'invited', 'replayed', 'failed', 'unconfirmed', 'cancelled', 'deselected'];
/** @type {Record<string, string>} */
const TONE = { created: 'success', invited: 'success', replayed: 'info', failed: 'error', unconfirmed: 'warning', cancelled: 'neutral', deselected: 'neutral' };

// The clipboard, or a hidden textarea and execCommand where the async API is missing or refused.
/** @param {string} text */
async function copyText(text) {
  if (navigator.clipboard?.writeText) {
    try { await navigator.clipboard.writeText(text); return; } catch { /* fall back below */ }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'cnp-visually-hidden';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');  // worded by the caller (results.copyFailed)
}

/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'results',

  render(ctx) {
    const { t, store } = ctx;
    const { headingId, heading } = stepHeading(t, 'results');
    const countsSlot = h('div');
    const actionsSlot = h('div');
    const errorSlot = h('div');
    const captionId = uniqueId('results-caption');
    const tbody = h('tbody', { role: 'rowgroup' });
    const pageText = h('p', { class: 'cnp-muted', 'aria-live': 'polite' });
    const prevBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => load(offset - PAGE) }, t('results.prev'));
    const nextBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => load(offset + PAGE) }, t('results.nextPage'));
    const firstBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => load(0) }, t('results.firstPage'));
    const lastBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => load(Math.floor(Math.max(0, total - 1) / PAGE) * PAGE) }, t('results.lastPage'));
    // 10,000 rows are 200 pages: a page number to go to, besides first/previous/next/last.
    const pageInputId = uniqueId('results-page');
    const pageInput = h('input', {
      id: pageInputId, type: 'number', min: '1', class: 'cnp-input cnp-page-input', inputmode: 'numeric',
      onChange: () => {
        const n = Math.min(Math.max(1, Math.round(Number(pageInput.value) || 1)), Math.max(1, Math.ceil(total / PAGE)));
        load((n - 1) * PAGE);
      },
    });
    const pageOf = h('span', { class: 'cnp-muted' });
    let total = 0;
    let offset = 0;
    let focusRow = -1; // a row (data index) to focus once its page is shown
    /** @type {Filter} */
    let filter = 'all';  // an outcome, or 'all'
    let destroyed = false;
    const filterSlot = h('div', { class: 'cnp-results-filter' });
    const failuresSlot = h('div', { class: 'cnp-results-failures' });
    const empty = h('p', { class: 'cnp-empty', hidden: true }, t('results.noRows'));

    // Explicit roles: on narrow screens the rows are laid out as cards, which drops implicit table roles.
    const table = h('table', { class: 'cnp-table cnp-results-table', role: 'table' },
      h('caption', { id: captionId, class: 'cnp-visually-hidden' }, t('results.table')),
      h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
        h('th', { scope: 'col', role: 'columnheader', class: 'cnp-col-line' }, t('results.col.line')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.email')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.outcome')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.details')))),
      tbody);

    /** @param {unknown} err */
    function showError(err) {
      replace(errorSlot, h('div', { class: 'cnp-alert is-error', role: 'alert' }, h('p', null, ctx.i18n.error(err))));
    }

    /** @param {ResultRow} r */
    function details(r) {
      const parts = [];
      if (r.id) parts.push(h('code', { class: 'cnp-id' }, r.id));
      // The row's role, node, client or application by name, as in the preview: "Admin · 5b0f7a53…".
      for (const ref of r.refs || []) {
        const short = [...ref.value].length > 8 ? `${[...ref.value].slice(0, 8).join('')}…` : ref.value;
        parts.push(h('span', { class: 'cnp-result-ref', title: ref.value },
          h('span', { class: 'cnp-muted' }, `${ctx.i18n.fieldLabel(ref.field)}: `),
          ref.name ? `${ref.name} · ${short}` : ref.value));
      }
      if (r.code && (r.outcome === 'failed' || r.outcome === 'unconfirmed')) parts.push(h('code', { class: 'cnp-code' }, r.code));
      if (r.message && r.sameAsLine) {
        // The same problem as the rows before it: said once (on that line), folded here.
        parts.push(h('details', { class: 'cnp-result-repeat' },
          h('summary', null, t('results.sameAs', { line: r.sameAsLine })),
          h('span', { class: 'cnp-result-msg' }, ctx.i18n.outcome(r))));
      } else if (r.message) parts.push(h('span', { class: 'cnp-result-msg' }, ctx.i18n.outcome(r)));
      if (r.acceptLink) {
        // Text with a copy button, never a live link: opening it here would be the admin accepting the
        // invite on the invitee's behalf.
        parts.push(h('span', { class: 'cnp-accept-link' },
          h('span', { class: 'cnp-muted' }, `${t('results.acceptLink')}: `),
          h('code', { class: 'cnp-link-text' }, r.acceptLink),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', 'aria-label': t('results.copyLinkLabel', { email: r.email }), onClick: () => copy(r.acceptLink, t('results.copied')) }, t('results.copyLink'))));
      }
      return h('div', { class: 'cnp-result-details' }, parts);
    }

    /** @param {Results['counts'] & { links: number }} counts  and the invites' accept links */
    function renderCounts(counts) {
      const s = store.get();
      const success = s.info?.modes.find((m) => m.id === s.mode)?.success;  // what a row that went through becomes
      replace(countsSlot, h('dl', { class: 'cnp-stats', 'aria-label': t('results.counts') },
        OUTCOMES.filter((o) => o !== 'invited' || counts.invited || success === 'invited')
          .filter((o) => o !== 'replayed' || counts.replayed)
          .filter((o) => o !== 'created' || counts.created || success !== 'invited')
          .map((o) => h('div', { class: `cnp-stat is-${TONE[o]}` }, h('dt', null, t(`results.outcome.${o}`)), h('dd', null, ctx.fmt(counts[o]))))));

      const failedish = (counts.failed || 0) + (counts.unconfirmed || 0) + (counts.cancelled || 0);
      replace(actionsSlot, h('div', { class: 'cnp-results-actions' },
        counts.unconfirmed ? h('div', { class: 'cnp-alert is-warning cnp-alert-row', role: 'alert' },
          h('p', null, t('results.unconfirmedHint', { n: counts.unconfirmed })),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary cnp-btn-small', onClick: retryUnconfirmed }, t('results.retryUnconfirmed'))) : null,
        counts.links ? h('div', { class: 'cnp-alert is-info cnp-alert-row' },
          h('p', null, t('results.linksHint', { n: counts.links })),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: copyAllLinks }, t('results.copyAllLinks'))) : null,
        h('div', { class: 'cnp-toolbar' },
          h('button', { type: 'button', class: 'cnp-btn', disabled: !failedish, onClick: () => download('failed-rows.csv', () => ctx.core.exportFailedRows()) }, t('results.downloadFailed')),
          h('button', { type: 'button', class: 'cnp-btn', onClick: () => download('results.csv', () => ctx.core.exportResults()) }, t('results.downloadAll'))),
        failedish ? h('p', { class: 'cnp-muted cnp-small' }, t('results.failedHint')) : null,
        failedish && leftOut().length ? h('p', { class: 'cnp-muted cnp-small cnp-left-out' }, t('results.leftOut', { columns: leftOut().join(', ') })) : null));
    }

    // The columns failed-rows.csv leaves out: those holding passwords (the core decides which).
    function leftOut() {
      return (store.get().mapping?.columns || []).filter((c) => c.secret).map((c) => c.header);
    }

    /**
     * @param {string} text
     * @param {string} done  what to say when copied
     */
    async function copy(text, done) {
      try {
        await copyText(text);
        ctx.announce(done);
        replace(copyStatus, done);
      } catch {
        replace(copyStatus, t('results.copyFailed'));  // the one way copyText fails: the browser refused
      }
    }

    async function copyAllLinks() {
      try {
        const { count, text } = await ctx.core.acceptLinks();
        await copy(text, t('results.copiedAll', { n: count }));
      } catch (err) { showError(err); }
    }

    /**
     * @param {string} name
     * @param {() => Promise<string>} make
     */
    async function download(name, make) {
      try {
        // The core's CSV starts with a UTF-8 BOM (Excel needs it); the wrapper keeps it in the string.
        downloadText(name, await make());
      } catch (err) { showError(err); }
    }

    async function retryUnconfirmed() {
      try {
        await ctx.core.retryUnconfirmed();
        ctx.store.set({ run: { state: 'idle', cancelling: false, error: '' } });
        ctx.goTo('submit');
        ctx.runner.start();
      } catch (err) { showError(err); }
    }

    /**
     * @param {Filter} f
     * @param {number} [at]  the offset to show
     */
    function setFilter(f, at = 0) {
      filter = f;
      load(at);
    }

    // Filter by outcome: one toggle button per outcome that has rows, with its count.
    /** @param {Results} res */
    function renderFilter(res) {
      const counts = res.counts;
      const shown = /** @satisfies {('all' | Outcome)[]} */ (['all', ...OUTCOMES, 'pending']).filter((o) => o === 'all' || counts[o] || o === filter);
      const problem = filter.startsWith('problem:') ? filter.slice(8) : '';
      const problemCount = problem ? res.failures.find((f) => f.code === problem)?.count || 0 : 0;
      replace(filterSlot, h('div', { class: 'cnp-toolbar' },
        h('span', { class: 'cnp-label cnp-inline-label', 'aria-hidden': 'true' }, t('results.filter')),
        h('div', { class: 'cnp-segmented', role: 'group', 'aria-label': t('results.filter') }, shown.map((o) =>
          h('button', { type: 'button', class: 'cnp-seg', 'aria-pressed': String(o === filter), onClick: () => setFilter(o) },
            o === 'all' ? t('results.filter.all', { n: ctx.fmt(res.all) }) : `${t(`results.outcome.${o}`)} (${ctx.fmt(counts[o] || 0)})`)),
          problem ? h('button', { type: 'button', class: 'cnp-seg', 'aria-pressed': 'true', onClick: () => setFilter(filter) },
            t('results.filter.problem', { code: problem, n: ctx.fmt(problemCount) })) : null)));
      // Failures by code ("120 × email_conflict"), each problem's message once, a way to its rows and
      // to the first failure.
      replace(failuresSlot, res.failures.length ? h('div', { class: 'cnp-panel cnp-failure-summary' },
        h('h4', { class: 'cnp-panel-title' }, t('results.failures')),
        h('ul', { class: 'cnp-failure-list' }, res.failures.map((f) => {
          const codeId = uniqueId('failure-code');
          return h('li', null,
            h('span', null, t('results.failureCount', { n: f.count })), ' ', h('code', { id: codeId, class: 'cnp-code' }, f.code),
            f.first?.message ? h('span', { class: 'cnp-failure-msg' }, ' ', ctx.i18n.outcome(f.first)) : null,
            ' ',
            h('button', {
              type: 'button', class: 'cnp-btn cnp-btn-small', 'aria-pressed': String(filter === `problem:${f.code}`),
              'aria-describedby': codeId, onClick: () => setFilter(`problem:${f.code}`),
            }, t('results.showProblem')));
        })),
        res.firstFailure >= 0 ? h('button', {
          type: 'button', class: 'cnp-btn cnp-btn-small',
          onClick: () => { focusRow = res.firstFailure; setFilter('all', Math.floor(res.firstFailure / PAGE) * PAGE); },
        }, t('results.firstFailure')) : null) : null);
    }

    /** @param {number} at  the offset */
    async function load(at) {
      try {
        const res = await ctx.core.results({ offset: Math.max(0, at), limit: PAGE, filter });
        if (destroyed) return;
        offset = Math.max(0, at);
        renderCounts({ ...res.counts, links: linkCount });
        renderFilter(res);
        empty.hidden = res.total > 0;
        replace(tbody, res.rows.map((r) => h('tr', { class: `is-${r.outcome}`, role: 'row', 'data-index': String(r.index) },
          h('td', { class: 'cnp-col-line', role: 'cell' }, String(r.line)),
          h('td', { class: 'cnp-res-email', role: 'cell' }, h('div', { class: 'cnp-cell' }, r.email)),
          h('td', { class: 'cnp-res-outcome', role: 'cell' }, h('span', { class: `cnp-badge is-${TONE[r.outcome] || 'neutral'}` }, t(`results.outcome.${r.outcome}`))),
          h('td', { class: 'cnp-res-details', role: 'cell' }, details(r)))));
        total = res.total;
        pageText.textContent = res.total
          ? t('results.page', { from: ctx.fmt(offset + 1), to: ctx.fmt(Math.min(res.total, offset + res.rows.length)), total: ctx.fmt(res.total) })
          : '';
        const pages = Math.max(1, Math.ceil(res.total / PAGE));
        pageInput.max = String(pages);
        pageInput.value = String(Math.floor(offset / PAGE) + 1);
        pageOf.textContent = t('results.pageOf', { n: ctx.fmt(pages) });
        prevBtn.disabled = firstBtn.disabled = offset === 0;
        nextBtn.disabled = lastBtn.disabled = offset + PAGE >= res.total;
        pager.hidden = res.total <= PAGE;
        if (focusRow >= 0) {
          // "Go to the first failure": that row in view, focused (and announced by its text).
          const tr = /** @type {HTMLElement | null} */ (tbody.querySelector(`tr[data-index="${focusRow}"]`));
          focusRow = -1;
          if (tr) {
            tr.setAttribute('tabindex', '-1');
            tr.scrollIntoView({ block: 'center' });
            tr.focus({ preventScroll: true });
          }
        }
      } catch (err) { showError(err); }
    }

    const copyStatus = h('p', { class: 'cnp-muted cnp-small', role: 'status' });
    const pager = h('nav', { class: 'cnp-pager', 'aria-label': t('results.pages') },
      firstBtn, prevBtn, pageText, nextBtn, lastBtn,
      h('span', { class: 'cnp-page-jump' }, h('label', { for: pageInputId }, t('results.pageLabel')), ' ', pageInput, ' ', pageOf));
    const el = h('section', { class: 'cnp-step cnp-step-results', 'aria-labelledby': headingId },
      heading, countsSlot, actionsSlot, copyStatus, errorSlot, failuresSlot, filterSlot,
      h('div', { class: 'cnp-scroll-x cnp-results-scroll', tabindex: '0', role: 'region', 'aria-labelledby': captionId }, table),
      empty, pager);
    let linkCount = 0;
    ctx.core.acceptLinks().then(({ count }) => {
      if (destroyed || count === linkCount) return;
      linkCount = count;
      load(offset);
    }, () => { /* no links to offer */ });
    load(0);

    return { el, heading, showError, destroy() { destroyed = true; } };
  },

  nav(state, ctx) {
    return { back: true, next: { label: ctx.t('wizard.done') } };
  },

  async next() {
    return 'close';
  },
};
