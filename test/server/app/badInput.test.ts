import { randomUUID } from 'node:crypto';
import { MAX_MESSAGE_BYTES } from '../../../protocol';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let callId: string;

/** Each case: a signed-in alice sends bad input while she rings bob; nothing may change. */
beforeEach(async () => {
  server = await TestServer.start();
  alice = await server.registered('alice');
  bob = await server.registered('bob');
  callId = randomUUID();
  await alice.invite(callId, 'bob', 'video', 'o');
  await bob.nextOf('call.invite', callId);
});
afterEach(() => server.dispose());

/** Alice is still signed in, her call still works and bob saw nothing of the bad input. */
async function expectNothingChanged() {
  expect(await alice.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'bob' }],
  });
  bob.accept(callId, 'video', 'a');
  expect(await alice.nextOf('call.accept', callId)).toMatchObject({ callId });
  expect(bob.inbox.filter((m) => m.type !== 'presence')).toEqual([]);
  expect(await bob.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'alice' }],
  });
}

const cases: [string, () => string | Buffer, string, string | null][] = [
  ['invalid JSON', () => '{"v":1,"type":', 'bad_json', null],
  ['a JSON array', () => '[1,2]', 'bad_message', null],
  ['a binary frame', () => Buffer.from('{"v":1}'), 'bad_message', null],
  [
    'a wrong version',
    () => JSON.stringify({ v: 2, type: 'contacts.list', id: 'q1' }),
    'unsupported_version',
    'q1',
  ],
  ['no version', () => JSON.stringify({ type: 'contacts.list', id: 'q2' }), 'bad_message', 'q2'],
  [
    'an unknown type',
    () => JSON.stringify({ v: 1, type: 'admin.drop', id: 'q3' }),
    'bad_message',
    'q3',
  ],
  [
    'a bad field',
    () => JSON.stringify({ v: 1, type: 'user.lookup', id: 'q4', username: 'NO SPACES' }),
    'bad_message',
    'q4',
  ],
  [
    'an extra field',
    () => JSON.stringify({ v: 1, type: 'contacts.list', id: 'q5', admin: true }),
    'bad_message',
    'q5',
  ],
  [
    'a server-only message',
    () => JSON.stringify({ v: 1, type: 'ok', re: 'x' }),
    'bad_message',
    null,
  ],
  [
    'a frame over 64 KiB',
    () =>
      JSON.stringify({
        v: 1,
        type: 'contacts.list',
        id: 'big',
        pad: 'x'.repeat(MAX_MESSAGE_BYTES),
      }),
    'too_large',
    null,
  ],
];

test.each(cases)('%s gets an error, and nothing else changes', async (_name, frame, code, re) => {
  alice.sendRaw(frame());
  const error = await alice.nextOf('error');
  expect(error).toMatchObject({ code, re });
  await expectNothingChanged();
});

test('a schema violation names the failing field', async () => {
  alice.send({ v: 1, type: 'user.lookup', id: 'q9', username: 'NO SPACES' });
  expect((await alice.nextOf('error')).message).toMatch(/^username:/);
  alice.send({
    v: 1,
    type: 'call.invite',
    id: 'q10',
    callId: 'not-a-uuid',
    to: 'bob',
    media: 'video',
    sdp: 'o',
  });
  expect((await alice.nextOf('error')).message).toMatch(/^callId:/);
});

test('a malformed call notice is refused with its callId, and changes nothing', async () => {
  alice.send({ v: 1, type: 'call.media', callId, audio: 'loud', video: true });
  expect(await alice.nextOf('error')).toMatchObject({ re: null, code: 'bad_message', callId });
  alice.send({ v: 1, type: 'call.hangup', callId, reason: 'because' });
  expect(await alice.nextOf('error')).toMatchObject({ re: null, code: 'bad_message', callId });
  // A call id that is not one is not echoed.
  alice.send({ v: 1, type: 'call.hangup', callId: 'not-a-uuid' });
  const error = await alice.nextOf('error');
  expect(error).toMatchObject({ re: null, code: 'bad_message' });
  expect(error).not.toHaveProperty('callId');
  await expectNothingChanged();
});

test('a schema-valid invite with a huge sdp still over the limit is too_large', async () => {
  alice.send({
    v: 1,
    type: 'call.ice',
    callId,
    candidate: {
      candidate: 'x'.repeat(70_000),
      sdpMid: null,
      sdpMLineIndex: null,
      usernameFragment: null,
    },
  });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'too_large' });
  await expectNothingChanged();
});

test('messages before sign-in are refused as not_authenticated', async () => {
  const stranger = await server.client();
  for (const message of [
    { type: 'contacts.list', id: 'a' },
    { type: 'user.lookup', id: 'b', username: 'alice' },
    {
      type: 'call.invite',
      id: 'c',
      callId,
      to: 'alice',
      media: 'audio',
      sdp: 'o',
      keyShare: alice.keyShare('caller', callId),
    },
    { type: 'call.hangup', callId },
    { type: 'session.end', id: 'd' },
  ]) {
    stranger.send({ v: 1, ...message });
    expect(await stranger.nextOf('error')).toMatchObject({
      code: 'not_authenticated',
      re: 'id' in message ? message.id : null,
      ...('callId' in message ? { callId } : {}),
    });
  }
  await expectNothingChanged();
});

test('a flood is rate limited for that connection only: one refusal, the rest unanswered', async () => {
  // Over the default burst of 200, by less than the flood that closes a connection.
  const frames = 350;
  for (let i = 0; i < frames; i++) alice.send({ v: 1, type: 'contacts.list', id: `f${i}` });
  const limited = await alice.next((m) => m.type === 'error' && m.code === 'rate_limited', 5000);
  expect(limited).toMatchObject({ re: null, retryAfterMs: 1000 });
  const answered = await alice.collect(500, (m) => m.type === 'contacts');
  // The burst of 200, less her hello, auth.register and call.invite before the flood.
  expect(answered.length).toBeGreaterThanOrEqual(200 - 3);
  expect(answered.length).toBeLessThan(frames);
  expect(alice.inbox.filter((m) => m.type === 'error')).toEqual([]);
  // bob is not limited by alice's flood.
  expect(await bob.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
  // Once retryAfterMs has passed, alice is answered again.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await expectNothingChanged();
});

test('a frame over the WebSocket payload cap closes only that connection', async () => {
  const mallory = await server.registered('mallory');
  mallory.sendRaw('x'.repeat(2 * 1024 * 1024));
  expect((await mallory.closed).code).toBe(1009);
  await expectNothingChanged();
});
