// Test-only fault injection for the bulk endpoints: queued failures, latency, responses lost after commit,
// and a seeded random mix so a flaky-network run can be replayed exactly. Also counts requests.
// Only wired in when the server starts with faults enabled; otherwise /__test/* is a 404.

const ERROR_CODES = {
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};
const MAX_EVENTS = 500;
const DEFAULT_RANDOM_LATENCY_MS = 1000;

export class FaultConfigError extends Error {}

export const faultErrorCode = (status) => ERROR_CODES[status] ?? 'injected_fault';

// mulberry32: tiny, seedable, good enough to pick faults reproducibly.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const check = (ok, message) => {
  if (!ok) throw new FaultConfigError(message);
};
const isCount = (n) => Number.isSafeInteger(n) && n >= 0;
const isStatus = (s) => Number.isInteger(s) && s >= 400 && s <= 599;
const isRetryAfter = (v) => v === undefined || v === null || (typeof v === 'string' && /^[\x20-\x7e]*$/.test(v)) || isCount(v);
const retryAfterHeader = (v) => (v === undefined || v === null || v === '' ? null : String(v));

export function createFaults() {
  let failQueue = [];
  let latencyMs = 0;
  let lostRemaining = 0;
  let randomConfig = null;
  let randomNext = null;
  let counters;

  function resetCounters() {
    counters = {
      total: 0,
      paths: {},
      bulk: { received: 0, failed: 0, processed: 0, replayed: 0, inFlight: 0, reused: 0, rejected: 0, lost: 0, delayed: 0 },
      events: [],
    };
  }
  resetCounters();

  const faults = {
    // Fail the next `count` bulk requests with `status` (and a Retry-After header when given) before they
    // reach the database. Calls queue up: failNext(1, 503) then failNext(1, 429) fails with 503, then 429.
    failNext(count = 1, status = 503, { retryAfter } = {}) {
      check(isCount(count), 'count must be a non-negative integer');
      check(isStatus(status), 'status must be an HTTP error status (400-599)');
      check(isRetryAfter(retryAfter), 'retryAfter must be a number of seconds or an HTTP date string');
      for (let i = 0; i < count; i++) failQueue.push({ status, retryAfter: retryAfterHeader(retryAfter) });
      return faults.state();
    },
    // Delay every processed bulk request by `ms` after its idempotency key is marked in flight.
    setLatency(ms = 0) {
      check(isCount(ms), 'latencyMs must be a non-negative integer');
      latencyMs = ms;
      return faults.state();
    },
    // The next `count` bulk requests that commit rows get their socket destroyed instead of an answer.
    lostAfterCommit(count = 1) {
      check(isCount(count), 'lostAfterCommit must be a non-negative integer');
      lostRemaining = count;
      return faults.state();
    },
    // { rate, seed, kinds, latencyMs?, retryAfter? } or null to turn off. Each bulk request draws from a
    // PRNG seeded with `seed`: with probability `rate` it gets one of `kinds`: an HTTP status as a string
    // ("503", "429", "500", ...), "lost" (commit, then drop the socket) or "latency" (+latencyMs).
    random(config) {
      if (config === null || config === undefined || config === false) {
        randomConfig = null;
        randomNext = null;
        return faults.state();
      }
      const { rate, seed = 1, kinds, latencyMs: lat = DEFAULT_RANDOM_LATENCY_MS, retryAfter } = config;
      check(typeof rate === 'number' && rate >= 0 && rate <= 1, 'random.rate must be a number in [0, 1]');
      check(Number.isSafeInteger(seed), 'random.seed must be an integer');
      check(Array.isArray(kinds) && kinds.length > 0, 'random.kinds must be a non-empty array');
      for (const k of kinds) {
        check(k === 'lost' || k === 'latency' || isStatus(Number(k)), `random.kinds: unknown kind ${JSON.stringify(k)}`);
      }
      check(isCount(lat), 'random.latencyMs must be a non-negative integer');
      check(isRetryAfter(retryAfter), 'random.retryAfter must be seconds or an HTTP date string');
      randomConfig = { rate, seed, kinds: kinds.map(String), latencyMs: lat, retryAfter: retryAfterHeader(retryAfter) };
      randomNext = mulberry32(seed);
      return faults.state();
    },
    // The HTTP body of POST /__test/faults; every key is optional and validated before anything changes.
    configure(body) {
      check(body !== null && typeof body === 'object' && !Array.isArray(body), 'body must be a JSON object');
      const known = new Set(['fail', 'latencyMs', 'lostAfterCommit', 'random']);
      for (const k of Object.keys(body)) check(known.has(k), `unknown key "${k}"`);
      const fails = body.fail === undefined ? [] : Array.isArray(body.fail) ? body.fail : [body.fail];
      for (const f of fails) {
        check(f !== null && typeof f === 'object', 'fail must be an object or an array of objects');
        check(f.count === undefined || isCount(f.count), 'fail.count must be a non-negative integer');
        check(f.status === undefined || isStatus(f.status), 'fail.status must be an HTTP error status (400-599)');
        check(isRetryAfter(f.retryAfter), 'fail.retryAfter must be seconds or an HTTP date string');
      }
      if (body.latencyMs !== undefined) check(isCount(body.latencyMs), 'latencyMs must be a non-negative integer');
      if (body.lostAfterCommit !== undefined) check(isCount(body.lostAfterCommit), 'lostAfterCommit must be a non-negative integer');
      // random() validates before it changes anything, and runs first, so a bad body changes nothing.
      if (body.random !== undefined) faults.random(body.random);
      for (const f of fails) faults.failNext(f.count ?? 1, f.status ?? 503, { retryAfter: f.retryAfter });
      if (body.latencyMs !== undefined) faults.setLatency(body.latencyMs);
      if (body.lostAfterCommit !== undefined) faults.lostAfterCommit(body.lostAfterCommit);
      return faults.state();
    },
    // Clears every fault and every counter.
    reset() {
      failQueue = [];
      latencyMs = 0;
      lostRemaining = 0;
      randomConfig = null;
      randomNext = null;
      resetCounters();
      return faults.state();
    },
    state() {
      return {
        fail: failQueue.map((f) => ({ ...f })),
        latencyMs,
        lostAfterCommit: lostRemaining,
        random: randomConfig ? { ...randomConfig, kinds: [...randomConfig.kinds] } : null,
      };
    },
    stats() {
      return structuredClone(counters);
    },

    // --- hooks for the server ---
    countRequest(path) {
      counters.total++;
      counters.paths[path] = (counters.paths[path] ?? 0) + 1;
    },
    // Decides the fate of one bulk request as it arrives: { fail: {status, retryAfter} | null,
    // latencyMs, lost }. `lost` here is only the random kind; lostAfterCommit is taken at commit time.
    planBulk() {
      counters.bulk.received++;
      const plan = { fail: null, latencyMs, lost: false };
      if (failQueue.length > 0) {
        plan.fail = failQueue.shift();
      } else if (randomConfig && randomNext() < randomConfig.rate) {
        const kind = randomConfig.kinds[Math.floor(randomNext() * randomConfig.kinds.length)];
        if (kind === 'lost') plan.lost = true;
        else if (kind === 'latency') plan.latencyMs += randomConfig.latencyMs;
        else {
          const status = Number(kind);
          plan.fail = { status, retryAfter: status === 429 || status === 503 ? randomConfig.retryAfter : null };
        }
      }
      return plan;
    },
    takeLostAfterCommit() {
      if (lostRemaining <= 0) return false;
      lostRemaining--;
      return true;
    },
    // outcome: failed | processed | replayed | inFlight | reused | rejected | lost | delayed
    record(outcome, event) {
      if (outcome in counters.bulk) counters.bulk[outcome]++;
      if (event) {
        counters.events.push({ outcome, ...event });
        if (counters.events.length > MAX_EVENTS) counters.events.shift();
      }
    },
  };
  return faults;
}
