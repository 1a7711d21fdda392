// Reference API server for the CSV import wizard (SPEC.md "API contract") and host of the demo dashboard.
// Run: node tools/server/server.mjs   (PORT, HOST, CANOPY_DB, CANOPY_TEST_FAULTS; see README.md)
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createApi } from './api.mjs';
import { openDatabase } from './db.mjs';
import { createFaults } from './faults.mjs';
import { sendError, setSecurityHeaders } from './http.mjs';
import { createStaticHandler } from './static.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');

// Invite tokens travel in the path; keep them out of the log.
const loggablePath = (path) => (path.startsWith('/accept/') ? '/accept/<token>' : path);

export async function startServer({
  port = 0,
  host = '127.0.0.1',
  dbPath = ':memory:',
  faults = process.env.CANOPY_TEST_FAULTS === '1',
  quiet = true,
  root = REPO_ROOT,
} = {}) {
  const db = openDatabase(dbPath);
  const faultApi = faults ? createFaults() : null;
  const api = createApi({ db, faults: faultApi });
  const serveStatic = createStaticHandler({ root });

  async function handle(req, res) {
    const started = performance.now();
    let path = '?';
    // Method, path, status and time only: never bodies, queries or headers (passwords, tokens).
    res.on('close', () => {
      if (quiet) return;
      const status = res.writableFinished ? res.statusCode : 'dropped';
      console.log(`${req.method} ${loggablePath(path)} ${status} ${(performance.now() - started).toFixed(1)}ms`);
    });
    setSecurityHeaders(res);
    try {
      path = new URL(req.url, 'http://localhost').pathname;
    } catch {
      return sendError(res, 400, 'bad_request', 'malformed request target');
    }
    faultApi?.countRequest(path);
    if (await api(req, res, path)) return;
    if (await serveStatic(req, res, path)) return;
    sendError(res, 404, 'not_found', 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // The message only: a stack or SQL error never includes request bodies, but keep it short anyway.
      console.error(`canopy server: ${req.method} ${loggablePath((req.url ?? '').split('?')[0])}: ${err?.message ?? err}`);
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'internal server error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closed = false;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    db,
    faults: faultApi,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}

function isMain() {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const server = await startServer({
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '127.0.0.1',
    dbPath: process.env.CANOPY_DB ?? join(REPO_ROOT, '.data', 'canopy.sqlite'),
    faults: process.env.CANOPY_TEST_FAULTS === '1',
    quiet: false,
  });
  console.log(`Canopy API listening on ${server.url}/${server.faults ? ' (fault injection on)' : ''}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
