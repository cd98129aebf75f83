import { MAX_ROOM_MEMBERS } from '../../protocol';
import type { SenderFrameCounts } from '../e2ee/worker/messages';
import type {
  CallLayout,
  GroupCallView,
  InvitedPerson,
  ParticipantTile,
  TileState,
} from './groupCallView';
import { canCreateLink, type MemberMedia, type RoomCallState } from './roomCallState';

/** What the view needs besides the call's state: media, and how links and streams are made. */
export interface GroupCallViewSources {
  layout: CallLayout;
  /** What we send. */
  ownMedia: MemberMedia;
  ownTrack(source: 'microphone' | 'camera'): MediaStreamTrack | null;
  remoteTrack(slot: number, source: 'microphone' | 'camera' | 'screen'): MediaStreamTrack | null;
  /** What a member says it sends (undefined: it has not said). */
  remoteMedia(slot: number): MemberMedia | undefined;
  frames(slot: number): SenderFrameCounts | null;
  /** Whether a member's frames decrypted lately (through the SFU). */
  receiving(slot: number): boolean;
  /** Whether a member's frames had been decrypting and stopped, while our own path is up. */
  stalled(slot: number): boolean;
  /** A stream for one track, the same stream each time for the same track. */
  streamOf(track: MediaStreamTrack): MediaStream;
  linkUrls(token: string): { url: string; deepLink: string };
  reconnecting: GroupCallView['reconnecting'];
}

/** The call screen's view of a group call: tiles in slot order, ourselves first. */
export function groupCallViewOf(
  state: RoomCallState,
  sources: GroupCallViewSources,
): GroupCallView {
  const tiles = state.roster.map((member) => tileOf(state, sources, member));
  tiles.sort((a, b) => Number(b.self) - Number(a.self) || a.slot - b.slot);
  const ringing = state.invitations.filter((i) => i.state === 'ringing').length;
  const invited: InvitedPerson[] = state.invitations.map((invitation) => ({
    username: invitation.user.username,
    displayName: invitation.user.displayName,
    state: invitation.state,
  }));
  const sharing = tiles.find((tile) => tile.screen !== null);
  return {
    callId: state.callId,
    media: state.media,
    path: state.path,
    tiles,
    activeSpeakerSlot: state.speaker,
    lastSpeakerSlot: state.lastSpeaker,
    screenShareSlot: sharing?.slot ?? null,
    layout: sources.layout,
    invited,
    canInvite: state.roster.length + ringing < MAX_ROOM_MEMBERS,
    link: state.linkToken
      ? { ...sources.linkUrls(state.linkToken), approval: state.linkApproval }
      : null,
    knocks: state.knocks.map(({ username, displayName }) => ({ username, displayName })),
    canCreateLink: canCreateLink(state),
    reconnecting: sources.reconnecting,
  };
}

function tileOf(
  state: RoomCallState,
  sources: GroupCallViewSources,
  member: RoomCallState['roster'][number],
): ParticipantTile {
  const { slot } = member;
  const self = slot === state.ownSlot;
  const stream = (track: MediaStreamTrack | null) => (track ? sources.streamOf(track) : null);
  const media = self ? sources.ownMedia : sources.remoteMedia(slot);
  const camera = self ? sources.ownTrack('camera') : sources.remoteTrack(slot, 'camera');
  return {
    slot,
    username: member.user.username,
    displayName: member.user.displayName,
    self,
    state: self ? 'live' : tileState(state, sources, member),
    microphoneOn: media?.audio ?? false,
    cameraOn: media?.video ?? false,
    camera: stream(camera),
    screen: self ? null : stream(sources.remoteTrack(slot, 'screen')),
    audio: self ? null : stream(sources.remoteTrack(slot, 'microphone')),
    safetyNumber: self ? null : (state.safetyNumbers.get(slot) ?? null),
    safetyNumberChanged: !self && state.keyChanged.has(slot),
  };
}

function tileState(
  state: RoomCallState,
  sources: GroupCallViewSources,
  member: RoomCallState['roster'][number],
): TileState {
  const { slot } = member;
  // Away from the server but still reaching us through the SFU: their picture and sound go on,
  // so the tile says nothing (it says "Reconnecting…" once their media stops too).
  if (member.state === 'reconnecting' && !sources.receiving(slot)) return 'reconnecting';
  // With the server, but its media no longer reaches us (a stuck sender, a one-way network fault):
  // a frozen picture is not the call going on, so the tile says so until its frames come back.
  if (sources.stalled(slot)) return 'reconnecting';
  // A member whose share was refused never gets a key to us nor we from it: nothing decrypts.
  if (state.trust.get(slot) === 'refused') return 'cant_decrypt';
  const frames = sources.frames(slot);
  if (!frames) return 'connecting';
  const decrypted = frames.audio.decrypted + frames.video.decrypted;
  const failed = frames.audio.decryptFailed + frames.video.decryptFailed;
  if (decrypted > 0) return 'live';
  return failed > 0 ? 'cant_decrypt' : 'connecting';
}
