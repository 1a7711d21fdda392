// Runs the CLI asynchronously (the reference server the tests talk to runs in the same process, so a
// synchronous spawn would block it) with the token in CANOPY_TOKEN; resolves to { code, out, err }.
import { spawn } from 'node:child_process';

import { DEMO_TOKEN } from '../../../tools/server/testing.mjs';

export function runCli(bin, args, { token = DEMO_TOKEN } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, CANOPY_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
