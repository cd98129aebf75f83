import type { CallMedia } from '../../protocol';
import { CallStateMachine, type CallEvent, type CallStateMachineOptions } from './CallStateMachine';
import type { Clock, Scheduler } from './timePorts';

/**
 * The calls that have not ended, indexed by call, user and device so that no lookup scans every
 * call, with the rules that need more than one call to decide: busy, already in a call and glare.
 * No I/O: every state change comes out of `onEvent`, and an ended call leaves the registry (all
 * of its indices) before its event is delivered.
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
  /** The calls each user is party to, as caller or callee. */
  private readonly callsByUser = new IndexOfSets<number, ActiveCall>();
  /**
   * The calls each device was offered to or placed (caller and every callee device rung): a
   * superset of the calls it takes part in now, which `involves` narrows down.
   */
  private readonly callsByDevice = new IndexOfSets<string, ActiveCall>();

  constructor(private readonly options: CallRegistryOptions) {}

  get(callId: string): ActiveCall | undefined {
    return this.calls.get(callId);
  }

  /** Whether this user may start a call to that user now (the callee's own state aside). */
  checkInvite(callId: string, callerUserId: number, calleeUserId: number): InviteCheck {
    if (this.calls.has(callId)) return { ok: false, code: 'call_state' };
    // Glare: the callee is already ringing us; that call wins and this one is refused.
    for (const call of this.callsByUser.of(calleeUserId)) {
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

  /**
   * Starts ringing. A callee talking in another call hears it waiting (it rings, and ends as
   * busy if it rings out while they still talk); one with a call ringing already (in or out,
   * waiting or not) is busy at once, and so is one who blocked the caller (`refuseAsBusy`).
   */
  open(newCall: NewCall, refuseAsBusy = false): ActiveCall {
    const calleeBusy = refuseAsBusy || this.isUserInRingingCall(newCall.calleeUserId);
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
    const deviceIds = [newCall.callerDeviceId, ...calleeDeviceIds];
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
          if (event.kind === 'ended') this.remove(call, deviceIds);
          this.options.onEvent(event, call);
        },
        calleeInOtherCall: () => this.isUserInAcceptedCall(newCall.calleeUserId),
        ...(restored ? { restored } : {}),
      }),
    };
    this.calls.set(call.callId, call);
    this.callsByUser.add(call.callerUserId, call);
    this.callsByUser.add(call.calleeUserId, call);
    for (const deviceId of deviceIds) this.callsByDevice.add(deviceId, call);
    return call;
  }

  private remove(call: ActiveCall, deviceIds: readonly string[]): void {
    this.calls.delete(call.callId);
    this.callsByUser.delete(call.callerUserId, call);
    this.callsByUser.delete(call.calleeUserId, call);
    for (const deviceId of deviceIds) this.callsByDevice.delete(deviceId, call);
  }

  /** Calls in which this device takes part right now (as caller, ringing or answering device). */
  callsOfDevice(deviceId: string): ActiveCall[] {
    return [...this.callsByDevice.of(deviceId)].filter((call) => call.machine.involves(deviceId));
  }

  /** True while the user is party to a call that has not ended (ringing or accepted). */
  isUserInCall(userId: number): boolean {
    return this.callsByUser.of(userId).size > 0;
  }

  private isUserInRingingCall(userId: number): boolean {
    for (const call of this.callsByUser.of(userId)) {
      if (call.machine.phase === 'ringing') return true;
    }
    return false;
  }

  /** True while the user talks in an accepted call (their presence is then `in_call`). */
  isUserInAcceptedCall(userId: number): boolean {
    for (const call of this.callsByUser.of(userId)) {
      if (call.machine.phase === 'accepted') return true;
    }
    return false;
  }
}

const emptySet: ReadonlySet<never> = new Set();

/** A map from a key to a set of values, holding no empty sets. */
class IndexOfSets<K, V> {
  private readonly sets = new Map<K, Set<V>>();

  of(key: K): ReadonlySet<V> {
    return this.sets.get(key) ?? emptySet;
  }

  add(key: K, value: V): void {
    const set = this.sets.get(key);
    if (set) set.add(value);
    else this.sets.set(key, new Set([value]));
  }

  delete(key: K, value: V): void {
    const set = this.sets.get(key);
    if (!set?.delete(value) || set.size > 0) return;
    this.sets.delete(key);
  }
}
