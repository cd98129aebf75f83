import type {
  CallMedia,
  RoomInvitation,
  RoomMember,
  RoomPath,
  ServerMessageOf,
} from '../../protocol';
import { applyRosterEvent, type Roster } from '../../protocol/roomRoster';
import type { GrowingCall } from './growingCall';

/** A person as group-call messages name them. */
export type UserSummary = RoomMember['user'];

/** What a member says it sends (room.media). */
export interface MemberMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** Whether a member's share and chain verified (it gets our keys) or were refused. */
export type MemberTrust = 'verified' | 'refused';

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
  memberMedia: Map<number, MemberMedia>;
  trust: Map<number, MemberTrust>;
  /** Our safety number with each verified member, by slot. */
  safetyNumbers: Map<number, string>;
  /** Every slot ever seen with a verified share, ours included: three make `sfu` acceptable. */
  verifiedEver: Set<number>;
  /** The call link's token while one exists (made by us, the creator). */
  linkToken: string | null;
  /** Whether people who open the link wait for our yes (knock) before they join. */
  linkApproval: boolean;
  /** People knocking through the link, waiting for our yes (we made the call). */
  knocks: UserSummary[];
}

/** The call as the server's room state (the reply to create and join) gives it. */
export function roomCallStateOf(state: ServerMessageOf<'room'>): RoomCallState {
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
    memberMedia: new Map(),
    trust: new Map(),
    safetyNumbers: new Map(),
    verifiedEver: new Set([state.slot]),
    linkToken: null,
    linkApproval: false,
    knocks: [],
  };
}

/**
 * A 1:1 call growing into a group call, before the server says more: its pair in their slots
 * (ourselves, and the peer with the identity its keys were agreed with, no member share yet),
 * path `p2p`, nobody invited yet.
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
  return {
    callId: call.callId,
    media: call.media,
    ownSlot: call.ownSlot,
    path: 'p2p',
    roster,
    members: new Map([[peer.slot, peerMember]]),
    invitations: [],
    speaker: null,
    memberMedia: new Map(),
    trust: new Map(),
    safetyNumbers: new Map(),
    verifiedEver: new Set([call.ownSlot]),
    linkToken: null,
    linkApproval: false,
    knocks: [],
  };
}
