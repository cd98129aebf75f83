import type { CallFailure, CallOutcome } from '../../protocol';
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
}

const refused = (code: 'not_in_call' | 'call_state') => ({ ok: false, code }) as const;
const done: CallActionResult = { ok: true };

export class CallStateMachine {
  readonly callId: string;
  readonly callerDeviceId: string;
  readonly startedAt: number;
  private currentPhase: CallPhase = 'ringing';
  private readonly calleeDevices: ReadonlySet<string>;
  private readonly ringing: Set<string>;
  /** Ringing callee devices that answered the offer early (call.preconnect). */
  private readonly preconnected = new Set<string>();
  /** The pre-connected device whose early answer the caller took (call.preconnected). */
  private taken: string | null = null;
  private accepted: string | null = null;
  private answeredTime: number | null = null;
  private endedTime: number | null = null;
  private cancelTimer: (() => void) | null;

  constructor(private readonly options: CallStateMachineOptions) {
    this.callId = options.callId;
    this.callerDeviceId = options.callerDeviceId;
    this.calleeDevices = new Set(options.calleeDeviceIds);
    const { restored } = options;
    if (restored) {
      this.ringing = new Set();
      this.startedAt = restored.startedAt;
      this.accepted = restored.acceptedDeviceId;
      this.answeredTime = restored.answeredAt;
      this.currentPhase = 'accepted';
      this.cancelTimer = null;
      return;
    }
    this.ringing = new Set(options.calleeDeviceIds);
    this.startedAt = options.clock.now();
    this.cancelTimer = options.scheduler.schedule(options.ringTimeoutMs, () => this.timeout());
  }

  get phase(): CallPhase {
    return this.currentPhase;
  }
  get acceptedDeviceId(): string | null {
    return this.accepted;
  }
  get answeredAt(): number | null {
    return this.answeredTime;
  }
  get endedAt(): number | null {
    return this.endedTime;
  }
  get ringingDeviceIds(): string[] {
    return [...this.ringing];
  }

  /** True when the device is the caller, a ringing callee device or the device that answered. */
  involves(deviceId: string): boolean {
    return (
      deviceId === this.callerDeviceId || this.ringing.has(deviceId) || deviceId === this.accepted
    );
  }

  /** True for the caller and every callee device the call was offered to, even after it moved on. */
  private isParty(deviceId: string): boolean {
    return deviceId === this.callerDeviceId || this.calleeDevices.has(deviceId);
  }

  /** The callee was already in a call: the call ends before anything rings. */
  busy(): CallActionResult {
    if (this.currentPhase !== 'ringing') return refused('call_state');
    this.end('busy', null);
    return done;
  }

  /** A callee device reports that it is ringing. */
  ringingOn(deviceId: string): CallActionResult {
    const refusal = this.calleeRefusal(deviceId);
    if (refusal) return refusal;
    this.emit({ kind: 'ringing', deviceId });
    return done;
  }

  /**
   * A ringing callee device answers the offer before its user accepts, so the call connects
   * while it rings; the answer goes to the caller only. Every ringing device may, once or again.
   */
  preconnect(deviceId: string): RelayResult {
    const refusal = this.calleeRefusal(deviceId);
    if (refusal && !refusal.ok) return refusal;
    this.preconnected.add(deviceId);
    return { ok: true, targetDeviceIds: [this.callerDeviceId] };
  }

  /**
   * The caller took this pre-connected device's early answer: it alone may now connect, so two
   * devices never run ICE and DTLS against the caller's one connection at once. Once per call.
   */
  preconnectTaken(fromDeviceId: string, deviceId: string): RelayResult {
    if (!this.isParty(fromDeviceId)) return refused('not_in_call');
    const takes =
      fromDeviceId === this.callerDeviceId &&
      this.currentPhase === 'ringing' &&
      this.taken === null &&
      this.ringing.has(deviceId) &&
      this.preconnected.has(deviceId);
    if (!takes) return refused('call_state');
    this.taken = deviceId;
    return { ok: true, targetDeviceIds: [deviceId] };
  }

  accept(deviceId: string): CallActionResult {
    const refusal = this.calleeRefusal(deviceId);
    if (refusal) return refusal;
    this.stopTimer();
    this.ringing.delete(deviceId);
    const others = [...this.ringing];
    this.ringing.clear();
    this.accepted = deviceId;
    this.answeredTime = this.options.clock.now();
    this.currentPhase = 'accepted';
    this.emit({ kind: 'accepted', deviceId, otherCalleeDeviceIds: others });
    return done;
  }

  /** A callee device declines; `failure` says it could not answer, rather than would not. */
  decline(deviceId: string, failure: CallFailure | null = null): CallActionResult {
    const refusal = this.calleeRefusal(deviceId);
    if (refusal) return refusal;
    this.end('declined', deviceId, this.options.clock.now(), failure);
    return done;
  }

  cancel(deviceId: string): CallActionResult {
    if (!this.isParty(deviceId)) return refused('not_in_call');
    if (deviceId !== this.callerDeviceId || this.currentPhase !== 'ringing') {
      return refused('call_state');
    }
    this.end('cancelled', deviceId);
    return done;
  }

  /** A party hangs up; `failure` says the call could not go on (it then failed, unanswered). */
  hangup(deviceId: string, failure: CallFailure | null = null): CallActionResult {
    if (!this.isParty(deviceId)) return refused('not_in_call');
    if (this.currentPhase !== 'accepted' || !this.involves(deviceId)) return refused('call_state');
    this.end('hangup', deviceId, this.options.clock.now(), failure);
    return done;
  }

  /**
   * A party's device is gone, and has been since `at` (the call ends then). The caller leaving or
   * the answering device leaving ends the call; one of several ringing callee devices leaving
   * ends it only when it was the last one.
   */
  connectionLost(deviceId: string, at = this.options.clock.now()): CallActionResult {
    if (this.currentPhase === 'ended') return refused('call_state');
    if (!this.involves(deviceId)) return refused('not_in_call');
    // A caller who drops while it rings gave up on the call: the same as cancelling it.
    if (deviceId === this.callerDeviceId && this.currentPhase === 'ringing') {
      this.end('cancelled', deviceId, at);
      return done;
    }
    const isCallerOrAnswerer = deviceId === this.callerDeviceId || deviceId === this.accepted;
    if (!isCallerOrAnswerer) {
      this.ringing.delete(deviceId);
      if (this.ringing.size > 0) return done;
    }
    this.end('connection_lost', deviceId, at);
    return done;
  }

  /**
   * Where an ICE candidate or media-state update from this device goes: between caller and the
   * answering device once accepted; while ringing, only from the caller to every ringing device.
   */
  relayTargets(fromDeviceId: string): RelayResult {
    if (this.currentPhase === 'ringing' && fromDeviceId === this.callerDeviceId) {
      return { ok: true, targetDeviceIds: [...this.ringing] };
    }
    return this.inCallTarget(fromDeviceId);
  }

  /**
   * Where an ICE candidate from this device goes: as `relayTargets`, and also from a ringing
   * callee device that pre-connected, to the caller (`preconnecting` tells the relay to name it).
   */
  iceTargets(fromDeviceId: string): RelayResult & { preconnecting?: boolean } {
    const preconnecting =
      this.currentPhase === 'ringing' &&
      this.ringing.has(fromDeviceId) &&
      this.preconnected.has(fromDeviceId);
    if (preconnecting) {
      return { ok: true, targetDeviceIds: [this.callerDeviceId], preconnecting };
    }
    return this.relayTargets(fromDeviceId);
  }

  /**
   * Where an in-call message (`call.rekey`, `call.offer`, `call.rejoin`, ...) from this device goes:
   * only between the two parties of an accepted call.
   */
  inCallTarget(fromDeviceId: string): RelayResult {
    if (!this.isParty(fromDeviceId)) return refused('not_in_call');
    if (this.currentPhase !== 'accepted' || !this.involves(fromDeviceId)) {
      return refused('call_state');
    }
    const target = fromDeviceId === this.callerDeviceId ? this.accepted : this.callerDeviceId;
    return { ok: true, targetDeviceIds: target ? [target] : [] };
  }

  private timeout(): void {
    this.cancelTimer = null;
    if (this.currentPhase !== 'ringing') return;
    this.end(this.options.calleeInOtherCall?.() ? 'busy' : 'timeout', null);
  }

  /** Why a callee-side ringing action (ringing, accept, decline) is refused, if it is. */
  private calleeRefusal(deviceId: string): CallActionResult | null {
    if (!this.isParty(deviceId)) return refused('not_in_call');
    if (this.currentPhase !== 'ringing' || !this.ringing.has(deviceId)) {
      return refused('call_state');
    }
    return null;
  }

  private end(
    reason: CallEndReason,
    byDeviceId: string | null,
    at = this.options.clock.now(),
    failure: CallFailure | null = null,
  ): void {
    this.stopTimer();
    const endedFrom = this.currentPhase === 'accepted' ? 'accepted' : 'ringing';
    const ringingDeviceIds = [...this.ringing];
    this.ringing.clear();
    this.currentPhase = 'ended';
    // Never before the answer: a call restored at start-up cannot have ended before it.
    this.endedTime = Math.max(at, this.answeredTime ?? at);
    this.emit({
      kind: 'ended',
      reason,
      failure,
      outcome: failure ? 'failed' : outcomeOf(reason, endedFrom),
      byDeviceId,
      endedFrom,
      ringingDeviceIds,
      acceptedDeviceId: this.accepted,
    });
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
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
