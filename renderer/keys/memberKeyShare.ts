import {
  type CallRole,
  type KeyShare,
  type MemberKeyShare,
  type MemberSlot,
  memberKeyShareText,
} from '../../protocol';
import type { Host } from '../host/Host';
import { checkShareFreshness, verifyKeyShare } from './callKeyShare';
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

/**
 * A member's share as a group call carries it: a member share, or (slots 0 and 1 only) the call
 * share the 1:1 pair signed when the call began, whose DTLS fingerprint only the pair checks.
 */
export type PresentedKeyShare = MemberKeyShare | KeyShare;

/** The 1:1 role a pair's call share names for each of the pair's slots. */
const PAIR_ROLES: readonly CallRole[] = ['caller', 'callee'];

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
 * call, fresh and not seen before by `replays` (then it remembers it). A pair's call share is
 * checked as the 1:1 peer checks it, minus the fingerprint, and only for slot 0 or 1.
 */
export async function verifyMemberKeyShare(
  share: PresentedKeyShare,
  context: MemberContext,
  deviceKey: string,
  freshness: { now: number; replays: KeyShareReplayGuard },
): Promise<void> {
  if ('fingerprint' in share) {
    const role = PAIR_ROLES[context.slot];
    if (!role) {
      throw new IdentityVerificationError(
        'slot_mismatch',
        `${context.username}'s call key share is only good for slot 0 or 1, not slot ${context.slot}`,
      );
    }
    const { callId, username, deviceId } = context;
    return verifyKeyShare(share, { role, callId, username, deviceId }, deviceKey, freshness);
  }
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
