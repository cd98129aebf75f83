import {
  BOUNDED_JSON_MAX_DEPTH,
  BOUNDED_JSON_MAX_NODES,
  MAX_MESSAGE_BYTES,
  MAX_ROOM_MEMBERS,
  RoomClientMessage,
  RoomServerMessage,
  roomClientMessages,
  roomReplyTypes,
  roomServerMessages,
} from '../../protocol';
import { invalidVariants } from './invalidVariants';

const callId = '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10';
const sfuId = '0b5e0c1a-2f44-4c3e-9d0b-6a1f1e2d3c4b';
const key = Buffer.alloc(32, 7).toString('base64');
const sig = Buffer.alloc(64, 9).toString('base64');
const deviceId = 'dev_0123456789';
const token = Buffer.alloc(16, 5).toString('base64url');
const share = { ephemeralKey: key, slot: 2, signedAt: 1_780_000_000_000, signature: sig };
const alice = { username: 'alice', displayName: 'Alice' };
const chain = [
  { identityKey: key, signature: null },
  { identityKey: Buffer.alloc(32, 8).toString('base64'), signature: sig },
];
const member = { slot: 2, user: alice, deviceId, identity: chain, share, state: 'joined' };
const wrapped = {
  from: 0,
  to: 2,
  generation: 1,
  epoch: 3,
  iv: Buffer.alloc(12, 1).toString('base64'),
  ciphertext: Buffer.alloc(48, 2).toString('base64'),
};
const rtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {} }],
  encodings: [{ ssrc: 1111, rid: 'r0', scalabilityMode: 'L1T3' }],
};
const transport = {
  id: sfuId,
  iceParameters: { usernameFragment: 'abcd', password: 'efgh', iceLite: true },
  iceCandidates: [
    { foundation: 'udpcandidate', priority: 1, address: '127.0.0.1', port: 40000, type: 'host' },
  ],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
};

/** One valid example per group-call message a client sends. */
const clientSamples: Record<string, Record<string, unknown>> = {
  features: { v: 1, type: 'features', id: 'r1', features: ['rooms', 'teleport'] },
  'room.create': { v: 1, type: 'room.create', id: 'r2', callId, media: 'video', share },
  'room.invite': { v: 1, type: 'room.invite', id: 'r3', callId, to: 'carol' },
  'room.join': { v: 1, type: 'room.join', id: 'r4', callId, share },
  'room.decline': { v: 1, type: 'room.decline', callId },
  'room.leave': { v: 1, type: 'room.leave', callId, seq: 4 },
  'room.media': { v: 1, type: 'room.media', callId, audio: true, video: false, screen: false },
  'room.share': { v: 1, type: 'room.share', callId, share },
  'room.keys': { v: 1, type: 'room.keys', callId, keys: [wrapped] },
  'room.key_ack': { v: 1, type: 'room.key_ack', callId, slot: 0, generation: 1, epoch: 3 },
  'room.router': { v: 1, type: 'room.router', id: 'r5', callId },
  'room.transports': {
    v: 1,
    type: 'room.transports',
    id: 'r6',
    callId,
    rtpCapabilities: { codecs: [], headerExtensions: [] },
  },
  'room.connect': {
    v: 1,
    type: 'room.connect',
    id: 'r7',
    callId,
    transportId: sfuId,
    dtlsParameters: transport.dtlsParameters,
  },
  'room.produce': {
    v: 1,
    type: 'room.produce',
    id: 'r8',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters,
  },
  'room.producer_close': { v: 1, type: 'room.producer_close', id: 'r9', callId, producerId: sfuId },
  'room.pause': { v: 1, type: 'room.pause', id: 'r10', callId, consumerId: sfuId },
  'room.resume': { v: 1, type: 'room.resume', id: 'r11', callId, consumerId: sfuId },
  'room.layers': {
    v: 1,
    type: 'room.layers',
    id: 'r12',
    callId,
    consumerId: sfuId,
    spatialLayer: 2,
    temporalLayer: 1,
  },
  'room.keyframe': { v: 1, type: 'room.keyframe', id: 'r13', callId, consumerId: sfuId },
  'room.restart_ice': { v: 1, type: 'room.restart_ice', id: 'r14', callId, transportId: sfuId },
  'room.link_create': { v: 1, type: 'room.link_create', id: 'r15', callId, approval: true },
  'room.link_revoke': { v: 1, type: 'room.link_revoke', id: 'r16', callId },
  'room.link_open': { v: 1, type: 'room.link_open', id: 'r17', token },
  'room.link_join': { v: 1, type: 'room.link_join', id: 'r18', token },
  'room.admit': { v: 1, type: 'room.admit', id: 'r19', callId, username: 'dave', admit: true },
};

/** One valid example per group-call message the server sends. */
const serverSamples: Record<string, Record<string, unknown>> = {
  features: { v: 1, type: 'features', re: 'r1', features: ['rooms'] },
  'room.invite': {
    v: 1,
    type: 'room.invite',
    callId,
    from: { ...alice, deviceId },
    media: 'video',
    slot: 3,
    path: 'sfu',
    members: [member],
    seq: 9,
  },
  room: {
    v: 1,
    type: 'room',
    re: 'r4',
    callId,
    media: 'video',
    slot: 2,
    path: 'sfu',
    members: [member, { ...member, slot: 0, share: null, state: 'reconnecting' }],
    invitations: [{ user: alice, state: 'ringing', invitedBy: 0 }],
  },
  'room.invite_ended': { v: 1, type: 'room.invite_ended', callId, reason: 'answered_elsewhere' },
  'room.invitation': {
    v: 1,
    type: 'room.invitation',
    callId,
    invitation: { user: alice, state: 'declined', invitedBy: 1 },
  },
  'room.member_joined': { v: 1, type: 'room.member_joined', callId, member },
  'room.member_state': { v: 1, type: 'room.member_state', callId, slot: 2, state: 'reconnecting' },
  'room.member_left': { v: 1, type: 'room.member_left', callId, slot: 2, reason: 'left' },
  'room.ended': { v: 1, type: 'room.ended', callId },
  'room.path': { v: 1, type: 'room.path', callId, path: 'sfu' },
  'room.media': {
    v: 1,
    type: 'room.media',
    callId,
    slot: 1,
    audio: false,
    video: true,
    screen: true,
  },
  'room.speaker': { v: 1, type: 'room.speaker', callId, slot: 1 },
  'room.share': { v: 1, type: 'room.share', callId, slot: 2, share },
  'room.key': { v: 1, type: 'room.key', callId, key: wrapped },
  'room.key_ack': { v: 1, type: 'room.key_ack', callId, slot: 2, generation: 1, epoch: 3 },
  'room.router': { v: 1, type: 'room.router', re: 'r5', rtpCapabilities: { codecs: [] } },
  'room.transports': { v: 1, type: 'room.transports', re: 'r6', send: transport, recv: transport },
  'room.produced': { v: 1, type: 'room.produced', re: 'r8', producerId: sfuId },
  'room.consumer': {
    v: 1,
    type: 'room.consumer',
    callId,
    consumerId: sfuId,
    producerId: sfuId,
    slot: 1,
    kind: 'video',
    source: 'screen',
    rtpParameters,
  },
  'room.consumer_closed': { v: 1, type: 'room.consumer_closed', callId, consumerId: sfuId },
  'room.ice': { v: 1, type: 'room.ice', re: 'r14', iceParameters: transport.iceParameters },
  'room.sfu_lost': { v: 1, type: 'room.sfu_lost', callId },
  'room.link': { v: 1, type: 'room.link', re: 'r15', callId, token, approval: false },
  'room.preview': {
    v: 1,
    type: 'room.preview',
    re: 'r17',
    callId,
    media: 'audio',
    creator: alice,
    members: 3,
    approval: true,
  },
  'room.knock': { v: 1, type: 'room.knock', callId, user: { username: 'dave', displayName: 'D' } },
  'room.knock_refused': { v: 1, type: 'room.knock_refused', callId },
};

const typesOf = (schemas: readonly { shape: { type: { value: string } } }[]) =>
  schemas.map((schema) => schema.shape.type.value).sort();

describe('every group-call message has a valid sample that parses', () => {
  test('the samples cover exactly the group-call message lists', () => {
    expect(Object.keys(clientSamples).sort()).toEqual(typesOf(roomClientMessages));
    expect(Object.keys(serverSamples).sort()).toEqual(typesOf(roomServerMessages));
  });

  test.each(Object.entries(clientSamples))('client %s parses', (_type, sample) => {
    expect(RoomClientMessage.parse(sample)).toEqual(sample);
  });

  test.each(Object.entries(serverSamples))('server %s parses', (_type, sample) => {
    expect(RoomServerMessage.parse(sample)).toEqual(sample);
  });

  test('every request has a reply type the server sends (ok: the common reply)', () => {
    for (const [request, reply] of Object.entries(roomReplyTypes)) {
      expect(typesOf(roomClientMessages)).toContain(request);
      if (reply !== 'ok') expect(typesOf(roomServerMessages)).toContain(reply);
    }
  });

  test('a room of 16 members with the longest identity chains fits one message', () => {
    const longChain = Array.from({ length: 8 }, (_, i) => ({
      identityKey: key,
      signature: i === 0 ? null : sig,
      ...(i === 0 ? {} : { link: { code: '7KQ2-M9XD-4TRB', expiresAt: 1_780_000_000_000 } }),
    }));
    const name = { username: 'u'.repeat(32), displayName: '\u{1F600}'.repeat(32) };
    const members = Array.from({ length: MAX_ROOM_MEMBERS }, (_, slot) => ({
      ...member,
      slot,
      user: name,
      deviceId: 'd'.repeat(64),
      identity: longChain,
    }));
    const state = { ...serverSamples.room, members, invitations: [] };
    expect(RoomServerMessage.safeParse(state).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});

describe('invalid group-call messages are refused', () => {
  const optional = ['seq', 'temporalLayer'];
  const anyObject = ['rtpCapabilities', 'rtpParameters', 'dtlsParameters', 'iceParameters'];
  const cases = [
    ...Object.entries(clientSamples).flatMap(([type, sample]) =>
      invalidVariants(sample, optional, anyObject).map(([what, value]) => [
        'client',
        type,
        what,
        value,
      ]),
    ),
    ...Object.entries(serverSamples).flatMap(([type, sample]) =>
      invalidVariants(sample, optional, anyObject).map(([what, value]) => [
        'server',
        type,
        what,
        value,
      ]),
    ),
  ] as const;

  test.each(cases)('%s %s: %s', (side, _type, _what, value) => {
    const schema = side === 'client' ? RoomClientMessage : RoomServerMessage;
    expect(schema.safeParse(value).success).toBe(false);
  });
});

describe("mediasoup's parameters: any JSON object within bounds, nothing that reaches a prototype", () => {
  const produce = clientSamples['room.produce'];
  const withParameters = (rtp: unknown) => ({ ...produce, rtpParameters: rtp });

  test.each(['__proto__', 'constructor', 'prototype'])('a key named %s is refused', (name) => {
    const hostile = JSON.parse(`{"mid":"0","codecs":[{"${name}":{"polluted":true}}]}`);
    expect(RoomClientMessage.safeParse(withParameters(hostile)).success).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('nesting deeper than the bound is refused; at the bound it passes', () => {
    const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
    expect(RoomClientMessage.safeParse(withParameters(nest(BOUNDED_JSON_MAX_DEPTH))).success).toBe(
      true,
    );
    expect(
      RoomClientMessage.safeParse(withParameters(nest(BOUNDED_JSON_MAX_DEPTH + 1))).success,
    ).toBe(false);
  });

  test('more values than the bound are refused', () => {
    const many = { list: Array.from({ length: BOUNDED_JSON_MAX_NODES }, () => 0) };
    expect(RoomClientMessage.safeParse(withParameters(many)).success).toBe(false);
  });

  test('an over-long string and an array in place of the object are refused', () => {
    expect(RoomClientMessage.safeParse(withParameters({ mid: 'x'.repeat(1025) })).success).toBe(
      false,
    );
    expect(RoomClientMessage.safeParse(withParameters([rtpParameters])).success).toBe(false);
  });
});

describe('field rules', () => {
  test('a key batch names at most the other 15 members', () => {
    const keys = Array.from({ length: MAX_ROOM_MEMBERS }, (_, to) => ({ ...wrapped, to }));
    const batch = { ...clientSamples['room.keys'], keys };
    expect(RoomClientMessage.safeParse(batch).success).toBe(false);
    expect(RoomClientMessage.safeParse({ ...batch, keys: keys.slice(1) }).success).toBe(true);
    expect(RoomClientMessage.safeParse({ ...batch, keys: [] }).success).toBe(false);
  });

  test('slots are 0..65535; a room state lists at most 16 members', () => {
    const join = clientSamples['room.join'];
    expect(RoomClientMessage.safeParse({ ...join, share: { ...share, slot: 65536 } }).success).toBe(
      false,
    );
    expect(RoomClientMessage.safeParse({ ...join, share: { ...share, slot: -1 } }).success).toBe(
      false,
    );
    const members = Array.from({ length: MAX_ROOM_MEMBERS + 1 }, (_, slot) => ({
      ...member,
      slot,
    }));
    expect(RoomServerMessage.safeParse({ ...serverSamples.room, members }).success).toBe(false);
  });

  test('a call link token is 22 base64url characters', () => {
    const open = clientSamples['room.link_open'];
    for (const bad of [token.slice(1), `${token}A`, `${token.slice(0, 21)}+`, '']) {
      expect(RoomClientMessage.safeParse({ ...open, token: bad }).success).toBe(false);
    }
  });

  test('a client cannot name the slot of its own media or key batch sender', () => {
    expect(RoomClientMessage.safeParse({ ...clientSamples['room.media'], slot: 1 }).success).toBe(
      false,
    );
    expect(RoomClientMessage.safeParse({ ...clientSamples['room.share'], slot: 1 }).success).toBe(
      false,
    );
  });

  test('layers are 0..2 (three simulcast layers, three temporal layers)', () => {
    const layers = clientSamples['room.layers'];
    expect(RoomClientMessage.safeParse({ ...layers, spatialLayer: 3 }).success).toBe(false);
    expect(RoomClientMessage.safeParse({ ...layers, temporalLayer: 3 }).success).toBe(false);
  });
});
