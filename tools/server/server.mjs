// Reference API server for the CSV import wizard (SPEC.md "API contract") and host of the demo dashboard.
// Run: node tools/server/server.mjs   (PORT, HOST, CANOPY_ORIGIN, CANOPY_DB, CANOPY_TEST_FAULTS; see README.md)
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createApi } from './api.mjs';
import { openDatabase } from './db.mjs';
import { createFaults } from './faults.mjs';
import { hostAllowed, isJsonContentType, sendError, setSecurityHeaders } from './http.mjs';
import { createStaticHandler } from './static.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');

// Invite tokens travel in the path; keep them out of the log.
const loggablePath = (path) => (path.startsWith('/accept/') ? '/accept/<token>' : path);

// The origin links are built from (accept links): configured, never taken from a request's Host.
function parseOrigin(origin) {
  let u;
  try {
    u = new URL(origin);
  } catch {
    throw new Error(`CANOPY_ORIGIN ${JSON.stringify(origin)} is not a URL; give one such as https://import.example.com`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.pathname !== '/' || u.search || u.hash || u.username) {
    throw new Error(`CANOPY_ORIGIN ${JSON.stringify(origin)} must be an http(s) origin with no path, such as https://import.example.com`);
  }
  return u;
}

const hasBody = (req) => (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;

export async function startServer({
  port = 0,
  host = '127.0.0.1',
  dbPath = ':memory:',
  faults = process.env.CANOPY_TEST_FAULTS === '1',
  quiet = true,
  root = REPO_ROOT,
  origin = null, // e.g. "https://import.example.com"; default: the URL the server listens on
  linkSecret = null, // derives invite tokens (in memory only); default: random per start
  headersTimeoutMs = 10_000, // a client has this long to send its request headers...
  requestTimeoutMs = 30_000, // ...and this long for the whole request, body included; then 408
} = {}) {
  const configured = origin === null ? null : parseOrigin(origin);
  const db = openDatabase(dbPath);
  const faultApi = faults ? createFaults() : null;
  let linkOrigin = configured?.origin ?? null; // known once listening when not configured
  const api = createApi({ db, faults: faultApi, origin: () => linkOrigin, ...(linkSecret ? { linkSecret } : {}) });
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
    // Every route, static files included: a rebound DNS name must not read the demo token or the API.
    if (!hostAllowed(req.headers.host, configured?.hostname)) {
      return sendError(
        res,
        421,
        'host_not_allowed',
        'this server answers only requests addressed to localhost, an IP address or its configured origin (CANOPY_ORIGIN); open it under one of those',
      );
    }
    try {
      path = new URL(req.url, 'http://localhost').pathname;
    } catch {
      return sendError(res, 400, 'bad_request', 'malformed request target');
    }
    faultApi?.countRequest(path);
    // Static files first (GET only: a POST there is a 405 whatever its body); their paths are not the API's.
    if (await serveStatic(req, res, path)) return;
    if (req.method === 'POST' && hasBody(req) && !isJsonContentType(req.headers['content-type'])) {
      req.resume();
      return sendError(res, 415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"', {
        Accept: 'application/json',
      });
    }
    if (await api(req, res, path)) return;
    sendError(res, 404, 'not_found', 'not found');
  }

  // Node answers 408 itself when the headers or the whole request take longer than these; it checks
  // every connectionsCheckingInterval ms, so keep that well below the timeouts.
  const serverOptions = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
  };
  const server = createServer(serverOptions, (req, res) => {
    handle(req, res).catch((err) => {
      if (req.destroyed && res.destroyed) return; // the client went away (or timed out): nothing to answer
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
  linkOrigin ??= `http://${urlHost}:${actualPort}`;

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
    origin: process.env.CANOPY_ORIGIN || null,
    linkSecret: process.env.CANOPY_LINK_SECRET || null,
    dbPath: process.env.CANOPY_DB ?? join(REPO_ROOT, '.data', 'canopy.sqlite'),
    faults: process.env.CANOPY_TEST_FAULTS === '1',
    quiet: false,
  });
  console.log(`Canopy API listening on ${server.url}/${server.faults ? ' (fault injection on)' : ''}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
