// The dialog frame: stepper, footer navigation, focus handling, confirmations, and the core's lifecycle.
// Steps (steps/*.js) render from the store and call back through `ctx`; they never touch each other.
import { createCoreClient } from '../core/client.js';
import { fetchLookups } from './api.js';
import { h, replace, uniqueId, focusables } from './dom.js';
import { createTranslator, loadCatalogue } from './i18n/index.js';
import { strings as enStrings } from './i18n/en.js';
import { createStore } from './store.js';
import { createRunner } from './run.js';
import modeStep from './steps/mode.js';
import uploadStep from './steps/upload.js';
import mappingStep from './steps/mapping.js';
import previewStep from './steps/preview.js';
import submitStep from './steps/submit.js';
import resultsStep from './steps/results.js';

/**
 * @typedef {import('../../dist/index.mjs').CoreInfo} CoreInfo
 * @typedef {import('../../dist/index.mjs').ModeId} ModeId
 * @typedef {import('../../dist/index.mjs').DelimiterName} DelimiterName
 * @typedef {import('../../dist/index.mjs').MappingState} MappingState
 * @typedef {import('../../dist/index.mjs').Stats} Stats
 * @typedef {import('../../dist/index.mjs').DirectoryStatus} DirectoryStatus
 * @typedef {import('../../dist/index.mjs').Progress} Progress
 * @typedef {import('../../dist/index.mjs').Results} Results
 * @typedef {import('./mount.js').ImportStep} ImportStep
 * @typedef {import('./mount.js').ImportSummary} ImportSummary
 * @typedef {import('../core/client.js').CoreClient} CoreClient
 * @typedef {import('../core/client.js').Loaded} Loaded
 * @typedef {import('../core/client.js').WorkbookInfo} WorkbookInfo
 * @typedef {import('./i18n/index.js').Translator} Translator
 * @typedef {import('./run.js').Runner} Runner
 * @typedef {import('./interrupted.js').Marker} Marker
 * @typedef {import('./store.js').Store<State>} Store
 */
/**
 * The options as mountImportWizard hands them over (apiBaseUrl defaulted to '').
 * @typedef {import('./mount.js').ImportWizardOptions & { apiBaseUrl: string }} Options
 */
/**
 * What the user gave on the Upload step: a file, or pasted text (named for the summary).
 * @typedef {{ name: string, file?: File, text?: string }} Source
 */
/**
 * How the Upload step reads the source (core.load()'s overrides): '' = the core decides.
 * @typedef {{ encoding: string, delimiter: DelimiterName | '', headerLine?: number, keepFooters?: boolean, sheet?: number }} Overrides
 */
/**
 * The wizard's state (the store's): every step renders from it.
 * @typedef {object} State
 * @property {number} step  index into STEPS
 * @property {CoreInfo | null} info  the core's, once it has started
 * @property {string} startError
 * @property {ModeId | ''} mode
 * @property {Source | null} source
 * @property {Overrides} overrides
 * @property {Loaded | null} summary  of the loaded file (or sheet)
 * @property {{ code: string, message: string } | null} loadError
 * @property {boolean} loading
 * @property {number} loadVersion  bumps with every load that ended
 * @property {WorkbookInfo | null} sheetChoice  a workbook whose sheet the user must choose
 * @property {MappingState | null} mapping
 * @property {number} mappingFor  the loadVersion the mapping is for
 * @property {number} mappingVersion
 * @property {string} mappingNote
 * @property {boolean} [rememberedHandled]  the remembered mapping of these headers was applied or dismissed
 * @property {{ state: 'loading' | 'loaded' | 'failed', reason: string }} lookups
 * @property {number} lookupsVersion
 * @property {Stats | null} stats
 * @property {string} validatedKey  the validation that stats are of (preview.js)
 * @property {boolean} validating
 * @property {DirectoryStatus | null} directory
 * @property {{ state: 'idle' | 'running' | 'done' | 'error', cancelling: boolean, error: string }} run
 * @property {Progress | null} progress
 * @property {Results['counts'] | null} counts
 * @property {{ batches: number, rows: number } | null} plan
 * @property {{ batch: number, reason: string, delayMs: number, until: number } | null} wait  the retry the core asked for
 * @property {{ batch: number, attempt: number } | null} sending
 * @property {null} results  not used
 * @property {boolean} completed
 * @property {Marker | null} resumes  the interrupted run the loaded file continues
 */
/**
 * What a step's nav() says about the footer: Back enabled, Next's label and state (null: no Next), a hint.
 * @typedef {{ back: boolean, next: { label?: string, disabled?: boolean } | null, hint?: string }} Nav
 */
/**
 * A rendered step: its element and heading; update() gets every later state, destroy() when it goes.
 * @typedef {object} View
 * @property {HTMLElement} el
 * @property {HTMLElement} [heading]
 * @property {(state: State) => void} [update]
 * @property {() => void} [destroy]
 * @property {(err: unknown) => void} [showError]  a failed next()
 */
/**
 * A step (steps/*.js). next() runs on Next: false stays, 'close' ends the wizard.
 * @typedef {object} Step
 * @property {ImportStep} id
 * @property {(ctx: Ctx) => View} render
 * @property {(state: State, ctx: Ctx) => Nav} nav
 * @property {(ctx: Ctx) => Promise<boolean | 'close'>} [next]
 */
/**
 * The in-dialog confirmation's texts.
 * @typedef {{ title: string, message: string, ok: string, cancel?: string }} ConfirmText
 */
/**
 * What the steps get from the frame (`ctx`).
 * @typedef {object} Ctx
 * @property {Translator['t']} t
 * @property {typeof h} h
 * @property {Options} options
 * @property {Translator} i18n
 * @property {Translator['number']} fmt
 * @property {Store} store
 * @property {CoreClient} core  there while a step is drawn (steps render once the core has started); a
 *   callback that runs after the dialog closed finds it gone, and its call fails
 * @property {Runner} runner
 * @property {() => Promise<CoreClient> | null} whenCore
 * @property {(text: ConfirmText) => Promise<boolean>} confirm
 * @property {(text: string) => void} announce
 * @property {(id: ImportStep) => void} goTo
 * @property {() => Promise<void>} goNext
 * @property {() => void} goBack
 * @property {() => void} refreshNav
 * @property {() => Promise<void>} retryLookups
 * @property {() => import('../../dist/index.mjs').Lookups} lookupsPayload
 * @property {() => Promise<void>} close
 * @property {() => void} finish
 */

/** @type {Step[]} */
const STEPS = [modeStep, uploadStep, mappingStep, previewStep, submitStep, resultsStep];
const EVENT_PREFIX = 'cnp-import:';

/** @returns {State} */
function initialState() {
  return {
    step: 0,
    info: null, startError: '',
    mode: '',
    source: null, overrides: { encoding: '', delimiter: '' },
    summary: null, loadError: null, loading: false, loadVersion: 0, sheetChoice: null,
    mapping: null, mappingFor: -1, mappingVersion: 0, mappingNote: '',
    lookups: { state: 'loading', reason: '' }, lookupsVersion: 0,
    stats: null, validatedKey: '', validating: false, directory: null,
    run: { state: 'idle', cancelling: false, error: '' }, progress: null, counts: null, plan: null, wait: null, sending: null,
    results: null, completed: false, resumes: null,
  };
}

/**
 * @param {HTMLElement} host
 * @param {Options} options
 */
export function createWizard(host, options) {
  // The store and the runner: a new one at every open(), undefined before the first.
  /** @type {Store} */
  let store;
  /** @type {CoreClient | null} */
  let core = null;
  /** @type {Promise<CoreClient> | null} */
  let coreReady = null;
  /** @type {Runner} */
  let runner;
  /** @type {View | null} */
  let view = null;        // the current step's {el, heading, update, destroy}
  let viewStep = -1;
  let busy = false;       // a step's next() is running
  /** @type {(() => void) | null} */
  let unsubscribe = null;
  /** @type {HTMLElement | null} */
  let opener = null;
  /** @type {import('../../dist/index.mjs').Lookups | null} */
  let lookupsData = null; // fetched lookups, kept so a new core or a retry can reuse them
  let isOpen = false;
  let opening = false;    // open() is loading the catalogue
  let rendering = false;     // a step's render() is running
  let missedUpdate = false;  // the store changed during it
  let backgroundRun = false; // closed mid-submit: the run finishes (cancelled) without the dialog
  // The language: English until the catalogue of options.locale (default: the document's) has loaded,
  // then that one, with the core's info() for the core's texts.
  /** @type {import('./i18n/index.js').Catalogue} */
  let catalogue = { locale: 'en', strings: enStrings, core: {}, inlineLabels: 'lower' };
  /** @type {(Promise<import('./i18n/index.js').Catalogue> & { wanted?: string }) | null} */
  let catalogueReady = null;
  let i18n = createTranslator(catalogue, null);
  /** @type {Translator['t']} */
  const t = (key, params) => i18n.t(key, params);

  const titleId = uniqueId('title');
  const titleEl = h('h2', { id: titleId, class: 'cnp-title' }, t('wizard.title'));
  const closeBtn = h('button', { type: 'button', class: 'cnp-icon-btn', 'aria-label': t('wizard.close'), onClick: () => requestClose() }, '×');
  const stepper = h('ol', { class: 'cnp-stepper' });
  const body = h('div', { class: 'cnp-body' });
  const backBtn = h('button', { type: 'button', class: 'cnp-btn', onClick: () => goBack() }, t('wizard.back'));
  const navHint = h('p', { class: 'cnp-nav-hint', 'aria-live': 'polite' });
  const nextBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-primary', onClick: () => goNext() }, t('wizard.next'));
  const announcer = h('div', { class: 'cnp-visually-hidden', role: 'status', 'aria-live': 'polite' });
  const frame = h('div', { class: 'cnp-frame' },
    h('header', { class: 'cnp-header' }, titleEl, closeBtn),
    h('nav', { class: 'cnp-stepper-nav', 'aria-label': t('wizard.stepper') }, stepper),
    body,
    h('footer', { class: 'cnp-footer' }, backBtn, navHint, nextBtn),
    announcer);
  const confirmLayer = h('div', { class: 'cnp-confirm-layer', hidden: true });
  const dialog = h('dialog', { class: 'cnp-wizard', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-theme': options.theme || 'auto' }, frame, confirmLayer);

  dialog.addEventListener('cancel', (e) => { e.preventDefault(); requestClose(); });
  dialog.addEventListener('keydown', trapFocus);
  host.appendChild(dialog);

  /**
   * A cnp-import:<name> event on the host; false when a listener cancelled it.
   * @template {keyof import('./mount.js').ImportWizardEventMap extends `cnp-import:${infer N}` ? N : never} N
   * @param {N} name
   * @param {import('./mount.js').ImportWizardEventMap[`cnp-import:${N}`]['detail']} detail
   * @param {boolean} [cancelable]
   */
  function emit(name, detail, cancelable = false) {
    const ev = new CustomEvent(EVENT_PREFIX + name, { detail, cancelable, bubbles: true });
    return host.dispatchEvent(ev);
  }

  /** @param {KeyboardEvent} e */
  function trapFocus(e) {
    if (e.key !== 'Tab') return;
    const root = confirmLayer.hidden ? frame : confirmLayer;
    const items = focusables(root);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !root.contains(active))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (active === last || !root.contains(active))) { e.preventDefault(); first.focus(); }
  }

  /**
   * In-dialog confirmation (role=alertdialog). Resolves true when confirmed.
   * @param {ConfirmText} text
   * @returns {Promise<boolean>}
   */
  function confirm({ title, message, ok, cancel = t('wizard.confirm.cancel') }) {
    return new Promise((resolve) => {
      const returnTo = /** @type {HTMLElement | null} */ (document.activeElement);
      const tid = uniqueId('confirm-title');
      const mid = uniqueId('confirm-msg');
      /** @param {boolean} v */
      const done = (v) => {
        confirmLayer.hidden = true;
        frame.inert = false;
        confirmLayer.replaceChildren();
        confirmLayer.removeEventListener('keydown', onKey);
        if (returnTo && document.contains(returnTo)) returnTo.focus();
        resolve(v);
      };
      /** @param {KeyboardEvent} e */
      const onKey = (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); done(false); } };
      const cancelBtn = h('button', { type: 'button', class: 'cnp-btn', onClick: () => done(false) }, cancel);
      const okBtn = h('button', { type: 'button', class: 'cnp-btn cnp-btn-danger', onClick: () => done(true) }, ok);
      replace(confirmLayer, h('div', { class: 'cnp-confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': tid, 'aria-describedby': mid },
        h('h3', { id: tid, class: 'cnp-confirm-title' }, title),
        h('p', { id: mid }, message),
        h('div', { class: 'cnp-confirm-actions' }, cancelBtn, okBtn)));
      confirmLayer.addEventListener('keydown', onKey);
      frame.inert = true;
      confirmLayer.hidden = false;
      cancelBtn.focus();
    });
  }

  /** @param {string} text */
  function announce(text) {
    announcer.textContent = '';
    // A fresh text node after a tick so repeated messages are announced again.
    setTimeout(() => { announcer.textContent = text; }, 50);
  }

  /** @type {Ctx} */
  const ctx = {
    t, h, options,
    get i18n() { return i18n; },
    fmt: (n) => i18n.number(n),
    get store() { return store; },
    get core() { return /** @type {CoreClient} */ (core); },
    get runner() { return runner; },
    whenCore: () => coreReady,
    confirm, announce,
    goTo, goNext, goBack,
    refreshNav: () => renderNav(),
    retryLookups: () => loadLookups(),
    lookupsPayload: () => lookupsPayload(),
    close: () => requestClose(),
    finish: () => finish(),
  };

  /** @param {State} state */
  function renderStepper(state) {
    const items = STEPS.map((s, i) => {
      const current = i === state.step;
      const done = i < state.step;
      return h('li', { class: ['cnp-stepper-item', current && 'is-current', done && 'is-done'], 'aria-current': current ? 'step' : null },
        h('span', { class: 'cnp-step-num', 'aria-hidden': 'true' }, done ? '✓' : String(i + 1)),
        h('span', { class: 'cnp-step-label' }, t(`step.${s.id}`)),
        done ? h('span', { class: 'cnp-visually-hidden' }, ` ${t('wizard.stepDone')}`) : null);
    });
    replace(stepper, items);
    stepper.setAttribute('aria-label', t('wizard.stepOf', { n: state.step + 1, total: STEPS.length }));
  }

  function renderNav() {
    if (!store) return;
    const state = store.get();
    const step = STEPS[state.step];
    const nav = state.info ? step.nav(state, ctx) : { back: false, next: null };
    backBtn.disabled = busy || !nav.back;
    backBtn.hidden = state.step === 0;
    if (nav.next) {
      nextBtn.hidden = false;
      nextBtn.textContent = nav.next.label || t('wizard.next');
      nextBtn.disabled = busy || !!nav.next.disabled;
    } else {
      nextBtn.hidden = true;
    }
    navHint.textContent = nav.hint || '';
  }

  /** @param {State} state */
  function renderStep(state) {
    if (view?.destroy) view.destroy();
    view = null;
    viewStep = state.step;
    if (state.startError) {
      replace(body, h('div', { class: 'cnp-alert is-error', role: 'alert' },
        h('p', null, t('wizard.startFailed', { message: state.startError })),
        h('button', { type: 'button', class: 'cnp-btn', onClick: () => start() }, t('wizard.retry'))));
      return;
    }
    if (!state.info) {
      replace(body, h('p', { class: 'cnp-muted', role: 'status' }, t('wizard.starting')));
      return;
    }
    // A step may change the store while it renders; those changes reach it through update() afterwards.
    rendering = true;
    try {
      view = STEPS[state.step].render(ctx);
    } finally {
      rendering = false;
    }
    replace(body, view.el);
    body.scrollTop = 0;
  }

  /** @param {State} state */
  function onState(state) {
    if (!isOpen) return;
    if (rendering) { missedUpdate = true; return; }
    const needsRender = state.step !== viewStep || (!view && state.info) || (state.startError && view);
    renderStepper(state);
    if (needsRender) {
      const stepChanged = state.step !== viewStep;
      renderStep(state);
      if (stepChanged || view) focusHeading();
      if (stepChanged) emit('step', { step: STEPS[state.step].id, index: state.step });
      if (missedUpdate) {
        missedUpdate = false;
        onState(store.get());
        return;
      }
    } else if (view?.update) {
      view.update(state);
    }
    renderNav();
  }

  function focusHeading() {
    const heading = view?.heading || body.querySelector('h3');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  }

  /** @param {ImportStep} id */
  function goTo(id) {
    const i = STEPS.findIndex((s) => s.id === id);
    if (i >= 0) store.set({ step: i });
  }

  async function goNext() {
    const state = store.get();
    const step = STEPS[state.step];
    if (busy) return;
    const nav = step.nav(state, ctx);
    if (!nav.next || nav.next.disabled) return;
    busy = true;
    renderNav();
    /** @type {boolean | 'close'} */
    let proceed = true;
    try {
      if (step.next) proceed = await step.next(ctx);
    } catch (err) {
      proceed = false;
      announce(i18n.error(err));
      view?.showError?.(err);
    } finally {
      busy = false;
    }
    if (proceed === 'close') { finish(); return; }
    if (proceed && store.get().step === state.step && state.step < STEPS.length - 1) store.set({ step: state.step + 1 });
    else renderNav();
  }

  function goBack() {
    const state = store.get();
    const nav = STEPS[state.step].nav(state, ctx);
    if (busy || !nav.back || state.step === 0) return;
    store.set({ step: state.step - 1 });
  }

  async function loadLookups() {
    store.set({ lookups: { state: 'loading', reason: '' } });
    /** @type {State['lookups']['state']} */
    let state = 'loaded';
    let reason = '';
    try {
      lookupsData = await fetchLookups(options);
    } catch (err) {
      state = 'failed';
      reason = /** @type {import('./i18n/index.js').Thrown} */ (err)?.message || String(err);
      lookupsData = { state: 'failed', roles: [], nodes: [], clients: [], applications: [] };
    }
    if (!store) return;
    store.set({ lookups: { state, reason }, lookupsVersion: store.get().lookupsVersion + 1 });
  }

  // The core keeps lookups per loaded file, so the preview hands them over right before each validate().
  function lookupsPayload() {
    return lookupsData || { state: 'failed', roles: [], nodes: [], clients: [], applications: [] };
  }

  // The frame's own words, again once the catalogue has loaded.
  function labelFrame() {
    titleEl.textContent = t('wizard.title');
    closeBtn.setAttribute('aria-label', t('wizard.close'));
    backBtn.textContent = t('wizard.back');
    frame.querySelector('.cnp-stepper-nav')?.setAttribute('aria-label', t('wizard.stepper'));
    dialog.setAttribute('lang', i18n.locale);
  }

  function loadLanguage() {
    const wanted = options.locale || '';
    if (!catalogueReady || catalogueReady.wanted !== wanted) {
      catalogueReady = loadCatalogue(wanted).then((c) => { catalogue = c; return c; }, () => catalogue);
      catalogueReady.wanted = wanted;
    }
    return catalogueReady;
  }

  async function start() {
    store.set({ startError: '', info: null });
    if (!core) {
      coreReady = createCoreClient({ baseUrl: options.coreBaseUrl });
      try {
        core = await coreReady;
      } catch (err) {
        coreReady = null;
        store.set({ startError: i18n.error(err) });
        return;
      }
    }
    try {
      const info = await core.info();
      i18n = createTranslator(catalogue, info);
      const modes = info.modes.filter((m) => m.surface === options.surface);
      store.set({ info, mode: modes.length === 1 ? modes[0].id : '' });
      core.warmUp().catch(() => { /* only speed depends on it */ });
    } catch (err) {
      store.set({ startError: i18n.error(err) });
    }
  }

  async function open() {
    if (isOpen || opening) return;
    if (backgroundRun) return; // a closed run is still finishing; it disposes the core when done
    // The dialog shows in its language from the first frame (the catalogue is a small module, loaded once).
    opening = true;
    try {
      await loadLanguage();
    } finally {
      opening = false;
    }
    i18n = createTranslator(catalogue, null);
    labelFrame();
    isOpen = true;
    opener = /** @type {HTMLElement | null} */ (document.activeElement);
    store = createStore(initialState());
    runner = createRunner(ctx, { onDone: onRunDone });
    unsubscribe = store.subscribe(onState);
    view = null;
    viewStep = -1;
    dialog.showModal();
    onState(store.get());
    emit('open', {});
    loadLookups();
    start();
  }

  async function onRunDone() {
    const c = core;
    /** @type {ImportSummary | null} */
    let summary = null;
    try {
      if (c) { // null when destroyed mid-run: no summary then
        const [results, progress] = [await c.results({ offset: 0, limit: 1 }), await c.progress()];
        summary = { mode: /** @type {ModeId} */ (store.get().mode), counts: results.counts, progress, stopped: backgroundRun };
        // Stopped and closed: the dialog (and its Results step) is gone, so the host gets what was not
        // imported as failed-rows.csv to offer instead.
        if (backgroundRun) summary.failedRowsCsv = await c.exportFailedRows();
      }
    } catch { /* the summary is best effort; the results step shows errors itself */ }
    const finished = store?.get().run.state === 'done';
    if (store && finished) store.set({ completed: true });
    if (summary) {
      emit('complete', summary);
      options.onComplete?.(summary);
    }
    if (backgroundRun) {
      backgroundRun = false;
      disposeCore();
      return;
    }
    if (isOpen && store.get().run.state === 'done') goTo('results');
  }

  async function requestClose() {
    if (!isOpen) return;
    if (!confirmLayer.hidden) return;
    const state = store.get();
    if (state.run.state === 'running') {
      const ok = await confirm({ title: t('wizard.closeRunning.title'), message: t('wizard.closeRunning.body'), ok: t('wizard.closeRunning.ok') });
      if (!ok) return;
      if (!emit('close', { reason: 'stopped' }, true)) return;
      hide();
      if (runner.running) {
        backgroundRun = true; // onRunDone reports the outcome and disposes the core
        runner.cancel();
      } else {
        disposeCore();
      }
      return;
    }
    if (state.source && state.run.state === 'idle') {
      const ok = await confirm({ title: t('wizard.closeDirty.title'), message: t('wizard.closeDirty.body'), ok: t('wizard.closeDirty.ok') });
      if (!ok) return;
    }
    if (!emit('close', { reason: 'user' }, true)) return;
    const completed = state.completed;
    hide();
    disposeCore();
    if (!completed) {
      emit('cancel', {});
      options.onCancel?.();
    }
  }

  function finish() {
    if (!isOpen) return;
    if (!emit('close', { reason: 'done' }, true)) return;
    hide();
    disposeCore();
  }

  function hide() {
    isOpen = false;
    if (view?.destroy) view.destroy();
    view = null;
    unsubscribe?.();
    if (dialog.open) dialog.close();
    replace(body);
    if (opener && document.contains(opener)) opener.focus();
  }

  function disposeCore() {
    if (core) {
      try { core.dispose(); } catch { /* already gone */ }
    }
    core = null;
    coreReady = null;
    lookupsData = null;
  }

  return {
    open,
    close: () => requestClose(),
    destroy() {
      if (isOpen) hide();
      if (!backgroundRun) disposeCore();
      dialog.remove();
    },
  };
}
