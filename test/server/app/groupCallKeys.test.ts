import { randomBytes, randomUUID } from 'node:crypto';
import type { WrappedSenderKey } from '../../../protocol';
import { createCall, joinCall, roomsUser } from '../support/groupCall';
import { startGroupCallServer } from '../support/groupCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Keys of a group call": shares, wrapped sender keys and their acknowledgements
// go between members only, each from the sender's own slot; anything else relays nothing.
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
let dave: TestClient;
let callId: string;
beforeEach(async () => {
  ({ server, alice, bob, carol, dave } = await startGroupCallServer([
    'alice',
    'bob',
    'carol',
    'dave',
  ]));
  ({ callId } = await createCall(alice));
  await joinCall(alice, bob, callId);
  await joinCall(alice, carol, callId);
  for (const client of [alice, bob, carol]) client.inbox.length = 0;
});
afterEach(() => server.dispose());

const wrapped = (from: number, to: number): WrappedSenderKey => ({
  from,
  to,
  generation: 0,
  epoch: 1,
  iv: randomBytes(12).toString('base64'),
  ciphertext: randomBytes(48).toString('base64'),
});

const keyNotices = (client: TestClient) =>
  client.collect(300, (m) => m.type === 'room.key' || m.type === 'room.share');

test('a wrapped key batch reaches each named member, and only that one', async () => {
  const toBob = wrapped(0, 1);
  const toCarol = wrapped(0, 2);
  alice.send({ v: 1, type: 'room.keys', callId, keys: [toBob, toCarol] });
  expect(await bob.nextOf('room.key', callId)).toMatchObject({ key: toBob });
  expect(await carol.nextOf('room.key', callId)).toMatchObject({ key: toCarol });
  expect(await keyNotices(bob)).toEqual([]);
  expect(await keyNotices(alice)).toEqual([]);
});

test.each([
  ['from another slot than its own', () => [wrapped(1, 2)]],
  ['to its own slot', () => [wrapped(0, 0), wrapped(0, 1)]],
  ['to a slot nobody holds', () => [wrapped(0, 1), wrapped(0, 9)]],
  ['to one member twice', () => [wrapped(0, 1), wrapped(0, 2), wrapped(0, 1)]],
])('a batch %s is refused whole: nobody receives any of it', async (_case, keys) => {
  alice.send({ v: 1, type: 'room.keys', callId, keys: keys() });
  expect(await alice.nextOf('error')).toMatchObject({ re: null, code: 'bad_message', callId });
  expect(await keyNotices(bob)).toEqual([]);
  expect(await keyNotices(carol)).toEqual([]);
});

test('a key to a member who left is refused', async () => {
  carol.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.member_left', callId);
  alice.send({ v: 1, type: 'room.keys', callId, keys: [wrapped(0, 1), wrapped(0, 2)] });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'bad_message', callId });
  expect(await keyNotices(bob)).toEqual([]);
});

test('someone outside the call can send no keys, shares or acknowledgements into it', async () => {
  dave.send({ v: 1, type: 'room.keys', callId, keys: [wrapped(0, 1)] });
  expect(await dave.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  dave.send({ v: 1, type: 'room.share', callId, share: dave.memberShare(callId, 3) });
  expect(await dave.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  dave.send({ v: 1, type: 'room.key_ack', callId, slot: 0, generation: 0, epoch: 1 });
  expect(await dave.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  for (const member of [alice, bob, carol]) {
    expect(
      await member.collect(100, (m) => ['room.key', 'room.share', 'room.key_ack'].includes(m.type)),
    ).toEqual([]);
  }
});

test("a member's fresh share is kept and relayed naming its slot; a share for another slot is refused", async () => {
  const share = bob.memberShare(callId, 1);
  bob.send({ v: 1, type: 'room.share', callId, share });
  for (const member of [alice, carol]) {
    expect(await member.nextOf('room.share', callId)).toMatchObject({ slot: 1, share });
  }
  bob.send({ v: 1, type: 'room.share', callId, share: bob.memberShare(callId, 2) });
  expect(await bob.nextOf('error')).toMatchObject({ code: 'bad_message', callId });
  expect(await keyNotices(alice)).toEqual([]);
  // A joiner receives the newest share in the room state.
  const erin = await roomsUser(server, 'erin');
  const state = await joinCall(alice, erin, callId);
  expect(state.members.find((m) => m.slot === 1)?.share).toEqual(share);
});

test("an acknowledgement reaches the key's owner, naming the member that installed it", async () => {
  carol.send({ v: 1, type: 'room.key_ack', callId, slot: 0, generation: 0, epoch: 1 });
  expect(await alice.nextOf('room.key_ack', callId)).toMatchObject({
    slot: 2,
    generation: 0,
    epoch: 1,
  });
  expect(await bob.collect(200, (m) => m.type === 'room.key_ack')).toEqual([]);
  carol.send({ v: 1, type: 'room.key_ack', callId, slot: 2, generation: 0, epoch: 1 });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'bad_message', callId });
});

test('what a member sends is relayed to the others with its slot', async () => {
  bob.send({ v: 1, type: 'room.media', callId, audio: true, video: false, screen: true });
  for (const member of [alice, carol]) {
    expect(await member.nextOf('room.media', callId)).toMatchObject({
      slot: 1,
      audio: true,
      video: false,
      screen: true,
    });
  }
});

test('a member who joins later is told what each member sends, as each last said it', async () => {
  bob.send({ v: 1, type: 'room.media', callId, audio: true, video: false, screen: false });
  bob.send({ v: 1, type: 'room.media', callId, audio: false, video: true, screen: true });
  alice.send({ v: 1, type: 'room.media', callId, audio: true, video: true, screen: false });
  await carol.nextOf('room.media', callId);
  await carol.nextOf('room.media', callId);
  await carol.nextOf('room.media', callId);
  const erin = await roomsUser(server, 'erin');
  await joinCall(alice, erin, callId);
  const told = await erin.collect(300, (m) => m.type === 'room.media');
  expect(told).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ slot: 0, audio: true, video: true, screen: false }),
      expect.objectContaining({ slot: 1, audio: false, video: true, screen: true }),
    ]),
  );
  expect(told).toHaveLength(2);
  // Carol never said: nothing is made up for her.
  expect(told.some((m) => (m as { slot?: number }).slot === 2)).toBe(false);
});

test("a member's key batch sent again by its notice stream on a new connection, before features, is relayed", async () => {
  // Alice's connection drops with her keys unacknowledged; her client sends them again on its
  // next connection as soon as the session resumes, before that connection asks for features.
  const again = await server.client();
  alice.socket.terminate();
  expect(await again.resume(alice)).toMatchObject({ type: 'session' });
  const toBob = wrapped(0, 1);
  again.send({ v: 1, type: 'room.keys', callId, keys: [toBob], seq: 1 });
  expect(await bob.nextOf('room.key', callId)).toMatchObject({ key: toBob });
  // Only for a call the device takes part in: anything else still waits for features.
  again.send({ v: 1, type: 'room.leave', callId: randomUUID(), seq: 2 });
  expect(await again.nextOf('error')).toMatchObject({ re: null, code: 'bad_message' });
});
