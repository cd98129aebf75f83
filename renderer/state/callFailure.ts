import { MediaAccessError } from '../call/mediaErrors';
import { SignalingError } from '../signaling/RequestTracker';
import type { CallEndReason } from './callStateMachine';
import { endReasonForError } from './callNotice';

/**
 * Why a call that threw ended: media errors and the server's error codes keep their own reason;
 * a reply that never came (timeout, disconnect, bad reply) is a plain error.
 */
export function endReasonForFailure(error: unknown): CallEndReason {
  if (error instanceof MediaAccessError) return error.reason;
  if (
    error instanceof SignalingError &&
    error.code !== 'timeout' &&
    error.code !== 'disconnected' &&
    error.code !== 'bad_reply'
  ) {
    return endReasonForError(error.code);
  }
  return 'error';
}

export function describe(error: unknown): string | undefined {
  return error instanceof Error ? error.message : undefined;
}
