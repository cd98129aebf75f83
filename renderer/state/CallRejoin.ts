import type { CallMedia, CallRole, LiveCall, ServerMessageOf } from '../../protocol';
import type { CallEngine } from '../call/CallEngine';
import type { CallBaseKeys } from '../keys/keyDerivation';
import type { SignalingClient } from '../signaling/SignalingClient';
import type { CallEncryption, VerifiedRejoin } from './CallEncryption';
import type { CallView } from './callStateMachine';
import type { IceRestarts } from './IceRestarts';

/** A call under way, as the controller has it. */
export type LiveView = Extract<CallView, { kind: 'connecting' | 'in_call' }>;

/** What a rejoin needs of the controller of the current call. */
export interface RejoinHost {
  signaling: Pick<SignalingClient, 'notify'>;
  e2ee: Pick<CallEncryption, 'offerShare' | 'verifyAccept' | 'verifyRejoin' | 'start'>;
  restarts: Pick<IceRestarts, 'newConnection' | 'use'>;
  /** Tells the peer what we send again (call.media): the new connection may have missed it. */
  tellPeer(): void;
  /** This call under way and its engine, while it is the current call. */
  current(callId: string): { view: LiveView; engine: CallEngine } | null;
  /** Shows the call again at once, its timer counting from the answer. */
  enter(live: LiveCall): void;
  /** Opens media for the call; null when the call ended meanwhile. */
  startEngine(callId: string, media: CallMedia): Promise<CallEngine | null>;
  /** The peer failed verification: hang up and say why. */
  refuseIdentity(callId: string, error: unknown): void;
  /** Setting up media failed: hang up and say why. */
  hangUpAfter(callId: string, error: unknown): void;
  /** The other party came back (its call.rejoin verified): it holds none of its old keys. */
  peerRejoined(callId: string): void;
  /** Our rejoin was answered and applied: the call is ours again, with its peer verified. */
  rejoined(callId: string): void;
}

/**
 * Both ends of a rejoin. The device that lost its peer connection (page reload, app restart)
 * comes back with new media, a new offer and a new key share in the role it has in the call
 * (call.rejoin); the other party verifies that share exactly like a new call's, builds a new
 * connection over its own media and answers (call.rejoined), which the rejoiner verifies like an
 * accept. Resent duplicates change nothing.
 */
export class CallRejoin {
  /** The call this device rejoined, until the other party's call.rejoined is applied. */
  private awaitingRejoined: string | null = null;
  /** The last call.rejoin answered: a resent duplicate must not rebuild the connection again. */
  private lastRejoinSdp: string | null = null;

  constructor(private readonly host: RejoinHost) {}

  /** Back into a call that went on without this device. */
  async rejoin(live: LiveCall): Promise<void> {
    const { callId, role, media } = live;
    const host = this.host;
    host.enter(live);
    host.restarts.newConnection(callId);
    try {
      const engine = await host.startEngine(callId, media);
      if (!engine) return;
      const sdp = await engine.createOffer();
      const keyShare = await host.e2ee.offerShare(callId, sdp, role);
      if (!host.current(callId)) return;
      this.awaitingRejoined = callId;
      host.signaling.notify('call.rejoin', { callId, sdp, keyShare });
      host.tellPeer();
    } catch (error) {
      host.hangUpAfter(callId, error);
    }
  }

  /** The other party comes back: verified like a new call, then a new connection answers it. */
  async onRejoin(message: ServerMessageOf<'call.rejoin'>): Promise<void> {
    const { callId } = message;
    const host = this.host;
    const current = host.current(callId);
    if (!current || message.sdp === this.lastRejoinSdp) return;
    this.lastRejoinSdp = message.sdp;
    const { view, engine } = current;
    const role = roleIn(view);
    let rejoin: VerifiedRejoin;
    try {
      rejoin = await host.e2ee.verifyRejoin(role, view.peer.username, message);
    } catch (error) {
      host.refuseIdentity(callId, error);
      return;
    }
    if (host.current(callId)?.engine !== engine) return;
    host.peerRejoined(callId);
    try {
      engine.newConnection();
      host.restarts.newConnection(callId);
      host.e2ee.start(engine.keyPort, role, rejoin.keys, message);
      const peerFingerprint = message.keyShare.fingerprint;
      const polite = role === 'callee';
      host.restarts.use({ callId, engine, offerer: false, polite, peerFingerprint });
      const sdp = await engine.answerOffer(message.sdp);
      const keyShare = await rejoin.exchange.share(sdp);
      if (!host.current(callId)) return;
      host.signaling.notify('call.rejoined', { callId, sdp, keyShare });
      engine.releaseLocalCandidates();
      host.tellPeer();
    } catch (error) {
      host.hangUpAfter(callId, error);
    }
  }

  /** The other party answered our rejoin: verified like an accept, then applied. */
  async onRejoined(message: ServerMessageOf<'call.rejoined'>): Promise<void> {
    const { callId } = message;
    const host = this.host;
    const current = host.current(callId);
    if (this.awaitingRejoined !== callId || !current) return;
    this.awaitingRejoined = null;
    const { view, engine } = current;
    let keys: CallBaseKeys;
    try {
      keys = await host.e2ee.verifyAccept(view.peer.username, message);
    } catch (error) {
      host.refuseIdentity(callId, error);
      return;
    }
    if (!host.current(callId)) return;
    const role = roleIn(view);
    try {
      host.e2ee.start(engine.keyPort, role, keys, message);
      const peerFingerprint = message.keyShare.fingerprint;
      const polite = role === 'callee';
      host.restarts.use({ callId, engine, offerer: true, polite, peerFingerprint });
      await engine.applyAnswer(message.sdp);
      engine.releaseLocalCandidates();
    } catch (error) {
      host.hangUpAfter(callId, error);
      return;
    }
    if (host.current(callId)) host.rejoined(callId);
  }

  /** The call ended. */
  reset(): void {
    this.awaitingRejoined = null;
    this.lastRejoinSdp = null;
  }
}

/** This device's role in the call: the one its key shares sign. */
function roleIn(view: LiveView): CallRole {
  return view.direction === 'outgoing' ? 'caller' : 'callee';
}
