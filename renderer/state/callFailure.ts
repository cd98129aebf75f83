import type { CallFailure } from '../../protocol';
import { MediaAccessError } from '../call/mediaErrors';
import { SignalingError } from '../signaling/RequestTracker';
import type { CallEndReason } from './callStateMachine';
import { endReasonForError, retryAfterText } from './callNotice';

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

/** What to tell the peer when this error stops a call: a failed input; nothing otherwise. */
export function callFailureOf(error: unknown): { reason: CallFailure } | Record<string, never> {
  return error instanceof MediaAccessError ? { reason: error.failure } : {};
}

/** The detail shown with the failure: when to try again for a limit, else the error's message. */
export function describe(error: unknown): string | undefined {
  if (error instanceof SignalingError && error.code === 'too_many_calls') {
    return error.retryAfterMs === undefined ? undefined : retryAfterText(error.retryAfterMs);
  }
  return error instanceof Error ? error.message : undefined;
}
