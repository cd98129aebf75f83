/**
 * Loads the official RFC 9605 test vectors from ../shared/testdata/sframe/ beside the repo,
 * reading kid and ctr as BigInt from the raw text (they go up to 2^64-1).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');
export const VECTORS_DIR = resolve(repoRoot, '..', 'shared', 'testdata', 'sframe');
const VECTORS_FILE = resolve(VECTORS_DIR, 'rfc9605-test-vectors.json');
const VECTORS_SHA256 = 'b8d35efd41749567427cb9ae52d9a7362904154978ff6a5fb20c0258a8ffdec1';

export interface HeaderVector {
  kid: bigint;
  ctr: bigint;
  encoded: string;
}

export interface AesCtrHmacVector {
  cipher_suite: number;
  key: string;
  enc_key: string;
  auth_key: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}

export interface SFrameVector {
  cipher_suite: number;
  kid: bigint;
  ctr: bigint;
  base_key: string;
  sframe_key_label: string;
  sframe_salt_label: string;
  sframe_secret: string;
  sframe_key: string;
  sframe_salt: string;
  metadata: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}

export interface TestVectors {
  header: HeaderVector[];
  aes_ctr_hmac: AesCtrHmacVector[];
  sframe: SFrameVector[];
}

export function loadVectors(): TestVectors {
  if (!existsSync(VECTORS_FILE)) {
    throw new Error(
      `RFC 9605 test vectors not found at ${VECTORS_FILE}: the shared/ folder must sit beside ` +
        `the repository (../shared/testdata/sframe/rfc9605-test-vectors.json)`,
    );
  }
  const text = readFileSync(VECTORS_FILE, 'utf8');
  const digest = createHash('sha256').update(text).digest('hex');
  if (digest !== VECTORS_SHA256) {
    throw new Error(`${VECTORS_FILE} has sha256 ${digest}, expected ${VECTORS_SHA256}`);
  }
  // Quote the big integers before JSON.parse can round them to doubles.
  const quoted = text.replace(/"(kid|ctr)":\s*(\d+)/g, '"$1": "$2"');
  return JSON.parse(quoted, (key, value: unknown) =>
    (key === 'kid' || key === 'ctr') && typeof value === 'string' ? BigInt(value) : value,
  ) as TestVectors;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
