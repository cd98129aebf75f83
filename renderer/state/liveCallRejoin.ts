import type { LiveCall } from '../../protocol';

/**
 * How a call of the sign-in's `calls` comes back on a page that has nothing of it (reloaded,
 * restarted): docs/protocol.md "Calls across disconnects".
 * - `one_to_one`: a 1:1 call, rejoined with `call.rejoin`;
 * - `grown_on_p2p`: a 1:1 call that grew (its third person only rung): its 1:1 connection is
 *   rejoined with `call.rejoin` as for a 1:1 call, then the group call with `room.rejoin` in the
 *   same slot and a new member share;
 * - `group`: a call on the SFU, rejoined with `room.rejoin` in a new slot.
 * Null for a call that still rings: there is nothing to rejoin.
 */
export type LiveCallRejoin = 'one_to_one' | 'grown_on_p2p' | 'group';

export function rejoinOf(call: LiveCall): LiveCallRejoin | null {
  if (call.state !== 'accepted') return null;
  if (!call.group) return 'one_to_one';
  return call.group.path === 'p2p' ? 'grown_on_p2p' : 'group';
}

/** Whether the call's 1:1 connection is rejoined (CallController's part). */
export function rejoinsOneToOne(call: LiveCall): boolean {
  const how = rejoinOf(call);
  return how === 'one_to_one' || how === 'grown_on_p2p';
}

/** Whether the call's group side is rejoined (RoomClient's part). */
export function rejoinsGroup(call: LiveCall): boolean {
  const how = rejoinOf(call);
  return how === 'group' || how === 'grown_on_p2p';
}
