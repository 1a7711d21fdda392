// The few GET requests the wizard makes itself: the lookups the core validates against.
const LOOKUP_TIMEOUT_MS = 30000;

/**
 * @typedef {Pick<import('./mount.js').ImportWizardOptions, 'apiBaseUrl' | 'authHeader' | 'surface' | 'environmentId'>} LookupOptions
 * @typedef {import('../../dist/index.mjs').Lookups} Lookups
 */
/** An element of a list as the server sent it: every read of it is checked. @typedef {{ [key: string]: unknown } | null | undefined} Item */

/**
 * @param {string | undefined} base
 * @param {string} path
 */
function joinUrl(base, path) {
  return String(base || '').replace(/\/+$/, '') + path;
}

/**
 * The `items` of a list endpoint's JSON.
 * @param {LookupOptions} options
 * @param {string} path
 * @returns {Promise<Item[]>}
 */
async function getItems(options, path) {
  const res = await fetch(joinUrl(options.apiBaseUrl, path), {
    headers: { Accept: 'application/json', Authorization: await options.authHeader() },
    signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const json = await res.json();
  return Array.isArray(json?.items) ? json.items : [];
}

/**
 * Fetches what the surface's modes validate against: roles, nodes and OAuth clients of the environment
 * (Access Control), applications of the account (Tenant). Resolves to the core's setLookups() argument.
 * @param {LookupOptions} options
 * @returns {Promise<Lookups>}
 */
export async function fetchLookups(options) {
  const env = encodeURIComponent(options.environmentId ?? '');
  /**
   * @param {Item[]} items
   * @param {string} [key]
   */
  const ids = (items, key = 'id') => items.map((it) => String(it?.[key] ?? '')).filter(Boolean);
  // [id, name] pairs, so the preview can show "Admin · 5b0f7a53…" beside an id.
  /**
   * @param {Item[]} items
   * @param {string} [key]
   * @returns {[string, string][]}
   */
  const named = (items, key = 'id') => items.filter((it) => it?.[key] && typeof it?.name === 'string').map((it) => [String(it?.[key]), String(it?.name)]);
  if (options.surface === 'tenant') {
    const applications = await getItems(options, '/api/v1/applications');
    return { state: 'loaded', roles: [], nodes: [], clients: [], applications: ids(applications), names: named(applications) };
  }
  const [roles, nodes, clients] = await Promise.all([
    getItems(options, `/api/v1/environments/${env}/roles`),
    getItems(options, `/api/v1/environments/${env}/nodes`),
    getItems(options, `/api/v1/environments/${env}/oauth-clients`),
  ]);
  return {
    state: 'loaded', roles: ids(roles), nodes: ids(nodes), clients: ids(clients, 'client_id'), applications: [],
    names: [...named(roles), ...named(nodes), ...named(clients, 'client_id')],
  };
}

export { joinUrl };
