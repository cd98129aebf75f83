import { Username, type CallMedia, type ServerMessageOf } from '../../protocol';
import type { CallEngine } from '../call/CallEngine';
import type { CallBaseKeys } from '../keys/keyDerivation';
import type { PairCall } from './PairCall';

/**
 * The caller's side of a 1:1 call: it dials, rings until a device of the callee answers (early
 * while it rings, then with its accept), and ends as the callee or the server says (declined,
 * busy, no answer) or as the caller cancels.
 */
export class OutgoingCall {
  /** An early answer being verified and applied; an accept waits for it. */
  private takingEarly: Promise<void> | null = null;

  constructor(private readonly call: PairCall) {}

  /** The call ended: no early answer is being taken any more. */
  reset(): void {
    this.takingEarly = null;
  }

  async dial(input: string, media: CallMedia): Promise<void> {
    const call = this.call;
    if (call.view.value.kind !== 'idle') return;
    const username = input.trim().toLowerCase();
    const callId = crypto.randomUUID();
    const known = call.deps.knownPeer(username);
    call.apply({ type: 'dial', callId, peer: known ?? { username, displayName: username }, media });
    if (!Username.safeParse(username).success) {
      call.end(callId, 'unknown_user');
      return;
    }
    if (!known) void this.learnPeerName(callId, username);
    try {
      const engine = await call.connection.open(callId, media);
      if (!engine) return;
      const sdp = await engine.createOffer();
      const keyShare = await call.e2ee.offerShare(callId, sdp);
      if (!call.isCurrent(callId)) return;
      await call.deps.signaling.request('call.invite', {
        callId,
        to: username,
        media,
        sdp,
        keyShare,
      });
    } catch (error) {
      call.fail(callId, error);
    }
  }

  cancel(): void {
    const view = this.call.view.value;
    if (view.kind !== 'outgoing') return;
    this.call.deps.signaling.notify('call.cancel', { callId: view.callId });
    this.call.end(view.callId, 'cancelled');
  }

  onRinging(message: ServerMessageOf<'call.ringing'>): void {
    this.call.apply({ type: 'ringing', callId: message.callId });
  }

  /**
   * A ringing device answered early. The first that passes every check (exactly as an accept)
   * connects now, provisionally and sending nothing; the others' candidates are kept.
   */
  onPreconnect(message: ServerMessageOf<'call.preconnect'>): Promise<void> {
    const view = this.call.view.value;
    const engine = this.call.connection.engine;
    if (view.kind !== 'outgoing' || view.callId !== message.callId || !engine) {
      return Promise.resolve();
    }
    if (!this.call.connection.earlyAnswers.claim()) return Promise.resolve();
    const taking = this.takeEarlyAnswer(view.peer.username, message, engine);
    this.takingEarly = taking;
    return taking;
  }

  async onAccept(message: ServerMessageOf<'call.accept'>): Promise<void> {
    await this.takingEarly;
    const call = this.call;
    const view = call.view.value;
    const engine = call.connection.engine;
    if (view.kind !== 'outgoing' || view.callId !== message.callId || !engine) return;
    const { callId } = view;
    const { earlyAnswers } = call.connection;
    const early = earlyAnswers.repeatsTaken(message);
    let keys: CallBaseKeys;
    try {
      if (early === 'changed') throw new Error('the answer differs from its early answer');
      // The answer is applied only after the callee passed every check. An accept that repeats
      // the early answer taken passed them when that came (checking again would see a replay).
      const taken = earlyAnswers.takenAnswer;
      keys =
        early === 'same' && taken
          ? taken.keys
          : await call.e2ee.verifyAccept(view.peer.username, message);
    } catch (error) {
      call.refuseIdentity(callId, error);
      return;
    }
    if (!call.isCurrent(callId)) return;
    call.apply({ type: 'accepted', callId });
    call.restarts.connecting(callId);
    call.peer.answeredWithVideo(message.media === 'video');
    const preconnected = earlyAnswers.takenAnswer !== null;
    try {
      call.e2ee.start(engine.keyPort, 'caller', keys, message, early === 'same');
      const peerFingerprint = message.keyShare.fingerprint;
      call.restarts.use({ callId, engine, offerer: true, polite: false, peerFingerprint });
      await engine.applyAnswer(message.sdp);
      if (early === 'other_device') {
        for (const candidate of earlyAnswers.candidatesOf(message.deviceId)) {
          engine.addRemoteCandidate(candidate);
        }
      }
      engine.releaseLocalCandidates();
      if (preconnected) await engine.releaseMedia();
      if (call.isCurrent(callId)) call.connection.showAnswered(callId, engine);
    } catch (error) {
      call.hangUpAfter(callId, error);
    }
  }

  /** The callee declined; a call ringing here reaches it too, declined on another device of ours. */
  onDecline(message: ServerMessageOf<'call.decline'>): void {
    if (this.call.waiting.ended(message.callId, 'declined')) return;
    // A reason is the callee's, for the caller; on another device of the callee it was declined.
    const caller = this.call.view.value.kind === 'outgoing';
    this.call.end(message.callId, caller && message.reason ? `peer_${message.reason}` : 'declined');
  }

  onBusy(message: ServerMessageOf<'call.busy'>): void {
    this.call.end(message.callId, 'busy');
  }

  /** Nobody answered in time; a call ringing here reaches it too, as a call we missed. */
  onTimeout(message: ServerMessageOf<'call.timeout'>): void {
    if (this.call.waiting.ended(message.callId, 'missed')) return;
    const view = this.call.view.value;
    if (view.kind === 'idle') return;
    this.call.end(message.callId, view.direction === 'outgoing' ? 'no_answer' : 'missed');
  }

  private async learnPeerName(callId: string, username: string): Promise<void> {
    const peer = await this.call.deps.lookupPeer(username).catch(() => null);
    if (peer && peer.displayName !== username) {
      this.call.apply({ type: 'peer_renamed', callId, displayName: peer.displayName });
    }
  }

  private async takeEarlyAnswer(
    peerUsername: string,
    message: ServerMessageOf<'call.preconnect'>,
    engine: CallEngine,
  ): Promise<void> {
    const call = this.call;
    const { earlyAnswers } = call.connection;
    let keys: CallBaseKeys;
    try {
      keys = await call.e2ee.verifyAccept(peerUsername, message);
    } catch (error) {
      // Not this device's answer: the call rings on, and its accept would fail the same checks.
      console.warn('parley: early answer refused', error);
      earlyAnswers.release();
      return;
    }
    const { callId } = message;
    if (!call.isCurrent(callId) || call.connection.engine !== engine) return;
    try {
      call.e2ee.receiveEarly(engine.keyPort, keys);
      await engine.applyProvisionalAnswer(message.sdp);
      const candidates = earlyAnswers.take(message, keys);
      call.deps.signaling.notify('call.preconnected', { callId, deviceId: message.deviceId });
      for (const candidate of candidates) engine.addRemoteCandidate(candidate);
      engine.releaseLocalCandidates();
    } catch (error) {
      call.hangUpAfter(callId, error);
    }
  }
}
