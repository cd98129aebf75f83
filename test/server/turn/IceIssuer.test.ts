import type { IceConfig } from '../../../protocol';
import { IceIssuer, type TurnOptions } from '../../../server/turn/IceIssuer';
import { mintTurnCredential } from '../../../server/turn/turnCredential';
import { FakeTime } from '../calls/fakeTime';

const URLS = [
  'stun:turn.example.com:3478',
  'turn:turn.example.com:3478?transport=udp',
  'turns:turn.example.com:5349?transport=tcp',
];
const TTL = 6 * 3600;

function issuer(turn: TurnOptions | undefined) {
  const time = new FakeTime();
  return { time, ice: new IceIssuer(turn, time, time) };
}

test('without TURN: no servers and nothing expires', () => {
  const { ice } = issuer(undefined);
  expect(ice.issue(1)).toEqual({ servers: [], expiresAt: null });
});

test('STUN without credentials, TURN with a credential that expires after the TTL', () => {
  const { ice, time } = issuer({ urls: URLS, secret: 's', ttlSeconds: TTL });
  const expiry = Math.floor(time.now() / 1000) + TTL;
  expect(ice.issue(7)).toEqual({
    servers: [
      { urls: ['stun:turn.example.com:3478'] },
      { urls: URLS.slice(1), ...mintTurnCredential('s', 7, expiry) },
    ],
    expiresAt: expiry * 1000,
  });
});

test('STUN only: no credentials, nothing expires', () => {
  const { ice } = issuer({ urls: ['stun:stun.example.com'], ttlSeconds: TTL });
  expect(ice.issue(1)).toEqual({ servers: [{ urls: ['stun:stun.example.com'] }], expiresAt: null });
});

test('fresh credentials are pushed before the previous ones expire, again and again', () => {
  const { ice, time } = issuer({ urls: URLS, secret: 's', ttlSeconds: TTL });
  const pushed: IceConfig[] = [];
  const first = ice.issue(7);
  ice.keepFresh(7, first, (fresh) => pushed.push(fresh));

  time.advance(0.79 * TTL * 1000);
  expect(pushed).toHaveLength(0);
  time.advance(0.02 * TTL * 1000);
  expect(pushed).toHaveLength(1);
  expect(pushed[0]!.expiresAt).toBeGreaterThan(first.expiresAt!);
  expect(pushed[0]!.expiresAt! - time.now()).toBeGreaterThan(0.99 * TTL * 1000);
  expect(time.now()).toBeLessThan(first.expiresAt!);

  time.advance(0.8 * TTL * 1000);
  expect(pushed).toHaveLength(2);
  expect(time.now()).toBeLessThan(pushed[0]!.expiresAt!);
});

test('stopping leaves no timer behind, and nothing is scheduled when nothing expires', () => {
  const { ice, time } = issuer({ urls: URLS, secret: 's', ttlSeconds: TTL });
  const stop = ice.keepFresh(7, ice.issue(7), () => {});
  expect(time.pending).toBe(1);
  stop();
  expect(time.pending).toBe(0);

  const stunOnly = issuer({ urls: ['stun:stun.example.com'], ttlSeconds: TTL });
  stunOnly.ice.keepFresh(7, stunOnly.ice.issue(7), () => {});
  expect(stunOnly.time.pending).toBe(0);
});
