import { reconnectDelayMs } from '../../../renderer/signaling/reconnectDelay';

describe('reconnect backoff', () => {
  test('doubles from half a second and stops growing at 15 s', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 10, 50].map((n) => reconnectDelayMs(n, middle))).toEqual([
      500, 1000, 2000, 4000, 15000, 15000,
    ]);
  });

  test('jitter stays within 20 % either way so clients do not reconnect in lockstep', () => {
    expect(reconnectDelayMs(2, () => 0)).toBe(1600);
    expect(reconnectDelayMs(2, () => 0.999999)).toBe(2400);
  });
});
