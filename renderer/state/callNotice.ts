import { isolateName, type ErrorCode } from '../../protocol';
import type { CallEndReason, EndedCall } from './callStateMachine';

/** mm:ss, or h:mm:ss past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/**
 * Ends after which calling the peer again makes sense: not after a refusal by the keys or our own
 * devices, a user that does not exist, a limit, or a call that is going on elsewhere. Every reason
 * is listed, so a new one cannot be added without deciding this.
 */
const callBackAfter: Readonly<Record<CallEndReason, boolean>> = {
  identity_failed: false,
  peer_microphone_denied: true,
  peer_microphone_unavailable: true,
  peer_camera_denied: true,
  peer_camera_unavailable: true,
  peer_identity_failed: false,
  declined: true,
  busy: true,
  cancelled: true,
  missed: true,
  no_answer: true,
  hangup: true,
  remote_hangup: true,
  connection_lost: true,
  callee_offline: true,
  unknown_user: false,
  permission_denied: false,
  no_device: false,
  connection_failed: true,
  answered_elsewhere: false,
  glare: false,
  too_many_calls: false,
  error: false,
};

export function canCallBack(reason: CallEndReason): boolean {
  return callBackAfter[reason];
}

/** The sentence the home screen shows after a call ends; the peer's name marked by isolateName. */
export function callNoticeText(ended: EndedCall): string {
  const name = isolateName(ended.peer.displayName);
  const duration = ended.durationMs > 0 ? ` · ${formatDuration(ended.durationMs)}` : '';
  const outgoing = ended.direction === 'outgoing';
  switch (ended.reason) {
    case 'identity_failed':
      return `${name}'s encryption keys could not be verified, so the call was not connected.`;
    case 'peer_microphone_denied':
      return `${name} couldn't answer: ${name}'s microphone is blocked`;
    case 'peer_microphone_unavailable':
      return `${name} couldn't answer: ${name}'s microphone isn't available`;
    case 'peer_camera_denied':
      return `${name} couldn't answer: ${name}'s camera is blocked`;
    case 'peer_camera_unavailable':
      return `${name} couldn't answer: ${name}'s camera isn't available`;
    case 'peer_identity_failed':
      return `${name}'s app could not verify your encryption keys, so the call was not connected.`;
    case 'declined':
      return outgoing ? `${name} declined the call` : `You declined the call from ${name}`;
    case 'busy':
      return `${name} is busy on another call`;
    case 'cancelled':
      return `You cancelled the call to ${name}`;
    case 'missed':
      return `Missed call from ${name}`;
    case 'no_answer':
      return `No answer from ${name}`;
    case 'hangup':
      return `Call ended${duration}`;
    case 'remote_hangup':
      return `${name} ended the call${duration}`;
    case 'connection_lost':
      return `The connection to ${name} was lost${duration}`;
    case 'callee_offline':
      return `${name} is offline. Try again later.`;
    case 'unknown_user':
      return `There is no user called “${ended.peer.username}”`;
    case 'permission_denied':
      return 'Parley needs permission to use your camera and microphone. Allow access and try again.';
    case 'no_device':
      return 'No camera or microphone could be started. Check that one is connected and not in use.';
    case 'connection_failed':
      return `Could not connect the call with ${name}. The network may be blocking it.`;
    case 'answered_elsewhere':
      return `Call from ${name} answered on another device`;
    case 'glare':
      return `You and ${name} called each other at the same moment`;
    case 'too_many_calls':
      return `You've made too many calls in a short time. ${ended.detail ?? 'Wait a moment and try again.'}`;
    case 'error':
      return ended.detail ? `The call failed: ${ended.detail}` : 'The call failed';
  }
}

/** When to try again after `retryAfterMs`, in words: "Try again in 25 seconds." */
export function retryAfterText(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (seconds < 90) return `Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/** How a failed `call.invite` (or a call error from the server) ends the call. */
export function endReasonForError(code: ErrorCode): CallEndReason {
  switch (code) {
    case 'callee_offline':
      return 'callee_offline';
    case 'unknown_user':
      return 'unknown_user';
    case 'glare':
      return 'glare';
    case 'too_many_calls':
      return 'too_many_calls';
    default:
      return 'error';
  }
}
