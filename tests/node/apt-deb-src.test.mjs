// tools/apt-deb-src.sh: the deb-src entries tools/setup-system.sh writes are derived from the machine's
// own apt sources (regression: it wrote a fixed mirror host). Sample /etc trees in, expected stanzas out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools', 'apt-deb-src.sh');
const dirs = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function derive(files, args = []) {
  const root = await mkdtemp(join(tmpdir(), 'canopy-apt-'));
  dirs.push(root);
  await mkdir(join(root, 'etc', 'apt', 'sources.list.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
  return execFileSync('bash', [SCRIPT, '--root', root, ...args.map((a) => a.replace('$ROOT', root))], { encoding: 'utf8' });
}

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

test('one-line sources.list: own mirror kept, options read, comments, deb-src and other vendors skipped', async () => {
  const out = await derive({
    'etc/os-release': OS_RELEASE,
    'etc/apt/sources.list': [
      '# deb http://commented.example/debian bookworm main',
      'deb http://ftp.de.debian.org/debian/ bookworm main contrib non-free-firmware',
      'deb http://ftp.de.debian.org/debian/ bookworm-updates main contrib non-free-firmware   # updates',
      'deb-src http://ftp.de.debian.org/debian/ bookworm-updates main contrib non-free-firmware',
      'deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://security.debian.org/debian-security bookworm-security main',
      'deb [ arch=amd64 ] http://ftp.de.debian.org/debian bookworm-backports main',
      'deb http://ftp.de.debian.org/debian bullseye main',
      '',
    ].join('\n'),
    'etc/apt/sources.list.d/nodesource.list': 'deb [signed-by=/usr/share/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main\n',
    'etc/apt/sources.list.d/google.list': 'deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n',
    'etc/apt/sources.list.d/old.list.disabled': 'deb http://disabled.example/debian bookworm main\n',
  });
  assert.equal(
    out,
    [
      'Types: deb-src',
      'URIs: http://ftp.de.debian.org/debian',
      'Suites: bookworm',
      'Components: main contrib non-free-firmware',
      '',
      'Types: deb-src',
      'URIs: http://security.debian.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb-src',
      'URIs: http://ftp.de.debian.org/debian',
      'Suites: bookworm-backports',
      'Components: main',
      '',
    ].join('\n'),
  );
});

test('deb822 .sources: suites grouped, Enabled: no and other vendors skipped, an inline key kept whole', async () => {
  const out = await derive({
    'etc/os-release': OS_RELEASE,
    'etc/apt/sources.list.d/debian.sources': [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://mirror.example.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      'URIs: http://mirror.example.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      'Signed-By:',
      ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
      ' .',
      ' mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD9K7UgrF6kx8eM2Ero',
      ' -----END PGP PUBLIC KEY BLOCK-----',
      '',
      'Enabled: no',
      'Types: deb',
      'URIs: http://off.example.org/debian',
      'Suites: bookworm-proposed-updates',
      'Components: main',
      '',
    ].join('\n'),
    'etc/apt/sources.list.d/vendor.sources': 'Types: deb deb-src\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n',
    'etc/apt/sources.list.d/mixed.sources': 'Types: deb deb-src\nURIs: http://other.example.org/debian\nSuites: bookworm\nComponents: main\n',
  });
  assert.equal(
    out,
    [
      'Types: deb-src',
      'URIs: http://mirror.example.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb-src',
      'URIs: http://mirror.example.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      'Signed-By: ',
      ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
      ' .',
      ' mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD9K7UgrF6kx8eM2Ero',
      ' -----END PGP PUBLIC KEY BLOCK-----',
      '',
    ].join('\n'),
  );
});

test('our own earlier output is excluded, so a run after a mirror change follows the new mirror', async () => {
  const ours = 'Types: deb-src\nURIs: http://old-mirror.example/debian\nSuites: bookworm\nComponents: main\n';
  const files = {
    'etc/os-release': OS_RELEASE,
    'etc/apt/sources.list.d/debian.sources': 'Types: deb\nURIs: http://new-mirror.example/debian\nSuites: bookworm\nComponents: main\n',
    'etc/apt/sources.list.d/canopy-deb-src.sources': ours,
  };
  const out = await derive(files, ['--exclude', '$ROOT/etc/apt/sources.list.d/canopy-deb-src.sources']);
  assert.equal(out, 'Types: deb-src\nURIs: http://new-mirror.example/debian\nSuites: bookworm\nComponents: main\n');
});

test('nothing to add: every pair has its deb-src, or the release has no codename', async () => {
  assert.equal(
    await derive({
      'etc/os-release': OS_RELEASE,
      'etc/apt/sources.list.d/debian.sources': 'Types: deb deb-src\nURIs: http://deb.example/debian\nSuites: bookworm\nComponents: main\n',
    }),
    '',
  );
  assert.equal(await derive({ 'etc/os-release': 'ID=debian\n', 'etc/apt/sources.list': 'deb http://deb.example/debian bookworm main\n' }), '');
});
