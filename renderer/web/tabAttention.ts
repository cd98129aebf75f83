import type { CallView } from '../state/callStateMachine';
import type { IncomingRoomInvite } from '../state/RoomClient';

/**
 * What the browser tab shows: its title, whether a call rings, and whether its icon carries a
 * badge (a ringing call, or calls missed while the user was elsewhere).
 */
export interface TabAttention {
  title: string;
  ringing: boolean;
  badge: boolean;
}

/**
 * The tab while nothing happens is "Parley"; while a call rings it names the caller (for a group
 * call, the one inviting: a 1:1 call ringing at once comes first, as on screen), so a user in
 * another tab sees who is calling; afterwards it counts the calls they missed meanwhile, as
 * "(2) Parley", until they come back. The name is shown as given: a title is plain text.
 */
export function tabAttention(
  view: CallView,
  missedUnseen: number,
  groupInvite: Pick<IncomingRoomInvite, 'from' | 'media'> | null = null,
): TabAttention {
  if (view.kind === 'idle' && groupInvite) {
    const kind = groupInvite.media === 'video' ? 'video' : 'voice';
    return {
      title: `${groupInvite.from.displayName} invites you to a group call (${kind}) · Parley`,
      ringing: true,
      badge: true,
    };
  }
  if (view.kind === 'incoming') {
    const kind = view.media === 'video' ? 'video' : 'voice';
    return {
      title: `${view.peer.displayName} is calling (${kind}) · Parley`,
      ringing: true,
      badge: true,
    };
  }
  if (missedUnseen > 0) return { title: `(${missedUnseen}) Parley`, ringing: false, badge: true };
  return { title: 'Parley', ringing: false, badge: false };
}
