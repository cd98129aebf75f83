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
 * A device's per-call key share: its ephemeral X25519 public key and the DTLS fingerprint of its
 * SDP, signed with its identity key over callKeyShareText(...). Peers refuse a call whose share
 * does not verify or whose fingerprint differs from the SDP's.
 */
export const KeyShare = z.strictObject({
  ephemeralKey: X25519Key,
  fingerprint: DtlsFingerprint,
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
}) {
  const { role, callId, username, deviceId, ephemeralKey, fingerprint } = share;
  return `parley-call-v1\n${role}\n${callId}\n${username}\n${deviceId}\n${ephemeralKey}\n${fingerprint}`;
}

/** What an existing device signs to certify a new device's identity key for the account. */
export function linkCertificateText(username: string, identityKey: string) {
  return `parley-link-v1\ncertify\n${username}\n${identityKey}`;
}
