import type { CallFailure } from '../../protocol';
import { MediaAccessError } from '../call/mediaErrors';
import { SignalingError, type RequestFailure } from '../signaling/RequestTracker';
import type { CallEndReason } from './callStateMachine';
import { endReasonForError, retryAfterText } from './callNotice';
import { requestFailureText } from './requestFailureText';
import { UserFacingError } from './UserFacingError';

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

/**
 * The detail shown with the failure, in words: an error written for the user, when to try again
 * for a limit, or what the server's refusal means. Other errors' messages are for developers, so
 * nothing is shown.
 */
export function describe(error: unknown): string | undefined {
  if (error instanceof UserFacingError) return error.message;
  if (!(error instanceof SignalingError)) return undefined;
  if (error.code === 'too_many_calls') {
    return error.retryAfterMs === undefined ? undefined : retryAfterText(error.retryAfterMs);
  }
  return callErrorText(error.code);
}

/** What a server refusal of a call request means, as a sentence. */
export function callErrorText(code: RequestFailure): string {
  switch (code) {
    case 'already_in_call':
      return 'You are already in a call.';
    case 'cannot_call_self':
      return "You can't call yourself.";
    case 'unknown_call':
    case 'not_in_call':
    case 'call_state':
      return 'The call had already ended or changed.';
    default:
      return requestFailureText(new SignalingError(code, code));
  }
}
