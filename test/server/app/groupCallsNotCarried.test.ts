import { randomUUID } from 'node:crypto';
import type { TestClient } from '../support/TestClient';
import { share } from '../../protocol/roomSamples';
import { TestServer } from '../support/testServer';

// docs/protocol.md "Features": a server lists `rooms` only once it carries group calls, and a
// connection that has not negotiated `rooms` has every room.* message refused with bad_message.
let server: TestServer;
let alice: TestClient;
beforeEach(async () => {
  server = await TestServer.start();
  alice = await server.registered('alice');
});
afterEach(() => server.dispose());

test('a server without group calls answers features with none of them', async () => {
  const reply = await alice.request({ type: 'features', features: ['rooms', 'teleport'] });
  expect(reply).toEqual({ v: 1, type: 'features', re: expect.any(String), features: [] });
});

test('features needs a signed-in connection', async () => {
  const stranger = await server.client();
  expect(await stranger.request({ type: 'features', features: ['rooms'] })).toMatchObject({
    type: 'error',
    code: 'not_authenticated',
  });
});

test('a group-call request is refused with bad_message, and no room comes of it', async () => {
  const bob = await server.registered('bob');
  const callId = randomUUID();
  const refused = await alice.request({
    type: 'room.create',
    callId,
    media: 'video',
    share: { ...share, slot: 0 },
  });
  expect(refused).toMatchObject({ type: 'error', code: 'bad_message', callId });
  if (refused.type !== 'error') throw new Error('not refused');
  expect(refused.message).toContain('features');
  // Nobody is rung, and a 1:1 call between the two still works: nothing is held busy.
  expect(await bob.collect(300, (m) => m.type.startsWith('room.'))).toEqual([]);
  expect(await alice.invite(randomUUID(), 'bob')).toMatchObject({ type: 'ok' });
});

test('a group-call notice is refused with bad_message naming its call', async () => {
  const callId = randomUUID();
  alice.send({ v: 1, type: 'room.leave', callId });
  expect(await alice.next((m) => m.type === 'error')).toMatchObject({
    re: null,
    code: 'bad_message',
    callId,
  });
});
