import type { ServerMessageOf } from '../../protocol';
import type { CallEngine } from '../call/CallEngine';
import { checkPeerFingerprint } from '../keys/peerFingerprint';
import type { SignalingClient } from '../signaling/SignalingClient';
import { ConnectionRecovery } from './ConnectionRecovery';

/** The slice of the engine ICE restarts use (the unit tests pass a stand-in). */
export type RestartableEngine = Pick<
  CallEngine,
  'restartIce' | 'applyOffer' | 'applyLaterAnswer' | 'offerUnsettled'
>;

/** What a connection whose peer passed verification is, for renegotiating it. */
export interface VerifiedConnection {
  callId: string;
  engine: RestartableEngine;
  /** We made this connection's first offer: we restart ICE, the peer asks with call.restart. */
  offerer: boolean;
  /** On colliding offers the polite side (the callee) gives way. */
  polite: boolean;
  /** The DTLS fingerprint the peer's verified key share signed: every later SDP must carry it. */
  peerFingerprint: string;
}

export interface IceRestartDeps {
  signaling: Pick<SignalingClient, 'notify'>;
  /** A later SDP of the peer's failed the fingerprint check: the call must end. */
  identityFailed(callId: string, error: unknown): void;
  /** No connection for too long: the call must end. */
  gaveUp(callId: string, everConnected: boolean): void;
  now(): number;
}

/**
 * The fewest milliseconds between two ICE restarts the peer asks for: a flood of call.restart
 * (from a hostile server) must not keep the connection renegotiating.
 */
export const MIN_RESTART_GAP_MS = 1_000;

/**
 * Keeps the current call's peer connection up: ICE restarts when ConnectionRecovery says so,
 * carried by call.offer / call.answer (the offerer restarts, the answerer asks with call.restart),
 * each SDP checked against the fingerprint the peer's key share signed, and colliding offers
 * settled by politeness. `reconnecting` is what the call screen shows.
 */
export class IceRestarts {
  private readonly recovery: ConnectionRecovery;
  readonly reconnecting: ConnectionRecovery['reconnecting'];
  private callId: string | null = null;
  private connection: VerifiedConnection | null = null;
  private lastRestartAt = -Infinity;
  /** The last offer answered: a resent duplicate gets no second answer. */
  private lastOffer: string | null = null;

  constructor(private readonly deps: IceRestartDeps) {
    this.recovery = new ConnectionRecovery({
      restart: () => this.restart(),
      giveUp: (everConnected) => {
        const callId = this.callId;
        this.reset();
        if (callId) this.deps.gaveUp(callId, everConnected);
      },
    });
    this.reconnecting = this.recovery.reconnecting;
  }

  /** The call's first connection starts connecting (it is given as long to connect). */
  connecting(callId: string): void {
    this.callId = callId;
    this.recovery.onConnecting();
  }

  /**
   * A call under way starts over on a new connection (a rejoin), which `use` names once the peer
   * is verified: media is recovering meanwhile.
   */
  newConnection(callId: string): void {
    this.callId = callId;
    this.connection = null;
    this.lastOffer = null;
    this.recovery.onNewConnection();
  }

  /** The peer of this connection passed verification: from now on it can be renegotiated. */
  use(connection: VerifiedConnection): void {
    this.callId = connection.callId;
    this.connection = connection;
    this.lastOffer = null;
  }

  onConnectionState(callId: string, state: RTCPeerConnectionState): void {
    if (callId === this.callId) this.recovery.onConnectionState(state);
  }

  async onOffer(message: ServerMessageOf<'call.offer'>): Promise<void> {
    const connection = this.verified(message.callId, message.sdp);
    if (!connection || message.sdp === this.lastOffer) return;
    this.lastOffer = message.sdp;
    try {
      const sdp = await connection.engine.applyOffer(message.sdp, connection.polite);
      if (sdp !== null && this.connection === connection) {
        this.deps.signaling.notify('call.answer', { callId: connection.callId, sdp });
        // Our camera's offer may have been the one dropped: it goes again now.
        const again = await connection.engine.offerUnsettled();
        if (again !== null && this.connection === connection) {
          this.deps.signaling.notify('call.offer', { callId: connection.callId, sdp: again });
        }
      }
    } catch (error) {
      // A renegotiation that fails leaves the connection as it was; recovery tries again.
      console.warn('parley: applying the peer’s new offer failed', error);
    }
  }

  async onAnswer(message: ServerMessageOf<'call.answer'>): Promise<void> {
    const connection = this.verified(message.callId, message.sdp);
    if (!connection) return;
    try {
      await connection.engine.applyLaterAnswer(message.sdp);
    } catch (error) {
      console.warn('parley: applying the peer’s answer failed', error);
    }
  }

  /** The peer (the answerer) asks us to restart ICE. */
  onRestart(message: ServerMessageOf<'call.restart'>): void {
    const connection = this.connection;
    if (connection?.callId !== message.callId || !connection.offerer) return;
    if (this.deps.now() - this.lastRestartAt < MIN_RESTART_GAP_MS) return;
    void this.restartIce(connection);
  }

  /** The call ended. */
  reset(): void {
    this.recovery.reset();
    this.callId = null;
    this.connection = null;
    this.lastOffer = null;
    this.lastRestartAt = -Infinity;
  }

  /** The connection a later SDP is for, once its fingerprint checks out; null to ignore it. */
  private verified(callId: string, sdp: string): VerifiedConnection | null {
    const connection = this.connection;
    if (connection?.callId !== callId) return null;
    try {
      checkPeerFingerprint(sdp, connection.peerFingerprint);
    } catch (error) {
      this.reset();
      this.deps.identityFailed(callId, error);
      return null;
    }
    return connection;
  }

  private restart(): void {
    const connection = this.connection;
    if (!connection) return;
    if (connection.offerer) void this.restartIce(connection);
    else this.deps.signaling.notify('call.restart', { callId: connection.callId });
  }

  private async restartIce(connection: VerifiedConnection): Promise<void> {
    this.lastRestartAt = this.deps.now();
    try {
      const sdp = await connection.engine.restartIce();
      if (this.connection === connection) {
        this.deps.signaling.notify('call.offer', { callId: connection.callId, sdp });
      }
    } catch (error) {
      // The peer's offer won a collision; its renegotiation restarts ICE as well.
      console.warn('parley: ICE restart not sent', error);
    }
  }
}
