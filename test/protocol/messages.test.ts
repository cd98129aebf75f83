import {
  ClientMessage,
  ServerMessage,
  clientMessageTypes,
  serverMessageTypes,
  replyTypes,
  MAX_MESSAGE_BYTES,
  CONTACTS_PAGE_MAX,
} from '../../protocol';
import { invalidVariants } from './invalidVariants';
import { roomClientSamples, roomServerSamples } from './roomSamples';

const callId = '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10';
const key = Buffer.alloc(32, 7).toString('base64');
const sig = Buffer.alloc(64, 9).toString('base64');
const nonce = Buffer.alloc(32, 1).toString('base64');
const sessionId = Buffer.alloc(32, 2).toString('base64');
const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const deviceId = 'dev_0123456789';
const fingerprint = `sha-256 ${Array.from({ length: 32 }, (_, i) =>
  i.toString(16).padStart(2, '0').toUpperCase(),
).join(':')}`;
const keyShare = { ephemeralKey: key, fingerprint, signedAt: 1_780_000_000_000, signature: sig };
const chain = [
  { identityKey: key, signature: null },
  { identityKey: Buffer.alloc(32, 8).toString('base64'), signature: sig },
];
const code = '7KQ2-M9XD-4TRB';
const candidate = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'abcd',
};

/** One valid example per message a client sends. */
const clientSamples: Record<string, object> = {
  hello: { v: 1, type: 'hello', id: 'r1', client: 'parley-web/0.1.0' },
  'auth.register': {
    v: 1,
    type: 'auth.register',
    id: 'r2',
    username: 'alice',
    displayName: 'Alice',
    deviceName: 'Laptop',
    identityKey: key,
    nonce,
    signature: sig,
  },
  'auth.login': {
    v: 1,
    type: 'auth.login',
    id: 'r3',
    username: 'alice',
    deviceId,
    nonce,
    signature: sig,
  },
  'session.resume': {
    v: 1,
    type: 'session.resume',
    id: 'r4',
    sessionId,
    nonce,
    signature: sig,
  },
  'session.end': { v: 1, type: 'session.end', id: 'r5' },
  ack: { v: 1, type: 'ack', seq: 7 },
  ping: { v: 1, type: 'ping', id: 'r17' },
  'user.lookup': { v: 1, type: 'user.lookup', id: 'r6', username: 'bob' },
  'contacts.list': { v: 1, type: 'contacts.list', id: 'r7' },
  'contacts.add': { v: 1, type: 'contacts.add', id: 'r8', username: 'bob' },
  'contacts.remove': { v: 1, type: 'contacts.remove', id: 'r8', username: 'bob' },
  'blocks.list': { v: 1, type: 'blocks.list', id: 'r8' },
  'devices.leave': { v: 1, type: 'devices.leave', id: 'r8' },
  'profile.update': { v: 1, type: 'profile.update', id: 'r8', displayName: 'Bob B.' },
  'blocks.add': { v: 1, type: 'blocks.add', id: 'r8', username: 'bob' },
  'blocks.remove': { v: 1, type: 'blocks.remove', id: 'r8', username: 'bob' },
  'call.invite': {
    v: 1,
    type: 'call.invite',
    id: 'r9',
    callId,
    to: 'bob',
    media: 'video',
    sdp,
    keyShare,
  },
  'call.ringing': { v: 1, type: 'call.ringing', callId },
  'call.accept': { v: 1, type: 'call.accept', callId, media: 'audio', sdp, keyShare },
  'call.preconnect': { v: 1, type: 'call.preconnect', callId, sdp, keyShare },
  'call.preconnected': { v: 1, type: 'call.preconnected', callId, deviceId },
  'call.decline': { v: 1, type: 'call.decline', callId },
  'call.cancel': { v: 1, type: 'call.cancel', callId },
  'call.hangup': { v: 1, type: 'call.hangup', callId },
  'call.ice': { v: 1, type: 'call.ice', callId, candidate },
  'call.media': { v: 1, type: 'call.media', callId, audio: false, video: true },
  'call.rekey': { v: 1, type: 'call.rekey', callId },
  'call.offer': { v: 1, type: 'call.offer', callId, sdp },
  'call.answer': { v: 1, type: 'call.answer', callId, sdp },
  'call.restart': { v: 1, type: 'call.restart', callId },
  'call.quality': { v: 1, type: 'call.quality', callId, poor: true },
  'call.rejoin': { v: 1, type: 'call.rejoin', callId, sdp, keyShare },
  'call.rejoined': { v: 1, type: 'call.rejoined', callId, sdp, keyShare },
  'calllog.list': { v: 1, type: 'calllog.list', id: 'r10', limit: 50 },
  'calllog.delete': { v: 1, type: 'calllog.delete', id: 'r11', callId },
  'calllog.clear': { v: 1, type: 'calllog.clear', id: 'r12' },
  'link.request': {
    v: 1,
    type: 'link.request',
    id: 'r11',
    deviceName: 'Phone',
    identityKey: key,
    nonce,
    signature: sig,
  },
  'link.lookup': { v: 1, type: 'link.lookup', id: 'r12', code },
  'link.approve': { v: 1, type: 'link.approve', id: 'r13', code, signature: sig },
  'link.reject': { v: 1, type: 'link.reject', id: 'r14', code },
  'devices.list': { v: 1, type: 'devices.list', id: 'r15' },
  'devices.remove': { v: 1, type: 'devices.remove', id: 'r16', deviceId },
};

/** One valid example per message the server sends. */
const serverSamples: Record<string, object> = {
  'auth.challenge': { v: 1, type: 'auth.challenge', re: 'r1', nonce, expiresAt: 1_700_000_000_000 },
  session: {
    v: 1,
    type: 'session',
    re: 'r2',
    sessionId,
    expiresAt: 1_700_000_000_000,
    user: { username: 'alice', displayName: 'Alice' },
    deviceId,
    ice: { servers: [{ urls: ['stun:turn.example.org:3478'] }], expiresAt: null },
    stream: { id: 'stream_0001', resumed: true, received: 4 },
    calls: [
      {
        callId,
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
        role: 'caller',
        state: 'accepted',
        answeredAt: 1_700_000_000_000,
      },
    ],
  },
  'ice.servers': {
    v: 1,
    type: 'ice.servers',
    ice: {
      servers: [
        {
          urls: ['turn:turn.example.org:3478?transport=udp'],
          username: '1700003600:7',
          credential: 'c2VjcmV0',
        },
      ],
      expiresAt: 1_700_003_600_000,
    },
  },
  ack: { v: 1, type: 'ack', seq: 2 },
  user: {
    v: 1,
    type: 'user',
    re: 'r6',
    username: 'bob',
    displayName: 'Bob',
    presence: 'online',
    identityKey: key,
  },
  contacts: {
    v: 1,
    type: 'contacts',
    re: 'r7',
    contacts: [{ username: 'bob', displayName: 'Bob', presence: 'in_call', identityKey: key }],
    next: 'bob',
  },
  contact: {
    v: 1,
    type: 'contact',
    re: 'r8',
    contact: { username: 'bob', displayName: 'Bob', presence: 'online', identityKey: key },
  },
  presence: { v: 1, type: 'presence', username: 'bob', presence: 'offline' },
  blocks: { v: 1, type: 'blocks', re: 'r8', usernames: ['bob', 'carol'] },
  'contact.renamed': { v: 1, type: 'contact.renamed', username: 'bob', displayName: 'Bob B.' },
  'call.invite': {
    v: 1,
    type: 'call.invite',
    callId,
    from: { username: 'alice', displayName: 'Alice', deviceId, identity: chain },
    media: 'video',
    sdp,
    keyShare,
  },
  'call.ringing': { v: 1, type: 'call.ringing', callId },
  'call.accept': {
    v: 1,
    type: 'call.accept',
    callId,
    media: 'video',
    sdp,
    deviceId,
    identity: chain,
    keyShare,
  },
  'call.decline': { v: 1, type: 'call.decline', callId },
  'call.busy': { v: 1, type: 'call.busy', callId },
  'call.cancel': { v: 1, type: 'call.cancel', callId, reason: 'answered_elsewhere' },
  'call.timeout': { v: 1, type: 'call.timeout', callId },
  'call.hangup': { v: 1, type: 'call.hangup', callId, reason: 'connection_lost' },
  'call.preconnect': {
    v: 1,
    type: 'call.preconnect',
    callId,
    sdp,
    deviceId,
    identity: chain,
    keyShare,
  },
  'call.preconnected': { v: 1, type: 'call.preconnected', callId },
  'call.ice': { v: 1, type: 'call.ice', callId, candidate: null },
  'call.media': { v: 1, type: 'call.media', callId, audio: true, video: false },
  'call.rekey': { v: 1, type: 'call.rekey', callId },
  'call.offer': { v: 1, type: 'call.offer', callId, sdp },
  'call.answer': { v: 1, type: 'call.answer', callId, sdp },
  'call.restart': { v: 1, type: 'call.restart', callId },
  'call.quality': { v: 1, type: 'call.quality', callId, poor: false },
  'call.rejoin': { v: 1, type: 'call.rejoin', callId, sdp, keyShare, deviceId, identity: chain },
  'call.rejoined': {
    v: 1,
    type: 'call.rejoined',
    callId,
    sdp,
    keyShare,
    deviceId,
    identity: chain,
  },
  'link.code': { v: 1, type: 'link.code', re: 'r11', code, expiresAt: 1_700_000_300_000 },
  'link.pending': {
    v: 1,
    type: 'link.pending',
    re: 'r12',
    code,
    deviceName: 'Phone',
    identityKey: key,
    expiresAt: 1_700_000_300_000,
  },
  'link.approved': {
    v: 1,
    type: 'link.approved',
    code,
    sessionId,
    expiresAt: 1_700_000_000_000,
    user: { username: 'bob', displayName: 'Bob' },
    deviceId,
    ice: { servers: [], expiresAt: null },
    stream: { id: 'stream_0002', resumed: false, received: 0 },
    calls: [],
  },
  'link.rejected': { v: 1, type: 'link.rejected', code, reason: 'expired' },
  devices: {
    v: 1,
    type: 'devices',
    re: 'r15',
    devices: [
      {
        deviceId,
        deviceName: 'Laptop',
        identityKey: key,
        createdAt: 1_700_000_000_000,
        online: true,
        current: true,
      },
    ],
  },
  'session.revoked': { v: 1, type: 'session.revoked', reason: 'device_removed' },
  calllog: {
    v: 1,
    type: 'calllog',
    re: 'r10',
    entries: [
      {
        callId,
        direction: 'outgoing',
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
        outcome: 'answered',
        startedAt: 1_700_000_000_000,
        answeredAt: 1_700_000_005_000,
        endedAt: 1_700_000_065_000,
        durationMs: 60_000,
        count: 1,
      },
    ],
  },
  'calllog.changed': { v: 1, type: 'calllog.changed' },
  ok: { v: 1, type: 'ok', re: 'r5' },
  error: { v: 1, type: 'error', re: null, code: 'bad_json', message: 'not JSON' },
};

// The group-call samples (and their invalid variants) are in roomMessages.test.ts; here they
// only complete the lists and must parse as messages of the whole protocol too.
const allClientSamples = { ...clientSamples, ...roomClientSamples };
const allServerSamples = { ...serverSamples, ...roomServerSamples };

describe('every protocol message has a valid sample that parses', () => {
  test('the samples cover exactly the protocol message lists', () => {
    expect(Object.keys(allClientSamples).sort()).toEqual([...clientMessageTypes].sort());
    expect(Object.keys(allServerSamples).sort()).toEqual([...serverMessageTypes].sort());
  });

  test.each(Object.entries(allClientSamples))('client %s parses', (_type, sample) => {
    expect(ClientMessage.parse(sample)).toEqual(sample);
  });

  test.each(Object.entries(allServerSamples))('server %s parses', (_type, sample) => {
    expect(ServerMessage.parse(sample)).toEqual(sample);
  });

  test('every request has a reply type the server can send', () => {
    for (const [request, reply] of Object.entries(replyTypes)) {
      expect(clientMessageTypes).toContain(request);
      expect(serverMessageTypes).toContain(reply);
    }
  });
});

test('a callee candidate relayed while it pre-connects names its device; a client cannot', () => {
  const ice = { v: 1, type: 'call.ice', callId, candidate: null, deviceId };
  expect(ServerMessage.safeParse(ice).success).toBe(true);
  expect(ClientMessage.safeParse(ice).success).toBe(false);
  expect(ServerMessage.safeParse({ ...ice, deviceId: 'x' }).success).toBe(false);
});

describe('invalid messages are refused', () => {
  const cases = [
    ...Object.entries(clientSamples).flatMap(([type, s]) =>
      invalidVariants(s as Record<string, unknown>, ['limit']).map(
        ([what, value]) => ['client', type, what, value] as const,
      ),
    ),
    ...Object.entries(serverSamples).flatMap(([type, s]) =>
      invalidVariants(s as Record<string, unknown>, ['limit']).map(
        ([what, value]) => ['server', type, what, value] as const,
      ),
    ),
  ];

  test.each(cases)('%s %s: %s', (side, _type, _what, value) => {
    const schema = side === 'client' ? ClientMessage : ServerMessage;
    expect(schema.safeParse(value).success).toBe(false);
  });
});

describe('field rules', () => {
  const register = clientSamples['auth.register'] as Record<string, unknown>;
  const invite = clientSamples['call.invite'] as Record<string, unknown>;

  test.each([
    ['ab', 'too short'],
    ['a'.repeat(33), 'too long'],
    ['Alice', 'upper case'],
    ['al ice', 'space'],
    ['alice!', 'punctuation'],
    ['ålice', 'non-ASCII'],
  ])('username %j is refused (%s)', (username) => {
    expect(ClientMessage.safeParse({ ...register, username }).success).toBe(false);
  });

  test.each(['abc', 'a'.repeat(32), 'bob_smith', 'j.doe-2'])('username %j is accepted', (u) => {
    expect(ClientMessage.safeParse({ ...register, username: u }).success).toBe(true);
  });

  test('identity keys and signatures must be base64 of the exact length', () => {
    const shortKey = Buffer.alloc(31).toString('base64');
    const longSig = Buffer.alloc(65).toString('base64');
    expect(ClientMessage.safeParse({ ...register, identityKey: shortKey }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...register, signature: longSig }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...register, identityKey: '!'.repeat(44) }).success).toBe(
      false,
    );
  });

  test('any 32-byte key and 64-byte signature in canonical base64 is accepted', () => {
    for (const fill of [0, 0x7f, 0xff]) {
      const identityKey = Buffer.alloc(32, fill).toString('base64');
      const signature = Buffer.alloc(64, fill).toString('base64');
      expect(ClientMessage.safeParse({ ...register, identityKey, signature }).success).toBe(true);
    }
  });

  test('an empty or blank display name is refused', () => {
    expect(ClientMessage.safeParse({ ...register, displayName: '' }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...register, displayName: '   ' }).success).toBe(false);
  });

  test('call ids must be UUIDs and media audio or video', () => {
    expect(ClientMessage.safeParse({ ...invite, callId: 'call-1' }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...invite, media: 'screen' }).success).toBe(false);
  });

  test('an SDP larger than fits in one message is refused', () => {
    const huge = 'a'.repeat(MAX_MESSAGE_BYTES);
    expect(ClientMessage.safeParse({ ...invite, sdp: huge }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...invite, sdp: '' }).success).toBe(false);
  });

  test('request ids are short and plain', () => {
    expect(ClientMessage.safeParse({ ...invite, id: 'x'.repeat(65) }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...invite, id: 'a b' }).success).toBe(false);
  });

  test('a prototype-polluting key is refused and pollutes nothing', () => {
    const hostile = JSON.parse(
      '{"v":1,"type":"hello","id":"r1","client":"x","__proto__":{"polluted":true}}',
    );
    expect(ClientMessage.safeParse(hostile).success).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('error codes are a closed list', () => {
    const error = serverSamples.error as Record<string, unknown>;
    expect(ServerMessage.safeParse({ ...error, code: 'oops' }).success).toBe(false);
  });

  test('key shares need a sha-256 fingerprint in SDP form and an X25519 key', () => {
    const invite2 = clientSamples['call.invite'] as Record<string, unknown>;
    const withShare = (share: object) => ({ ...invite2, keyShare: { ...keyShare, ...share } });
    expect(ClientMessage.safeParse(withShare({ fingerprint: 'sha-1 AB:CD' })).success).toBe(false);
    expect(
      ClientMessage.safeParse(withShare({ fingerprint: fingerprint.toLowerCase() })).success,
    ).toBe(false);
    expect(
      ClientMessage.safeParse(withShare({ ephemeralKey: Buffer.alloc(31).toString('base64') }))
        .success,
    ).toBe(false);
    expect(ClientMessage.safeParse({ ...invite2, keyShare: undefined }).success).toBe(false);
  });

  test('a key share carries its signing time in integer ms; a share without one is refused', () => {
    const invite2 = clientSamples['call.invite'] as Record<string, unknown>;
    const { signedAt: _, ...oldShare } = keyShare;
    expect(ClientMessage.safeParse({ ...invite2, keyShare: oldShare }).success).toBe(false);
    for (const signedAt of [-1, 1.5, '1780000000000', Number.MAX_SAFE_INTEGER + 2]) {
      expect(
        ClientMessage.safeParse({ ...invite2, keyShare: { ...keyShare, signedAt } }).success,
      ).toBe(false);
    }
  });

  test('identity chains hold 1 to 8 certified keys', () => {
    const notice = serverSamples['call.invite'] as { from: Record<string, unknown> };
    const withChain = (identity: unknown) => ({ ...notice, from: { ...notice.from, identity } });
    expect(ServerMessage.safeParse(withChain([])).success).toBe(false);
    expect(ServerMessage.safeParse(withChain(Array(9).fill(chain[1]))).success).toBe(false);
    expect(ServerMessage.safeParse(withChain(Array(8).fill(chain[1]))).success).toBe(true);
  });

  test.each(['7KQ2-M9XD-4TR', '7kq2-m9xd-4trb', '7KQ2M9XD4TRB', 'ILOU-M9XD-4TRB'])(
    'link code %j is refused',
    (bad) => {
      const lookup = clientSamples['link.lookup'] as Record<string, unknown>;
      expect(ClientMessage.safeParse({ ...lookup, code: bad }).success).toBe(false);
    },
  );
});

describe('notice streams', () => {
  test('notices may carry seq from 1; requests, replies and ack may not', () => {
    const rekey = clientSamples['call.rekey'];
    expect(ClientMessage.safeParse({ ...rekey, seq: 1 }).success).toBe(true);
    expect(ClientMessage.safeParse({ ...rekey, seq: 0 }).success).toBe(false);
    expect(ServerMessage.safeParse({ ...serverSamples.presence, seq: 2 ** 40 }).success).toBe(true);
    expect(ClientMessage.safeParse({ ...clientSamples.ping, seq: 1 }).success).toBe(false);
    expect(ServerMessage.safeParse({ ...serverSamples.session, seq: 1 }).success).toBe(false);
    expect(ClientMessage.safeParse({ v: 1, type: 'ack', seq: 0 }).success).toBe(false);
  });

  test('session.resume may name the stream to continue and what was received in it', () => {
    const resume = clientSamples['session.resume'];
    const withStream = (stream: unknown) => ({ ...resume, stream });
    expect(ClientMessage.safeParse(withStream({ id: 'stream_0001', received: 0 })).success).toBe(
      true,
    );
    expect(ClientMessage.safeParse(withStream({ id: 'short', received: 0 })).success).toBe(false);
    expect(ClientMessage.safeParse(withStream({ id: 'stream_0001', received: -1 })).success).toBe(
      false,
    );
  });

  test('session.resume carries the answer to a challenge, and the old bare token is refused', () => {
    const {
      nonce: _nonce,
      signature: _signature,
      ...unsigned
    } = clientSamples['session.resume'] as Record<string, unknown>;
    expect(ClientMessage.safeParse(unsigned).success).toBe(false);
    const { sessionId: id, ...rest } = clientSamples['session.resume'] as Record<string, unknown>;
    expect(ClientMessage.safeParse({ ...rest, token: id }).success).toBe(false);
  });
});

describe('contact list pages', () => {
  const list = clientSamples['contacts.list'];

  test('contacts.list may say where to continue (a username) and how many (1-100)', () => {
    const parses = (extra: object) => ClientMessage.safeParse({ ...list, ...extra }).success;
    expect(parses({ after: 'bob', limit: 1 })).toBe(true);
    expect(parses({ limit: CONTACTS_PAGE_MAX })).toBe(true);
    expect(parses({ limit: CONTACTS_PAGE_MAX + 1 })).toBe(false);
    expect(parses({ limit: 0 })).toBe(false);
    expect(parses({ after: 'Bob' })).toBe(false);
    expect(parses({ after: '' })).toBe(false);
  });

  test('a page holds at most 100 contacts, and a full one fits one 64 KiB message', () => {
    const page = (displayName: string, count: number) => ({
      v: 1,
      type: 'contacts',
      re: 'r'.repeat(64),
      contacts: Array.from({ length: count }, (_, i) => ({
        username: `u${String(i).padStart(31, '0')}`,
        displayName,
        presence: 'offline' as const,
        identityKey: key,
      })),
      next: 'z'.repeat(32),
    });
    expect(ServerMessage.safeParse(page('Bob', CONTACTS_PAGE_MAX)).success).toBe(true);
    expect(ServerMessage.safeParse(page('Bob', CONTACTS_PAGE_MAX + 1)).success).toBe(false);
    // The most bytes a 64-character name can take in JSON: a 6-byte escape per character.
    const worst = page('\u0001'.repeat(64), CONTACTS_PAGE_MAX);
    expect(Buffer.byteLength(JSON.stringify(worst))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });
});

describe('group calls in the call log and in `calls` (fields sent only to `rooms` clients)', () => {
  const log = serverSamples.calllog as { entries: Record<string, unknown>[] };
  const withGroup = (group: unknown) => ({ ...log, entries: [{ ...log.entries[0], group }] });
  const person = (i: number) => ({ username: `user${i}`, displayName: `User ${i}`, joined: true });

  test('a call-log entry of a group call names 1 to 32 others, each with whether they joined', () => {
    expect(ServerMessage.safeParse(withGroup({ others: [person(1)] })).success).toBe(true);
    const all = Array.from({ length: 32 }, (_, i) => person(i));
    expect(ServerMessage.safeParse(withGroup({ others: all })).success).toBe(true);
    expect(ServerMessage.safeParse(withGroup({ others: [] })).success).toBe(false);
    expect(ServerMessage.safeParse(withGroup({ others: [...all, person(33)] })).success).toBe(
      false,
    );
    const { joined: _, ...unsaid } = person(1);
    expect(ServerMessage.safeParse(withGroup({ others: [unsaid] })).success).toBe(false);
  });

  test('a live call that speaks room.* names this device slot and the path', () => {
    const session = serverSamples.session as Record<string, unknown>;
    const call = {
      callId,
      peer: { username: 'bob', displayName: 'Bob' },
      media: 'video',
      role: 'callee',
      state: 'accepted',
      answeredAt: 1_700_000_005_000,
    };
    const live = (group: unknown) => ({ ...session, calls: [{ ...call, group }] });
    expect(ServerMessage.safeParse(live({ slot: 2, path: 'sfu' })).success).toBe(true);
    expect(ServerMessage.safeParse({ ...session, calls: [call] }).success).toBe(true);
    expect(ServerMessage.safeParse(live({ slot: 2, path: 'mesh' })).success).toBe(false);
    expect(ServerMessage.safeParse(live({ slot: 70_000, path: 'sfu' })).success).toBe(false);
  });
});
