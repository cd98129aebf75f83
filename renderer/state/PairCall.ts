import { computed, signal, type Signal } from '@preact/signals';
import { isolateName } from '../../protocol';
import { MediaAccessError } from '../call/mediaErrors';
import { CallQualityMonitor } from '../call/quality/CallQualityMonitor';
import type { MediaProblem } from '../media/mediaRemedy';
import { CallClock } from './CallClock';
import { CallConnection } from './CallConnection';
import type { CallControllerDeps } from './callControllerDeps';
import { CallEncryption } from './CallEncryption';
import { callFailureOf, describe, endReasonForFailure } from './callFailure';
import { CallMediaControls } from './CallMediaControls';
import { CallMembers } from './CallMembers';
import {
  initialCallState,
  nextCallState,
  type CallEndReason,
  type CallEvent,
} from './callStateMachine';
import { CallWaiting, type TakenWaitingCall } from './CallWaiting';
import { IceRestarts } from './IceRestarts';
import type { RemoteMember } from './remoteMembers/RemoteMember';

/** What the sides of a call (caller, callee, the call under way) do when it ends or needs them. */
export interface PairCallSides {
  /** A call ends, the current one or not (an invite still being verified). */
  ending(callId: string): void;
  /** The current call and everything of it go: each side forgets what it held of the call. */
  released(): void;
  /** The call that waited rings now that the one we talked in is over. */
  ringWaiting(call: TakenWaitingCall): void;
  /** Our camera into a call that had none from us. */
  startVideo(): Promise<void>;
}

/**
 * The 1:1 call this device is in (or none), as every side of it shares it: the call state
 * machine, the call's members, keys, connection, clock and quality monitor, and its end, which
 * lets go of all of them.
 */
export class PairCall {
  readonly machine = signal(initialCallState);
  /** The input that stopped the last call (refused or missing here), for its remedy; else null. */
  readonly failedInput = signal<MediaProblem | null>(null);
  readonly view = computed(() => this.machine.value.view);
  readonly connectionState = signal<RTCPeerConnectionState>('new');
  /** Both sides of the current call as members; a new pair for each call (see CallMembers). */
  readonly members: Signal<CallMembers>;
  readonly e2ee: CallEncryption;
  /** A call ringing for us while we talk in this one. */
  readonly waiting: CallWaiting;
  /** The poor-quality indicator and the video step-down, while the call is connected. */
  readonly quality: CallQualityMonitor;
  readonly restarts: IceRestarts;
  readonly clock = new CallClock();
  readonly connection: CallConnection;

  constructor(
    readonly deps: CallControllerDeps,
    private readonly sides: PairCallSides,
  ) {
    this.e2ee = new CallEncryption(deps.identity, deps.now, () => this.peer.countsStartOver('p2p'));
    this.waiting = new CallWaiting({
      signaling: deps.signaling,
      verify: (message) => this.e2ee.verifyInvite(message),
      onEnded: (callId, how) => deps.onWaitingCallEnded(callId, how),
    });
    this.quality = new CallQualityMonitor({
      signaling: deps.signaling,
      engine: () => this.connection.engine,
      peerName: () => {
        const view = this.view.value;
        return view.kind === 'idle' ? '' : isolateName(view.peer.displayName);
      },
      now: deps.now,
    });
    this.restarts = new IceRestarts({
      signaling: deps.signaling,
      identityFailed: (callId, error) => this.refuseIdentity(callId, error),
      gaveUp: (callId, everConnected) => {
        if (!this.isCurrent(callId)) return;
        this.deps.signaling.notify('call.hangup', { callId });
        this.end(callId, everConnected ? 'connection_lost' : 'connection_failed');
      },
      now: deps.now,
    });
    this.members = signal(new CallMembers(this.newMember()));
    this.connection = new CallConnection(this);
  }

  /** The other side of the current call: what it sends, says and how its frames decrypt. */
  get peer(): RemoteMember {
    return this.members.value.peer;
  }

  apply(event: CallEvent): boolean {
    const before = this.machine.value;
    const after = nextCallState(before, event);
    if (after === before) return false;
    this.machine.value = after;
    return true;
  }

  isCurrent(callId: string): boolean {
    const view = this.view.value;
    return view.kind !== 'idle' && view.callId === callId;
  }

  /** Still ringing (either side): a connection made meanwhile shows and plays nothing yet. */
  isRinging(callId: string): boolean {
    const view = this.view.value;
    return (view.kind === 'outgoing' || view.kind === 'incoming') && view.callId === callId;
  }

  /** The answered call's connection changed state (see CallConnection's events). */
  connectionChanged(callId: string, state: RTCPeerConnectionState): void {
    if (state === 'connected' && this.apply({ type: 'connected', callId, at: this.deps.now() })) {
      this.clock.start(this.deps.now);
      this.announceMissingCamera();
    }
    // Every connected state, not just the first: a rejoined call starts it again (idempotent).
    if (state === 'connected') this.quality.start(callId);
    // Not connected (yet, or any more): recovery restarts ICE, and gives up in time. Its
    // offer travels over signaling, which may have broken with the same network change.
    if (state === 'disconnected' || state === 'failed') this.deps.signaling.checkConnection();
    this.restarts.onConnectionState(callId, state);
  }

  /** A camera that could not be opened shows to the peer as a camera that is off. */
  announceMissingCamera(): void {
    this.members.value.announceMissingCamera();
  }

  /** The peer failed verification: hang up, and say why. */
  refuseIdentity(callId: string, error: unknown): void {
    if (!this.isCurrent(callId)) return;
    // Before it connected the call never went ahead: it failed. Later (a rejoin or a restarted
    // connection that does not verify) it ends as a call that was had, cut short.
    const reason = this.view.value.kind === 'in_call' ? {} : { reason: 'identity_failed' as const };
    this.deps.signaling.notify('call.hangup', { callId, ...reason });
    this.end(callId, 'identity_failed', describe(error));
  }

  /** Setting up the call's media failed after the call was answered: it cannot go on. */
  hangUpAfter(callId: string, error: unknown): void {
    if (this.isCurrent(callId)) {
      this.deps.signaling.notify('call.hangup', { callId, ...callFailureOf(error) });
    }
    this.fail(callId, error);
  }

  fail(callId: string, error: unknown): void {
    if (!this.isCurrent(callId)) return;
    console.warn('parley: call failed', error);
    const failedInput: MediaProblem | null =
      error instanceof MediaAccessError
        ? {
            input: error.input,
            problem: error.reason === 'permission_denied' ? 'denied' : 'missing',
          }
        : null;
    this.end(callId, endReasonForFailure(error), describe(error), failedInput);
  }

  end(
    callId: string,
    reason: CallEndReason,
    detail?: string,
    failedInput: MediaProblem | null = null,
  ): void {
    this.sides.ending(callId);
    if (!this.isCurrent(callId)) return;
    this.failedInput.value = failedInput;
    const event: CallEvent = { type: 'ended', callId, reason, at: this.deps.now() };
    if (detail !== undefined) event.detail = detail;
    this.release(event);
    this.deps.onCallEnded();
    const waiting = this.waiting.take();
    if (waiting) this.sides.ringWaiting(waiting);
  }

  /** The call's connection and everything of it goes; `event` says how the call left the screen. */
  release(event: CallEvent): void {
    // Over here: its camera and microphone stop, unless the group call it grew into goes on.
    const call = this.connection.close();
    this.sides.released();
    this.restarts.reset();
    this.e2ee.reset();
    this.clock.stop();
    this.quality.stop();
    // A grown call's members may go on in its group call: the next call has a pair of its own.
    const ownGoesOn = call?.heldBy('room') ?? false;
    this.members.value = this.members.value.next(ownGoesOn, () => this.newMember());
    this.connectionState.value = 'new';
    this.apply(event);
  }

  /** A new member for the next call: the last one went on with the group call it grew into. */
  private newMember(): CallMediaControls {
    return new CallMediaControls(() => this.sides.startVideo());
  }
}
