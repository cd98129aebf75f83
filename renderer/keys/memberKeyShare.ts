import { type MemberKeyShare, type MemberSlot, memberKeyShareText } from '../../protocol';
import type { Host } from '../host/Host';
import { checkShareFreshness } from './callKeyShare';
import { verifyEd25519 } from './ed25519';
import { IdentityVerificationError } from './IdentityVerificationError';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';

/** Who presents a share in a group call: what its signature covers besides the share itself. */
export interface MemberContext {
  callId: string;
  /** The slot the server's roster gives this member. */
  slot: MemberSlot;
  username: string;
  deviceId: string;
}

/** This device's member share: its ephemeral key for the call and its slot, signed now. */
export async function createMemberKeyShare(
  signer: Pick<Host, 'signMemberKeyShare'>,
  context: MemberContext,
  ephemeralKey: string,
): Promise<MemberKeyShare> {
  const signed = await signer.signMemberKeyShare({ ...context, ephemeralKey });
  return {
    ephemeralKey,
    slot: context.slot,
    signedAt: signed.signedAt,
    signature: signed.signature,
  };
}

/**
 * Throws IdentityVerificationError unless `deviceKey` signed this share for this member, slot and
 * call, fresh and not seen before by `replays` (then it remembers it).
 */
export async function verifyMemberKeyShare(
  share: MemberKeyShare,
  context: MemberContext,
  deviceKey: string,
  freshness: { now: number; replays: KeyShareReplayGuard },
): Promise<void> {
  if (share.slot !== context.slot) {
    throw new IdentityVerificationError(
      'slot_mismatch',
      `${context.username}'s member key share was signed for slot ${share.slot}, not slot ${context.slot}`,
    );
  }
  const text = memberKeyShareText({
    ...context,
    ephemeralKey: share.ephemeralKey,
    signedAt: share.signedAt,
  });
  if (!(await verifyEd25519(deviceKey, share.signature, text))) {
    throw new IdentityVerificationError(
      'share_signature',
      `${context.username}'s member key share is not signed by their device key for this call and slot`,
    );
  }
  checkShareFreshness(share, context.callId, `${context.username}'s member key share`, freshness);
}
