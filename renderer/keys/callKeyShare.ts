import { type CallRole, type KeyShare, callKeyShareText } from '../../protocol';
import type { Host } from '../host/Host';
import { verifyEd25519 } from './ed25519';
import { IdentityVerificationError } from './IdentityVerificationError';

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
  const signature = await signer.signCallKeyShare({ ...context, ephemeralKey, fingerprint });
  return { ephemeralKey, fingerprint, signature };
}

/** Throws unless `deviceKey` signed exactly this share for this sender, role and call. */
export async function verifyKeyShare(
  share: KeyShare,
  context: KeyShareContext,
  deviceKey: string,
): Promise<void> {
  const text = callKeyShareText({
    ...context,
    ephemeralKey: share.ephemeralKey,
    fingerprint: share.fingerprint,
  });
  if (!(await verifyEd25519(deviceKey, share.signature, text))) {
    throw new IdentityVerificationError(
      'share_signature',
      `the ${context.role}'s call key share is not signed by ${context.username}'s device key`,
    );
  }
}
