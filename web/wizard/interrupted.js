// A run that a reload or a closed tab cut off leaves a trace, so the next time the wizard opens it can
// say so: a small marker per run in localStorage, written when a submit starts and removed when it
// ends. It holds what recognises the file again and nothing of its rows: the file's name, size and
// fingerprint (the core's SHA-256 of its text), the mode, the scope ids, the row count and the time.
// No row data, no token, no header value. Storage that is missing or refused (private mode, quota)
// only loses the notice.
import { h, replace } from './dom.js';

const KEY = 'canopy-import:interrupted';
const MAX = 5;            // markers kept (oldest dropped)
const MAX_AGE_MS = 24 * 3600 * 1000; // the server keeps idempotency keys 24 h: after that a re-import is a new import

/**
 * A run's marker.
 * @typedef {object} Marker
 * @property {string} id
 * @property {number} startedAt  ms since the epoch
 * @property {string} name  the file's
 * @property {number} size
 * @property {string} fingerprint
 * @property {string} mode
 * @property {string} accountId
 * @property {string} environmentId  '' for the account mode
 * @property {number} rows
 */
/** @typedef {{ accountId?: string, environmentId?: string }} Scope */

function storage() {
  try { return typeof localStorage !== 'undefined' ? localStorage : null; } catch { return null; }
}

/**
 * The stored markers younger than MAX_AGE_MS (storage holds whatever was written there: each must have an id).
 * @returns {Marker[]}
 */
function readAll() {
  const s = storage();
  if (!s) return [];
  try {
    const list = JSON.parse(s.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((m) => m && typeof m.id === 'string' && Date.now() - Number(m.startedAt) < MAX_AGE_MS) : [];
  } catch { return []; }
}

/** @param {Marker[]} list */
function writeAll(list) {
  const s = storage();
  if (!s) return;
  try {
    if (list.length) s.setItem(KEY, JSON.stringify(list.slice(-MAX)));
    else s.removeItem(KEY);
  } catch { /* storage refused: no notice next time */ }
}

/**
 * @param {Marker} a
 * @param {Marker} b
 */
const sameRun = (a, b) => a.fingerprint === b.fingerprint && a.mode === b.mode && a.accountId === b.accountId && a.environmentId === b.environmentId;

/**
 * Records that a run starts; returns its marker (pass it to runEnded).
 * @param {Omit<Marker, 'id' | 'startedAt'>} marker
 * @returns {Marker}
 */
export function runStarted(marker) {
  const m = { ...marker, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, startedAt: Date.now() };
  writeAll([...readAll().filter((o) => !sameRun(o, m)), m]);
  return m;
}

/**
 * The run ended (done, cancelled, stopped): its marker goes, and so does any earlier one of the same file.
 * @param {Marker | null} marker
 */
export function runEnded(marker) {
  if (!marker) return;
  writeAll(readAll().filter((o) => o.id !== marker.id && !sameRun(o, marker)));
}

/** @param {string} id */
export function dismiss(id) {
  writeAll(readAll().filter((o) => o.id !== id));
}

/**
 * Markers of runs in this scope that never ended, newest first. `modes`: the surface's modes (info()), whose
 * scope says whether a run belongs to an environment or to the account as a whole.
 * @param {Scope} scope
 * @param {Pick<import('../../dist/index.mjs').ModeInfo, 'id' | 'scope'>[]} modes
 */
export function interruptedRuns({ accountId, environmentId }, modes) {
  return readAll()
    .filter((m) => {
      const mode = modes.find((x) => x.id === m.mode);
      return !!mode && m.accountId === (accountId ?? '') && (mode.scope === 'account' || m.environmentId === (environmentId ?? ''));
    })
    .sort((a, b) => b.startedAt - a.startedAt);
}

/**
 * The scope part of a marker, as planSubmit is given it. `scope`: the mode's (info()).
 * @param {Scope} options
 * @param {'environment' | 'account' | undefined} scope
 */
export function scopeOf(options, scope) {
  return { accountId: options.accountId ?? '', environmentId: scope === 'account' ? '' : (options.environmentId ?? '') };
}

/**
 * The notice on the Mode and Upload steps: one alert per interrupted run, with a Dismiss button. `match`:
 * the marker whose file is the one now loaded (then it says so).
 * @param {import('./wizard.js').Ctx} ctx
 * @param {{ match?: Marker | null, onDismiss?: () => void }} [opts]
 */
export function interruptedNotice(ctx, { match = null, onDismiss = undefined } = {}) {
  const { t } = ctx;
  const state = ctx.store.get();
  const modes = (state.info?.modes || []).filter((m) => m.surface === ctx.options.surface);
  const runs = interruptedRuns(ctx.options, modes);
  if (!runs.length) return null;
  const box = h('div', { class: 'cnp-interrupted' });
  const render = () => {
    const left = interruptedRuns(ctx.options, modes);
    replace(box, left.map((m) => h('div', { class: 'cnp-alert is-warning', role: 'status', 'data-run': m.id },
      h('p', { class: 'cnp-alert-title' }, t('interrupted.title')),
      h('p', null, t('interrupted.body', {
        name: m.name, rows: m.rows, mode: ctx.i18n.coreText(`mode.${m.mode}.title`) ?? m.mode, when: ctx.i18n.date(m.startedAt),
      })),
      match && match.id === m.id ? h('p', { class: 'cnp-interrupted-match' }, t('interrupted.match')) : null,
      h('div', { class: 'cnp-notice-actions' },
        h('button', {
          type: 'button', class: 'cnp-btn cnp-btn-small', 'aria-label': t('interrupted.dismissLabel', { name: m.name }),
          onClick: () => { dismiss(m.id); render(); onDismiss?.(); },
        }, t('interrupted.dismiss'))))));
  };
  render();
  return box;
}

/**
 * The marker whose file is the loaded one (same name, size and fingerprint), if any.
 * @param {import('./wizard.js').Ctx} ctx
 * @returns {Promise<Marker | null>}
 */
export async function matchLoaded(ctx) {
  const s = ctx.store.get();
  const modes = (s.info?.modes || []).filter((m) => m.surface === ctx.options.surface);
  const runs = interruptedRuns(ctx.options, modes);
  if (!runs.length || !s.summary) return null;
  const fingerprint = await ctx.core.fingerprint();
  return runs.find((m) => m.fingerprint === fingerprint && (!s.mode || m.mode === s.mode)) || null;
}
