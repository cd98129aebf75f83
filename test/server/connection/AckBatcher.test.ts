import { ACK_DELAY_MS, ACK_EVERY, AckBatcher } from '../../../server/connection/AckBatcher';
import { FakeTime } from '../calls/fakeTime';

let time: FakeTime;
let acks: number;
let batcher: AckBatcher;
beforeEach(() => {
  time = new FakeTime();
  acks = 0;
  batcher = new AckBatcher(time, () => (acks += 1));
});

test('one ack for a burst, sent once the delay has passed', () => {
  for (let i = 0; i < ACK_EVERY - 1; i += 1) batcher.processed();
  time.advance(ACK_DELAY_MS - 1);
  expect(acks).toBe(0);
  time.advance(1);
  expect(acks).toBe(1);
  time.advance(10 * ACK_DELAY_MS);
  expect(acks).toBe(1);
});

test('an ack at once when enough notices wait for one', () => {
  for (let i = 0; i < ACK_EVERY; i += 1) batcher.processed();
  expect(acks).toBe(1);
  time.advance(ACK_DELAY_MS);
  expect(acks).toBe(1);
});

test('stopped, it sends nothing', () => {
  batcher.processed();
  batcher.stop();
  time.advance(ACK_DELAY_MS);
  expect(acks).toBe(0);
});
