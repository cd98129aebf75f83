import type { CallRole } from '../../protocol';
import { CALLEE_SLOT, CALLER_SLOT, MAX_EPOCH, kidFor } from '../e2ee/callKeyIds';
import type { CallBaseKeys } from './keyDerivation';
import { type E2eeWorkerPort, SenderKeyRing } from './SenderKeyRing';

export type { E2eeWorkerPort } from './SenderKeyRing';

/**
 * The main thread's key provider for a 1:1 call: this device's SenderKeyRing in its role's slot,
 * generation 0, and the peer's key for the worker. The peer's later epochs need no message: the
 * worker ratchets to them when their frames arrive.
 */
export class CallKeyRing {
  private readonly ring: SenderKeyRing;
  private advancing: Promise<void> = Promise.resolve();

  /**
   * `peerKeySet`: the worker already decrypts the peer's frames with these keys (`receiveOnly`),
   * so only the sending key goes to it now.
   */
  constructor(port: E2eeWorkerPort, role: CallRole, keys: CallBaseKeys, peerKeySet = false) {
    const own = role === 'caller' ? keys.caller : keys.callee;
    this.ring = new SenderKeyRing(port, role === 'caller' ? CALLER_SLOT : CALLEE_SLOT, own);
    if (!peerKeySet) CallKeyRing.receiveOnly(port, role, keys);
  }

  /**
   * Only the peer's key: its frames decrypt from now on while we send nothing yet. A receive key
   * may be replaced later (another device of the peer answers); a send key never is.
   */
  static receiveOnly(port: E2eeWorkerPort, role: CallRole, keys: CallBaseKeys): void {
    const peer = role === 'caller' ? keys.callee : keys.caller;
    const peerSlot = role === 'caller' ? CALLEE_SLOT : CALLER_SLOT;
    port.post({ kind: 'setReceiveKey', kid: kidFor(peerSlot, 0), baseKey: peer });
  }

  get sendEpoch(): number {
    return this.ring.current.epoch;
  }

  /** Moves this device's frames to the next epoch (ratcheted key, new KID). */
  advanceSendEpoch(): Promise<void> {
    this.advancing = this.advancing.then(async () => {
      // 65535 rotations: a 1:1 call keeps its last key (it never leaves generation 0).
      if (this.ring.current.epoch >= MAX_EPOCH) return;
      await this.ring.advanceEpoch();
    });
    return this.advancing;
  }
}
