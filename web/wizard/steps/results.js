// Step 6: per-row outcomes (paged from core.results), Retry unconfirmed, and the two CSV downloads.
import { h, replace, uniqueId, downloadText, stepHeading } from '../dom.js';

const PAGE = 50;
const OUTCOMES = ['created', 'invited', 'replayed', 'failed', 'unconfirmed', 'cancelled', 'deselected'];
const TONE = { created: 'success', invited: 'success', replayed: 'info', failed: 'error', unconfirmed: 'warning', cancelled: 'neutral', deselected: 'neutral' };

function safeHttpUrl(text) {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch { return ''; }
}

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
    let offset = 0;
    let destroyed = false;

    // Explicit roles: on narrow screens the rows are laid out as cards, which drops implicit table roles.
    const table = h('table', { class: 'cnp-table cnp-results-table', role: 'table' },
      h('caption', { id: captionId, class: 'cnp-visually-hidden' }, t('results.table')),
      h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
        h('th', { scope: 'col', role: 'columnheader', class: 'cnp-col-line' }, t('results.col.line')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.email')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.outcome')),
        h('th', { scope: 'col', role: 'columnheader' }, t('results.col.details')))),
      tbody);

    function showError(err) {
      replace(errorSlot, h('div', { class: 'cnp-alert is-error', role: 'alert' }, h('p', null, ctx.i18n.error(err))));
    }

    function details(r) {
      const parts = [];
      if (r.id) parts.push(h('code', { class: 'cnp-id' }, r.id));
      if (r.code && (r.outcome === 'failed' || r.outcome === 'unconfirmed')) parts.push(h('code', { class: 'cnp-code' }, r.code));
      if (r.message) parts.push(h('span', { class: 'cnp-result-msg' }, ctx.i18n.outcome(r)));
      if (r.acceptLink) {
        const href = safeHttpUrl(r.acceptLink);
        parts.push(href
          ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'cnp-link' }, t('results.acceptLink'))
          : h('code', null, r.acceptLink));
      }
      return h('div', { class: 'cnp-result-details' }, parts);
    }

    function renderCounts(counts) {
      replace(countsSlot, h('dl', { class: 'cnp-stats', 'aria-label': t('results.counts') },
        OUTCOMES.filter((o) => o !== 'invited' || counts.invited || store.get().mode === 'invite')
          .filter((o) => o !== 'replayed' || counts.replayed)
          .filter((o) => o !== 'created' || counts.created || store.get().mode !== 'invite')
          .map((o) => h('div', { class: `cnp-stat is-${TONE[o]}` }, h('dt', null, t(`results.outcome.${o}`)), h('dd', null, ctx.fmt(counts[o]))))));

      const failedish = (counts.failed || 0) + (counts.unconfirmed || 0) + (counts.cancelled || 0);
      replace(actionsSlot, h('div', { class: 'cnp-results-actions' },
        counts.unconfirmed ? h('div', { class: 'cnp-alert is-warning cnp-alert-row', role: 'alert' },
          h('p', null, t('results.unconfirmedHint', { n: counts.unconfirmed })),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary cnp-btn-small', onClick: retryUnconfirmed }, t('results.retryUnconfirmed'))) : null,
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

    async function load(at) {
      try {
        const res = await ctx.core.results({ offset: Math.max(0, at), limit: PAGE });
        if (destroyed) return;
        offset = Math.max(0, at);
        renderCounts(res.counts);
        replace(tbody, res.rows.map((r) => h('tr', { class: `is-${r.outcome}`, role: 'row' },
          h('td', { class: 'cnp-col-line', role: 'cell' }, String(r.line)),
          h('td', { class: 'cnp-res-email', role: 'cell' }, h('div', { class: 'cnp-cell' }, r.email)),
          h('td', { class: 'cnp-res-outcome', role: 'cell' }, h('span', { class: `cnp-badge is-${TONE[r.outcome] || 'neutral'}` }, t(`results.outcome.${r.outcome}`))),
          h('td', { class: 'cnp-res-details', role: 'cell' }, details(r)))));
        pageText.textContent = res.total
          ? t('results.page', { from: ctx.fmt(offset + 1), to: ctx.fmt(Math.min(res.total, offset + res.rows.length)), total: ctx.fmt(res.total) })
          : '';
        prevBtn.disabled = offset === 0;
        nextBtn.disabled = offset + PAGE >= res.total;
        pager.hidden = res.total <= PAGE;
      } catch (err) { showError(err); }
    }

    const pager = h('nav', { class: 'cnp-pager', 'aria-label': t('results.pages') }, prevBtn, pageText, nextBtn);
    const el = h('section', { class: 'cnp-step cnp-step-results', 'aria-labelledby': headingId },
      heading, countsSlot, actionsSlot, errorSlot,
      h('div', { class: 'cnp-scroll-x cnp-results-scroll', tabindex: '0', role: 'region', 'aria-labelledby': captionId }, table),
      pager);
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
