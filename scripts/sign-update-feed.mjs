// Signs desktop update feed files for release (docs/deploy.md, "Desktop updates").
//
//   node scripts/sign-update-feed.mjs --generate-key <private-key.pem>
//       writes a new Ed25519 private key (mode 0600) and prints its public key, to pin in
//       main/update/updateFeedKey.ts.
//   node scripts/sign-update-feed.mjs [--key <private-key.pem>] <out/latest-linux.yml>...
//       writes <file>.sig beside each feed file: the base64 Ed25519 signature over its exact
//       bytes. The key path comes from --key or PARLEY_UPDATE_SIGNING_KEY.
//
// The app refuses a feed file whose .sig is missing or does not verify under the pinned key, so
// sign after the last change to a latest*.yml and upload each .sig with its file.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const usage =
  'usage: sign-update-feed.mjs --generate-key <private-key.pem>\n' +
  '       sign-update-feed.mjs [--key <private-key.pem>] <feed.yml>...  (or PARLEY_UPDATE_SIGNING_KEY)';

function fail(message) {
  process.stderr.write(`sign-update-feed: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);

if (args[0] === '--generate-key') {
  const target = args[1];
  if (!target || args.length !== 2) fail(usage);
  if (existsSync(target)) fail(`${target} exists; not overwriting a key`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(target, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  process.stdout.write(publicKey.export({ type: 'spki', format: 'pem' }));
  process.exit(0);
}

let keyPath = process.env.PARLEY_UPDATE_SIGNING_KEY;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--key') keyPath = args[++i];
  else if (args[i].startsWith('-')) fail(`unknown option ${args[i]}\n${usage}`);
  else files.push(args[i]);
}
if (!keyPath) fail(`no signing key: pass --key or set PARLEY_UPDATE_SIGNING_KEY\n${usage}`);
if (files.length === 0) fail(`no feed file to sign\n${usage}`);

let privateKey;
try {
  privateKey = createPrivateKey(readFileSync(keyPath));
} catch (error) {
  fail(`cannot read the signing key ${keyPath}: ${error.message}`);
}
if (privateKey.asymmetricKeyType !== 'ed25519') {
  fail(`${keyPath} is a ${privateKey.asymmetricKeyType} key, not Ed25519`);
}
const publicKey = createPublicKey(privateKey);

for (const file of files) {
  if (!/\.ya?ml$/.test(file)) fail(`${file} is not a feed file (latest*.yml)`);
  const bytes = readFileSync(file);
  const signature = sign(null, bytes, privateKey);
  if (!verify(null, bytes, publicKey, signature)) fail(`${file}: the signature does not verify`);
  writeFileSync(`${file}.sig`, `${signature.toString('base64')}\n`);
  process.stdout.write(`signed ${file} -> ${file}.sig\n`);
}
