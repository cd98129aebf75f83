import type { CallMedia, KeyShare, ServerMessageOf } from '../../protocol';
import type { VerifiedInvite } from './CallEncryption';
import { callFailureOf, describe } from './callFailure';
import type { TakenWaitingCall } from './CallWaiting';
import type { PairCall } from './PairCall';

/** What a callee sent in call.preconnect, which its call.accept repeats. */
interface EarlyAnswer {
  sdp: string;
  keyShare: KeyShare;
}

/**
 * The callee's side of a 1:1 call: an invite is verified before it may ring (or wait, while we
 * talk in another call), connects while it rings, and is accepted or declined here, or ends as
 * the caller or the server says (cancelled, answered on another device of ours).
 */
export class IncomingCall {
  /** The verified invite that rings, until the call ends. */
  private invite: VerifiedInvite | null = null;
  /** The invite being verified, before it may ring. */
  private verifying: string | null = null;
  /** The early answer being sent while it rings, which the accept then repeats. */
  private preconnecting: Promise<EarlyAnswer | null> | null = null;

  constructor(private readonly call: PairCall) {}

  /** An invite is being verified: no other call may ring or be rejoined meanwhile. */
  get isVerifying(): boolean {
    return this.verifying !== null;
  }

  /** A call ends: an invite still being verified for it will not ring. */
  ending(callId: string): void {
    if (this.verifying === callId) this.verifying = null;
  }

  /** The call ended: nothing rings any more. */
  reset(): void {
    this.invite = null;
    this.preconnecting = null;
  }

  /** Resolves once the invite rang or was refused. */
  onInvite(message: ServerMessageOf<'call.invite'>): Promise<void> {
    const call = this.call;
    const view = call.view.value;
    // Glare: we were calling them while they called us; the server let their call through.
    if (view.kind === 'outgoing' && view.peer.username === message.from.username) {
      call.end(view.callId, 'glare');
    }
    const talking = view.kind === 'connecting' || view.kind === 'in_call';
    if (talking) return call.waiting.arrive(message);
    if (call.view.value.kind !== 'idle' || this.verifying) return Promise.resolve();
    this.verifying = message.callId;
    return this.verify(message);
  }

  /** The caller took this device's early answer; connect to it now. */
  onPreconnected(message: ServerMessageOf<'call.preconnected'>): void {
    if (this.call.isCurrent(message.callId)) this.call.connection.connectHeld();
  }

  onCancel(message: ServerMessageOf<'call.cancel'>): void {
    const elsewhere = message.reason === 'answered_elsewhere';
    if (this.call.waiting.ended(message.callId, elsewhere ? 'answered_elsewhere' : 'missed'))
      return;
    this.call.end(
      message.callId,
      message.reason === 'answered_elsewhere' ? 'answered_elsewhere' : 'missed',
    );
  }

  async accept(requested: CallMedia): Promise<void> {
    const call = this.call;
    const view = call.view.value;
    const invite = this.invite;
    if (view.kind !== 'incoming' || invite?.message.callId !== view.callId) return;
    const { callId } = view;
    // An audio call's offer has no video section, so a camera would have nowhere to go.
    const media = view.media === 'audio' ? 'audio' : requested;
    const preconnecting = this.preconnecting;
    call.apply({ type: 'accepted', callId });
    call.restarts.connecting(callId);
    const early = preconnecting ? await preconnecting : null;
    if (!call.isCurrent(callId)) return;
    if (early && call.connection.engine)
      return this.acceptPreconnected(callId, media, invite, early);
    try {
      const engine = await call.connection.open(callId, media);
      if (!engine) return;
      call.e2ee.start(engine.keyPort, 'callee', invite.keys, invite.message.from);
      const peerFingerprint = invite.message.keyShare.fingerprint;
      call.restarts.use({ callId, engine, offerer: false, polite: true, peerFingerprint });
      const sdp = await engine.answerOffer(invite.message.sdp);
      const keyShare = await invite.exchange.share(sdp);
      if (!call.isCurrent(callId)) return;
      call.deps.signaling.notify('call.accept', { callId, media, sdp, keyShare });
      engine.releaseLocalCandidates();
    } catch (error) {
      if (call.isCurrent(callId)) {
        call.deps.signaling.notify('call.decline', { callId, ...callFailureOf(error) });
      }
      call.fail(callId, error);
    }
  }

  decline(): void {
    const view = this.call.view.value;
    if (view.kind !== 'incoming') return;
    this.call.deps.signaling.notify('call.decline', { callId: view.callId });
    this.call.end(view.callId, 'declined');
  }

  /** The call that waited rings now that the one we talked in is over. */
  ringWaiting({ invite, candidates }: TakenWaitingCall): void {
    const { callId, from, media } = invite.message;
    const peer = { username: from.username, displayName: from.displayName };
    if (!this.call.apply({ type: 'invited', callId, peer, media })) return;
    this.call.connection.keepCandidates(candidates);
    this.ring(invite);
  }

  /** Rings only for a caller that passes verification; otherwise declines with identity_failed. */
  private async verify(message: ServerMessageOf<'call.invite'>): Promise<void> {
    const call = this.call;
    const { callId, from } = message;
    let verified: VerifiedInvite | null = null;
    let failure: unknown = null;
    try {
      verified = await call.e2ee.verifyInvite(message);
    } catch (error) {
      failure = error;
    }
    if (this.verifying !== callId) return; // cancelled or timed out meanwhile
    this.verifying = null;
    if (call.view.value.kind !== 'idle') return;
    const peer = { username: from.username, displayName: from.displayName };
    call.apply({ type: 'invited', callId, peer, media: message.media });
    if (!verified) {
      call.deps.signaling.notify('call.decline', { callId, reason: 'identity_failed' });
      call.end(callId, 'identity_failed', describe(failure));
      return;
    }
    call.deps.signaling.notify('call.ringing', { callId });
    this.ring(verified);
  }

  /** A verified invite rings: shown on the incoming screen, connecting while it rings. */
  private ring(verified: VerifiedInvite): void {
    this.invite = verified;
    this.preconnecting = this.preconnect(verified);
  }

  /**
   * Connects while it rings ("Connecting while it rings"): answers the offer sending nothing,
   * with the keys already agreed, and sends that answer and our share as call.preconnect. Null
   * when this call does not pre-connect or that failed: accepting then connects as before.
   */
  private async preconnect(invite: VerifiedInvite): Promise<EarlyAnswer | null> {
    const call = this.call;
    const { callId, from } = invite.message;
    // The camera and microphone open only once the user accepts (acceptPreconnected).
    const engine = call.connection.preconnect(callId, from.username);
    if (!engine) return null;
    try {
      call.e2ee.start(engine.keyPort, 'callee', invite.keys, invite.message.from);
      const sdp = await engine.answerOfferHeld(invite.message.sdp);
      const keyShare = await invite.exchange.share(sdp);
      if (!call.isCurrent(callId) || call.connection.engine !== engine) return null;
      call.deps.signaling.notify('call.preconnect', { callId, sdp, keyShare });
      engine.releaseLocalCandidates();
      return { sdp, keyShare };
    } catch (error) {
      console.warn('parley: could not connect while ringing', error);
      call.connection.dropPreconnected(engine);
      return null;
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
    const call = this.call;
    const engine = call.connection.engine;
    if (!engine) return;
    const peerFingerprint = invite.message.keyShare.fingerprint;
    call.restarts.use({ callId, engine, offerer: false, polite: true, peerFingerprint });
    call.deps.signaling.notify('call.accept', { callId, media, ...early });
    call.connection.connectHeld();
    call.connection.showAnswered(callId, engine);
    try {
      await engine.openMedia(media);
      if (!call.isCurrent(callId)) return;
      call.connection.attachMember(callId, engine);
      // Connected before the devices opened: a camera that failed is told now.
      call.announceMissingCamera();
    } catch (error) {
      call.hangUpAfter(callId, error);
    }
  }
}
