import type { CallMedia } from '../../protocol';
import { CallStateMachine, type CallEvent, type CallStateMachineOptions } from './CallStateMachine';
import type { Clock, Scheduler } from './timePorts';

/**
 * The calls that have not ended, indexed by call, user and device, with the rules that need more
 * than one call to decide: busy, already in a call and glare. No I/O: every state change comes
 * out of `onEvent`, and an ended call leaves the registry before its event is delivered.
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
  onEvent: (event: CallEvent, call: ActiveCall) => void;
}

export class CallRegistry {
  private readonly calls = new Map<string, ActiveCall>();

  constructor(private readonly options: CallRegistryOptions) {}

  get(callId: string): ActiveCall | undefined {
    return this.calls.get(callId);
  }

  /** Whether this user may start a call to that user now (the callee's own state aside). */
  checkInvite(callId: string, callerUserId: number, calleeUserId: number): InviteCheck {
    if (this.calls.has(callId)) return { ok: false, code: 'call_state' };
    // Glare: the callee is already ringing us; that call wins and this one is refused.
    for (const call of this.calls.values()) {
      if (
        call.callerUserId === calleeUserId &&
        call.calleeUserId === callerUserId &&
        call.machine.phase === 'ringing'
      ) {
        return { ok: false, code: 'glare' };
      }
    }
    if (this.isUserInCall(callerUserId)) return { ok: false, code: 'already_in_call' };
    return { ok: true };
  }

  /** Starts ringing, or ends the call at once as busy when the callee is party to another call. */
  open(newCall: NewCall): ActiveCall {
    const calleeBusy = this.isUserInCall(newCall.calleeUserId);
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
        calleeDeviceIds,
        ringTimeoutMs: this.options.ringTimeoutMs,
        clock: this.options.clock,
        scheduler: this.options.scheduler,
        onEvent: (event) => {
          if (event.kind === 'ended') this.calls.delete(call.callId);
          this.options.onEvent(event, call);
        },
        ...(restored ? { restored } : {}),
      }),
    };
    this.calls.set(call.callId, call);
    return call;
  }

  /** Calls in which this device takes part right now (as caller, ringing or answering device). */
  callsOfDevice(deviceId: string): ActiveCall[] {
    return [...this.calls.values()].filter((call) => call.machine.involves(deviceId));
  }

  /** True while the user is party to a call that has not ended (ringing or accepted). */
  isUserInCall(userId: number): boolean {
    for (const call of this.calls.values()) {
      if (call.callerUserId === userId || call.calleeUserId === userId) return true;
    }
    return false;
  }

  /** True while the user talks in an accepted call (their presence is then `in_call`). */
  isUserInAcceptedCall(userId: number): boolean {
    for (const call of this.calls.values()) {
      if (
        call.machine.phase === 'accepted' &&
        (call.callerUserId === userId || call.calleeUserId === userId)
      ) {
        return true;
      }
    }
    return false;
  }
}
