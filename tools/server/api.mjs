// Routes: /api/v1/* (bearer auth), /demo/session, /accept/{token}, and /__test/* when faults are on.
import { randomBytes } from 'node:crypto';

import { createBulkHandler, sendFault } from './bulk.mjs';
import {
  accountForToken,
  getAccount,
  getEnvironment,
  listAccountIdentities,
  listApplications,
  listEnvironmentIdentities,
  listEnvironments,
  listNodes,
  listOauthClients,
  listRoles,
  resetData,
  sha256Hex,
} from './db.mjs';
import { FaultConfigError } from './faults.mjs';
import { createIdempotencyStore } from './idempotency.mjs';
import { createLookupHandler } from './lookup.mjs';
import { BodyTooLarge, JsonTooDeep, parseJsonBody, readBody, sendError, sendHtmlPage, sendJson } from './http.mjs';
import { ACCOUNT, DEMO_TOKEN } from './seed.mjs';

const ENV = '([^/]+)';
const items = (list) => ({ items: list });

// origin(): the configured origin accept links are built from (never a request's Host).
// linkSecret: derives invite tokens (bulk.mjs inviteToken); in memory only, random unless given.
export function createApi({ db, faults = null, origin, linkSecret = randomBytes(32) }) {
  const idempotency = createIdempotencyStore(db);
  const handleBulk = createBulkHandler({ db, idempotency, faults, origin, linkSecret });
  const handleLookup = createLookupHandler({ db });

  // env: the first capture is an environment id of the caller's account (404 otherwise).
  const routes = [
    { method: 'GET', re: /^\/api\/v1\/environments$/, run: (c) => sendJson(c.res, 200, items(listEnvironments(db, c.account.id))) },
    { method: 'GET', re: new RegExp(`^/api/v1/environments/${ENV}$`), env: true, run: (c) => sendJson(c.res, 200, c.environment) },
    { method: 'GET', re: new RegExp(`^/api/v1/environments/${ENV}/roles$`), env: true, run: (c) => sendJson(c.res, 200, items(listRoles(db, c.environment.id))) },
    { method: 'GET', re: new RegExp(`^/api/v1/environments/${ENV}/nodes$`), env: true, run: (c) => sendJson(c.res, 200, items(listNodes(db, c.environment.id))) },
    {
      method: 'GET',
      re: new RegExp(`^/api/v1/environments/${ENV}/oauth-clients$`),
      env: true,
      run: (c) => sendJson(c.res, 200, items(listOauthClients(db, c.environment.id))),
    },
    {
      method: 'GET',
      re: new RegExp(`^/api/v1/environments/${ENV}/identities$`),
      env: true,
      run: (c) => sendJson(c.res, 200, items(listEnvironmentIdentities(db, c.environment.id))),
    },
    { method: 'GET', re: /^\/api\/v1\/applications$/, run: (c) => sendJson(c.res, 200, items(listApplications(db, c.account.id))) },
    { method: 'GET', re: /^\/api\/v1\/identities$/, run: (c) => sendJson(c.res, 200, items(listAccountIdentities(db, c.account.id))) },
    { method: 'POST', re: new RegExp(`^/api/v1/environments/${ENV}/identities/lookup$`), env: true, run: (c) => handleLookup(c.req, c.res, c) },
    { method: 'POST', re: /^\/api\/v1\/identities\/lookup$/, run: (c) => handleLookup(c.req, c.res, c) },
    { method: 'POST', re: new RegExp(`^/api/v1/environments/${ENV}/identity-invites/bulk-create$`), env: true, bulk: 'invite' },
    { method: 'POST', re: new RegExp(`^/api/v1/portal/environments/${ENV}/identities/bulk-create$`), env: true, bulk: 'create' },
    { method: 'POST', re: /^\/api\/v1\/identities\/bulk-create$/, bulk: 'account' },
  ];

  async function handleApiRequest(req, res, path) {
    const matching = routes.filter((r) => r.re.test(path));
    const route = matching.find((r) => r.method === req.method || (r.method === 'GET' && req.method === 'HEAD'));

    // Injected failures stand in for a proxy or an overloaded server: they answer before anything else.
    let plan = null;
    if (route?.bulk && faults) {
      plan = faults.planBulk();
      if (plan.fail) {
        faults.record('failed', { path, key: req.headers['idempotency-key'] ?? null, status: plan.fail.status });
        return sendFault(res, plan.fail);
      }
    }

    const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    const account = m ? accountForToken(db, m[1]) : null;
    if (!account) {
      return sendError(res, 401, 'unauthorized', 'a valid "Authorization: Bearer <token>" header is required', {
        'WWW-Authenticate': 'Bearer realm="canopy"',
      });
    }
    if (!route) {
      if (matching.length === 0) return sendError(res, 404, 'not_found', 'no such API route');
      const allow = [...new Set(matching.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])))].join(', ');
      return sendError(res, 405, 'method_not_allowed', `use ${allow}`, { Allow: allow });
    }

    let environment = null;
    if (route.env) {
      let id;
      try {
        id = decodeURIComponent(route.re.exec(path)[1]);
      } catch {
        return sendError(res, 404, 'not_found', 'environment not found');
      }
      environment = getEnvironment(db, account.id, id);
      if (!environment) return sendError(res, 404, 'not_found', `environment ${JSON.stringify(id)} not found`);
    }
    if (route.bulk) return handleBulk(req, res, { mode: route.bulk, account, environment, path, plan });
    return route.run({ req, res, account, environment });
  }

  function demoSession(req, res) {
    const account = getAccount(db, ACCOUNT.id);
    sendJson(res, 200, { token: DEMO_TOKEN, account, environments: listEnvironments(db, ACCOUNT.id) });
  }

  const acceptInvite = db.transaction((invite) => {
    const clash = db
      .prepare('SELECT 1 FROM identities WHERE environment_id = ? AND email_norm = ?')
      .get(invite.environment_id, invite.email_norm);
    if (clash) return null;
    const id = `idn_${randomBytes(12).toString('hex')}`;
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO identities (id, account_id, environment_id, email, email_norm, first_name, last_name, client_id, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'invite', ?)`,
    ).run(id, invite.account_id, invite.environment_id, invite.email, invite.email_norm, invite.first_name, invite.last_name, invite.client_id, now);
    if (invite.role_id) db.prepare('INSERT INTO role_assignments (identity_id, role_id, node_id) VALUES (?, ?, ?)').run(id, invite.role_id, invite.node_id);
    db.prepare("UPDATE invites SET status = 'accepted', identity_id = ?, accepted_at = ? WHERE id = ?").run(id, now, invite.id);
    return id;
  });

  // Demo stand-in for the invite e-mail's landing page. Opening the link (GET) only shows who is invited
  // where and a button; the POST of that button accepts. A link checker, a mail scanner or an admin
  // clicking through the results never accepts on the invitee's behalf.
  function accept(req, res, token) {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendHtmlPage(res, 405, 'Method not allowed', ['Open the link in a browser.'], { Allow: 'GET, POST' });
    }
    const invite = db
      .prepare(
        `SELECT v.*, e.account_id, e.name AS environment_name FROM invites v JOIN environments e ON e.id = v.environment_id
          WHERE v.token_sha256 = ?`,
      )
      .get(sha256Hex(token));
    if (!invite) return sendHtmlPage(res, 404, 'Invitation not found', ['This invitation link is not valid.']);
    if (invite.status === 'accepted') {
      return sendHtmlPage(res, 410, 'Invitation already accepted', [`${invite.email} has already accepted this invitation.`]);
    }
    if (req.method === 'GET') {
      return sendHtmlPage(
        res,
        200,
        'Accept the invitation?',
        [`${invite.email} is invited to ${invite.environment_name}.`, 'Accepting creates the identity. Only the invited person should accept.'],
        {},
        { action: `/accept/${token}`, label: 'Accept the invitation' },
      );
    }
    req.resume(); // the form sends no fields
    const identityId = acceptInvite(invite);
    if (!identityId) {
      return sendHtmlPage(res, 409, 'Identity already exists', [`${invite.email} already has an identity in ${invite.environment_name}.`]);
    }
    sendHtmlPage(res, 200, 'Invitation accepted', [
      `${invite.email} now has an identity in ${invite.environment_name}.`,
      `Identity id: ${identityId}`,
    ]);
  }

  async function readJson(req) {
    const raw = await readBody(req, 64 * 1024);
    return raw.length === 0 ? {} : parseJsonBody(raw);
  }

  async function testRoute(req, res, path) {
    const route = `${req.method} ${path}`;
    try {
      if (route === 'GET /__test/stats') return sendJson(res, 200, faults.stats());
      if (route === 'GET /__test/faults') return sendJson(res, 200, faults.state());
      if (route === 'POST /__test/faults') return sendJson(res, 200, faults.configure(await readJson(req)));
      if (route === 'POST /__test/reset') {
        const body = await readJson(req);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new FaultConfigError('body must be a JSON object');
        if (body.data === true) resetData(db);
        return sendJson(res, 200, faults.reset());
      }
    } catch (err) {
      if (err instanceof SyntaxError || err instanceof TypeError || err instanceof JsonTooDeep || err instanceof FaultConfigError) {
        return sendError(res, 400, 'invalid_body', err.message);
      }
      if (err instanceof BodyTooLarge) return sendError(res, 413, 'payload_too_large', 'body too large');
      throw err;
    }
    return sendError(res, 404, 'not_found', 'no such test route');
  }

  // Returns true when the request was one of ours.
  return async function handle(req, res, path) {
    if (path.startsWith('/api/')) {
      await handleApiRequest(req, res, path);
      return true;
    }
    if (path === '/demo/session') {
      if (req.method !== 'GET' && req.method !== 'HEAD') sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET, HEAD' });
      else demoSession(req, res);
      return true;
    }
    const accepted = /^\/accept\/([A-Za-z0-9_-]{1,128})$/.exec(path);
    if (accepted) {
      accept(req, res, accepted[1]);
      return true;
    }
    if (path.startsWith('/__test/')) {
      if (!faults) sendError(res, 404, 'not_found', 'not found');
      else await testRoute(req, res, path);
      return true;
    }
    return false;
  };
}
