/**
 * Conformance of "Notice streams", "Calls across disconnects" and "After the answer" in
 * docs/protocol.md, with the document's client (DocClient.ts) only.
 */
import * as crypto from 'node:crypto';
import {
  chainProblem,
  keyShareVerifies,
  makeKeyShare,
  type ChainLink,
  type Msg,
} from './DocClient';
import {
  byCall,
  closedWithin,
  expectError,
  linkDevice,
  STREAM_ID,
  useServer,
  type User,
} from './harness';

jest.setTimeout(20_000);

const GRACE_MS = 1500;
const h = useServer({ reconnectGraceMs: GRACE_MS });

function fingerprintOf(seed: number): string {
  const pairs = Array.from({ length: 32 }, (_, i) => ((i * 7 + seed) % 256).toString(16));
  return `sha-256 ${pairs.map((p) => p.padStart(2, '0').toUpperCase()).join(':')}`;
}
const sdp = (fingerprint: string, version = 1) =>
  `v=0\r\no=- 1 ${version} IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:${fingerprint}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n`;
const CALLER_FP = fingerprintOf(1);
const CALLEE_FP = fingerprintOf(2);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function share(u: User, role: 'caller' | 'callee', callId: string, fingerprint: string) {
  const { username, deviceId } = u;
  return makeKeyShare(u.identity, { role, callId, username, deviceId }, fingerprint);
}

/** Alice calls Bob: the call is RINGING and `device` (Bob's, by default) has the invite. */
async function ringingCall(alice: User, bob: User, device: User = bob): Promise<string> {
  const callId = crypto.randomUUID();
  const ok = await alice.c.request('call.invite', {
    callId,
    to: bob.username,
    media: 'audio',
    sdp: sdp(CALLER_FP),
    keyShare: share(alice, 'caller', callId, CALLER_FP),
  });
  expect(ok).toMatchObject({ type: 'ok' });
  await device.c.next('call.invite', byCall(callId));
  return callId;
}

/** Alice calls Bob and `device` (Bob's, by default) answers: the call is ACCEPTED. */
async function acceptedCall(alice: User, bob: User, device: User = bob): Promise<string> {
  const callId = await ringingCall(alice, bob, device);
  device.c.notify('call.accept', {
    callId,
    media: 'audio',
    sdp: sdp(CALLEE_FP),
    keyShare: share(device, 'callee', callId, CALLEE_FP),
  });
  await alice.c.next('call.accept', byCall(callId));
  return callId;
}

/** A new connection of `u` that resumes its stream from `u.c` (or signs in anew without it). */
async function comeBack(u: User, resumeStream = true): Promise<{ user: User; session: Msg }> {
  const c = await h.connect();
  const session = await c.resume(u, resumeStream ? u.c : undefined);
  expect(session).toMatchObject({ type: 'session' });
  return { user: { ...u, c }, session };
}

async function logEntry(u: User, callId: string): Promise<Msg | undefined> {
  const log = await u.c.request('calllog.list');
  return (log.entries as Msg[]).find((e) => e.callId === callId);
}

describe('notice streams', () => {
  test('ping is answered ok at once, before and after sign-in', async () => {
    const c = await h.connect();
    expect(await c.request('ping', {}, { id: 'p1' })).toEqual({ v: 1, type: 'ok', re: 'p1' });
    const alice = await h.newUser('alice');
    expect(await alice.c.request('ping')).toMatchObject({ type: 'ok' });
  });

  test('the server numbers its notices 1, 2, 3 from the sign-in and acknowledges ours', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    alice.c.notify('call.media', { callId, audio: false, video: false });
    await bob.c.next('call.media', byCall(callId));
    const numbered = bob.c.log.filter((m) => m.seq !== undefined);
    expect(numbered[0]).toMatchObject({ type: 'call.invite', seq: 1 });
    expect(numbered.map((m) => m.seq)).toEqual(numbered.map((_, i) => i + 1));
    expect(numbered.pop()).toMatchObject({ type: 'call.media' });
    // Alice's notices are acknowledged within about 250 ms.
    const deadline = Date.now() + 2000;
    while (alice.c.stream!.unacked.length > 0 && Date.now() < deadline) await wait(20);
    expect(alice.c.stream!.unacked).toEqual([]);
    expect(alice.c.log.filter((m) => m.type === 'ack').pop()).toEqual({
      v: 1,
      type: 'ack',
      seq: alice.c.stream!.sent,
    });
  });

  test('notices sent while a device is away arrive once and in order when it resumes', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    alice.c.autoAck = false;
    const processed = alice.c.stream!.received;
    await alice.c.drop();

    bob.c.notify('call.media', { callId, audio: false, video: false });
    bob.c.notify('call.quality', { callId, poor: true });
    bob.c.notify('call.media', { callId, audio: true, video: false });
    await bob.c.request('contacts.list');

    const { user: back, session } = await comeBack(alice);
    expect(session.stream).toEqual({ id: alice.c.stream!.id, resumed: true, received: 0 });
    const resent = [
      await back.c.next('call.media', byCall(callId)),
      await back.c.next('call.quality', byCall(callId)),
      await back.c.next('call.media', byCall(callId)),
    ];
    expect(resent).toEqual([
      { v: 1, type: 'call.media', callId, audio: false, video: false },
      { v: 1, type: 'call.quality', callId, poor: true },
      { v: 1, type: 'call.media', callId, audio: true, video: false },
    ]);
    expect(back.c.log.map((m) => m.seq).filter((seq) => seq !== undefined)).toEqual([
      processed + 1,
      processed + 2,
      processed + 3,
    ]);
    expect(await back.c.collect('call.media', byCall(callId), 300)).toEqual([]);
    expect(back.c.streamErrors).toEqual([]);
  });

  test('after a drop, the client sends again what the server did not acknowledge; nothing twice', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    // Sent, then dropped before any ack can come back.
    bob.c.notify('call.media', { callId, audio: false, video: true });
    bob.c.notify('call.media', { callId, audio: false, video: false });
    await bob.c.drop();
    expect(bob.c.stream!.unacked.length).toBeGreaterThanOrEqual(2);

    const { user: back, session } = await comeBack(bob);
    expect(session.stream).toMatchObject({ resumed: true });
    back.c.notify('call.media', { callId, audio: true, video: true });
    await back.c.request('contacts.list');
    await wait(100);
    const seen = await alice.c.collect('call.media', byCall(callId), 300);
    expect(seen.map((m) => [m.audio, m.video])).toEqual([
      [false, true],
      [false, false],
      [true, true],
    ]);
  });

  test('a notice received twice is processed once', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    const seq = bob.c.stream!.sent + 1;
    bob.c.send({ type: 'call.quality', callId, poor: true, seq });
    bob.c.send({ type: 'call.quality', callId, poor: true, seq });
    bob.c.stream!.sent = seq;
    bob.c.notify('call.quality', { callId, poor: false });
    await alice.c.next('call.quality', (m) => m.poor === false);
    expect(alice.c.log.filter((m) => m.type === 'call.quality').map((m) => m.poor)).toEqual([
      true,
      false,
    ]);
  });

  test('a login starts a new stream at 1; the server keeps nothing of the old one', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    await alice.c.drop();
    bob.c.notify('call.media', { callId, audio: false, video: false });
    await bob.c.request('contacts.list');

    const c = await h.connect();
    const session = await c.login(alice.identity, alice.username, alice.deviceId);
    expect(session.stream).toEqual({
      id: expect.stringMatching(STREAM_ID),
      resumed: false,
      received: 0,
    });
    expect((session.stream as { id: string }).id).not.toBe(alice.c.stream!.id);
    expect(session.calls).toMatchObject([{ callId, state: 'accepted' }]);
    bob.c.notify('call.rekey', { callId });
    await c.next('call.rekey', byCall(callId));
    expect(c.log.filter((m) => m.seq !== undefined).map((m) => [m.type, m.seq])).toEqual([
      ['call.rekey', 1],
    ]);
  });
});

describe('calls across disconnects', () => {
  test('session.calls: the live calls of the device, from its side', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    const answeredAround = Date.now();
    await alice.c.drop();
    const { session } = await comeBack(alice);
    expect(session.calls).toEqual([
      {
        callId,
        peer: { username: bob.username, displayName: bob.displayName },
        media: 'audio',
        role: 'caller',
        state: 'accepted',
        answeredAt: expect.any(Number),
      },
    ]);
    const [live] = session.calls as Msg[];
    expect(Math.abs((live!.answeredAt as number) - answeredAround)).toBeLessThan(2000);
  });

  test('a party away within the grace keeps the call: nobody is told, and it goes on when back', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    await bob.c.drop();
    expect(await alice.c.collect('call.hangup', byCall(callId), GRACE_MS / 2)).toEqual([]);
    const { user: back, session } = await comeBack(bob);
    expect(session.calls).toMatchObject([{ callId, role: 'callee', state: 'accepted' }]);
    await wait(GRACE_MS);
    expect(await alice.c.collect('call.hangup', byCall(callId), 0)).toEqual([]);
    back.c.notify('call.hangup', { callId });
    expect(await alice.c.next('call.hangup', byCall(callId))).toEqual({
      v: 1,
      type: 'call.hangup',
      callId,
      reason: 'hangup',
    });
  });

  test('a call that ended while the device was away is missing from calls; the log has it', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    await bob.c.drop();
    alice.c.notify('call.hangup', { callId });
    await alice.c.request('contacts.list');
    // A new stream (no resume of the old one): the hang-up notice is gone, `calls` tells.
    const { user: back, session } = await comeBack(bob, false);
    expect(session).toMatchObject({ stream: { resumed: false }, calls: [] });
    expect(await logEntry(back, callId)).toMatchObject({ outcome: 'answered' });
  });

  test('a party that stays away past the grace is gone: connection_lost, ended when it dropped', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    await wait(300);
    const dropped = Date.now();
    await bob.c.drop();
    const hangup = await alice.c.next('call.hangup', byCall(callId), GRACE_MS + 2000);
    expect(hangup).toEqual({ v: 1, type: 'call.hangup', callId, reason: 'connection_lost' });
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(GRACE_MS - 50);
    const entry = await logEntry(alice, callId);
    expect(Math.abs((entry!.endedAt as number) - dropped)).toBeLessThan(300);
  });

  test('a new connection of a device takes over from the old one (4001); the call goes on', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    const { user: back } = await comeBack(bob);
    expect((await closedWithin(bob.c)).code).toBe(4001);
    alice.c.notify('call.media', { callId, audio: false, video: false });
    expect(await back.c.next('call.media', byCall(callId))).toMatchObject({ audio: false });
    back.c.notify('call.hangup', { callId });
    await alice.c.next('call.hangup', (m) => m.callId === callId && m.reason === 'hangup');
  });

  test('an answered call outlives a server restart: both come back, hang up, true duration', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    const answered = Date.now();
    await wait(300);
    await h.restart();

    const a = await comeBack(alice);
    const b = await comeBack(bob);
    for (const { session } of [a, b]) {
      expect(session.stream).toMatchObject({ resumed: false, received: 0 });
      expect(session.calls).toMatchObject([{ callId, state: 'accepted' }]);
    }
    await wait(300);
    b.user.c.notify('call.hangup', { callId });
    const hungUp = Date.now();
    await a.user.c.next('call.hangup', (m) => m.callId === callId && m.reason === 'hangup');
    const entry = await logEntry(a.user, callId);
    expect(entry).toMatchObject({ outcome: 'answered' });
    expect(Math.abs((entry!.durationMs as number) - (hungUp - answered))).toBeLessThan(500);
  });
});

describe('after the answer', () => {
  test('call.offer, call.answer, call.restart and call.quality pass between the two parties', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    bob.c.notify('call.restart', { callId });
    expect(await alice.c.next('call.restart', byCall(callId))).toEqual({
      v: 1,
      type: 'call.restart',
      callId,
    });
    alice.c.notify('call.offer', { callId, sdp: sdp(CALLER_FP, 2) });
    expect(await bob.c.next('call.offer', byCall(callId))).toEqual({
      v: 1,
      type: 'call.offer',
      callId,
      sdp: sdp(CALLER_FP, 2),
    });
    bob.c.notify('call.answer', { callId, sdp: sdp(CALLEE_FP, 2) });
    expect(await alice.c.next('call.answer', byCall(callId))).toMatchObject({
      sdp: sdp(CALLEE_FP, 2),
    });
    alice.c.notify('call.quality', { callId, poor: true });
    expect(await bob.c.next('call.quality', byCall(callId))).toMatchObject({ poor: true });
  });

  test('call.rejoin and call.rejoined carry the sender’s device and chain, and verify like a new call', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const bobPhone = await linkDevice(h, bob);
    const callId = await acceptedCall(alice, bob, bobPhone);

    // Bob's phone reloaded: new peer connection, new share, same role.
    const newFp = fingerprintOf(9);
    bobPhone.c.notify('call.rejoin', {
      callId,
      sdp: sdp(newFp),
      keyShare: share(bobPhone, 'callee', callId, newFp),
    });
    const rejoin = await alice.c.next('call.rejoin', byCall(callId));
    expect(rejoin).toMatchObject({ deviceId: bobPhone.deviceId });
    expect(chainProblem(rejoin.identity, bob.username)).toBeNull();
    const chain = rejoin.identity as ChainLink[];
    expect(chain[0]!.identityKey).toBe(bob.identity.identityKey);
    const who = { role: 'callee', callId, username: bob.username, deviceId: bobPhone.deviceId };
    expect(keyShareVerifies(chain, who as never, rejoin.keyShare, rejoin.sdp as string)).toBe(true);

    const aliceFp = fingerprintOf(10);
    alice.c.notify('call.rejoined', {
      callId,
      sdp: sdp(aliceFp),
      keyShare: share(alice, 'caller', callId, aliceFp),
    });
    const rejoined = await bobPhone.c.next('call.rejoined', byCall(callId));
    expect(rejoined).toMatchObject({
      deviceId: alice.deviceId,
      identity: [{ identityKey: alice.identity.identityKey, signature: null }],
    });
    const caller = { role: 'caller', callId, username: alice.username, deviceId: alice.deviceId };
    expect(
      keyShareVerifies(
        rejoined.identity as ChainLink[],
        caller as never,
        rejoined.keyShare,
        rejoined.sdp as string,
      ),
    ).toBe(true);
    // Bob's other device, which did not answer, may not rejoin.
    bob.c.notify('call.rejoin', {
      callId,
      sdp: sdp(newFp),
      keyShare: share(bob, 'callee', callId, newFp),
    });
    expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
  });

  test('refused: from a stranger (not_in_call), while ringing (call_state), after the end', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const carol = await h.newUser('carol');
    const callId = await ringingCall(alice, bob);
    alice.c.notify('call.offer', { callId, sdp: sdp(CALLER_FP, 2) });
    expectError(await alice.c.next('error', byCall(callId)), 'call_state', null);
    bob.c.notify('call.quality', { callId, poor: true });
    expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
    carol.c.notify('call.restart', { callId });
    expectError(await carol.c.next('error', byCall(callId)), 'not_in_call', null);

    alice.c.notify('call.cancel', { callId });
    await bob.c.next('call.cancel', byCall(callId));
    alice.c.notify('call.quality', { callId, poor: false });
    expectError(await alice.c.next('error', byCall(callId)), 'unknown_call', null);
    expect(await bob.c.collect('call.offer', byCall(callId), 200)).toEqual([]);
  });
});

describe('a stream that overflows', () => {
  const small = useServer({ noticeQueueLimit: 4, reconnectGraceMs: GRACE_MS });

  test('more unacknowledged notices than the server keeps: the resume starts a new stream', async () => {
    const alice = await small.newUser('alice');
    const bob = await small.newUser('bob');
    const callId = await acceptedCall(alice, bob);
    await alice.c.drop();
    for (let i = 0; i < 5; i += 1) bob.c.notify('call.quality', { callId, poor: i % 2 === 0 });
    await bob.c.request('contacts.list');

    const c = await small.connect();
    const session = await c.resume(alice, alice.c);
    expect(session).toMatchObject({
      stream: { resumed: false, received: 0 },
      calls: [{ callId, state: 'accepted' }],
    });
    expect(await c.collect('call.quality', byCall(callId), 300)).toEqual([]);
  });
});
