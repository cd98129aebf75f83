import { identityKeyBytes } from './identityKeyBytes';

/**
 * Signal's numeric fingerprint (version 0): each party's 30 digits come from its root identity
 * key and username; the safety number is both halves, the smaller first, so both sides of a
 * conversation see the same 60 digits. Pure Web Crypto: it runs in a page and under Node.
 */
export interface SafetyNumberParty {
  username: string;
  /** The account's root Ed25519 identity key, base64. */
  identityKey: string;
}

const FINGERPRINT_VERSION = 0;
const ITERATIONS = 5200;
const CHUNKS = 6;
const CHUNK_BYTES = 5;

/**
 * The 30 digits that one party contributes. `signal` stops the 5,200 rounds (about half a second)
 * when nobody waits for them any more, throwing its reason.
 */
export async function partyDigits(party: SafetyNumberParty, signal?: AbortSignal): Promise<string> {
  const key = identityKeyBytes(party.identityKey);
  const id = new TextEncoder().encode(party.username);
  let hash = new Uint8Array(2 + key.length + id.length);
  hash.set([FINGERPRINT_VERSION >> 8, FINGERPRINT_VERSION & 0xff], 0);
  hash.set(key, 2);
  hash.set(id, 2 + key.length);
  const input = new Uint8Array(64 + key.length);
  for (let i = 0; i < ITERATIONS; i += 1) {
    signal?.throwIfAborted();
    // h(i+1) = SHA-512(h(i) || key); h(0) is longer than 64 bytes, later ones are exactly 64.
    const round = hash.length === 64 ? input : new Uint8Array(hash.length + key.length);
    round.set(hash, 0);
    round.set(key, hash.length);
    hash = new Uint8Array(await crypto.subtle.digest('SHA-512', round));
  }
  let digits = '';
  for (let chunk = 0; chunk < CHUNKS; chunk += 1) {
    // A 40-bit big-endian integer: exact in a double (below 2^53).
    let value = 0;
    for (const byte of hash.subarray(chunk * CHUNK_BYTES, (chunk + 1) * CHUNK_BYTES)) {
      value = value * 256 + byte;
    }
    digits += String(value % 100_000).padStart(5, '0');
  }
  return digits;
}

/** The 60-digit safety number between two parties; the same whichever side computes it. */
export async function safetyNumber(
  a: SafetyNumberParty,
  b: SafetyNumberParty,
  signal?: AbortSignal,
): Promise<string> {
  const [digitsA, digitsB] = [await partyDigits(a, signal), await partyDigits(b, signal)];
  return digitsA < digitsB ? digitsA + digitsB : digitsB + digitsA;
}

/** 60 digits as 12 groups of 5, the way people read them to each other. */
export function safetyNumberGroups(digits: string): string[] {
  if (!/^\d{60}$/.test(digits)) throw new Error('A safety number has exactly 60 digits');
  return digits.match(/\d{5}/g) ?? [];
}
