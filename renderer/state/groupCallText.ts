import { isolateName, type InvitationState } from '../../protocol';
import type { GroupCallView, ParticipantTile, TileState } from './groupCallView';
import type { RoomEndReason } from './RoomClient';

/** The words of the group-call screen, apart from its components so that tests read them. */

/** What a tile says over its video; nothing while the media plays. */
export const tileStateText: Record<TileState, string | null> = {
  connecting: 'Connecting…',
  live: null,
  cant_decrypt: "Can't decrypt",
  reconnecting: 'Reconnecting…',
};

/** A participant's state in the participant list. */
export const participantStateText: Record<TileState, string> = {
  connecting: 'Connecting…',
  live: 'In the call',
  cant_decrypt: "Can't decrypt their media",
  reconnecting: 'Reconnecting…',
};

/**
 * Why the group call we were in is over for us, in one sentence; null when we left it ourselves
 * (the screen going away says enough).
 */
export const groupCallEndText: Record<RoomEndReason, string | null> = {
  left: null,
  ended: 'The group call ended: everyone else left',
  removed: 'You are no longer in the group call: this device was removed, or was away too long',
  connection_lost: 'The group call ended while you were disconnected',
  sfu_refused:
    'The call was ended: the server tried to move it off your direct connection before a third person was in it',
};

/** How an invitation stands, beside the invited person's name. */
export const invitationStateText: Record<InvitationState, string> = {
  ringing: 'Ringing…',
  joined: 'Joined',
  declined: 'Declined',
  busy: 'Busy in another call',
  timeout: 'No answer',
  cancelled: 'Cancelled',
};

/**
 * The polite announcement of who speaks (for screen readers): names are isolated (FSI ... PDI);
 * empty in silence and while we speak, so only a change of someone else is read out.
 */
export function speakerAnnouncement(
  view: Pick<GroupCallView, 'tiles' | 'activeSpeakerSlot'>,
): string {
  const speaker = view.tiles.find((t) => t.slot === view.activeSpeakerSlot && !t.self);
  return speaker ? `${isolateName(speaker.displayName)} is speaking` : '';
}

/** "3 people in the call", for the header and the participants button. */
export function peopleCountText(tiles: readonly ParticipantTile[]): string {
  return tiles.length === 1 ? 'Only you in the call' : `${tiles.length} people in the call`;
}
