import {
  type MemberKeyShare,
  type WrappedSenderKey,
  WrappedSenderKey as WrappedSchema,
} from '../../protocol';
import type { Host } from '../host/Host';
import { CallKeyAgreement } from './CallKeyAgreement';
import { IdentityVerificationError } from './IdentityVerificationError';
import type { KeyShareReplayGuard } from './KeyShareReplayGuard';
import { createMemberKeyShare } from './memberKeyShare';
import { derivePairwiseWrapKey } from './pairwiseWrapKey';
import {
  type SenderKey,
  SenderKeyRefusedError,
  unwrapSenderKey,
  wrapSenderKey,
} from './senderKeyWrap';
import { type MemberOffer, verifyMember } from './verifyMember';
import type { PeerIdentity } from './verifyPeer';

export type RoomKeysHost = Pick<Host, 'getAccount' | 'signMemberKeyShare' | 'getPins' | 'putPin'>;

/** A member whose share verified: who it is, and the ephemeral key its wrap key comes from. */
export interface VerifiedMember {
  slot: number;
  username: string;
  deviceId: string;
  ephemeralKey: string;
  identity: PeerIdentity;
}

/**
 * This device's keys of one group call, pure of transport: our one ephemeral key pair for the
 * whole call, the members whose shares verified (by slot) and a wrap key per member. Our sender
 * keys go only to verified members, and only verified members' keys are taken: a member whose
 * share was refused is, to this class, not in the call.
 */
export class RoomKeys {
  private readonly members = new Map<number, { member: VerifiedMember; wrapKey: CryptoKey }>();
  /** Slots that left: never reused, so never accepted again. */
  private readonly departed = new Set<number>();

  private constructor(
    readonly callId: string,
    readonly ownSlot: number,
    private readonly agreement: CallKeyAgreement,
    private readonly host: RoomKeysHost,
  ) {}

  /**
   * Keys for `callId` where we hold `ownSlot`. `agreement`: the key pair this device already uses
   * in the call (a 1:1 call growing to a group keeps it); a fresh one otherwise.
   */
  static async start(
    callId: string,
    ownSlot: number,
    host: RoomKeysHost,
    agreement?: CallKeyAgreement,
  ): Promise<RoomKeys> {
    return new RoomKeys(callId, ownSlot, agreement ?? (await CallKeyAgreement.create()), host);
  }

  /** Our ephemeral X25519 public key (base64), the same for the whole call. */
  get ephemeralKey(): string {
    return this.agreement.publicKey;
  }

  /** Our member share, signed now: sent with our join and to each member who joins after us. */
  async ownShare(): Promise<MemberKeyShare> {
    const account = await this.host.getAccount();
    if (!account) throw new Error('Sign in before joining a call');
    const context = {
      callId: this.callId,
      slot: this.ownSlot,
      username: account.username,
      deviceId: account.deviceId,
    };
    return createMemberKeyShare(this.host, context, this.ephemeralKey);
  }

  /**
   * Verifies a member (chain, share, pin; see verifyMember) and derives our pair's wrap key.
   * Throws IdentityVerificationError when it fails, and the member gets none of our keys nor we
   * its. A member already verified may present a fresh share again, for the same device and
   * ephemeral key only.
   */
  async addMember(
    offer: MemberOffer,
    options: { allowChangedKey: boolean; now: number; replays: KeyShareReplayGuard },
  ): Promise<VerifiedMember> {
    const { slot } = offer;
    if (offer.callId !== this.callId) {
      throw new IdentityVerificationError('slot_mismatch', `${offer.username} is in another call`);
    }
    this.checkSlotFree(offer);
    // Derived first so that a low-order key is refused before the member's root is pinned; the
    // key is used only once the member verified.
    const ephemeralKey = offer.keyShare.ephemeralKey;
    const wrapKey = await derivePairwiseWrapKey(this.agreement, ephemeralKey, {
      callId: this.callId,
      ourSlot: this.ownSlot,
      theirSlot: slot,
    });
    const identity = await verifyMember(offer, this.host, options);
    // Another share for this slot may have been verified while this one was.
    this.checkSlotFree(offer);
    const known = this.members.get(slot);
    if (known) return known.member;
    const member = {
      slot,
      username: offer.username,
      deviceId: offer.deviceId,
      ephemeralKey,
      identity,
    };
    this.members.set(slot, { member, wrapKey });
    return member;
  }

  /** The verified member in `slot`, or null. */
  member(slot: number): VerifiedMember | null {
    return this.members.get(slot)?.member ?? null;
  }

  /** The slots of the verified members, in slot order. */
  get memberSlots(): number[] {
    return [...this.members.keys()].sort((a, b) => a - b);
  }

  /**
   * The member in `slot` lost its ephemeral key and stays (a party of a grown call on p2p back
   * from a reload): its wrap key goes, and its next share is verified as a first one.
   */
  forgetShare(slot: number): void {
    this.members.delete(slot);
  }

  /** The member left (or was removed): it gets no further key, and its slot is never taken again. */
  removeMember(slot: number): void {
    this.members.delete(slot);
    this.departed.add(slot);
  }

  /** Our sender key, wrapped for the verified member in `slot` alone. */
  async wrapFor(slot: number, senderKey: SenderKey): Promise<WrappedSenderKey> {
    const { wrapKey } = this.verified(slot);
    return wrapSenderKey(wrapKey, { callId: this.callId, from: this.ownSlot, to: slot }, senderKey);
  }

  /**
   * The sender key the verified member in `slot` wrapped for us. Throws SenderKeyRefusedError for
   * an unverified member, a key that is not from that slot to ours, or one that fails to decrypt.
   */
  async unwrapFrom(slot: number, wrapped: WrappedSenderKey): Promise<SenderKey> {
    const { wrapKey } = this.verified(slot);
    const parsed = WrappedSchema.safeParse(wrapped);
    if (!parsed.success) {
      throw new SenderKeyRefusedError('misaddressed', `slot ${slot} sent a malformed sender key`);
    }
    const { from, to } = parsed.data;
    if (from !== slot || to !== this.ownSlot) {
      throw new SenderKeyRefusedError(
        'misaddressed',
        `a sender key from slot ${from} to slot ${to} came from slot ${slot} to us (slot ${this.ownSlot})`,
      );
    }
    return unwrapSenderKey(wrapKey, this.callId, parsed.data);
  }

  private verified(slot: number) {
    const entry = this.members.get(slot);
    if (!entry) {
      throw new SenderKeyRefusedError(
        'not_verified',
        `no verified member holds slot ${slot}: no key goes to it or is taken from it`,
      );
    }
    return entry;
  }

  private checkSlotFree(offer: MemberOffer): void {
    const { slot, username, deviceId } = offer;
    if (slot === this.ownSlot) {
      throw new IdentityVerificationError('slot_mismatch', `slot ${slot} is this device's own`);
    }
    if (this.departed.has(slot)) {
      throw new IdentityVerificationError('slot_mismatch', `slot ${slot} left this call`);
    }
    const known = this.members.get(slot)?.member;
    if (
      known &&
      (known.username !== username ||
        known.deviceId !== deviceId ||
        known.ephemeralKey !== offer.keyShare.ephemeralKey)
    ) {
      throw new IdentityVerificationError(
        'slot_mismatch',
        `slot ${slot} is already held by another device or key than ${username}'s`,
      );
    }
  }
}
