import { SignalingError } from '../signaling/RequestTracker';
import { retryAfterText } from './callNotice';

/**
 * The sentence for a failure any request can meet (no connection, a limit, a server fault). Each
 * area words its own refusals and falls back to this; the server's `message` is for developers
 * and only goes to the console.
 */
export function requestFailureText(error: unknown): string {
  if (!(error instanceof SignalingError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'timeout':
    case 'disconnected':
      return "Parley couldn't reach the server. Check your connection and try again.";
    case 'rate_limited':
      return "You're doing that too often. Wait a moment and try again.";
    case 'too_many_attempts':
      return `There have been too many attempts from this network. ${
        error.retryAfterMs === undefined
          ? 'Wait a moment and try again.'
          : retryAfterText(error.retryAfterMs)
      }`;
    case 'not_authenticated':
    case 'session_invalid':
      return "You're not signed in right now. Wait until Parley reconnects and try again.";
    default:
      return 'Something went wrong on the server. Try again.';
  }
}
