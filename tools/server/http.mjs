// The request-handling layer shared by the routes: security headers on every response, errors always
// {"error":{"code","message"}}, and the checks that trust nothing a client sends (Host, Content-Type,
// body size, JSON nesting).

export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function setSecurityHeaders(res) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export function sendBytes(res, status, contentType, bytes, headers = {}) {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(res, status, value, headers = {}) {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  sendBytes(res, status, 'application/json; charset=utf-8', bytes, { 'Cache-Control': 'no-store', ...headers });
}

export function sendError(res, status, code, message, headers = {}) {
  sendJson(res, status, { error: { code, message } }, headers);
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

// A tiny standalone page; no inline styles or scripts (the CSP forbids both). `form`: {action, label}
// adds a POST form with one button (no fields).
export function sendHtmlPage(res, status, title, paragraphs, headers = {}, form = null) {
  let body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  if (form) body += `\n<form method="post" action="${escapeHtml(form.action)}"><button type="submit">${escapeHtml(form.label)}</button></form>`;
  const html =
    `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n` +
    `<body>\n<main>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</main>\n</body>\n</html>\n`;
  sendBytes(res, status, 'text/html; charset=utf-8', Buffer.from(html, 'utf8'), { 'Cache-Control': 'no-store', ...headers });
}

export class BodyTooLarge extends Error {}

// Host names a browser may put in the Host header of a request to this server. DNS rebinding points
// an attacker's name at 127.0.0.1, so the page it serves would read our answers with the attacker's
// Host: only names that cannot be rebound are accepted — localhost (and *.localhost, which browsers
// resolve to loopback themselves), IP literals (an IP has no DNS to rebind) — plus the host of the
// origin the server was configured with (CANOPY_ORIGIN), whatever the port.
const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOST_HEADER_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

export function hostAllowed(hostHeader, configuredHostname) {
  if (typeof hostHeader !== 'string') return false;
  const m = HOST_HEADER_RE.exec(hostHeader);
  if (!m) return false;
  const name = m[1].toLowerCase().replace(/\.$/, '');
  if (name.startsWith('[')) return true; // IPv6 literal
  if (IPV4_RE.test(name)) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return configuredHostname !== undefined && name === configuredHostname.toLowerCase();
}

// POST bodies must say they are JSON: a form or text/plain body is what a cross-site form can send
// without a preflight, so refusing them keeps other sites' pages from posting to the API.
export function isJsonContentType(header) {
  if (typeof header !== 'string') return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

export const MAX_JSON_DEPTH = 400;
export class JsonTooDeep extends Error {
  constructor() {
    super(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

// The deepest nesting of [ and { in a JSON text (outside strings), stopping as soon as it passes
// `limit`. Linear and allocation-free: 4 MB of "[" costs a few milliseconds here instead of blocking
// JSON.parse (and the event loop) for seconds.
export function jsonDepthExceeds(bytes, limit = MAX_JSON_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Parses a request body as UTF-8 JSON. Throws JsonTooDeep past MAX_JSON_DEPTH, SyntaxError or
// TypeError (bad UTF-8) otherwise.
export function parseJsonBody(bytes) {
  if (jsonDepthExceeds(bytes)) throw new JsonTooDeep();
  return JSON.parse(utf8.decode(bytes));
}

// Reads the raw request body, refusing more than `limit` bytes.
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // drain so the connection stays usable
      reject(new BodyTooLarge());
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
