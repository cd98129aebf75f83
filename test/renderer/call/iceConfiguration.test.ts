import { iceNetwork, RelayUnavailableError } from '../../../renderer/call/iceConfiguration';

const withTurn = {
  servers: [
    { urls: ['stun:turn.example.com:3478'] },
    {
      urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      username: '1800000000:1',
      credential: 'c2VjcmV0',
    },
  ],
  expiresAt: 1_800_000_000_000,
};

test('a direct-allowed call gathers from every server, with no transport policy', () => {
  expect(iceNetwork(withTurn, false)).toEqual({ iceServers: withTurn.servers });
});

test('a relayed call gathers relay candidates only', () => {
  expect(iceNetwork(withTurn, true)).toEqual({
    iceServers: withTurn.servers,
    iceTransportPolicy: 'relay',
  });
});

test('a relayed call without a TURN server is refused instead of connecting directly', () => {
  expect(() => iceNetwork({ servers: [], expiresAt: null }, true)).toThrow(RelayUnavailableError);
  const stunOnly = { servers: [{ urls: ['stun:stun.example.com'] }], expiresAt: null };
  expect(() => iceNetwork(stunOnly, true)).toThrow(/relay/);
  expect(iceNetwork({ servers: [], expiresAt: null }, false)).toEqual({ iceServers: [] });
});
