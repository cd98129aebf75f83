/** Why this device is no longer in a group call. */
export type RoomEndReason =
  /** We left. */
  | 'left'
  /** The call ended for everyone (one member was left). */
  | 'ended'
  /** The server said we left (our device was removed, or our place lapsed). */
  | 'removed'
  /** Back from a drop, the server no longer had the call: it ended while we were away. */
  | 'connection_lost'
  /**
   * The server moved the call to the SFU before three verified members were ever in it: the
   * client refuses, or a server could take any 1:1 call off its DTLS-bound path.
   */
  | 'sfu_refused';
