// Directory check (SPEC.md "API contract"): which of up to 1,000 emails already have an identity or a
// pending invite in the scope. Read-only, no idempotency key. Emails are compared as the bulk endpoints
// compare them (rows.mjs checkEmail: lower-cased, domain in its ASCII form), and every probe is one
// indexed lookup (identities_scope_email; invites_pending_email, whose WHERE the query repeats).
import { BodyTooLarge, JsonTooDeep, MAX_JSON_DEPTH, parseJsonBody, readBody, sendError, sendJson } from './http.mjs';
import { checkEmail } from './rows.mjs';

export const MAX_LOOKUP_EMAILS = 1000;
// 1,000 addresses of 254 characters, JSON-quoted and escaped, with room to spare.
export const MAX_LOOKUP_BODY_BYTES = 1024 * 1024;

export function createLookupHandler({ db }) {
  const q = {
    identityInEnv: db.prepare(
      'SELECT id, created_at FROM identities WHERE account_id = ? AND environment_id = ? AND email_norm = ?',
    ),
    identityInAccount: db.prepare(
      'SELECT id, created_at FROM identities WHERE account_id = ? AND environment_id IS NULL AND email_norm = ?',
    ),
    pendingInvite: db.prepare(
      "SELECT id, created_at FROM invites WHERE environment_id = ? AND email_norm = ? AND status = 'invited'",
    ),
  };

  function find(accountId, environmentId, norm) {
    if (!environmentId) {
      const i = q.identityInAccount.get(accountId, norm);
      return i ? { identity_id: i.id, invite_id: null, status: 'active', created_at: i.created_at } : null;
    }
    const i = q.identityInEnv.get(accountId, environmentId, norm);
    if (i) return { identity_id: i.id, invite_id: null, status: 'active', created_at: i.created_at };
    const v = q.pendingInvite.get(environmentId, norm);
    return v ? { identity_id: null, invite_id: v.id, status: 'invited', created_at: v.created_at } : null;
  }

  // One snapshot for the whole request: a batch committing meanwhile is seen entirely or not at all.
  const lookupAll = db.transaction((accountId, environmentId, emails) => {
    const items = [];
    const seen = new Set();
    for (const email of emails) {
      const r = checkEmail(email);
      if (r.error || seen.has(r.norm)) continue; // not an address: nothing can exist under it
      seen.add(r.norm);
      const hit = find(accountId, environmentId, r.norm);
      if (hit) items.push({ email, ...hit });
    }
    return items;
  });

  return async function handleLookup(req, res, { account, environment }) {
    let raw;
    try {
      raw = await readBody(req, MAX_LOOKUP_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendError(res, 413, 'payload_too_large', `the body exceeds ${MAX_LOOKUP_BODY_BYTES} bytes`);
      throw err;
    }
    let body;
    try {
      body = parseJsonBody(raw);
    } catch (err) {
      if (err instanceof JsonTooDeep) return sendError(res, 400, 'invalid_body', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
      return sendError(res, 400, 'invalid_body', 'the body is not valid UTF-8 JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendError(res, 400, 'invalid_body', 'expected {"emails":[...]}: body must be a JSON object');
    }
    const extra = Object.keys(body).filter((k) => k !== 'emails');
    if (extra.length) return sendError(res, 400, 'invalid_body', `expected {"emails":[...]}: unexpected field "${extra[0]}"`);
    if (!Array.isArray(body.emails)) return sendError(res, 400, 'invalid_body', 'expected {"emails":[...]}: "emails" must be an array');
    if (body.emails.length > MAX_LOOKUP_EMAILS) {
      return sendError(res, 413, 'too_many_emails', `a request may carry at most ${MAX_LOOKUP_EMAILS} emails; this one has ${body.emails.length}`);
    }
    const bad = body.emails.findIndex((e) => typeof e !== 'string');
    if (bad >= 0) return sendError(res, 400, 'invalid_body', `expected {"emails":[...]}: emails[${bad}] must be a string`);
    sendJson(res, 200, { items: lookupAll(account.id, environment?.id ?? null, body.emails) });
  };
}
