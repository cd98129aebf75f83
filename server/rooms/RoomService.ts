import type { Logger } from 'pino';
import {
  errorCodeText,
  MAX_ROOM_INVITATIONS,
  PROTOCOL_VERSION,
  type ClientMessageOf,
  type ErrorCode,
  type LiveCall,
  type MemberKeyShare,
  type ServerMessageOf,
} from '../../protocol';
import type { ActiveCall } from '../calls/CallRegistry';
import type { CallParty } from '../calls/CallService';
import type { InviteLimits } from '../calls/InviteLimits';
import type { Clock, Scheduler } from '../calls/timePorts';
import type { AccountStore } from '../db/AccountStore';
import type { CallLogStore } from '../db/CallLogStore';
import type { ContactStore } from '../db/ContactStore';
import type { GroupCallLogStore } from '../db/GroupCallLogStore';
import type { PresenceService } from '../presence/PresenceService';
import type { DeviceDirectory } from '../routing/DeviceDirectory';
import type { MediaRouter } from '../sfu/MediaRouter';
import { GroupCall } from './GroupCall';
import { GroupCallNotices, type RoomNotice } from './GroupCallNotices';
import { MemberRelay } from './MemberRelay';
import { refuse, type RoomResult } from './roomResult';

const ok: RoomResult = { ok: true };
import type { Room } from './Room';
import { RoomMedia, RoomMediaError } from './RoomMedia';
import type { RoomRegistry } from './RoomRegistry';
import type { RoomEvent } from './roomEvents';
import { RoomsFeature } from './RoomsFeature';

/**
 * Group calls (docs/protocol.md, "Group calls"): `room.*` requests checked and applied to the
 * call's Room, and the Room's events turned into notices, call-log rows and presence. Rooms live
 * in the same RoomRegistry as 1:1 calls, so busy and already-in-call mean the same for both.
 * Devices are reached only through the DeviceDirectory, and only those that negotiated `rooms`
 * are ever rung or sent a `room.*` message.
 */
export interface RoomServiceDeps {
  clock: Clock;
  scheduler: Scheduler;
  ringTimeoutMs: number;
  reconnectGraceMs: number;
  /** Members plus ringing invitations in one call at most. */
  maxMembers: number;
  rooms: RoomRegistry;
  /** The 1:1 call with this id that has not ended (it grows when a party invites someone). */
  oneToOneCall: (callId: string) => ActiveCall | undefined;
  /** The SFU; null on a server without group calls, which then offers no `rooms` feature. */
  mediaRouter: MediaRouter | null;
  directory: DeviceDirectory;
  accounts: AccountStore;
  contacts: ContactStore;
  callLog: CallLogStore;
  groupLog: GroupCallLogStore;
  inviteLimits: InviteLimits;
  presence: () => PresenceService;
  logger: Logger;
}

export class RoomService {
  readonly feature = new RoomsFeature();
  /** What members send each other through the server: media state, shares and keys. */
  readonly relay: MemberRelay;
  private readonly calls = new Map<string, GroupCall>();
  private readonly notices: GroupCallNotices;
  private readonly creatorGoneListeners: ((callId: string) => void)[] = [];

  constructor(private readonly deps: RoomServiceDeps) {
    this.notices = new GroupCallNotices({
      clock: deps.clock,
      directory: deps.directory,
      groupLog: deps.groupLog,
      presence: deps.presence,
      logger: deps.logger,
      ended: (callId) => this.calls.delete(callId),
    });
    this.relay = new MemberRelay(this, this.notices);
  }

  /** Whether this server carries group calls (it has an SFU). */
  get carriesGroupCalls(): boolean {
    return this.deps.mediaRouter !== null;
  }

  /** `room.create`: the sender's device opens a group call, alone in slot 0. */
  create(
    party: CallParty,
    message: ClientMessageOf<'room.create'>,
  ): RoomResult & { state?: ServerMessageOf<'room'> } {
    const { callId, media, share } = message;
    const router = this.deps.mediaRouter;
    if (!router) return refuse('sfu_unavailable');
    if (share.slot !== 0) return refuse('bad_message', "share.slot: the creator's slot is 0");
    if (this.deps.rooms.has(callId) || this.deps.callLog.exists(callId)) {
      return refuse('call_state', 'callId: this call id was already used');
    }
    if (this.deps.rooms.isUserBusy(party.userId)) return refuse('already_in_call');
    const startedAt = this.deps.clock.now();
    // On disk before the creator is told the call exists.
    this.deps.groupLog.start({ callId, creatorId: party.userId, media, startedAt }, party.deviceId);
    const room = this.deps.rooms.open({
      callId,
      creator: { userId: party.userId, deviceId: party.deviceId },
      ringTimeoutMs: this.deps.ringTimeoutMs,
      reconnectGraceMs: this.deps.reconnectGraceMs,
      maxParticipants: this.deps.maxMembers,
      sfuFromStart: true,
      clock: this.deps.clock,
      scheduler: this.deps.scheduler,
      onEvent: (event, source) => this.onRoomEvent(event, source),
    });
    const call = new GroupCall(room, media, this.roomMedia(room, router), 'created');
    call.shares.set(0, share);
    call.cards.set(0, cardOf(party));
    this.calls.set(callId, call);
    this.deps.logger.info({ callId }, 'group call created');
    return { ok: true, state: this.stateFor(call, 0, message.id) };
  }

  /**
   * `room.invite`: a joined member rings every device of `to` that negotiated `rooms`; a busy user
   * (or one who blocked the inviter) ends busy at once. `acknowledge` answers the inviter once the
   * invitation is decided, before anything rings.
   */
  invite(
    party: CallParty,
    message: ClientMessageOf<'room.invite'>,
    acknowledge: () => void,
  ): RoomResult {
    const grown = this.calls.has(message.callId) ? null : this.growable(party, message.callId);
    if (grown && !grown.ok) return grown;
    const call = this.calls.get(message.callId) ?? (grown?.ok ? grown.call : undefined);
    if (!call) return refuse('unknown_call');
    const { room } = call;
    const from = room.memberOf(party.deviceId);
    if (!from) return refuse(room.involves(party.deviceId) ? 'call_state' : 'not_in_call');
    if (message.to === party.username) return refuse('cannot_call_self');
    const invitee = this.deps.accounts.userByName(message.to);
    if (!invitee) return refuse('unknown_user', `no user named ${message.to}`);
    if (room.involvesUser(invitee.id)) {
      return refuse('call_state', `${message.to} is in this call or rings for it already`);
    }
    const deviceIds = this.deps.directory
      .connectedDevicesOf(invitee.id)
      .filter((deviceId) => this.feature.has(deviceId));
    if (deviceIds.length === 0) return refuse('callee_offline');
    if (!room.hasRoomForOneMore()) {
      return refuse('room_full', `This call is full: it has room for ${room.maxParticipants}`);
    }
    if (room.invitations.length >= MAX_ROOM_INVITATIONS) {
      return refuse('room_full', `This call has had ${MAX_ROOM_INVITATIONS} invitations already`);
    }
    // Last, so that only an invitation that will ring (or end busy) uses up the allowance.
    const allowance = this.deps.inviteLimits.take(party.userId, invitee.id, this.deps.clock.now());
    if (!allowance.ok) {
      return { ...refuse('too_many_calls'), retryAfterMs: allowance.retryAfterMs };
    }
    const busy =
      this.deps.rooms.isUserBusy(invitee.id) ||
      this.deps.contacts.isBlocked(invitee.id, party.userId);
    call.invitees.set(invitee.id, { username: invitee.username, displayName: invitee.displayName });
    if (!this.calls.has(call.callId)) this.grow(call);
    const row = this.logInvitation(call, invitee.id, party.userId);
    acknowledge();
    const invited = room.invite({
      fromDeviceId: party.deviceId,
      userId: invitee.id,
      deviceIds: busy ? [] : deviceIds,
      reserveSlots: true,
    });
    if (!invited.ok) throw new Error(`a checked invitation was refused: ${invited.code}`);
    call.invitationRows.set(invited.invitation, row);
    if (busy) invited.invitation.busy();
    return ok;
  }

  /**
   * A 1:1 call one of whose parties invites someone, as a group call (not yet recorded as one),
   * or why it cannot grow: it must be answered, the sender one of its two parties, and both
   * parties' connections must have negotiated `rooms`.
   */
  private growable(
    party: CallParty,
    callId: string,
  ): { ok: true; call: GroupCall } | Exclude<RoomResult, { ok: true }> | null {
    const oneToOne = this.deps.oneToOneCall(callId);
    const router = this.deps.mediaRouter;
    if (!oneToOne || !router) return null;
    const room = oneToOne.machine.callRoom;
    if (!room.memberOf(party.deviceId)) {
      return refuse(room.involves(party.deviceId) ? 'call_state' : 'not_in_call');
    }
    if (room.phase !== 'active') return refuse('call_state', 'This call still rings');
    const pair = room.liveMembers;
    if (pair.some((member) => !this.feature.has(member.deviceId))) {
      return refuse('no_group_calls');
    }
    const call = new GroupCall(room, oneToOne.media, this.roomMedia(room, router), 'grown');
    for (const member of pair) {
      const user = this.deps.accounts.userById(member.userId);
      const device = this.deps.accounts.device(member.deviceId);
      if (!user || !device) return refuse('call_state', 'A party of this call is gone');
      call.cards.set(member.slot, {
        user: { username: user.username, displayName: user.displayName },
        identity: device.identityChain,
      });
      // Their call shares name no slot: they send member shares once someone is invited.
      call.shares.set(member.slot, null);
    }
    return { ok: true, call };
  }

  /** The 1:1 call becomes a group call: its room's events come here from now on. */
  private grow(call: GroupCall): void {
    const oneToOne = this.deps.oneToOneCall(call.callId);
    if (!oneToOne) throw new Error(`call ${call.callId} is not a live 1:1 call`);
    for (const member of call.room.liveMembers) {
      this.deps.groupLog.joined(call.callId, member);
    }
    this.calls.set(call.callId, call);
    oneToOne.machine.grow((event, room) => this.onRoomEvent(event, room));
    this.deps.logger.info({ callId: call.callId }, '1:1 call grows into a group call');
  }

  /** Whether the user takes part in a call (1:1 or group, member or ringing) right now. */
  isUserBusy(userId: number): boolean {
    return this.deps.rooms.isUserBusy(userId);
  }

  /**
   * `listener` hears the id of each call made with `room.create` whose creator left it, or that
   * ended: nobody can answer knocks on its link any more.
   */
  onCreatorGone(listener: (callId: string) => void): void {
    this.creatorGoneListeners.push(listener);
  }

  /** The group call with this id that has not ended. */
  groupCall(callId: string): GroupCall | undefined {
    return this.calls.get(callId);
  }

  /**
   * The device's live calls that speak `room.*` (group calls, and 1:1 calls that grew) in which it
   * is a member, as the sign-in reply's `calls` lists them; a call that only rings it is not.
   */
  liveCallsOf(deviceId: string): LiveCall[] {
    return this.callsOfDevice(deviceId).flatMap((call) => call.liveCallOf(deviceId) ?? []);
  }

  /** Whether the device is a member of this group call, or one of its invitations rings it. */
  takesPart(deviceId: string, callId: string): boolean {
    return this.calls.get(callId)?.room.involves(deviceId) ?? false;
  }

  /**
   * A call link lets the sender's device in: it is sent `room.invite` from the call's creator (or,
   * once the creator left, its first member) and joins as an invited device does. `acknowledge`
   * answers the sender once that is decided.
   */
  inviteThroughLink(
    call: GroupCall,
    party: Pick<CallParty, 'userId' | 'username' | 'displayName' | 'deviceId'>,
    acknowledge: () => void,
  ): RoomResult {
    const { room } = call;
    if (this.isUserBusy(party.userId)) return refuse('already_in_call');
    if (!room.hasRoomForOneMore() || room.invitations.length >= MAX_ROOM_INVITATIONS) {
      return refuse('room_full');
    }
    const from = room.memberOf(room.creatorDeviceId) ?? room.liveMembers[0];
    if (!from) return refuse('call_link_unknown');
    call.invitees.set(party.userId, { username: party.username, displayName: party.displayName });
    const row = this.logInvitation(call, party.userId, from.userId);
    acknowledge();
    const invited = room.invite({
      fromDeviceId: from.deviceId,
      userId: party.userId,
      deviceIds: [party.deviceId],
      reserveSlots: true,
    });
    if (!invited.ok) throw new Error(`a checked link invitation was refused: ${invited.code}`);
    call.invitationRows.set(invited.invitation, row);
    return ok;
  }

  /** The invitation's call-log row, written before the inviter's `ok` and before anything rings. */
  private logInvitation(call: GroupCall, userId: number, invitedBy: number): number {
    const at = this.deps.clock.now();
    return this.deps.groupLog.invited(call.callId, { userId, invitedBy, at });
  }

  /** `room.join`: a ringing device takes the slot its invitation gave it. */
  join(
    party: CallParty,
    message: ClientMessageOf<'room.join'>,
  ): RoomResult & { state?: ServerMessageOf<'room'> } {
    const call = this.calls.get(message.callId);
    if (!call) return refuse('unknown_call');
    const slot = call.room.reservedSlotOf(party.deviceId);
    if (slot === undefined) {
      const known = call.room.involves(party.deviceId) || call.room.memberOf(party.deviceId);
      return refuse(
        known ? 'call_state' : 'not_in_call',
        'This device is not ringing for this call',
      );
    }
    if (message.share.slot !== slot) {
      return refuse('call_state', `share.slot: this device's slot is ${slot}`);
    }
    const accepted = enterSlot(call, slot, message.share, party, () =>
      call.room.accept(party.deviceId),
    );
    if (!accepted.ok) return refuse(accepted.code);
    return { ok: true, state: this.stateFor(call, slot, message.id) };
  }

  /**
   * `room.rejoin`: a member device that lost its keys and media (a reloaded page, a restarted app)
   * takes a new slot in place of its old one, with no share until it sends `room.share`; its card
   * is in place before the others are told it joined. A party of a grown call still on `p2p` that
   * came back with `call.rejoin` keeps its slot (its 1:1 role) and is only given the room state.
   * Refused (and nothing changes) for a device that is no member, a `p2p` call it did not
   * `call.rejoin`, or a creator still alone.
   */
  rejoin(
    party: CallParty,
    message: ClientMessageOf<'room.rejoin'>,
  ): RoomResult & { state?: ServerMessageOf<'room'> } {
    const call = this.calls.get(message.callId);
    if (!call) return refuse('unknown_call');
    const rejoinedParty = call.room.path === 'p2p' ? call.room.memberOf(party.deviceId) : undefined;
    if (rejoinedParty && call.rejoinedParties.has(rejoinedParty.slot)) {
      return { ok: true, state: this.stateFor(call, rejoinedParty.slot, message.id) };
    }
    const slot = call.room.nextFreeSlot;
    const rejoined = enterSlot(call, slot, null, party, () =>
      call.room.rejoinInNewSlot(party.deviceId),
    );
    if (!rejoined.ok) return refuse(rejoined.code);
    this.deps.logger.info({ callId: call.callId, slot }, 'member rejoined in a new slot');
    return { ok: true, state: this.stateFor(call, slot, message.id) };
  }

  /**
   * A party of a grown call came back into its 1:1 connection with `call.rejoin` (a reloaded page:
   * the ephemeral key of its member share is gone). While the call is on `p2p` its share is
   * dropped, before the other party is told, so nobody wraps a key to the lost one: it sends a
   * new share, verified as a first one. On `sfu` nothing changes here (`room.rejoin` does it).
   */
  partyRejoining(callId: string, deviceId: string): void {
    const call = this.calls.get(callId);
    const member = call?.room.memberOf(deviceId);
    if (!call || !member || call.room.path !== 'p2p') return;
    call.shares.set(member.slot, null);
    call.rejoinedParties.add(member.slot);
    this.deps.logger.info(
      { callId, slot: member.slot },
      'party of a grown call rejoined: share dropped',
    );
  }

  /** `room.decline`: every device of the invited user stops ringing. */
  decline(party: CallParty, callId: string): RoomResult {
    return this.act(callId, (call) => call.room.decline(party.deviceId));
  }

  /** `room.leave`: a member leaves; the creator alone in a call that rings ends it. */
  leave(party: CallParty, callId: string): RoomResult {
    return this.act(callId, (call) => {
      const { room } = call;
      if (room.phase === 'ringing' && party.deviceId === room.creatorDeviceId) {
        return room.cancel(party.deviceId);
      }
      return room.hangup(party.deviceId);
    });
  }

  /** The call's SFU requests, for a member of it (RoomMedia checks the member and the path). */
  mediaOf(callId: string): RoomMedia {
    const call = this.calls.get(callId);
    if (!call) throw new RoomMediaError('unknown_call', errorCodeText.unknown_call);
    return call.sfu;
  }

  /** The device's connection dropped: in each of its group calls it is reconnecting. */
  deviceAway(deviceId: string): void {
    for (const call of this.callsOfDevice(deviceId)) call.room.memberAway(deviceId);
  }

  /** The device signed in again: in each of its group calls it is back in its slot. */
  deviceBack(deviceId: string): void {
    this.feature.connectionStarted(deviceId);
    for (const call of this.callsOfDevice(deviceId)) call.room.memberBack(deviceId);
  }

  /** The device is gone since `since`: it leaves its group calls, or stops ringing for them. */
  deviceGone(deviceId: string, since: number): void {
    for (const call of this.callsOfDevice(deviceId)) call.room.connectionLost(deviceId, since);
  }

  /** The device was removed from its account: it leaves its group calls as `removed`, now. */
  deviceRemoved(deviceId: string): void {
    this.notices.asRemoved(deviceId, () => this.deviceGone(deviceId, this.deps.clock.now()));
  }

  private callsOfDevice(deviceId: string): GroupCall[] {
    return this.deps.rooms
      .roomsOfDevice(deviceId)
      .flatMap((room) => this.calls.get(room.callId) ?? []);
  }

  private act(
    callId: string,
    action: (call: GroupCall) => { ok: true } | { ok: false; code: ErrorCode },
  ): RoomResult {
    const call = this.calls.get(callId);
    if (!call) return refuse('unknown_call');
    const result = action(call);
    return result.ok ? ok : refuse(result.code);
  }

  /** Runs `action` for a live member of the call, with its slot. */
  asMember(
    callId: string,
    party: CallParty,
    action: (call: GroupCall, slot: number) => RoomResult,
  ): RoomResult {
    const call = this.calls.get(callId);
    if (!call) return refuse('unknown_call');
    const member = call.room.memberOf(party.deviceId);
    if (!member) return refuse(call.room.involves(party.deviceId) ? 'call_state' : 'not_in_call');
    return action(call, member.slot);
  }

  private stateFor(call: GroupCall, slot: number, re: string): ServerMessageOf<'room'> {
    return {
      v: PROTOCOL_VERSION,
      type: 'room',
      re,
      callId: call.callId,
      media: call.media,
      slot,
      path: call.room.path,
      members: call.memberEntries(),
      invitations: call.invitationEntries(),
    };
  }

  private roomMedia(room: Room, router: MediaRouter): RoomMedia {
    return new RoomMedia(room, {
      media: router,
      send: (deviceId, message) => this.send(deviceId, message),
    });
  }

  private onRoomEvent(event: RoomEvent, room: Room): void {
    // The creator's join comes while the room is made, before its call is recorded.
    const call = this.calls.get(room.callId);
    if (!call) return;
    this.notices.handle(event, call);
    if (event.kind === 'path_changed') this.keepPlacesOfPair(room);
    // A creator who rejoins (a reloaded page) keeps the call's link in its new slot.
    const creatorLeft =
      event.kind === 'member_left' &&
      event.deviceId === room.creatorDeviceId &&
      event.reason !== 'rejoined';
    if (call.origin === 'created' && (creatorLeft || event.kind === 'ended')) {
      for (const listener of this.creatorGoneListeners) listener(room.callId);
    }
  }

  /**
   * A grown call moved to the SFU: its pair's drops are told to the others from now on, as any
   * member's (a 1:1 call's parties are away without anyone being told). A party already away
   * is reconnecting from now.
   */
  private keepPlacesOfPair(room: Room): void {
    room.keepPlacesOnDrop(this.deps.reconnectGraceMs);
    for (const member of room.liveMembers) {
      const connected = this.deps.directory.connectedDevicesOf(member.userId);
      if (!connected.includes(member.deviceId)) room.memberAway(member.deviceId);
    }
  }

  private send(deviceId: string, message: RoomNotice): void {
    this.notices.send(deviceId, message);
  }

  private sendAll(deviceIds: Iterable<string>, message: RoomNotice): void {
    this.notices.sendAll(deviceIds, message);
  }
}

/**
 * A device takes `slot`: its share and card are in place before `enter` tells anyone it joined,
 * and taken back when `enter` refuses, which then changes nothing.
 */
function enterSlot<R extends { ok: boolean }>(
  call: GroupCall,
  slot: number,
  share: MemberKeyShare | null,
  party: CallParty,
  enter: () => R,
): R {
  call.shares.set(slot, share);
  call.cards.set(slot, cardOf(party));
  const entered = enter();
  if (!entered.ok) {
    call.shares.delete(slot);
    call.cards.delete(slot);
  }
  return entered;
}

function cardOf(party: CallParty) {
  return {
    user: { username: party.username, displayName: party.displayName },
    identity: party.identityChain,
  };
}
