import { parseKid } from '../e2ee/callKeyIds';
import type { E2eeWorkerRequest } from '../e2ee/worker/messages';
import type { E2eeWorkerPort } from '../keys/SenderKeyRing';

type KeyMessage = Extract<E2eeWorkerRequest, { kind: 'setSendKey' | 'setReceiveKey' }>;

/**
 * The SFrame keys a group call's E2EE worker should hold, kept apart from any one worker: a media
 * path made again (the SFU lost the call) gets a new worker, which is given the current send key
 * and every receive key at once. A new send key can be held back while the members it was sent
 * to install it (a rotation after a leave), then switched to.
 */
export class RoomWorkerKeys implements E2eeWorkerPort {
  private worker: E2eeWorkerPort | null = null;
  private sendKey: KeyMessage | null = null;
  /** A send key made but not yet used, while its rotation waits for the members' acks. */
  private heldSendKey: KeyMessage | null = null;
  private holding = false;
  /** The newest receive key of each sender's generation, by "slot generation". */
  private readonly receiveKeys = new Map<string, KeyMessage>();

  post(message: E2eeWorkerRequest): void {
    if (message.kind === 'setSendKey') {
      if (this.holding) {
        this.heldSendKey = message;
        return;
      }
      this.sendKey = message;
    } else if (message.kind === 'setReceiveKey') {
      const id = parseKid(message.kid);
      if (!id) return;
      this.receiveKeys.set(`${id.slot} ${id.generation}`, message);
    }
    this.worker?.post(message);
  }

  /** The worker of the current media path (null: none now); it is given every key at once. */
  attach(worker: E2eeWorkerPort | null): void {
    this.worker = worker;
    if (!worker) return;
    if (this.sendKey) worker.post(this.sendKey);
    for (const key of this.receiveKeys.values()) worker.post(key);
  }

  /** Send keys posted from now on wait for `switchSendKey`. */
  holdSendKey(): void {
    this.holding = true;
  }

  /** Sends with the newest key posted while holding (if any), and stops holding. */
  switchSendKey(): void {
    this.holding = false;
    const held = this.heldSendKey;
    this.heldSendKey = null;
    if (held) this.post(held);
  }

  /** The KID frames go out with now (null before the first key). */
  get sendingKid(): bigint | null {
    return this.sendKey?.kid ?? null;
  }

  /** Whether a key for this sender's slot is installed (any generation). */
  hasReceiveKey(slot: number): boolean {
    return [...this.receiveKeys.keys()].some((key) => key.startsWith(`${slot} `));
  }

  /** A member left: its keys are dropped from what a new worker is given. */
  forget(slot: number): void {
    for (const key of [...this.receiveKeys.keys()]) {
      if (key.startsWith(`${slot} `)) this.receiveKeys.delete(key);
    }
  }
}
