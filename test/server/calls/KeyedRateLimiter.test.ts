import { KeyedRateLimiter } from '../../../server/calls/KeyedRateLimiter';

const limit = { burst: 3, everyMs: 1_000 };

test('a key may go `burst` times at once, then once per interval; keys are apart', () => {
  const limiter = new KeyedRateLimiter<string>(limit, 100);
  for (let i = 0; i < 3; i += 1) {
    expect(limiter.waitMs('a', 0)).toBe(0);
    limiter.take('a', 0);
  }
  expect(limiter.waitMs('a', 0)).toBe(1_000);
  expect(limiter.waitMs('a', 400)).toBe(600);
  expect(limiter.waitMs('b', 400)).toBe(0);
  expect(limiter.waitMs('a', 1_000)).toBe(0);
  limiter.take('a', 1_000);
  expect(limiter.waitMs('a', 1_000)).toBe(1_000);
  // Idle long enough, the whole burst is back.
  expect(limiter.waitMs('a', 10_000)).toBe(0);
});

test('keys whose allowance is whole again are forgotten', () => {
  const limiter = new KeyedRateLimiter<number>(limit, 100_000);
  for (let key = 0; key < 5_000; key += 1) limiter.take(key, 0);
  expect(limiter.size).toBe(5_000);
  // One use refills in one interval: by then every earlier key is idle.
  limiter.take(-1, 1_000);
  expect(limiter.size).toBe(1);
});

test('past maxKeys the least recently used are dropped, so memory stays bounded', () => {
  const limiter = new KeyedRateLimiter<number>(limit, 100);
  for (let key = 0; key < 10_000; key += 1) {
    limiter.take(key, 0);
    limiter.take(key, 0);
  }
  expect(limiter.size).toBe(100);
  // The most recent keys are the ones kept, with their use counted.
  expect(limiter.waitMs(9_999, 0)).toBe(0);
  limiter.take(9_999, 0);
  expect(limiter.waitMs(9_999, 0)).toBe(1_000);
});
