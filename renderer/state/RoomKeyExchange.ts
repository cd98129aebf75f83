import type { MemberKeyShare, RoomMember, WrappedSenderKey } from '../../protocol';
import { kidFor } from '../e2ee/callKeyIds';
import { KeyShareReplayGuard } from '../keys/KeyShareReplayGuard';
import { RoomKeys, type RoomKeysHost, type VerifiedMember } from '../keys/RoomKeys';
import { SenderKeyRing } from '../keys/SenderKeyRing';
import type { SenderKey } from '../keys/senderKeyWrap';
import type { RoomRequests } from './RoomRequests';
import type { RoomWorkerKeys } from './RoomWorkerKeys';

/** How long remaining senders wait for acks before using a fresh key after a leave (the doc's 2 s). */
export const ROTATION_SWITCH_MS = 2_000;
/** How often a member signs its share again, so a joiner always gets one younger than 5 minutes. */
export const SHARE_REFRESH_MS = 4 * 60_000;

export interface RoomKeyEvents {
  /** The member's share and chain verified: it gets our keys and we take its own. */
  verified(member: VerifiedMember): void;
  /** The member's share or chain was refused: it gets none of our keys, and we take none of its. */
  refused(slot: number, error: unknown): void;
  /** A sender key of the member in `slot` is in our worker: its media can be played. */
  keyInstalled(slot: number): void;
}

export interface RoomKeyExchangeDeps {
  requests: RoomRequests;
  host: RoomKeysHost;
  workerKeys: RoomWorkerKeys;
  events: RoomKeyEvents;
  now(): number;
  rotationSwitchMs?: number;
  shareRefreshMs?: number;
}

interface PendingRotation {
  generation: number;
  waiting: Set<number>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The key half of a group call (docs/protocol.md "Keys of a group call"): our member share, each
 * member's share verified before anything of ours reaches it, our sender key wrapped pairwise to
 * every verified member, their keys installed and acknowledged, a ratchet when someone joins and
 * a fresh generation when someone leaves. Every step runs in the order its notice came.
 */
export class RoomKeyExchange {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly replays = new KeyShareReplayGuard();
  private rotation: PendingRotation | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  private constructor(
    private readonly keys: RoomKeys,
    private readonly ring: SenderKeyRing,
    private readonly deps: RoomKeyExchangeDeps,
  ) {}

  /** Our keys for `callId` in `ownSlot`: a fresh ephemeral key pair and a random sender key. */
  static async start(
    callId: string,
    ownSlot: number,
    deps: RoomKeyExchangeDeps,
  ): Promise<RoomKeyExchange> {
    const keys = await RoomKeys.start(callId, ownSlot, deps.host);
    const ring = SenderKeyRing.withRandomKey(deps.workerKeys, ownSlot);
    return new RoomKeyExchange(keys, ring, deps);
  }

  get callId(): string {
    return this.keys.callId;
  }

  /** Our share, signed now. */
  ownShare(): Promise<MemberKeyShare> {
    return this.keys.ownShare();
  }

  /** The verified members, by slot. */
  verifiedSlots(): number[] {
    return this.keys.memberSlots;
  }

  /**
   * Signs our share again every few minutes while `others()` holds, so the shares a joiner is
   * given are always fresh enough to verify.
   */
  refreshShares(others: () => boolean): void {
    this.refreshTimer ??= setInterval(() => {
      if (!others()) return;
      this.run(async () => this.deps.requests.share(this.callId, await this.ownShare()));
    }, this.deps.shareRefreshMs ?? SHARE_REFRESH_MS);
  }

  /** The members already in the call when we came in: we verify them and send them our key. */
  membersPresent(members: readonly RoomMember[]): Promise<void> {
    return this.run(async () => {
      const verified: number[] = [];
      for (const member of members) {
        if (member.slot === this.keys.ownSlot || !member.share) continue;
        if (await this.verify(member, member.share)) verified.push(member.slot);
      }
      await this.sendCurrentKeyTo(verified);
    });
  }

  /**
   * A member joined: we move our key one epoch forward (the others follow the ratchet by
   * themselves) and give the joiner only the new epoch, so it never holds what was sent before.
   */
  memberJoined(member: RoomMember): Promise<void> {
    return this.run(async () => {
      await this.ring.advanceEpoch();
      if (member.share && (await this.verify(member, member.share))) {
        await this.sendCurrentKeyTo([member.slot]);
      }
    });
  }

  /**
   * A member's share came (its first, or a fresh signature): verified, and if it is the first to
   * verify for that slot, the member gets our current key. A refused refresh changes nothing.
   */
  shareReceived(member: RoomMember, share: MemberKeyShare): Promise<void> {
    return this.run(async () => {
      const known = this.keys.member(member.slot) !== null;
      if ((await this.verify(member, share, known)) && !known) {
        await this.sendCurrentKeyTo([member.slot]);
      }
    });
  }

  /**
   * A member's sender key for us: taken only from a verified member, addressed from its slot to
   * ours and decrypting under our pair's wrap key; then installed and acknowledged. A refused key
   * changes nothing and is not acknowledged.
   */
  keyReceived(wrapped: WrappedSenderKey): Promise<void> {
    return this.run(async () => {
      let key: SenderKey;
      try {
        key = await this.keys.unwrapFrom(wrapped.from, wrapped);
      } catch (error) {
        console.warn(`parley: refused a sender key from slot ${wrapped.from}`, error);
        return;
      }
      const kid = kidFor(wrapped.from, key.epoch, key.generation);
      this.deps.workerKeys.post({ kind: 'setReceiveKey', kid, baseKey: key.baseKey });
      this.deps.requests.keyAck(this.callId, wrapped.from, key.generation, key.epoch);
      this.deps.events.keyInstalled(wrapped.from);
    });
  }

  /** Member `slot` installed our key of this generation: a rotation may switch once all have. */
  ackReceived(slot: number, generation: number): void {
    const rotation = this.rotation;
    if (!rotation || rotation.generation !== generation) return;
    rotation.waiting.delete(slot);
    if (rotation.waiting.size === 0) this.switchKey();
  }

  /**
   * The member in `slot` came back without its keys but keeps its slot (a party of a grown call
   * on p2p after its call.rejoin): nothing more of ours goes to its lost key, its sender keys go,
   * and its next share is verified as a first one (then it gets our current key).
   */
  shareDropped(slot: number): Promise<void> {
    return this.run(async () => {
      this.keys.forgetShare(slot);
      this.deps.workerKeys.forget(slot);
    });
  }

  /**
   * A member left: it gets nothing more, and we move to a fresh random key at our next
   * generation, sent to the remaining verified members; we send with it once every one of them
   * acknowledged it, or after ROTATION_SWITCH_MS, whichever is first.
   */
  memberLeft(slot: number): Promise<void> {
    return this.run(async () => {
      this.keys.removeMember(slot);
      this.deps.workerKeys.forget(slot);
      if (this.rotation) clearTimeout(this.rotation.timer);
      this.deps.workerKeys.holdSendKey();
      const key = await this.ring.nextGeneration();
      const remaining = this.keys.memberSlots;
      if (this.closed) return;
      if (remaining.length === 0) {
        this.switchKey();
        return;
      }
      const timer = setTimeout(
        () => this.switchKey(),
        this.deps.rotationSwitchMs ?? ROTATION_SWITCH_MS,
      );
      this.rotation = { generation: key.generation, waiting: new Set(remaining), timer };
      await this.sendCurrentKeyTo(remaining);
    });
  }

  close(): void {
    this.closed = true;
    if (this.rotation) clearTimeout(this.rotation.timer);
    this.rotation = null;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }

  /** Waits for every step queued so far (tests, and a caller that must see its effect). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private switchKey(): void {
    if (this.rotation) clearTimeout(this.rotation.timer);
    this.rotation = null;
    this.deps.workerKeys.switchSendKey();
  }

  private async verify(member: RoomMember, share: MemberKeyShare, known = false): Promise<boolean> {
    // A step under way when the call ended (members present, one by one) goes no further.
    if (this.closed) return false;
    try {
      const verified = await this.keys.addMember(
        {
          callId: this.callId,
          slot: member.slot,
          username: member.user.username,
          deviceId: member.deviceId,
          identity: member.identity,
          keyShare: share,
        },
        // As for a 1:1 call that rings: a root that differs from the pin is taken, and the
        // member's tile and row say its safety number changed (verified.identity.pin).
        { allowChangedKey: true, now: this.deps.now(), replays: this.replays },
      );
      if (!known) this.deps.events.verified(verified);
      return true;
    } catch (error) {
      if (!known) this.deps.events.refused(member.slot, error);
      else console.warn(`parley: refused a refreshed share of slot ${member.slot}`, error);
      return false;
    }
  }

  private async sendCurrentKeyTo(slots: readonly number[]): Promise<void> {
    if (slots.length === 0 || this.closed) return;
    const current = this.ring.current;
    const keys = await Promise.all(slots.map((slot) => this.keys.wrapFor(slot, current)));
    if (!this.closed) this.deps.requests.keys(this.callId, keys);
  }

  private run(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      if (!this.closed) await step();
    });
    this.queue = next.catch((error: unknown) => console.error('parley: group-call keys', error));
    return this.queue as Promise<void>;
  }
}
