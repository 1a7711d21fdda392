// The directory check as the core asks for it: POST each request the session hands out to the scope's
// identities/lookup endpoint and give the answer back. Shared by the wizard's Preview step and headless
// callers (index.mjs re-exports it); the core decides what to ask and what an answer means.
/**
 * The directory check (SPEC.md Preview) of a validated session: POSTs the emails the core lists to the
 * scope's identities/lookup endpoint, 1,000 at a time, and hands each answer back, until the core has
 * nothing left to ask or a request fails (then it stops; calling it again retries from there).
 * options: {apiBaseUrl, authHeader: async () => 'Bearer …', scope: {accountId, environmentId}, fetch?,
 * timeoutMs?, signal?, onProgress?({stats, directory})}. Resolves to the last {stats, directory}.
 */
export async function checkDirectory(session, options) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30000;
  const base = String(options.apiBaseUrl ?? '').replace(/\/+$/, '');
  let last = { stats: await session.stats(), directory: await session.directoryStatus() };
  while (!options.signal?.aborted) {
    const action = await session.directoryNext(options.scope ?? {});
    if (action.kind === 'done') break;
    let reply;
    try {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const res = await doFetch(`${base}${action.path}`, {
        method: action.method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: await options.authHeader() },
        body: action.body,
        signal,
      });
      reply = { status: res.status, body: await res.text() };
    } catch (err) {
      if (options.signal?.aborted) break;
      // The core words why (directory_timeout, directory_no_answer), in the page's language too.
      reply = err?.name === 'TimeoutError' ? { status: 0, timeoutS: Math.max(1, Math.round(timeoutMs / 1000)) } : { status: 0 };
    }
    if (options.signal?.aborted) break;
    last = await session.directoryResponse(reply);
    options.onProgress?.(last);
    if (last.directory.state === 'failed') break;
  }
  return last;
}
