import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loginChallengeText } from '../../protocol/auth';
import { verifyDeviceSignature } from '../../server/auth/verifyDeviceSignature';

/**
 * What a registration or a sign-in cannot avoid: the server's Ed25519 check of the device's
 * signature (`verifyDeviceSignature`, exactly as the server calls it, key import included) and
 * the fsync of its commit. Measured here, beside the server, so that the benchmark can say how
 * much of the server's time per operation they make up.
 */
const VERIFY_ROUNDS = 3000;
const SYNC_ROUNDS = 60;

/** CPU milliseconds of one Ed25519 verification of a sign-in-sized text. */
export function ed25519VerifyMs(): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const identityKey = Buffer.from(jwk.x!, 'base64url').toString('base64');
  const text = loginChallengeText({
    origin: 'https://parley.example',
    nonce: randomBytes(32).toString('base64url'),
    username: 'alice',
    deviceId: randomUUID(),
  });
  const signature = sign(null, Buffer.from(text), privateKey).toString('base64');
  for (let i = 0; i < 200; i++) verifyDeviceSignature(identityKey, text, signature);
  const started = process.cpuUsage();
  for (let i = 0; i < VERIFY_ROUNDS; i++) {
    if (!verifyDeviceSignature(identityKey, text, signature)) throw new Error('did not verify');
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / VERIFY_ROUNDS;
}

/** Median wall milliseconds of appending 4 KiB to a file in `dir` and fdatasync-ing it. */
export function fsyncMs(dir: string): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'a');
  const page = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < SYNC_ROUNDS; i++) {
      writeSync(fd, page);
      const started = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
