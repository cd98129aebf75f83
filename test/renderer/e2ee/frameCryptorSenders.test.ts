/**
 * FrameCryptor with many senders, as in a group call: receive keys per (slot, generation), the
 * ratchet inside one generation only, a new generation replacing the old after the grace period,
 * and the worker's per-sender frame counts.
 */
import { kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import type { MediaCodec } from '../../../renderer/e2ee/clearPrefix';
import {
  FrameCryptor,
  PREVIOUS_EPOCH_GRACE_MS,
  senderSlotOf,
} from '../../../renderer/e2ee/frameCryptor';
import { decodeHeader } from '../../../renderer/e2ee/sframe';
import { FrameTally } from '../../../renderer/e2ee/worker/frameTally';
import type { MediaKind } from '../../../renderer/e2ee/worker/messages';
import { randomBytes, rejectionCode } from './helpers';

const keyOf = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (seed * 37 + i) & 0xff);

/** A sender's cryptor, sending at (slot, epoch, generation) with `baseKey`. */
async function sender(slot: number, epoch: number, generation: number, baseKey: Uint8Array) {
  const cryptor = new FrameCryptor();
  await cryptor.setSendKey(kidFor(slot, epoch, generation), baseKey);
  return cryptor;
}

const opus = () => Uint8Array.from([0x78, ...randomBytes(30)]);
const vp8Delta = () => Uint8Array.from([0x31, 0x0a, 0x00, ...randomBytes(200)]);

/** The KID of a frame as it goes on the wire. */
const kidOnWire = (codec: MediaCodec, wire: Uint8Array) =>
  decodeHeader(wire.subarray(codec === 'opus' ? 1 : 3)).kid;

/** One incoming frame through the receiver and into the tally, as the worker does. */
async function receive(
  receiver: FrameCryptor,
  tally: FrameTally,
  kind: MediaKind,
  wire: Uint8Array,
): Promise<boolean> {
  const codec = kind === 'audio' ? 'opus' : 'vp8';
  const slot = senderSlotOf(codec, wire);
  try {
    await receiver.decrypt(codec, wire);
    tally.decrypted(kind, slot);
    return true;
  } catch {
    tally.decryptFailed(kind, slot);
    return false;
  }
}

describe('FrameCryptor with several senders', () => {
  // Keys superseded by a ratchet or a new generation are dropped on a timer.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('three senders at once: every frame decrypts with its own sender key, interleaved', async () => {
    const slots = [2, 3, 4];
    const senders = await Promise.all(slots.map((slot) => sender(slot, 0, 0, keyOf(slot))));
    const receiver = new FrameCryptor();
    for (const slot of slots) await receiver.setReceiveKey(kidFor(slot, 0), keyOf(slot));
    const sent: { codec: MediaCodec; frame: Uint8Array; wire: Uint8Array; slot: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const at = i % 3;
      const codec = i % 2 === 0 ? 'opus' : 'vp8';
      const frame = codec === 'opus' ? opus() : vp8Delta();
      const wire = await senders[at]!.encrypt(codec, frame);
      sent.push({ codec, frame, wire, slot: slots[at]! });
    }
    for (const { codec, frame, wire, slot } of sent) {
      expect(kidOnWire(codec, wire)).toBe(kidFor(slot, 0));
      expect(await receiver.decrypt(codec, wire)).toEqual(frame);
    }
    // Without slot 3's key, only slot 3's frames are lost.
    const partial = new FrameCryptor();
    await partial.setReceiveKey(kidFor(2, 0), keyOf(2));
    await partial.setReceiveKey(kidFor(4, 0), keyOf(4));
    const later = await Promise.all(senders.map((s) => s.encrypt('opus', opus())));
    expect(await partial.decrypt('opus', later[0]!)).toHaveLength(31);
    expect(await rejectionCode(partial.decrypt('opus', later[1]!))).toBe('unknown_kid');
    expect(await partial.decrypt('opus', later[2]!)).toHaveLength(31);
  });

  test('each sender ratchets on its own: one sender moving epochs leaves the others alone', async () => {
    const receiver = new FrameCryptor();
    await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
    await receiver.setReceiveKey(kidFor(3, 0), keyOf(3));
    const moved = await sender(2, 2, 0, await ratchetBaseKey(await ratchetBaseKey(keyOf(2))));
    const still = await sender(3, 0, 0, keyOf(3));
    expect(await receiver.decrypt('opus', await moved.encrypt('opus', opus()))).toHaveLength(31);
    expect(await receiver.decrypt('opus', await still.encrypt('opus', opus()))).toHaveLength(31);
    // Slot 3 at epoch 2 with slot 2's ratcheted key: slot 3's own ratchet gives another key.
    const impostor = await sender(3, 2, 0, await ratchetBaseKey(await ratchetBaseKey(keyOf(2))));
    expect(
      await rejectionCode(receiver.decrypt('opus', await impostor.encrypt('opus', opus()))),
    ).toBe('auth_failed');
  });

  test('a KID of a slot the receiver has no key for never decrypts, whatever the key', async () => {
    const receiver = new FrameCryptor();
    await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
    // Slot 9 sends with slot 2's key (and its ratchet): the receiver derives nothing for slot 9.
    for (const stranger of [
      await sender(9, 0, 0, keyOf(2)),
      await sender(9, 1, 0, await ratchetBaseKey(keyOf(2))),
    ]) {
      const wire = await stranger.encrypt('opus', opus());
      expect(await rejectionCode(receiver.decrypt('opus', wire))).toBe('unknown_kid');
    }
  });

  describe('generations', () => {
    test('a new generation replaces the old: the old decrypts during the grace period, then stops', async () => {
      const receiver = new FrameCryptor();
      await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
      // The sender had ratcheted generation 0 to epoch 1 before it left it.
      const old = await sender(2, 1, 0, await ratchetBaseKey(keyOf(2)));
      expect(await receiver.decrypt('opus', await old.encrypt('opus', opus()))).toHaveLength(31);
      const inFlight = await Promise.all([1, 2, 3].map(() => old.encrypt('opus', opus())));
      const lateEpoch0 = await (await sender(2, 0, 0, keyOf(2))).encrypt('opus', opus());

      const fresh = randomBytes(32);
      await receiver.setReceiveKey(kidFor(2, 0, 1), fresh);
      const next = await sender(2, 0, 1, fresh);
      const nextFrame = opus();
      const nextWire = await next.encrypt('opus', nextFrame);
      expect(kidOnWire('opus', nextWire)).toBe(kidFor(2, 0, 1));
      expect(await receiver.decrypt('opus', nextWire)).toEqual(nextFrame);
      // Within the grace period the old generation's frames in flight still decrypt.
      jest.advanceTimersByTime(PREVIOUS_EPOCH_GRACE_MS - 1);
      expect(await receiver.decrypt('opus', inFlight[0]!)).toHaveLength(31);
      // Then every key of the old generation is gone; the new one goes on.
      jest.advanceTimersByTime(1);
      expect(await rejectionCode(receiver.decrypt('opus', inFlight[1]!))).toBe('unknown_kid');
      expect(await rejectionCode(receiver.decrypt('opus', lateEpoch0))).toBe('unknown_kid');
      const ratchetedOld = await sender(
        2,
        2,
        0,
        await ratchetBaseKey(await ratchetBaseKey(keyOf(2))),
      );
      expect(
        await rejectionCode(receiver.decrypt('opus', await ratchetedOld.encrypt('opus', opus()))),
      ).toBe('unknown_kid');
      expect(await receiver.decrypt('opus', await next.encrypt('opus', opus()))).toHaveLength(31);
    });

    test('a generation whose key has not arrived is unknown, even when a ratchet would give its key', async () => {
      const receiver = new FrameCryptor();
      await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
      // Generation 1 keyed, against the rules, with generation 0's next ratchet step: the
      // receiver still derives nothing across generations.
      const derivable = await ratchetBaseKey(keyOf(2));
      for (const ahead of [await sender(2, 0, 1, derivable), await sender(2, 1, 1, derivable)]) {
        const wire = await ahead.encrypt('opus', opus());
        expect(await rejectionCode(receiver.decrypt('opus', wire))).toBe('unknown_kid');
      }
      // Once its key is installed, its frames decrypt.
      const gen1 = randomBytes(32);
      const next = await sender(2, 0, 1, gen1);
      const wire = await next.encrypt('opus', opus());
      expect(await rejectionCode(receiver.decrypt('opus', wire))).toBe('unknown_kid');
      await receiver.setReceiveKey(kidFor(2, 0, 1), gen1);
      expect(await receiver.decrypt('opus', await next.encrypt('opus', opus()))).toHaveLength(31);
    });

    test('ratchets stay inside their generation: the old one follows its epochs during the grace, the new one its own', async () => {
      const receiver = new FrameCryptor();
      const gen0 = keyOf(2);
      const gen1 = randomBytes(32);
      await receiver.setReceiveKey(kidFor(2, 0, 0), gen0);
      await receiver.setReceiveKey(kidFor(2, 0, 1), gen1);
      const gen0Epoch1 = await sender(2, 1, 0, await ratchetBaseKey(gen0));
      const gen1Epoch1 = await sender(2, 1, 1, await ratchetBaseKey(gen1));
      expect(await receiver.decrypt('opus', await gen0Epoch1.encrypt('opus', opus()))).toHaveLength(
        31,
      );
      expect(await receiver.decrypt('opus', await gen1Epoch1.encrypt('opus', opus()))).toHaveLength(
        31,
      );
      // Generation 2 with generation 1's ratchet: not followed.
      const crossing = await sender(2, 0, 2, await ratchetBaseKey(gen1));
      expect(
        await rejectionCode(receiver.decrypt('opus', await crossing.encrypt('opus', opus()))),
      ).toBe('unknown_kid');
      // Generation 1's epoch 1 under generation 0's ratchet: refused by the tag.
      const mixed = await sender(2, 2, 1, await ratchetBaseKey(await ratchetBaseKey(gen0)));
      expect(
        await rejectionCode(receiver.decrypt('opus', await mixed.encrypt('opus', opus()))),
      ).toBe('auth_failed');
    });

    test('a key of an older generation than the slot has is refused and changes nothing', async () => {
      const receiver = new FrameCryptor();
      const gen1 = randomBytes(32);
      await receiver.setReceiveKey(kidFor(2, 0, 1), gen1);
      await expect(receiver.setReceiveKey(kidFor(2, 0, 0), keyOf(2))).rejects.toMatchObject({
        code: 'invalid_argument',
      });
      const old = await sender(2, 0, 0, keyOf(2));
      expect(await rejectionCode(receiver.decrypt('opus', await old.encrypt('opus', opus())))).toBe(
        'unknown_kid',
      );
      const current = await sender(2, 0, 1, gen1);
      expect(await receiver.decrypt('opus', await current.encrypt('opus', opus()))).toHaveLength(
        31,
      );
    });

    test('a third generation arriving within the grace drops the first at once and keeps the second', async () => {
      const receiver = new FrameCryptor();
      const keys = [keyOf(2), randomBytes(32), randomBytes(32)];
      const senders = await Promise.all(
        keys.map((key, generation) => sender(2, 0, generation, key)),
      );
      const waiting = await Promise.all(senders.map((s) => s.encrypt('opus', opus())));
      for (const [generation, key] of keys.entries()) {
        await receiver.setReceiveKey(kidFor(2, 0, generation), key);
      }
      expect(await rejectionCode(receiver.decrypt('opus', waiting[0]!))).toBe('unknown_kid');
      expect(await receiver.decrypt('opus', waiting[1]!)).toHaveLength(31);
      expect(await receiver.decrypt('opus', waiting[2]!)).toHaveLength(31);
      jest.advanceTimersByTime(PREVIOUS_EPOCH_GRACE_MS);
      const afterGrace = await senders[1]!.encrypt('opus', opus());
      expect(await rejectionCode(receiver.decrypt('opus', afterGrace))).toBe('unknown_kid');
    });

    test('the same generation set again (another device answered) replaces that key at once', async () => {
      const receiver = new FrameCryptor();
      await receiver.setReceiveKey(kidFor(1, 0), keyOf(1));
      const first = await sender(1, 1, 0, await ratchetBaseKey(keyOf(1)));
      expect(await receiver.decrypt('opus', await first.encrypt('opus', opus()))).toHaveLength(31);
      await receiver.setReceiveKey(kidFor(1, 0), keyOf(7));
      // The old device's epoch 1 is gone: the receiver ratchets the new key, which does not fit.
      expect(
        await rejectionCode(receiver.decrypt('opus', await first.encrypt('opus', opus()))),
      ).toBe('auth_failed');
      const answered = await sender(1, 0, 0, keyOf(7));
      expect(await receiver.decrypt('opus', await answered.encrypt('opus', opus()))).toHaveLength(
        31,
      );
    });
  });

  describe('frame counts per sender', () => {
    test('each sender slot has its own counts, by kind, and the totals stay those of the whole call', async () => {
      const receiver = new FrameCryptor();
      const tally = new FrameTally((slot) => receiver.hasReceiveSlot(slot));
      await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
      await receiver.setReceiveKey(kidFor(3, 0), keyOf(3));
      await receiver.setReceiveKey(kidFor(4, 0), keyOf(4));
      const good2 = await sender(2, 0, 0, keyOf(2));
      const wrong3 = await sender(3, 0, 0, keyOf(30)); // slot 3 with a key we do not hold
      const good4 = await sender(4, 0, 0, keyOf(4));
      for (let i = 0; i < 3; i++) {
        await receive(receiver, tally, 'audio', await good2.encrypt('opus', opus()));
        await receive(receiver, tally, 'video', await good2.encrypt('vp8', vp8Delta()));
        await receive(receiver, tally, 'audio', await wrong3.encrypt('opus', opus()));
        await receive(receiver, tally, 'video', await good4.encrypt('vp8', vp8Delta()));
      }
      // Not an SFrame at all: no slot to blame, counted in the totals only.
      await receive(receiver, tally, 'audio', Uint8Array.of(0x78));
      const report = tally.report();
      expect(report.senders).toEqual([
        {
          slot: 2,
          audio: { decrypted: 3, decryptFailed: 0 },
          video: { decrypted: 3, decryptFailed: 0 },
        },
        {
          slot: 3,
          audio: { decrypted: 0, decryptFailed: 3 },
          video: { decrypted: 0, decryptFailed: 0 },
        },
        {
          slot: 4,
          audio: { decrypted: 0, decryptFailed: 0 },
          video: { decrypted: 3, decryptFailed: 0 },
        },
      ]);
      expect(report.counts).toEqual({
        audio: { encrypted: 0, encryptFailed: 0, decrypted: 3, decryptFailed: 4 },
        video: { encrypted: 0, encryptFailed: 0, decrypted: 6, decryptFailed: 0 },
      });
    });

    test('frames of a generation not yet installed fail and count against their own slot', async () => {
      const receiver = new FrameCryptor();
      const tally = new FrameTally((slot) => receiver.hasReceiveSlot(slot));
      await receiver.setReceiveKey(kidFor(2, 0), keyOf(2));
      await receiver.setReceiveKey(kidFor(3, 0), keyOf(3));
      const gen1Key = randomBytes(32);
      const ahead = await sender(2, 0, 1, gen1Key);
      const other = await sender(3, 0, 0, keyOf(3));
      const early = await Promise.all([1, 2].map(() => ahead.encrypt('vp8', vp8Delta())));
      for (const wire of early) expect(await receive(receiver, tally, 'video', wire)).toBe(false);
      expect(await receive(receiver, tally, 'video', await other.encrypt('vp8', vp8Delta()))).toBe(
        true,
      );
      await receiver.setReceiveKey(kidFor(2, 0, 1), gen1Key);
      expect(await receive(receiver, tally, 'video', await ahead.encrypt('vp8', vp8Delta()))).toBe(
        true,
      );
      expect(tally.report().senders).toEqual([
        {
          slot: 2,
          audio: { decrypted: 0, decryptFailed: 0 },
          video: { decrypted: 1, decryptFailed: 2 },
        },
        {
          slot: 3,
          audio: { decrypted: 0, decryptFailed: 0 },
          video: { decrypted: 1, decryptFailed: 0 },
        },
      ]);
    });
  });
});
