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
import {
  key,
  member,
  roomClientSamples as clientSamples,
  roomServerSamples as serverSamples,
  rtpParameters,
  share,
  sig,
  token,
  wrapped,
} from './roomSamples';

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
  // Told only to the call's creator, so absent from everyone else's room state.
  const optionalIn: Record<string, string[]> = { room: ['creator', 'link'] };
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
      invalidVariants(sample, [...optional, ...(optionalIn[type] ?? [])], anyObject).map(
        ([what, value]) => ['server', type, what, value],
      ),
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
