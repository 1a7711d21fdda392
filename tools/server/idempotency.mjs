// Idempotency records: a key is claimed (state in_flight) before a batch is processed, and the response
// is stored in the same transaction as the batch's rows, so "rows committed" and "response replayable"
// are one fact. Records live 24 h; expired ones are purged lazily when a key is claimed.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export function createIdempotencyStore(db, { ttlMs = IDEMPOTENCY_TTL_MS, now = Date.now } = {}) {
  // A claim left in flight by a crashed process has no rows behind it (they share a transaction), so it
  // is safe to forget on start.
  db.prepare("DELETE FROM idempotency_keys WHERE state = 'in_flight'").run();

  const purge = db.prepare('DELETE FROM idempotency_keys WHERE created_at <= ?');
  const select = db.prepare('SELECT path, body_sha256, state, status_code, response_body FROM idempotency_keys WHERE account_id = ? AND key = ?');
  const insert = db.prepare(
    "INSERT INTO idempotency_keys (account_id, key, path, body_sha256, state, created_at) VALUES (?, ?, ?, ?, 'in_flight', ?)",
  );
  const complete = db.prepare(
    "UPDATE idempotency_keys SET state = 'done', status_code = ?, response_body = ? WHERE account_id = ? AND key = ? AND state = 'in_flight'",
  );
  const release = db.prepare("DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND state = 'in_flight'");

  const claimTx = db.transaction((accountId, key, path, bodySha256) => {
    const t = now();
    purge.run(t - ttlMs);
    const row = select.get(accountId, key);
    if (!row) {
      insert.run(accountId, key, path, bodySha256, t);
      return { kind: 'claimed' };
    }
    if (row.path !== path || row.body_sha256 !== bodySha256) return { kind: 'reused' };
    if (row.state === 'in_flight') return { kind: 'in_flight' };
    return { kind: 'replay', status: row.status_code, body: row.response_body };
  });

  return {
    // -> { kind: 'claimed' } | { kind: 'replay', status, body: Buffer } | { kind: 'in_flight' } | { kind: 'reused' }
    claim: (accountId, key, path, bodySha256) => claimTx(accountId, key, path, bodySha256),
    // Call inside the transaction that writes the batch.
    complete(accountId, key, status, body) {
      if (complete.run(status, body, accountId, key).changes !== 1) throw new Error('idempotency claim lost');
    },
    // Gives the key back when processing failed before anything was committed.
    release: (accountId, key) => release.run(accountId, key),
  };
}
