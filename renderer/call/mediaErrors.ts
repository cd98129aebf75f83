import type { CallFailure } from '../../protocol';
import type { CallEndReason } from '../state/callStateMachine';

/** The input a MediaAccessError is about. */
export type FailedInput = 'microphone' | 'camera';

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

/** Thrown by the call engine when getUserMedia fails, naming the input that failed. */
export class MediaAccessError extends Error {
  readonly reason: CallEndReason;

  constructor(
    cause: unknown,
    readonly input: FailedInput,
  ) {
    super(cause instanceof Error ? cause.message : `Could not open the ${input}`);
    this.name = 'MediaAccessError';
    this.reason = mediaFailureReason(cause);
  }

  /** What the peer is told: this input refused (by the browser or OS), or not there to use. */
  get failure(): CallFailure {
    return this.reason === 'permission_denied'
      ? `${this.input}_denied`
      : `${this.input}_unavailable`;
  }
}
