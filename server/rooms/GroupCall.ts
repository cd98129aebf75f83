import type {
  CallMedia,
  IdentityChain,
  InvitationState,
  LiveCall,
  MemberKeyShare,
  RoomInvitation,
  RoomMember,
} from '../../protocol';
import type { Invitation } from './Invitation';
import type { Room } from './Room';
import type { RoomMedia } from './RoomMedia';

/** A user as members are shown one: username and display name. */
export type UserSummary = RoomMember['user'];

/** What a member sends, as its newest `room.media` said. */
export interface MemberMediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** Who a member device is, as the others are shown it: kept from when it joined. */
export interface MemberCard {
  user: UserSummary;
  identity: IdentityChain;
}

/**
 * One call that speaks `room.*`: its Room (the rules), its media on the SFU, and what the server
 * keeps for the members that the Room does not: each member's card and newest share, who invited
 * whom. Turns these into the protocol's member and invitation entries.
 */
export class GroupCall {
  /** Each slot's newest member share; null for a 1:1 party that has not sent one yet. */
  readonly shares = new Map<number, MemberKeyShare | null>();
  /**
   * Slots of a grown call still on `p2p` whose party came back with `call.rejoin` (a reloaded
   * page): their share was dropped, and they owe a new one. Until it comes, `room.rejoin` gives
   * such a party the room state in its own slot.
   */
  readonly rejoinedParties = new Set<number>();
  /** Each slot's newest `room.media` (what it sends), told to members who join later. */
  readonly memberMedia = new Map<number, MemberMediaState>();
  readonly cards = new Map<number, MemberCard>();
  /** The slot of the member that made each invitation. */
  readonly invitedBy = new Map<Invitation, number>();
  /** Each invitation's row in the call log (GroupCallLogStore.invited). */
  readonly invitationRows = new Map<Invitation, number>();
  /** Each invited user as shown, by account id. */
  readonly invitees = new Map<number, UserSummary>();
  /** Devices that were members when the call ended: they are told it ended. */
  readonly endedFor: string[] = [];

  constructor(
    readonly room: Room,
    readonly media: CallMedia,
    readonly sfu: RoomMedia,
    /** `created` with `room.create` (its creator may make call links), or `grown` from a 1:1 call. */
    readonly origin: 'created' | 'grown',
  ) {}

  get callId(): string {
    return this.room.callId;
  }

  /** Live members other than `deviceId`, as device ids (whom a member's news goes to). */
  othersThan(deviceId: string | null): string[] {
    return this.room.liveMembers.map((m) => m.deviceId).filter((d) => d !== deviceId);
  }

  /** The device of a live member in `slot`. */
  deviceOfSlot(slot: number): string | undefined {
    return this.room.liveMembers.find((m) => m.slot === slot)?.deviceId;
  }

  /** Every live member as the protocol shows it, in slot order. */
  memberEntries(): RoomMember[] {
    return this.room.liveMembers
      .map((member) => this.memberEntry(member.slot))
      .filter((entry): entry is RoomMember => entry !== undefined)
      .sort((a, b) => a.slot - b.slot);
  }

  memberEntry(slot: number): RoomMember | undefined {
    const member = this.room.members.find((m) => m.slot === slot);
    const card = this.cards.get(slot);
    if (!member || member.state === 'left' || !card) return undefined;
    return {
      slot,
      user: card.user,
      deviceId: member.deviceId,
      identity: card.identity,
      share: this.shares.get(slot) ?? null,
      state: member.state,
    };
  }

  /** The call as the sign-in reply's `calls` lists it to a member device; none for others. */
  liveCallOf(deviceId: string): LiveCall | undefined {
    const member = this.room.memberOf(deviceId);
    const peer = member && this.peerOf(member.slot);
    if (!member || !peer) return undefined;
    return {
      callId: this.callId,
      peer,
      media: this.media,
      role: member.slot === 0 ? 'caller' : 'callee',
      state: this.room.phase === 'active' ? 'accepted' : 'ringing',
      answeredAt: this.room.answeredAt,
      group: { slot: member.slot, path: this.room.path },
    };
  }

  /**
   * Whom the call is with, for the member in `slot`: its creator (slot 0); for the creator, the
   * first other member, else the first person rung, else (alone, nobody rung yet) itself.
   */
  private peerOf(slot: number): UserSummary | undefined {
    const creator = this.cards.get(0)?.user;
    if (slot !== 0) return creator;
    const firstOther = this.room.members.find((member) => member.slot !== 0);
    const firstRung: UserSummary | undefined = this.invitees.values().next().value;
    return (firstOther && this.cards.get(firstOther.slot)?.user) ?? firstRung ?? creator;
  }

  invitationEntries(): RoomInvitation[] {
    return this.room.invitations.flatMap((invitation) => this.invitationEntry(invitation) ?? []);
  }

  invitationEntry(invitation: Invitation): RoomInvitation | undefined {
    const user = this.invitees.get(invitation.inviteeUserId);
    const invitedBy = this.invitedBy.get(invitation);
    if (!user || invitedBy === undefined) return undefined;
    return { user, state: invitationState(invitation.state), invitedBy };
  }
}

/** An invitation's state as members see it: the last device gone counts as rung out. */
export function invitationState(state: Invitation['state']): InvitationState {
  switch (state) {
    case 'accepted':
      return 'joined';
    case 'connection_lost':
      return 'timeout';
    default:
      return state;
  }
}
