import type { CallFailure, CallOutcome } from '../../protocol';
import type { Invitation } from '../rooms/Invitation';
import { Room, type RoomOptions } from '../rooms/Room';
import type { RoomEvent } from '../rooms/roomEvents';
import type { Clock, Scheduler } from './timePorts';

/**
 * One 1:1 call's state, with no I/O: ringing -> accepted -> ended, or ringing -> ended
 * (declined, busy, cancelled, timeout, connection lost). Each method checks that the acting
 * device may do this now; a refused action changes nothing and says why. Every change is
 * reported through `onEvent`, which the call service turns into messages and call-log writes.
 */
export type CallPhase = 'ringing' | 'accepted' | 'ended';
export type CallEndReason =
  | 'declined'
  | 'busy'
  | 'cancelled'
  | 'timeout'
  | 'hangup'
  | 'connection_lost';

export type CallEvent =
  | { kind: 'ringing'; deviceId: string }
  | { kind: 'accepted'; deviceId: string; otherCalleeDeviceIds: string[] }
  | {
      kind: 'ended';
      reason: CallEndReason;
      /** Why the call could not go ahead, when a decline or hang-up said so. */
      failure: CallFailure | null;
      outcome: CallOutcome;
      /** The device whose action or lost connection ended the call; null for busy and timeout. */
      byDeviceId: string | null;
      /** Where the call had got to when it ended. */
      endedFrom: 'ringing' | 'accepted';
      /** Callee devices still ringing at the end (they must be told to stop). */
      ringingDeviceIds: string[];
      acceptedDeviceId: string | null;
    };

export type CallActionResult = { ok: true } | { ok: false; code: 'not_in_call' | 'call_state' };
export type RelayResult =
  | { ok: true; targetDeviceIds: string[] }
  | { ok: false; code: 'not_in_call' | 'call_state' };

export interface CallStateMachineOptions {
  callId: string;
  callerDeviceId: string;
  /** The callee's devices the invite was sent to. */
  calleeDeviceIds: readonly string[];
  ringTimeoutMs: number;
  /** Most people the call may grow to, should it become a group call. */
  maxParticipants?: number;
  clock: Clock;
  scheduler: Scheduler;
  onEvent: (event: CallEvent, call: CallStateMachine) => void;
  /**
   * Call waiting: whether the callee is still talking in another call when this one rings out;
   * it then ends as busy (the caller hears "on another call") rather than unanswered.
   */
  calleeInOtherCall?: () => boolean;
  /**
   * An accepted call that outlived a server restart (from the call log): it starts out accepted,
   * answered by this device at this time, with nothing ringing.
   */
  restored?: { acceptedDeviceId: string; startedAt: number; answeredAt: number };
  /** Whose devices these are, for the room's roster and indexes (a machine driven alone: 0). */
  callerUserId?: number;
  calleeUserId?: number;
  /** Makes the call's room; a registry passes one that indexes it. */
  openRoom?: (options: RoomOptions) => Room;
}

const refused = (code: 'not_in_call' | 'call_state') => ({ ok: false, code }) as const;

/**
 * A 1:1 call is a room of two on the peer-to-peer path with one invitation, whose rules are
 * exactly these: this layer keeps today's API and events over the Room, and adds only what is
 * particular to a pair (where relayed messages go).
 */
export class CallStateMachine {
  readonly callId: string;
  readonly callerDeviceId: string;
  readonly startedAt: number;
  private readonly room: Room;
  /** The callee's invitation; none for a call restored after the answer. */
  private readonly invitation: Invitation | null = null;
  /** Every callee device the call was offered to. */
  private readonly calleeDevices: ReadonlySet<string>;
  /** Once the call grew into a group call: who hears every event of its room from then on. */
  private groupListener: ((event: RoomEvent, room: Room) => void) | null = null;

  constructor(private readonly options: CallStateMachineOptions) {
    this.callId = options.callId;
    this.callerDeviceId = options.callerDeviceId;
    this.calleeDevices = new Set(options.calleeDeviceIds);
    const { restored } = options;
    const caller = { userId: options.callerUserId ?? 0, deviceId: options.callerDeviceId };
    const roomOptions: RoomOptions = {
      callId: options.callId,
      creator: caller,
      ringTimeoutMs: options.ringTimeoutMs,
      ...(options.maxParticipants !== undefined
        ? { maxParticipants: options.maxParticipants }
        : {}),
      clock: options.clock,
      scheduler: options.scheduler,
      onEvent: (event) => this.onRoomEvent(event),
      ...(restored
        ? {
            restored: {
              startedAt: restored.startedAt,
              members: [
                { ...caller, joinedAt: restored.startedAt },
                {
                  userId: options.calleeUserId ?? 0,
                  deviceId: restored.acceptedDeviceId,
                  joinedAt: restored.answeredAt,
                },
              ],
            },
          }
        : {}),
    };
    this.room = (options.openRoom ?? ((o: RoomOptions) => new Room(o)))(roomOptions);
    this.startedAt = this.room.startedAt;
    if (restored) return;
    const invited = this.room.invite({
      fromDeviceId: options.callerDeviceId,
      userId: options.calleeUserId ?? 0,
      deviceIds: options.calleeDeviceIds,
      ...(options.calleeInOtherCall ? { inviteeInOtherCall: options.calleeInOtherCall } : {}),
    });
    if (!invited.ok) throw new Error(`a new call's room refused its invitation: ${invited.code}`);
    this.invitation = invited.invitation;
  }

  get phase(): CallPhase {
    const { phase } = this.room;
    return phase === 'active' ? 'accepted' : phase;
  }
  get acceptedDeviceId(): string | null {
    return this.room.members[1]?.deviceId ?? null;
  }
  get answeredAt(): number | null {
    return this.room.answeredAt;
  }
  get endedAt(): number | null {
    return this.room.endedAt;
  }
  get ringingDeviceIds(): string[] {
    return this.room.ringingDeviceIds;
  }

  /** The call's room, which a group call grown from it goes on in. */
  get callRoom(): Room {
    return this.room;
  }

  /** True once a party invited a third person: the call speaks `room.*` to everyone from then. */
  get grown(): boolean {
    return this.groupListener !== null;
  }

  /**
   * The call becomes a group call (a party invites someone): `listener` hears every event of its
   * room from now on, and this layer reports only the pair's own invitation and the end.
   */
  grow(listener: (event: RoomEvent, room: Room) => void): void {
    this.groupListener = listener;
  }

  /** True when the device is the caller, a ringing callee device or the device that answered. */
  involves(deviceId: string): boolean {
    return this.room.involves(deviceId);
  }

  /** The callee was already in a call: the call ends before anything rings. */
  busy(): CallActionResult {
    if (!this.invitation || this.room.phase !== 'ringing') return refused('call_state');
    return this.invitation.busy();
  }

  /** A callee device reports that it is ringing. */
  ringingOn(deviceId: string): CallActionResult {
    return this.room.ringingOn(deviceId);
  }

  /**
   * A ringing callee device answers the offer before its user accepts, so the call connects
   * while it rings; the answer goes to the caller only. Every ringing device may, once or again.
   */
  preconnect(deviceId: string): RelayResult {
    const result = this.room.preconnect(deviceId);
    return result.ok ? { ok: true, targetDeviceIds: [this.callerDeviceId] } : result;
  }

  /**
   * The caller took this pre-connected device's early answer: it alone may now connect, so two
   * devices never run ICE and DTLS against the caller's one connection at once. Once per call.
   */
  preconnectTaken(fromDeviceId: string, deviceId: string): RelayResult {
    const result = this.room.takePreconnected(fromDeviceId, deviceId);
    return result.ok ? { ok: true, targetDeviceIds: [deviceId] } : result;
  }

  accept(deviceId: string): CallActionResult {
    return this.room.accept(deviceId);
  }

  /** A callee device declines; `failure` says it could not answer, rather than would not. */
  decline(deviceId: string, failure: CallFailure | null = null): CallActionResult {
    return this.room.decline(deviceId, failure);
  }

  cancel(deviceId: string): CallActionResult {
    return this.room.cancel(deviceId);
  }

  /** A party hangs up; `failure` says the call could not go on (it then failed, unanswered). */
  hangup(deviceId: string, failure: CallFailure | null = null): CallActionResult {
    return this.room.hangup(deviceId, failure);
  }

  /**
   * A party's device is gone, and has been since `at` (the call ends then). The caller leaving or
   * the answering device leaving ends the call; one of several ringing callee devices leaving
   * ends it only when it was the last one.
   */
  connectionLost(deviceId: string, at = this.options.clock.now()): CallActionResult {
    return this.room.connectionLost(deviceId, at);
  }

  /**
   * Where an ICE candidate or media-state update from this device goes: between caller and the
   * answering device once accepted; while ringing, only from the caller to every ringing device.
   */
  relayTargets(fromDeviceId: string): RelayResult {
    if (this.room.phase === 'ringing' && fromDeviceId === this.callerDeviceId) {
      return { ok: true, targetDeviceIds: this.room.ringingDeviceIds };
    }
    return this.inCallTarget(fromDeviceId);
  }

  /**
   * Where an ICE candidate from this device goes: as `relayTargets`, and also from a ringing
   * callee device that pre-connected, to the caller (`preconnecting` tells the relay to name it).
   */
  iceTargets(fromDeviceId: string): RelayResult & { preconnecting?: boolean } {
    if (this.invitation?.isPreconnecting(fromDeviceId)) {
      return { ok: true, targetDeviceIds: [this.callerDeviceId], preconnecting: true };
    }
    return this.relayTargets(fromDeviceId);
  }

  /**
   * Where an in-call message (`call.rekey`, `call.offer`, `call.rejoin`, ...) from this device goes:
   * only between the two parties of an accepted call.
   */
  inCallTarget(fromDeviceId: string): RelayResult {
    const room = this.room;
    if (!this.isParty(fromDeviceId)) return refused('not_in_call');
    if (room.phase !== 'active' || !room.memberOf(fromDeviceId)) return refused('call_state');
    const target =
      fromDeviceId === this.callerDeviceId ? this.acceptedDeviceId : this.callerDeviceId;
    return { ok: true, targetDeviceIds: target ? [target] : [] };
  }

  /** True for the caller and every callee device the call was offered to, even after it moved on. */
  private isParty(deviceId: string): boolean {
    return deviceId === this.callerDeviceId || this.calleeDevices.has(deviceId);
  }

  private onRoomEvent(event: RoomEvent): void {
    this.groupListener?.(event, this.room);
    if (event.kind === 'invitation') {
      // A grown call's later invitations are the group's, not the pair's.
      if (event.invitation !== this.invitation) return;
      const { event: change } = event;
      if (change.kind === 'ringing') this.emit({ kind: 'ringing', deviceId: change.deviceId });
      if (change.kind === 'accepted') {
        const { deviceId, otherDeviceIds } = change;
        this.emit({ kind: 'accepted', deviceId, otherCalleeDeviceIds: otherDeviceIds });
      }
      return;
    }
    if (event.kind !== 'ended') return;
    const endedFrom = event.endedFrom === 'active' ? 'accepted' : 'ringing';
    this.emit({
      kind: 'ended',
      reason: event.reason,
      failure: event.failure,
      outcome: event.failure ? 'failed' : outcomeOf(event.reason, endedFrom),
      byDeviceId: event.byDeviceId,
      endedFrom,
      ringingDeviceIds: event.ringingDeviceIds,
      acceptedDeviceId: this.acceptedDeviceId,
    });
  }

  private emit(event: CallEvent): void {
    this.options.onEvent(event, this);
  }
}

/** One outcome per call, the same for both sides: the call log stores it. */
function outcomeOf(reason: CallEndReason, endedFrom: 'ringing' | 'accepted'): CallOutcome {
  if (endedFrom === 'accepted') return 'answered';
  switch (reason) {
    case 'declined':
    case 'busy':
    case 'cancelled':
      return reason;
    default:
      return 'missed';
  }
}
