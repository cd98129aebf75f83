// Installs the Debian packages a step needs, when they are missing.
//   node scripts/system-deps.mjs build   -> what `npm install` needs (keytar's libsecret headers)
//   node scripts/system-deps.mjs test    -> what `npm test` needs (Chromium, keychain daemon, dbus,
//                                           coturn and the network-namespace tools)
//   node scripts/system-deps.mjs turn    -> what `npm run turn` needs (coturn)
//   node scripts/system-deps.mjs mediasoup -> what building mediasoup's worker from source needs
//                                           (scripts/build-mediasoup-worker.mjs)
// As root it runs apt-get; otherwise sudo -n if allowed; else it prints the command to run.
import { execFileSync, spawnSync } from 'node:child_process';

const groups = {
  build: ['libsecret-1-dev', 'pkg-config', 'python3', 'make', 'g++'],
  test: [
    'chromium',
    'firefox-esr',
    'gnome-keyring',
    'dbus',
    'dbus-x11',
    'libsecret-tools',
    'iproute2',
    'util-linux',
    'coturn',
    'nftables',
    'openssl',
    'python3',
  ],
  turn: ['coturn'],
  mediasoup: [
    'ninja-build',
    'pkg-config',
    'g++',
    'meson',
    'libuv1-dev',
    'libssl-dev',
    'libsrtp2-dev',
    'libusrsctp-dev',
    'libabsl-dev',
    'libflatbuffers-dev',
    'flatbuffers-compiler',
  ],
};

function installed(pkg) {
  const out = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return out.status === 0 && out.stdout.includes('install ok installed');
}

const wanted = process.argv.slice(2).flatMap((g) => {
  if (!groups[g]) {
    console.error(`system-deps: unknown group "${g}" (known: ${Object.keys(groups).join(', ')})`);
    process.exit(2);
  }
  return groups[g];
});

if (spawnSync('dpkg-query', ['--version']).status !== 0) {
  console.log('system-deps: not a Debian-like system; install these yourself: ' + wanted.join(' '));
  process.exit(0);
}

const missing = [...new Set(wanted)].filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
const canSudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!isRoot && !canSudo) {
  console.error(
    `Parley needs these Debian packages: ${missing.join(' ')}\n` +
      `Run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
  );
  process.exit(1);
}
const prefix = isRoot ? [] : ['sudo', '-n'];
const run = (args) => {
  const [cmd, ...rest] = [...prefix, ...args];
  execFileSync(cmd, rest, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
console.log(`system-deps: installing ${missing.join(' ')}`);
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
