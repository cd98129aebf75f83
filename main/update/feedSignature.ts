import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The detached signature of a feed file sits beside it under this suffix: latest-linux.yml.sig. */
export const FEED_SIGNATURE_SUFFIX = '.sig';
/** An Ed25519 signature is 64 bytes; its file holds them in base64 (88 characters). */
const ED25519_SIGNATURE_BYTES = 64;

/** The feed could not be trusted: nothing it says is used, nothing is downloaded. */
export class FeedRefusedError extends Error {
  readonly code = 'ERR_PARLEY_UPDATE_FEED_REFUSED';

  constructor(reason: string) {
    super(`update feed refused: ${reason}`);
    this.name = 'FeedRefusedError';
  }
}

/** The pinned key (PEM, SPKI) as a key object; throws unless it is an Ed25519 public key. */
export function feedPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the update feed key must be Ed25519, not ${key.asymmetricKeyType}`);
  }
  return key;
}

/**
 * Checks the detached Ed25519 signature (`signatureText`, base64) over the exact bytes of the
 * feed file `fileName`; throws FeedRefusedError unless it verifies under `publicKey`.
 */
export function verifyFeedSignature(
  fileName: string,
  fileBytes: Buffer,
  signatureText: string,
  publicKey: KeyObject,
): void {
  const encoded = signatureText.trim();
  const signature = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new FeedRefusedError(
      `${fileName}${FEED_SIGNATURE_SUFFIX} is not a base64 Ed25519 signature`,
    );
  }
  if (!verify(null, fileBytes, publicKey, signature)) {
    throw new FeedRefusedError(
      `${fileName}${FEED_SIGNATURE_SUFFIX} does not verify under the pinned update key`,
    );
  }
}
