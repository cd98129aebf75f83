/** Loads the official RFC 9605 test vectors from ../shared/testdata/sframe beside the clone. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const VECTOR_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'testdata', 'sframe');
export const VECTOR_FILE = path.join(VECTOR_DIR, 'rfc9605-test-vectors.json');
/** From VECTOR_DIR/README.md. */
export const VECTOR_SHA256 = 'b8d35efd41749567427cb9ae52d9a7362904154978ff6a5fb20c0258a8ffdec1';
export const VECTOR_SIZE = 35121;

export interface HeaderVector {
  kid: bigint;
  ctr: bigint;
  encoded: Buffer;
}

export interface AesCtrHmacVector {
  cipher_suite: number;
  key: Buffer;
  enc_key: Buffer;
  auth_key: Buffer;
  nonce: Buffer;
  aad: Buffer;
  pt: Buffer;
  ct: Buffer;
}

export interface SFrameVector {
  cipher_suite: number;
  kid: bigint;
  ctr: bigint;
  base_key: Buffer;
  sframe_key_label: Buffer;
  sframe_salt_label: Buffer;
  sframe_secret: Buffer;
  sframe_key: Buffer;
  sframe_salt: Buffer;
  metadata: Buffer;
  nonce: Buffer;
  aad: Buffer;
  pt: Buffer;
  ct: Buffer;
}

export interface Vectors {
  raw: Buffer;
  header: HeaderVector[];
  aes_ctr_hmac: AesCtrHmacVector[];
  sframe: SFrameVector[];
}

type Json = Record<string, unknown>;

function hex(entry: Json, field: string): Buffer {
  const value = entry[field];
  if (typeof value !== 'string' || !/^([0-9a-f]{2})*$/.test(value)) {
    throw new Error(`test vector field ${field} is not lowercase hex: ${JSON.stringify(value)}`);
  }
  return Buffer.from(value, 'hex');
}

function big(entry: Json, field: string): bigint {
  const value = entry[field];
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new Error(`test vector field ${field} was not captured as raw digits`);
  }
  return BigInt(value);
}

function int(entry: Json, field: string): number {
  const value = entry[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`test vector field ${field} is not an integer`);
  }
  return value;
}

function list(root: Json, section: string): Json[] {
  const value = root[section];
  if (!Array.isArray(value)) throw new Error(`test vectors have no "${section}" array`);
  return value as Json[];
}

export function loadVectors(): Vectors {
  if (!existsSync(VECTOR_FILE)) {
    throw new Error(
      `SFrame test vectors not found at ${VECTOR_FILE}. They live in shared/testdata/sframe, ` +
        `which must sit beside the repository clone (CI copies shared/ next to it).`,
    );
  }
  const raw = readFileSync(VECTOR_FILE);
  // kid and ctr reach 2^64-1: quote the raw digits before JSON.parse so no double rounding occurs.
  const text = raw.toString('utf8').replace(/"(kid|ctr)"(\s*):(\s*)(\d+)/g, '"$1"$2:$3"$4"');
  const root = JSON.parse(text) as Json;
  return {
    raw,
    header: list(root, 'header').map((e) => ({
      kid: big(e, 'kid'),
      ctr: big(e, 'ctr'),
      encoded: hex(e, 'encoded'),
    })),
    aes_ctr_hmac: list(root, 'aes_ctr_hmac').map((e) => ({
      cipher_suite: int(e, 'cipher_suite'),
      key: hex(e, 'key'),
      enc_key: hex(e, 'enc_key'),
      auth_key: hex(e, 'auth_key'),
      nonce: hex(e, 'nonce'),
      aad: hex(e, 'aad'),
      pt: hex(e, 'pt'),
      ct: hex(e, 'ct'),
    })),
    sframe: list(root, 'sframe').map((e) => ({
      cipher_suite: int(e, 'cipher_suite'),
      kid: big(e, 'kid'),
      ctr: big(e, 'ctr'),
      base_key: hex(e, 'base_key'),
      sframe_key_label: hex(e, 'sframe_key_label'),
      sframe_salt_label: hex(e, 'sframe_salt_label'),
      sframe_secret: hex(e, 'sframe_secret'),
      sframe_key: hex(e, 'sframe_key'),
      sframe_salt: hex(e, 'sframe_salt'),
      metadata: hex(e, 'metadata'),
      nonce: hex(e, 'nonce'),
      aad: hex(e, 'aad'),
      pt: hex(e, 'pt'),
      ct: hex(e, 'ct'),
    })),
  };
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
