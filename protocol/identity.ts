import * as z from 'zod';
import './zodMessages';
import { DtlsFingerprint, IdentityKey, LinkCode, Signature, X25519Key } from './primitives';

/** The link a v2 certificate was signed for: its code and when that code expired (epoch ms). */
export const CertifiedLink = z.strictObject({
  code: LinkCode,
  expiresAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type CertifiedLink = z.infer<typeof CertifiedLink>;

/**
 * An account's identity is the Ed25519 key of its first device (the root). Each later device's
 * key is certified by a device already on the account: chain[0] is the root (signature null) and
 * chain[i].signature is chain[i-1]'s signature over certifiedKeyText(username, chain[i]): the v2
 * text when the element carries `link`, the v1 text (links made before v2) when it does not.
 * The last element is the device's own key. Peers pin the root; the server cannot forge a link.
 */
export const CertifiedKey = z.strictObject({
  identityKey: IdentityKey,
  signature: Signature.nullable(),
  link: CertifiedLink.optional(),
});
export type CertifiedKey = z.infer<typeof CertifiedKey>;
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

/**
 * A member's place in a group call, assigned by the server: 0 the caller, 1 the first callee to
 * accept, then 2, 3, ... for each later joiner (never reused). The middle 16 bits of its KIDs.
 */
export const MemberSlot = z.number().int().min(0).max(0xffff);
export type MemberSlot = z.infer<typeof MemberSlot>;

/**
 * A member device's key share in a group call: its ephemeral X25519 key for the whole call and
 * the slot it holds, signed with its identity key at `signedAt` over memberKeyShareText(...). It
 * names no DTLS fingerprint: through the SFU the DTLS peer is the SFU, not the member. Receivers
 * refuse it as they refuse a call share (signature, stale, future, replay) and never wrap a key
 * for a member whose share they refused.
 */
export const MemberKeyShare = z.strictObject({
  ephemeralKey: X25519Key,
  slot: MemberSlot,
  signedAt: KeyShareTime,
  signature: Signature,
});
export type MemberKeyShare = z.infer<typeof MemberKeyShare>;

export function memberKeyShareText(share: {
  callId: string;
  slot: number;
  username: string;
  deviceId: string;
  ephemeralKey: string;
  signedAt: number;
}) {
  const { callId, slot, username, deviceId, ephemeralKey, signedAt } = share;
  return `parley-room-share-v1\n${callId}\n${slot}\n${username}\n${deviceId}\n${ephemeralKey}\n${signedAt}`;
}

/**
 * What an existing device signs to certify a new device's identity key for the account, bound to
 * the one link code it approves and that code's expiry, so it cannot be used for another link.
 */
export function linkCertificateText(certificate: {
  username: string;
  identityKey: string;
  code: string;
  expiresAt: number;
}) {
  const { username, identityKey, code, expiresAt } = certificate;
  return `parley-link-v2\ncertify\n${username}\n${identityKey}\n${code}\n${expiresAt}`;
}

/** The v1 text, with no code or expiry: only verified, in chains linked before v2. */
export function legacyLinkCertificateText(username: string, identityKey: string) {
  return `parley-link-v1\ncertify\n${username}\n${identityKey}`;
}

/** The text chain element `certified` is signed over (see CertifiedKey). */
export function certifiedKeyText(username: string, certified: CertifiedKey) {
  const { identityKey, link } = certified;
  return link
    ? linkCertificateText({ username, identityKey, ...link })
    : legacyLinkCertificateText(username, identityKey);
}
