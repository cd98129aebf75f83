import { reconnectDelayMs } from '../../../renderer/signaling/reconnectDelay';

describe('reconnect backoff', () => {
  const middle = () => 0.5;

  test('doubles from half a second and stops growing at 15 s', () => {
    expect([0, 1, 2, 3, 10, 50].map((n) => reconnectDelayMs(n, { random: middle }))).toEqual([
      500, 1000, 2000, 4000, 15000, 15000,
    ]);
  });

  test('during a call it never waits more than 5 s', () => {
    expect([0, 3, 4, 10].map((n) => reconnectDelayMs(n, { inCall: true, random: middle }))).toEqual(
      [500, 4000, 5000, 5000],
    );
    expect(reconnectDelayMs(10, { inCall: true, random: () => 0.999999 })).toBe(5000);
    expect(reconnectDelayMs(10, { inCall: true, random: () => 0 })).toBe(4000);
  });

  test('jitter stays within 20 % either way so clients do not reconnect in lockstep', () => {
    expect(reconnectDelayMs(2, { random: () => 0 })).toBe(1600);
    expect(reconnectDelayMs(2, { random: () => 0.999999 })).toBe(2400);
  });
});
