// A tiny state store: one object, shallow patches, synchronous subscribers.
/**
 * @template {object} S
 * @typedef {object} Store
 * @property {() => S} get
 * @property {(patch: Partial<S> | ((state: S) => Partial<S>)) => void} set
 * @property {(fn: (state: S, patch: Partial<S>) => void) => () => boolean} subscribe  returns the unsubscribe
 */
/**
 * @template {object} S
 * @param {S} initial
 * @returns {Store<S>}
 */
export function createStore(initial) {
  let state = { ...initial };
  /** @type {Set<(state: S, patch: Partial<S>) => void>} */
  const subs = new Set();
  return {
    get: () => state,
    set(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...next };
      for (const fn of [...subs]) fn(state, next);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
