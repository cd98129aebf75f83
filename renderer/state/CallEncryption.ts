import { signal } from '@preact/signals';
import type { CallRole, KeyShare, ServerMessageOf } from '../../protocol';
import { type E2eeState, E2eeStatusTracker } from '../call/E2eeStatusTracker';
import type { FrameCounts } from '../e2ee/worker/messages';
import { CallKeyExchange, type KeyExchangeHost } from '../keys/CallKeyExchange';
import { CallKeyRing, type E2eeWorkerPort } from '../keys/CallKeyRing';
import type { CallBaseKeys } from '../keys/keyDerivation';
import { KeyRotationSchedule } from '../keys/KeyRotationSchedule';

/** An invite whose caller passed verification, with the keys agreed for it. */
export interface VerifiedInvite {
  message: ServerMessageOf<'call.invite'>;
  exchange: CallKeyExchange;
  keys: CallBaseKeys;
}

/**
 * The end-to-end encryption of the current call, for CallController: key shares out, the peer's
 * verified in (throwing IdentityVerificationError), keys to the engine's worker, rotation, and
 * the status the call screen shows.
 */
export class CallEncryption {
  readonly state = signal<E2eeState>('negotiating');
  private outgoing: CallKeyExchange | null = null;
  private rotation: KeyRotationSchedule | null = null;
  private tracker = new E2eeStatusTracker();

  constructor(
    private readonly host: KeyExchangeHost,
    private readonly now: () => number,
  ) {}

  /** Caller: a fresh key pair for the call, and our share bound to the offer. */
  async offerShare(callId: string, offerSdp: string): Promise<KeyShare> {
    const exchange = await CallKeyExchange.start('caller', callId, this.host);
    const share = await exchange.share(offerSdp);
    this.outgoing = exchange;
    return share;
  }

  /** Caller: the callee's accept passes every check (its key may not have changed) or throws. */
  async verifyAccept(
    peerUsername: string,
    message: ServerMessageOf<'call.accept'>,
  ): Promise<CallBaseKeys> {
    const exchange = this.outgoing;
    if (exchange?.callId !== message.callId) throw new Error('No key share was sent for this call');
    const { keys } = await exchange.acceptPeer(
      {
        username: peerUsername,
        deviceId: message.deviceId,
        identity: message.identity,
        keyShare: message.keyShare,
        sdp: message.sdp,
      },
      // The user was warned about a changed key before calling; continuing re-pinned it.
      { allowChangedKey: false, now: this.now() },
    );
    return keys;
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
      { allowChangedKey: true, now: this.now() },
    );
    return { message, exchange, keys };
  }

  /** Hands the agreed keys to the call's worker and starts the 10-minute rotation. */
  start(port: E2eeWorkerPort, role: CallRole, keys: CallBaseKeys): void {
    this.rotation?.stop();
    this.rotation = new KeyRotationSchedule(new CallKeyRing(port, role, keys), this.now);
    this.rotation.start();
  }

  onFrameCounts(counts: FrameCounts): void {
    this.state.value = this.tracker.update(counts, this.now());
  }

  /** The peer asked us to move our sending key to a new epoch. */
  onRekey(): void {
    this.rotation?.onRekeyRequest();
  }

  /** The call ended: forget its keys and stop rotating. */
  reset(): void {
    this.outgoing = null;
    this.rotation?.stop();
    this.rotation = null;
    this.tracker = new E2eeStatusTracker();
    this.state.value = 'negotiating';
  }
}
