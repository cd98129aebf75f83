import { certifiedKeyText, type IdentityChain } from '../../protocol';
import { verifyEd25519 } from './ed25519';
import { IdentityVerificationError } from './IdentityVerificationError';

export interface VerifiedChain {
  /** The account's identity: the first device's key, which peers pin. */
  rootKey: string;
  /** The key of the device the chain ends at, which signs its call key shares. */
  deviceKey: string;
}

/**
 * Checks an account's identity chain (protocol/identity.ts): the root has no signature and each
 * later key is certified by the one before it for this username. The server hands chains out, so
 * nothing in one is trusted until this passes; it throws IdentityVerificationError otherwise.
 */
export async function verifyIdentityChain(
  username: string,
  chain: IdentityChain,
): Promise<VerifiedChain> {
  const [root, ...links] = chain;
  if (!root || chain.length > 8) {
    throw new IdentityVerificationError('chain_invalid', 'identity chain must hold 1 to 8 keys');
  }
  if (root.signature !== null) {
    throw new IdentityVerificationError('chain_invalid', 'identity chain root must be unsigned');
  }
  let signer = root.identityKey;
  for (const [index, link] of links.entries()) {
    const valid =
      link.signature !== null &&
      (await verifyEd25519(signer, link.signature, certifiedKeyText(username, link)));
    if (!valid) {
      throw new IdentityVerificationError(
        'chain_invalid',
        `identity chain link ${index + 1} is not certified by the key before it for ${username}`,
      );
    }
    signer = link.identityKey;
  }
  return { rootKey: root.identityKey, deviceKey: signer };
}
