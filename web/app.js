// Demo dashboard shell: hash routing, environment switcher, Overview with the setup banner and Setup Guide,
// and the two Identities pages that open the import wizard. Talks to the reference server only.
import { mountImportWizard } from './wizard/mount.js';
import { h, replace, fmt } from './wizard/dom.js';
import { createTranslator } from './wizard/i18n/index.js';
import { shellStrings } from './app-strings.js';

// The demo host stays English; the wizard follows the page's language (<html lang>) or ?lang=.
const { t } = createTranslator({ locale: 'en', strings: shellStrings, core: {} }, null);

const ROUTES = {
  '/overview': renderOverview,
  '/access-control/identities': (el) => renderIdentities(el, 'access-control'),
  '/tenant/identities': (el) => renderIdentities(el, 'tenant'),
};
const ENV_KEY = 'canopy-demo-environment';

const state = { session: null, envId: '', wizard: null, guideOpen: false, guideTab: 'invite', guideOpener: null, renderSeq: 0 };

const $ = (sel) => document.querySelector(sel);
const main = $('#main');
const envSelect = $('#env-select');
const guide = $('#setup-guide');
const toast = $('#toast');

// ---------------------------------------------------------------- API

async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json', Authorization: `Bearer ${state.session.token}` } });
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try { message = (await res.json())?.error?.message || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return (await res.json()).items || [];
}

const envIdentities = (envId) => api(`/api/v1/environments/${encodeURIComponent(envId)}/identities`);
const accountIdentities = () => api('/api/v1/identities');
const environment = () => state.session.environments.find((e) => e.id === state.envId) || state.session.environments[0];
const hasRoles = (items) => items.some((i) => (i.assignments || []).length > 0);

// ---------------------------------------------------------------- Routing

function currentRoute() {
  const path = location.hash.replace(/^#/, '') || '/overview';
  return ROUTES[path] ? path : '/overview';
}

function render() {
  if (!state.session) return;
  const route = currentRoute();
  for (const a of document.querySelectorAll('.sidenav a[data-route]')) {
    if (a.dataset.route === route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  state.renderSeq += 1;
  state.refreshList = null;
  ROUTES[route](main, state.renderSeq);
  if (state.guideOpen) renderGuide();
}

function navigate() {
  render();
  main.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- Pages

function pageHeader({ section, title, intro, action }) {
  return h('div', { class: 'page-header' },
    h('div', { class: 'page-heading' },
      section ? h('p', { class: 'breadcrumb' }, section) : null,
      h('h1', null, title),
      intro ? h('p', { class: 'muted' }, intro) : null),
    action || null);
}

async function renderOverview(el, seq) {
  const env = environment();
  const banner = h('div', { class: 'banner-slot' });
  const stats = h('div', { class: 'stat-slot' }, h('p', { class: 'muted' }, t('shell.loading')));
  replace(el,
    pageHeader({ title: t('shell.overviewHeading'), intro: t('shell.overviewEnv', { name: env.name }) }),
    banner, stats);
  let items;
  try {
    items = await envIdentities(env.id);
  } catch (err) {
    if (seq === state.renderSeq) replace(stats, h('p', { class: 'alert', role: 'alert' }, t('shell.listFailed', { message: err.message })));
    return;
  }
  if (seq !== state.renderSeq) return;
  if (!hasRoles(items)) {
    replace(banner, h('section', { class: 'setup-banner', 'aria-label': t('shell.setupGuide') },
      h('p', null, t('shell.banner')),
      h('button', { type: 'button', class: 'btn btn-primary', onClick: (e) => openGuide('invite', e.currentTarget) }, t('shell.bannerCta'))));
  }
  const active = items.filter((i) => i.status !== 'invited');
  const tile = (label, n) => h('div', { class: 'stat' }, h('dt', null, label), h('dd', null, fmt(n)));
  replace(stats, h('dl', { class: 'stats' },
    tile(t('shell.stat.identities'), active.length),
    tile(t('shell.stat.withRoles'), items.filter((i) => (i.assignments || []).length).length),
    tile(t('shell.stat.pending'), items.length - active.length)));
}

function identityTable(items, surface) {
  const name = (i) => [i.first_name, i.last_name].filter(Boolean).join(' ');
  const cols = surface === 'tenant'
    ? [['shell.col.email', (i) => i.email], ['shell.col.name', name], ['shell.col.external', (i) => i.external_id || ''],
      ['shell.col.role', (i) => (i.applications || []).map((a) => a.name).join(', ')], ['shell.col.created', (i) => (i.created_at || '').slice(0, 10)]]
    : [['shell.col.email', (i) => i.email], ['shell.col.name', name], ['shell.col.status', (i) => i.status],
      ['shell.col.role', (i) => (i.assignments || []).map((a) => `${a.role_name} @ ${a.node_name}`).join(', ')],
      ['shell.col.created', (i) => (i.created_at || '').slice(0, 10)]];
  if (surface === 'tenant') cols[3][0] = 'shell.col.apps';
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('shell.identities') },
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, cols.map(([k]) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, items.map((i) => h('tr', null, cols.map(([k, get], n) => (n === 0
        ? h('th', { scope: 'row' }, get(i))
        : h('td', null, k === 'shell.col.status' ? h('span', { class: `pill is-${get(i)}` }, get(i)) : get(i)))))))));
}

async function renderIdentities(el, surface, seq) {
  seq = seq ?? state.renderSeq;
  const env = environment();
  const listSlot = h('div', { class: 'list-slot' }, h('p', { class: 'muted' }, t('shell.loading')));
  const importBtn = h('button', { type: 'button', class: 'btn btn-primary', onClick: () => openWizard(surface) }, t('shell.importCsv'));
  replace(el,
    pageHeader({
      section: t(surface === 'tenant' ? 'shell.tenant' : 'shell.accessControl'),
      title: t('shell.identities'),
      intro: surface === 'tenant' ? t('shell.tenantIntro', { name: state.session.account.name }) : t('shell.acIntro', { name: env.name }),
      action: importBtn,
    }),
    listSlot);
  // Refreshing only the list keeps the Import CSV button, where focus returns when the wizard closes.
  const refresh = async () => {
    try {
      const items = surface === 'tenant' ? await accountIdentities() : await envIdentities(env.id);
      if (seq !== state.renderSeq) return;
      replace(listSlot, items.length ? identityTable(items, surface) : h('div', { class: 'empty' }, h('p', null, t('shell.empty'))));
    } catch (err) {
      if (seq === state.renderSeq) replace(listSlot, h('p', { class: 'alert', role: 'alert' }, t('shell.listFailed', { message: err.message })));
    }
  };
  state.refreshList = () => (seq === state.renderSeq ? refresh() : render());
  await refresh();
}

// ---------------------------------------------------------------- Import wizard

function openWizard(surface) {
  state.wizard?.destroy();
  const session = state.session;
  state.wizard = mountImportWizard($('#wizard-host'), {
    apiBaseUrl: '',
    coreBaseUrl: '/dist/',
    accountId: session.account.id,
    environmentId: environment().id,
    surface,
    locale: new URLSearchParams(location.search).get('lang') || undefined,
    theme: new URLSearchParams(location.search).get('theme') || undefined,
    authHeader: async () => `Bearer ${session.token}`,
    onComplete(summary) {
      const c = summary.counts || {};
      const failed = fmt((c.failed || 0) + (c.unconfirmed || 0));
      if (summary.stopped) {
        // Stop and close: say what was not sent, and keep failed-rows.csv within reach.
        showToast(t('shell.stopped', { created: fmt(c.created), invited: fmt(c.invited), failed, cancelled: fmt(c.cancelled || 0) }),
          summary.failedRowsCsv && (c.cancelled || c.failed || c.unconfirmed) ? { label: t('shell.stoppedDownload'), run: () => downloadCsv('failed-rows.csv', summary.failedRowsCsv) } : null);
      } else {
        showToast(t('shell.imported', { created: fmt(c.created), invited: fmt(c.invited), failed }));
      }
      // The lists (and the Overview banner) reflect the import.
      if (currentRoute() !== '/overview' && state.refreshList) state.refreshList();
      else render();
    },
    onCancel() { /* nothing was imported */ },
  });
  state.wizard.open();
}

let toastTimer = 0;
// `action`: {label, run} adds a button, and the toast stays until it is used or the next one comes.
function showToast(text, action = null) {
  toast.textContent = text;
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-small toast-action';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    toast.append(' ', button);
  }
  toast.classList.add('is-visible');
  clearTimeout(toastTimer);
  if (!action) toastTimer = setTimeout(() => { toast.classList.remove('is-visible'); toast.textContent = ''; }, 8000);
}

function downloadCsv(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---------------------------------------------------------------- Setup Guide slide-out

function openGuide(tab, opener) {
  state.guideOpen = true;
  state.guideTab = tab;
  state.guideOpener = opener || document.activeElement;
  renderGuide();
  guide.hidden = false;
  requestAnimationFrame(() => guide.classList.add('is-open'));
  $('#guide-title')?.focus();
}

function closeGuide() {
  state.guideOpen = false;
  guide.classList.remove('is-open');
  guide.hidden = true;
  const back = state.guideOpener;
  if (back && document.contains(back)) back.focus();
  else main.focus();
}

async function renderGuide() {
  const env = environment();
  const tabs = [['start', t('shell.tab.start')], ['invite', t('shell.tab.invite')]];
  const tabEls = tabs.map(([id, label]) => h('button', {
    type: 'button', role: 'tab', id: `guide-tab-${id}`, 'aria-controls': 'guide-panel',
    'aria-selected': String(state.guideTab === id), tabindex: state.guideTab === id ? '0' : '-1', class: 'tab',
    onClick: () => { state.guideTab = id; renderGuide(); document.getElementById(`guide-tab-${id}`)?.focus(); },
  }, label));
  const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t('shell.guideTabs') }, tabEls);
  tablist.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex(([id]) => id === state.guideTab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
    state.guideTab = next;
    renderGuide();
    document.getElementById(`guide-tab-${next}`)?.focus();
  });
  const panel = h('div', { role: 'tabpanel', id: 'guide-panel', class: 'tabpanel', 'aria-labelledby': `guide-tab-${state.guideTab}` });
  const focusedId = guide.contains(document.activeElement) ? document.activeElement.id : '';
  replace(guide,
    h('div', { class: 'guide-head' },
      h('h2', { id: 'guide-title', tabindex: '-1' }, t('shell.setupGuide')),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('shell.guideClose'), onClick: closeGuide }, '×')),
    tablist, panel);
  if (focusedId) document.getElementById(focusedId)?.focus();

  if (state.guideTab === 'start') {
    replace(panel, h('p', null, t('shell.start.body')),
      h('button', { type: 'button', class: 'btn', onClick: () => { state.guideTab = 'invite'; renderGuide(); } }, t('shell.tab.invite')));
    return;
  }
  let items = [];
  let roles = [];
  let nodes = [];
  try {
    [items, roles, nodes] = await Promise.all([
      envIdentities(env.id),
      api(`/api/v1/environments/${encodeURIComponent(env.id)}/roles`),
      api(`/api/v1/environments/${encodeURIComponent(env.id)}/nodes`),
    ]);
  } catch { /* the steps still show; only their done marks and the id lists are missing */ }
  if (!state.guideOpen || state.guideTab !== 'invite') return;
  const here = currentRoute();
  const step = (n, title, help, done, link, extra) => h('li', { class: ['guide-step', done && 'is-done'] },
    h('div', { class: 'guide-step-head' },
      h('span', { class: 'guide-num', 'aria-hidden': 'true' }, done ? '✓' : String(n)),
      h('h3', null, title),
      h('span', { class: `pill ${done ? 'is-active' : 'is-todo'}` }, t(done ? 'shell.step.done' : 'shell.step.todo'))),
    h('p', null, help),
    extra || null,
    h('a', { href: link.href, class: 'btn btn-small', 'aria-current': here === link.href.slice(1) ? 'page' : null }, link.label));
  const idList = (label, list) => h('div', { class: 'id-list' },
    h('p', { class: 'id-list-title' }, label),
    h('ul', null, list.map((x) => h('li', null, h('span', null, x.name), h('code', null, x.id)))));
  replace(panel, h('ol', { class: 'guide-steps' },
    step(1, t('shell.step.invite'), t('shell.step.invite.help'), items.length > 0,
      { href: '#/access-control/identities', label: t('shell.step.invite.link') }),
    step(2, t('shell.step.assign'), t('shell.step.assign.help'), hasRoles(items),
      { href: '#/access-control/identities', label: t('shell.step.assign.link') },
      roles.length ? h('div', { class: 'id-lists' }, idList(t('shell.roles', { name: env.name }), roles), idList(t('shell.nodes'), nodes)) : null)));
}

// ---------------------------------------------------------------- Boot

async function boot() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  $('.skip-link').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
  guide.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeGuide(); });

  try {
    const res = await fetch('/demo/session');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    state.session = await res.json();
  } catch (err) {
    replace(main, h('p', { class: 'alert', role: 'alert' }, t('shell.sessionFailed', { message: err.message })));
    return;
  }
  const envs = state.session.environments;
  let saved = '';
  try { saved = localStorage.getItem(ENV_KEY) || ''; } catch { /* storage disabled */ }
  state.envId = envs.some((e) => e.id === saved) ? saved : envs[0]?.id;
  $('#account-name').textContent = state.session.account.name;
  replace(envSelect, envs.map((e) => h('option', { value: e.id, selected: e.id === state.envId }, e.name)));
  envSelect.disabled = false;
  envSelect.addEventListener('change', () => {
    state.envId = envSelect.value;
    try { localStorage.setItem(ENV_KEY, state.envId); } catch { /* optional */ }
    state.wizard?.destroy();
    state.wizard = null;
    render();
  });
  window.addEventListener('hashchange', navigate);
  if (!location.hash) history.replaceState(null, '', '#/overview');
  render();
}

boot();
