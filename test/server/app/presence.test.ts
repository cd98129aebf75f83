import { randomUUID } from 'node:crypto';
import { TestServer } from '../support/testServer';

let server: TestServer;
beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(() => server.dispose());

test('contacts: add is one-way, unknown users are refused, list shows presence and root key', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const carol = await server.registered('carol');
  // Bob shares his presence with alice: he has added her himself.
  await bob.request({ type: 'contacts.add', username: 'alice' });
  expect(await alice.request({ type: 'contacts.add', username: 'bob' })).toMatchObject({
    type: 'contact',
    contact: {
      username: 'bob',
      displayName: 'BOB',
      presence: 'online',
      identityKey: bob.keys.identityKey,
    },
  });
  expect(await alice.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'bob', presence: 'online', identityKey: bob.keys.identityKey }],
    next: null,
  });
  // Carol's add is one way: she is not on bob's list, and he does not share his presence.
  expect(await carol.request({ type: 'contacts.add', username: 'bob' })).toMatchObject({
    contact: { username: 'bob', presence: 'offline' },
  });
  expect(await bob.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'alice' }],
    next: null,
  });
  expect(await carol.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'offline',
  });
  expect(await alice.request({ type: 'contacts.add', username: 'ghost' })).toMatchObject({
    code: 'unknown_user',
  });
  expect(await alice.request({ type: 'contacts.add', username: 'alice' })).toMatchObject({
    code: 'bad_message',
  });
  expect(await alice.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    type: 'user',
    username: 'bob',
    displayName: 'BOB',
    presence: 'online',
    identityKey: bob.keys.identityKey,
  });
});

test('presence is pushed to those who have the user as a contact: online, in_call, offline', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const carol = await server.registered('carol');
  await carol.request({ type: 'contacts.add', username: 'alice' });
  // Presence goes only to people the user added themselves.
  await alice.request({ type: 'contacts.add', username: 'carol' });
  // Carol is told at once that she sees alice now.
  expect(await carol.nextOf('presence')).toMatchObject({ username: 'alice', presence: 'online' });
  await bob.request({ type: 'contacts.add', username: 'alice' });
  await bob.signOut();
  await alice.request({ type: 'contacts.add', username: 'bob' });
  expect(await alice.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'offline',
  });

  const bobAgain = await server.client();
  await bobAgain.login('bob', bob.deviceId, bob.keys);
  expect(await alice.nextOf('presence')).toEqual({
    v: 1,
    type: 'presence',
    username: 'bob',
    presence: 'online',
    seq: expect.any(Number),
  });

  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'video', 'o');
  await bobAgain.nextOf('call.invite', callId);
  bobAgain.accept(callId, 'video', 'a');
  expect(await carol.nextOf('presence')).toMatchObject({ username: 'alice', presence: 'in_call' });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'in_call' });

  alice.send({ v: 1, type: 'call.hangup', callId });
  expect(await carol.nextOf('presence')).toMatchObject({ username: 'alice', presence: 'online' });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'online' });

  await alice.signOut();
  expect(await carol.nextOf('presence')).toMatchObject({ username: 'alice', presence: 'offline' });
  // bob had alice as a contact after the call too.
  expect(
    await bobAgain.next((m) => m.type === 'presence' && m.presence === 'offline'),
  ).toMatchObject({ username: 'alice' });
});

test('a user stays online while another of their devices is signed in', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  // Bob shares his presence with alice: he has added her himself.
  await bob.request({ type: 'contacts.add', username: 'alice' });
  await alice.request({ type: 'contacts.add', username: 'bob' });
  const bob2 = await server.linkedDevice(bob);
  await bob.signOut();
  expect(await alice.next((m) => m.type === 'presence' && m.presence === 'online')).toBeTruthy();
  expect(await alice.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'online',
  });
  await bob2.signOut();
  expect(await alice.next((m) => m.type === 'presence' && m.presence === 'offline')).toMatchObject({
    username: 'bob',
  });
});

test('a watcher in the call gets the call message before the presence change it brought', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const callId = randomUUID();
  // The invite makes bob one of alice's contacts.
  await alice.invite(callId, 'bob', 'video', 'o');
  await bob.nextOf('call.invite', callId);
  bob.accept(callId, 'video', 'a');
  const accepted = await alice.nextOf('call.accept', callId);
  const inCall = await alice.nextOf('presence');
  expect(inCall).toMatchObject({ username: 'bob', presence: 'in_call' });
  expect(inCall.seq).toBeGreaterThan(accepted.seq!);

  bob.send({ v: 1, type: 'call.hangup', callId });
  const hungUp = await alice.nextOf('call.hangup', callId);
  const online = await alice.nextOf('presence');
  expect(online).toMatchObject({ username: 'bob', presence: 'online' });
  expect(online.seq).toBeGreaterThan(hungUp.seq!);
  // One push per change: nothing more about bob is on its way.
  expect(await alice.collect(300, (m) => m.type === 'presence')).toEqual([]);
});

test('presence goes only to people the user has added: adding shares it, removing stops it', async () => {
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  const carol = await server.registered('carol');
  expect(await alice.request({ type: 'contacts.add', username: 'bob' })).toMatchObject({
    contact: { username: 'bob', presence: 'offline' },
  });
  // Bob in a call: alice, whom he has not added, is not told.
  await bob.request({ type: 'contacts.add', username: 'carol' });
  const callId = randomUUID();
  await bob.invite(callId, 'carol', 'audio');
  await carol.nextOf('call.invite', callId);
  carol.accept(callId, 'audio');
  await bob.nextOf('call.accept', callId);
  expect(await alice.collect(300, (m) => m.type === 'presence')).toEqual([]);

  // Bob adds her: she is told at once, and sees him in the call.
  await bob.request({ type: 'contacts.add', username: 'alice' });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'in_call' });
  expect(await alice.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'in_call',
  });

  // Bob removes her: she is told he is offline, and nothing more.
  expect(await bob.request({ type: 'contacts.remove', username: 'alice' })).toMatchObject({
    type: 'ok',
  });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'offline' });
  bob.send({ v: 1, type: 'call.hangup', callId });
  await carol.nextOf('call.hangup', callId);
  expect(await alice.collect(300, (m) => m.type === 'presence')).toEqual([]);
});
