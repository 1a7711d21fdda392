// Reference server: static files from web/ and dist/, content types, security headers, traversal.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SECURITY_HEADERS } from '../../tools/server/http.mjs';
import { call, rawGet, startTestServer } from '../../tools/server/testing.mjs';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const SECRET = 'TOP-SECRET-OUTSIDE-THE-MOUNTS';

function assertSecurityHeaders(headers, label) {
  const get = (name) => (typeof headers.get === 'function' ? headers.get(name) : headers[name.toLowerCase()]);
  assert.equal(get('content-security-policy'), CSP, label);
  assert.equal(get('x-content-type-options'), 'nosniff', label);
  assert.equal(get('referrer-policy'), 'no-referrer', label);
}

describe('static files', () => {
  let root;
  let server;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'canopy-static-'));
    await mkdir(join(root, 'web', 'wizard'), { recursive: true });
    await mkdir(join(root, 'dist'));
    const files = {
      'web/index.html': '<!doctype html><title>Canopy</title>',
      'web/wizard/mount.js': 'export const mount = 1;\n',
      'web/app.mjs': 'export {};\n',
      'web/style.css': 'body { margin: 0 }\n',
      'web/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'web/config.json': '{"a":1}',
      'web/.env': SECRET,
      'dist/canopy.mjs': 'export default 1;\n',
      'dist/canopy.wasm': Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
      'dist/icudt.dat': Buffer.from([1, 2, 3, 4]),
      'secret.txt': SECRET,
      'package.json': SECRET,
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
    await symlink(join(root, 'secret.txt'), join(root, 'web', 'escape.txt'));
    server = await startTestServer({ root });
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  for (const [path, type, body] of [
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>Canopy</title>'],
    ['/web/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Canopy</title>'],
    ['/web/wizard/mount.js', 'text/javascript; charset=utf-8', 'export const mount = 1;\n'],
    ['/web/app.mjs', 'text/javascript; charset=utf-8', 'export {};\n'],
    ['/web/style.css', 'text/css; charset=utf-8', 'body { margin: 0 }\n'],
    ['/web/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['/web/config.json', 'application/json; charset=utf-8', '{"a":1}'],
    ['/dist/canopy.mjs', 'text/javascript; charset=utf-8', 'export default 1;\n'],
  ]) {
    test(`GET ${path} → ${type}`, async () => {
      const r = await fetch(server.url + path);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), type);
      assert.equal(await r.text(), body);
      assertSecurityHeaders(r.headers, path);
    });
  }

  test('wasm and ICU data are served as binary with their types', async () => {
    const wasm = await fetch(`${server.url}/dist/canopy.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const dat = await fetch(`${server.url}/dist/icudt.dat`);
    assert.equal(dat.headers.get('content-type'), 'application/octet-stream');
    assert.equal(dat.headers.get('content-length'), '4');
    assert.deepEqual([...new Uint8Array(await dat.arrayBuffer())], [1, 2, 3, 4]);
  });

  test('HEAD has headers and no body; ETag revalidation gives 304', async () => {
    const head = await fetch(`${server.url}/web/style.css`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '19');
    assert.equal(await head.text(), '');
    const etag = head.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${server.url}/web/style.css`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assertSecurityHeaders(again.headers, '304');
  });

  test('missing files, directories and other methods', async () => {
    for (const path of ['/web/nope.js', '/dist/nope.wasm', '/web/wizard', '/web/wizard/', '/web/', '/elsewhere.html']) {
      const r = await rawGet(server, path);
      assert.equal(r.status, 404, path);
      assertSecurityHeaders(r.headers, path);
    }
    const post = await fetch(`${server.url}/web/index.html`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    await post.arrayBuffer();
  });

  test('directory traversal, encoded or not, dotfiles and symlinks out are blocked', async () => {
    for (const path of [
      '/web/../secret.txt',
      '/web/../../secret.txt',
      '/dist/../package.json',
      '/web/..%2fsecret.txt',
      '/web/%2e%2e/secret.txt',
      '/web/%2e%2e%2fsecret.txt',
      '/web/..%5csecret.txt',
      '/web/wizard/..%2f..%2fsecret.txt',
      '/dist/%2e%2e%2f%2e%2e%2fpackage.json',
      '/web/%252e%252e/secret.txt',
      '/web//secret.txt',
      '/web/.env',
      '/web/%2eenv',
      '/web/escape.txt',
      '/web/index.html%00.js',
      '/web/%ZZ',
      `/web/${encodeURIComponent(join(root, 'secret.txt'))}`,
    ]) {
      const r = await rawGet(server, path);
      assert.ok(r.status === 404 || r.status === 400, `${path} → ${r.status}`);
      assert.ok(!r.body.includes(SECRET), path);
      assertSecurityHeaders(r.headers, path);
    }
  });

  test('API and error responses carry the security headers too', async () => {
    assertSecurityHeaders((await call(server, 'GET', '/api/v1/environments')).headers, 'api 200');
    assertSecurityHeaders((await call(server, 'GET', '/api/v1/environments', { token: null })).headers, 'api 401');
    assertSecurityHeaders((await call(server, 'GET', '/demo/session', { token: null })).headers, 'session');
    assert.equal(SECURITY_HEADERS['Content-Security-Policy'], CSP);
  });
});

test('missing web/ and dist/ folders are clean 404s', async () => {
  const root = await mkdtemp(join(tmpdir(), 'canopy-empty-'));
  const server = await startTestServer({ root });
  try {
    for (const path of ['/', '/web/index.html', '/dist/canopy.wasm']) {
      const r = await rawGet(server, path);
      assert.equal(r.status, 404, path);
      assert.equal(JSON.parse(r.body).error.code, 'not_found');
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
