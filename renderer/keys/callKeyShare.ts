import {
  type CallRole,
  type KeyShare,
  KEY_SHARE_MAX_AGE_MS,
  KEY_SHARE_MAX_FUTURE_MS,
  callKeyShareText,
} from '../../protocol';
import type { Host } from '../host/Host';
import { verifyEd25519 } from './ed25519';
import { IdentityVerificationError } from './IdentityVerificationError';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';

/** Who sent a key share, in which call: what its signature covers besides the share itself. */
export interface KeyShareContext {
  role: CallRole;
  callId: string;
  username: string;
  deviceId: string;
}

/** This device's share: its ephemeral key and own SDP fingerprint, signed by its identity key. */
export async function createKeyShare(
  signer: Pick<Host, 'signCallKeyShare'>,
  context: KeyShareContext,
  ephemeralKey: string,
  fingerprint: string,
): Promise<KeyShare> {
  const signed = await signer.signCallKeyShare({ ...context, ephemeralKey, fingerprint });
  return { ephemeralKey, fingerprint, signedAt: signed.signedAt, signature: signed.signature };
}

/**
 * Throws unless `deviceKey` signed exactly this share for this sender, role and call, within
 * KEY_SHARE_MAX_AGE_MS before `now` or KEY_SHARE_MAX_FUTURE_MS after it, and `replays` has not
 * seen it yet (then it remembers it).
 */
export async function verifyKeyShare(
  share: KeyShare,
  context: KeyShareContext,
  deviceKey: string,
  freshness: { now: number; replays: KeyShareReplayGuard },
): Promise<void> {
  const text = callKeyShareText({
    ...context,
    ephemeralKey: share.ephemeralKey,
    fingerprint: share.fingerprint,
    signedAt: share.signedAt,
  });
  if (!(await verifyEd25519(deviceKey, share.signature, text))) {
    throw new IdentityVerificationError(
      'share_signature',
      `the ${context.role}'s call key share is not signed by ${context.username}'s device key`,
    );
  }
  checkShareFreshness(share, context.callId, `the ${context.role}'s call key share`, freshness);
}

/**
 * Throws unless a share whose signature verified was signed within KEY_SHARE_MAX_AGE_MS before
 * `now` or KEY_SHARE_MAX_FUTURE_MS after it, and `replays` has not seen it for this call (then it
 * remembers it). `what` names the share in the error ("the caller's call key share").
 */
export function checkShareFreshness(
  share: { signedAt: number; signature: string },
  callId: string,
  what: string,
  freshness: { now: number; replays: KeyShareReplayGuard },
): void {
  const { now, replays } = freshness;
  if (
    share.signedAt < now - KEY_SHARE_MAX_AGE_MS ||
    share.signedAt > now + KEY_SHARE_MAX_FUTURE_MS
  ) {
    throw new IdentityVerificationError(
      'share_stale',
      `${what} was signed ${describeOffset(now - share.signedAt)}: ` +
        'outside the accepted window (is either clock wrong?)',
    );
  }
  if (!replays.remember(callId, share.signature, share.signedAt, now)) {
    throw new IdentityVerificationError('share_replayed', `${what} for this call was already used`);
  }
}

function describeOffset(ageMs: number): string {
  const seconds = Math.round(Math.abs(ageMs) / 1000);
  return ageMs >= 0 ? `${seconds} s ago` : `${seconds} s in the future`;
}
