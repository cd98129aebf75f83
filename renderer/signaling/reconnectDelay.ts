/** The longest wait between attempts: short during a call, whose notices are waiting. */
const CAP_MS = { idle: 15_000, inCall: 5_000 };

/**
 * Exponential backoff with jitter for reconnecting: 0.5 s, 1 s, 2 s ... capped at 15 s, or at 5 s
 * while a call is on. The jitter (20 % either way, never past the cap) keeps clients that lost
 * the same server from coming back in lockstep.
 */
export function reconnectDelayMs(
  attempt: number,
  { inCall = false, random = Math.random }: { inCall?: boolean; random?: () => number } = {},
): number {
  const cap = inCall ? CAP_MS.inCall : CAP_MS.idle;
  const base = Math.min(cap, 500 * 2 ** Math.max(0, attempt));
  return Math.min(cap, Math.round(base * (0.8 + 0.4 * random())));
}
