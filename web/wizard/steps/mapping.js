// Step 3: the core's auto-mapping, shown column by column, with overrides, remembered mappings and
// mapping export/import. The core owns the mapping; this renders it and forwards choices.
import { h, replace, uniqueId, downloadText, stepHeading } from '../dom.js';

/**
 * @typedef {import('../wizard.js').State} State
 * @typedef {import('../../../dist/index.mjs').MappingState} MappingState
 * @typedef {import('../../../dist/index.mjs').ColumnMapping} ColumnMapping
 * @typedef {import('../../../dist/index.mjs').FieldName} FieldName
 */

const STORAGE_PREFIX = 'cnp-import-mapping:v1:';

/**
 * @param {string} mode
 * @param {string[]} headers
 */
function storageKey(mode, headers) {
  return STORAGE_PREFIX + mode + ':' + JSON.stringify(headers);
}

/** @param {string} key */
function readStorage(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

/**
 * @param {string} key
 * @param {string} value
 */
function writeStorage(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* storage full or disabled: remembering is optional */ }
}


/** @satisfies {import('../wizard.js').Step} */
export default {
  id: 'mapping',

  render(ctx) {
    const { t, store } = ctx;
    const { headingId, heading } = stepHeading(t, 'mapping');
    const alerts = h('div', { class: 'cnp-alerts', role: 'alert' });
    const rememberSlot = h('div');
    const note = h('div', { role: 'status', 'aria-live': 'polite', class: 'cnp-status' });
    const errorSlot = h('div');
    const tbody = h('tbody', { role: 'rowgroup' });
    const captionId = uniqueId('mapping-caption');

    const importInput = h('input', {
      type: 'file', accept: '.json,application/json', class: 'cnp-visually-hidden', tabindex: '-1', 'aria-label': t('mapping.importLabel'),
      onChange: async () => {
        const file = importInput.files?.[0];
        importInput.value = '';
        if (!file) return;
        try {
          const mapping = await ctx.core.importMapping(await file.text());
          replace(errorSlot);
          setMapping(mapping, t('mapping.imported', { name: file.name }));
        } catch (err) {
          showError(err);
        }
      },
    });
    const toolbar = h('div', { class: 'cnp-toolbar' },
      h('button', {
        type: 'button', class: 'cnp-btn cnp-btn-small',
        onClick: async () => downloadText(t('mapping.file', { mode: store.get().mode }), await ctx.core.exportMapping(), 'application/json'),
      }, t('mapping.export')),
      h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => importInput.click() }, t('mapping.import')),
      importInput);

    /** @param {unknown} err */
    function showError(err) {
      replace(errorSlot, h('div', { class: 'cnp-alert is-error', role: 'alert' }, h('p', null, ctx.i18n.error(err))));
    }

    /**
     * @param {MappingState} mapping
     * @param {string} [message]  what changed, for the status line
     */
    function setMapping(mapping, message) {
      const s = store.get();
      store.set({ mapping, mappingNote: message || '', mappingVersion: s.mappingVersion + 1 });
    }

    /**
     * @param {number} index  the column's
     * @param {FieldName | ''} value  '' ignores the column
     */
    async function onSelect(index, value) {
      try {
        const { mapping, message, code, args } = await ctx.core.setColumn(index, value);
        replace(errorSlot);
        setMapping(mapping, code ? ctx.i18n.message(code, args, message) : message);
      } catch (err) {
        showError(err);
      }
    }

    /** @param {State} s */
    function renderAlerts(s) {
      const missing = s.mapping?.missing || [];
      replace(alerts, missing.map((f) => h('p', { class: 'cnp-alert is-error' }, t('mapping.missing', { label: ctx.i18n.fieldLabel(f), field: f }))));
    }

    // A suggestion from the column's contents (the core's, never applied): a badge, why, and one click to confirm.
    /** @param {ColumnMapping} col */
    function suggestion(col) {
      const sg = col.suggestion;
      if (!sg) return null;
      const label = ctx.i18n.fieldLabel(sg.field);
      return h('div', { class: 'cnp-suggestion' },
        h('span', { class: 'cnp-badge is-info', 'aria-label': t('mapping.suggestedLabel', { label }) }, t('mapping.badge.suggested')),
        h('p', { class: 'cnp-muted cnp-small cnp-note' }, ctx.i18n.message(sg.code, sg.args, sg.message)),
        h('button', {
          type: 'button', class: 'cnp-btn cnp-btn-small cnp-btn-primary', 'data-suggest': String(col.index),
          onClick: () => onSelect(col.index, sg.field),
        }, t('mapping.confirmSuggestion', { label })));
    }

    // "Split into first and last name" for a full-name column, when the mode takes names and no column
    // gives them yet: a preview of the first rows (the core's split), then the user's confirm.
    /**
     * @param {ColumnMapping} col
     * @param {State} s
     */
    function splitOffer(col, s) {
      const m = s.mapping;
      if (!m) return null;
      const names = ['first_name', 'last_name'].filter((f) => /** @type {readonly string[]} */ (m.fields).includes(f));
      if (col.status === 'split') {
        return h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => onSplit(-1) }, t('mapping.splitUndo'));
      }
      if (col.noteCode !== 'header_full_name' || m.splitColumn >= 0 || names.length === 0) return null;
      if (m.columns.some((c) => names.includes(c.field))) return null;
      const slot = h('div', { class: 'cnp-split-preview' });
      const open = async () => {
        const rows = await ctx.core.splitPreview(col.index, 5);
        const captionId = uniqueId('split-caption');
        replace(slot,
          h('table', { class: 'cnp-table cnp-table-compact', 'aria-labelledby': captionId },
            h('caption', { id: captionId }, t('mapping.splitPreviewCaption', { header: col.header })),
            h('thead', null, h('tr', null,
              h('th', { scope: 'col' }, col.header),
              h('th', { scope: 'col' }, ctx.i18n.fieldLabel('first_name')),
              h('th', { scope: 'col' }, ctx.i18n.fieldLabel('last_name')))),
            h('tbody', null, rows.map((r) => h('tr', { class: r.unsure ? 'is-warning' : null },
              h('td', null, r.name),
              r.unsure
                ? h('td', { colspan: '2', class: 'cnp-muted' }, t('mapping.splitUnsure', { reason: ctx.i18n.message(r.unsure, [], r.reason) }))
                : [h('td', null, r.firstName), h('td', null, r.lastName)])))),
          h('div', { class: 'cnp-row-actions' },
            h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary cnp-btn-small', onClick: () => onSplit(col.index) }, t('mapping.splitConfirm')),
            h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: () => replace(slot) }, t('mapping.splitCancel'))));
        slot.querySelector('button')?.focus();
      };
      return h('div', null,
        h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', 'data-split': String(col.index), onClick: () => open().catch(showError) }, t('mapping.splitAction')),
        slot);
    }

    /** @param {number} index  the column's; -1 stops the split */
    async function onSplit(index) {
      try {
        const { mapping } = await ctx.core.setSplitColumn(index);
        replace(errorSlot);
        const col = mapping.columns[index];
        setMapping(mapping, index >= 0 ? t('mapping.splitDone', { header: col?.header ?? '' }) : t('mapping.splitStopped'));
      } catch (err) {
        showError(err);
      }
    }

    /** @param {ColumnMapping} col */
    function badge(col) {
      const cls = { matched: 'is-success', manual: 'is-info', ignored: 'is-neutral', duplicate: 'is-warning', split: 'is-info' }[col.status] || 'is-neutral';
      if (col.suggestion) return h('div', { class: 'cnp-badge-cell' }, suggestion(col));
      return h('div', { class: 'cnp-badge-cell' },
        h('span', { class: `cnp-badge ${cls}` }, t(`mapping.badge.${col.status}`)),
        col.status === 'matched' && col.alias ? h('span', { class: 'cnp-muted cnp-small' }, ' ' + t('mapping.alias', { alias: col.alias })) : null,
        col.note ? h('p', { class: 'cnp-muted cnp-small cnp-note' }, col.noteCode ? ctx.i18n.message(col.noteCode, col.noteArgs, col.note) : col.note) : null);
    }

    /** @param {State} s */
    function renderRows(s) {
      const focusedIndex = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.column;
      const mode = s.info?.modes.find((m) => m.id === s.mode);
      const required = new Set(mode?.required || []);
      const fields = s.mapping?.fields || [];
      replace(tbody, (s.mapping?.columns || []).map((col) => {
        const header = col.header || t('mapping.noHeader', { n: col.index + 1 });
        const select = h('select', {
          class: 'cnp-select', 'data-column': String(col.index),
          'aria-label': t('mapping.selectLabel', { header }),
          onChange: () => onSelect(col.index, /** @type {FieldName | ''} */ (select.value)),
        },
        h('option', { value: '', selected: !col.field && col.status !== 'split' }, t('mapping.ignore')),
        col.status === 'split' ? h('option', { value: '', selected: true, disabled: true }, t('mapping.splitOption')) : null,
        fields.map((f) => h('option', { value: f, selected: col.field === f },
          required.has(f) ? t('mapping.requiredMark', { label: ctx.i18n.fieldLabel(f) }) : ctx.i18n.fieldLabel(f))));
        // Explicit roles: on narrow screens the rows are laid out as cards, which drops implicit table roles.
        return h('tr', { class: col.field || col.status === 'split' ? 'is-mapped' : 'is-ignored', role: 'row' },
          h('th', { scope: 'row', role: 'rowheader', class: 'cnp-map-header' }, h('div', { class: 'cnp-cell' }, header)),
          h('td', { role: 'cell', class: 'cnp-map-samples' }, h('ul', { class: 'cnp-samples' }, (col.samples || []).map((v) => h('li', { class: v === '' ? 'cnp-muted' : null }, v === '' ? t('mapping.empty') : v)))),
          h('td', { role: 'cell', class: 'cnp-map-status' }, badge(col), splitOffer(col, s)),
          h('td', { role: 'cell', class: 'cnp-map-field' }, select));
      }));
      if (focusedIndex !== undefined) /** @type {HTMLElement | null} */ (tbody.querySelector(`select[data-column="${CSS.escape(focusedIndex)}"]`))?.focus();
    }

    /** @param {State} s */
    async function offerRemembered(s) {
      if (s.rememberedHandled) return;
      const key = storageKey(s.mode, s.summary?.headers || []);
      const saved = readStorage(key);
      if (!saved) return;
      let current = '';
      try { current = await ctx.core.exportMapping(); } catch { /* offer anyway */ }
      if (saved === current) return;
      const dismiss = () => { store.set({ rememberedHandled: true }); replace(rememberSlot); heading.focus(); };
      const apply = async () => {
        try {
          const mapping = await ctx.core.importMapping(saved);
          store.set({ rememberedHandled: true });
          replace(rememberSlot);
          setMapping(mapping, t('mapping.applied'));
          heading.focus();
        } catch (err) {
          dismiss();
          showError(err);
        }
      };
      replace(rememberSlot, h('div', { class: 'cnp-alert is-info cnp-remember' },
        h('p', null, t('mapping.remembered')),
        h('div', { class: 'cnp-row-actions' },
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary cnp-btn-small', onClick: apply }, t('mapping.applyRemembered')),
          h('button', { type: 'button', class: 'cnp-btn cnp-btn-small', onClick: dismiss }, t('mapping.dismiss')))));
    }

    const table = h('table', { class: 'cnp-table cnp-mapping-table', role: 'table' },
      h('caption', { id: captionId, class: 'cnp-visually-hidden' }, t('mapping.heading')),
      h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
        h('th', { scope: 'col', role: 'columnheader' }, t('mapping.col.header')),
        h('th', { scope: 'col', role: 'columnheader' }, t('mapping.col.samples')),
        h('th', { scope: 'col', role: 'columnheader' }, t('mapping.col.status')),
        h('th', { scope: 'col', role: 'columnheader' }, t('mapping.col.field')))),
      tbody);

    const el = h('section', { class: 'cnp-step cnp-step-mapping', 'aria-labelledby': headingId },
      heading,
      h('p', { class: 'cnp-intro' }, t('mapping.intro')),
      alerts,
      // A failed-rows.csv that left columns out (passwords): said again where the columns are mapped.
      (() => {
        const leftOut = (store.get().summary?.notes || []).filter((x) => x.code === 'failed_rows_left_out');
        return leftOut.length ? h('div', { class: 'cnp-alert is-warning cnp-file-notes' }, leftOut.map((x) => h('p', null, ctx.i18n.issue(x)))) : null;
      })(),
      rememberSlot, errorSlot, note, toolbar,
      h('div', { class: 'cnp-scroll-x', tabindex: '0', role: 'region', 'aria-labelledby': captionId }, table));

    /** @type {MappingState | null} */
    let lastMapping = null;
    /** @param {State} s */
    const update = (s) => {
      if (s.mapping === lastMapping) return;
      lastMapping = s.mapping;
      renderAlerts(s);
      renderRows(s);
      note.textContent = s.mappingNote || '';
    };
    update(store.get());
    offerRemembered(store.get());
    return { el, heading, update, showError };
  },

  nav(state, ctx) {
    const missing = state.mapping?.missing?.length || 0;
    return { back: true, next: { disabled: missing > 0 }, hint: missing ? ctx.t('mapping.nextHint') : '' };
  },

  async next(ctx) {
    const s = ctx.store.get();
    // Remember the confirmed mapping for the next file with the same header row.
    writeStorage(storageKey(s.mode, s.summary?.headers || []), await ctx.core.exportMapping());
    return true;
  },
};
