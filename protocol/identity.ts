import { z } from 'zod';
import { DtlsFingerprint, IdentityKey, Signature, X25519Key } from './primitives';

/**
 * An account's identity is the Ed25519 key of its first device (the root). Each later device's
 * key is certified by a device already on the account: chain[0] is the root (signature null) and
 * chain[i].signature is chain[i-1]'s signature over linkCertificateText(username, chain[i].key).
 * The last element is the device's own key. Peers pin the root; the server cannot forge a link.
 */
export const CertifiedKey = z.strictObject({
  identityKey: IdentityKey,
  signature: Signature.nullable(),
});
export const IdentityChain = z.array(CertifiedKey).min(1).max(8);
export type IdentityChain = z.infer<typeof IdentityChain>;

/**
 * When a key share was signed: milliseconds since the Unix epoch, by the signing device's clock
 * (main's, on the desktop; the renderer cannot choose it).
 */
export const KeyShareTime = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A key share older than this (by the receiver's clock) is refused as stale. */
export const KEY_SHARE_MAX_AGE_MS = 5 * 60_000;
/** A key share signed further than this in the receiver's future is refused (clock skew bound). */
export const KEY_SHARE_MAX_FUTURE_MS = 60_000;

/**
 * A device's per-call key share: its ephemeral X25519 public key and the DTLS fingerprint of its
 * SDP, signed with its identity key at `signedAt` over callKeyShareText(...). Peers refuse a call
 * whose share does not verify, is stale or replayed, or whose fingerprint differs from the SDP's.
 */
export const KeyShare = z.strictObject({
  ephemeralKey: X25519Key,
  fingerprint: DtlsFingerprint,
  signedAt: KeyShareTime,
  signature: Signature,
});
export type KeyShare = z.infer<typeof KeyShare>;

export type CallRole = 'caller' | 'callee';

export function callKeyShareText(share: {
  role: CallRole;
  callId: string;
  username: string;
  deviceId: string;
  ephemeralKey: string;
  fingerprint: string;
  signedAt: number;
}) {
  const { role, callId, username, deviceId, ephemeralKey, fingerprint, signedAt } = share;
  return `parley-call-v2\n${role}\n${callId}\n${username}\n${deviceId}\n${ephemeralKey}\n${fingerprint}\n${signedAt}`;
}

/** What an existing device signs to certify a new device's identity key for the account. */
export function linkCertificateText(username: string, identityKey: string) {
  return `parley-link-v1\ncertify\n${username}\n${identityKey}`;
}
