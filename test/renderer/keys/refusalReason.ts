import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { SenderKeyRefusedError } from '../../../renderer/keys/senderKeyWrap';

/** What a key check's `promise` comes to: 'accepted', or the reason it was refused for. */
export function refusalReason(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'accepted',
    (error: unknown) =>
      error instanceof SenderKeyRefusedError || error instanceof IdentityVerificationError
        ? error.reason
        : String(error),
  );
}
