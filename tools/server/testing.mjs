// Helpers for tests that need a live server: each call gets its own port and its own temp database.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_TOKEN } from './seed.mjs';
import { startServer } from './server.mjs';

export { DEMO_TOKEN };

export const BULK_PATHS = {
  invite: (env = 'env_dev') => `/api/v1/environments/${env}/identity-invites/bulk-create`,
  create: (env = 'env_dev') => `/api/v1/portal/environments/${env}/identities/bulk-create`,
  account: () => '/api/v1/identities/bulk-create',
};

// startServer on port 0 with a fresh file database in a temp folder; close() also removes the folder.
export async function startTestServer(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'canopy-server-test-'));
  const server = await startServer({ dbPath: join(dir, 'canopy.sqlite'), quiet: true, ...options });
  return {
    ...server,
    dir,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// fetch with the demo token. `body` objects are JSON-encoded; strings and Buffers are sent as they are
// (and ignored for GET/HEAD, so one request table can mix methods).
export async function call(server, method, path, { body, key, token = DEMO_TOKEN, headers = {} } = {}) {
  const h = { ...headers };
  if (token !== null) h.Authorization = `Bearer ${token}`;
  if (key !== undefined) h['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(server.url + path, { method, headers: h, body: payload });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, json };
}

export const bulk = (server, mode, rows, { key, env, body } = {}) =>
  call(server, 'POST', BULK_PATHS[mode](env), { key: key ?? `key-${Math.random().toString(36).slice(2)}`, body: body ?? { rows } });

// A request whose path goes out exactly as written (fetch would normalise "..").
export function rawGet(server, path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
