/**
 * WebSocket close codes the server uses beyond the standard ones (1000-1015). Clients switch on
 * them, so a code is never renamed or reused.
 */
export const CloseCode = {
  /** The device signed in on a newer connection; its calls go on there. */
  replaced: 4001,
  /** The device was removed from its account. */
  deviceRemoved: 4003,
  /** The connection kept sending over its rate limit after being told to slow down. */
  flooding: 4008,
  /** The connection fell too far behind reading what the server sent it. */
  tooSlow: 4009,
  /** The connection did not sign in (or start a device link) in time. */
  signInTimeout: 4010,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
