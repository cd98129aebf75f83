import { CloseCode } from '../../protocol';

/**
 * Closes the server makes because of how this client behaved: it sent too much (4008), did not
 * read fast enough (4009) or did not sign in in time (4010). Reconnecting at once could repeat
 * it, so these back off further each time (see SignalingClient).
 */
export function isPressureClose(code: number): boolean {
  return (
    code === CloseCode.flooding || code === CloseCode.tooSlow || code === CloseCode.signInTimeout
  );
}
