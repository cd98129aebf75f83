import { createCall, joinCall, roomsUser } from '../support/groupCall';
import { startAcceptedCall } from '../support/inCall';
import { startGroupCallServer } from '../support/groupCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Call links": the creator makes, replaces and revokes a link; others open it
// and join at once, or knock and wait for the creator's answer.
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let callId: string;
beforeEach(async () => {
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob']));
  ({ callId } = await createCall(alice));
});
afterEach(() => server.dispose());

async function makeLink(approval: boolean): Promise<string> {
  const link = await alice.request({ type: 'room.link_create', callId, approval });
  if (link.type !== 'room.link') throw new Error(JSON.stringify(link));
  expect(link).toMatchObject({ callId, approval, token: expect.stringMatching(/^[\w-]{22}$/) });
  return link.token;
}

test('a link shows where it leads, and lets a signed-in user join without ringing anyone else', async () => {
  const token = await makeLink(false);
  expect(await bob.request({ type: 'room.link_open', token })).toMatchObject({
    type: 'room.preview',
    callId,
    media: 'video',
    creator: { username: 'alice', displayName: 'ALICE' },
    members: 1,
    approval: false,
  });
  expect(await bob.request({ type: 'room.link_join', token })).toMatchObject({ type: 'ok' });
  const invite = await bob.nextOf('room.invite', callId);
  expect(invite).toMatchObject({ from: { username: 'alice' }, slot: 1 });
  const state = await bob.request({ type: 'room.join', callId, share: bob.memberShare(callId, 1) });
  expect(state).toMatchObject({ type: 'room', slot: 1 });
  expect(await alice.nextOf('room.member_joined', callId)).toMatchObject({ member: { slot: 1 } });
});

test('with approval the creator is asked; yes invites the knocker, no turns it away', async () => {
  const carol = await roomsUser(server, 'carol');
  const token = await makeLink(true);
  expect(await bob.request({ type: 'room.link_join', token })).toMatchObject({ type: 'ok' });
  expect(await alice.nextOf('room.knock', callId)).toMatchObject({
    user: { username: 'bob', displayName: 'BOB' },
  });
  expect(await carol.request({ type: 'room.link_join', token })).toMatchObject({ type: 'ok' });
  await alice.nextOf('room.knock', callId);
  // Nobody but the creator answers.
  expect(
    await bob.request({ type: 'room.admit', callId, username: 'carol', admit: true }),
  ).toMatchObject({ type: 'error', code: 'not_in_call' });
  expect(
    await alice.request({ type: 'room.admit', callId, username: 'bob', admit: true }),
  ).toMatchObject({ type: 'ok' });
  expect(await bob.nextOf('room.invite', callId)).toMatchObject({ callId });
  expect(
    await alice.request({ type: 'room.admit', callId, username: 'carol', admit: false }),
  ).toMatchObject({ type: 'ok' });
  expect(await carol.nextOf('room.knock_refused', callId)).toMatchObject({ callId });
  expect(await carol.collect(200, (m) => m.type === 'room.invite')).toEqual([]);
  // An answer for someone who is not knocking changes nothing.
  expect(
    await alice.request({ type: 'room.admit', callId, username: 'carol', admit: true }),
  ).toMatchObject({ type: 'error', code: 'call_state' });
});

test('revoking the link turns away whoever still knocks through it', async () => {
  const token = await makeLink(true);
  expect(await bob.request({ type: 'room.link_join', token })).toMatchObject({ type: 'ok' });
  await alice.nextOf('room.knock', callId);
  expect(await alice.request({ type: 'room.link_revoke', callId })).toMatchObject({ type: 'ok' });
  expect(await bob.nextOf('room.knock_refused', callId)).toMatchObject({ callId });
  expect(
    await alice.request({ type: 'room.admit', callId, username: 'bob', admit: true }),
  ).toMatchObject({ type: 'error', code: 'call_state' });
  expect(await bob.collect(200, (m) => m.type === 'room.invite')).toEqual([]);
});

test('whoever still knocks is turned away when the creator leaves, or when the call ends', async () => {
  const carol = await roomsUser(server, 'carol');
  const dave = await roomsUser(server, 'dave');
  await joinCall(alice, carol, callId);
  const token = await makeLink(true);
  expect(await bob.request({ type: 'room.link_join', token })).toMatchObject({ type: 'ok' });
  await alice.nextOf('room.knock', callId);
  // The creator leaves (Carol stays): nobody can let Bob in any more.
  alice.send({ v: 1, type: 'room.leave', callId });
  expect(await bob.nextOf('room.knock_refused', callId)).toMatchObject({ callId });
  expect(await bob.collect(200, (m) => m.type === 'room.invite')).toEqual([]);

  // A second call: the knock waits while the call ends.
  const second = await createCall(dave);
  const link = await dave.request({
    type: 'room.link_create',
    callId: second.callId,
    approval: true,
  });
  if (link.type !== 'room.link') throw new Error(JSON.stringify(link));
  expect(await bob.request({ type: 'room.link_join', token: link.token })).toMatchObject({
    type: 'ok',
  });
  await dave.nextOf('room.knock', second.callId);
  dave.send({ v: 1, type: 'room.leave', callId: second.callId });
  expect(await bob.nextOf('room.knock_refused', second.callId)).toMatchObject({
    callId: second.callId,
  });
});

test('a revoked or replaced link says so; an unknown one is unknown; a link of an ended call too', async () => {
  const first = await makeLink(false);
  const second = await makeLink(false);
  expect(await bob.request({ type: 'room.link_open', token: first })).toMatchObject({
    type: 'error',
    code: 'call_link_revoked',
  });
  expect(await alice.request({ type: 'room.link_revoke', callId })).toMatchObject({ type: 'ok' });
  expect(await bob.request({ type: 'room.link_join', token: second })).toMatchObject({
    type: 'error',
    code: 'call_link_revoked',
  });
  expect(await bob.collect(200, (m) => m.type === 'room.invite')).toEqual([]);
  expect(
    await bob.request({ type: 'room.link_open', token: 'AAAAAAAAAAAAAAAAAAAAAA' }),
  ).toMatchObject({ type: 'error', code: 'call_link_unknown' });

  const third = await makeLink(false);
  alice.send({ v: 1, type: 'room.leave', callId });
  // Answered after the leave, which the server handles in order.
  await alice.request({ type: 'ping' });
  expect(await bob.request({ type: 'room.link_open', token: third })).toMatchObject({
    type: 'error',
    code: 'call_link_unknown',
  });
});

test('a revoked link stays revoked across a restart', async () => {
  const token = await makeLink(false);
  await alice.request({ type: 'room.link_revoke', callId });
  await server.stop();
  await server.restart();
  const carol = await roomsUser(server, 'carol');
  expect(await carol.request({ type: 'room.link_open', token })).toMatchObject({
    type: 'error',
    code: 'call_link_revoked',
  });
});

test('only the creator makes or revokes the link', async () => {
  await joinCall(alice, bob, callId);
  expect(await bob.request({ type: 'room.link_create', callId, approval: false })).toMatchObject({
    type: 'error',
    code: 'not_in_call',
    callId,
  });
  expect(await bob.request({ type: 'room.link_revoke', callId })).toMatchObject({
    type: 'error',
    code: 'not_in_call',
  });
});

test('a member of the call, or someone busy, cannot join or knock through the link', async () => {
  const token = await makeLink(false);
  expect(await alice.request({ type: 'room.link_join', token })).toMatchObject({
    type: 'error',
    code: 'already_in_call',
  });
  const knocking = await makeLink(true);
  const carol = await roomsUser(server, 'carol');
  await startAcceptedCall(bob, carol);
  expect(await bob.request({ type: 'room.link_join', token: knocking })).toMatchObject({
    type: 'error',
    code: 'already_in_call',
  });
  expect(await alice.collect(200, (m) => m.type === 'room.knock')).toEqual([]);
});
