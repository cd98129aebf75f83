import { randomBytes, randomUUID } from 'node:crypto';
import type { CallMedia, ClientMessageOf, RoomMember } from '../../../protocol';
import { kidFor } from '../../../renderer/e2ee/callKeyIds';
import { createMemberKeyShare } from '../../../renderer/keys/memberKeyShare';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import type { TileSize } from '../../../renderer/state/groupCallView';
import type { GrowingCall } from '../../../renderer/state/growingCall';
import { RoomClient } from '../../../renderer/state/RoomClient';
import { RoomKeyExchange } from '../../../renderer/state/RoomKeyExchange';
import { RESUME_RETRY_MS } from '../../../renderer/state/RoomMedia';
import { DECRYPT_FAILED_AFTER_MS } from '../../../renderer/call/E2eeStatusTracker';
import { MEDIA_FLOWING_MS } from '../../../renderer/state/remoteMembers/MemberFlow';
import { TestDevice } from '../keys/testIdentity';
import {
  FakeMediaPath,
  OtherMember,
  consumerOffer,
  fakeTrack,
  type FakeTrack,
  roomInvite,
  roomState,
} from './fakeRoomServer';
import {
  FakeOneToOneCall,
  answerCreateAlone,
  carolJoinsOntoSfu,
  chooseInput,
  growByInvitingCarol,
  inputsOf,
  ringFrom,
  roomClientPage,
  setCamera,
  setMicrophone,
} from './roomClientPage';
import { settle } from './settle';

// Key agreement, signing and safety numbers are real Web Crypto work: a busy machine is slow.
jest.setTimeout(30_000);

const clients: RoomClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.onSignedOut();
});

const user = (username: string) => ({
  username,
  displayName: username.charAt(0).toUpperCase() + username.slice(1),
});

async function setup(
  options: {
    rooms?: boolean;
    rotationSwitchMs?: number;
    pathSwitchSafetyMs?: number;
    /** Holds the path back, as SfuPath's code loading on first use does, until it resolves. */
    pathLoaded?: Promise<void>;
    oneToOne?: () => GrowingCall | null;
    /** The clock the client reads (default the real one). */
    now?: () => number;
  } = {},
) {
  const page = await roomClientPage(
    'alice',
    { rooms: options.rooms, pathLoaded: options.pathLoaded },
    {
      now: options.now ?? (() => Date.now()),
      rotationSwitchMs: options.rotationSwitchMs ?? 60_000,
      ...(options.pathSwitchSafetyMs === undefined
        ? {}
        : { pathSwitchSafetyMs: options.pathSwitchSafetyMs }),
      oneToOneCall: options.oneToOne ?? (() => null),
    },
  );
  clients.push(page.client);
  return page;
}
type Setup = Awaited<ReturnType<typeof setup>>;

/**
 * Alice's call through the SFU with Bob in it: Bob's key is in (acknowledged) and our media is
 * sent (room.media said).
 */
async function sendingWithBobsKey(s: Setup): Promise<string> {
  const { callId, aliceEntry } = await created(s);
  const bob = await joins(s, callId, aliceEntry, 'bob', 1);
  s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
  await settle(() => s.server.of('room.key_ack').length === 1);
  await settle(() => s.server.of('room.media').length === 1);
  return callId;
}

type OfferFields = Parameters<typeof consumerOffer>[0];

/** The SFU offers us Bob's (slot 1) `source` on our receive transport now (room.consumer). */
function offerBobs(
  s: Setup,
  offer: Pick<OfferFields, 'callId' | 'kind' | 'source'> &
    Partial<Pick<OfferFields, 'consumerId' | 'mid'>>,
): void {
  s.server.push(consumerOffer({ transportId: s.server.receiveTransportId, slot: 1, ...offer }));
}

/** Alice creates a video call; the server answers with her alone in slot 0. */
async function created(s: Setup, invitees: string[] = []) {
  answerCreateAlone(s);
  await s.client.create('video', invitees);
  const create = s.server.of('room.create')[0]!;
  return { callId: create.callId, aliceEntry: s.self.entry(create.share) };
}

/** Another member joins Alice's call in `slot`, having verified her. */
async function joins(s: Setup, callId: string, aliceEntry: RoomMember, name: string, slot: number) {
  const member = await OtherMember.join(name, slot, callId);
  await member.verify(aliceEntry);
  s.server.push({ type: 'room.member_joined', callId, member: await member.entry() });
  await settle(() => s.server.keysTo(slot).length > 0);
  // Verified: its safety number follows (real work, left to finish before the test goes on).
  const tile = () => s.client.view.value!.tiles.find((t) => t.slot === slot);
  await settle(() => (tile()?.safetyNumber ?? null) !== null);
  return member;
}

/** The worker reports `decrypted` audio frames of the member in `slot` so far, and nothing else. */
function audioFramesFrom(s: Setup, slot: number, decrypted: number): void {
  s.path().events.e2eeReport({
    kind: 'stats',
    counts: {
      audio: { encrypted: 0, encryptFailed: 0, decrypted, decryptFailed: 0 },
      video: { encrypted: 0, encryptFailed: 0, decrypted: 0, decryptFailed: 0 },
    },
    senders: [
      { slot, audio: { decrypted, decryptFailed: 0 }, video: { decrypted: 0, decryptFailed: 0 } },
    ],
  });
}

/**
 * Alice's call with Bob (slot 1) joined, on a clock the test moves (`clock.now`); the worker's
 * report of Bob's audio frames so far (`framesOfBob`), and his tile.
 */
async function bobInCallOnAClock() {
  const clock = { now: Date.now() };
  const s = await setup({ now: () => clock.now });
  const { callId, aliceEntry } = await created(s, ['bob']);
  await joins(s, callId, aliceEntry, 'bob', 1);
  await settle(() => s.server.of('room.media').length === 1);
  const framesOfBob = (decrypted: number) => audioFramesFrom(s, 1, decrypted);
  const bobTile = () => s.client.view.value!.tiles.find((t) => t.slot === 1)!;
  return { s, callId, clock, framesOfBob, bobTile };
}

const senderKey = (generation: number, epoch: number) => ({
  generation,
  epoch,
  baseKey: new Uint8Array(randomBytes(32)),
});

/** The server's room.invitation of `username` in the call, in `state`. */
const invitation = (callId: string, username: string, state: 'ringing' | 'joined') => ({
  type: 'room.invitation',
  callId,
  invitation: { user: user(username), state, invitedBy: 0 },
});

/** The server answers our room.link_open with a preview of Erin's call `callId`, whose link asks first. */
function answerLinkOpenAskingFirst(s: Setup, callId: string): void {
  s.server.answer('room.link_open', (m) => ({
    v: 1,
    type: 'room.preview',
    re: (m as ClientMessageOf<'room.link_open'>).id,
    callId,
    media: 'video',
    creator: user('erin'),
    members: 2,
    approval: true,
  }));
}

const receiveKeys = (path: FakeMediaPath) =>
  path.keys.filter((m) => m.kind === 'setReceiveKey').map((m) => m.kid);
const sendKids = (path: FakeMediaPath) =>
  path.keys.filter((m) => m.kind === 'setSendKey').map((m) => m.kid);

/**
 * Alice's 1:1 call with Bob grows: Carol is invited, both shares verified, Carol joins and the
 * call moves to the SFU. `report` is what Alice's worker counts of Bob's frames through the SFU
 * (`failed` of each kind failing to decrypt).
 */
async function grownOntoSfu(
  options: { pathSwitchSafetyMs?: number; now?: () => number; bobsTile?: TileSize } = {},
) {
  const call = await FakeOneToOneCall.start();
  if (options.now) call.clock = options.now;
  const s = await setup({ ...options, oneToOne: call.growable });
  const aliceEntry = await growByInvitingCarol(s, call);
  // Bob's camera tile on screen while the 1:1 connection still carries him.
  if (options.bobsTile) s.client.actions.tileResized(1, 'camera', options.bobsTile);
  await carolJoinsOntoSfu(s, call, aliceEntry);
  await settle(() => s.paths.length === 1);
  expect(s.client.view.value!.path).toBe('sfu');
  expect(call.asked).toContain('moving');
  expect(s.client.ended.value).toBeNull();
  await settle(() => s.server.of('room.media').length === 1);
  expect(s.path().produced).toEqual(['microphone', 'camera']);

  const report = (audio: number, video: number, failed = 0) =>
    s.path().events.e2eeReport({
      kind: 'stats',
      counts: {
        audio: { encrypted: 0, encryptFailed: 0, decrypted: audio, decryptFailed: failed },
        video: { encrypted: 0, encryptFailed: 0, decrypted: video, decryptFailed: failed },
      },
      senders: [
        {
          slot: 1,
          audio: { decrypted: audio, decryptFailed: failed },
          video: { decrypted: video, decryptFailed: failed },
        },
      ],
    });
  const bobCamera = () => s.client.view.value!.tiles.find((t) => t.slot === 1)!.camera;
  return { call, s, report, bobCamera };
}

describe("a grown call's peer: one member for the whole call", () => {
  /** Alice's grown call on a clock the test moves; Bob's tile, and his room.media. */
  async function onAClock() {
    const clock = { now: Date.now() };
    const grown = await grownOntoSfu({ now: () => clock.now });
    const { s, call } = grown;
    const bobTile = () => s.client.view.value!.tiles.find((t) => t.slot === 1)!;
    /** The clock moves on by `ms`; the 1:1 connection's worker, while open, reports Bob's frames. */
    const later = (ms: number) => {
      clock.now += ms;
      if (call.live) call.framesOverOneToOne();
    };
    return { ...grown, later, bobTile };
  }

  test('Bob mutes on the 1:1 connection: his group tile shows him muted, over it and through the SFU, until he says otherwise', async () => {
    const { s, call, report, bobTile } = await onAClock();
    expect(bobTile()).toMatchObject({ microphoneOn: true, cameraOn: true });
    // His call.media reaches the 1:1 call's model of him (CallUnderWay.onMedia): the same member.
    call.bobMember.said({ audio: false, video: true });
    expect(bobTile()).toMatchObject({ microphoneOn: false, cameraOn: true, state: 'live' });
    report(4, 3);
    report(9, 6);
    expect(bobTile().camera).toBeNull(); // the SFU's tracks now
    expect(bobTile()).toMatchObject({ microphoneOn: false, cameraOn: true, state: 'live' });
    s.server.push({
      type: 'room.media',
      callId: call.callId,
      slot: 1,
      audio: true,
      video: true,
      screen: false,
    });
    expect(bobTile()).toMatchObject({ microphoneOn: true, cameraOn: true });
  });

  test("Bob's tile stays live across the switch: the SFU's counts, failing before his key is in and then starting from zero, say nothing while the 1:1 connection carries him, nor after", async () => {
    const { s, call, report, later, bobTile } = await onAClock();
    expect(bobTile().state).toBe('live');
    report(0, 0, 5);
    later(DECRYPT_FAILED_AFTER_MS + 500);
    report(0, 0, 40);
    expect(bobTile().state).toBe('live');
    later(500);
    report(4, 3, 40);
    later(500);
    report(9, 6, 40);
    expect(bobTile().camera).toBeNull();
    expect(bobTile().state).toBe('live');
    // Bob receives us through the SFU too: the 1:1 connection, whose worker counted far more of
    // his frames than the SFU's has, closes. Each path's counts are its own.
    s.server.push({ type: 'room.carried', callId: call.callId, slot: 1 });
    expect(call.asked).toContain('handOver');
    for (let step = 1; step <= 8; step += 1) {
      later(500);
      report(9 + step * 5, 6 + step * 5, 40);
      expect(bobTile().state).toBe('live');
    }
  });

  test("Bob's frames failing through the SFU for 2 s after the switch show can't decrypt, though the 1:1 connection still decrypts them", async () => {
    const { report, later, bobTile } = await onAClock();
    report(4, 3);
    report(9, 6);
    expect(bobTile().camera).toBeNull();
    later(500);
    report(9, 6, 5);
    later(DECRYPT_FAILED_AFTER_MS - 1);
    report(9, 6, 30);
    expect(bobTile().state).toBe('live');
    later(1);
    report(9, 6, 31);
    expect(bobTile().state).toBe('cant_decrypt');
  });
});

test("a tile on screen before the call moved to the SFU keeps its size: Bob's camera through the SFU plays at the layer that fills it", async () => {
  const { s, call } = await grownOntoSfu({ bobsTile: { width: 320, height: 180 } });
  const camera = randomUUID();
  offerBobs(s, { callId: call.callId, consumerId: camera, kind: 'video', source: 'camera' });
  await settle(() => s.path().consumed.length === 1);
  s.server.push({
    type: 'room.key',
    callId: call.callId,
    key: await call.bob.wrapFor(0, senderKey(0, 0)),
  });
  await settle(() => s.server.of('room.keyframe').length === 1);
  expect(s.server.of('room.layers').map((m) => [m.consumerId, m.spatialLayer])).toEqual([
    [camera, 0],
  ]);
  expect(s.server.of('room.resume').map((m) => m.consumerId)).toEqual([camera]);
});

describe('RoomClient', () => {
  test('a 1:1 call that cannot grow because the account is gone once its keys are made closes those keys, invites nobody and says why', async () => {
    const closed = jest.spyOn(RoomKeyExchange.prototype, 'close');
    try {
      const call = await FakeOneToOneCall.start();
      const s = await setup({ oneToOne: call.growable });
      // Signed out in another tab while the keys were made.
      s.self.host.getAccount = async () => null;
      await s.client.invite(['carol']);
      expect(closed).toHaveBeenCalledTimes(1);
      expect(s.client.error.value).toBe('Sign in before inviting anyone.');
      expect(s.client.view.value).toBeNull();
      expect(s.server.of('room.invite')).toEqual([]);
      expect(call.asked).toEqual([]);
    } finally {
      closed.mockRestore();
    }
  });

  test('a 1:1 call grows when we invite someone: our share goes once it rings, and Bob shows over the 1:1 connection', async () => {
    const call = await FakeOneToOneCall.start();
    const s = await setup({ oneToOne: call.growable });
    await s.client.invite(['carol']);
    expect(s.server.of('room.invite')).toEqual([
      expect.objectContaining({ callId: call.callId, to: 'carol' }),
    ]);
    const view = s.client.view.value!;
    expect(view.path).toBe('p2p');
    expect(view.tiles.map((t) => [t.slot, t.username, t.self])).toEqual([
      [0, 'alice', true],
      [1, 'bob', false],
    ]);
    // Bob's tile plays what the 1:1 connection brings, no SFU anywhere yet.
    expect(view.tiles[1]).toMatchObject({ state: 'live', microphoneOn: true, cameraOn: true });
    expect(view.tiles[1]!.camera).toEqual({ id: `stream:${call.remote.camera.id}` });
    expect(view.tiles[0]!.camera).not.toBeNull();
    expect(s.paths).toEqual([]);
    expect(s.server.of('room.share')).toEqual([]);

    // Carol's invitation rings: our member share for slot 0 goes, and Bob can verify it.
    s.server.push(invitation(call.callId, 'carol', 'ringing'));
    await settle(() => s.server.of('room.share').length === 1);
    const share = s.server.of('room.share')[0]!.share;
    expect(share.slot).toBe(0);
    await call.bob.verify(s.self.entry(share));
    expect(s.client.view.value!.invited).toEqual([
      { username: 'carol', displayName: 'Carol', state: 'ringing' },
    ]);

    // Muting in the group call's screen mutes the 1:1 connection too, while it carries the call.
    setMicrophone(s.client.member, false);
    expect(call.asked).toEqual(['microphone:false']);
    // So does another microphone chosen meanwhile: the 1:1 connection sends it too.
    const microphone = fakeTrack('audio');
    await chooseInput(s.client.member, microphone);
    expect(call.asked).toEqual(['microphone:false', `1:1 sends microphone ${microphone.id}`]);
    expect(inputsOf(s.client.member)).toContain(microphone);
    expect(microphone.enabled).toBe(false);
  });

  test("the other party's 1:1 call grows on the server's first invitation: it takes the call in slot 1 and sends its share", async () => {
    const call = await FakeOneToOneCall.start();
    const bobSide = await setup({
      oneToOne: () => {
        const grown = call.growable();
        return grown && { ...grown, ownSlot: 1, peer: { ...grown.peer, slot: 0 } };
      },
    });
    bobSide.server.push(invitation(call.callId, 'carol', 'ringing'));
    await settle(() => bobSide.server.of('room.share').length === 1);
    expect(bobSide.server.of('room.share')[0]!.share.slot).toBe(1);
    const view = bobSide.client.view.value!;
    expect(view.tiles.map((t) => [t.slot, t.self])).toEqual([
      [1, true],
      [0, false],
    ]);
    expect(view.invited.map((i) => i.state)).toEqual(['ringing']);
    // An invitation of some other call grows nothing.
    const other = await setup({ oneToOne: call.growable });
    other.server.push(invitation(randomUUID(), 'carol', 'ringing'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.client.view.value).toBeNull();
    expect(other.server.sent).toEqual([]);
  });

  test('Carol joins and the call moves to the SFU: Bob shows over the 1:1 connection until he comes through the SFU, which stays open for him meanwhile', async () => {
    const { call, s, report, bobCamera } = await grownOntoSfu();
    // Until Bob's frames decrypt through the SFU, his tile still plays the 1:1 connection.
    expect(s.client.view.value!.tiles.find((t) => t.slot === 1)!.camera).toEqual({
      id: `stream:${call.remote.camera.id}`,
    });
    report(4, 0);
    expect(bobCamera()).toEqual({ id: `stream:${call.remote.camera.id}` });
    report(9, 3);
    // Flowing, but the first report of it: the decoder may still wait for its key frame.
    expect(bobCamera()).toEqual({ id: `stream:${call.remote.camera.id}` });
    expect(s.server.of('room.carried')).toEqual([]);
    report(20, 12);
    // Bob's tile shows the SFU's tracks now (no SFU consumer in this test: none yet)...
    expect(bobCamera()).toBeNull();
    expect(s.client.view.value!.tiles.find((t) => t.slot === 1)!.state).toBe('live');
    // ...and Bob is told he comes through, once...
    report(30, 20);
    expect(s.server.of('room.carried')).toEqual([expect.objectContaining({ callId: call.callId })]);
    // ...but the 1:1 connection stays open meanwhile: Bob may not receive us through the SFU yet.
    expect(call.asked).not.toContain('handOver');
    expect(s.server.of('room.leave')).toEqual([]);
    // Leaving closes it, with no hang-up of its own: the server hears one leave.
    s.client.leave();
    expect(call.asked.at(-1)).toBe('handOver');
    expect(s.server.of('room.leave')).toHaveLength(1);
  });

  test('the 1:1 connection closes as soon as Bob comes through the SFU here and says we come through to him; the call goes on', async () => {
    const { call, s, report, bobCamera } = await grownOntoSfu();
    // Bob receives us through the SFU first: we still need his media over the 1:1 connection.
    s.server.push({ type: 'room.carried', callId: call.callId, slot: 1 });
    // Carol was never in the 1:1 call: a word naming her slot means nothing here.
    s.server.push({ type: 'room.carried', callId: call.callId, slot: 2 });
    expect(call.asked).not.toContain('handOver');
    expect(bobCamera()).toEqual({ id: `stream:${call.remote.camera.id}` });
    report(4, 3);
    expect(call.asked).not.toContain('handOver');
    report(9, 6);
    // Both directions through the SFU: Bob is told, and the 1:1 connection closes, no hang-up.
    expect(s.server.of('room.carried')).toHaveLength(1);
    expect(call.asked.filter((asked) => asked === 'handOver' || asked === 'hangUp')).toEqual([
      'handOver',
    ]);
    expect(bobCamera()).toBeNull();
    expect(s.client.view.value).toMatchObject({ path: 'sfu' });
    expect(s.client.view.value!.tiles.map((t) => t.slot)).toEqual([0, 1, 2]);
    expect(s.client.ended.value).toBeNull();
    expect(s.server.of('room.leave')).toEqual([]);
    // Muting now reaches only the SFU's producer: the 1:1 connection is gone.
    setMicrophone(s.client.member, false);
    expect(call.asked).not.toContain('microphone:false');
  });

  test("the group call attaches to the 1:1 call's own ActiveCall: its 1:1 side closing stops no track and hangs nothing up; leaving the group call stops them", async () => {
    const { call, s, report } = await grownOntoSfu();
    // The same call object, held by both layers: its members are the group call's.
    expect(call.activeCall.heldBy('pair')).toBe(true);
    expect(call.activeCall.heldBy('room')).toBe(true);
    expect(s.client.member).toBe(call.member);
    expect(call.activeCall.members.remote.get(1)).toBe(call.bobMember);
    const microphone = call.media.track('microphone')!;
    const camera = call.media.track('camera')!;

    s.server.push({ type: 'room.carried', callId: call.callId, slot: 1 });
    report(4, 3);
    report(9, 6);
    expect(call.asked.filter((asked) => asked === 'handOver' || asked === 'hangUp')).toEqual([
      'handOver',
    ]);
    expect(call.activeCall.heldBy('pair')).toBe(false);
    expect([microphone.readyState, camera.readyState]).toEqual(['live', 'live']);

    s.client.leave();
    expect(call.activeCall.heldBy('room')).toBe(false);
    expect([microphone.readyState, camera.readyState]).toEqual(['ended', 'ended']);
  });

  test("the grown call's member is the 1:1 call's own: Bob hears each change once over the 1:1 connection, the group once through the SFU, and after the hand-over only the group", async () => {
    const { call, s, report } = await grownOntoSfu();
    expect(s.client.member).toBe(call.member);
    // The SFU sending our media tells the group; Bob, over the 1:1 connection, heard it all already.
    expect(call.told).toEqual([]);
    const told = s.server.of('room.media').length;
    setMicrophone(s.client.member, false);
    expect(call.told).toEqual([{ audio: false, video: true }]);
    expect(s.server.of('room.media').slice(told)).toEqual([
      expect.objectContaining({ audio: false, video: true, screen: false }),
    ]);
    expect(call.asked).toContain('microphone:false');

    // Both directions through the SFU: the 1:1 connection closes.
    s.server.push({ type: 'room.carried', callId: call.callId, slot: 1 });
    report(4, 3);
    report(9, 6);
    expect(call.asked).toContain('handOver');
    setMicrophone(s.client.member, true);
    expect(call.told).toEqual([{ audio: false, video: true }]);
    expect(s.server.of('room.media').slice(told)).toEqual([
      expect.objectContaining({ audio: false }),
      expect.objectContaining({ audio: true, video: true, screen: false }),
    ]);
    expect(s.client.member.muted.value).toBe(false);
  });

  test('when Bob never says so, or the SFU path fails meanwhile, the safety bound closes the 1:1 connection and the call goes on through the SFU', async () => {
    const { call, s, report, bobCamera } = await grownOntoSfu({ pathSwitchSafetyMs: 1_000 });
    report(4, 3);
    report(9, 6);
    expect(s.server.of('room.carried')).toHaveLength(1);
    // The SFU loses the call: its path is made again, while the 1:1 connection is still open.
    s.server.push({ type: 'room.sfu_lost', callId: call.callId });
    await settle(() => s.paths.length === 2);
    await settle(() => call.asked.includes('handOver'));
    expect(call.asked).not.toContain('hangUp');
    expect(bobCamera()).toBeNull();
    expect(s.client.view.value).toMatchObject({ path: 'sfu' });
    expect(s.client.ended.value).toBeNull();
    expect(s.server.of('room.leave')).toEqual([]);
    await settle(() => s.server.of('room.produce').length === 4);
    expect(s.path().produced).toEqual(['microphone', 'camera']);
  });

  test('when Bob leaves before the SFU carries both ways, his 1:1 connection closes at once and the call goes on with Carol', async () => {
    const { call, s } = await grownOntoSfu();
    s.server.push({ type: 'room.member_left', callId: call.callId, slot: 1, reason: 'left' });
    expect(call.asked.filter((asked) => asked === 'handOver' || asked === 'hangUp')).toEqual([
      'handOver',
    ]);
    expect(s.client.view.value!.tiles.map((t) => t.slot)).toEqual([0, 2]);
    expect(s.client.ended.value).toBeNull();
    expect(s.server.of('room.leave')).toEqual([]);
  });

  test('when the SFU never carries Bob here, the safety bound still closes the 1:1 connection and nothing ends', async () => {
    const { call, s } = await grownOntoSfu({ pathSwitchSafetyMs: 500 });
    s.server.push({ type: 'room.carried', callId: call.callId, slot: 1 });
    await settle(() => call.asked.includes('handOver'));
    // We never received Bob through the SFU, so we never said so.
    expect(s.server.of('room.carried')).toEqual([]);
    expect(call.asked).not.toContain('hangUp');
    expect(s.client.view.value).toMatchObject({ path: 'sfu' });
    expect(s.client.ended.value).toBeNull();
    expect(s.server.of('room.leave')).toEqual([]);
  });

  test('a grown call whose third person never joins ends with the 1:1 call, with nothing to say', async () => {
    const call = await FakeOneToOneCall.start();
    const s = await setup({ oneToOne: call.growable });
    await s.client.invite(['carol']);
    s.server.push(invitation(call.callId, 'carol', 'ringing'));
    // Leaving from the group call's screen hangs up the 1:1 call, as its own screen would.
    s.client.leave();
    expect(call.asked).toEqual(['hangUp']);
    expect(s.server.of('room.leave')).toEqual([]);
    s.client.oneToOneEnded();
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toBeNull();
  });

  test('a created call shows us alone, rings who we invited, and sends our media through the SFU', async () => {
    const s = await setup();
    const { callId } = await created(s, ['bob']);

    expect(s.server.of('room.create')[0]).toMatchObject({ media: 'video', share: { slot: 0 } });
    expect(s.server.of('room.invite')).toEqual([expect.objectContaining({ callId, to: 'bob' })]);
    s.server.push({
      type: 'room.invitation',
      callId,
      invitation: { user: user('bob'), state: 'ringing', invitedBy: 0 },
    });
    const view = s.client.view.value!;
    expect(view.tiles.map((t) => [t.username, t.self])).toEqual([['alice', true]]);
    expect(view.invited).toEqual([{ username: 'bob', displayName: 'Bob', state: 'ringing' }]);
    expect(view.path).toBe('sfu');
    expect(view.canInvite).toBe(true);

    // The path: router, transports, both connected, microphone and camera produced, then said.
    await settle(() => s.server.of('room.media').length === 1);
    expect(s.path().produced).toEqual(['microphone', 'camera']);
    expect(s.server.of('room.produce').map((m) => [m.kind, m.source])).toEqual([
      ['audio', 'microphone'],
      ['video', 'camera'],
    ]);
    expect(s.server.of('room.media')[0]).toMatchObject({ audio: true, video: true, screen: false });
    expect(s.client.view.value!.tiles[0]).toMatchObject({ microphoneOn: true, cameraOn: true });
    expect(s.client.view.value!.tiles[0]!.camera).not.toBeNull();
  });

  test('a member who joins gets our key one epoch on, shows as a tile, and plays once its key is in and its tile on screen', async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s, ['bob']);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    s.server.push({
      type: 'room.invitation',
      callId,
      invitation: { user: user('bob'), state: 'joined', invitedBy: 0 },
    });

    // Our key ratcheted for the joiner: epoch 1 of generation 0, and it opens for Bob.
    const toBob = s.server.keysTo(1);
    expect(toBob.map((k) => [k.from, k.generation, k.epoch])).toEqual([[0, 0, 1]]);
    await expect(bob.unwrap(0, toBob[0]!)).resolves.toMatchObject({ generation: 0, epoch: 1 });
    expect(sendKids(s.path()).at(-1)).toBe(kidFor(0, 1, 0));

    await settle(() => (s.client.view.value!.tiles[1]?.safetyNumber ?? null) !== null);
    const tiles = s.client.view.value!.tiles;
    expect(tiles.map((t) => t.username)).toEqual(['alice', 'bob']);
    expect(tiles[1]).toMatchObject({ self: false, state: 'connecting', displayName: 'Bob' });
    expect(tiles[1]!.safetyNumber).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(s.client.view.value!.invited[0]!.state).toBe('joined');

    // Bob's media: offered paused, not resumed before his key.
    await settle(() => s.server.of('room.media').length === 1);
    const mic = randomUUID();
    const camera = randomUUID();
    for (const [consumerId, kind, source] of [
      [mic, 'audio', 'microphone'],
      [camera, 'video', 'camera'],
    ] as const) {
      offerBobs(s, { callId, consumerId, kind, source });
    }
    await settle(() => s.path().consumed.length === 2);
    expect(s.server.of('room.resume')).toEqual([]);
    expect(s.client.view.value!.tiles[1]!.camera).not.toBeNull();

    // His key: installed, acknowledged, and his audio plays; his video waits for its tile.
    s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
    await settle(() => s.server.of('room.resume').length === 1);
    expect(receiveKeys(s.path())).toEqual([kidFor(1, 0, 0)]);
    expect(s.server.of('room.key_ack')).toEqual([
      expect.objectContaining({ slot: 1, generation: 0, epoch: 0 }),
    ]);
    expect(s.server.of('room.resume')[0]!.consumerId).toBe(mic);

    // A small tile on screen: the lowest layer, resumed, and a key frame asked for.
    s.client.actions.tileResized(1, 'camera', { width: 320, height: 180 });
    await settle(() => s.server.of('room.keyframe').length === 1);
    expect(s.server.of('room.layers').map((m) => [m.consumerId, m.spatialLayer])).toEqual([
      [camera, 0],
    ]);
    expect(s.server.of('room.resume').map((m) => m.consumerId)).toEqual([mic, camera]);
    // Larger: the top layer. Off screen: paused.
    s.client.actions.tileResized(1, 'camera', { width: 1280, height: 720 });
    await settle(() => s.server.of('room.layers').length === 2);
    expect(s.server.of('room.layers')[1]!.spatialLayer).toBe(2);
    s.client.actions.tileResized(1, 'camera', null);
    await settle(() => s.server.of('room.pause').length === 1);
    expect(s.server.of('room.pause')[0]!.consumerId).toBe(camera);

    // Frames of his decrypt: his tile is live.
    s.path().events.e2eeReport({
      kind: 'stats',
      counts: {
        audio: { encrypted: 0, encryptFailed: 0, decrypted: 5, decryptFailed: 0 },
        video: { encrypted: 0, encryptFailed: 0, decrypted: 3, decryptFailed: 0 },
      },
      senders: [
        {
          slot: 1,
          audio: { decrypted: 5, decryptFailed: 0 },
          video: { decrypted: 3, decryptFailed: 0 },
        },
      ],
    });
    expect(s.client.view.value!.tiles[1]!.state).toBe('live');

    // His consumer closes: its stream goes from the tile.
    s.server.push({ type: 'room.consumer_closed', callId, consumerId: camera });
    expect(s.client.view.value!.tiles[1]!.camera).toBeNull();
  });

  test('a member away from the server whose media still reaches us shows live; once its frames stop, reconnecting', async () => {
    const { s, callId, clock, framesOfBob, bobTile } = await bobInCallOnAClock();
    framesOfBob(50);
    s.server.push({ type: 'room.member_state', callId, slot: 1, state: 'reconnecting' });
    expect(bobTile().state).toBe('live');
    clock.now += 500;
    framesOfBob(75);
    expect(bobTile().state).toBe('live');
    // No new frame for three seconds: his media stopped too.
    clock.now += MEDIA_FLOWING_MS;
    framesOfBob(75);
    expect(bobTile().state).toBe('reconnecting');
    // Back with the server, but no frame of his reaches us yet: still reconnecting.
    s.server.push({ type: 'room.member_state', callId, slot: 1, state: 'joined' });
    expect(bobTile().state).toBe('reconnecting');
    // His frames decrypt again: live, as his frames say.
    clock.now += 500;
    framesOfBob(100);
    expect(bobTile().state).toBe('live');
  });

  test('a member with the server whose frames stop reaching us shows reconnecting, not a frozen picture; not while our own path is down', async () => {
    const { s, clock, framesOfBob, bobTile } = await bobInCallOnAClock();
    // Joined, no frame yet: connecting, as ever.
    expect(bobTile().state).toBe('connecting');
    s.path().events.connectionState('connected');
    framesOfBob(50);
    expect(bobTile().state).toBe('live');
    clock.now += MEDIA_FLOWING_MS - 1;
    framesOfBob(50);
    expect(bobTile().state).toBe('live');
    // Three seconds without a new frame, though he is with the server.
    clock.now += 1;
    framesOfBob(50);
    expect(bobTile().state).toBe('reconnecting');
    // His frames again: live.
    clock.now += 500;
    framesOfBob(60);
    expect(bobTile().state).toBe('live');
    // Our own path to the SFU goes down: the call says it reconnects, not each tile.
    s.path().events.connectionState('disconnected');
    clock.now += MEDIA_FLOWING_MS;
    framesOfBob(60);
    expect(s.client.view.value!.reconnecting).toBe('media');
    expect(bobTile().state).toBe('live');
  });

  test("a sender's key installed while its tile's layer is being set resumes its video for good", async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s, ['bob']);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    const camera = randomUUID();
    offerBobs(s, { callId, consumerId: camera, kind: 'video', source: 'camera' });
    await settle(() => s.path().consumed.length === 1);

    // The layer request is answered only once the key is in: the update that asked it must not
    // pause what the key's own update resumed meanwhile.
    let answerLayers = () => {};
    const layersAnswered = new Promise<void>((resolve) => (answerLayers = resolve));
    const request = s.server.signaling.request as (...args: unknown[]) => Promise<unknown>;
    s.server.signaling.request = (async (...args: unknown[]) => {
      const reply = request(...args);
      if (args[0] === 'room.layers') await layersAnswered;
      return reply;
    }) as never;
    s.client.actions.tileResized(1, 'camera', { width: 320, height: 180 });
    await settle(() => s.server.of('room.layers').length === 1);
    s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
    await settle(() => s.server.of('room.keyframe').length === 1);
    answerLayers();
    await s.client.keysSettled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.server.of('room.resume').map((m) => m.consumerId)).toEqual([camera]);
    expect(s.server.of('room.pause')).toEqual([]);
  });

  test('an invited device rings, joins with its slot, verifies the members and sends each its key', async () => {
    const s = await setup();
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 0, callId);
    const carol = await OtherMember.join('carol', 1, callId);
    const members = [await bob.entry(), await carol.entry()];
    s.server.push(roomInvite(bob, { callId, slot: 2, members }));
    expect(s.client.incoming.value).toMatchObject({ callId, slot: 2, from: { username: 'bob' } });
    expect(s.client.view.value).toBeNull();

    s.server.answer('room.join', (m) => {
      const join = m as ClientMessageOf<'room.join'>;
      return roomState(join.id, {
        callId,
        slot: 2,
        members: [...members, s.self.entry(join.share)],
        invitations: [{ user: user('alice'), state: 'joined', invitedBy: 0 }],
      });
    });
    await s.client.join();
    expect(s.server.of('room.join')[0]!.share.slot).toBe(2);
    expect(s.client.incoming.value).toBeNull();
    const view = s.client.view.value!;
    expect(view.tiles.map((t) => [t.slot, t.username, t.self])).toEqual([
      [2, 'alice', true],
      [0, 'bob', false],
      [1, 'carol', false],
    ]);

    // One batch, our random generation-0 key to each verified member, and each can open it.
    await settle(() => s.server.of('room.keys').length === 1);
    await settle(() => s.client.view.value!.tiles.every((t) => t.self || t.safetyNumber !== null));
    const batch = s.server.of('room.keys')[0]!.keys;
    expect(batch.map((k) => [k.from, k.to, k.generation, k.epoch])).toEqual([
      [2, 0, 0, 0],
      [2, 1, 0, 0],
    ]);
    const aliceEntry = s.self.entry(s.server.of('room.join')[0]!.share);
    await bob.verify(aliceEntry);
    await carol.verify(aliceEntry);
    const [forBob, forCarol] = await Promise.all([
      bob.unwrap(2, batch[0]!),
      carol.unwrap(2, batch[1]!),
    ]);
    expect(Buffer.from(forBob.baseKey)).toEqual(Buffer.from(forCarol.baseKey));
  });

  test('declining a ringing call says so and leaves nothing ringing', async () => {
    const s = await setup();
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 0, callId);
    s.server.push(
      roomInvite(bob, { callId, slot: 1, members: [await bob.entry()], media: 'audio' }),
    );
    s.client.decline();
    expect(s.server.of('room.decline')).toEqual([expect.objectContaining({ callId })]);
    expect(s.client.incoming.value).toBeNull();
  });

  test('a call that stops ringing says how: joined, declined here or elsewhere, missed', async () => {
    const s = await setup();
    const ring = async (callId: string, media: CallMedia = 'video') => {
      const bob = await OtherMember.join('bob', 0, callId);
      s.server.push(roomInvite(bob, { callId, slot: 1, members: [await bob.entry()], media }));
      return s.client.incoming.value!;
    };
    const ended = () => {
      const last = s.client.inviteEnded.value;
      return last && { callId: last.invite.callId, endedAs: last.endedAs };
    };

    const declined = await ring(randomUUID());
    s.client.decline();
    expect(ended()).toEqual({ callId: declined.callId, endedAs: 'declined' });

    for (const [reason, endedAs] of [
      ['timeout', 'missed'],
      ['ended', 'missed'],
      ['declined', 'declined'],
      ['answered_elsewhere', 'answered'],
    ] as const) {
      const invite = await ring(randomUUID());
      // Another call's end changes nothing here.
      s.server.push({ type: 'room.invite_ended', callId: randomUUID(), reason });
      expect(s.client.incoming.value).toEqual(invite);
      s.server.push({ type: 'room.invite_ended', callId: invite.callId, reason });
      expect(s.client.incoming.value).toBeNull();
      expect(ended()).toEqual({ callId: invite.callId, endedAs });
    }

    // Joined from a shortcut pressed without looking: audio only, whatever the call's media.
    const joined = await ring(randomUUID(), 'video');
    s.server.answer('room.join', (m) => {
      const join = m as ClientMessageOf<'room.join'>;
      return roomState(join.id, {
        callId: joined.callId,
        slot: 1,
        members: [...joined.members, s.self.entry(join.share)],
      });
    });
    await s.client.join('audio');
    expect(ended()).toEqual({ callId: joined.callId, endedAs: 'answered' });
    await settle(() => s.openedFor.length === 1);
    expect(s.openedFor).toEqual(['audio']);
  });

  test('members reconnecting, back and gone change their tiles', async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s);
    await joins(s, callId, aliceEntry, 'bob', 1);
    await joins(s, callId, aliceEntry, 'carol', 2);
    const tile = (slot: number) => s.client.view.value!.tiles.find((t) => t.slot === slot);

    s.server.push({ type: 'room.member_state', callId, slot: 2, state: 'reconnecting' });
    expect(tile(2)!.state).toBe('reconnecting');
    s.server.push({ type: 'room.member_state', callId, slot: 2, state: 'joined' });
    expect(tile(2)!.state).toBe('connecting');

    s.server.push({ type: 'room.speaker', callId, slot: 2 });
    expect(s.client.view.value!.activeSpeakerSlot).toBe(2);
    s.server.push({
      type: 'room.media',
      callId,
      slot: 2,
      audio: false,
      video: true,
      screen: false,
    });
    expect(tile(2)).toMatchObject({ microphoneOn: false, cameraOn: true });

    s.server.push({ type: 'room.member_left', callId, slot: 2, reason: 'left' });
    expect(s.client.view.value!.tiles.map((t) => t.slot)).toEqual([0, 1]);
    expect(s.client.view.value!.activeSpeakerSlot).toBeNull();

    // The call ends for everyone: we are out of it.
    s.server.push({ type: 'room.ended', callId });
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toEqual({ callId, reason: 'ended' });
    expect(s.path().closed).toBe(true);
  });

  test('a member whose safety number changed is warned about on its tile, not refused, and not re-pinned', async () => {
    const s = await setup();
    // Bob's root pinned here, verified, is not the one he comes with now (he set Parley up again).
    const before = await TestDevice.create('bob', 'device_bob0');
    const pin = {
      username: 'bob',
      identityKey: before.identityKey,
      verified: true,
      firstSeenAt: 1,
    };
    await s.self.host.putPin(pin);
    const { callId, aliceEntry } = await created(s);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    await joins(s, callId, aliceEntry, 'carol', 2);
    const tile = (slot: number) => s.client.view.value!.tiles.find((t) => t.slot === slot)!;
    expect(tile(1)).toMatchObject({ safetyNumberChanged: true, state: 'connecting' });
    expect(tile(1).safetyNumber).not.toBeNull();
    expect(tile(2).safetyNumberChanged).toBe(false);
    expect(tile(0).safetyNumberChanged).toBe(false);
    // As in a 1:1 call: he gets our key and we take his; only the user may trust the new key.
    expect(s.server.keysTo(1)).not.toEqual([]);
    s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
    await settle(() => receiveKeys(s.path()).includes(kidFor(1, 0, 0)));
    expect(await s.self.host.getPins()).toContainEqual(pin);
    // Once he leaves, nothing of the warning stays.
    s.server.push({ type: 'room.member_left', callId, slot: 1, reason: 'left' });
    expect(s.client.view.value!.tiles.map((t) => t.slot)).toEqual([0, 2]);
  });

  test('a member whose share is forged gets none of our keys and its keys are refused', async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    await joins(s, callId, aliceEntry, 'dave', 3);

    // Carol's entry carries a share Mallory signed over Carol's slot and key.
    const carol = await OtherMember.join('carol', 2, callId);
    await carol.verify(aliceEntry);
    const mallory = await TestDevice.create('carol', carol.device.deviceId);
    const forged = await createMemberKeyShare(
      mallory,
      { callId, slot: 2, username: 'carol', deviceId: carol.device.deviceId },
      carol.keys.ephemeralKey,
    );
    s.server.push({ type: 'room.member_joined', callId, member: await carol.entry(forged) });
    await settle(
      () => s.client.view.value!.tiles.find((t) => t.slot === 2)?.state === 'cant_decrypt',
    );
    await s.client.keysSettled();
    expect(s.server.keysTo(2)).toEqual([]);

    // Her key, however well wrapped, is not taken: nothing installed, nothing acknowledged.
    const before = { keys: receiveKeys(s.path()).length, acks: s.server.of('room.key_ack').length };
    s.server.push({ type: 'room.key', callId, key: await carol.wrapFor(0, senderKey(0, 0)) });
    await s.client.keysSettled();
    expect(receiveKeys(s.path())).toHaveLength(before.keys);
    expect(s.server.of('room.key_ack')).toHaveLength(before.acks);

    // Bob's key presented as Dave's (verified too), or addressed to Dave: refused alike.
    const bobsKey = await bob.wrapFor(0, senderKey(0, 0));
    s.server.push({ type: 'room.key', callId, key: { ...bobsKey, from: 3 } });
    s.server.push({ type: 'room.key', callId, key: { ...bobsKey, to: 3 } });
    await s.client.keysSettled();
    expect(receiveKeys(s.path())).toHaveLength(before.keys);
    expect(s.server.of('room.key_ack')).toHaveLength(before.acks);

    // A forged refresh of Bob's share changes nothing: he stays verified and keeps his keys.
    const forgedBob = await createMemberKeyShare(
      mallory,
      { callId, slot: 1, username: 'bob', deviceId: bob.device.deviceId },
      bob.keys.ephemeralKey,
    );
    s.server.push({ type: 'room.share', callId, slot: 1, share: forgedBob });
    await s.client.keysSettled();
    s.server.push({ type: 'room.key', callId, key: bobsKey });
    await settle(() => s.server.of('room.key_ack').length === before.acks + 1);
    expect(receiveKeys(s.path()).at(-1)).toBe(kidFor(1, 0, 0));
    expect(s.client.view.value!.tiles.find((t) => t.slot === 1)!.state).toBe('connecting');
  });

  test('a leave moves us to a fresh generation, sent to those who stay, used once they acknowledge', async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    const carol = await joins(s, callId, aliceEntry, 'carol', 2);
    const sendingBefore = sendKids(s.path()).at(-1);
    expect(sendingBefore).toBe(kidFor(0, 2, 0));

    s.server.push({ type: 'room.member_left', callId, slot: 2, reason: 'left' });
    await settle(() => s.server.keysTo(1).length === 2);
    const fresh = s.server.keysTo(1)[1]!;
    expect([fresh.generation, fresh.epoch]).toEqual([1, 0]);
    expect(s.server.keysTo(2)).toHaveLength(1);
    const key = await bob.unwrap(0, fresh);
    const carolsLast = await carol.unwrap(0, s.server.keysTo(2)[0]!);
    expect(Buffer.from(key.baseKey)).not.toEqual(Buffer.from(carolsLast.baseKey));
    // Not used before Bob has it.
    expect(sendKids(s.path()).at(-1)).toBe(sendingBefore);

    s.server.push({ type: 'room.key_ack', callId, slot: 1, generation: 1, epoch: 0 });
    expect(sendKids(s.path()).at(-1)).toBe(kidFor(0, 0, 1));
  });

  test('without every ack the fresh key is used after the switch deadline', async () => {
    const s = await setup({ rotationSwitchMs: 50 });
    const { callId, aliceEntry } = await created(s);
    await joins(s, callId, aliceEntry, 'bob', 1);
    await joins(s, callId, aliceEntry, 'carol', 2);
    await joins(s, callId, aliceEntry, 'dave', 3);

    s.server.push({ type: 'room.member_left', callId, slot: 3, reason: 'connection_lost' });
    await settle(() => s.server.keysTo(1).length === 2);
    s.server.push({ type: 'room.key_ack', callId, slot: 1, generation: 1, epoch: 0 });
    expect(sendKids(s.path()).at(-1)).toBe(kidFor(0, 3, 0));
    await settle(() => sendKids(s.path()).at(-1) === kidFor(0, 0, 1));
  });

  test('a lost SFU is started over: new transports, our media again, and the same keys', async () => {
    const s = await setup();
    const callId = await sendingWithBobsKey(s);

    s.server.push({ type: 'room.sfu_lost', callId });
    await settle(() => s.server.of('room.media').length === 2);
    expect(s.paths).toHaveLength(2);
    expect(s.paths[0]!.closed).toBe(true);
    expect(s.server.of('room.transports')).toHaveLength(2);
    expect(s.path().produced).toEqual(['microphone', 'camera']);
    expect(sendKids(s.path())).toEqual([kidFor(0, 1, 0)]);
    expect(receiveKeys(s.path())).toEqual([kidFor(1, 0, 0)]);
  });

  test('a call moved to the SFU before three verified members were ever in it is left', async () => {
    const s = await setup();
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 0, callId);
    const members = [await bob.entry()];
    s.server.push(roomInvite(bob, { callId, slot: 1, members, media: 'audio', path: 'p2p' }));
    s.server.answer('room.join', (m) => {
      const join = m as ClientMessageOf<'room.join'>;
      return roomState(join.id, {
        callId,
        media: 'audio',
        slot: 1,
        path: 'p2p',
        members: [...members, s.self.entry(join.share)],
      });
    });
    await s.client.join();
    await s.client.keysSettled();
    s.server.push({ type: 'room.path', callId, path: 'sfu' });
    // Judged once every share that came before it was verified (none more here).
    await settle(() => s.client.ended.value !== null);
    expect(s.server.of('room.leave')).toEqual([expect.objectContaining({ callId })]);
    expect(s.client.ended.value).toEqual({ callId, reason: 'sfu_refused' });
    expect(s.paths).toHaveLength(0);
  });

  test('a call link: made and revoked by the creator, its addresses in the view', async () => {
    const s = await setup();
    const { callId } = await created(s);
    const token = randomBytes(16).toString('base64url');
    s.server.answer('room.link_create', (m) => ({
      v: 1,
      type: 'room.link',
      re: (m as ClientMessageOf<'room.link_create'>).id,
      callId,
      token,
      approval: false,
    }));
    s.client.actions.createLink(false);
    await settle(() => s.client.view.value!.link !== null);
    expect(s.server.of('room.link_create')).toEqual([
      expect.objectContaining({ callId, approval: false }),
    ]);
    expect(s.client.view.value!.link).toEqual({
      url: `https://parley.example/call/${token}`,
      deepLink: `parley://call-link/${token}`,
      approval: false,
    });
    s.client.actions.revokeLink();
    await settle(() => s.client.view.value!.link === null);
    expect(s.server.of('room.link_revoke')).toHaveLength(1);
  });

  test('a member who joined, not the creator, is not offered a link and cannot make one', async () => {
    const s = await setup();
    const creator = await setup();
    await created(creator);
    expect(creator.client.view.value!.canCreateLink).toBe(true);

    await ringFrom(s, randomUUID(), 'bob');
    await s.client.join();
    expect(s.client.view.value!.canCreateLink).toBe(false);
    s.client.actions.createLink(false);
    s.client.actions.revokeLink();
    await settle(() => s.client.error.value !== null);
    expect(s.client.error.value).toBe(
      'Only the person who started this call can make or revoke its link.',
    );
    expect(s.server.of('room.link_create')).toEqual([]);
    expect(s.server.of('room.link_revoke')).toEqual([]);
    expect(s.client.view.value!.link).toBeNull();
  });

  test('the speaker view remembers the last other member who spoke, until they leave', async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s);
    await joins(s, callId, aliceEntry, 'bob', 1);
    await joins(s, callId, aliceEntry, 'carol', 2);
    const speakers = () => {
      const view = s.client.view.value!;
      return [view.activeSpeakerSlot, view.lastSpeakerSlot];
    };
    expect(speakers()).toEqual([null, null]);
    s.server.push({ type: 'room.speaker', callId, slot: 2 });
    expect(speakers()).toEqual([2, 2]);
    // Silence, then we speak: Carol is still the one the speaker view keeps large.
    s.server.push({ type: 'room.speaker', callId, slot: null });
    expect(speakers()).toEqual([null, 2]);
    s.server.push({ type: 'room.speaker', callId, slot: 0 });
    expect(speakers()).toEqual([0, 2]);
    // A slot not in the call is nobody.
    s.server.push({ type: 'room.speaker', callId, slot: 9 });
    expect(speakers()).toEqual([null, 2]);
    s.server.push({ type: 'room.speaker', callId, slot: 1 });
    expect(speakers()).toEqual([1, 1]);
    s.server.push({ type: 'room.speaker', callId, slot: null });
    s.server.push({ type: 'room.member_left', callId, slot: 1, reason: 'left' });
    expect(speakers()).toEqual([null, null]);
  });

  test('a link that asks first: knocks show in the view, once each, and each answer goes to the server and clears its knock', async () => {
    const s = await setup();
    const { callId } = await created(s);
    s.server.answer('room.link_create', (m) => ({
      v: 1,
      type: 'room.link',
      re: (m as ClientMessageOf<'room.link_create'>).id,
      callId,
      token: randomBytes(16).toString('base64url'),
      approval: true,
    }));
    s.client.actions.createLink(true);
    await settle(() => s.client.view.value!.link !== null);
    expect(s.server.of('room.link_create')).toEqual([
      expect.objectContaining({ callId, approval: true }),
    ]);
    expect(s.client.view.value!.link!.approval).toBe(true);

    s.server.push({ type: 'room.knock', callId, user: user('gina') });
    s.server.push({ type: 'room.knock', callId, user: user('hal') });
    s.server.push({ type: 'room.knock', callId, user: user('gina') });
    // A knock for another call is not ours to answer.
    s.server.push({ type: 'room.knock', callId: randomUUID(), user: user('ivy') });
    expect(s.client.view.value!.knocks).toEqual([user('gina'), user('hal')]);

    s.client.actions.admit('gina', true);
    s.client.actions.admit('hal', false);
    expect(s.client.view.value!.knocks).toEqual([]);
    await settle(() => s.server.of('room.admit').length === 2);
    expect(s.server.of('room.admit')).toEqual([
      expect.objectContaining({ callId, username: 'gina', admit: true }),
      expect.objectContaining({ callId, username: 'hal', admit: false }),
    ]);

    // Revoking the link turns away whoever still knocks: their knocks go from the view.
    s.server.push({ type: 'room.knock', callId, user: user('joan') });
    expect(s.client.view.value!.knocks).toEqual([user('joan')]);
    s.client.actions.revokeLink();
    await settle(() => s.client.view.value!.link === null);
    expect(s.client.view.value!.knocks).toEqual([]);
  });

  test('knocking through a link that asks first: we wait for its creator, and a no says so', async () => {
    const s = await setup();
    const token = randomBytes(16).toString('base64url');
    answerLinkOpenAskingFirst(s, randomUUID());
    await s.client.links.open(token);
    const knockedOn = s.client.links.preview.value!.callId;
    expect(s.client.links.preview.value?.approval).toBe(true);
    await s.client.joinPreviewedLink();
    expect(s.server.of('room.link_join')).toEqual([expect.objectContaining({ token })]);
    expect(s.client.links.preview.value).toBeNull();
    expect(s.client.links.waitingFor.value).toEqual(user('erin'));

    // A no about another call is not ours: we go on waiting.
    s.server.push({ type: 'room.knock_refused', callId: randomUUID() });
    expect(s.client.links.waitingFor.value).toEqual(user('erin'));
    expect(s.client.error.value).toBeNull();

    s.server.push({ type: 'room.knock_refused', callId: knockedOn });
    expect(s.client.links.waitingFor.value).toBeNull();
    expect(s.client.error.value).toBe('The person who made this call did not let you in.');
    expect(s.client.view.value).toBeNull();
  });

  test('while we wait to be let in, an invitation to another call rings and is not joined by itself; the yes, once it comes, joins at once', async () => {
    const s = await setup();
    const knockedOn = randomUUID();
    answerLinkOpenAskingFirst(s, knockedOn);
    await s.client.links.open(randomBytes(16).toString('base64url'));
    await s.client.joinPreviewedLink();

    const other = randomUUID();
    await ringFrom(s, other, 'kim');
    expect(s.client.incoming.value?.callId).toBe(other);
    expect(s.server.of('room.join')).toEqual([]);
    expect(s.client.links.waitingFor.value).toEqual(user('erin'));
    s.client.decline();

    await ringFrom(s, knockedOn, 'erin');
    await settle(() => s.server.of('room.join').length === 1);
    expect(s.server.of('room.join')[0]).toMatchObject({ callId: knockedOn });
    expect(s.client.links.waitingFor.value).toBeNull();
  });

  test('after we stop waiting, the invitation a late yes brings rings like any other', async () => {
    const s = await setup();
    const knockedOn = randomUUID();
    answerLinkOpenAskingFirst(s, knockedOn);
    await s.client.links.open(randomBytes(16).toString('base64url'));
    await s.client.joinPreviewedLink();
    s.client.links.stopWaiting();
    expect(s.client.links.waitingFor.value).toBeNull();

    await ringFrom(s, knockedOn, 'erin');
    expect(s.client.incoming.value?.callId).toBe(knockedOn);
    expect(s.server.of('room.join')).toEqual([]);
  });

  test('a refused invitation says why in words, and the call goes on', async () => {
    const s = await setup();
    const { callId } = await created(s);
    s.server.answer('room.invite', () => new SignalingError('room_full', 'full'));
    s.client.actions.invite(['zed']);
    await settle(() => s.client.error.value !== null);
    expect(s.client.error.value).toBe('This call is full.');
    expect(s.client.view.value!.callId).toBe(callId);
  });

  test('without group calls on this connection nothing is sent and the user is told', async () => {
    const s = await setup({ rooms: false });
    await s.client.create('video', ['bob']);
    expect(s.server.sent).toEqual([]);
    expect(s.client.view.value).toBeNull();
    expect(s.client.error.value).toBe('This server cannot carry group calls right now.');
  });

  test('leaving tells the server and ends the call here, media closed', async () => {
    const s = await setup();
    const { callId } = await created(s);
    s.client.actions.leave();
    expect(s.server.of('room.leave')).toEqual([expect.objectContaining({ callId })]);
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toEqual({ callId, reason: 'left' });
    expect(s.path().closed).toBe(true);
  });

  test('a microphone or camera chosen mid-call replaces what we send, muted or off as before, with no new producer', async () => {
    const s = await setup();
    await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const [first] = s.opened;
    setCamera(s.client.member, false);
    const mediaSent = s.server.of('room.media').length;

    const camera = fakeTrack('video');
    const microphone = fakeTrack('audio');
    await chooseInput(s.client.member, camera);
    await chooseInput(s.client.member, microphone);
    expect(s.path().replaced).toEqual([
      { source: 'camera', track: camera },
      { source: 'microphone', track: microphone },
    ]);
    expect(s.server.of('room.produce').map((m) => m.source)).toEqual(['microphone', 'camera']);
    // The old devices are released; the new camera stays off as the old one was.
    expect([first!.camera.readyState, first!.microphone.readyState]).toEqual(['ended', 'ended']);
    expect(camera.enabled).toBe(false);
    expect(microphone.enabled).toBe(true);
    expect(inputsOf(s.client.member)).toEqual([microphone, camera]);
    // Nothing the others see changed, so nothing is announced.
    expect(s.server.of('room.media')).toHaveLength(mediaSent);
    expect(s.client.view.value!.tiles[0]).toMatchObject({ microphoneOn: true, cameraOn: false });
  });

  test('a device unplugged mid-call is reported once, and only while its track is the one in use', async () => {
    const s = await setup();
    await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const [first] = s.opened;

    first!.camera.unplug();
    expect(s.inputsEnded).toEqual(['video']);
    // The replaced microphone's end is no news: it is not in the call any more.
    await chooseInput(s.client.member, fakeTrack('audio'));
    first!.microphone.unplug();
    expect(s.inputsEnded).toEqual(['video']);

    // After the call, nothing is reported.
    const [microphone] = inputsOf(s.client.member) as FakeTrack[];
    s.client.actions.leave();
    microphone!.unplug();
    expect(s.inputsEnded).toEqual(['video']);
  });

  test('our own link going down shows as reconnecting: the server connection first, then the media to the SFU', async () => {
    const s = await setup();
    const { callId } = await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const reconnecting = () => s.client.view.value!.reconnecting;
    // A path that has not connected yet is not reconnecting: it is still connecting.
    s.path().events.connectionState('connecting');
    expect(reconnecting()).toBeNull();
    s.path().events.connectionState('connected');
    s.path().events.connectionState('disconnected');
    expect(reconnecting()).toBe('media');
    s.client.onDisconnected();
    expect(reconnecting()).toBe('signaling');
    // Back: the sign-in lists the call, which goes on.
    s.client.onSessionCalls([
      {
        callId,
        peer: user('alice'),
        media: 'video',
        role: 'caller',
        state: 'ringing',
        answeredAt: null,
        group: { slot: 0, path: 'sfu' },
      },
    ]);
    expect(reconnecting()).toBe('media');
    s.path().events.connectionState('connected');
    expect(reconnecting()).toBeNull();

    // The SFU lost the call: down until the path made again connects.
    s.server.push({ type: 'room.sfu_lost', callId });
    await settle(() => s.paths.length === 2);
    expect(reconnecting()).toBe('media');
    s.path().events.connectionState('connected');
    expect(reconnecting()).toBeNull();
  });

  test('back from a drop, a call the server no longer lists ended while we were away', async () => {
    const s = await setup();
    const { callId } = await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    s.client.onDisconnected();
    s.client.onSessionCalls([]);
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toEqual({ callId, reason: 'connection_lost' });
    expect(s.path().closed).toBe(true);
    expect(s.server.of('room.leave')).toEqual([]);
  });

  test("a member's sound whose resume failed is asked for again, and a second consumer of it is left unused", async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s, ['bob']);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);
    await settle(() => s.server.of('room.media').length === 1);
    let refusals = 1;
    s.server.answer('room.resume', (m) => {
      if (refusals-- > 0) return new SignalingError('timeout', 'The server did not answer in time');
      return { v: 1, type: 'ok', re: (m as { id: string }).id };
    });
    const mic = randomUUID();
    const offer = (consumerId: string) =>
      consumerOffer({
        callId,
        transportId: s.server.receiveTransportId,
        consumerId,
        producerId: micProducer,
        slot: 1,
        kind: 'audio',
        source: 'microphone',
      });
    const micProducer = randomUUID();
    s.server.push(offer(mic));
    await settle(() => s.path().consumed.length === 1);
    // A second consumer of the same producer (which the SFU must not make) would play it twice.
    s.server.push(offer(randomUUID()));
    s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
    await settle(() => s.server.of('room.resume').length === 1);
    // Refused once; asked again after RESUME_RETRY_MS, and then it plays.
    await settle(() => s.server.of('room.resume').length === 2);
    expect(s.path().resumed).toEqual([mic, mic]);
    await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS + 500));
    expect(s.server.of('room.resume')).toHaveLength(2);
    expect(s.path().consumed).toEqual([mic]);
  });

  test('a device chosen in the call that opens after the call ended is released at once', async () => {
    const s = await setup();
    await created(s);
    // Chosen in the call, the device opens only after we left.
    const camera = fakeTrack('video');
    const choosing = chooseInput(s.client.member, camera);
    s.client.actions.leave();
    await choosing;
    expect(camera.readyState).toBe('ended');
  });

  test('mute, camera off and a screen share reach the others, and every track stops when we leave', async () => {
    const s = await setup();
    const { callId } = await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const own = () => s.client.view.value!.tiles[0]!;

    setMicrophone(s.client.member, false);
    setCamera(s.client.member, false);
    expect(s.server.of('room.media').slice(1)).toEqual([
      expect.objectContaining({ audio: false, video: true, screen: false }),
      expect.objectContaining({ audio: false, video: false, screen: false }),
    ]);
    expect(own()).toMatchObject({ microphoneOn: false, cameraOn: false });

    const screen = fakeTrack('video');
    await s.client.member.startScreenShare(screen);
    expect(s.server.of('room.produce').map((m) => m.source)).toEqual([
      'microphone',
      'camera',
      'screen',
    ]);
    expect(s.server.of('room.media').at(-1)).toMatchObject({ screen: true });
    await s.client.member.stopScreenShare();
    expect(s.server.of('room.producer_close')).toHaveLength(1);
    expect(s.server.of('room.media').at(-1)).toMatchObject({ screen: false });
    expect(screen.readyState).toBe('ended');

    s.client.actions.leave();
    expect(s.server.of('room.leave')).toEqual([expect.objectContaining({ callId })]);
    const [tracks] = s.opened;
    expect([tracks!.microphone!.readyState, tracks!.camera!.readyState]).toEqual([
      'ended',
      'ended',
    ]);
  });

  test("a member's shared screen shows in its tile and is the one shown large", async () => {
    const s = await setup();
    const { callId, aliceEntry } = await created(s);
    await joins(s, callId, aliceEntry, 'bob', 1);
    expect(s.client.view.value!.screenShareSlot).toBeNull();
    s.server.push({ type: 'room.media', callId, slot: 1, audio: true, video: true, screen: true });
    offerBobs(s, { callId, kind: 'video', source: 'screen', mid: '2' });
    await settle(() => s.client.view.value!.screenShareSlot === 1);
    expect(s.client.view.value!.tiles[1]!.screen).not.toBeNull();
    expect(s.client.view.value!.tiles[1]!.camera).toBeNull();
  });

  test('after our connection comes back, the call makes its transports again with the same keys', async () => {
    const s = await setup();
    await created(s);
    await settle(() => s.server.of('room.media').length === 1);

    s.rooms.value = false;
    expect(s.paths).toHaveLength(1);
    s.rooms.value = true;
    await settle(() => s.server.of('room.media').length === 2);
    expect(s.paths).toHaveLength(2);
    expect(s.server.of('room.transports')).toHaveLength(2);
    expect(sendKids(s.path())).toEqual(sendKids(s.paths[0]!));
    // The same tracks: nothing opened twice.
    expect(s.opened).toHaveLength(1);
  });

  test("after our connection comes back, an offer made for the earlier path is not taken, and the new path's offer of the same microphone plays", async () => {
    const s = await setup();
    const callId = await sendingWithBobsKey(s);
    const earlierTransport = s.server.receiveTransportId;
    const microphone = (transportId: string, consumerId: string) =>
      consumerOffer({
        callId,
        transportId,
        consumerId,
        producerId: bobsMicrophone,
        slot: 1,
        kind: 'audio',
        source: 'microphone',
      });
    const bobsMicrophone = randomUUID();

    const current = randomUUID();
    s.server.answer('room.transports', (message) => {
      const reply = s.server.usualAnswer(message);
      // The SFU offers the consumers on a member's new transports before it answers.
      s.server.push(microphone(s.server.receiveTransportId, current));
      return reply;
    });
    s.rooms.value = false;
    s.rooms.value = true;
    // The new connection's stream sends again what the old one missed: Bob's microphone, offered
    // on our earlier receive transport, while our new path is being made.
    const stale = randomUUID();
    s.server.push(microphone(earlierTransport, stale));
    await settle(() => s.server.of('room.resume').length === 1);
    expect(s.path().consumed).toEqual([current]);
    expect(s.server.of('room.resume')).toEqual([expect.objectContaining({ consumerId: current })]);
    expect(s.client.view.value!.tiles.find((tile) => tile.slot === 1)!.audio).not.toBeNull();
  });

  test("a member's media offered while the SFU path's code still loads is taken once it has loaded, in order", async () => {
    let loaded!: () => void;
    const s = await setup({ pathLoaded: new Promise<void>((resolve) => (loaded = resolve)) });
    const { callId, aliceEntry } = await created(s);
    const bob = await joins(s, callId, aliceEntry, 'bob', 1);

    const offers = [
      [randomUUID(), 'audio', 'microphone'],
      [randomUUID(), 'video', 'camera'],
      [randomUUID(), 'video', 'screen'],
    ] as const;
    for (const [consumerId, kind, source] of offers) {
      offerBobs(s, { callId, consumerId, kind, source });
    }
    // Bob stops sharing his screen before the path is there: that one is never taken.
    s.server.push({ type: 'room.consumer_closed', callId, consumerId: offers[2][0] });
    expect(s.paths).toHaveLength(0);
    expect(s.server.of('room.router')).toEqual([]);

    loaded();
    await settle(() => s.paths.length === 1 && s.path().consumed.length === 2);
    expect(s.path().consumed).toEqual([offers[0][0], offers[1][0]]);
    expect(s.client.view.value!.tiles[1]!.camera).not.toBeNull();
    expect(s.client.view.value!.tiles[1]!.screen).toBeNull();
    // They play as any other: Bob's audio once his key is in.
    s.server.push({ type: 'room.key', callId, key: await bob.wrapFor(0, senderKey(0, 0)) });
    await settle(() => s.server.of('room.resume').length === 1);
    expect(s.server.of('room.resume')[0]!.consumerId).toBe(offers[0][0]);
  });

  test('a transport a network change cut off restarts its ICE with new parameters from the SFU, and the call goes on', async () => {
    const s = await setup();
    const { callId } = await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const fresh = { usernameFragment: 'fresh-ufrag', password: 'fresh-password', iceLite: true };
    s.server.answer('room.restart_ice', (m) => ({
      v: 1,
      type: 'room.ice',
      re: (m as ClientMessageOf<'room.restart_ice'>).id,
      iceParameters: fresh,
    }));
    const path = s.path();
    const { send, recv } = path.transportIds!;
    path.events.transportState(send, 'connected');
    path.events.transportState(recv, 'connected');

    path.events.transportState(recv, 'failed');
    await settle(() => path.iceRestarts.length === 1);
    expect(s.server.of('room.restart_ice')).toEqual([
      expect.objectContaining({ callId, transportId: recv }),
    ]);
    expect(path.iceRestarts).toEqual([{ transportId: recv, iceParameters: fresh }]);

    // Back: the same path, our media not sent again, no more restarts.
    path.events.transportState(recv, 'connected');
    expect(s.paths).toHaveLength(1);
    expect(path.closed).toBe(false);
    expect(s.server.of('room.produce')).toHaveLength(2);
    expect(s.server.of('room.restart_ice')).toHaveLength(1);
  });

  test('an ICE restart the server refuses is logged, and the path stays', async () => {
    const s = await setup();
    const { callId } = await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    s.server.answer(
      'room.restart_ice',
      () => new SignalingError('call_state', "This call's media does not go through the SFU"),
    );
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const path = s.path();
      path.events.transportState(path.transportIds!.send, 'failed');
      await settle(() => warn.mock.calls.length === 1);
      expect(String(warn.mock.calls[0]![0])).toContain('ICE restart');
      expect(s.server.of('room.restart_ice')).toEqual([
        expect.objectContaining({ callId, transportId: path.transportIds!.send }),
      ]);
      expect(path.closed).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });

  test('a transport that no ICE restart brings back: four restarts, then the path is made again with the same keys', async () => {
    const s = await setup();
    await created(s);
    await settle(() => s.server.of('room.media').length === 1);
    const first = s.path();
    const { recv } = first.transportIds!;
    jest.useFakeTimers({ doNotFake: ['Date', 'nextTick', 'queueMicrotask', 'setImmediate'] });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      first.events.transportState(recv, 'failed');
      // Restarts now and 2, 6 and 14 s on; 16 s after the last, still failed: given up.
      await jest.advanceTimersByTimeAsync(30_000 - 1);
      expect(first.iceRestarts.map((r) => r.transportId)).toEqual([recv, recv, recv, recv]);
      expect(s.paths).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
    } finally {
      jest.useRealTimers();
    }
    try {
      await settle(() => s.server.of('room.media').length === 2);
      expect(s.paths).toHaveLength(2);
      expect(first.closed).toBe(true);
      expect(s.server.of('room.transports')).toHaveLength(2);
      expect(s.path().produced).toEqual(['microphone', 'camera']);
      expect(sendKids(s.path())).toEqual(sendKids(first));
      expect(s.server.of('room.restart_ice')).toHaveLength(4);
    } finally {
      warn.mockRestore();
    }
  });
});
