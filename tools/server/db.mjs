// SQLite schema, seed and read queries. Writes for the bulk endpoints live in bulk.mjs so that one
// transaction covers a whole batch plus its idempotency record.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

import { ACCOUNT, APPLICATIONS, DEMO_TOKEN, ENVIRONMENTS } from './seed.mjs';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
  token_sha256 TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id)
);
CREATE TABLE IF NOT EXISTS environments (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS roles (
  id TEXT PRIMARY KEY,
  environment_id TEXT NOT NULL REFERENCES environments(id),
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  environment_id TEXT NOT NULL REFERENCES environments(id),
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_clients (
  environment_id TEXT NOT NULL REFERENCES environments(id),
  client_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (environment_id, client_id)
);
CREATE TABLE IF NOT EXISTS applications (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL
);
-- environment_id NULL = account-tier directory identity.
CREATE TABLE IF NOT EXISTS identities (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  environment_id TEXT REFERENCES environments(id),
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  external_id TEXT,
  client_id TEXT,
  password_hash TEXT,
  source TEXT NOT NULL CHECK (source IN ('create', 'account', 'invite')),
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS identities_email_scope
  ON identities (account_id, ifnull(environment_id, ''), email_norm);
-- The bulk endpoints' per-row conflict checks compare environment_id with = / IS NULL, which the
-- expression index above cannot serve: without this one every check scans the table.
CREATE INDEX IF NOT EXISTS identities_scope_email ON identities (account_id, environment_id, email_norm);
CREATE TABLE IF NOT EXISTS role_assignments (
  identity_id TEXT NOT NULL REFERENCES identities(id),
  role_id TEXT NOT NULL REFERENCES roles(id),
  node_id TEXT NOT NULL REFERENCES nodes(id),
  PRIMARY KEY (identity_id, role_id, node_id)
);
CREATE TABLE IF NOT EXISTS app_memberships (
  identity_id TEXT NOT NULL REFERENCES identities(id),
  application_id TEXT NOT NULL REFERENCES applications(id),
  PRIMARY KEY (identity_id, application_id)
);
CREATE TABLE IF NOT EXISTS invites (
  id TEXT PRIMARY KEY,
  environment_id TEXT NOT NULL REFERENCES environments(id),
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  role_id TEXT REFERENCES roles(id),
  node_id TEXT REFERENCES nodes(id),
  client_id TEXT,
  send_email INTEGER NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('invited', 'accepted')),
  identity_id TEXT REFERENCES identities(id),
  created_at TEXT NOT NULL,
  accepted_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS invites_pending_email
  ON invites (environment_id, email_norm) WHERE status = 'invited';
CREATE TABLE IF NOT EXISTS idempotency_keys (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  path TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  status_code INTEGER,
  response_body BLOB,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_at);
`;

export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

export function openDatabase(dbPath = ':memory:') {
  if (dbPath !== ':memory:' && dbPath !== '') mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  if (dbPath !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  seedIfEmpty(db);
  return db;
}

function seedIfEmpty(db) {
  if (db.prepare('SELECT count(*) AS n FROM accounts').get().n > 0) return;
  db.transaction(() => {
    db.prepare('INSERT INTO accounts (id, name) VALUES (?, ?)').run(ACCOUNT.id, ACCOUNT.name);
    db.prepare('INSERT INTO api_tokens (token_sha256, account_id) VALUES (?, ?)').run(sha256Hex(DEMO_TOKEN), ACCOUNT.id);
    const env = db.prepare('INSERT INTO environments (id, account_id, name, position) VALUES (?, ?, ?, ?)');
    const role = db.prepare('INSERT INTO roles (id, environment_id, name) VALUES (?, ?, ?)');
    const node = db.prepare('INSERT INTO nodes (id, environment_id, name) VALUES (?, ?, ?)');
    const client = db.prepare('INSERT INTO oauth_clients (environment_id, client_id, name) VALUES (?, ?, ?)');
    ENVIRONMENTS.forEach((e, position) => {
      env.run(e.id, ACCOUNT.id, e.name, position);
      for (const r of e.roles) role.run(r.id, e.id, r.name);
      for (const n of e.nodes) node.run(n.id, e.id, n.name);
      for (const c of e.clients) client.run(e.id, c.client_id, c.name);
    });
    const app = db.prepare('INSERT INTO applications (id, account_id, name) VALUES (?, ?, ?)');
    for (const a of APPLICATIONS) app.run(a.id, ACCOUNT.id, a.name);
  })();
}

// Removes everything the API wrote (identities, invites, idempotency records); seed data stays.
export function resetData(db) {
  db.transaction(() => {
    db.exec(`DELETE FROM role_assignments; DELETE FROM app_memberships; DELETE FROM invites;
             DELETE FROM identities; DELETE FROM idempotency_keys;`);
  })();
}

export function accountForToken(db, token) {
  const row = db
    .prepare('SELECT a.id, a.name FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_sha256 = ?')
    .get(sha256Hex(token));
  return row ?? null;
}

export const getAccount = (db, id) => db.prepare('SELECT id, name FROM accounts WHERE id = ?').get(id) ?? null;

export function getEnvironment(db, accountId, environmentId) {
  return db.prepare('SELECT id, name FROM environments WHERE id = ? AND account_id = ?').get(environmentId, accountId) ?? null;
}

export const listEnvironments = (db, accountId) =>
  db.prepare('SELECT id, name FROM environments WHERE account_id = ? ORDER BY position').all(accountId);

export const listRoles = (db, environmentId) =>
  db.prepare('SELECT id, name FROM roles WHERE environment_id = ? ORDER BY id').all(environmentId);

export const listNodes = (db, environmentId) =>
  db.prepare('SELECT id, name FROM nodes WHERE environment_id = ? ORDER BY id').all(environmentId);

export const listOauthClients = (db, environmentId) =>
  db.prepare('SELECT client_id, name FROM oauth_clients WHERE environment_id = ? ORDER BY rowid').all(environmentId);

export const listApplications = (db, accountId) =>
  db.prepare('SELECT id, name FROM applications WHERE account_id = ? ORDER BY id').all(accountId);

const byNewest = (a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b._seq - a._seq);
const dropSeq = ({ _seq, ...rest }) => rest;

// Identities of an environment with their role assignments, plus pending invites (status "invited").
export function listEnvironmentIdentities(db, environmentId) {
  const assignments = db
    .prepare(
      `SELECT ra.identity_id, ra.role_id, r.name AS role_name, ra.node_id, n.name AS node_name
         FROM role_assignments ra JOIN roles r ON r.id = ra.role_id JOIN nodes n ON n.id = ra.node_id
         JOIN identities i ON i.id = ra.identity_id
        WHERE i.environment_id = ?`,
    )
    .all(environmentId);
  const byIdentity = new Map();
  for (const { identity_id, ...a } of assignments) {
    if (!byIdentity.has(identity_id)) byIdentity.set(identity_id, []);
    byIdentity.get(identity_id).push(a);
  }
  const identities = db
    .prepare(
      `SELECT rowid AS _seq, id, email, first_name, last_name, external_id, client_id, source, created_at
         FROM identities WHERE environment_id = ?`,
    )
    .all(environmentId)
    .map((i) => ({ ...i, status: 'active', assignments: byIdentity.get(i.id) ?? [] }));
  const invites = db
    .prepare(
      `SELECT v.rowid AS _seq, v.id, v.email, v.first_name, v.last_name, v.client_id, v.send_email, v.created_at,
              v.role_id, r.name AS role_name, v.node_id, n.name AS node_name
         FROM invites v LEFT JOIN roles r ON r.id = v.role_id LEFT JOIN nodes n ON n.id = v.node_id
        WHERE v.environment_id = ? AND v.status = 'invited'`,
    )
    .all(environmentId)
    .map(({ role_id, role_name, node_id, node_name, send_email, ...v }) => ({
      ...v,
      external_id: null,
      source: 'invite',
      send_email: send_email === 1,
      status: 'invited',
      assignments: role_id ? [{ role_id, role_name, node_id, node_name }] : [],
    }));
  return [...identities, ...invites].sort(byNewest).map(dropSeq);
}

// Account-tier directory identities (no environment) with their application memberships.
export function listAccountIdentities(db, accountId) {
  const memberships = db
    .prepare(
      `SELECT m.identity_id, a.id, a.name FROM app_memberships m JOIN applications a ON a.id = m.application_id
         JOIN identities i ON i.id = m.identity_id WHERE i.account_id = ? AND i.environment_id IS NULL`,
    )
    .all(accountId);
  const byIdentity = new Map();
  for (const { identity_id, ...a } of memberships) {
    if (!byIdentity.has(identity_id)) byIdentity.set(identity_id, []);
    byIdentity.get(identity_id).push(a);
  }
  return db
    .prepare(
      `SELECT rowid AS _seq, id, email, first_name, last_name, external_id, created_at
         FROM identities WHERE account_id = ? AND environment_id IS NULL`,
    )
    .all(accountId)
    .map((i) => ({ ...i, status: 'active', applications: byIdentity.get(i.id) ?? [] }))
    .sort(byNewest)
    .map(dropSeq);
}
