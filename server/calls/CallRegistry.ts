import type { CallMedia } from '../../protocol';
import { RoomRegistry } from '../rooms/RoomRegistry';
import { CallStateMachine, type CallEvent, type CallStateMachineOptions } from './CallStateMachine';
import type { Clock, Scheduler } from './timePorts';

/**
 * The 1:1 calls that have not ended, with the rules that need more than one call to decide: busy,
 * already in a call and glare. Each call is a room in a RoomRegistry, which indexes them by call,
 * user and device so that no lookup scans every call. No I/O: every state change comes out of
 * `onEvent`, and an ended call leaves the registry (all of its indices) before its event is
 * delivered.
 */
export interface ActiveCall {
  readonly machine: CallStateMachine;
  readonly callId: string;
  readonly callerUserId: number;
  readonly calleeUserId: number;
  readonly media: CallMedia;
}

export interface NewCall {
  callId: string;
  callerUserId: number;
  callerDeviceId: string;
  calleeUserId: number;
  calleeDeviceIds: readonly string[];
  media: CallMedia;
}

/** An accepted call from the call log that outlived a server restart. */
export interface RestoredCall {
  callId: string;
  callerUserId: number;
  callerDeviceId: string;
  calleeUserId: number;
  answeredDeviceId: string;
  media: CallMedia;
  startedAt: number;
  answeredAt: number;
}

export type InviteCheck =
  | { ok: true }
  | { ok: false; code: 'glare' | 'already_in_call' | 'call_state' };

export interface CallRegistryOptions {
  clock: Clock;
  scheduler: Scheduler;
  ringTimeoutMs: number;
  /** Most people a call may grow to (see RoomOptions.maxParticipants). */
  maxParticipants?: number;
  onEvent: (event: CallEvent, call: ActiveCall) => void;
}

export class CallRegistry {
  /**
   * Every call's room, 1:1 and group alike (RoomService opens group calls here too), so busy and
   * already-in-call mean the same for both.
   */
  readonly rooms = new RoomRegistry();
  /** Each call's 1:1 layer, by the id of its room. */
  private readonly calls = new Map<string, ActiveCall>();

  constructor(private readonly options: CallRegistryOptions) {}

  get(callId: string): ActiveCall | undefined {
    return this.calls.get(callId);
  }

  /** Whether this user may start a call to that user now (the callee's own state aside). */
  checkInvite(callId: string, callerUserId: number, calleeUserId: number): InviteCheck {
    if (this.rooms.has(callId)) return { ok: false, code: 'call_state' };
    // Glare: the callee is already ringing us; that call wins and this one is refused.
    if (this.rooms.isRinging(calleeUserId, callerUserId)) return { ok: false, code: 'glare' };
    if (this.isUserInCall(callerUserId)) return { ok: false, code: 'already_in_call' };
    return { ok: true };
  }

  /**
   * Starts ringing. A callee talking in another call hears it waiting (it rings, and ends as
   * busy if it rings out while they still talk); one with a call ringing already (in or out,
   * waiting or not) is busy at once, and so is one who blocked the caller (`refuseAsBusy`).
   */
  open(newCall: NewCall, refuseAsBusy = false): ActiveCall {
    const calleeBusy = refuseAsBusy || this.rooms.isUserInRingingRoom(newCall.calleeUserId);
    const call = this.add(newCall, calleeBusy ? [] : newCall.calleeDeviceIds);
    if (calleeBusy) call.machine.busy();
    return call;
  }

  /** Takes an accepted call back in after a server restart, as accepted. */
  restore(restored: RestoredCall): ActiveCall {
    return this.add(restored, [restored.answeredDeviceId], {
      acceptedDeviceId: restored.answeredDeviceId,
      startedAt: restored.startedAt,
      answeredAt: restored.answeredAt,
    });
  }

  private add(
    newCall: Omit<NewCall, 'calleeDeviceIds'>,
    calleeDeviceIds: readonly string[],
    restored?: CallStateMachineOptions['restored'],
  ): ActiveCall {
    const call: ActiveCall = {
      callId: newCall.callId,
      callerUserId: newCall.callerUserId,
      calleeUserId: newCall.calleeUserId,
      media: newCall.media,
      machine: new CallStateMachine({
        callId: newCall.callId,
        callerDeviceId: newCall.callerDeviceId,
        callerUserId: newCall.callerUserId,
        calleeUserId: newCall.calleeUserId,
        calleeDeviceIds,
        ringTimeoutMs: this.options.ringTimeoutMs,
        ...(this.options.maxParticipants !== undefined
          ? { maxParticipants: this.options.maxParticipants }
          : {}),
        clock: this.options.clock,
        scheduler: this.options.scheduler,
        openRoom: (options) => this.rooms.open(options),
        onEvent: (event) => {
          if (event.kind === 'ended') this.calls.delete(call.callId);
          this.options.onEvent(event, call);
        },
        calleeInOtherCall: () => this.isUserInAcceptedCall(newCall.calleeUserId),
        ...(restored ? { restored } : {}),
      }),
    };
    this.calls.set(call.callId, call);
    return call;
  }

  /** Calls in which this device takes part right now (as caller, ringing or answering device). */
  callsOfDevice(deviceId: string): ActiveCall[] {
    return this.callsOf(this.rooms.roomsOfDevice(deviceId));
  }

  /** True while the user is party to a call that has not ended (ringing or accepted). */
  isUserInCall(userId: number): boolean {
    return this.rooms.isUserBusy(userId);
  }

  /** True while the user talks in an accepted call (their presence is then `in_call`). */
  isUserInAcceptedCall(userId: number): boolean {
    return this.rooms.isUserInActiveRoom(userId);
  }

  private callsOf(rooms: readonly { callId: string }[]): ActiveCall[] {
    return rooms.flatMap((room) => this.calls.get(room.callId) ?? []);
  }
}
