import type { FloodLimits } from './FloodGuard';

/** The per-connection limits, as server options name them. */
export interface ConnectionLimits extends FloodLimits {
  /** Most bytes queued for a connection that it has not read; one more closes it (4009). */
  sendQueueBytes: number;
  /** How long a connection may stay without signing in or waiting for a device link (4010). */
  signInDeadlineMs: number;
}

/** Far above the largest message (64 KiB, a contact page included), so normal use never nears it. */
export const DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;
/** Generous on purpose (trickled ICE comes in bursts); the limit only stops a flooding client. */
export const DEFAULT_MESSAGE_BURST = 200;
export const DEFAULT_MESSAGE_RATE = 50;
/** Messages sent in one retry-after period after which a rate-limited connection is closed. */
export const DEFAULT_FLOOD_CLOSE_AFTER = 200;
export const DEFAULT_SIGN_IN_DEADLINE_MS = 30_000;
