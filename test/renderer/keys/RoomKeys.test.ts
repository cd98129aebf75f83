import { randomBytes } from 'node:crypto';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import { createMemberKeyShare } from '../../../renderer/keys/memberKeyShare';
import { RoomKeys } from '../../../renderer/keys/RoomKeys';
import type { MemberOffer } from '../../../renderer/keys/verifyMember';
import { refusalReason } from './refusalReason';
import { MemoryPins, TestDevice, chainOf, roomKeysHost } from './testIdentity';

const callId = '9a8b7c6d-1234-4abc-9def-0123456789ab';

/** One member device: its identity, its pins and its RoomKeys for the call, in `slot`. */
async function member(username: string, slot: number, agreement?: CallKeyAgreement) {
  const device = await TestDevice.create(username, `device_${username}1`);
  const pins = new MemoryPins();
  const keys = await RoomKeys.start(callId, slot, roomKeysHost(device, username, pins), agreement);
  return { device, keys, pins, replays: new KeyShareReplayGuard() };
}
type Member = Awaited<ReturnType<typeof member>>;

/** What the roster carries for `m`: its chain and a share signed now. */
async function offerOf(m: Member): Promise<MemberOffer> {
  return {
    callId,
    slot: m.keys.ownSlot,
    username: m.device.username,
    deviceId: m.device.deviceId,
    identity: await chainOf([m.device]),
    keyShare: await m.keys.ownShare(),
  };
}

const checks = (m: Member) => ({ allowChangedKey: false, now: Date.now(), replays: m.replays });

const senderKey = (generation = 0, epoch = 0) => ({
  generation,
  epoch,
  baseKey: new Uint8Array(randomBytes(32)),
});

/** Alice (0), Bob (1) and Carol (2), each having verified the other two. */
async function threeMembers() {
  const [alice, bob, carol] = await Promise.all([
    member('alice', 0),
    member('bobby', 1),
    member('carol', 2),
  ]);
  for (const receiver of [alice, bob, carol]) {
    for (const other of [alice, bob, carol]) {
      if (other !== receiver) await receiver.keys.addMember(await offerOf(other), checks(receiver));
    }
  }
  return { alice, bob, carol };
}

describe('RoomKeys', () => {
  test('each member unwraps exactly the sender key another wrapped for it', async () => {
    const { alice, bob, carol } = await threeMembers();
    const key = senderKey(0, 1);
    const forBob = await alice.keys.wrapFor(1, key);
    const forCarol = await alice.keys.wrapFor(2, key);
    expect(await bob.keys.unwrapFrom(0, forBob)).toEqual(key);
    expect(await carol.keys.unwrapFrom(0, forCarol)).toEqual(key);
    expect(forBob.ciphertext).not.toBe(forCarol.ciphertext);
    expect(carol.keys.memberSlots).toEqual([0, 1]);
    expect(carol.keys.member(0)).toMatchObject({
      username: 'alice',
      deviceId: 'device_alice1',
      identity: { rootKey: alice.device.identityKey, pin: 'first_use' },
    });
  });

  test("a key wrapped for Bob is refused by Carol, and one relayed as another sender's too", async () => {
    const { alice, carol } = await threeMembers();
    const forBob = await alice.keys.wrapFor(1, senderKey());
    expect(await refusalReason(carol.keys.unwrapFrom(0, forBob))).toBe('misaddressed');
    // Readdressed to Carol, it no longer decrypts: the AAD named Bob.
    expect(await refusalReason(carol.keys.unwrapFrom(0, { ...forBob, to: 2 }))).toBe('tampered');
    // Presented as coming from Bob's slot, it is refused before any decryption.
    expect(await refusalReason(carol.keys.unwrapFrom(1, forBob))).toBe('misaddressed');
  });

  test('a member whose share does not verify never gets our key, and its keys are refused', async () => {
    const alice = await member('alice', 0);
    const mallory = await member('mallo', 3);
    const offer = await offerOf(mallory);
    const forged = { ...offer, keyShare: { ...offer.keyShare, slot: 4 }, slot: 4 };
    expect(await refusalReason(alice.keys.addMember(forged, checks(alice)))).toBe(
      'share_signature',
    );
    expect(alice.keys.memberSlots).toEqual([]);
    expect(await refusalReason(alice.keys.wrapFor(4, senderKey()))).toBe('not_verified');
    expect(await refusalReason(alice.keys.wrapFor(3, senderKey()))).toBe('not_verified');
    // Mallory verified Alice, so Mallory can wrap for her; Alice still takes nothing from Mallory.
    await mallory.keys.addMember(await offerOf(alice), checks(mallory));
    const fromMallory = await mallory.keys.wrapFor(0, senderKey());
    expect(await refusalReason(alice.keys.unwrapFrom(3, fromMallory))).toBe('not_verified');
  });

  test('a stale or replayed share leaves the member out', async () => {
    const alice = await member('alice', 0);
    const carol = await member('carol', 2);
    const offer = await offerOf(carol);
    const late = { ...checks(alice), now: offer.keyShare.signedAt + 5 * 60_000 + 1 };
    expect(await refusalReason(alice.keys.addMember(offer, late))).toBe('share_stale');
    expect(alice.keys.member(2)).toBeNull();
    await alice.keys.addMember(offer, checks(alice));
    const bob = await member('bobby', 1);
    expect(
      await refusalReason(bob.keys.addMember(offer, { ...checks(bob), replays: alice.replays })),
    ).toBe('share_replayed');
  });

  test('a slot is held by one device and one key: a second claimant is refused', async () => {
    const alice = await member('alice', 0);
    const carol = await member('carol', 2);
    await alice.keys.addMember(await offerOf(carol), checks(alice));
    // Carol presenting a fresh share again (to a later joiner's benefit) changes nothing. It is
    // signed at a later moment, as a refresh is: one signed in the same millisecond would be the
    // same signature (Ed25519 is deterministic), which the replay guard rightly refuses.
    const later = Date.now() + 1_000;
    carol.device.clock = () => later;
    expect((await alice.keys.addMember(await offerOf(carol), checks(alice))).slot).toBe(2);
    const impostor = await member('carol', 2);
    expect(await refusalReason(alice.keys.addMember(await offerOf(impostor), checks(alice)))).toBe(
      'slot_mismatch',
    );
    const key = senderKey();
    expect(await carol.keys.addMember(await offerOf(alice), checks(carol))).toBeTruthy();
    expect(await alice.keys.unwrapFrom(2, await carol.keys.wrapFor(0, key))).toEqual(key);
  });

  test('our own slot, and a slot that left, are refused', async () => {
    const alice = await member('alice', 0);
    const twin = await member('alice', 0);
    expect(await refusalReason(alice.keys.addMember(await offerOf(twin), checks(alice)))).toBe(
      'slot_mismatch',
    );
    const carol = await member('carol', 2);
    await alice.keys.addMember(await offerOf(carol), checks(alice));
    alice.keys.removeMember(2);
    expect(await refusalReason(alice.keys.wrapFor(2, senderKey(1, 0)))).toBe('not_verified');
    expect(await refusalReason(alice.keys.addMember(await offerOf(carol), checks(alice)))).toBe(
      'slot_mismatch',
    );
  });

  test("a 1:1 caller keeps its call's ephemeral key: its member share over it verifies for a joiner, who then shares keys with it", async () => {
    const agreement = await CallKeyAgreement.create();
    const alice = await member('alice', 0, agreement);
    const carol = await member('carol', 2);
    const context = { callId, slot: 0, username: 'alice', deviceId: 'device_alice1' };
    const share = await createMemberKeyShare(alice.device, context, agreement.publicKey);
    const offer = { ...(await offerOf(alice)), keyShare: share };
    expect(alice.keys.ephemeralKey).toBe(agreement.publicKey);
    await carol.keys.addMember(offer, checks(carol));
    await alice.keys.addMember(await offerOf(carol), checks(alice));
    const key = senderKey(0, 3);
    expect(await carol.keys.unwrapFrom(0, await alice.keys.wrapFor(2, key))).toEqual(key);
  });

  test('a signed low-order ephemeral key is refused before anything is pinned', async () => {
    const alice = await member('alice', 0);
    const carol = await member('carol', 2);
    const context = { callId, slot: 2, username: 'carol', deviceId: carol.device.deviceId };
    const zero = Buffer.alloc(32).toString('base64');
    const keyShare = await createMemberKeyShare(carol.device, context, zero);
    const offer = { ...(await offerOf(carol)), keyShare };
    expect(await refusalReason(alice.keys.addMember(offer, checks(alice)))).toBe(
      'bad_ephemeral_key',
    );
    expect(alice.pins.pins.size).toBe(0);
    expect(alice.keys.member(2)).toBeNull();
  });

  test('a share for another call is refused', async () => {
    const alice = await member('alice', 0);
    const carol = await member('carol', 2);
    const offer = { ...(await offerOf(carol)), callId: '9a8b7c6d-1234-4abc-9def-ffffffffffff' };
    expect(await refusalReason(alice.keys.addMember(offer, checks(alice)))).toBe('slot_mismatch');
  });
});
