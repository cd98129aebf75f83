import type { CallRole } from '../../protocol';
import { CALLEE_SLOT, CALLER_SLOT, MAX_EPOCH, kidFor, ratchetBaseKey } from '../e2ee/callKeyIds';
import type { E2eeWorkerRequest } from '../e2ee/worker/messages';
import type { CallBaseKeys } from './keyDerivation';

/** Where keys go: the call's E2EE worker. */
export interface E2eeWorkerPort {
  post(message: E2eeWorkerRequest): void;
}

/**
 * The main thread's key provider for one call: it holds this device's sending base key and epoch,
 * and hands keys to the worker. The peer's later epochs need no message: the worker ratchets to
 * them when their frames arrive.
 */
export class CallKeyRing {
  private sendKey: Uint8Array;
  private epoch = 0;
  private advancing: Promise<void> = Promise.resolve();

  /**
   * `peerKeySet`: the worker already decrypts the peer's frames with these keys (`receiveOnly`),
   * so only the sending key goes to it now.
   */
  constructor(
    private readonly port: E2eeWorkerPort,
    private readonly role: CallRole,
    keys: CallBaseKeys,
    peerKeySet = false,
  ) {
    const own = role === 'caller' ? keys.caller : keys.callee;
    this.sendKey = own;
    port.post({ kind: 'setSendKey', kid: kidFor(this.ownSlot, 0), baseKey: own });
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
    return this.epoch;
  }

  /** Moves this device's frames to the next epoch (ratcheted key, new KID). */
  advanceSendEpoch(): Promise<void> {
    this.advancing = this.advancing.then(async () => {
      if (this.epoch >= MAX_EPOCH) return; // 65535 rotations: the call keeps its last key
      const next = await ratchetBaseKey(this.sendKey);
      this.sendKey = next;
      this.epoch += 1;
      this.port.post({ kind: 'setSendKey', kid: kidFor(this.ownSlot, this.epoch), baseKey: next });
    });
    return this.advancing;
  }

  private get ownSlot() {
    return this.role === 'caller' ? CALLER_SLOT : CALLEE_SLOT;
  }

  private get peerSlot() {
    return this.role === 'caller' ? CALLEE_SLOT : CALLER_SLOT;
  }
}
