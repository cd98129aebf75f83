import type { CallFailure } from '../../protocol';
import { applyRosterEvent, type Roster } from '../../protocol/roomRoster';
import type { Clock, Scheduler } from '../calls/timePorts';
import { Invitation, type InvitationEvent } from './Invitation';
import type {
  LeaveReason,
  MediaPath,
  MemberState,
  RoomEndReason,
  RoomEvent,
  RoomMember,
  RoomPhase,
} from './roomEvents';

/**
 * One call as a room, with no I/O: members (joined devices, each with a slot never reused), the
 * invitations that ring other users into it, and the media path the members imply. A room rings
 * while only its creator has joined, is active from the second join, and ends:
 * - while ringing, when its creator cancels or leaves, or when the last ringing invitation closes
 *   unanswered (declined, busy, timed out, its devices gone: the room ends for that reason);
 * - on the peer-to-peer path (at most two have ever joined), when either member hangs up or is
 *   gone: exactly a 1:1 call;
 * - on the SFU path (three or more have joined, and it never goes back), a hang-up or a lost
 *   member is a leave, and the room ends when one member is left.
 * Each method checks that the device may act now; a refused action changes nothing and says why.
 * Every change is reported through `onEvent`; the roster follows the member events through the
 * same reducer a client uses.
 */
export const DEFAULT_MAX_PARTICIPANTS = 16;

export type RoomRefusal =
  | { ok: false; code: 'not_in_call' | 'call_state' }
  /** Members and ringing invitations together would pass the room's participant limit. */
  | { ok: false; code: 'room_full'; limit: number };
export type RoomResult = { ok: true } | RoomRefusal;
/** The result of an action that cannot add anyone, so never meets the participant limit. */
export type RoomActionResult = { ok: true } | { ok: false; code: 'not_in_call' | 'call_state' };

export interface RoomOptions {
  callId: string;
  /** The device that opens the room: its first member, in slot 0. */
  creator: { userId: number; deviceId: string };
  ringTimeoutMs: number;
  clock: Clock;
  scheduler: Scheduler;
  onEvent: (event: RoomEvent, room: Room) => void;
  /**
   * A group call (`room.create`): its media goes through the SFU from the start, whatever the
   * number of members, rather than once a third joins. It also stays open while its creator waits
   * alone: an invitation that closes unanswered ends only that invitation.
   */
  sfuFromStart?: boolean;
  /** Members plus ringing invitations at most (DEFAULT_MAX_PARTICIPANTS unless set). */
  maxParticipants?: number;
  /**
   * How long a member whose connection dropped keeps its place before it leaves. A room without
   * one (a 1:1 call, whose grace the device directory keeps) never has reconnecting members.
   */
  reconnectGraceMs?: number;
  /**
   * A room from the call log that outlived a server restart: these members joined, in slot order
   * (the first is the creator), and nothing rings.
   */
  restored?: {
    startedAt: number;
    members: { userId: number; deviceId: string; joinedAt: number }[];
  };
}

export interface NewInvitation {
  fromDeviceId: string;
  userId: number;
  deviceIds: readonly string[];
  /** Call waiting: see InvitationOptions.inviteeInOtherCall. */
  inviteeInOtherCall?: () => boolean;
  /**
   * A group-call invitation: each device it rings has its slot from the moment it rings (the next
   * unused ones, in order), so the device that joins already knows the slot its share signs. A 1:1
   * call's callee device takes the next slot when it accepts.
   */
  reserveSlots?: boolean;
}

interface MemberRecord extends RoomMember {
  state: MemberState;
  /** Cancels the reconnect grace of a reconnecting member. */
  cancelGrace: (() => void) | null;
}

const refused = (code: 'not_in_call' | 'call_state') => ({ ok: false, code }) as const;
const done = { ok: true } as const;

export class Room {
  readonly callId: string;
  readonly creatorDeviceId: string;
  readonly startedAt: number;
  readonly maxParticipants: number;
  private currentPhase: RoomPhase = 'ringing';
  /** Every member there has been, in the order they joined (reserved slots may join out of order). */
  private readonly slots: MemberRecord[] = [];
  /** The next slot nobody has held or been offered. */
  private nextSlot = 0;
  /** Group calls: the slot each rung device takes if it joins. */
  private readonly reservedSlots = new Map<string, number>();
  private readonly liveByDevice = new Map<string, MemberRecord>();
  private readonly memberUsers = new Set<number>();
  private readonly invitationList: Invitation[] = [];
  private readonly ringingSet = new Set<Invitation>();
  private readonly invitationByDevice = new Map<string, Invitation>();
  /** Every device that has been a member or was rung: who may be told "not now" rather than "not yours". */
  private readonly knownDevices = new Set<string>();
  private currentRoster: Roster<number> = [];
  private endedTime: number | null = null;
  private ending = false;
  /** See RoomOptions.reconnectGraceMs; a 1:1 call that grows onto the SFU gets one then. */
  private reconnectGraceMs: number | undefined;

  constructor(private readonly options: RoomOptions) {
    this.callId = options.callId;
    this.creatorDeviceId = options.creator.deviceId;
    this.maxParticipants = options.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS;
    this.reconnectGraceMs = options.reconnectGraceMs;
    const { restored } = options;
    this.startedAt = restored?.startedAt ?? options.clock.now();
    const members = restored?.members ?? [{ ...options.creator, joinedAt: this.startedAt }];
    for (const { userId, deviceId, joinedAt } of members) {
      this.announce(this.admit(userId, deviceId, joinedAt));
    }
  }

  get phase(): RoomPhase {
    return this.currentPhase;
  }
  /** `p2p` while at most two have ever joined, `sfu` from the third on (or from the start). */
  get path(): MediaPath {
    return this.options.sfuFromStart || this.slots.length > 2 ? 'sfu' : 'p2p';
  }
  get roster(): Roster<number> {
    return this.currentRoster;
  }
  /** Every member there has been, in the order they joined, left ones included. */
  get members(): readonly RoomMember[] {
    return this.slots;
  }
  get liveMembers(): RoomMember[] {
    return this.slots.filter((m) => m.state !== 'left');
  }
  get invitations(): readonly Invitation[] {
    return this.invitationList;
  }
  /** When the second member joined (a 1:1 call's answer). */
  get answeredAt(): number | null {
    return this.slots[1]?.joinedAt ?? null;
  }
  get endedAt(): number | null {
    return this.endedTime;
  }
  get ringingDeviceIds(): string[] {
    return this.ringingInvitations().flatMap((invitation) => invitation.ringingDeviceIds);
  }

  /** The invitations still ringing, in the order they were made. */
  ringingInvitations(): Invitation[] {
    return [...this.ringingSet];
  }

  /** The slot a ringing device of a group call takes if it joins (undefined otherwise). */
  reservedSlotOf(deviceId: string): number | undefined {
    return this.ringingInvitationOf(deviceId) ? this.reservedSlots.get(deviceId) : undefined;
  }

  /** Whether one more invitation fits under the participant limit (members plus ringing). */
  hasRoomForOneMore(): boolean {
    return !this.isFull();
  }

  /** The device's membership that has not ended, if it has one. */
  memberOf(deviceId: string): RoomMember | undefined {
    return this.liveByDevice.get(deviceId);
  }

  /** True while the device is a member that has not left, or rings for an invitation. */
  involves(deviceId: string): boolean {
    return this.liveByDevice.has(deviceId) || this.ringingInvitationOf(deviceId) !== undefined;
  }

  /** True while the user has a membership that has not ended or an invitation that rings. */
  involvesUser(userId: number): boolean {
    for (const member of this.liveByDevice.values()) if (member.userId === userId) return true;
    return this.ringingInvitations().some((invitation) => invitation.inviteeUserId === userId);
  }

  /** A member rings every device of another user into the room. */
  invite(invite: NewInvitation): { ok: true; invitation: Invitation } | RoomRefusal {
    if (!this.liveByDevice.has(invite.fromDeviceId)) {
      return refused(this.knownDevices.has(invite.fromDeviceId) ? 'call_state' : 'not_in_call');
    }
    if (this.currentPhase === 'ended') return refused('call_state');
    // One invitation per user at a time, and a device is never both in the room and rung into it.
    const alreadyRinging = this.ringingInvitations().some((i) => i.inviteeUserId === invite.userId);
    if (alreadyRinging || invite.deviceIds.some((d) => this.involves(d))) {
      return refused('call_state');
    }
    if (this.isFull()) return this.full();
    const from = this.liveByDevice.get(invite.fromDeviceId)!;
    const invitation = new Invitation({
      inviterUserId: from.userId,
      inviterDeviceId: from.deviceId,
      inviteeUserId: invite.userId,
      deviceIds: invite.deviceIds,
      ringTimeoutMs: this.options.ringTimeoutMs,
      clock: this.options.clock,
      scheduler: this.options.scheduler,
      onEvent: (event, source) => this.onInvitationEvent(event, source),
      ...(invite.inviteeInOtherCall ? { inviteeInOtherCall: invite.inviteeInOtherCall } : {}),
    });
    this.invitationList.push(invitation);
    this.ringingSet.add(invitation);
    for (const deviceId of invite.deviceIds) {
      this.invitationByDevice.set(deviceId, invitation);
      this.knownDevices.add(deviceId);
      if (invite.reserveSlots) this.reservedSlots.set(deviceId, this.nextSlot++);
    }
    this.emit({ kind: 'invited', invitation });
    return { ok: true, invitation };
  }

  /** A ringing device reports that it is ringing. */
  ringingOn(deviceId: string): RoomActionResult {
    return this.onInvitationOf(deviceId, (invitation) => invitation.ringingOn(deviceId));
  }

  /** A ringing device answers the offer early, before its user accepts. */
  preconnect(deviceId: string): RoomActionResult {
    return this.onInvitationOf(deviceId, (invitation) => invitation.preconnect(deviceId));
  }

  /** The inviter took this ringing device's early answer: only it may connect now. */
  takePreconnected(fromDeviceId: string, deviceId: string): RoomActionResult {
    if (!this.knownDevices.has(fromDeviceId)) return refused('not_in_call');
    const invitation = this.ringingInvitationOf(deviceId);
    if (!invitation || invitation.inviterDeviceId !== fromDeviceId) return refused('call_state');
    return invitation.take(deviceId);
  }

  /** A ringing device accepts: it joins in the next slot, and the invitation stops ringing. */
  accept(deviceId: string): RoomActionResult {
    return this.onInvitationOf(deviceId, (invitation) => invitation.accept(deviceId));
  }

  /** A ringing device declines; `failure` says it could not answer, rather than would not. */
  decline(deviceId: string, failure: CallFailure | null = null): RoomActionResult {
    return this.onInvitationOf(deviceId, (invitation) => invitation.decline(deviceId, failure));
  }

  /** The creator gives up on a room that still rings: every invitation stops, the room ends. */
  cancel(deviceId: string): RoomActionResult {
    if (!this.knownDevices.has(deviceId)) return refused('not_in_call');
    if (deviceId !== this.creatorDeviceId || this.currentPhase !== 'ringing') {
      return refused('call_state');
    }
    this.end('cancelled', deviceId, this.options.clock.now());
    return done;
  }

  /**
   * A member hangs up; `failure` says the call could not go on. Peer to peer this ends the room;
   * on the SFU it is a leave, and the room ends when one member is left.
   */
  hangup(deviceId: string, failure: CallFailure | null = null): RoomActionResult {
    if (!this.knownDevices.has(deviceId)) return refused('not_in_call');
    const member = this.liveByDevice.get(deviceId);
    if (this.currentPhase !== 'active' || !member) return refused('call_state');
    this.leaveOrEnd(member, 'hangup', this.options.clock.now(), failure);
    return done;
  }

  /**
   * The device is gone, and has been since `at`. A ringing device stops ringing (the last one
   * closes its invitation); the creator gone while the room rings cancels it; a member gone from
   * an active room leaves it as for a hang-up.
   */
  connectionLost(deviceId: string, at = this.options.clock.now()): RoomActionResult {
    if (this.currentPhase === 'ended') return refused('call_state');
    const member = this.liveByDevice.get(deviceId);
    if (member) {
      // A creator who drops while it rings gave up on the room: the same as cancelling it.
      if (this.currentPhase === 'ringing') this.end('cancelled', deviceId, at);
      else this.leaveOrEnd(member, 'connection_lost', at, null);
      return done;
    }
    const invitation = this.ringingInvitationOf(deviceId);
    if (!invitation) return refused('not_in_call');
    return invitation.deviceGone(deviceId, at);
  }

  /**
   * A member's connection dropped: it keeps its place, reconnecting, for the reconnect grace, and
   * leaves (as gone since now) if it is not back by then.
   */
  memberAway(deviceId: string): RoomActionResult {
    const member = this.liveByDevice.get(deviceId);
    if (!member) return refused(this.knownDevices.has(deviceId) ? 'call_state' : 'not_in_call');
    const graceMs = this.reconnectGraceMs;
    if (graceMs === undefined || member.state !== 'joined') return refused('call_state');
    const awaySince = this.options.clock.now();
    member.state = 'reconnecting';
    member.cancelGrace = this.options.scheduler.schedule(graceMs, () => {
      member.cancelGrace = null;
      this.connectionLost(deviceId, awaySince);
    });
    this.emit({ kind: 'member_reconnecting', ...this.memberNames(member) });
    return done;
  }

  /**
   * From now on a member whose connection drops is reconnecting for `graceMs` (`memberAway`), as
   * in a room made with one: for a 1:1 call that grew onto the SFU, whose members are told.
   */
  keepPlacesOnDrop(graceMs: number): void {
    this.reconnectGraceMs = graceMs;
  }

  /** A reconnecting member is back within the grace: it goes on in the same slot. */
  memberBack(deviceId: string): RoomActionResult {
    const member = this.liveByDevice.get(deviceId);
    if (!member) return refused(this.knownDevices.has(deviceId) ? 'call_state' : 'not_in_call');
    if (member.state !== 'reconnecting') return refused('call_state');
    member.cancelGrace?.();
    member.cancelGrace = null;
    member.state = 'joined';
    this.emit({ kind: 'member_back', ...this.memberNames(member) });
    return done;
  }

  /**
   * A device of a user who has been a member joins again (after leaving, or from another device):
   * it gets a new slot, never its old one, so keys and frames of its two memberships never mix.
   */
  rejoin(userId: number, deviceId: string): RoomResult {
    if (!this.memberUsers.has(userId)) return refused('not_in_call');
    if (this.currentPhase !== 'active' || this.involves(deviceId)) return refused('call_state');
    if (this.isFull()) return this.full();
    this.announce(this.admit(userId, deviceId, this.options.clock.now()));
    return done;
  }

  /** The slot the next member takes unless it rings with one reserved (see `rejoinInNewSlot`). */
  get nextFreeSlot(): number {
    return this.nextSlot;
  }

  /**
   * A member device that lost its keys and media (a reloaded page, a restarted app) comes back in
   * the call: its membership ends (`rejoined`) and it joins again in the next slot (`nextFreeSlot`),
   * never its old one, so no key or frame of the old slot is ever trusted for the new one. The
   * call goes on whoever else is in it: this is no leave. Only in an active call on the SFU path:
   * a 1:1 call (`p2p`) has its own rejoin in its two slots, and a creator still alone has nobody
   * whose keys it lost (it leaves and starts again).
   */
  rejoinInNewSlot(deviceId: string): RoomActionResult {
    const member = this.liveByDevice.get(deviceId);
    if (!member) return refused(this.knownDevices.has(deviceId) ? 'call_state' : 'not_in_call');
    if (this.currentPhase !== 'active' || this.path !== 'sfu') return refused('call_state');
    const now = this.options.clock.now();
    this.leave(member, 'rejoined', now);
    this.announce(this.admit(member.userId, deviceId, now));
    return done;
  }

  private onInvitationOf(
    deviceId: string,
    action: (invitation: Invitation) => { ok: true } | { ok: false; code: 'call_state' },
  ): RoomActionResult {
    if (!this.knownDevices.has(deviceId)) return refused('not_in_call');
    const invitation = this.ringingInvitationOf(deviceId);
    return invitation ? action(invitation) : refused('call_state');
  }

  private onInvitationEvent(event: InvitationEvent, invitation: Invitation): void {
    if (event.kind !== 'ringing') this.ringingSet.delete(invitation);
    if (event.kind === 'accepted') {
      const member = this.admit(
        invitation.inviteeUserId,
        event.deviceId,
        this.options.clock.now(),
        this.reservedSlots.get(event.deviceId),
      );
      this.emit({ kind: 'invitation', invitation, event });
      this.announce(member);
      return;
    }
    this.emit({ kind: 'invitation', invitation, event });
    if (event.kind !== 'closed' || this.ending || this.currentPhase !== 'ringing') return;
    if (this.options.sfuFromStart) return;
    if (this.ringingInvitations().length > 0) return;
    this.end(event.state, event.byDeviceId, event.at, event.failure, event.ringingDeviceIds);
  }

  /** Records a new member in its reserved slot or the next one; `announce` then tells. */
  private admit(
    userId: number,
    deviceId: string,
    joinedAt: number,
    slot = this.nextSlot++,
  ): MemberRecord {
    const member: MemberRecord = {
      slot,
      userId,
      deviceId,
      state: 'joined',
      joinedAt,
      cancelGrace: null,
    };
    this.slots.push(member);
    this.liveByDevice.set(deviceId, member);
    this.memberUsers.add(userId);
    this.knownDevices.add(deviceId);
    if (this.slots.length >= 2) this.currentPhase = 'active';
    return member;
  }

  private announce(member: MemberRecord): void {
    this.emit({ kind: 'member_joined', ...this.memberNames(member) });
    // The third member moves the room to the SFU, for good.
    if (this.slots.length === 3 && !this.options.sfuFromStart) {
      this.emit({ kind: 'path_changed', path: 'sfu' });
    }
  }

  private leaveOrEnd(
    member: MemberRecord,
    reason: 'hangup' | 'connection_lost',
    at: number,
    failure: CallFailure | null,
  ): void {
    if (this.path === 'p2p' || this.liveByDevice.size <= 2) {
      this.end(reason, member.deviceId, at, failure);
      return;
    }
    this.leave(member, reason, at);
  }

  private leave(member: MemberRecord, reason: LeaveReason, at: number): void {
    member.cancelGrace?.();
    member.cancelGrace = null;
    member.state = 'left';
    this.liveByDevice.delete(member.deviceId);
    this.emit({ kind: 'member_left', ...this.memberNames(member), reason, at });
  }

  private end(
    reason: RoomEndReason,
    byDeviceId: string | null,
    at: number,
    failure: CallFailure | null = null,
    closedRingingDeviceIds: string[] = [],
  ): void {
    this.ending = true;
    const endedFrom = this.currentPhase === 'active' ? 'active' : 'ringing';
    const ringingDeviceIds = [...closedRingingDeviceIds, ...this.ringingDeviceIds];
    for (const invitation of this.ringingInvitations()) invitation.cancel(byDeviceId, at);
    for (const member of [...this.liveByDevice.values()]) this.leave(member, 'ended', at);
    this.currentPhase = 'ended';
    // Never before the answer: a room restored at start-up cannot have ended before it.
    this.endedTime = Math.max(at, this.answeredAt ?? at);
    this.emit({ kind: 'ended', reason, failure, byDeviceId, endedFrom, ringingDeviceIds });
  }

  private isFull(): boolean {
    return this.liveByDevice.size + this.ringingInvitations().length >= this.maxParticipants;
  }

  private full(): RoomRefusal {
    return { ok: false, code: 'room_full', limit: this.maxParticipants };
  }

  private ringingInvitationOf(deviceId: string): Invitation | undefined {
    const invitation = this.invitationByDevice.get(deviceId);
    return invitation?.isRinging(deviceId) ? invitation : undefined;
  }

  private memberNames(member: MemberRecord) {
    return { slot: member.slot, user: member.userId, deviceId: member.deviceId };
  }

  private emit(event: RoomEvent): void {
    switch (event.kind) {
      case 'member_joined':
      case 'member_reconnecting':
      case 'member_back':
      case 'member_left':
        this.currentRoster = applyRosterEvent(this.currentRoster, event);
    }
    this.options.onEvent(event, this);
  }
}
