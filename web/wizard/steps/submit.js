// Step 5: live progress of the submit loop (run.js), the retry countdown, and Cancel between batches.
import { h, replace, uniqueId, stepHeading } from '../dom.js';

/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'submit',

  render(ctx) {
    const { t, store } = ctx;
    const { headingId, heading } = stepHeading(t, 'submit');
    const labelId = uniqueId('progress-label');
    const bar = h('div', { class: 'cnp-progress-fill' });
    const progressbar = h('div', {
      class: 'cnp-progress', role: 'progressbar', 'aria-labelledby': labelId,
      'aria-valuemin': '0', 'aria-valuemax': '0', 'aria-valuenow': '0',
    }, bar);
    const rowsText = h('span', { class: 'cnp-progress-rows' });
    const batchesText = h('span', { class: 'cnp-muted' });
    const activity = h('p', { class: 'cnp-activity', role: 'status', 'aria-live': 'polite' });
    const countdown = h('p', { class: 'cnp-countdown', 'aria-hidden': 'true' });
    const countsSlot = h('div');
    const errorSlot = h('div');
    const cancelBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-danger-outline', onClick: () => ctx.runner.cancel() }, t('submit.cancel'));
    const lockedNote = h('p', { class: 'cnp-muted', hidden: true }, t('submit.locked'));

    const el = h('section', { class: 'cnp-step cnp-step-submit', 'aria-labelledby': headingId },
      heading,
      h('div', { class: 'cnp-panel' },
        h('p', { id: labelId, class: 'cnp-label' }, t('submit.progress')),
        progressbar,
        h('p', { class: 'cnp-progress-text' }, rowsText, ' · ', batchesText),
        activity, countdown,
        h('div', { class: 'cnp-row-actions' }, cancelBtn)),
      countsSlot, errorSlot, lockedNote);

    let tick = 0;
    /** @type {import('../wizard.js').State['wait']} */
    let lastWait = null;
    let lastActivity = '';
    /** @param {string} text */
    const setActivity = (text) => {
      if (text !== lastActivity) { activity.textContent = text; lastActivity = text; }
    };

    function renderCountdown() {
      const w = store.get().wait;
      if (!w) { countdown.textContent = ''; return; }
      const s = Math.max(0, Math.ceil((w.until - performance.now()) / 1000));
      countdown.textContent = t('submit.waiting', { batch: w.batch + 1, s, reason: w.reason });
    }

    /** @param {import('../wizard.js').State} s */
    const update = (s) => {
      const p = s.progress || { rowsTotal: 0, rowsDone: 0, batchesTotal: 0, batchesDone: 0, succeeded: 0, replayed: 0, failed: 0, unconfirmed: 0, cancelled: 0, attempt: 0 };
      progressbar.setAttribute('aria-valuemax', String(p.rowsTotal));
      progressbar.setAttribute('aria-valuenow', String(p.rowsDone));
      progressbar.setAttribute('aria-valuetext', `${t('submit.rows', { done: ctx.fmt(p.rowsDone), total: ctx.fmt(p.rowsTotal) })}, ${t('submit.batches', { done: ctx.fmt(p.batchesDone), total: ctx.fmt(p.batchesTotal) })}`);
      bar.style.width = `${p.rowsTotal ? (100 * p.rowsDone) / p.rowsTotal : 0}%`;
      rowsText.textContent = t('submit.rows', { done: ctx.fmt(p.rowsDone), total: ctx.fmt(p.rowsTotal) });
      batchesText.textContent = t('submit.batches', { done: ctx.fmt(p.batchesDone), total: ctx.fmt(p.batchesTotal) });

      const run = s.run;
      if (s.wait) {
        // Announce the wait once; the visible countdown ticks without re-announcing.
        if (s.wait !== lastWait) setActivity(t('submit.waiting', { batch: s.wait.batch + 1, s: Math.ceil(s.wait.delayMs / 1000), reason: s.wait.reason }));
      } else if (run.state === 'running' && run.cancelling) setActivity(t('submit.cancelling'));
      else if (s.sending) setActivity(t('submit.sending', { batch: s.sending.batch + 1, total: ctx.fmt(p.batchesTotal) }) + (s.sending.attempt > 1 ? ` (${t('submit.attempt', { n: s.sending.attempt })})` : ''));
      else if (run.state === 'done') setActivity(t('submit.finished'));
      lastWait = s.wait;
      activity.classList.toggle('is-waiting', !!s.wait);
      renderCountdown();
      if (s.wait && !tick) tick = setInterval(renderCountdown, 250);
      if (!s.wait && tick) { clearInterval(tick); tick = 0; }

      cancelBtn.hidden = run.state !== 'running';
      cancelBtn.disabled = run.cancelling;
      lockedNote.hidden = run.state === 'running';

      // The same counts as Results (the core's, per row): rows blocked at preview are failed here too.
      const c = s.counts || { created: p.succeeded, invited: 0, replayed: p.replayed, failed: p.failed, unconfirmed: p.unconfirmed, cancelled: p.cancelled };
      /**
       * @param {string} cls
       * @param {import('../i18n/index.js').UiKey} key  the label's
       * @param {number} n
       */
      const count = (cls, key, n) => h('div', { class: `cnp-stat ${cls}` }, h('dt', null, t(key)), h('dd', null, ctx.fmt(n)));
      replace(countsSlot, h('dl', { class: 'cnp-stats' },
        count('is-success', 'submit.succeeded', (c.created || 0) + (c.invited || 0)),
        c.replayed ? count('is-info', 'submit.replayed', c.replayed) : null,
        count('is-error', 'submit.failed', c.failed || 0),
        count('is-warning', 'submit.unconfirmed', c.unconfirmed || 0),
        count('', 'submit.cancelled', c.cancelled || 0)));
      replace(errorSlot, run.state === 'error' ? h('div', { class: 'cnp-alert is-error', role: 'alert' }, h('p', null, t('submit.error', { message: run.error }))) : null);
    };
    update(store.get());

    return {
      el, heading, update,
      destroy() { if (tick) clearInterval(tick); },
    };
  },

  nav(state, ctx) {
    if (state.run.state === 'running') return { back: false, next: null };
    return { back: false, next: { label: ctx.t('submit.showResults') } };
  },
};
