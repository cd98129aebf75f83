import type { LiveCall, ServerMessageOf } from '../../protocol';
import { CallRejoin } from './CallRejoin';
import type { GrowingCall } from './growingCall';
import type { PairCall } from './PairCall';

/**
 * A 1:1 call once answered: hung up from either side, what the peer sends and says (media state,
 * rekeys, its own link's quality), our camera turned on later, a rejoin after a reload on either
 * side, and the call handed on whole when it grows into a group call. Its connection's restarts
 * are IceRestarts', its candidates CallConnection's.
 */
export class CallUnderWay {
  private readonly rejoins: CallRejoin;

  constructor(private readonly call: PairCall) {
    const { deps } = call;
    this.rejoins = new CallRejoin({
      signaling: deps.signaling,
      e2ee: call.e2ee,
      restarts: call.restarts,
      tellPeer: () => call.members.value.tellPeerAgain(),
      current: (callId) => {
        const view = call.view.value;
        const engine = call.connection.engine;
        const live = view.kind === 'connecting' || view.kind === 'in_call';
        return live && view.callId === callId && engine ? { view, engine } : null;
      },
      enter: (live) => {
        call.apply({
          type: 'rejoin',
          callId: live.callId,
          peer: live.peer,
          media: live.media,
          direction: live.role === 'caller' ? 'outgoing' : 'incoming',
          connectedAt: live.answeredAt ?? deps.now(),
        });
        call.clock.start(deps.now);
      },
      startEngine: (callId, media) => call.connection.open(callId, media),
      refuseIdentity: (callId, error) => call.refuseIdentity(callId, error),
      hangUpAfter: (callId, error) => call.hangUpAfter(callId, error),
      peerRejoined: (callId) => deps.onPeerRejoined?.(callId),
      rejoined: (callId) => deps.onRejoined?.(callId),
    });
  }

  /** The call ended: no rejoin is under way. */
  reset(): void {
    this.rejoins.reset();
  }

  hangUp(): void {
    const view = this.call.view.value;
    if (view.kind !== 'connecting' && view.kind !== 'in_call') return;
    this.call.deps.signaling.notify('call.hangup', { callId: view.callId });
    this.call.end(view.callId, 'hangup');
  }

  /** Back into a call the server still has for us, which this page has no connection for. */
  rejoin(live: LiveCall): Promise<void> {
    return this.rejoins.rejoin(live);
  }

  onHangup(message: ServerMessageOf<'call.hangup'>): void {
    const { reason } = message;
    this.call.end(
      message.callId,
      reason === 'hangup'
        ? 'remote_hangup'
        : reason === 'connection_lost'
          ? 'connection_lost'
          : `peer_${reason}`,
    );
  }

  onMedia(message: ServerMessageOf<'call.media'>): void {
    if (!this.call.isCurrent(message.callId)) return;
    this.call.peer.said(message);
  }

  /** The peer asks us to move our sending key to a new epoch. */
  onRekey(message: ServerMessageOf<'call.rekey'>): void {
    if (this.call.isCurrent(message.callId)) this.call.e2ee.onRekey();
  }

  /** The peer tells us whether its own network is poor. */
  onQuality(message: ServerMessageOf<'call.quality'>): void {
    this.call.quality.onPeerReport(message.callId, message.poor);
  }

  /** The other party lost its connection (reload, restart) and comes back into the call. */
  onRejoin(message: ServerMessageOf<'call.rejoin'>): Promise<void> {
    return this.rejoins.onRejoin(message);
  }

  /** The other party answered our rejoin. */
  onRejoined(message: ServerMessageOf<'call.rejoined'>): Promise<void> {
    return this.rejoins.onRejoined(message);
  }

  /**
   * Our camera in a call that had none from us (an audio call, or one answered with sound only):
   * the connection offers video again (call.offer, answered like an ICE restart's) and the peer
   * simply sees us, as in Signal; it can turn its own camera on the same way.
   */
  async startVideo(): Promise<void> {
    // Grown: our member is the group call's, which asks through the GrowingCall (offerVideo).
    if (this.call.connection.activeCall?.heldBy('room')) {
      throw new Error('the camera is the group call’s now');
    }
    await this.offerVideo();
  }

  /**
   * Opens our camera into the call's media (sent on every path it has) and offers it over the
   * 1:1 connection, which the peer answers.
   */
  private async offerVideo(): Promise<void> {
    const call = this.call;
    const view = call.view.value;
    const engine = call.connection.engine;
    if ((view.kind !== 'connecting' && view.kind !== 'in_call') || !engine) {
      throw new Error('video can be turned on only in a call');
    }
    const sdp = await engine.startVideo();
    if (sdp !== null && call.isCurrent(view.callId) && call.connection.engine === engine) {
      call.deps.signaling.notify('call.offer', { callId: view.callId, sdp });
    }
  }

  /**
   * The answered call under way, for it to grow into a group call (null: none). Our slot is 0
   * as its caller, 1 as its callee; the peer is the device our keys were agreed with.
   */
  growable(): GrowingCall | null {
    const call = this.call;
    const view = call.view.value;
    const peerDevice = call.e2ee.peerDevice;
    const engine = call.connection.engine;
    const activeCall = call.connection.activeCall;
    if (view.kind !== 'in_call' || !engine || !activeCall || !peerDevice) return null;
    const { callId } = view;
    const caller = view.direction === 'outgoing';
    const current = () => call.isCurrent(callId) && call.connection.engine === engine;
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
        if (current()) call.release({ type: 'grown', callId });
      },
      hangUp: () => {
        if (current()) this.hangUp();
      },
      startVideo: async () => {
        if (!current()) throw new Error('the 1:1 connection is closed');
        await this.offerVideo();
      },
    };
  }
}
