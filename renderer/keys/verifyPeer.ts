import type { CallRole, ContactPin, IdentityChain, KeyShare } from '../../protocol';
import type { Host } from '../host/Host';
import { verifyKeyShare } from './callKeyShare';
import { IdentityVerificationError } from './IdentityVerificationError';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';
import { sdpFingerprint } from './sdpFingerprint';
import { verifyIdentityChain } from './verifyIdentityChain';

export type PinStore = Pick<Host, 'getPins' | 'putPin'>;

/** What a call knows about the other device once it passed every check. */
export interface PeerIdentity {
  rootKey: string;
  /**
   * 'match': the pinned root; 'first_use': nothing was pinned (pinned now, unverified);
   * 'changed': the root differs from the pin (only accepted for incoming calls, with a warning).
   */
  pin: 'match' | 'first_use' | 'changed';
}

export interface PeerCallOffer {
  callId: string;
  /** The role the peer plays in this call: 'caller' for an invite, 'callee' for an accept. */
  role: CallRole;
  username: string;
  deviceId: string;
  identity: IdentityChain;
  keyShare: KeyShare;
  /** The SDP that came with the share, not yet applied. */
  sdp: string;
}

/**
 * Everything a peer must pass before its SDP is applied: its chain verifies up to the root, the
 * share is signed by the chain's last key for this sender and call, fresh and not a replay, and the share's fingerprint is
 * the one in the SDP (so the DTLS handshake ends at that device). Then the root is checked against
 * the pin. Throws IdentityVerificationError; a changed root is reported, or refused when
 * `allowChangedKey` is false.
 */
export async function verifyPeer(
  offer: PeerCallOffer,
  pins: PinStore,
  options: { allowChangedKey: boolean; now: number; replays: KeyShareReplayGuard },
): Promise<PeerIdentity> {
  const { rootKey, deviceKey } = await verifyIdentityChain(offer.username, offer.identity);
  const context = {
    role: offer.role,
    callId: offer.callId,
    username: offer.username,
    deviceId: offer.deviceId,
  };
  await verifyKeyShare(offer.keyShare, context, deviceKey, options);
  const fingerprint = sdpFingerprint(offer.sdp);
  if (fingerprint === null || fingerprint !== offer.keyShare.fingerprint) {
    throw new IdentityVerificationError(
      'fingerprint_mismatch',
      `the ${offer.role}'s SDP fingerprint is not the one its key share signs`,
    );
  }
  return checkPin(offer.username, rootKey, pins, options);
}

/**
 * Compares a verified root with the one pinned for `username`: pins it on first use, and reports a
 * change, or refuses it when `allowChangedKey` is false.
 */
export async function checkPin(
  username: string,
  rootKey: string,
  pins: PinStore,
  options: { allowChangedKey: boolean; now: number },
): Promise<PeerIdentity> {
  const pinned = (await pins.getPins()).find((pin) => pin.username === username);
  if (!pinned) {
    await pins.putPin(newPin(username, rootKey, options.now));
    return { rootKey, pin: 'first_use' };
  }
  if (pinned.identityKey === rootKey) return { rootKey, pin: 'match' };
  if (!options.allowChangedKey) {
    throw new IdentityVerificationError(
      'key_changed',
      `${username}'s identity key is not the one pinned on this device`,
    );
  }
  return { rootKey, pin: 'changed' };
}

/** A root seen for the first time, or accepted by the user after a change: pinned, unverified. */
export function newPin(username: string, identityKey: string, now: number): ContactPin {
  return { username, identityKey, verified: false, firstSeenAt: now };
}
