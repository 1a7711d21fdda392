// Deterministic identities CSV for the benchmark and the memory tests: quoted fields, doubled quotes,
// embedded newlines, accented names, UUIDs. Same seed, same bytes.
const FIRST = ['Ada', 'Grace', 'Alan', 'Zoë', 'Jörg', 'François', 'Søren', 'Małgorzata', 'José', 'Ægir', 'Chloé', 'Renée', 'Łukasz', 'Ines', 'Noël'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Müller', 'Straße', 'Lévêque', 'Kierkegaard', 'Wiśniewska', 'Núñez', "O'Brien", 'Ångström', 'Dvořák'];
const ROLES = ['5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01', '5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d02'];
const NODES = ['8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01', '8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c02'];
const WORDS = ['onboarding', 'contractor', 'badge', 'laptop', 'VPN', 'payroll', 'Zürich', 'São Paulo', 'münchen', 'team', 'lead', 'remote'];

// warnEveryRow: spaces around every email, so every row gets a whitespace_trimmed warning (the same rows
// otherwise): what issues cost the validation.
export function generateIdentities({ rows = 10000, targetBytes = 10 * 1024 * 1024, seed = 20261127, warnEveryRow = false } = {}) {
  // Aim, measure, correct: the notes length per row is tuned until the file fits under targetBytes.
  let notesLength = null;
  for (;;) {
    const out = generateOnce({ rows, targetBytes, seed, notesLength, warnEveryRow });
    if (out.bytes.byteLength <= targetBytes || out.notesLength === 0) return out;
    notesLength = Math.max(0, out.notesLength - Math.ceil((out.bytes.byteLength - targetBytes) / rows) - 2);
  }
}

function generateOnce({ rows, targetBytes, seed, notesLength, warnEveryRow }) {
  let s = seed >>> 0;
  // mulberry32: every bit well mixed (an LCG's low bits repeat and would make duplicate ids).
  const rnd = (m) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % m;
  };
  const hex = (n) => { let h = ''; for (let i = 0; i < n; i++) h += '0123456789abcdef'[rnd(16)]; return h; };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  const header = 'email,first_name,last_name,role_id,node_id,client_id,external_id,notes';
  const base = [];
  for (let i = 0; i < rows; i++) {
    const first = FIRST[rnd(FIRST.length)];
    const last = LAST[rnd(LAST.length)];
    const withRole = rnd(3) === 0;
    base.push({
      email: `${first.normalize('NFD').replace(/[^\x00-\x7f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase() || 'user'}.${i}@example.com`,
      first, last,
      role: withRole ? ROLES[rnd(2)] : '', node: withRole ? NODES[rnd(2)] : '',
      client: rnd(4) === 0 ? 'dashboard-web' : '',
      ext: `EMP-${uuid()}`,
    });
  }
  // Fill each row's notes so the file lands near targetBytes: quoted, with "" and line breaks.
  const fixed = base.reduce((n, r) => n + r.email.length + r.first.length * 1.3 + r.last.length * 1.3 + r.role.length + r.node.length + r.client.length + r.ext.length + 12, header.length + 1);
  const perRow = notesLength ?? Math.max(0, Math.floor((targetBytes - fixed) / rows) - 4);
  const q = (v) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [header];
  for (const r of base) {
    let notes = '';
    while (notes.length < perRow) {
      const w = WORDS[rnd(WORDS.length)];
      const k = rnd(20);
      notes += k === 0 ? `"${w}" ` : k === 1 ? `${w}\n` : k === 2 ? `${w}, ` : `${w} `;
    }
    notes = notes.slice(0, perRow);
    lines.push([warnEveryRow ? ` ${r.email} ` : r.email, q(r.first), q(r.last), r.role, r.node, r.client, r.ext, q(notes)].join(','));
  }
  const bytes = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  return { bytes, rows, notesLength: perRow };
}
