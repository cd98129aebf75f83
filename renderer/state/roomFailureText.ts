import { errorCodeText, type ErrorCode } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import { requestFailureText } from './requestFailureText';
import { UserFacingError } from './UserFacingError';

/** Refusals of group-call requests whose protocol sentence is the user's too. */
const roomErrorCodes = new Set<ErrorCode>([
  'room_full',
  'sfu_unavailable',
  'no_group_calls',
  'call_link_unknown',
  'call_link_revoked',
  'unknown_user',
  'callee_offline',
  'cannot_call_self',
  'already_in_call',
]);

/** The sentence for a failed group-call request. */
export function roomFailureText(error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof SignalingError && roomErrorCodes.has(error.code as ErrorCode)) {
    return errorCodeText[error.code as ErrorCode];
  }
  return requestFailureText(error);
}
