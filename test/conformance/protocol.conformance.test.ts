/**
 * Independent conformance check of the Parley signaling server against docs/protocol.md.
 *
 * Everything asserted here is taken from that document alone; the client is DocClient.ts.
 * The only server code used is `startServer` from server/app.ts.
 */
import * as crypto from 'node:crypto';
import { makeIdentity, makeKeyShare, registerText, resumeText, sign, type Msg } from './DocClient';
import {
  B64_32,
  byCall,
  DEVICE_ID,
  expectError,
  inviteFrom,
  STREAM_ID,
  useServer,
  type User,
} from './harness';

jest.setTimeout(20_000);

const RING_TIMEOUT_MS = 1500;
/** "Calls across disconnects": the reconnect grace is a server setting; short here. */
const GRACE_MS = 400;
const h = useServer({ ringTimeoutMs: RING_TIMEOUT_MS, reconnectGraceMs: GRACE_MS });
const connect = () => h.connect();
const uniqueName = (base: string) => h.uniqueName(base);
const newUser = (base: string) => h.newUser(base);

/** A new connection for an existing user, signed in with session.resume. */
async function reconnect(u: User): Promise<User> {
  const c = await connect();
  const s = await c.resume(u);
  expect(s).toMatchObject({ type: 'session' });
  return { ...u, c };
}

const FINGERPRINT =
  'sha-256 ' +
  Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');

function sdp(kind: 'offer' | 'answer'): string {
  return [
    'v=0',
    `o=- ${kind === 'offer' ? 4611 : 7302} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${kind === 'offer' ? 'abcd' : 'wxyz'}`,
    'a=ice-pwd:0123456789abcdefghijklmn',
    `a=fingerprint:${FINGERPRINT}`,
    `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:96 VP8/90000',
    '',
  ].join('\r\n');
}

const OFFER = sdp('offer');
const ANSWER = sdp('answer');
const CANDIDATE = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'abcd',
};

/** The key share a device sends with its invite (caller) or accept (callee). */
function shareOf(u: User, role: 'caller' | 'callee', callId: string) {
  const { username, deviceId } = u;
  return makeKeyShare(u.identity, { role, callId, username, deviceId }, FINGERPRINT);
}

/** Sends `call.invite` with the caller's key share. */
function sendInvite(
  caller: User,
  fields: { callId: string; to: string; media: string; sdp: string },
  opts: { id?: string } = {},
) {
  const keyShare = shareOf(caller, 'caller', fields.callId);
  return caller.c.request('call.invite', { ...fields, keyShare }, opts);
}

/** Sends `call.accept` with the callee's key share. */
function sendAccept(callee: User, fields: { callId: string; media: string; sdp: string }) {
  const keyShare = shareOf(callee, 'callee', fields.callId);
  callee.c.notify('call.accept', { ...fields, keyShare });
  return keyShare;
}

/** Caller invites callee; returns the callId after `ok` and the callee's `call.invite`. */
async function ring(
  caller: User,
  callee: User,
  media: 'audio' | 'video' = 'video',
  offer: string = OFFER,
) {
  const callId = crypto.randomUUID();
  const reply = await sendInvite(caller, {
    callId,
    to: callee.username,
    media,
    sdp: offer,
  });
  expect(reply).toEqual({ v: 1, type: 'ok', re: expect.any(String) });
  const invite = await callee.c.next('call.invite', byCall(callId));
  return { callId, invite };
}

/** Expected call-log facts, checked at the end from both sides. */
interface LoggedCall {
  callId: string;
  caller: User;
  callee: User;
  media: 'audio' | 'video';
  outcome: 'answered' | 'missed' | 'declined' | 'busy' | 'cancelled' | 'failed';
  /** How the call ended, when the outcome is our reading of the document rather than explicit. */
  how?: string;
}
const loggedCalls: LoggedCall[] = [];

// ---- transport, envelope and errors -------------------------------------------------------

describe('transport and envelope', () => {
  test('the WebSocket endpoint is /ws', () => {
    expect(h.url()).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  });

  test('bad JSON -> error bad_json with re null, connection stays usable', async () => {
    const c = await connect();
    c.sendRaw('{"v":1,"type":"hello","id":"x1"');
    expectError(await c.next('error'), 'bad_json', null);
    const ch = await c.hello();
    expect(ch.type).toBe('auth.challenge');
  });

  test('unknown type -> error bad_message with re = id', async () => {
    const c = await connect();
    c.send({ type: 'no.such.type', id: 'u1' });
    expectError(await c.next('error'), 'bad_message', 'u1');
  });

  test('an unlisted (extra) field makes the message invalid -> bad_message with re = id', async () => {
    const c = await connect();
    c.send({ type: 'hello', id: 'e1', client: 'x/1', extra: true });
    expectError(await c.next('error'), 'bad_message', 'e1');
    // "An error never changes any state": no challenge was issued, so register is refused.
    const id = makeIdentity();
    const r = await c.request('auth.register', {
      username: uniqueName('nohello'),
      displayName: 'X',
      deviceName: 'Y',
      identityKey: id.identityKey,
      nonce: crypto.randomBytes(32).toString('base64'),
      signature: crypto.randomBytes(64).toString('base64'),
    });
    expectError(r, 'no_challenge', r.re as string);
  });

  test('v other than 1 -> unsupported_version with re = id', async () => {
    const c = await connect();
    c.send({ v: 2, type: 'hello', id: 'w1', client: 'x/1' });
    expectError(await c.next('error'), 'unsupported_version', 'w1');
    c.send({ v: '1', type: 'hello', id: 'w2', client: 'x/1' });
    const e = await c.next('error');
    expect(e.re).toBe('w2');
    expect(['unsupported_version', 'bad_message']).toContain(e.code);
  });

  test('a message of exactly 65,536 bytes is accepted; 65,537 bytes -> too_large and ignored', async () => {
    const c = await connect();
    const base = JSON.stringify({ v: 1, type: 'hello', id: 'big1', client: 'x/1' });
    const exact = base.slice(0, -1) + ' '.repeat(65_536 - base.length) + '}';
    expect(Buffer.byteLength(exact)).toBe(65_536);
    c.sendRaw(exact);
    const ok = await c.next('auth.challenge');
    expect(ok.re).toBe('big1');

    const over = base.replace('big1', 'big2').slice(0, -1) + ' '.repeat(65_537 - base.length) + '}';
    expect(Buffer.byteLength(over)).toBe(65_537);
    c.sendRaw(over);
    const e = await c.next('error');
    expect(e.code).toBe('too_large');
    // The document does not say whether `re` is the id or null for an oversized frame.
    expect([null, 'big2']).toContain(e.re);
    // Ignored: no challenge for big2.
    expect(await c.collect('auth.challenge', (m) => m.re === 'big2', 200)).toEqual([]);
    expect(c.isClosed).toBe(false);
  });

  test('a frame over 1 MiB closes the socket with 1009', async () => {
    const c = await connect();
    c.sendRaw('"' + 'a'.repeat(1024 * 1024 + 16) + '"');
    const info = await c.closed;
    expect(info.code).toBe(1009);
  });

  test('requests before sign-in -> not_authenticated', async () => {
    const c = await connect();
    const callId = crypto.randomUUID();
    const share = { role: 'caller', callId, username: 'someone', deviceId: 'nodevice' } as const;
    const keyShare = makeKeyShare(makeIdentity(), share, FINGERPRINT);
    for (const [type, fields] of [
      ['contacts.list', {}],
      ['user.lookup', { username: 'someone' }],
      ['contacts.add', { username: 'someone' }],
      ['calllog.list', {}],
      ['session.end', {}],
      ['call.invite', { callId, to: 'someone', media: 'audio', sdp: OFFER, keyShare }],
    ] as const) {
      const r = await c.request(type, fields);
      expectError(r, 'not_authenticated', r.re as string);
    }
  });
});

// ---- signing in ---------------------------------------------------------------------------

describe('signing in', () => {
  test('hello -> auth.challenge with a fresh 32-byte nonce valid for 60 s', async () => {
    const c = await connect();
    const before = Date.now();
    const ch = await c.request('hello', { client: 'doc-conformance/1.0' }, { id: 'r1' });
    expect(ch).toEqual({
      v: 1,
      type: 'auth.challenge',
      re: 'r1',
      nonce: expect.stringMatching(B64_32),
      expiresAt: expect.any(Number),
    });
    expect(Buffer.from(String(ch.nonce), 'base64')).toHaveLength(32);
    expect(Number.isInteger(ch.expiresAt)).toBe(true);
    const ttl = (ch.expiresAt as number) - before;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(61_000);
    const ch2 = await c.hello();
    expect(ch2.nonce).not.toBe(ch.nonce);
  });

  test('register -> session; login with deviceId on a new connection; resume; end', async () => {
    const identity = makeIdentity();
    const username = uniqueName('alice');
    const c1 = await connect();
    const ch = await c1.hello();
    const nonce = String(ch.nonce);
    // The origin of the URL connected to: ws://127.0.0.1:<port> (no path).
    expect(c1.origin).toBe(`ws://127.0.0.1:${new URL(h.url()).port}`);
    const text = `parley-auth-v2\nregister\n${c1.origin}\n${nonce}\n${username}\n${identity.identityKey}`;
    expect(registerText(c1.origin, nonce, username, identity.identityKey)).toBe(text);
    const before = Date.now();
    const s = await c1.request(
      'auth.register',
      {
        username,
        displayName: 'Alice',
        deviceName: 'Laptop',
        identityKey: identity.identityKey,
        nonce,
        signature: sign(identity.privateKey, text),
      },
      { id: 'r2' },
    );
    expect(s).toEqual({
      v: 1,
      type: 'session',
      re: 'r2',
      sessionId: expect.stringMatching(B64_32),
      expiresAt: expect.any(Number),
      user: { username, displayName: 'Alice' },
      deviceId: expect.stringMatching(DEVICE_ID),
      ice: expect.objectContaining({ servers: expect.any(Array) }),
      stream: { id: expect.stringMatching(STREAM_ID), resumed: false, received: 0 },
      calls: [],
    });
    expect(Number.isInteger(s.expiresAt)).toBe(true);
    const thirtyDays = 30 * 24 * 3600 * 1000;
    expect(s.expiresAt as number).toBeGreaterThan(before + thirtyDays - 60_000);
    expect(s.expiresAt as number).toBeLessThan(Date.now() + thirtyDays + 60_000);
    const deviceId = String(s.deviceId);

    // Signed in: protected requests work.
    const list = await c1.request('contacts.list');
    expect(list).toEqual({ v: 1, type: 'contacts', re: list.re, contacts: [], next: null });

    // Login on a new connection with the deviceId.
    const c2 = await connect();
    const l = await c2.login(identity, username, deviceId);
    expect(l).toEqual({
      v: 1,
      type: 'session',
      re: l.re,
      sessionId: expect.stringMatching(B64_32),
      expiresAt: expect.any(Number),
      user: { username, displayName: 'Alice' },
      deviceId,
      ice: expect.objectContaining({ servers: expect.any(Array) }),
      stream: { id: expect.stringMatching(STREAM_ID), resumed: false, received: 0 },
      calls: [],
    });
    // "A device that signs in on a new connection takes over from its older connection."
    const replaced = await Promise.race([
      c1.closed.then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 2000)),
    ]);
    expect(replaced).toBe('closed');

    // session.resume of the register session on a third connection: hello, then the resume
    // text signed with the device key.
    const c3 = await connect();
    const ch3 = await c3.hello();
    const nonce3 = String(ch3.nonce);
    const sessionId = String(s.sessionId);
    const resumeSigned = `parley-auth-v2\nresume\n${c3.origin}\n${nonce3}\n${sessionId}`;
    expect(resumeText(c3.origin, nonce3, sessionId)).toBe(resumeSigned);
    const r = await c3.request(
      'session.resume',
      { sessionId, nonce: nonce3, signature: sign(identity.privateKey, resumeSigned) },
      { id: 'r3' },
    );
    expect(r).toMatchObject({
      v: 1,
      type: 'session',
      re: 'r3',
      user: { username, displayName: 'Alice' },
      deviceId,
    });
    const lookup = await c3.request('user.lookup', { username });
    expect(lookup).toMatchObject({ type: 'user', username });

    // session.end -> ok. It revokes every session of this device: the one it used and the one
    // the earlier auth.login got; neither resumes any more.
    const end = await c3.request('session.end', {}, { id: 'r4' });
    expect(end).toEqual({ v: 1, type: 'ok', re: 'r4' });
    for (const ended of [s.sessionId, l.sessionId]) {
      const c4 = await connect();
      const r2 = await c4.resume({ sessionId: String(ended), identity });
      expectError(r2, 'session_invalid', r2.re as string);
    }
    // "The socket stays open, signed out": protected requests are refused on it.
    const after = await c3.request('contacts.list');
    expectError(after, 'not_authenticated', after.re as string);
    // Signing out does not remove the device: auth.login with its key still works.
    const c5 = await connect();
    expect(await c5.login(identity, username, deviceId)).toMatchObject({ type: 'session' });
  });

  test("session.end leaves other devices' sessions alone", async () => {
    const alice = await newUser('endalone');
    const bob = await newUser('endother');
    expect(await alice.c.request('session.end')).toMatchObject({ type: 'ok' });
    const c = await connect();
    expect(await c.resume(bob)).toMatchObject({ type: 'session' });
  });

  test('auth.register with an identityKey that already belongs to a device -> auth_failed', async () => {
    const u = await newUser('keyowner');
    const c = await connect();
    const r = await c.register(u.identity, uniqueName('keythief'), 'Thief', 'Other device');
    expectError(r, 'auth_failed', r.re as string);
    expect(String(r.message)).toMatch(/^identityKey:/);
    // Nothing changed: the key's own device still signs in.
    const again = await connect();
    expect(await again.login(u.identity, u.username, u.deviceId)).toMatchObject({
      type: 'session',
    });
  });

  test('session.resume with an unknown session id -> session_invalid', async () => {
    const c = await connect();
    const sessionId = crypto.randomBytes(32).toString('base64');
    const r = await c.resume({ sessionId, identity: makeIdentity() });
    expectError(r, 'session_invalid', r.re as string);
  });

  test('register/login without hello -> no_challenge', async () => {
    const c = await connect();
    const id = makeIdentity();
    const nonce = crypto.randomBytes(32).toString('base64');
    const username = uniqueName('nochal');
    const r = await c.request('auth.register', {
      username,
      displayName: 'N',
      deviceName: 'D',
      identityKey: id.identityKey,
      nonce,
      signature: sign(id.privateKey, registerText(c.origin, nonce, username, id.identityKey)),
    });
    expectError(r, 'no_challenge', r.re as string);
  });

  test('bad signature -> auth_failed; the nonce is then spent -> challenge_expired; nothing changed', async () => {
    const c = await connect();
    const id = makeIdentity();
    const username = uniqueName('badsig');
    const ch = await c.hello();
    const nonce = String(ch.nonce);
    const fields = {
      username,
      displayName: 'B',
      deviceName: 'D',
      identityKey: id.identityKey,
      nonce,
    };
    // Signed over the wrong text (trailing newline).
    const bad = await c.request('auth.register', {
      ...fields,
      signature: sign(
        id.privateKey,
        registerText(c.origin, nonce, username, id.identityKey) + '\n',
      ),
    });
    expectError(bad, 'auth_failed', bad.re as string);
    // Same nonce again, now correctly signed: one attempt only.
    const again = await c.request('auth.register', {
      ...fields,
      signature: sign(id.privateKey, registerText(c.origin, nonce, username, id.identityKey)),
    });
    expectError(again, 'challenge_expired', again.re as string);
    // Nothing changed: the username is still free.
    const c2 = await connect();
    const s = await c2.register(id, username, 'B', 'D');
    expect(s.type).toBe('session');
  });

  test('"Names": direction controls, control characters and names that draw nothing -> bad_message naming the field; nothing stored', async () => {
    const id = makeIdentity();
    const username = uniqueName('names');
    const refused: [string, string, string][] = [
      ['gnp.\u202Eexe', 'D', 'displayName: must not contain bidirectional control characters'],
      ['\u200B\u3164\u2800', 'D', 'displayName: must contain a visible character'],
      ['\u0301\u0301', 'D', 'displayName: must contain a visible character'],
      ['A\u0000B', 'D', 'displayName: must not contain control characters'],
      ['N', 'Lap\u200Ftop', 'deviceName: must not contain bidirectional control characters'],
      ['N', '\u115F\u1160\uFFA0', 'deviceName: must contain a visible character'],
    ];
    for (const [displayName, deviceName, message] of refused) {
      const c = await connect();
      const reply = await c.register(id, username, displayName, deviceName);
      expectError(reply, 'bad_message', reply.re as string);
      expect(String(reply.message).startsWith(message)).toBe(true);
    }
    // Nothing was stored: the username is still free, and a name that draws (with a ZWJ emoji
    // sequence, right-to-left letters and surrounding spaces to trim) is taken as sent, trimmed.
    const c = await connect();
    const s = await c.register(
      id,
      username,
      '  \u05D3\u05E0\u05D4 \u{1F469}\u200D\u{1F4BB}  ',
      'D',
    );
    expect(s).toMatchObject({
      type: 'session',
      user: { username, displayName: '\u05D3\u05E0\u05D4 \u{1F469}\u200D\u{1F4BB}' },
    });
  });

  test('a nonce already used successfully cannot be used on another connection', async () => {
    const c1 = await connect();
    const id = makeIdentity();
    const username = uniqueName('reuse');
    const ch = await c1.hello();
    const nonce = String(ch.nonce);
    const msg = {
      username,
      displayName: 'R',
      deviceName: 'D',
      identityKey: id.identityKey,
      nonce,
      signature: sign(id.privateKey, registerText(c1.origin, nonce, username, id.identityKey)),
    };
    const s = await c1.request('auth.register', msg);
    expect(s.type).toBe('session');

    const c2 = await connect();
    await c2.hello(); // c2 has its own challenge, but presents c1's used nonce
    const login = await c2.request('auth.login', {
      username,
      deviceId: s.deviceId,
      nonce,
      signature: sign(
        id.privateKey,
        ['parley-auth-v1', 'login', nonce, username, String(s.deviceId)].join('\n'),
      ),
    });
    expectError(login, 'challenge_expired', login.re as string);
  });

  test("another connection's (unused) nonce -> challenge_expired", async () => {
    const c1 = await connect();
    const c2 = await connect();
    const ch1 = await c1.hello();
    await c2.hello();
    const id = makeIdentity();
    const username = uniqueName('other');
    const nonce = String(ch1.nonce);
    const r = await c2.request('auth.register', {
      username,
      displayName: 'O',
      deviceName: 'D',
      identityKey: id.identityKey,
      nonce,
      signature: sign(id.privateKey, registerText(c2.origin, nonce, username, id.identityKey)),
    });
    expectError(r, 'challenge_expired', r.re as string);
  });

  test('taken username -> username_taken', async () => {
    const u = await newUser('taken');
    const c = await connect();
    const r = await c.register(makeIdentity(), u.username, 'Other', 'Other device');
    expectError(r, 'username_taken', r.re as string);
  });

  test('login: wrong key or unknown device/user -> auth_failed', async () => {
    const u = await newUser('login');
    const c1 = await connect();
    const wrongKey = await c1.login(makeIdentity(), u.username, u.deviceId);
    expectError(wrongKey, 'auth_failed', wrongKey.re as string);
    const c2 = await connect();
    const wrongDevice = await c2.login(u.identity, u.username, 'd_doesnotexist');
    expectError(wrongDevice, 'auth_failed', wrongDevice.re as string);
    const c3 = await connect();
    const wrongUser = await c3.login(u.identity, uniqueName('ghost'), u.deviceId);
    expectError(wrongUser, 'auth_failed', wrongUser.re as string);
    // The right key still works.
    const c4 = await connect();
    const ok = await c4.login(u.identity, u.username, u.deviceId);
    expect(ok).toMatchObject({ type: 'session', deviceId: u.deviceId });
  });

  test('signing in again on a signed-in connection -> already_authenticated', async () => {
    const u = await newUser('again');
    const r1 = await u.c.request('session.resume', {
      sessionId: u.sessionId,
      nonce: crypto.randomBytes(32).toString('base64'),
      signature: crypto.randomBytes(64).toString('base64'),
    });
    expectError(r1, 'already_authenticated', r1.re as string);
    // (auth.login needs a nonce; the document does not say whether hello itself is refused.)
    const r2 = await u.c.request('auth.login', {
      username: u.username,
      deviceId: u.deviceId,
      nonce: crypto.randomBytes(32).toString('base64'),
      signature: crypto.randomBytes(64).toString('base64'),
    });
    expectError(r2, 'already_authenticated', r2.re as string);
  });

  test('a request id outside 1-64 of A-Z a-z 0-9 _ - is bad_message', async () => {
    const c = await connect();
    c.send({ type: 'hello', id: 'has space', client: 'x/1' });
    const e1 = await c.next('error');
    expect(e1.code).toBe('bad_message');
    c.send({ type: 'hello', id: 'a'.repeat(65), client: 'x/1' });
    const e2 = await c.next('error');
    expect(e2.code).toBe('bad_message');
    // `re` is null "when the message had no readable id"; an invalid id may count as unreadable.
    c.send({ type: 'hello', id: 'a'.repeat(64), client: 'x/1' });
    expect(await c.next('auth.challenge')).toMatchObject({ re: 'a'.repeat(64) });
  });

  test('a malformed identityKey / username is refused with bad_message', async () => {
    const c = await connect();
    const ch = await c.hello();
    const id = makeIdentity();
    const r = await c.request('auth.register', {
      username: 'Has-Upper',
      displayName: 'U',
      deviceName: 'D',
      identityKey: id.identityKey,
      nonce: ch.nonce,
      signature: sign(
        id.privateKey,
        registerText(c.origin, String(ch.nonce), 'Has-Upper', id.identityKey),
      ),
    });
    expectError(r, 'bad_message', r.re as string);
  });
});

// ---- people and presence ------------------------------------------------------------------

describe('people and presence', () => {
  test('user.lookup -> user with presence; unknown_user for nobody', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    // "Who sees whose presence": they have added each other.
    await bob.c.request('contacts.add', { username: alice.username });
    await alice.c.request('contacts.add', { username: bob.username });
    const r = await alice.c.request('user.lookup', { username: bob.username }, { id: 'r6' });
    expect(r).toEqual({
      v: 1,
      type: 'user',
      re: 'r6',
      username: bob.username,
      displayName: bob.displayName,
      presence: 'online',
      identityKey: bob.identity.identityKey,
    });
    // Signed out (session.end): gone at once, so offline.
    await bob.c.request('session.end');
    const off = await alice.c.request('user.lookup', { username: bob.username });
    expect(off).toMatchObject({ type: 'user', presence: 'offline' });
    const none = await alice.c.request('user.lookup', { username: uniqueName('nobody') });
    expectError(none, 'unknown_user', none.re as string);
  });

  test('contacts.add / contacts.list (one way) and presence pushes', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const carol = await newUser('carol');
    // "Who sees whose presence": bob shares his with alice by adding her.
    await bob.c.request('contacts.add', { username: alice.username });
    const added = await alice.c.request('contacts.add', { username: bob.username }, { id: 'r5' });
    expect(added).toEqual({
      v: 1,
      type: 'contact',
      re: 'r5',
      contact: {
        username: bob.username,
        displayName: bob.displayName,
        presence: 'online',
        identityKey: bob.identity.identityKey,
      },
    });
    // Adding again changes nothing and answers the same contact.
    const again = await alice.c.request('contacts.add', { username: bob.username }, { id: 'r6' });
    expect(again).toEqual({ ...added, re: 'r6' });
    const list = await alice.c.request('contacts.list');
    expect(list).toEqual({
      v: 1,
      type: 'contacts',
      re: list.re,
      contacts: [added.contact],
      next: null,
    });
    // One way: carol adding alice puts nobody on alice's list, or alice on carol's only.
    await carol.c.request('contacts.add', { username: alice.username });
    expect(await alice.c.request('contacts.list')).toMatchObject({ contacts: [added.contact] });
    const carolList = await carol.c.request('contacts.list');
    expect(carolList).toMatchObject({ contacts: [{ username: alice.username }] });

    // bob's connection closes: once the reconnect grace is over he is gone -> alice is told.
    await bob.c.close();
    const p1 = await alice.c.next('presence', (m) => m.username === bob.username, GRACE_MS + 3000);
    expect(p1).toEqual({ v: 1, type: 'presence', username: bob.username, presence: 'offline' });
    const list2 = await alice.c.request('contacts.list');
    expect(list2).toMatchObject({ contacts: [{ username: bob.username, presence: 'offline' }] });

    // bob comes back (resume) -> online.
    const bob2 = await reconnect(bob);
    const p2 = await alice.c.next('presence', (m) => m.username === bob.username);
    expect(p2).toEqual({ v: 1, type: 'presence', username: bob.username, presence: 'online' });

    // alice's presence is not pushed to carol (alice has not added carol), and carol sees her
    // offline although she is signed in.
    expect(await carol.c.request('user.lookup', { username: alice.username })).toMatchObject({
      presence: 'offline',
    });
    await alice.c.close();
    // bob, whom alice added, is told once the grace is over; carol never is.
    const gone = await bob2.c.next(
      'presence',
      (m) => m.username === alice.username && m.presence === 'offline',
      GRACE_MS + 3000,
    );
    expect(gone).toMatchObject({ presence: 'offline' });
    expect(await carol.c.collect('presence', (m) => m.username === alice.username, 400)).toEqual(
      [],
    );
  });

  test('contacts.add of an unknown user is refused', async () => {
    const alice = await newUser('alice');
    const r = await alice.c.request('contacts.add', { username: uniqueName('nobody') });
    // The document lists unknown_user only for user.lookup and call.invite; this is the
    // natural code.
    expectError(r, 'unknown_user', r.re as string);
  });
});

// ---- calls --------------------------------------------------------------------------------

describe('calls', () => {
  test('presence comes after the call message of the same step, once per change', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const callId = crypto.randomUUID();
    // The invite adds bob to alice's contacts: she is told his presence.
    await alice.c.request('call.invite', {
      callId,
      to: bob.username,
      media: 'audio',
      sdp: OFFER,
      keyShare: shareOf(alice, 'caller', callId),
    });
    await bob.c.next('call.invite', byCall(callId));
    sendAccept(bob, { callId, media: 'audio', sdp: ANSWER });
    await alice.c.next('presence', (m) => m.username === bob.username && m.presence === 'in_call');
    bob.c.notify('call.hangup', { callId });
    await alice.c.next('presence', (m) => m.username === bob.username && m.presence === 'online');
    await alice.c.collect('presence', () => true, 300);
    const seen = alice.c.log
      .filter((m) => m.callId === callId || m.type === 'presence')
      .map((m) => (m.type === 'presence' ? `presence ${String(m.presence)}` : m.type));
    expect(seen).toEqual(['call.accept', 'presence in_call', 'call.hangup', 'presence online']);
  });

  test('a whole call: invite, ringing, ICE, accept, media, hangup; presence in_call', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const carol = await newUser('carol'); // watches both, who have added her too
    await carol.c.request('contacts.add', { username: alice.username });
    await carol.c.request('contacts.add', { username: bob.username });
    await alice.c.request('contacts.add', { username: carol.username });
    await bob.c.request('contacts.add', { username: carol.username });

    const callId = crypto.randomUUID();
    const aliceShare = shareOf(alice, 'caller', callId);
    const ok = await alice.c.request(
      'call.invite',
      { callId, to: bob.username, media: 'video', sdp: OFFER, keyShare: aliceShare },
      { id: 'r9' },
    );
    expect(ok).toEqual({ v: 1, type: 'ok', re: 'r9' });

    const inv = await bob.c.next('call.invite', byCall(callId));
    expect(inv).toEqual({
      v: 1,
      type: 'call.invite',
      callId,
      from: inviteFrom(alice),
      media: 'video',
      sdp: OFFER,
      keyShare: aliceShare,
    });

    bob.c.notify('call.ringing', { callId });
    expect(await alice.c.next('call.ringing', byCall(callId))).toEqual({
      v: 1,
      type: 'call.ringing',
      callId,
    });

    // Caller's ICE goes to the ringing callee device.
    alice.c.notify('call.ice', { callId, candidate: CANDIDATE });
    expect(await bob.c.next('call.ice', byCall(callId))).toEqual({
      v: 1,
      type: 'call.ice',
      callId,
      candidate: CANDIDATE,
    });

    // Still ringing: presence has not become in_call.
    expect(await carol.c.collect('presence', (m) => m.presence === 'in_call', 200)).toEqual([]);

    const bobShare = sendAccept(bob, { callId, media: 'audio', sdp: ANSWER });
    expect(await alice.c.next('call.accept', byCall(callId))).toEqual({
      v: 1,
      type: 'call.accept',
      callId,
      media: 'audio',
      sdp: ANSWER,
      deviceId: bob.deviceId,
      identity: [{ identityKey: bob.identity.identityKey, signature: null }],
      keyShare: bobShare,
    });

    // Presence in_call for both parties, pushed to carol.
    const inCall = new Set<string>();
    for (let i = 0; i < 2; i += 1) {
      const p = await carol.c.next('presence', (m) => m.presence === 'in_call');
      inCall.add(String(p.username));
    }
    expect(inCall).toEqual(new Set([alice.username, bob.username]));
    const look = await carol.c.request('user.lookup', { username: bob.username });
    expect(look).toMatchObject({ presence: 'in_call' });

    // Callee's ICE (after accept) reaches the caller, including end-of-candidates (null).
    const bobCand = { ...CANDIDATE, candidate: CANDIDATE.candidate.replace('50000', '50002') };
    bob.c.notify('call.ice', { callId, candidate: bobCand });
    expect(await alice.c.next('call.ice', byCall(callId))).toEqual({
      v: 1,
      type: 'call.ice',
      callId,
      candidate: bobCand,
    });
    bob.c.notify('call.ice', { callId, candidate: null });
    expect(await alice.c.next('call.ice', byCall(callId))).toMatchObject({ candidate: null });

    // Mute relayed both ways.
    alice.c.notify('call.media', { callId, audio: false, video: true });
    expect(await bob.c.next('call.media', byCall(callId))).toEqual({
      v: 1,
      type: 'call.media',
      callId,
      audio: false,
      video: true,
    });
    bob.c.notify('call.media', { callId, audio: true, video: false });
    expect(await alice.c.next('call.media', byCall(callId))).toEqual({
      v: 1,
      type: 'call.media',
      callId,
      audio: true,
      video: false,
    });

    // A second accept is refused with call_state (re null, callId).
    sendAccept(bob, { callId, media: 'audio', sdp: ANSWER });
    const twice = await bob.c.next('error', byCall(callId));
    expectError(twice, 'call_state', null);
    expect(twice.callId).toBe(callId);
    // A malformed call notice is refused with bad_message, still naming its (valid) callId.
    alice.c.notify('call.media', { callId, audio: 'loud', video: false });
    const malformed = await alice.c.next('error', byCall(callId));
    expectError(malformed, 'bad_message', null);

    alice.c.notify('call.hangup', { callId });
    expect(await bob.c.next('call.hangup', byCall(callId))).toEqual({
      v: 1,
      type: 'call.hangup',
      callId,
      reason: 'hangup',
    });
    // The hanging-up party gets nothing back (no error).
    expect(await alice.c.collect('error', byCall(callId), 200)).toEqual([]);

    // Presence back to online.
    const online = new Set<string>();
    for (let i = 0; i < 2; i += 1) {
      const p = await carol.c.next('presence', (m) => m.presence === 'online');
      online.add(String(p.username));
    }
    expect(online).toEqual(new Set([alice.username, bob.username]));

    // ENDED is final: further messages -> call_state or unknown_call, re null, with callId.
    bob.c.notify('call.hangup', { callId });
    const after = await bob.c.next('error', byCall(callId));
    expect(['call_state', 'unknown_call']).toContain(after.code);
    expect(after.re).toBe(null);

    // After a call, caller and callee are each other's contacts.
    const aList = await alice.c.request('contacts.list');
    expect((aList.contacts as Msg[]).map((x) => x.username)).toContain(bob.username);
    const bList = await bob.c.request('contacts.list');
    expect((bList.contacts as Msg[]).map((x) => x.username)).toContain(alice.username);

    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'answered' });
  });

  test('decline: the caller receives call.decline', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob, 'audio');
    bob.c.notify('call.decline', { callId });
    expect(await alice.c.next('call.decline', byCall(callId))).toEqual({
      v: 1,
      type: 'call.decline',
      callId,
    });
    expect(await bob.c.collect('error', byCall(callId), 200)).toEqual([]);
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'audio', outcome: 'declined' });
  });

  test('a callee that could not answer declines with a call failure; the caller receives that reason', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob, 'video');
    bob.c.notify('call.decline', { callId, reason: 'camera_denied' });
    expect(await alice.c.next('call.decline', byCall(callId))).toEqual({
      v: 1,
      type: 'call.decline',
      callId,
      reason: 'camera_denied',
    });
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'failed' });
  });

  test('a reason that is not a call failure is refused with bad_message, and the call rings on', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob, 'audio');
    bob.c.notify('call.decline', { callId, reason: 'declined' });
    expect(await bob.c.next('error')).toMatchObject({ code: 'bad_message' });
    expect(await alice.c.collect('call.decline', byCall(callId), 200)).toEqual([]);
    bob.c.notify('call.decline', { callId });
    expect(await alice.c.next('call.decline', byCall(callId))).toEqual({
      v: 1,
      type: 'call.decline',
      callId,
    });
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'audio', outcome: 'declined' });
  });

  test('the caller hangs up with identity_failed when the accept does not verify: the callee receives it, and the call failed', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob, 'audio');
    sendAccept(bob, { callId, media: 'audio', sdp: ANSWER });
    await alice.c.next('call.accept', byCall(callId));
    alice.c.notify('call.hangup', { callId, reason: 'identity_failed' });
    expect(await bob.c.next('call.hangup', byCall(callId))).toEqual({
      v: 1,
      type: 'call.hangup',
      callId,
      reason: 'identity_failed',
    });
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'audio', outcome: 'failed' });
  });

  test('cancel: the callee receives call.cancel reason cancelled', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob);
    alice.c.notify('call.cancel', { callId });
    expect(await bob.c.next('call.cancel', byCall(callId))).toEqual({
      v: 1,
      type: 'call.cancel',
      callId,
      reason: 'cancelled',
    });
    expect(await alice.c.collect('error', byCall(callId), 200)).toEqual([]);
    // Accepting a cancelled call is refused.
    sendAccept(bob, { callId, media: 'video', sdp: ANSWER });
    const e = await bob.c.next('error', byCall(callId));
    expect(['call_state', 'unknown_call']).toContain(e.code);
    expect(e.re).toBe(null);
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'cancelled' });
  });

  test('timeout: both sides receive call.timeout after the ring timeout', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const t0 = Date.now();
    const { callId } = await ring(alice, bob);
    bob.c.notify('call.ringing', { callId });
    const [a, b] = await Promise.all([
      alice.c.next('call.timeout', byCall(callId), RING_TIMEOUT_MS + 3000),
      bob.c.next('call.timeout', byCall(callId), RING_TIMEOUT_MS + 3000),
    ]);
    const elapsed = Date.now() - t0;
    expect(a).toEqual({ v: 1, type: 'call.timeout', callId });
    expect(b).toEqual({ v: 1, type: 'call.timeout', callId });
    expect(elapsed).toBeGreaterThanOrEqual(RING_TIMEOUT_MS - 100);
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'missed' });
  });

  test("the last ringing callee device gone (dropped, grace over) -> caller's call.timeout then", async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob);
    const t0 = Date.now();
    await bob.c.drop();
    await alice.c.next('call.timeout', byCall(callId), RING_TIMEOUT_MS + 2000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(Date.now() - t0).toBeLessThan(RING_TIMEOUT_MS - 300);
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'missed' });
  });

  test("the caller's connection dropping while ringing -> after the grace, call.cancel reason cancelled", async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob);
    const t0 = Date.now();
    await alice.c.drop();
    expect(await bob.c.next('call.cancel', byCall(callId), GRACE_MS + 1000)).toEqual({
      v: 1,
      type: 'call.cancel',
      callId,
      reason: 'cancelled',
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    loggedCalls.push({
      callId,
      caller: alice,
      callee: bob,
      media: 'video',
      outcome: 'cancelled',
      how: "caller's connection dropped while ringing",
    });
  });

  test('a party dropping an accepted call -> after the grace, call.hangup reason connection_lost', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob);
    sendAccept(bob, { callId, media: 'video', sdp: ANSWER });
    await alice.c.next('call.accept', byCall(callId));
    const t0 = Date.now();
    await bob.c.drop();
    expect(await alice.c.next('call.hangup', byCall(callId), GRACE_MS + 2000)).toEqual({
      v: 1,
      type: 'call.hangup',
      callId,
      reason: 'connection_lost',
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'answered' });
  });

  test('call waiting: inviting a party of an accepted call rings them; rung out while they talk -> call.busy, call.timeout', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const carol = await newUser('carol');
    const { callId } = await ring(alice, bob);
    sendAccept(bob, { callId, media: 'video', sdp: ANSWER });
    await alice.c.next('call.accept', byCall(callId));

    const busyId = crypto.randomUUID();
    const ok = await sendInvite(carol, {
      callId: busyId,
      to: bob.username,
      media: 'audio',
      sdp: OFFER,
    });
    expect(ok).toEqual({ v: 1, type: 'ok', re: ok.re });
    expect(await bob.c.next('call.invite', byCall(busyId))).toMatchObject({
      from: { username: carol.username },
      media: 'audio',
    });
    bob.c.notify('call.ringing', { callId: busyId });
    await carol.c.next('call.ringing', byCall(busyId));
    expect(await carol.c.next('call.busy', byCall(busyId), RING_TIMEOUT_MS + 3000)).toEqual({
      v: 1,
      type: 'call.busy',
      callId: busyId,
    });
    expect(await bob.c.next('call.timeout', byCall(busyId))).toEqual({
      v: 1,
      type: 'call.timeout',
      callId: busyId,
    });
    loggedCalls.push({
      callId: busyId,
      caller: carol,
      callee: bob,
      media: 'audio',
      outcome: 'busy',
    });

    // A caller who is in a call -> already_in_call, nothing happens.
    const dave = await newUser('dave');
    const r = await sendInvite(alice, {
      callId: crypto.randomUUID(),
      to: dave.username,
      media: 'audio',
      sdp: OFFER,
    });
    expectError(r, 'already_in_call', r.re as string);
    expect(await dave.c.collect('call.invite', () => true, 200)).toEqual([]);

    // Hang up; the original call is still intact.
    bob.c.notify('call.hangup', { callId });
    expect(await alice.c.next('call.hangup', byCall(callId))).toMatchObject({ reason: 'hangup' });
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'answered' });
  });

  test('call waiting: the callee hangs up the current call, then accepts the waiting one', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const carol = await newUser('carol');
    const first = await ring(alice, bob);
    sendAccept(bob, { callId: first.callId, media: 'video', sdp: ANSWER });
    await alice.c.next('call.accept', byCall(first.callId));
    const waitingId = crypto.randomUUID();
    expect(
      (await sendInvite(carol, { callId: waitingId, to: bob.username, media: 'video', sdp: OFFER }))
        .type,
    ).toBe('ok');
    await bob.c.next('call.invite', byCall(waitingId));
    // A third caller meanwhile: Bob has a call ringing, so that one is busy at once.
    const dave = await newUser('dave');
    const daveId = crypto.randomUUID();
    expect(
      (await sendInvite(dave, { callId: daveId, to: bob.username, media: 'audio', sdp: OFFER }))
        .type,
    ).toBe('ok');
    await dave.c.next('call.busy', byCall(daveId));
    expect(await bob.c.collect('call.invite', byCall(daveId), 300)).toEqual([]);

    bob.c.notify('call.hangup', { callId: first.callId });
    sendAccept(bob, { callId: waitingId, media: 'video', sdp: ANSWER });
    expect(await alice.c.next('call.hangup', byCall(first.callId))).toMatchObject({
      reason: 'hangup',
    });
    expect(await carol.c.next('call.accept', byCall(waitingId))).toMatchObject({ sdp: ANSWER });
    bob.c.notify('call.hangup', { callId: waitingId });
    await carol.c.next('call.hangup', byCall(waitingId));
    loggedCalls.push({
      callId: first.callId,
      caller: alice,
      callee: bob,
      media: 'video',
      outcome: 'answered',
    });
    loggedCalls.push({
      callId: waitingId,
      caller: carol,
      callee: bob,
      media: 'video',
      outcome: 'answered',
    });
    loggedCalls.push({
      callId: daveId,
      caller: dave,
      callee: bob,
      media: 'audio',
      outcome: 'busy',
    });
  });

  test('busy: a callee whose call is still ringing is busy too', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const carol = await newUser('carol');
    const { callId } = await ring(alice, bob);
    const busyId = crypto.randomUUID();
    const ok = await sendInvite(carol, {
      callId: busyId,
      to: bob.username,
      media: 'video',
      sdp: OFFER,
    });
    expect(ok.type).toBe('ok');
    await carol.c.next('call.busy', byCall(busyId));
    expect(await bob.c.collect('call.invite', byCall(busyId), 300)).toEqual([]);
    alice.c.notify('call.cancel', { callId });
    await bob.c.next('call.cancel', byCall(callId));
    loggedCalls.push({
      callId: busyId,
      caller: carol,
      callee: bob,
      media: 'video',
      outcome: 'busy',
    });
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'cancelled' });
  });

  test('glare: both invite each other -> exactly one call, second invite gets glare', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const { callId } = await ring(alice, bob);
    const bobCallId = crypto.randomUUID();
    const g = await sendInvite(
      bob,
      { callId: bobCallId, to: alice.username, media: 'video', sdp: OFFER },
      { id: 'glare1' },
    );
    expectError(g, 'glare', 'glare1');
    expect(g.callId).toBe(bobCallId);
    // Alice is not disturbed by Bob's invite.
    expect(await alice.c.collect('call.invite', () => true, 300)).toEqual([]);
    expect(await alice.c.collect('call.busy', () => true, 0)).toEqual([]);
    // Alice's call is the one that rings: Bob can answer it.
    sendAccept(bob, { callId, media: 'video', sdp: ANSWER });
    expect(await alice.c.next('call.accept', byCall(callId))).toMatchObject({
      deviceId: bob.deviceId,
    });
    // Bob's call does not exist.
    bob.c.notify('call.cancel', { callId: bobCallId });
    const e = await bob.c.next('error', byCall(bobCallId));
    expect(e.code).toBe('unknown_call');
    bob.c.notify('call.hangup', { callId });
    await alice.c.next('call.hangup', byCall(callId));
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'answered' });
    // Remember bob's refused callId to check it never appears in a log.
    glareRefused.push({ callId: bobCallId, users: [alice, bob] });
  });

  test('invite errors: unknown_user, callee_offline, cannot_call_self (no call made)', async () => {
    const alice = await newUser('alice');
    const carol = await newUser('carol');
    // Signed out: gone at once (a dropped connection would still ring for the grace).
    await carol.c.request('session.end');

    const r1 = await sendInvite(alice, {
      callId: crypto.randomUUID(),
      to: uniqueName('nobody'),
      media: 'audio',
      sdp: OFFER,
    });
    expectError(r1, 'unknown_user', r1.re as string);

    const offlineId = crypto.randomUUID();
    const r2 = await sendInvite(alice, {
      callId: offlineId,
      to: carol.username,
      media: 'audio',
      sdp: OFFER,
    });
    expectError(r2, 'callee_offline', r2.re as string);

    const selfId = crypto.randomUUID();
    const r3 = await sendInvite(alice, {
      callId: selfId,
      to: alice.username,
      media: 'audio',
      sdp: OFFER,
    });
    expectError(r3, 'cannot_call_self', r3.re as string);

    // No call was made: alice is free to call, and the log is empty.
    const log = await alice.c.request('calllog.list');
    expect(log).toEqual({ v: 1, type: 'calllog', re: log.re, entries: [] });
  });

  test('client notifications about unknown calls / by non-parties are refused with re null', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const eve = await newUser('eve');
    const ghost = crypto.randomUUID();
    alice.c.notify('call.ringing', { callId: ghost });
    const e1 = await alice.c.next('error', byCall(ghost));
    expectError(e1, 'unknown_call', null);
    expect(e1.callId).toBe(ghost);

    const { callId } = await ring(alice, bob);
    sendAccept(eve, { callId, media: 'audio', sdp: ANSWER });
    const e2 = await eve.c.next('error', byCall(callId));
    expectError(e2, 'not_in_call', null);
    expect(e2.callId).toBe(callId);
    alice.c.notify('call.cancel', { callId });
    await bob.c.next('call.cancel', byCall(callId));
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'video', outcome: 'cancelled' });
  });

  test('sdp: 49,152 characters are accepted, 49,153 are bad_message', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const head = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=x-pad:';
    const max = head + 'p'.repeat(49_152 - head.length - 2) + '\r\n';
    expect(max).toHaveLength(49_152);
    const tooLong = max.slice(0, -2) + 'p\r\n';
    const r = await sendInvite(alice, {
      callId: crypto.randomUUID(),
      to: bob.username,
      media: 'audio',
      sdp: tooLong,
    });
    expectError(r, 'bad_message', r.re as string);
    expect(await bob.c.collect('call.invite', () => true, 200)).toEqual([]);

    const { callId, invite } = await ring(alice, bob, 'audio', max);
    expect(invite.sdp).toBe(max);
    alice.c.notify('call.cancel', { callId });
    await bob.c.next('call.cancel', byCall(callId));
    loggedCalls.push({ callId, caller: alice, callee: bob, media: 'audio', outcome: 'cancelled' });
  });
});

const glareRefused: { callId: string; users: User[] }[] = [];

// ---- call log -----------------------------------------------------------------------------

describe('call log', () => {
  async function logOf(u: User): Promise<Msg[]> {
    if (u.c.isClosed) u.c = (await reconnect(u)).c;
    const r = await u.c.request('calllog.list', { limit: 500 });
    expect(r).toMatchObject({ v: 1, type: 'calllog', re: r.re });
    return r.entries as Msg[];
  }

  async function checkLog(calls: LoggedCall[]): Promise<string[]> {
    const problems: string[] = [];
    for (const call of calls) {
      for (const side of ['caller', 'callee'] as const) {
        const me = call[side];
        const peer = side === 'caller' ? call.callee : call.caller;
        const entries = await logOf(me);
        const e = entries.find((x) => x.callId === call.callId);
        const label = `${call.how ?? call.outcome} call (${side} side)`;
        if (!e) {
          problems.push(`${label}: no log entry`);
          continue;
        }
        try {
          expect(e).toMatchObject({
            callId: call.callId,
            direction: side === 'caller' ? 'outgoing' : 'incoming',
            peer: { username: peer.username, displayName: peer.displayName },
            media: call.media,
            outcome: call.outcome,
          });
          expect(Number.isInteger(e.startedAt)).toBe(true);
          expect(Number.isInteger(e.endedAt)).toBe(true);
          expect(Number.isInteger(e.durationMs)).toBe(true);
          expect(e.durationMs as number).toBeGreaterThanOrEqual(0);
          expect(e.endedAt as number).toBeGreaterThanOrEqual(e.startedAt as number);
          // "Call log": the caller's entries each stand for one call; the callee's for one or more.
          if (side === 'caller') expect(e.count).toBe(1);
          else expect(Number.isInteger(e.count) && (e.count as number) >= 1).toBe(true);
          if (call.outcome === 'answered') {
            expect(Number.isInteger(e.answeredAt)).toBe(true);
            expect(e.durationMs).toBe((e.endedAt as number) - (e.answeredAt as number));
          } else {
            // "Calls that were not answered, failed ones included, have answeredAt: null".
            expect(e).toMatchObject({ answeredAt: null, durationMs: 0 });
          }
        } catch (err) {
          const why = (err as Error).message.replace(/\s+/g, ' ').slice(0, 400);
          problems.push(`${label}: ${why}`);
        }
      }
    }
    return problems;
  }

  test('calllog.list reply carries re and entries', async () => {
    const u = loggedCalls[0]!.caller;
    if (u.c.isClosed) u.c = (await reconnect(u)).c;
    const r = await u.c.request('calllog.list', { limit: 50 }, { id: 'r10' });
    expect(r).toEqual({ v: 1, type: 'calllog', re: 'r10', entries: expect.any(Array) });
  });

  test('entries after the calls above, from both sides (direction, outcome, duration)', async () => {
    const calls = loggedCalls.filter((c) => c.how === undefined);
    expect(calls.length).toBeGreaterThan(10);
    expect(await checkLog(calls)).toEqual([]);
  });

  test("a call ended by the caller's connection dropping while ringing is logged as cancelled", async () => {
    // Document: the callee gets call.cancel reason "cancelled" ("the same happens" as a cancel);
    // outcome "cancelled" = the caller gave up while it rang; "missed" = rang out or the
    // callee's last device went away.
    const calls = loggedCalls.filter((c) => c.how !== undefined);
    expect(calls.length).toBe(1);
    expect(await checkLog(calls)).toEqual([]);
  });

  test('newest first, limit honoured, refused calls never logged', async () => {
    // Check ordering on the callee with the most logged calls.
    const counts = new Map<User, number>();
    for (const c of loggedCalls) {
      counts.set(c.callee, (counts.get(c.callee) ?? 0) + 1);
    }
    const [busiest] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const entries = await logOf(busiest);
    for (let i = 1; i < entries.length; i += 1) {
      expect(entries[i - 1]!.startedAt as number).toBeGreaterThanOrEqual(
        entries[i]!.startedAt as number,
      );
    }
    expect(entries.length).toBeGreaterThanOrEqual(2);
    {
      const c = busiest.c;
      const one = await c.request('calllog.list', { limit: 1 });
      expect(one.entries).toEqual([entries[0]]);
      const zero = await c.request('calllog.list', { limit: 0 });
      expectError(zero, 'bad_message', zero.re as string);
      const big = await c.request('calllog.list', { limit: 501 });
      expectError(big, 'bad_message', big.re as string);
    }
    for (const g of glareRefused) {
      for (const u of g.users) {
        const log = await logOf(u);
        expect(log.map((x) => x.callId)).not.toContain(g.callId);
      }
    }
  });
});
