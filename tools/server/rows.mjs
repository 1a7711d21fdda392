// Per-row checks of the bulk endpoints, independent of whatever the client already checked. Pure: the
// lookups come in as Sets; the database-dependent email_conflict check lives in bulk.mjs.
import { domainToASCII } from 'node:url';

// The modes table of SPEC.md, as data.
export const MODES = {
  invite: {
    scope: 'environment',
    success: 'invited',
    required: ['email'],
    optional: ['first_name', 'last_name', 'role_id', 'node_id', 'client_id', 'send_email'],
  },
  create: {
    scope: 'environment',
    success: 'created',
    required: ['email', 'first_name', 'last_name'],
    optional: ['password', 'role_id', 'node_id', 'client_id', 'external_id'],
  },
  account: {
    scope: 'account',
    success: 'created',
    required: ['email', 'first_name', 'last_name'],
    optional: ['password', 'external_id', 'application_id'],
  },
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
// WHATWG "valid e-mail address": atext local part, LDH labels of at most 63 characters.
const LOCAL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

// The API's limits of a value (SPEC.md, Fields); tests/node/server-schema.test.mjs holds them against the core's table.
export const LIMITS = { nameMaxChars: 100, passwordMinChars: 8, passwordMaxBytes: 72 };

const invalid = (message) => ({ error: { code: 'invalid_field', message } });
const codePoints = (s) => [...s].length;

// Returns { email, norm } or { error }. norm is the comparison key: lower-cased, domain in ASCII (UTS #46).
export function checkEmail(value) {
  const email = value.trim();
  if (email === '') return invalid('email is required');
  if (email.length > 254) return invalid('email is longer than 254 characters');
  const parts = email.split('@');
  if (parts.length !== 2) return invalid('email must contain exactly one "@"');
  const [local, domain] = parts;
  if (local === '' || local.length > 64 || !LOCAL_RE.test(local)) return invalid('email has an invalid local part');
  const ascii = domainToASCII(domain);
  const labels = ascii.split('.');
  if (ascii === '' || labels.length < 2 || !labels.every((l) => LABEL_RE.test(l))) {
    return invalid('email has an invalid domain (it needs a dot and valid labels)');
  }
  const norm = `${local}@${ascii}`.toLowerCase();
  if (norm.length > 254) return invalid('email is longer than 254 characters');
  return { email, norm };
}

function checkName(field, value) {
  const v = value.trim();
  if (codePoints(v) > LIMITS.nameMaxChars) return invalid(`${field} is longer than ${LIMITS.nameMaxChars} characters`);
  if (CONTROL_RE.test(v)) return invalid(`${field} contains control characters`);
  return { value: v };
}

function checkPassword(value) {
  if (codePoints(value) < LIMITS.passwordMinChars) return invalid(`password must be at least ${LIMITS.passwordMinChars} characters`);
  if (Buffer.byteLength(value, 'utf8') > LIMITS.passwordMaxBytes) return invalid(`password must be at most ${LIMITS.passwordMaxBytes} UTF-8 bytes`);
  return { value };
}

function checkText(field, value, max = 255) {
  const v = value.trim();
  if (codePoints(v) > max) return invalid(`${field} is longer than ${max} characters`);
  if (CONTROL_RE.test(v)) return invalid(`${field} contains control characters`);
  return { value: v };
}

function checkUuid(field, value) {
  const v = value.trim();
  if (!UUID_RE.test(v)) return invalid(`${field} is not a UUID`);
  return { value: v.toLowerCase() };
}

const FIELD_CHECKS = {
  first_name: (v) => checkName('first_name', v),
  last_name: (v) => checkName('last_name', v),
  password: checkPassword,
  role_id: (v) => checkUuid('role_id', v),
  node_id: (v) => checkUuid('node_id', v),
  application_id: (v) => checkUuid('application_id', v),
  client_id: (v) => checkText('client_id', v),
  external_id: (v) => checkText('external_id', v),
};

// Lookup membership after format checks; the error code names what was not found.
const LOOKUPS = [
  ['role_id', 'roles', 'unknown_role', 'role'],
  ['node_id', 'nodes', 'unknown_node', 'node'],
  ['client_id', 'clients', 'unknown_client', 'OAuth client'],
  ['application_id', 'applications', 'unknown_application', 'application'],
];

// Checks one row object of a bulk body. `lookups` holds Sets: roles, nodes, clients, applications.
// Returns { values } (normalised, absent optionals left out) or { error: { code, message } }.
export function checkRow(modeName, row, lookups) {
  const mode = MODES[modeName];
  const allowed = new Set(['row', ...mode.required, ...mode.optional]);
  for (const key of Object.keys(row)) {
    if (!allowed.has(key)) return invalid(`unknown field "${key}" for ${modeName} mode`);
  }
  const values = {};
  for (const field of [...mode.required, ...mode.optional]) {
    let v = row[field];
    if (v === undefined || v === null) continue;
    if (field === 'send_email') {
      if (typeof v !== 'boolean') return invalid('send_email must be a JSON boolean');
      values.send_email = v;
      continue;
    }
    if (typeof v !== 'string') return invalid(`${field} must be a string`);
    // Empty optional = absent. Passwords are not trimmed: spaces can be part of one.
    if (field === 'password' ? v === '' : v.trim() === '') continue;
    if (field === 'email') {
      const r = checkEmail(v);
      if (r.error) return r;
      values.email = r.email;
      values.email_norm = r.norm;
      continue;
    }
    const r = FIELD_CHECKS[field](v);
    if (r.error) return r;
    values[field] = r.value;
  }
  for (const field of mode.required) {
    if (values[field] === undefined) return invalid(`${field} is required`);
  }
  if ((values.role_id === undefined) !== (values.node_id === undefined)) {
    return invalid('role_id and node_id must be given together');
  }
  for (const [field, set, code, what] of LOOKUPS) {
    if (values[field] !== undefined && !lookups[set].has(values[field])) {
      return { error: { code, message: `${field} ${values[field]} is not a known ${what}` } };
    }
  }
  return { values };
}

// Shape check of a parsed body: {"rows":[{"row":<positive integer>, ...}, ...]}. Returns an error
// message, or null when the shape is right.
export function bodyShapeError(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const extra = Object.keys(body).filter((k) => k !== 'rows');
  if (extra.length) return `unexpected top-level field "${extra[0]}"`;
  if (!Array.isArray(body.rows)) return '"rows" must be an array';
  if (body.rows.length === 0) return '"rows" must not be empty';
  for (let i = 0; i < body.rows.length; i++) {
    const r = body.rows[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return `rows[${i}] must be an object`;
    if (!Number.isSafeInteger(r.row) || r.row < 1) return `rows[${i}].row must be a positive integer`;
  }
  return null;
}
