// One bulk request as the core asked for it: the exact body and idempotency key, the host's
// Authorization, a timeout. Returns what the core needs to decide what happens next: {status,
// retryAfter, body, replayed}, or null with `timedOut` when no answer came. Shared by submitAll() (headless)
// and the wizard's submit step; neither decides anything about retries.
export async function sendBatch(action, { apiBaseUrl = '', authHeader, fetch: doFetch = fetch, timeoutMs = 30000 }) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  try {
    const base = String(apiBaseUrl).replace(/\/+$/, '');
    const res = await doFetch(`${base}${action.path}`, {
      method: action.method,
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': action.idempotencyKey,
        Authorization: await authHeader(),
      },
      body: action.body,
      signal: controller.signal,
    });
    // Idempotent-Replayed: true: the server answered from its idempotency store (an earlier attempt's rows).
    const replayed = res.headers.get('Idempotent-Replayed') === 'true';
    return { reply: { status: res.status, retryAfter: res.headers.get('Retry-After') ?? '', body: await res.text(), replayed }, timedOut };
  } catch {
    return { reply: null, timedOut };
  } finally {
    clearTimeout(timer);
  }
}
