import { randomUUID } from 'node:crypto';
import { TestServer } from '../support/testServer';

let server: TestServer;
beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(() => server.dispose());

test('a restart keeps accounts, devices, sessions, contacts and the call log', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  // Bob shares his presence with alice only once he has added her himself.
  await bob.request({ type: 'contacts.add', username: 'alice' });
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'audio', 'o');
  await bob.nextOf('call.invite', callId);
  bob.send({ v: 1, type: 'call.decline', callId });
  await alice.nextOf('call.decline', callId);

  await server.stop();
  await server.restart();

  const aliceAgain = await server.client();
  expect(await aliceAgain.login('alice', alice.deviceId, alice.keys)).toMatchObject({
    type: 'session',
  });
  const bobAgain = await server.client();
  expect(await bobAgain.resume(bob)).toMatchObject({
    type: 'session',
  });
  expect(await aliceAgain.request({ type: 'calllog.list' })).toMatchObject({
    entries: [{ callId, outcome: 'declined', direction: 'outgoing', peer: { username: 'bob' } }],
  });
  expect(await aliceAgain.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'bob', presence: 'online' }],
  });
  const taken = await server.client();
  expect(await taken.register('alice')).toMatchObject({ code: 'username_taken' });
});
