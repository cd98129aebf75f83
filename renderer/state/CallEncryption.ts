import type { CallRole, IdentityChain, KeyShare, ServerMessageOf } from '../../protocol';
import { CallKeyExchange, type KeyExchangeHost } from '../keys/CallKeyExchange';
import { CallKeyRing, type E2eeWorkerPort } from '../keys/CallKeyRing';
import type { CallBaseKeys } from '../keys/keyDerivation';
import { KeyRotationSchedule } from '../keys/KeyRotationSchedule';
import { KeyShareReplayGuard } from '../keys/KeyShareReplayGuard';

/** What the answering party sends back with its key share: call.accept, call.rejoined. */
export type PeerReply = Pick<
  ServerMessageOf<'call.accept'>,
  'callId' | 'sdp' | 'deviceId' | 'identity' | 'keyShare'
>;

/** The peer's device whose share the call's keys were agreed with, as the server named it. */
export interface PeerDevice {
  deviceId: string;
  identity: IdentityChain;
}

/** A rejoin whose sender passed verification, with our half of its new key agreement. */
export interface VerifiedRejoin {
  exchange: CallKeyExchange;
  keys: CallBaseKeys;
}

/** An invite whose caller passed verification, with the keys agreed for it. */
export interface VerifiedInvite {
  message: ServerMessageOf<'call.invite'>;
  exchange: CallKeyExchange;
  keys: CallBaseKeys;
}

/**
 * The end-to-end encryption of the current call, for CallController: key shares out, the peer's
 * verified in (throwing IdentityVerificationError), keys to the engine's worker and rotation. The
 * status the call screen shows is the peer's (its RemoteMember's), restarted with each worker.
 */
export class CallEncryption {
  private outgoing: CallKeyExchange | null = null;
  private peer: PeerDevice | null = null;
  private rotation: KeyRotationSchedule | null = null;
  /** Peer shares accepted while still fresh: one is never accepted twice. */
  private readonly replays = new KeyShareReplayGuard();

  constructor(
    private readonly host: KeyExchangeHost,
    private readonly now: () => number,
    /** The peer's counts through the peer-to-peer path start over (a new worker counts from zero). */
    private readonly peerCountsStartOver: () => void,
  ) {}

  /**
   * A fresh key pair for the call, and our share bound to the offer: the caller's invite, or a
   * rejoin (in the role this device has in the call).
   */
  async offerShare(callId: string, offerSdp: string, role: CallRole = 'caller'): Promise<KeyShare> {
    const exchange = await CallKeyExchange.start(role, callId, this.host);
    const share = await exchange.share(offerSdp);
    this.outgoing = exchange;
    return share;
  }

  /**
   * The reply to our share (the callee's accept, or the rejoined party's answer) passes every
   * check (its key may not have changed) or throws.
   */
  async verifyAccept(peerUsername: string, message: PeerReply): Promise<CallBaseKeys> {
    const exchange = this.outgoing;
    if (exchange?.callId !== message.callId) throw new Error('No key share was sent for this call');
    return this.acceptKnownPeer(exchange, peerUsername, message);
  }

  /** Callee: the invite passes every check before it may ring, or throws. */
  async verifyInvite(message: ServerMessageOf<'call.invite'>): Promise<VerifiedInvite> {
    const exchange = await CallKeyExchange.start('callee', message.callId, this.host);
    const { from } = message;
    const { keys } = await exchange.acceptPeer(
      {
        username: from.username,
        deviceId: from.deviceId,
        identity: from.identity,
        keyShare: message.keyShare,
        sdp: message.sdp,
      },
      // A changed key may still ring: the incoming screen warns, the user decides.
      { allowChangedKey: true, now: this.now(), replays: this.replays },
    );
    return { message, exchange, keys };
  }

  /**
   * The other party of a call under way comes back with a new share (call.rejoin): it passes
   * exactly a new call's checks, its key may not have changed, or this throws.
   */
  async verifyRejoin(
    role: CallRole,
    peerUsername: string,
    message: ServerMessageOf<'call.rejoin'>,
  ): Promise<VerifiedRejoin> {
    const exchange = await CallKeyExchange.start(role, message.callId, this.host);
    const keys = await this.acceptKnownPeer(exchange, peerUsername, message);
    return { exchange, keys };
  }

  /**
   * The share of a peer already in the call (its accept, answer or rejoin) passes every check
   * with its key unchanged, or this throws. The user was warned about a changed key before
   * calling; continuing re-pinned it.
   */
  private async acceptKnownPeer(
    exchange: CallKeyExchange,
    peerUsername: string,
    message: PeerReply,
  ): Promise<CallBaseKeys> {
    const { keys } = await exchange.acceptPeer(
      {
        username: peerUsername,
        deviceId: message.deviceId,
        identity: message.identity,
        keyShare: message.keyShare,
        sdp: message.sdp,
      },
      { allowChangedKey: false, now: this.now(), replays: this.replays },
    );
    return keys;
  }

  /**
   * Hands the keys agreed with `peer` to the call's worker and starts the 10-minute rotation. A
   * new connection's worker counts frames from zero, so the peer's counts start over too.
   */
  start(
    port: E2eeWorkerPort,
    role: CallRole,
    keys: CallBaseKeys,
    peer: PeerDevice,
    peerKeySet = false,
  ): void {
    this.peer = { deviceId: peer.deviceId, identity: peer.identity };
    this.rotation?.stop();
    this.peerCountsStartOver();
    const ring = new CallKeyRing(port, role, keys, peerKeySet);
    this.rotation = new KeyRotationSchedule(ring, this.now);
    this.rotation.start();
  }

  /** The device the current call's keys were agreed with; null before they were. */
  get peerDevice(): PeerDevice | null {
    return this.peer;
  }

  /**
   * Caller of a call that connected while it rang: the callee's frames decrypt as soon as they
   * come (it may start sending before its accept reaches us); our own key waits for `start`.
   */
  receiveEarly(port: E2eeWorkerPort, keys: CallBaseKeys): void {
    CallKeyRing.receiveOnly(port, 'caller', keys);
  }

  /** The peer asked us to move our sending key to a new epoch. */
  onRekey(): void {
    this.rotation?.onRekeyRequest();
  }

  /** The call ended: forget its keys and stop rotating. */
  reset(): void {
    this.outgoing = null;
    this.peer = null;
    this.rotation?.stop();
    this.rotation = null;
  }
}
