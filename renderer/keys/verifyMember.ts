import type { IdentityChain } from '../../protocol';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';
import type { MemberKeyShare } from '../../protocol';
import { type MemberContext, verifyMemberKeyShare } from './memberKeyShare';
import { checkPin, type PeerIdentity, type PinStore } from './verifyPeer';
import { verifyIdentityChain } from './verifyIdentityChain';

/** A member of a group call as the roster presents it, not yet trusted. */
export interface MemberOffer extends MemberContext {
  identity: IdentityChain;
  keyShare: MemberKeyShare;
}

/**
 * Everything a member must pass before it gets our sender key or we take its keys: its chain
 * verifies up to the root, the share is signed by the chain's last key for this member, slot and
 * call, fresh and not a replay; then the root is checked against the pin as for a 1:1 peer.
 */
export async function verifyMember(
  offer: MemberOffer,
  pins: PinStore,
  options: { allowChangedKey: boolean; now: number; replays: KeyShareReplayGuard },
): Promise<PeerIdentity> {
  const { rootKey, deviceKey } = await verifyIdentityChain(offer.username, offer.identity);
  const { callId, slot, username, deviceId } = offer;
  await verifyMemberKeyShare(
    offer.keyShare,
    { callId, slot, username, deviceId },
    deviceKey,
    options,
  );
  return checkPin(offer.username, rootKey, pins, options);
}
