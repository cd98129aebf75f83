import { MAX_ROOM_MEMBERS } from '../../protocol';
import type { E2eeState } from '../call/E2eeStatusTracker';
import type {
  CallLayout,
  GroupCallView,
  InvitedPerson,
  ParticipantTile,
  TileState,
} from './groupCallView';
import type { RemoteMember } from './remoteMembers/RemoteMember';
import { canCreateLink, type MemberMedia, type RoomCallState } from './roomCallState';

/** What the view needs besides the call's state: media, and how links and streams are made. */
export interface GroupCallViewSources {
  layout: CallLayout;
  /** What we send. */
  ownMedia: MemberMedia;
  ownTrack(source: 'microphone' | 'camera'): MediaStreamTrack | null;
  /** A member's track through the SFU (null: none). */
  remoteTrack(slot: number, source: 'microphone' | 'camera' | 'screen'): MediaStreamTrack | null;
  /** Our own media path to the SFU is down: a member's frames stopping says nothing of theirs. */
  mediaDown: boolean;
  now: number;
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
  const remote = state.activeCall.members.remote.get(slot);
  // A grown call's peer plays the 1:1 connection until the SFU carries it here.
  const remoteTrack = (source: 'microphone' | 'camera' | 'screen') =>
    remote?.path.value === 'p2p' ? remote.trackOverP2p(source) : sources.remoteTrack(slot, source);
  const media = self ? sources.ownMedia : remote?.sends.value;
  const camera = self ? sources.ownTrack('camera') : remoteTrack('camera');
  return {
    slot,
    username: member.user.username,
    displayName: member.user.displayName,
    self,
    state: self ? 'live' : remote ? tileState(remote, sources, member) : 'connecting',
    microphoneOn: media?.audio ?? false,
    cameraOn: media?.video ?? false,
    camera: stream(camera),
    screen: self ? null : stream(remoteTrack('screen')),
    audio: self ? null : stream(remoteTrack('microphone')),
    safetyNumber: remote?.safetyNumber ?? null,
    safetyNumberChanged: remote?.keyChanged ?? false,
  };
}

/** A member's end-to-end state as its tile says it, as the 1:1 call screen says the peer's. */
const tileStates: Record<E2eeState, TileState> = {
  negotiating: 'connecting',
  encrypted: 'live',
  decrypt_failed: 'cant_decrypt',
};

function tileState(
  remote: RemoteMember,
  sources: GroupCallViewSources,
  member: RoomCallState['roster'][number],
): TileState {
  const { now } = sources;
  // Away from the server but still reaching us by their path: their picture and sound go on,
  // so the tile says nothing (it says "Reconnecting…" once their media stops too).
  if (member.state === 'reconnecting' && !remote.flow.receiving(now)) return 'reconnecting';
  // With the server, but its media no longer reaches us (a stuck sender, a one-way network fault):
  // a frozen picture is not the call going on, so the tile says so until its frames come back.
  // Through the SFU, our own path being down says nothing of theirs.
  const ourPathDown = sources.mediaDown && remote.path.value === 'sfu';
  if (!ourPathDown && remote.flow.stalled(now)) return 'reconnecting';
  // A member whose share was refused never gets a key to us nor we from it: nothing decrypts.
  if (remote.trust === 'refused') return 'cant_decrypt';
  return tileStates[remote.e2ee.state.value];
}
