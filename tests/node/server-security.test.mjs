// Reference server: it trusts nothing a client sends. Host allow-list on every route (DNS rebinding),
// accept links from the configured origin only, header and body timeouts (408), JSON nesting limit,
// JSON required on POST (415), and the CSP's base-uri / form-action.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { hostAllowed, isJsonContentType, jsonDepthExceeds } from '../../tools/server/http.mjs';
import { BULK_PATHS, DEMO_TOKEN, startTestServer } from '../../tools/server/testing.mjs';

// A request with exactly these headers (fetch does not let a test set Host).
function raw(server, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers, setHost: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Writes `bytes` on a socket and never sends the rest; resolves with what the server answers and how
// long it took to close the connection.
function stall(server, bytes) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const s = connect(server.port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('error', reject);
    s.on('close', () => resolve({ data, ms: Date.now() - started }));
    s.write(bytes);
  });
}

const auth = { Authorization: `Bearer ${DEMO_TOKEN}` };
const row = (n) => ({ row: n, email: `sec${n}@example.com`, first_name: 'Sec', last_name: 'Urity' });

describe('Host allow-list', () => {
  let server;
  before(async () => {
    server = await startTestServer({ origin: 'https://import.example.com' });
  });
  after(() => server.close());

  test('a rebound DNS name gets 421 on every route, the demo token never', async () => {
    for (const path of ['/demo/session', '/', '/web/index.html', '/api/v1/environments', '/accept/abc', '/nope']) {
      const r = await raw(server, { path, headers: { Host: `attacker.example:${server.port}`, ...auth } });
      assert.equal(r.status, 421, path);
      assert.equal(r.json.error.code, 'host_not_allowed', path);
      assert.ok(!r.text.includes(DEMO_TOKEN), path);
      assert.match(r.headers['content-security-policy'], /base-uri 'none'/, path);
    }
    const post = await raw(server, {
      method: 'POST',
      path: BULK_PATHS.create(),
      headers: { Host: 'attacker.example', 'Content-Type': 'application/json', 'Idempotency-Key': 'k-host', ...auth },
      body: JSON.stringify({ rows: [row(1)] }),
    });
    assert.equal(post.status, 421);
    assert.equal(server.db.prepare("SELECT COUNT(*) AS n FROM identities WHERE email = 'sec1@example.com'").get().n, 0);
  });

  test('no Host header, or a malformed one, is refused', async () => {
    assert.equal((await raw(server, { path: '/demo/session' })).status, 400); // Node's own check
    assert.equal((await raw(server, { path: '/demo/session', headers: { Host: 'a b' } })).status, 421);
    assert.equal((await raw(server, { path: '/demo/session', headers: { Host: 'localhost:8080@evil' } })).status, 421);
  });

  test('localhost names, IP literals and the configured origin are served', async () => {
    for (const host of [
      `localhost:${server.port}`,
      'LOCALHOST',
      'app.localhost:1234',
      `127.0.0.1:${server.port}`,
      '[::1]:8080',
      '10.1.2.3',
      'import.example.com',
      'import.example.com:443',
    ]) {
      const r = await raw(server, { path: '/demo/session', headers: { Host: host } });
      assert.equal(r.status, 200, host);
      assert.equal(r.json.token, DEMO_TOKEN, host);
    }
  });

  test('hostAllowed: lookalikes of allowed names are not allowed', () => {
    assert.equal(hostAllowed('localhost.attacker.example', 'import.example.com'), false);
    assert.equal(hostAllowed('import.example.com.attacker.example', 'import.example.com'), false);
    assert.equal(hostAllowed('127.0.0.1.nip.io', undefined), false);
    assert.equal(hostAllowed('999.1.1.1', undefined), false);
    assert.equal(hostAllowed('evil-import.example.com', 'import.example.com'), false);
    assert.equal(hostAllowed(undefined, 'import.example.com'), false);
    assert.equal(hostAllowed('Import.Example.COM', 'import.example.com'), true);
  });

  test('accept links come from the configured origin, whatever Host the request named', async () => {
    const r = await raw(server, {
      method: 'POST',
      path: BULK_PATHS.invite(),
      headers: { Host: `localhost:${server.port}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'k-origin', ...auth },
      body: JSON.stringify({ rows: [{ row: 2, email: 'link@example.com', send_email: false }] }),
    });
    assert.equal(r.status, 200);
    const link = new URL(r.json.results[0].accept_link);
    assert.equal(link.origin, 'https://import.example.com');
    assert.match(link.pathname, /^\/accept\/[A-Za-z0-9_-]+$/);
  });
});

describe('accept links without a configured origin', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('use the URL the server listens on, not the Host header', async () => {
    const r = await raw(server, {
      method: 'POST',
      path: BULK_PATHS.invite(),
      headers: { Host: 'app.localhost:9', 'Content-Type': 'application/json', 'Idempotency-Key': 'k-default', ...auth },
      body: JSON.stringify({ rows: [{ row: 2, email: 'link2@example.com', send_email: false }] }),
    });
    assert.equal(r.status, 200);
    assert.equal(new URL(r.json.results[0].accept_link).origin, server.url);
  });

  test('an origin that is not an http(s) origin is refused at start', async () => {
    await assert.rejects(startTestServer({ origin: 'import.example.com' }), /CANOPY_ORIGIN .* is not a URL/);
    await assert.rejects(startTestServer({ origin: 'https://import.example.com/app' }), /must be an http\(s\) origin with no path/);
  });
});

describe('request timeouts', () => {
  let server;
  before(async () => {
    server = await startTestServer({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
  });
  after(() => server.close());

  test('headers that never finish are answered 408 and the connection closed', async () => {
    const r = await stall(server, `GET /demo/session HTTP/1.1\r\nHost: localhost\r\nX-Slow: `);
    assert.match(r.data, /^HTTP\/1\.1 408 /);
    assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
  });

  test('a body that never finishes is answered 408 and nothing is written', async () => {
    const body = JSON.stringify({ rows: [row(7)] });
    const head =
      `POST ${BULK_PATHS.create()} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${DEMO_TOKEN}\r\n` +
      `Content-Type: application/json\r\nIdempotency-Key: k-slow\r\nContent-Length: ${body.length}\r\n\r\n`;
    const r = await stall(server, head + body.slice(0, 10));
    assert.match(r.data, /^HTTP\/1\.1 408 /);
    assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
    assert.equal(server.db.prepare("SELECT COUNT(*) AS n FROM identities WHERE email = 'sec7@example.com'").get().n, 0);
    // The key was never claimed: the same request, sent whole, goes through.
    const again = await raw(server, {
      method: 'POST',
      path: BULK_PATHS.create(),
      headers: { Host: 'localhost', 'Content-Type': 'application/json', 'Idempotency-Key': 'k-slow', ...auth },
      body,
    });
    assert.equal(again.status, 200);
    assert.equal(again.json.results[0].status, 'created');
  });
});

describe('bodies', () => {
  let server;
  before(async () => {
    server = await startTestServer({ faults: true });
  });
  after(() => server.close());

  const post = (path, body, contentType, key = `k-${Math.random().toString(36).slice(2)}`) =>
    raw(server, {
      method: 'POST',
      path,
      headers: { Host: 'localhost', ...(contentType ? { 'Content-Type': contentType } : {}), 'Idempotency-Key': key, ...auth },
      body,
    });

  test('a POST body that is not declared JSON is 415, on the bulk endpoints and the test routes', async () => {
    const json = JSON.stringify({ rows: [row(20)] });
    for (const type of [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx']) {
      for (const path of [BULK_PATHS.create(), BULK_PATHS.invite(), BULK_PATHS.account(), '/__test/faults']) {
        const r = await post(path, json, type);
        assert.equal(r.status, 415, `${path} ${type}`);
        assert.equal(r.json.error.code, 'unsupported_media_type');
        assert.equal(r.json.error.message, 'send the body as JSON with "Content-Type: application/json"');
      }
    }
    assert.equal(server.db.prepare("SELECT COUNT(*) AS n FROM identities WHERE email = 'sec20@example.com'").get().n, 0);
    for (const [i, type] of ['application/json', 'Application/JSON; charset=utf-8', 'application/json;charset="utf-8"'].entries()) {
      const r = await post(BULK_PATHS.create(), JSON.stringify({ rows: [row(21 + i)] }), type);
      assert.equal(r.status, 200, type);
    }
  });

  test('isJsonContentType', () => {
    assert.equal(isJsonContentType('application/json'), true);
    assert.equal(isJsonContentType(' application/json ; charset=utf-8'), true);
    assert.equal(isJsonContentType('application/json; charset=utf-16'), false);
    assert.equal(isJsonContentType('text/json'), false);
    assert.equal(isJsonContentType(undefined), false);
  });

  test('4 MB of nested [ is refused as invalid_body at once, without blocking the event loop', async () => {
    const deep = Buffer.alloc(4 * 1024 * 1024 - 64, '[');
    // The event loop must keep turning while the server handles it: count timer ticks in between.
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const r = await post(BULK_PATHS.create(), deep, 'application/json');
    clearInterval(timer);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.error, { code: 'invalid_body', message: 'the body nests deeper than 400 levels' });
    assert.ok(ticks > 0);
    // In-process server: a JSON.parse of this body stalled the loop ~2 s; the depth scan stops at 401.
    assert.ok(longestGap < 1000, `event loop stalled ${longestGap.toFixed(0)} ms`);
    const objects = await post('/__test/faults', '{"a":'.repeat(401) + '1' + '}'.repeat(401), 'application/json');
    assert.equal(objects.status, 400);
    assert.equal(objects.json.error.code, 'invalid_body');
  });

  test('nesting up to 400 levels is still read as JSON (and judged by the body rules)', async () => {
    const r = await post(BULK_PATHS.create(), `{"rows":[${'['.repeat(398)}${']'.repeat(398)}]}`, 'application/json');
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /^expected \{"rows":\[\{"row":N,\.\.\.\}\]\}/);
  });

  test('jsonDepthExceeds ignores brackets inside strings, escaped quotes included', () => {
    const enc = (s) => Buffer.from(s, 'utf8');
    assert.equal(jsonDepthExceeds(enc(`["${'['.repeat(1000)}"]`), 400), false);
    assert.equal(jsonDepthExceeds(enc(`["\\"${'['.repeat(1000)}"]`), 400), false);
    assert.equal(jsonDepthExceeds(enc(`["\\\\"${'['.repeat(401)}`), 400), true);
    assert.equal(jsonDepthExceeds(enc('['.repeat(400) + ']'.repeat(400)), 400), false);
    assert.equal(jsonDepthExceeds(enc('['.repeat(401)), 400), true);
  });
});

describe('Content-Security-Policy', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('forbids <base> and forms posting elsewhere, on pages, files, API answers and errors', async () => {
    for (const path of ['/', '/web/index.html', '/demo/session', '/api/v1/environments', '/nope']) {
      const r = await raw(server, { path, headers: { Host: 'localhost', ...auth } });
      const csp = r.headers['content-security-policy'];
      assert.ok(csp.split('; ').includes("base-uri 'none'"), `${path}: ${csp}`);
      assert.ok(csp.split('; ').includes("form-action 'self'"), `${path}: ${csp}`);
      assert.ok(csp.split('; ').includes("frame-ancestors 'none'"), `${path}: ${csp}`);
    }
  });
});
