import type { CallEndReason } from '../state/callStateMachine';

/** Why the camera or microphone could not be opened, in the terms the call notice uses. */
export function mediaFailureReason(error: unknown): CallEndReason {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'permission_denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'NotReadableError':
    case 'AbortError':
      return 'no_device';
    default:
      return 'error';
  }
}

/** Thrown by the call engine when getUserMedia fails. */
export class MediaAccessError extends Error {
  readonly reason: CallEndReason;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : 'Could not open the camera or microphone');
    this.name = 'MediaAccessError';
    this.reason = mediaFailureReason(cause);
  }
}
