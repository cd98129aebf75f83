import type {
  CallMedia,
  RoomInvitation,
  RoomMember,
  RoomPath,
  ServerMessageOf,
} from '../../protocol';
import { applyRosterEvent, type Roster } from '../../protocol/roomRoster';
import type { ActiveCall } from './ActiveCall';
import { rememberSpeaker } from './callLayout';
import type { GrowingCall } from './growingCall';
import type { LocalMember } from './localMember/LocalMember';

/** A person as group-call messages name them. */
export type UserSummary = RoomMember['user'];

/** What a member says it sends (room.media). */
export interface MemberMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** The call this device is a member of, as RoomClient keeps it between notices. */
export interface RoomCallState {
  callId: string;
  media: CallMedia;
  ownSlot: number;
  path: RoomPath;
  /** Who is in the call now (the reducer the server runs too). */
  roster: Roster<UserSummary>;
  /** Each member's entry as the server gave it: identity chain and share, by slot. */
  members: Map<number, RoomMember>;
  invitations: RoomInvitation[];
  speaker: number | null;
  /** The last member other than us who was the active speaker (the speaker view keeps them large). */
  lastSpeaker: number | null;
  /** We made this call with room.create, in slot 0: only its creator may make call links. */
  createdHere: boolean;
  /**
   * The call's members, ours (the call screen's switches) and the others by slot (what each sends
   * and says, its frames, its trust), and its one local media: a grown call's are its 1:1 call's,
   * the same object.
   */
  activeCall: ActiveCall<LocalMember>;
  /** Every slot ever seen with a verified share, ours included: three make `sfu` acceptable. */
  verifiedEver: Set<number>;
  /** The call link's token while one exists (made by us, the creator). */
  linkToken: string | null;
  /** Whether people who open the link wait for our yes (knock) before they join. */
  linkApproval: boolean;
  /** People knocking through the link, waiting for our yes (we made the call). */
  knocks: UserSummary[];
}

/**
 * The call as the server's room state (the reply to create, join and rejoin) gives it;
 * `createdHere` when it answers our room.create. A creator back from a rejoin is told so by the
 * state itself, with the call's link. `activeCall`'s members are left as they are: the room
 * state's take their places there with `seatRemoteMembers`.
 */
export function roomCallStateOf(
  state: ServerMessageOf<'room'>,
  createdHere: boolean,
  activeCall: ActiveCall<LocalMember>,
): RoomCallState {
  let roster: Roster<UserSummary> = [];
  for (const member of state.members) {
    const { slot, user, deviceId } = member;
    roster = applyRosterEvent(roster, { kind: 'member_joined', slot, user, deviceId });
    if (member.state === 'reconnecting') {
      roster = applyRosterEvent(roster, { kind: 'member_reconnecting', slot });
    }
  }
  return {
    callId: state.callId,
    media: state.media,
    ownSlot: state.slot,
    path: state.path,
    roster,
    members: new Map(state.members.map((member) => [member.slot, member])),
    invitations: [...state.invitations],
    speaker: null,
    lastSpeaker: null,
    createdHere: createdHere || state.creator === true,
    activeCall,
    verifiedEver: new Set([state.slot]),
    linkToken: state.link?.token ?? null,
    linkApproval: state.link?.approval ?? false,
    knocks: [],
  };
}

/**
 * Every member of the call but us takes its place among the call's remote members, by slot: what
 * it sends, says and is trusted with is followed from now on. A member already there (a grown
 * call's peer, handed on) stays as it is.
 */
export function seatRemoteMembers(room: RoomCallState): void {
  const { remote } = room.activeCall.members;
  for (const slot of room.members.keys()) if (slot !== room.ownSlot) remote.joined(slot);
}

/** Whether we may make (and revoke) this call's link: this device created it (whatever its slot). */
export function canCreateLink(room: RoomCallState): boolean {
  return room.createdHere;
}

/** The server named the active speaker (room.speaker): a member, or nobody in silence. */
export function speakerChanged(room: RoomCallState, slot: number | null): void {
  room.speaker = slot !== null && room.members.has(slot) ? slot : null;
  const participants = room.roster.map((member) => ({
    slot: member.slot,
    self: member.slot === room.ownSlot,
  }));
  room.lastSpeaker = rememberSpeaker(room.lastSpeaker, participants, room.speaker);
}

/** A member left: they are neither the active nor the remembered speaker any more. */
export function speakerLeft(room: RoomCallState, slot: number): void {
  if (room.speaker === slot) room.speaker = null;
  if (room.lastSpeaker === slot) room.lastSpeaker = null;
}

/**
 * A 1:1 call growing into a group call, before the server says more: its pair in their slots
 * (ourselves, and the peer with the identity its keys were agreed with, no member share yet), its
 * 1:1 call's members the group call's (the peer in its slot), path `p2p`, nobody invited yet.
 */
export function grownCallState(
  call: GrowingCall,
  self: { user: UserSummary; deviceId: string },
): RoomCallState {
  const { peer } = call;
  const pair = [
    { slot: call.ownSlot, user: self.user, deviceId: self.deviceId },
    { slot: peer.slot, user: peer.user, deviceId: peer.deviceId },
  ].sort((a, b) => a.slot - b.slot);
  let roster: Roster<UserSummary> = [];
  for (const { slot, user, deviceId } of pair) {
    roster = applyRosterEvent(roster, { kind: 'member_joined', slot, user, deviceId });
  }
  const peerMember: RoomMember = {
    slot: peer.slot,
    user: peer.user,
    deviceId: peer.deviceId,
    identity: peer.identity,
    share: null,
    state: 'joined',
  };
  call.activeCall.members.peerIn(peer.slot);
  return {
    callId: call.callId,
    media: call.media,
    ownSlot: call.ownSlot,
    path: 'p2p',
    roster,
    members: new Map([[peer.slot, peerMember]]),
    invitations: [],
    speaker: null,
    lastSpeaker: null,
    // Grown from a 1:1 call, not made with room.create: nobody in it may make a call link.
    createdHere: false,
    activeCall: call.activeCall,
    verifiedEver: new Set([call.ownSlot]),
    linkToken: null,
    linkApproval: false,
    knocks: [],
  };
}
