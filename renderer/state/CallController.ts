import { computed, signal } from '@preact/signals';
import { isolateName, type CallMedia, type LiveCall, type ServerMessageOf } from '../../protocol';
import { e2eeStatusText } from '../call/E2eeStatusTracker';
import type { CallQualityMonitor } from '../call/quality/CallQualityMonitor';
import type { CallNotice } from '../signaling/serverMessageHandlers';
import type { CallControllerDeps } from './callControllerDeps';
import type { CallMediaControls } from './CallMediaControls';
import { callErrorText } from './callFailure';
import { dispatchCallNotice, type CallNoticeHandlers } from './callNotices';
import { callNoticeText, canCallBack, endReasonForError, formatDuration } from './callNotice';
import { CallUnderWay } from './CallUnderWay';
import type { CallWaiting } from './CallWaiting';
import type { GrowingCall } from './growingCall';
import type { IceRestarts } from './IceRestarts';
import { IncomingCall } from './IncomingCall';
import { rejoinsOneToOne } from './liveCallRejoin';
import { OutgoingCall } from './OutgoingCall';
import { PairCall } from './PairCall';
import type { RemoteMember } from './remoteMembers/RemoteMember';

/** Server errors about a call that mean the call is over for us. */
const fatalCallErrors = new Set([
  'callee_offline',
  'unknown_user',
  'glare',
  'unknown_call',
  'not_in_call',
]);

/**
 * The view model of the current 1:1 call, and the facade of its sides: the caller's
 * (OutgoingCall), the callee's (IncomingCall) and the answered call's (CallUnderWay), over the
 * call they share (PairCall). It speaks call.* with the server: one handler per call.* notice
 * (`handlers`), the mirror of the server's call handlers. Every call is end-to-end encrypted: the
 * peer's identity and key share are verified before its SDP is applied, and a peer that fails
 * ends the call as identity_failed. Components read its signals and call its actions.
 */
export class CallController {
  readonly machine: PairCall['machine'];
  /** The input that stopped the last call (refused or missing here), for its remedy; else null. */
  readonly failedInput: PairCall['failedInput'];
  readonly view: PairCall['view'];
  readonly notice = computed(() => {
    const ended = this.machine.value.lastEnded;
    return ended ? { reason: ended.reason, text: callNoticeText(ended) } : null;
  });
  readonly remoteStream = computed(() => this.peer.stream.value);
  readonly remoteHasVideo = computed(() => this.peer.hasVideo.value);
  readonly connectionState: PairCall['connectionState'];
  /** The call's media is recovering (ICE restart, rejoin): the call screen says so. */
  readonly mediaReconnecting: IceRestarts['reconnecting'];
  /** The signaling connection is down and being re-established; a call goes on meanwhile. */
  readonly signalingLost = signal(false);
  /** Per incoming track kind (audio, video): negotiating | encrypted | decrypt_failed. */
  readonly e2eeStatus = computed(() => this.peer.e2ee.status.value);
  /** The whole call in one word: decrypt_failed when any kind fails. */
  readonly e2eeState = computed(() => this.peer.e2ee.state.value);
  readonly e2eeText = computed(() => {
    const view = this.view.value;
    const name = view.kind === 'idle' ? '' : isolateName(view.peer.displayName);
    return e2eeStatusText(this.e2eeStatus.value, name);
  });
  /** The poor-quality indicator and the video step-down, while the call is connected. */
  readonly quality: CallQualityMonitor;
  readonly timerText = computed(() => {
    const view = this.view.value;
    return view.kind === 'in_call'
      ? formatDuration(this.pair.clock.now.value - view.connectedAt)
      : '0:00';
  });
  /** A call ringing for us while we talk in this one. */
  readonly waiting: CallWaiting;
  private noticeDismissed = signal<string | null>(null);
  readonly visibleNotice = computed(() => {
    const ended = this.machine.value.lastEnded;
    return ended && ended.callId !== this.noticeDismissed.value ? this.notice.value : null;
  });
  /** Whom the end-of-call notice offers to call back, and how; null when it offers nothing. */
  readonly callBack = computed(() => {
    const ended = this.machine.value.lastEnded;
    if (!ended || !this.visibleNotice.value || !canCallBack(ended.reason)) return null;
    return { username: ended.peer.username, media: ended.media };
  });
  /** One handler per call.* notice the server sends. */
  readonly handlers: CallNoticeHandlers;

  private readonly pair: PairCall;
  private readonly outgoing: OutgoingCall;
  private readonly incoming: IncomingCall;
  private readonly underWay: CallUnderWay;

  constructor(deps: CallControllerDeps) {
    this.pair = new PairCall(deps, {
      ending: (callId) => this.incoming.ending(callId),
      released: () => {
        this.incoming.reset();
        this.underWay.reset();
        this.outgoing.reset();
      },
      ringWaiting: (waiting) => this.incoming.ringWaiting(waiting),
      startVideo: () => this.underWay.startVideo(),
    });
    this.outgoing = new OutgoingCall(this.pair);
    this.incoming = new IncomingCall(this.pair);
    this.underWay = new CallUnderWay(this.pair);
    const { pair, outgoing, incoming, underWay } = this;
    this.machine = pair.machine;
    this.failedInput = pair.failedInput;
    this.view = pair.view;
    this.connectionState = pair.connectionState;
    this.mediaReconnecting = pair.restarts.reconnecting;
    this.quality = pair.quality;
    this.waiting = pair.waiting;
    this.handlers = {
      'call.invite': (m) => incoming.onInvite(m),
      'call.ringing': (m) => outgoing.onRinging(m),
      'call.accept': (m) => outgoing.onAccept(m),
      'call.preconnect': (m) => outgoing.onPreconnect(m),
      'call.preconnected': (m) => incoming.onPreconnected(m),
      'call.decline': (m) => outgoing.onDecline(m),
      'call.busy': (m) => outgoing.onBusy(m),
      'call.cancel': (m) => incoming.onCancel(m),
      'call.timeout': (m) => outgoing.onTimeout(m),
      'call.hangup': (m) => underWay.onHangup(m),
      'call.ice': (m) => pair.connection.onIce(m),
      'call.media': (m) => underWay.onMedia(m),
      'call.rekey': (m) => underWay.onRekey(m),
      'call.offer': (m) => pair.restarts.onOffer(m),
      'call.answer': (m) => pair.restarts.onAnswer(m),
      'call.restart': (m) => pair.restarts.onRestart(m),
      'call.quality': (m) => underWay.onQuality(m),
      'call.rejoin': (m) => underWay.onRejoin(m),
      'call.rejoined': (m) => underWay.onRejoined(m),
    };
  }

  /**
   * The other side of the current call: what it sends, says and how its frames decrypt. A new one
   * for each call: a call that grows hands its peer on whole to the group call.
   */
  get peer(): RemoteMember {
    return this.pair.peer;
  }

  /**
   * Mute, camera, devices and screen share of the current call (our LocalMember in it); a new one
   * once a grown call took this one on.
   */
  get media(): CallMediaControls {
    return this.pair.members.value.own;
  }

  // ---- user actions ---------------------------------------------------------------------

  call(input: string, media: CallMedia): Promise<void> {
    return this.outgoing.dial(input, media);
  }

  cancel(): void {
    this.outgoing.cancel();
  }

  accept(requested: CallMedia): Promise<void> {
    return this.incoming.accept(requested);
  }

  decline(): void {
    this.incoming.decline();
  }

  hangup(): void {
    if (this.view.value.kind === 'outgoing') this.outgoing.cancel();
    else this.underWay.hangUp();
  }

  /** Call waiting: declines the call that waits; this one goes on. */
  declineWaiting(): void {
    this.waiting.decline();
  }

  /** Call waiting: hangs up this call and answers the one that waits. */
  async endAndAccept(media: CallMedia): Promise<void> {
    if (!this.waiting.call.value) return;
    // Hanging up hands the waiting call over: it rings here, and is answered at once.
    this.hangup();
    if (this.view.value.kind === 'incoming') await this.incoming.accept(media);
  }

  /** The answered call under way, for it to grow into a group call (null: none). */
  growable(): GrowingCall | null {
    return this.underWay.growable();
  }

  dismissNotice(): void {
    this.noticeDismissed.value = this.machine.value.lastEnded?.callId ?? null;
  }

  // ---- from the server ------------------------------------------------------------------

  /**
   * Every call.* notice from the signaling layer comes here. A notice that needs verifying or
   * applying returns a promise that settles once it was.
   */
  onNotice(notice: CallNotice): void | Promise<void> {
    return dispatchCallNotice(this.handlers, notice);
  }

  onCallError(message: ServerMessageOf<'error'>): void {
    if (!message.callId || !fatalCallErrors.has(message.code)) {
      console.warn(`parley: server error ${message.code}: ${message.message}`);
      return;
    }
    if (this.waiting.ended(message.callId, 'missed')) return;
    console.warn(`parley: call ended by server error ${message.code}: ${message.message}`);
    this.pair.end(message.callId, endReasonForError(message.code), callErrorText(message.code));
  }

  /**
   * The signaling connection dropped and is coming back. The call goes on: its media does not
   * pass through the server, which keeps the call for a grace period, and what we send meanwhile
   * waits in the signaling outbox.
   */
  onDisconnected(): void {
    this.signalingLost.value = true;
  }

  /** Signaling stopped for good (signed out, device removed): the call cannot go on. */
  onSignedOut(): void {
    this.signalingLost.value = false;
    this.waiting.reset();
    const view = this.view.value;
    if (view.kind !== 'idle') this.pair.end(view.callId, 'connection_lost');
  }

  /**
   * Every sign-in lists the calls the server still has for this device. A current call missing
   * from the list ended while we were away. The server lists a call we answered only once our
   * accept reached it, so a call we just answered is left to the accept's fate; a ringing call
   * is absent by nature, and ends only when the stream is new (its cancel or timeout was lost
   * with the old one). An accepted call this page has no engine for (it was reloaded, or the app
   * restarted) is rejoined at once.
   */
  onSessionCalls(calls: readonly LiveCall[], streamResumed: boolean): void {
    this.signalingLost.value = false;
    // A waiting call rings, so the list never has it: with a new stream its end was lost.
    const waiting = this.waiting.call.value;
    if (waiting && !streamResumed) this.waiting.ended(waiting.callId, 'missed');
    const view = this.view.value;
    if (view.kind === 'idle') return this.rejoinLiveCall(calls);
    if (calls.some((call) => call.callId === view.callId)) return;
    if (view.kind === 'incoming') {
      if (!streamResumed) this.pair.end(view.callId, 'missed');
    } else if (view.kind !== 'connecting' || view.direction === 'outgoing') {
      this.pair.end(view.callId, 'connection_lost');
    }
  }

  private rejoinLiveCall(calls: readonly LiveCall[]): void {
    // A call on the SFU is the group call's to rejoin; one that grew but is still on p2p runs
    // over its 1:1 connection, which is rejoined here first.
    const live = calls.find(rejoinsOneToOne);
    if (!live || this.incoming.isVerifying) return;
    // Ended here while the server had not heard yet (a hang-up waiting in the outbox).
    if (this.machine.value.lastEnded?.callId === live.callId) return;
    void this.underWay.rejoin(live);
  }
}
