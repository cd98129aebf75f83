import { computed, signal, type Signal } from '@preact/signals';
import {
  isolateName,
  Username,
  type CallMedia,
  type KeyShare,
  type LiveCall,
  type ServerMessageOf,
} from '../../protocol';
import type { CallEngine, CallEngineEvents, IceCandidateWire } from '../call/CallEngine';
import { LocalMedia, type LocalMediaEvents } from '../call/LocalMedia';
import { e2eeStatusText } from '../call/E2eeStatusTracker';
import { CallQualityMonitor } from '../call/quality/CallQualityMonitor';
import type { KeyExchangeHost } from '../keys/CallKeyExchange';
import type { CallBaseKeys } from '../keys/keyDerivation';
import type { SignalingClient } from '../signaling/SignalingClient';
import { CallEncryption, type VerifiedInvite } from './CallEncryption';
import { CallRejoin } from './CallRejoin';
import { CallClock } from './CallClock';
import { CallMediaControls } from './CallMediaControls';
import { MediaAccessError } from '../call/mediaErrors';
import type { MediaProblem } from '../media/mediaRemedy';
import { callErrorText, callFailureOf, describe, endReasonForFailure } from './callFailure';
import { CallWaiting, type TakenWaitingCall, type WaitingCallEnd } from './CallWaiting';
import { EarlyAnswers } from './EarlyAnswers';
import { callNoticeText, canCallBack, endReasonForError, formatDuration } from './callNotice';
import {
  initialCallState,
  nextCallState,
  type CallEndReason,
  type CallEvent,
  type CallPeer,
} from './callStateMachine';
import type { GrowingCall } from './growingCall';
import { IceRestarts } from './IceRestarts';
import { rejoinsOneToOne } from './liveCallRejoin';
import { ActiveCall } from './ActiveCall';
import { CallMembers } from './CallMembers';
import type { RemoteMember } from './remoteMembers/RemoteMember';

/** What a callee sent in call.preconnect, which its call.accept repeats. */
interface EarlyAnswer {
  sdp: string;
  keyShare: KeyShare;
}

export interface CallControllerDeps {
  signaling: Pick<SignalingClient, 'request' | 'notify' | 'checkConnection'>;
  /** Opens the camera and microphone of a call (microphone only for an audio call). */
  openMedia(media: CallMedia, events: LocalMediaEvents): Promise<LocalMedia>;
  /** The connection of a call sending `local` (the call's media, opened for `media`). */
  openEngine(media: CallMedia, local: LocalMedia, events: CallEngineEvents): CallEngine;
  /**
   * A connection for an incoming call that connects while it rings, sending `local` (no camera or
   * microphone open yet); null when this call must not (a stranger's call where no relay would
   * hide our address). Without it, calls connect on accept.
   */
  preconnectEngine?(
    peerUsername: string,
    local: LocalMedia,
    events: CallEngineEvents,
  ): CallEngine | null;
  /** Signs our key shares and keeps the contact pins the peer's root is checked against. */
  identity: KeyExchangeHost;
  /** The peer's display name when we already know it (contacts). */
  knownPeer(username: string): CallPeer | null;
  /** Asks the server for a user's display name; null when there is no such user. */
  lookupPeer(username: string): Promise<CallPeer | null>;
  onCallEnded(): void;
  /** A waiting call ended without being taken (the call log has it now). */
  onWaitingCallEnded(callId: string, how: WaitingCallEnd): void;
  /** A microphone or camera track of the call ended by itself (device unplugged). */
  onLocalTrackEnded?(kind: 'audio' | 'video'): void;
  /**
   * A call this page rejoined after a reload is back (the peer's answer verified and applied): a
   * call that grew into a group call takes its group side back from here.
   */
  onRejoined?(callId: string): void;
  /** The other party of the call came back after losing its keys (its call.rejoin verified). */
  onPeerRejoined?(callId: string): void;
  now(): number;
}

/** Server errors about a call that mean the call is over for us. */
const fatalCallErrors = new Set([
  'callee_offline',
  'unknown_user',
  'glare',
  'unknown_call',
  'not_in_call',
]);

/**
 * The view model of the current call: it runs the call state machine, drives the CallEngine and
 * speaks call.* with the server. Every call is end-to-end encrypted: the peer's identity and key
 * share are verified before its SDP is applied, and a peer that fails ends the call as
 * identity_failed. Components read its signals and call its actions.
 */
export class CallController {
  readonly machine = signal(initialCallState);
  /** The input that stopped the last call (refused or missing here), for its remedy; else null. */
  readonly failedInput = signal<MediaProblem | null>(null);
  readonly view = computed(() => this.machine.value.view);
  readonly notice = computed(() => {
    const ended = this.machine.value.lastEnded;
    return ended ? { reason: ended.reason, text: callNoticeText(ended) } : null;
  });
  /** Both sides of the current call as members; a new pair for each call (see CallMembers). */
  private readonly members: Signal<CallMembers>;
  /**
   * The other side of the current call: what it sends, says and how its frames decrypt. A new one
   * for each call: a call that grows hands its peer on whole to the group call.
   */
  get peer(): RemoteMember {
    return this.members.value.peer;
  }
  readonly remoteStream = computed(() => this.peer.stream.value);
  readonly remoteHasVideo = computed(() => this.peer.hasVideo.value);
  readonly connectionState = signal<RTCPeerConnectionState>('new');
  private readonly restarts: IceRestarts;
  /** The call's media is recovering (ICE restart, rejoin): the call screen says so. */
  readonly mediaReconnecting: IceRestarts['reconnecting'];
  /** The signaling connection is down and being re-established; a call goes on meanwhile. */
  readonly signalingLost = signal(false);
  private readonly e2ee: CallEncryption;
  /** Per incoming track kind (audio, video): negotiating | encrypted | decrypt_failed. */
  readonly e2eeStatus = computed(() => this.peer.e2ee.status.value);
  /** The whole call in one word: decrypt_failed when any kind fails. */
  readonly e2eeState = computed(() => this.peer.e2ee.state.value);
  readonly e2eeText = computed(() => {
    const view = this.view.value;
    const name = view.kind === 'idle' ? '' : isolateName(view.peer.displayName);
    return e2eeStatusText(this.e2eeStatus.value, name);
  });
  private readonly clock = new CallClock();
  /** The poor-quality indicator and the video step-down, while the call is connected. */
  readonly quality: CallQualityMonitor;
  readonly timerText = computed(() => {
    const view = this.view.value;
    return view.kind === 'in_call'
      ? formatDuration(this.clock.now.value - view.connectedAt)
      : '0:00';
  });

  /** A call ringing for us while we talk in this one. */
  readonly waiting: CallWaiting;
  private engine: CallEngine | null = null;
  /** The current call's members and its one local media, while it has them (see ActiveCall). */
  private activeCall: ActiveCall | null = null;
  private incoming: VerifiedInvite | null = null;
  /** The invite being verified, before it may ring. */
  private verifyingInvite: string | null = null;
  private earlyCandidates: (IceCandidateWire | null)[] = [];
  /**
   * Callee: pre-connected, but the caller has not taken our early answer yet. The caller's
   * candidates wait meanwhile, so that two of our devices never connect to its one connection.
   */
  private awaitingTaken = false;
  /** Callee: the early answer being sent while it rings, which the accept then repeats. */
  private preconnecting: Promise<EarlyAnswer | null> | null = null;
  /** Caller: which ringing device's early answer the connection took. */
  private readonly earlyAnswers = new EarlyAnswers();
  /** Caller: an early answer being verified and applied; an accept waits for it. */
  private takingEarly: Promise<void> | null = null;
  /** The peer's media, kept from the screens (unheard, unseen) until the call is answered. */
  private pendingRemote: MediaStream | null = null;
  private readonly rejoins: CallRejoin;
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

  constructor(private readonly deps: CallControllerDeps) {
    this.e2ee = new CallEncryption(deps.identity, deps.now, () => this.peer.countsStartOver('p2p'));
    this.waiting = new CallWaiting({
      signaling: deps.signaling,
      verify: (message) => this.e2ee.verifyInvite(message),
      onEnded: (callId, how) => deps.onWaitingCallEnded(callId, how),
    });
    this.quality = new CallQualityMonitor({
      signaling: deps.signaling,
      engine: () => this.engine,
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
    this.mediaReconnecting = this.restarts.reconnecting;
    this.members = signal(new CallMembers(this.newMember()));
    this.rejoins = new CallRejoin({
      signaling: deps.signaling,
      e2ee: this.e2ee,
      restarts: this.restarts,
      tellPeer: () => this.members.value.tellPeerAgain(),
      current: (callId) => {
        const view = this.view.value;
        const live = view.kind === 'connecting' || view.kind === 'in_call';
        return live && view.callId === callId && this.engine ? { view, engine: this.engine } : null;
      },
      enter: (live) => {
        this.apply({
          type: 'rejoin',
          callId: live.callId,
          peer: live.peer,
          media: live.media,
          direction: live.role === 'caller' ? 'outgoing' : 'incoming',
          connectedAt: live.answeredAt ?? this.deps.now(),
        });
        this.clock.start(this.deps.now);
      },
      startEngine: (callId, media) => this.startEngine(callId, media),
      refuseIdentity: (callId, error) => this.refuseIdentity(callId, error),
      hangUpAfter: (callId, error) => this.hangUpAfter(callId, error),
      peerRejoined: (callId) => this.deps.onPeerRejoined?.(callId),
      rejoined: (callId) => this.deps.onRejoined?.(callId),
    });
  }

  /**
   * Mute, camera, devices and screen share of the current call (our LocalMember in it); a new one
   * once a grown call took this one on.
   */
  get media(): CallMediaControls {
    return this.members.value.own;
  }

  // ---- user actions ---------------------------------------------------------------------

  async call(input: string, media: CallMedia): Promise<void> {
    if (this.view.value.kind !== 'idle') return;
    const username = input.trim().toLowerCase();
    const callId = crypto.randomUUID();
    const known = this.deps.knownPeer(username);
    this.apply({ type: 'dial', callId, peer: known ?? { username, displayName: username }, media });
    if (!Username.safeParse(username).success) {
      this.end(callId, 'unknown_user');
      return;
    }
    if (!known) void this.learnPeerName(callId, username);
    try {
      const engine = await this.startEngine(callId, media);
      if (!engine) return;
      const sdp = await engine.createOffer();
      const keyShare = await this.e2ee.offerShare(callId, sdp);
      if (!this.isCurrent(callId)) return;
      await this.deps.signaling.request('call.invite', {
        callId,
        to: username,
        media,
        sdp,
        keyShare,
      });
    } catch (error) {
      this.fail(callId, error);
    }
  }

  cancel(): void {
    const view = this.view.value;
    if (view.kind !== 'outgoing') return;
    this.deps.signaling.notify('call.cancel', { callId: view.callId });
    this.end(view.callId, 'cancelled');
  }

  async accept(requested: CallMedia): Promise<void> {
    const view = this.view.value;
    const invite = this.incoming;
    if (view.kind !== 'incoming' || invite?.message.callId !== view.callId) return;
    const { callId } = view;
    // An audio call's offer has no video section, so a camera would have nowhere to go.
    const media = view.media === 'audio' ? 'audio' : requested;
    const preconnecting = this.preconnecting;
    this.apply({ type: 'accepted', callId });
    this.restarts.connecting(callId);
    const early = preconnecting ? await preconnecting : null;
    if (!this.isCurrent(callId)) return;
    if (early && this.engine) return this.acceptPreconnected(callId, media, invite, early);
    try {
      const engine = await this.startEngine(callId, media);
      if (!engine) return;
      this.e2ee.start(engine.keyPort, 'callee', invite.keys, invite.message.from);
      const peerFingerprint = invite.message.keyShare.fingerprint;
      this.restarts.use({ callId, engine, offerer: false, polite: true, peerFingerprint });
      const sdp = await engine.answerOffer(invite.message.sdp);
      const keyShare = await invite.exchange.share(sdp);
      if (!this.isCurrent(callId)) return;
      this.deps.signaling.notify('call.accept', { callId, media, sdp, keyShare });
      engine.releaseLocalCandidates();
    } catch (error) {
      if (this.isCurrent(callId)) {
        this.deps.signaling.notify('call.decline', { callId, ...callFailureOf(error) });
      }
      this.fail(callId, error);
    }
  }

  /**
   * The user accepts a call that connected while it rang: the accept repeats the early answer,
   * and only the camera and microphone are left to open (the connection is already up).
   */
  private async acceptPreconnected(
    callId: string,
    media: CallMedia,
    invite: VerifiedInvite,
    early: EarlyAnswer,
  ): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const peerFingerprint = invite.message.keyShare.fingerprint;
    this.restarts.use({ callId, engine, offerer: false, polite: true, peerFingerprint });
    this.deps.signaling.notify('call.accept', { callId, media, ...early });
    this.connectHeld();
    this.showAnswered(callId, engine);
    try {
      await engine.openMedia(media);
      if (!this.isCurrent(callId)) return;
      this.attachMember(callId, engine);
      // Connected before the devices opened: a camera that failed is told now.
      this.announceMissingCamera();
    } catch (error) {
      this.hangUpAfter(callId, error);
    }
  }

  decline(): void {
    const view = this.view.value;
    if (view.kind !== 'incoming') return;
    this.deps.signaling.notify('call.decline', { callId: view.callId });
    this.end(view.callId, 'declined');
  }

  hangup(): void {
    const view = this.view.value;
    if (view.kind === 'outgoing') return this.cancel();
    if (view.kind !== 'connecting' && view.kind !== 'in_call') return;
    this.deps.signaling.notify('call.hangup', { callId: view.callId });
    this.end(view.callId, 'hangup');
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
    if (this.view.value.kind === 'incoming') await this.accept(media);
  }

  /**
   * Our camera in a call that had none from us (an audio call, or one answered with sound only):
   * the connection offers video again (call.offer, answered like an ICE restart's) and the peer
   * simply sees us, as in Signal; it can turn its own camera on the same way.
   */
  private async startVideo(): Promise<void> {
    const view = this.view.value;
    const engine = this.engine;
    if ((view.kind !== 'connecting' && view.kind !== 'in_call') || !engine) {
      throw new Error('video can be turned on only in a call');
    }
    // Grown: our camera is the group call's, which sends what this call was started with.
    if (this.activeCall?.heldBy('room')) throw new Error('the camera is the group call’s now');
    const sdp = await engine.startVideo();
    if (sdp !== null && this.isCurrent(view.callId) && this.engine === engine) {
      this.deps.signaling.notify('call.offer', { callId: view.callId, sdp });
    }
  }

  /**
   * The answered call under way, for it to grow into a group call (null: none). Our slot is 0
   * as its caller, 1 as its callee; the peer is the device our keys were agreed with.
   */
  growable(): GrowingCall | null {
    const view = this.view.value;
    const peerDevice = this.e2ee.peerDevice;
    const activeCall = this.activeCall;
    if (view.kind !== 'in_call' || !this.engine || !activeCall || !peerDevice) return null;
    const { callId } = view;
    const engine = this.engine;
    const caller = view.direction === 'outgoing';
    const current = () => this.isCurrent(callId) && this.engine === engine;
    return {
      callId,
      media: view.media,
      ownSlot: caller ? 0 : 1,
      peer: {
        slot: caller ? 1 : 0,
        user: view.peer,
        deviceId: peerDevice.deviceId,
        identity: peerDevice.identity,
      },
      activeCall,
      detach: () => {
        if (current()) this.release(callId, { type: 'grown', callId });
      },
      hangUp: () => {
        if (current()) this.hangup();
      },
    };
  }

  dismissNotice(): void {
    this.noticeDismissed.value = this.machine.value.lastEnded?.callId ?? null;
  }

  // ---- server notifications -------------------------------------------------------------

  /** Resolves once the invite rang or was refused. */
  onInvite(message: ServerMessageOf<'call.invite'>): Promise<void> {
    const view = this.view.value;
    // Glare: we were calling them while they called us; the server let their call through.
    if (view.kind === 'outgoing' && view.peer.username === message.from.username) {
      this.end(view.callId, 'glare');
    }
    const talking = view.kind === 'connecting' || view.kind === 'in_call';
    if (talking) return this.waiting.arrive(message);
    if (this.view.value.kind !== 'idle' || this.verifyingInvite) return Promise.resolve();
    this.verifyingInvite = message.callId;
    return this.verifyInvite(message);
  }

  /** Rings only for a caller that passes verification; otherwise declines with identity_failed. */
  private async verifyInvite(message: ServerMessageOf<'call.invite'>): Promise<void> {
    const { callId, from } = message;
    let verified: VerifiedInvite | null = null;
    let failure: unknown = null;
    try {
      verified = await this.e2ee.verifyInvite(message);
    } catch (error) {
      failure = error;
    }
    if (this.verifyingInvite !== callId) return; // cancelled or timed out meanwhile
    this.verifyingInvite = null;
    if (this.view.value.kind !== 'idle') return;
    const peer = { username: from.username, displayName: from.displayName };
    this.apply({ type: 'invited', callId, peer, media: message.media });
    if (!verified) {
      this.deps.signaling.notify('call.decline', { callId, reason: 'identity_failed' });
      this.end(callId, 'identity_failed', describe(failure));
      return;
    }
    this.deps.signaling.notify('call.ringing', { callId });
    this.ring(verified);
  }

  /** A verified invite rings: shown on the incoming screen, connecting while it rings. */
  private ring(verified: VerifiedInvite): void {
    this.incoming = verified;
    this.preconnecting = this.preconnect(verified);
  }

  /** The call that waited rings now that the one we talked in is over. */
  private ringWaiting({ invite, candidates }: TakenWaitingCall): void {
    const { callId, from, media } = invite.message;
    const peer = { username: from.username, displayName: from.displayName };
    if (!this.apply({ type: 'invited', callId, peer, media })) return;
    this.earlyCandidates = candidates;
    this.ring(invite);
  }

  /**
   * Callee: connects while it rings ("Connecting while it rings"): answers the offer sending
   * nothing, with the keys already agreed, and sends that answer and our share as
   * call.preconnect. Null when this call does not pre-connect or that failed: accepting then
   * connects as before.
   */
  private async preconnect(invite: VerifiedInvite): Promise<EarlyAnswer | null> {
    const { callId, from } = invite.message;
    // The camera and microphone open only once the user accepts (acceptPreconnected).
    const local = LocalMedia.empty(this.localEvents(callId));
    const engine =
      this.deps.preconnectEngine?.(from.username, local, this.engineEvents(callId)) ?? null;
    if (!engine) {
      local.close();
      return null;
    }
    this.engine = engine;
    this.activeCall = this.holdCall(local);
    this.awaitingTaken = true;
    try {
      this.e2ee.start(engine.keyPort, 'callee', invite.keys, invite.message.from);
      const sdp = await engine.answerOfferHeld(invite.message.sdp);
      const keyShare = await invite.exchange.share(sdp);
      if (!this.isCurrent(callId) || this.engine !== engine) return null;
      this.deps.signaling.notify('call.preconnect', { callId, sdp, keyShare });
      engine.releaseLocalCandidates();
      return { sdp, keyShare };
    } catch (error) {
      console.warn('parley: could not connect while ringing', error);
      if (this.engine === engine) {
        engine.close();
        this.engine = null;
        this.activeCall?.letGo('pair');
        this.activeCall = null;
        this.awaitingTaken = false;
      }
      return null;
    }
  }

  /** Callee: the caller took this device's early answer; connect to it now. */
  onPreconnected(message: ServerMessageOf<'call.preconnected'>): void {
    if (this.isCurrent(message.callId)) this.connectHeld();
  }

  /** Callee: applies the caller's candidates held while our early answer was not yet taken. */
  private connectHeld(): void {
    const engine = this.engine;
    if (!this.awaitingTaken || !engine) return;
    this.awaitingTaken = false;
    for (const candidate of this.earlyCandidates) engine.addRemoteCandidate(candidate);
    this.earlyCandidates = [];
  }

  onRinging(message: ServerMessageOf<'call.ringing'>): void {
    this.apply({ type: 'ringing', callId: message.callId });
  }

  /**
   * Caller: a ringing device answered early. The first that passes every check (exactly as an
   * accept) connects now, provisionally and sending nothing; the others' candidates are kept.
   */
  onPreconnect(message: ServerMessageOf<'call.preconnect'>): Promise<void> {
    const view = this.view.value;
    const engine = this.engine;
    if (view.kind !== 'outgoing' || view.callId !== message.callId || !engine) {
      return Promise.resolve();
    }
    if (!this.earlyAnswers.claim()) return Promise.resolve();
    const taking = this.takeEarlyAnswer(view.peer.username, message, engine);
    this.takingEarly = taking;
    return taking;
  }

  private async takeEarlyAnswer(
    peerUsername: string,
    message: ServerMessageOf<'call.preconnect'>,
    engine: CallEngine,
  ): Promise<void> {
    let keys: CallBaseKeys;
    try {
      keys = await this.e2ee.verifyAccept(peerUsername, message);
    } catch (error) {
      // Not this device's answer: the call rings on, and its accept would fail the same checks.
      console.warn('parley: early answer refused', error);
      this.earlyAnswers.release();
      return;
    }
    const { callId } = message;
    if (!this.isCurrent(callId) || this.engine !== engine) return;
    try {
      this.e2ee.receiveEarly(engine.keyPort, keys);
      await engine.applyProvisionalAnswer(message.sdp);
      const candidates = this.earlyAnswers.take(message, keys);
      this.deps.signaling.notify('call.preconnected', { callId, deviceId: message.deviceId });
      for (const candidate of candidates) engine.addRemoteCandidate(candidate);
      engine.releaseLocalCandidates();
    } catch (error) {
      this.hangUpAfter(callId, error);
    }
  }

  async onAccept(message: ServerMessageOf<'call.accept'>): Promise<void> {
    await this.takingEarly;
    const view = this.view.value;
    const engine = this.engine;
    if (view.kind !== 'outgoing' || view.callId !== message.callId || !engine) return;
    const { callId } = view;
    const early = this.earlyAnswers.repeatsTaken(message);
    let keys: CallBaseKeys;
    try {
      if (early === 'changed') throw new Error('the answer differs from its early answer');
      // The answer is applied only after the callee passed every check. An accept that repeats
      // the early answer taken passed them when that came (checking again would see a replay).
      const taken = this.earlyAnswers.takenAnswer;
      keys =
        early === 'same' && taken
          ? taken.keys
          : await this.e2ee.verifyAccept(view.peer.username, message);
    } catch (error) {
      this.refuseIdentity(callId, error);
      return;
    }
    if (!this.isCurrent(callId)) return;
    this.apply({ type: 'accepted', callId });
    this.restarts.connecting(callId);
    this.peer.answeredWithVideo(message.media === 'video');
    const preconnected = this.earlyAnswers.takenAnswer !== null;
    try {
      this.e2ee.start(engine.keyPort, 'caller', keys, message, early === 'same');
      const peerFingerprint = message.keyShare.fingerprint;
      this.restarts.use({ callId, engine, offerer: true, polite: false, peerFingerprint });
      await engine.applyAnswer(message.sdp);
      if (early === 'other_device') {
        for (const candidate of this.earlyAnswers.candidatesOf(message.deviceId)) {
          engine.addRemoteCandidate(candidate);
        }
      }
      engine.releaseLocalCandidates();
      if (preconnected) await engine.releaseMedia();
      if (this.isCurrent(callId)) this.showAnswered(callId, engine);
    } catch (error) {
      this.hangUpAfter(callId, error);
    }
  }

  onDecline(message: ServerMessageOf<'call.decline'>): void {
    if (this.waiting.ended(message.callId, 'declined')) return;
    // A reason is the callee's, for the caller; on another device of the callee it was declined.
    const caller = this.view.value.kind === 'outgoing';
    this.end(message.callId, caller && message.reason ? `peer_${message.reason}` : 'declined');
  }

  onBusy(message: ServerMessageOf<'call.busy'>): void {
    this.end(message.callId, 'busy');
  }

  onCancel(message: ServerMessageOf<'call.cancel'>): void {
    const elsewhere = message.reason === 'answered_elsewhere';
    if (this.waiting.ended(message.callId, elsewhere ? 'answered_elsewhere' : 'missed')) return;
    this.end(
      message.callId,
      message.reason === 'answered_elsewhere' ? 'answered_elsewhere' : 'missed',
    );
  }

  onTimeout(message: ServerMessageOf<'call.timeout'>): void {
    if (this.waiting.ended(message.callId, 'missed')) return;
    const view = this.view.value;
    if (view.kind === 'idle') return;
    this.end(message.callId, view.direction === 'outgoing' ? 'no_answer' : 'missed');
  }

  onHangup(message: ServerMessageOf<'call.hangup'>): void {
    const { reason } = message;
    this.end(
      message.callId,
      reason === 'hangup'
        ? 'remote_hangup'
        : reason === 'connection_lost'
          ? 'connection_lost'
          : `peer_${reason}`,
    );
  }

  onIce(message: ServerMessageOf<'call.ice'>): void {
    if (this.waiting.keepCandidate(message.callId, message.candidate)) return;
    if (!this.isCurrent(message.callId)) return;
    // A pre-connecting device's candidate: only the device whose early answer we took counts now.
    const { deviceId } = message;
    if (deviceId !== undefined && !this.earlyAnswers.onCandidate(deviceId, message.candidate)) {
      return;
    }
    if (this.engine && !this.awaitingTaken) this.engine.addRemoteCandidate(message.candidate);
    else this.earlyCandidates.push(message.candidate);
  }

  onMedia(message: ServerMessageOf<'call.media'>): void {
    if (!this.isCurrent(message.callId)) return;
    this.peer.said(message);
  }

  /** The peer asks us to move our sending key to a new epoch. */
  onRekey(message: ServerMessageOf<'call.rekey'>): void {
    if (this.isCurrent(message.callId)) this.e2ee.onRekey();
  }

  /** The peer tells us whether its own network is poor. */
  onQuality(message: ServerMessageOf<'call.quality'>): void {
    this.quality.onPeerReport(message.callId, message.poor);
  }

  /** An ICE restart offer from the peer (or another renegotiation). */
  onOffer(message: ServerMessageOf<'call.offer'>): Promise<void> {
    return this.restarts.onOffer(message);
  }

  onAnswer(message: ServerMessageOf<'call.answer'>): Promise<void> {
    return this.restarts.onAnswer(message);
  }

  /** The peer answered our connection's offer and asks us to restart ICE. */
  onRestart(message: ServerMessageOf<'call.restart'>): void {
    this.restarts.onRestart(message);
  }

  /** The other party lost its connection (reload, restart) and comes back into the call. */
  onRejoin(message: ServerMessageOf<'call.rejoin'>): Promise<void> {
    return this.rejoins.onRejoin(message);
  }

  /** The other party answered our rejoin. */
  onRejoined(message: ServerMessageOf<'call.rejoined'>): Promise<void> {
    return this.rejoins.onRejoined(message);
  }

  onCallError(message: ServerMessageOf<'error'>): void {
    if (!message.callId || !fatalCallErrors.has(message.code)) {
      console.warn(`parley: server error ${message.code}: ${message.message}`);
      return;
    }
    if (this.waiting.ended(message.callId, 'missed')) return;
    console.warn(`parley: call ended by server error ${message.code}: ${message.message}`);
    this.end(message.callId, endReasonForError(message.code), callErrorText(message.code));
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
    if (view.kind !== 'idle') this.end(view.callId, 'connection_lost');
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
      if (!streamResumed) this.end(view.callId, 'missed');
    } else if (view.kind !== 'connecting' || view.direction === 'outgoing') {
      this.end(view.callId, 'connection_lost');
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private apply(event: CallEvent): boolean {
    const before = this.machine.value;
    const after = nextCallState(before, event);
    if (after === before) return false;
    this.machine.value = after;
    return true;
  }

  /** Still ringing (either side): a connection made meanwhile shows and plays nothing yet. */
  private isRinging(callId: string): boolean {
    const view = this.view.value;
    return (view.kind === 'outgoing' || view.kind === 'incoming') && view.callId === callId;
  }

  /**
   * The call was answered: the peer's media shows, and the state its connection reached while
   * ringing counts now (connected: the call is on; failed: recovery starts).
   */
  private showAnswered(callId: string, engine: CallEngine): void {
    if (this.pendingRemote) this.peer.showStream(this.pendingRemote);
    const state = engine.connectionState;
    if (state !== 'new') this.onConnectionState(callId, state);
  }

  private isCurrent(callId: string): boolean {
    const view = this.view.value;
    return view.kind !== 'idle' && view.callId === callId;
  }

  /** Opens media for the call; null when the call ended meanwhile (the engine is closed then). */
  private async startEngine(callId: string, media: CallMedia): Promise<CallEngine | null> {
    const local = await this.deps.openMedia(media, this.localEvents(callId));
    if (!this.isCurrent(callId)) {
      local.close();
      return null;
    }
    const engine = this.deps.openEngine(media, local, this.engineEvents(callId));
    this.engine = engine;
    this.activeCall = this.holdCall(local);
    this.attachMember(callId, engine);
    for (const candidate of this.earlyCandidates) engine.addRemoteCandidate(candidate);
    this.earlyCandidates = [];
    return engine;
  }

  private engineEvents(callId: string): CallEngineEvents {
    return {
      localCandidate: (candidate) => {
        if (this.isCurrent(callId)) this.deps.signaling.notify('call.ice', { callId, candidate });
      },
      e2eeCounts: (counts) => {
        if (this.isCurrent(callId)) this.peer.framesCounted('p2p', counts, this.deps.now());
      },
      remoteStream: (stream) => {
        if (!this.isCurrent(callId)) return;
        this.pendingRemote = stream;
        if (!this.isRinging(callId)) this.peer.showStream(stream);
      },
      connectionState: (state) => {
        // Only the connection that carries the call: a retiring one's end is no end of the call.
        if (!this.isCurrent(callId) || this.activeCall?.paths.carries('p2p') === false) return;
        this.connectionState.value = state;
        // Connected while it rings: the call itself starts when it is answered (showAnswered).
        if (!this.isRinging(callId)) this.onConnectionState(callId, state);
      },
    };
  }

  /** A call of two hears only of its tracks' ends: what it sends the peer is told by its members. */
  private localEvents(callId: string): LocalMediaEvents {
    return {
      trackEnded: (kind) => {
        if (this.isCurrent(callId)) this.deps.onLocalTrackEnded?.(kind);
      },
      changed: () => {},
    };
  }

  /**
   * The current call's members and `local`, held by this pair layer until the call ends here, its
   * peer-to-peer connection ours to drive until the SFU takes a grown call over.
   */
  private holdCall(local: LocalMedia): ActiveCall {
    const activeCall = new ActiveCall(this.members.value, local);
    activeCall.hold('pair');
    activeCall.paths.p2pRetires(() => {
      if (this.activeCall !== activeCall) return;
      this.restarts.reset();
      this.quality.stop();
    });
    return activeCall;
  }

  /** The call's connection changed state (once answered: see engineEvents). */
  private onConnectionState(callId: string, state: RTCPeerConnectionState): void {
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

  /** A new member for the next call: the last one went on with the group call it grew into. */
  private newMember(): CallMediaControls {
    return new CallMediaControls(() => this.startVideo());
  }

  /** Our member drives `engine` now; the peer hears what we send as call.media. */
  private attachMember(callId: string, engine: CallEngine): void {
    this.activeCall?.attachPair(engine, (state) => {
      if (this.isCurrent(callId)) this.deps.signaling.notify('call.media', { callId, ...state });
    });
  }

  /** A camera that could not be opened shows to the peer as a camera that is off. */
  private announceMissingCamera(): void {
    this.members.value.announceMissingCamera();
  }

  private rejoinLiveCall(calls: readonly LiveCall[]): void {
    // A call on the SFU is the group call's to rejoin; one that grew but is still on p2p runs
    // over its 1:1 connection, which is rejoined here first.
    const live = calls.find(rejoinsOneToOne);
    if (!live || this.verifyingInvite) return;
    // Ended here while the server had not heard yet (a hang-up waiting in the outbox).
    if (this.machine.value.lastEnded?.callId === live.callId) return;
    void this.rejoins.rejoin(live);
  }

  /** The peer failed verification: hang up, and say why. */
  private refuseIdentity(callId: string, error: unknown): void {
    if (!this.isCurrent(callId)) return;
    // Before it connected the call never went ahead: it failed. Later (a rejoin or a restarted
    // connection that does not verify) it ends as a call that was had, cut short.
    const reason = this.view.value.kind === 'in_call' ? {} : { reason: 'identity_failed' as const };
    this.deps.signaling.notify('call.hangup', { callId, ...reason });
    this.end(callId, 'identity_failed', describe(error));
  }

  /** Setting up the call's media failed after the call was answered: it cannot go on. */
  private hangUpAfter(callId: string, error: unknown): void {
    if (this.isCurrent(callId)) {
      this.deps.signaling.notify('call.hangup', { callId, ...callFailureOf(error) });
    }
    this.fail(callId, error);
  }

  private async learnPeerName(callId: string, username: string): Promise<void> {
    const peer = await this.deps.lookupPeer(username).catch(() => null);
    if (peer && peer.displayName !== username) {
      this.apply({ type: 'peer_renamed', callId, displayName: peer.displayName });
    }
  }

  private fail(callId: string, error: unknown): void {
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

  private end(
    callId: string,
    reason: CallEndReason,
    detail?: string,
    failedInput: MediaProblem | null = null,
  ): void {
    if (this.verifyingInvite === callId) this.verifyingInvite = null;
    if (!this.isCurrent(callId)) return;
    this.failedInput.value = failedInput;
    const event: CallEvent = { type: 'ended', callId, reason, at: this.deps.now() };
    if (detail !== undefined) event.detail = detail;
    this.release(callId, event);
    this.deps.onCallEnded();
    const waiting = this.waiting.take();
    if (waiting) this.ringWaiting(waiting);
  }

  /** The call's connection and everything of it goes; `event` says how the call left the screen. */
  private release(callId: string, event: CallEvent): void {
    this.engine?.close();
    this.engine = null;
    // Over here: its camera and microphone stop, unless the group call it grew into goes on.
    const call = this.activeCall;
    call?.letGo('pair');
    this.activeCall = null;
    this.incoming = null;
    this.rejoins.reset();
    this.restarts.reset();
    this.e2ee.reset();
    this.earlyCandidates = [];
    this.awaitingTaken = false;
    this.preconnecting = null;
    this.earlyAnswers.reset();
    this.takingEarly = null;
    this.pendingRemote = null;
    this.clock.stop();
    this.quality.stop();
    // A grown call's members may go on in its group call: the next call has a pair of its own.
    const ownGoesOn = call?.heldBy('room') ?? false;
    this.members.value = this.members.value.next(ownGoesOn, () => this.newMember());
    this.connectionState.value = 'new';
    this.apply(event);
  }
}
