import { pageLagTickMs, watchPageLag } from '../../../../renderer/call/quality/pageLag';

/**
 * Under jest's fake clock, `jest.setSystemTime` moves the page's clock on without running any
 * timer: what a page descheduled by a busy machine lives through.
 */
const now = () => Date.now();
const starve = (ms: number) => jest.setSystemTime(Date.now() + ms);

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

describe('page lag', () => {
  test('a punctual page, however long the wait, ran no later than its timers were due', () => {
    const stop = watchPageLag(now);
    jest.advanceTimersByTime(900);
    expect(stop()).toBe(0);
  });

  test('a page starved mid-wait whose overdue timer already ran shows the stall', () => {
    const stop = watchPageLag(now);
    jest.advanceTimersByTime(120);
    starve(700);
    jest.advanceTimersByTime(pageLagTickMs);
    expect(stop()).toBeGreaterThanOrEqual(700);
  });

  test('a reply handled first after a stall, before the overdue timer, still shows it', () => {
    const stop = watchPageLag(now);
    starve(800);
    expect(stop()).toBe(800 - pageLagTickMs);
  });

  test('once stopped it leaves no timer behind', () => {
    const stop = watchPageLag(now);
    jest.advanceTimersByTime(75);
    stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});
