import type { CallMedia, ServerMessageOf } from '../../protocol';
import type { CallEngine, CallEngineEvents, IceCandidateWire } from '../call/CallEngine';
import { LocalMedia, type LocalMediaEvents } from '../call/LocalMedia';
import { ActiveCall } from './ActiveCall';
import { EarlyAnswers } from './EarlyAnswers';
import type { PairCall } from './PairCall';

/**
 * The current 1:1 call's connection: its CallEngine, the ActiveCall this pair layer holds over it
 * (members and local media), the peer's candidates that wait for it, and the peer's media that
 * waits for the answer before it shows or plays.
 */
export class CallConnection {
  private current: CallEngine | null = null;
  /** The current call's members and its one local media, while it has them (see ActiveCall). */
  private held: ActiveCall | null = null;
  private earlyCandidates: (IceCandidateWire | null)[] = [];
  /**
   * Callee: pre-connected, but the caller has not taken our early answer yet. The caller's
   * candidates wait meanwhile, so that two of our devices never connect to its one connection.
   */
  private awaitingTaken = false;
  /** Caller: which ringing device's early answer the connection took. */
  readonly earlyAnswers = new EarlyAnswers();
  /** The peer's media, kept from the screens (unheard, unseen) until the call is answered. */
  private pendingRemote: MediaStream | null = null;

  constructor(private readonly call: PairCall) {}

  get engine(): CallEngine | null {
    return this.current;
  }

  get activeCall(): ActiveCall | null {
    return this.held;
  }

  /** Opens media for the call; null when the call ended meanwhile (the engine is closed then). */
  async open(callId: string, media: CallMedia): Promise<CallEngine | null> {
    const { deps } = this.call;
    const local = await deps.openMedia(media, this.localEvents(callId));
    if (!this.call.isCurrent(callId)) {
      local.close();
      return null;
    }
    const engine = deps.openEngine(media, local, this.events(callId));
    this.current = engine;
    this.held = this.hold(local);
    this.attachMember(callId, engine);
    for (const candidate of this.earlyCandidates) engine.addRemoteCandidate(candidate);
    this.earlyCandidates = [];
    return engine;
  }

  /**
   * Callee: a connection that connects while the call rings, sending nothing (the camera and
   * microphone open once the user accepts); null when this call does not pre-connect.
   */
  preconnect(callId: string, peerUsername: string): CallEngine | null {
    const local = LocalMedia.empty(this.localEvents(callId));
    const engine =
      this.call.deps.preconnectEngine?.(peerUsername, local, this.events(callId)) ?? null;
    if (!engine) {
      local.close();
      return null;
    }
    this.current = engine;
    this.held = this.hold(local);
    this.awaitingTaken = true;
    return engine;
  }

  /** Callee: pre-connecting failed; accepting connects as before. */
  dropPreconnected(engine: CallEngine): void {
    if (this.current !== engine) return;
    engine.close();
    this.current = null;
    this.held?.letGo('pair');
    this.held = null;
    this.awaitingTaken = false;
  }

  /** Callee: applies the caller's candidates held while our early answer was not yet taken. */
  connectHeld(): void {
    const engine = this.current;
    if (!this.awaitingTaken || !engine) return;
    this.awaitingTaken = false;
    for (const candidate of this.earlyCandidates) engine.addRemoteCandidate(candidate);
    this.earlyCandidates = [];
  }

  /** Callee: the candidates a call that waited gathered, for the connection it rings with now. */
  keepCandidates(candidates: (IceCandidateWire | null)[]): void {
    this.earlyCandidates = candidates;
  }

  /** A candidate of the peer: applied now, or kept until the connection may take it. */
  onIce(message: ServerMessageOf<'call.ice'>): void {
    if (this.call.waiting.keepCandidate(message.callId, message.candidate)) return;
    if (!this.call.isCurrent(message.callId)) return;
    // A pre-connecting device's candidate: only the device whose early answer we took counts now.
    const { deviceId } = message;
    if (deviceId !== undefined && !this.earlyAnswers.onCandidate(deviceId, message.candidate)) {
      return;
    }
    if (this.current && !this.awaitingTaken) this.current.addRemoteCandidate(message.candidate);
    else this.earlyCandidates.push(message.candidate);
  }

  /** Our member drives `engine` now; the peer hears what we send as call.media. */
  attachMember(callId: string, engine: CallEngine): void {
    this.held?.attachPair(engine, (state) => {
      if (this.call.isCurrent(callId)) {
        this.call.deps.signaling.notify('call.media', { callId, ...state });
      }
    });
  }

  /**
   * The call was answered: the peer's media shows, and the state its connection reached while
   * ringing counts now (connected: the call is on; failed: recovery starts).
   */
  showAnswered(callId: string, engine: CallEngine): void {
    if (this.pendingRemote) this.call.peer.showStream(this.pendingRemote);
    const state = engine.connectionState;
    if (state !== 'new') this.call.connectionChanged(callId, state);
  }

  /** Closes the connection and lets go of the call; returns the call let go (null: none). */
  close(): ActiveCall | null {
    const call = this.held;
    this.current?.close();
    this.current = null;
    call?.letGo('pair');
    this.held = null;
    this.earlyCandidates = [];
    this.awaitingTaken = false;
    this.earlyAnswers.reset();
    this.pendingRemote = null;
    return call;
  }

  private events(callId: string): CallEngineEvents {
    const call = this.call;
    return {
      localCandidate: (candidate) => {
        if (call.isCurrent(callId)) call.deps.signaling.notify('call.ice', { callId, candidate });
      },
      e2eeCounts: (counts) => {
        if (call.isCurrent(callId)) call.peer.framesCounted('p2p', counts, call.deps.now());
      },
      remoteStream: (stream) => {
        if (!call.isCurrent(callId)) return;
        this.pendingRemote = stream;
        if (!call.isRinging(callId)) call.peer.showStream(stream);
      },
      connectionState: (state) => {
        // Only the connection that carries the call: a retiring one's end is no end of the call.
        if (!call.isCurrent(callId) || this.held?.paths.carries('p2p') === false) return;
        call.connectionState.value = state;
        // Connected while it rings: the call itself starts when it is answered (showAnswered).
        if (!call.isRinging(callId)) call.connectionChanged(callId, state);
      },
    };
  }

  /** A call of two hears only of its tracks' ends: what it sends the peer is told by its members. */
  private localEvents(callId: string): LocalMediaEvents {
    return {
      trackEnded: (kind) => {
        if (this.call.isCurrent(callId)) this.call.deps.onLocalTrackEnded?.(kind);
      },
      changed: () => {},
    };
  }

  /**
   * The current call's members and `local`, held by this pair layer until the call ends here, its
   * peer-to-peer connection ours to drive until the SFU takes a grown call over.
   */
  private hold(local: LocalMedia): ActiveCall {
    const activeCall = new ActiveCall(this.call.members.value, local);
    activeCall.hold('pair');
    activeCall.paths.p2pRetires(() => {
      if (this.held !== activeCall) return;
      this.call.restarts.reset();
      this.call.quality.stop();
    });
    return activeCall;
  }
}
