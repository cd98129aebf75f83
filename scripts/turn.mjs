// `npm run turn`: starts coturn beside the Parley server, with the project's configuration
// (deploy/coturn/turnserver.conf) and the secret the server mints credentials from.
//   PARLEY_TURN_SECRET_FILE (or --turn-secret-file FILE; else PARLEY_TURN_SECRET)  the shared secret
//   PARLEY_TLS_CERT, PARLEY_TLS_KEY  certificate for TURN over TLS on 5349 (without: no TLS)
//   PARLEY_TURN_REALM                realm (default: the file's)
//   PARLEY_TURN_EXTERNAL_IP          public address behind 1:1 NAT, as coturn's external-ip
// The generated configuration holds the secret, so it lives in a private temporary folder that
// is removed when coturn stops.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import coturnConfigModule from './coturnConfig.cjs';

const { coturnConfig } = coturnConfigModule;
const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`parley turn: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { 'turn-secret-file': { type: 'string' } },
  strict: true,
});
const secretFile = values['turn-secret-file'] ?? process.env.PARLEY_TURN_SECRET_FILE;
let secret = process.env.PARLEY_TURN_SECRET;
if (secretFile) {
  try {
    secret = readFileSync(secretFile, 'utf8').split(/\r?\n/)[0];
  } catch (error) {
    fail(`cannot read ${secretFile} (${error.code})`);
  }
}
if (!secret || secret.trim() === '') {
  fail(
    'no secret: make one with `openssl rand -base64 32 > turn-secret && chmod 600 turn-secret`, ' +
      'then run PARLEY_TURN_SECRET_FILE=turn-secret npm run turn and give the server the same file ' +
      '(--turn-secret-file turn-secret).',
  );
}

const deps = spawnSync(process.execPath, [join(here, 'system-deps.mjs'), 'turn'], {
  stdio: 'inherit',
});
if (deps.status !== 0) process.exit(deps.status ?? 1);

const cert = process.env.PARLEY_TLS_CERT;
const key = process.env.PARLEY_TLS_KEY;
const dir = mkdtempSync(join(tmpdir(), 'parley-turn-'));
const configFile = join(dir, 'turnserver.conf');
writeFileSync(
  configFile,
  coturnConfig({
    'static-auth-secret': secret,
    ...(process.env.PARLEY_TURN_REALM ? { realm: process.env.PARLEY_TURN_REALM } : {}),
    ...(process.env.PARLEY_TURN_EXTERNAL_IP
      ? { 'external-ip': process.env.PARLEY_TURN_EXTERNAL_IP }
      : {}),
    ...(cert && key ? { cert, pkey: key } : { 'no-tls': true, 'no-dtls': true }),
    pidfile: join(dir, 'turnserver.pid'),
    userdb: join(dir, 'turndb'),
  }),
  { mode: 0o600 },
);

console.log(
  `parley turn: coturn on udp+tcp 3478${cert && key ? ' and tls 5349' : ' (no TLS: set PARLEY_TLS_CERT and PARLEY_TLS_KEY)'}; ` +
    'start the server with the same --turn-secret-file and --turn-urls (see docs/deploy.md).',
);
const child = spawn('turnserver', ['-c', configFile], { stdio: 'inherit' });
const cleanUp = () => rmSync(dir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  cleanUp();
  fail(`could not start turnserver: ${error.message}`);
});
child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 0 : 1));
});
