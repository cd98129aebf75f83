import { MAX_CALL_TILES } from './callLayout';
import type { GroupCallView } from './groupCallView';

export interface InviteContact {
  username: string;
  displayName: string;
}

/**
 * The contacts who can be invited into the call now: not in it already (ourselves included) and
 * not being rung; someone who declined, was busy or did not answer can be asked again.
 */
export function inviteCandidates(
  contacts: readonly InviteContact[],
  view: Pick<GroupCallView, 'tiles' | 'invited'>,
): InviteContact[] {
  const taken = new Set([
    ...view.tiles.map((t) => t.username),
    ...view.invited.filter((i) => i.state === 'ringing').map((i) => i.username),
  ]);
  return contacts.filter((c) => !taken.has(c.username));
}

/**
 * How many more people may be invited at once: the places left in the call, counting those
 * already being rung (each may still join). The server enforces the limit; this keeps the
 * panel from offering what it would refuse.
 */
export function invitePlaces(view: Pick<GroupCallView, 'tiles' | 'invited' | 'canInvite'>): number {
  if (!view.canInvite) return 0;
  const ringing = view.invited.filter((i) => i.state === 'ringing').length;
  return Math.max(0, MAX_CALL_TILES - view.tiles.length - ringing);
}
