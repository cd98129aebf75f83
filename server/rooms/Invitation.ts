import type { CallFailure } from '../../protocol';
import type { Clock, Scheduler } from '../calls/timePorts';

/**
 * One invitation into a call, with no I/O: a device of the call rings every device of one invited
 * user, and the first of them to accept wins. It ends accepted, or closed unanswered (declined,
 * busy, cancelled, timed out, or every ringing device gone). Each method checks that the device
 * may do this now; a refused action changes nothing. Every change is reported through `onEvent`.
 */
export type InvitationState =
  | 'ringing'
  | 'accepted'
  | 'declined'
  | 'busy'
  | 'cancelled'
  | 'timeout'
  | 'connection_lost';

export type InvitationCloseState = Exclude<InvitationState, 'ringing' | 'accepted'>;

export type InvitationEvent =
  | { kind: 'ringing'; deviceId: string }
  | { kind: 'accepted'; deviceId: string; otherDeviceIds: string[] }
  | {
      kind: 'closed';
      state: InvitationCloseState;
      /** The device whose action or lost connection closed it; null for busy and timeout. */
      byDeviceId: string | null;
      /** Why the invited user could not answer, when a decline said so. */
      failure: CallFailure | null;
      /** Devices that were ringing when it closed (they must be told to stop). */
      ringingDeviceIds: string[];
      /** When it closed: a device gone since an earlier moment closes it then. */
      at: number;
    };

export type InvitationResult = { ok: true } | { ok: false; code: 'call_state' };

export interface InvitationOptions {
  inviterUserId: number;
  inviterDeviceId: string;
  inviteeUserId: number;
  /** The invited user's devices that ring. */
  deviceIds: readonly string[];
  ringTimeoutMs: number;
  clock: Clock;
  scheduler: Scheduler;
  onEvent: (event: InvitationEvent, invitation: Invitation) => void;
  /**
   * Call waiting: whether the invited user is still talking in another call when this rings out;
   * it then closes as busy (the inviter hears "on another call") rather than unanswered.
   */
  inviteeInOtherCall?: () => boolean;
}

const refused = { ok: false, code: 'call_state' } as const;
const done: InvitationResult = { ok: true };

export class Invitation {
  readonly inviterUserId: number;
  readonly inviterDeviceId: string;
  readonly inviteeUserId: number;
  /** Every device the invitation rang, even after it moved on. */
  readonly offeredDeviceIds: ReadonlySet<string>;
  private currentState: InvitationState = 'ringing';
  private readonly ringing: Set<string>;
  /** Ringing devices that answered the offer early (call.preconnect). */
  private readonly preconnected = new Set<string>();
  /** The pre-connected device whose early answer the inviter took. */
  private taken: string | null = null;
  private accepted: string | null = null;
  private cancelTimer: (() => void) | null;

  constructor(private readonly options: InvitationOptions) {
    this.inviterUserId = options.inviterUserId;
    this.inviterDeviceId = options.inviterDeviceId;
    this.inviteeUserId = options.inviteeUserId;
    this.offeredDeviceIds = new Set(options.deviceIds);
    this.ringing = new Set(options.deviceIds);
    this.cancelTimer = options.scheduler.schedule(options.ringTimeoutMs, () => this.timeout());
  }

  get state(): InvitationState {
    return this.currentState;
  }
  get ringingDeviceIds(): string[] {
    return [...this.ringing];
  }
  get acceptedDeviceId(): string | null {
    return this.accepted;
  }

  isRinging(deviceId: string): boolean {
    return this.ringing.has(deviceId);
  }

  /** A ringing device that pre-connected (its candidates go to the inviter, naming it). */
  isPreconnecting(deviceId: string): boolean {
    return this.ringing.has(deviceId) && this.preconnected.has(deviceId);
  }

  /** A ringing device reports that it is ringing. */
  ringingOn(deviceId: string): InvitationResult {
    if (!this.ringing.has(deviceId)) return refused;
    this.emit({ kind: 'ringing', deviceId });
    return done;
  }

  /** A ringing device answers the offer before its user accepts; every one may, once or again. */
  preconnect(deviceId: string): InvitationResult {
    if (!this.ringing.has(deviceId)) return refused;
    this.preconnected.add(deviceId);
    return done;
  }

  /**
   * The inviter took this pre-connected device's early answer: it alone may now connect, so two
   * devices never run ICE and DTLS against the inviter's one connection at once. Once only.
   */
  take(deviceId: string): InvitationResult {
    if (this.taken !== null || !this.isPreconnecting(deviceId)) return refused;
    this.taken = deviceId;
    return done;
  }

  accept(deviceId: string): InvitationResult {
    if (!this.ringing.has(deviceId)) return refused;
    this.stopTimer();
    this.ringing.delete(deviceId);
    const otherDeviceIds = [...this.ringing];
    this.ringing.clear();
    this.accepted = deviceId;
    this.currentState = 'accepted';
    this.emit({ kind: 'accepted', deviceId, otherDeviceIds });
    return done;
  }

  /** A ringing device declines; `failure` says it could not answer, rather than would not. */
  decline(deviceId: string, failure: CallFailure | null = null): InvitationResult {
    if (!this.ringing.has(deviceId)) return refused;
    this.close('declined', deviceId, this.options.clock.now(), failure);
    return done;
  }

  /** The invited user was already busy: it closes before anything rings. */
  busy(): InvitationResult {
    if (this.currentState !== 'ringing') return refused;
    this.close('busy', null, this.options.clock.now());
    return done;
  }

  /** The inviter (or the call ending) stops the ringing, from `at` on. */
  cancel(byDeviceId: string | null, at = this.options.clock.now()): InvitationResult {
    if (this.currentState !== 'ringing') return refused;
    this.close('cancelled', byDeviceId, at);
    return done;
  }

  /** A ringing device is gone since `at`: it stops ringing; the last one gone closes it. */
  deviceGone(deviceId: string, at = this.options.clock.now()): InvitationResult {
    if (!this.ringing.delete(deviceId)) return refused;
    if (this.ringing.size === 0) this.close('connection_lost', deviceId, at);
    return done;
  }

  private timeout(): void {
    this.cancelTimer = null;
    if (this.currentState !== 'ringing') return;
    const state = this.options.inviteeInOtherCall?.() ? 'busy' : 'timeout';
    this.close(state, null, this.options.clock.now());
  }

  private close(
    state: InvitationCloseState,
    byDeviceId: string | null,
    at: number,
    failure: CallFailure | null = null,
  ): void {
    this.stopTimer();
    const ringingDeviceIds = [...this.ringing];
    this.ringing.clear();
    this.currentState = state;
    this.emit({ kind: 'closed', state, byDeviceId, failure, ringingDeviceIds, at });
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private emit(event: InvitationEvent): void {
    this.options.onEvent(event, this);
  }
}
