// Step 1: pick the mode (cards of the surface's modes), download a mode's sample CSV.
import { h, uniqueId, downloadText, stepHeading } from '../dom.js';
import { interruptedNotice } from '../interrupted.js';

/**
 * @typedef {import('../wizard.js').Ctx} Ctx
 * @typedef {import('../wizard.js').State} State
 * @typedef {import('../../../dist/index.mjs').ModeId} ModeId
 */

/**
 * @param {Ctx} ctx
 * @param {State} state
 */
function surfaceModes(ctx, state) {
  return (state.info?.modes ?? []).filter((m) => m.surface === ctx.options.surface);
}

/**
 * @param {Ctx} ctx
 * @param {import('../i18n/index.js').UiKey} title
 * @param {import('../../../dist/index.mjs').FieldName[]} fields
 */
function columnList(ctx, title, fields) {
  return h('div', { class: 'cnp-cols' },
    h('span', { class: 'cnp-cols-title' }, ctx.t(title)),
    fields.length
      ? h('ul', { class: 'cnp-chips' }, fields.map((f) => h('li', { class: 'cnp-chip' }, h('code', null, f))))
      : h('span', { class: 'cnp-muted' }, ctx.t('mode.none')));
}

/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'mode',

  render(ctx) {
    const { t } = ctx;
    const state = ctx.store.get();
    const { headingId, heading } = stepHeading(t, 'mode');
    const group = uniqueId('mode');
    const modes = surfaceModes(ctx, state);
    const status = h('p', { class: 'cnp-visually-hidden', role: 'status' });
    /** @type {Map<ModeId, HTMLInputElement>} */
    const radios = new Map();

    /**
     * @param {ModeId} modeId
     * @param {HTMLInputElement} input  its radio button
     */
    async function choose(modeId, input) {
      const cur = ctx.store.get();
      if (cur.mode === modeId) return;
      if (cur.mode && cur.source) {
        const ok = await ctx.confirm({ title: t('mode.change.title'), message: t('mode.change.body'), ok: t('mode.change.ok') });
        if (!ok) {
          input.checked = false;
          const prev = radios.get(cur.mode);
          if (prev) { prev.checked = true; prev.focus(); }
          return;
        }
        // Starting over: the file, mapping and selection belong to the old mode.
        ctx.store.set({
          mode: modeId, source: null, summary: null, loadError: null, overrides: { encoding: '', delimiter: '' },
          mapping: null, mappingFor: -1, mappingNote: '', stats: null, validatedKey: '',
        });
        input.focus();
        return;
      }
      ctx.store.set({ mode: modeId });
    }

    const cards = modes.map((m) => {
      const id = uniqueId('mode-opt');
      const summaryId = uniqueId('mode-sum');
      const input = h('input', {
        type: 'radio', name: group, id, value: m.id, class: 'cnp-radio',
        checked: state.mode === m.id, 'aria-describedby': summaryId,
        onChange: () => choose(m.id, input),
      });
      radios.set(m.id, input);
      const sampleBtn = h('button', {
        type: 'button', class: 'cnp-btn cnp-btn-small',
        onClick: async (e) => {
          e.stopPropagation();
          // The scope's own ids once its lookups are in, so the sample validates where it is downloaded.
          const lk = ctx.lookupsPayload();
          /** @param {string[] | undefined} list */
          const first = (list) => (Array.isArray(list) && list.length ? String(list[0]) : '');
          const ids = lk.state === 'loaded'
            ? { role: first(lk.roles), node: first(lk.nodes), client: first(lk.clients), application: first(lk.applications) }
            : undefined;
          const csv = await ctx.core.sampleCsv(m.id, ids);
          downloadText(t('mode.sampleFile', { mode: m.id }), csv);
        },
      }, t('mode.sample'));
      const card = h('div', { class: ['cnp-card', state.mode === m.id && 'is-selected'], 'data-mode': m.id },
        h('div', { class: 'cnp-card-head' },
          input,
          h('label', { for: id, class: 'cnp-card-title' }, ctx.i18n.coreText(`mode.${m.id}.title`)),
          h('span', { class: 'cnp-badge is-neutral' }, t(`mode.scope.${m.scope}`))),
        h('p', { id: summaryId, class: 'cnp-card-summary' }, ctx.i18n.coreText(`mode.${m.id}.summary`)),
        columnList(ctx, 'mode.required', m.required),
        columnList(ctx, 'mode.optional', m.optional),
        h('div', { class: 'cnp-card-actions' }, sampleBtn));
      // The whole card selects the mode, except its own controls.
      card.addEventListener('click', (e) => {
        if (/** @type {Element} */ (e.target).closest('button, input, label, a')) return;
        input.checked = true;
        choose(m.id, input);
      });
      return card;
    });

    const el = h('section', { class: 'cnp-step cnp-step-mode', 'aria-labelledby': headingId },
      heading,
      // An earlier run that a reload or a closed tab cut off: what happened and how to finish it.
      interruptedNotice(ctx),
      h('p', { class: 'cnp-intro' }, t('mode.intro')),
      modes.length
        ? h('div', { class: 'cnp-cards', role: 'radiogroup', 'aria-labelledby': headingId }, cards)
        : h('p', { class: 'cnp-alert is-error', role: 'alert' }, t('mode.noModes')),
      status);

    return {
      el, heading,
      update(s) {
        for (const [id, input] of radios) {
          input.checked = s.mode === id;
          input.closest('.cnp-card')?.classList.toggle('is-selected', s.mode === id);
        }
      },
    };
  },

  nav(state) {
    return { back: false, next: { disabled: !state.mode } };
  },
};
