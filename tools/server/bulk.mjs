// The three bulk-create endpoints: body checks, idempotency, per-row checks, one transaction per batch.
// Request bodies carry passwords: nothing here logs them or echoes field values except ids and emails
// the caller sent.
import { createHmac, randomBytes } from 'node:crypto';

import { listApplications, listNodes, listOauthClients, listRoles, sha256Hex } from './db.mjs';
import { faultErrorCode } from './faults.mjs';
import { BodyTooLarge, JsonTooDeep, MAX_JSON_DEPTH, parseJsonBody, readBody, sendBytes, sendError, sleep } from './http.mjs';
import { hashPassword } from './password.mjs';
import { MODES, bodyShapeError, checkRow } from './rows.mjs';

export const MAX_ROWS = 200;
// Far above 200 honest rows; a body this big is refused before it is parsed.
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const newId = (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`;

// An invite's token, derived from its id with the server's link secret (kept in memory, never stored):
// the database holds only its hash, the idempotency store no link at all, and a replay derives the
// link again. After a restart with a new secret the derived token no longer matches, and a replay
// withholds the link (accept_link_withheld) instead of handing out a wrong one.
export const inviteToken = (linkSecret, inviteId) => createHmac('sha256', linkSecret).update(inviteId).digest('base64url').slice(0, 32);

// origin(): the configured origin of accept links (server.mjs), never the request's Host header.
export function createBulkHandler({ db, idempotency, faults, origin, linkSecret }) {
  const q = {
    identityInEnv: db.prepare('SELECT 1 FROM identities WHERE account_id = ? AND environment_id = ? AND email_norm = ?'),
    identityInAccount: db.prepare('SELECT 1 FROM identities WHERE account_id = ? AND environment_id IS NULL AND email_norm = ?'),
    pendingInvite: db.prepare("SELECT 1 FROM invites WHERE environment_id = ? AND email_norm = ? AND status = 'invited'"),
    insertIdentity: db.prepare(
      `INSERT INTO identities (id, account_id, environment_id, email, email_norm, first_name, last_name, external_id,
                               client_id, password_hash, source, created_at)
       VALUES (@id, @account_id, @environment_id, @email, @email_norm, @first_name, @last_name, @external_id,
               @client_id, @password_hash, @source, @created_at)`,
    ),
    inviteForLink: db.prepare('SELECT send_email, status, token_sha256 FROM invites WHERE id = ? AND environment_id = ?'),
    insertAssignment: db.prepare('INSERT INTO role_assignments (identity_id, role_id, node_id) VALUES (?, ?, ?)'),
    insertMembership: db.prepare('INSERT INTO app_memberships (identity_id, application_id) VALUES (?, ?)'),
    insertInvite: db.prepare(
      `INSERT INTO invites (id, environment_id, email, email_norm, first_name, last_name, role_id, node_id, client_id,
                            send_email, token_sha256, status, created_at)
       VALUES (@id, @environment_id, @email, @email_norm, @first_name, @last_name, @role_id, @node_id, @client_id,
               @send_email, @token_sha256, 'invited', @created_at)`,
    ),
  };

  function lookupsFor(accountId, environmentId) {
    const ids = (items, key = 'id') => new Set(items.map((i) => i[key]));
    return {
      roles: environmentId ? ids(listRoles(db, environmentId)) : new Set(),
      nodes: environmentId ? ids(listNodes(db, environmentId)) : new Set(),
      clients: environmentId ? ids(listOauthClients(db, environmentId), 'client_id') : new Set(),
      applications: ids(listApplications(db, accountId)),
    };
  }

  // Returns a conflict message, or null when the email is free in the scope.
  function conflict(ctx, v, seenInBatch) {
    const earlier = seenInBatch.get(v.email_norm);
    if (earlier !== undefined) return `email is already used by row ${earlier} of this request`;
    if (!ctx.environmentId) {
      return q.identityInAccount.get(ctx.accountId, v.email_norm) ? 'an identity with this email already exists in this account' : null;
    }
    if (q.identityInEnv.get(ctx.accountId, ctx.environmentId, v.email_norm)) {
      return 'an identity with this email already exists in this environment';
    }
    if (q.pendingInvite.get(ctx.environmentId, v.email_norm)) return 'a pending invite for this email already exists in this environment';
    return null;
  }

  const writers = {
    invite(ctx, v) {
      const id = newId('inv');
      const token = inviteToken(linkSecret, id);
      const sendEmail = v.send_email ?? true;
      q.insertInvite.run({
        id,
        environment_id: ctx.environmentId,
        email: v.email,
        email_norm: v.email_norm,
        first_name: v.first_name ?? null,
        last_name: v.last_name ?? null,
        role_id: v.role_id ?? null,
        node_id: v.node_id ?? null,
        client_id: v.client_id ?? null,
        send_email: sendEmail ? 1 : 0,
        token_sha256: sha256Hex(token),
        created_at: ctx.createdAt,
      });
      // Sending mail is out of scope for the reference server; send_email=false hands the link back.
      return sendEmail ? { id } : { id, accept_link: `${ctx.origin}/accept/${token}` };
    },
    create(ctx, v, passwordHash) {
      const id = newId('idn');
      q.insertIdentity.run({
        id,
        account_id: ctx.accountId,
        environment_id: ctx.environmentId,
        email: v.email,
        email_norm: v.email_norm,
        first_name: v.first_name,
        last_name: v.last_name,
        external_id: v.external_id ?? null,
        client_id: v.client_id ?? null,
        password_hash: passwordHash ?? null,
        source: 'create',
        created_at: ctx.createdAt,
      });
      if (v.role_id) q.insertAssignment.run(id, v.role_id, v.node_id);
      return { id };
    },
    account(ctx, v, passwordHash) {
      const id = newId('idn');
      q.insertIdentity.run({
        id,
        account_id: ctx.accountId,
        environment_id: null,
        email: v.email,
        email_norm: v.email_norm,
        first_name: v.first_name,
        last_name: v.last_name,
        external_id: v.external_id ?? null,
        client_id: null,
        password_hash: passwordHash ?? null,
        source: 'account',
        created_at: ctx.createdAt,
      });
      if (v.application_id) q.insertMembership.run(id, v.application_id);
      return { id };
    },
  };

  // Writes the batch and stores its response under the key, atomically. Returns the response bytes.
  const processBatch = db.transaction((ctx, checked, hashes) => {
    const seenInBatch = new Map();
    const results = checked.map((c, i) => {
      if (c.error) return { row: c.row, status: 'error', error: c.error };
      const message = conflict(ctx, c.values, seenInBatch);
      if (message) return { row: c.row, status: 'error', error: { code: 'email_conflict', message } };
      seenInBatch.set(c.values.email_norm, c.row);
      const written = writers[ctx.mode](ctx, c.values, hashes[i]);
      return { row: c.row, status: MODES[ctx.mode].success, ...written };
    });
    const bytes = Buffer.from(JSON.stringify({ results }), 'utf8');
    // Stored without accept links (their tokens are live secrets); replayAnswer derives them again.
    const stored = results.some((r) => r.accept_link) ? Buffer.from(JSON.stringify({ results: results.map(({ accept_link, ...r }) => r) }), 'utf8') : bytes;
    idempotency.complete(ctx.accountId, ctx.key, 200, stored);
    return bytes;
  });

  // A stored answer as it was first sent: each pending invite made without email gets its link again.
  function replayAnswer(body, environmentId, currentOrigin) {
    if (!environmentId) return body;
    let parsed;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return body;
    }
    if (!Array.isArray(parsed?.results)) return body;
    let changed = false;
    for (const r of parsed.results) {
      if (r.status !== 'invited' || typeof r.id !== 'string') continue;
      const invite = q.inviteForLink.get(r.id, environmentId);
      if (!invite || invite.send_email === 1) continue;
      const token = inviteToken(linkSecret, r.id);
      if (invite.status === 'invited' && sha256Hex(token) === invite.token_sha256) r.accept_link = `${currentOrigin}/accept/${token}`;
      else r.accept_link_withheld = true; // accepted since, or made under another secret: not this link
      changed = true;
    }
    return changed ? Buffer.from(JSON.stringify(parsed), 'utf8') : body;
  }

  // `plan` is the fault plan drawn for this request (null without fault injection).
  return async function handleBulk(req, res, { mode, account, environment, path, plan }) {
    const key = req.headers['idempotency-key'];
    const event = { path, key: key ?? null };
    const reject = (status, code, message, headers) => {
      faults?.record(status === 409 ? 'inFlight' : status === 422 ? 'reused' : 'rejected', { ...event, status });
      sendError(res, status, code, message, headers);
    };
    if (key === undefined) return reject(400, 'missing_idempotency_key', 'the Idempotency-Key header is required');
    if (!KEY_RE.test(key)) return reject(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters');

    let raw;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return reject(413, 'payload_too_large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
      throw err;
    }
    let body;
    try {
      body = parseJsonBody(raw);
    } catch (err) {
      if (err instanceof JsonTooDeep) return reject(400, 'invalid_body', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
      return reject(400, 'invalid_body', 'the body is not valid UTF-8 JSON');
    }
    if (body && Array.isArray(body.rows) && body.rows.length > MAX_ROWS) {
      return reject(413, 'too_many_rows', `a request may carry at most ${MAX_ROWS} rows; this one has ${body.rows.length}`);
    }
    const shapeError = bodyShapeError(body);
    if (shapeError) return reject(400, 'invalid_body', `expected {"rows":[{"row":N,...}]}: ${shapeError}`);

    const claim = idempotency.claim(account.id, key, path, sha256Hex(raw));
    if (claim.kind === 'reused') {
      return reject(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request body or endpoint');
    }
    if (claim.kind === 'in_flight') {
      return reject(409, 'idempotency_in_flight', 'a request with this Idempotency-Key is still being processed', { 'Retry-After': '1' });
    }
    if (claim.kind === 'replay') {
      if (plan?.lost) {
        faults.record('lost', { ...event, status: claim.status });
        req.socket.destroy();
        return;
      }
      faults?.record('replayed', { ...event, status: claim.status });
      const replayed = claim.status === 200 ? replayAnswer(claim.body, environment?.id ?? null, origin()) : claim.body;
      return sendBytes(res, claim.status, 'application/json; charset=utf-8', replayed, {
        'Cache-Control': 'no-store',
        'Idempotent-Replayed': 'true',
      });
    }

    let bytes;
    try {
      if (plan?.latencyMs) {
        faults.record('delayed');
        await sleep(plan.latencyMs);
      }
      const environmentId = environment?.id ?? null;
      const lookups = lookupsFor(account.id, environmentId);
      const checked = body.rows.map((r) => ({ row: r.row, ...checkRow(mode, r, lookups) }));
      // Hash before the transaction (scrypt is async and slow); rows that then hit email_conflict just
      // waste a hash.
      const hashes = await Promise.all(checked.map((c) => (c.values?.password ? hashPassword(c.values.password) : null)));
      const ctx = { mode, key, accountId: account.id, environmentId, origin: origin(), createdAt: new Date().toISOString() };
      bytes = processBatch(ctx, checked, hashes);
    } catch (err) {
      try {
        idempotency.release(account.id, key); // nothing was committed: let a retry run it again
      } catch {
        // the database itself is gone (server closing); the original error is the one to report
      }
      throw err;
    }
    if (plan?.lost || faults?.takeLostAfterCommit()) {
      faults.record('lost', { ...event, status: 200 });
      req.socket.destroy();
      return;
    }
    faults?.record('processed', { ...event, status: 200 });
    sendBytes(res, 200, 'application/json; charset=utf-8', bytes, { 'Cache-Control': 'no-store' });
  };
}

export function sendFault(res, fail) {
  const headers = fail.retryAfter !== null ? { 'Retry-After': fail.retryAfter } : {};
  sendError(res, fail.status, faultErrorCode(fail.status), `injected fault: ${fail.status} (test mode)`, headers);
}
