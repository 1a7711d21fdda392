// Static files: "/" is web/index.html, /web/* comes from web/, /dist/* from dist/ (the built wasm
// package). Nothing outside those two folders is reachable: no "..", no dotfiles, no symlinks out.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

import { sendError } from './http.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.dat': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const contentTypeFor = (file) => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export function createStaticHandler({ root }) {
  const mounts = [
    ['/web/', join(root, 'web')],
    ['/dist/', join(root, 'dist')],
  ];

  // Maps a URL path to a file path inside a mount, or null.
  function resolve(path) {
    if (path === '/') return { base: mounts[0][1], parts: ['index.html'] };
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return null;
    let rel;
    try {
      rel = decodeURIComponent(path.slice(mount[0].length));
    } catch {
      return null;
    }
    // Decoding can produce "/", "\\" or NUL that the URL parser never saw; judge the decoded segments.
    if (rel === '' || rel.includes('\0') || rel.includes('\\')) return null;
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p.startsWith('.'))) return null;
    return { base: mount[1], parts };
  }

  // Returns true when it answered (file, 304, 404 or 405).
  return async function serveStatic(req, res, path) {
    const target = resolve(path);
    if (!target) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET, HEAD' });
      return true;
    }
    let file;
    let info;
    try {
      const base = await realpath(target.base);
      file = await realpath(join(base, ...target.parts));
      if (!file.startsWith(base + sep)) throw new Error('outside the mount');
      info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      sendError(res, 404, 'not_found', 'file not found');
      return true;
    }
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = { 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache', ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'Content-Length': info.size });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise((resolveDone) => {
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      res.on('close', resolveDone);
      stream.pipe(res);
    });
    return true;
  };
}
