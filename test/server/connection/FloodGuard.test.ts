import { FloodGuard, RATE_LIMIT_RETRY_AFTER_MS } from '../../../server/connection/FloodGuard';
import { FakeTime } from '../calls/fakeTime';

let time: FakeTime;
beforeEach(() => (time = new FakeTime()));

const guard = () => new FloodGuard({ messageBurst: 3, messageRate: 2, floodCloseAfter: 4 }, time);
const admitMany = (flood: FloodGuard, n: number) => Array.from({ length: n }, () => flood.admit());

test('the burst is processed; the next message is refused once, then messages are dropped', () => {
  expect(admitMany(guard(), 6)).toEqual([
    'process',
    'process',
    'process',
    'refuse',
    'drop',
    'drop',
  ]);
});

test('more than floodCloseAfter dropped within the quiet period closes the connection', () => {
  const flood = guard();
  admitMany(flood, 4);
  expect(admitMany(flood, 5)).toEqual(['drop', 'drop', 'drop', 'drop', 'close']);
});

test('after the quiet period it is processed again, from the tokens refilled meanwhile', () => {
  const flood = guard();
  admitMany(flood, 4 + 3);
  time.advance(RATE_LIMIT_RETRY_AFTER_MS - 1);
  expect(flood.admit()).toBe('drop');
  time.advance(1);
  // 1 s at 2 per second: two tokens; then a new refusal, answered again, with a new count.
  expect(admitMany(flood, 4)).toEqual(['process', 'process', 'refuse', 'drop']);
  expect(admitMany(flood, 3)).toEqual(['drop', 'drop', 'drop']);
});

test('a sender within the rate is never refused', () => {
  const flood = guard();
  for (let i = 0; i < 50; i += 1) {
    expect(flood.admit()).toBe('process');
    time.advance(500);
  }
});
