import type { ServerMessage } from '../../../protocol';
import { NoticeStream } from '../../../server/routing/NoticeStream';
import { FakeTime } from '../calls/fakeTime';

const presence = (username: string): ServerMessage => ({
  v: 1,
  type: 'presence',
  username,
  presence: 'online',
});
const seqs = (messages: ServerMessage[] | null) => messages?.map((m) => 'seq' in m && m.seq);

let time: FakeTime;
beforeEach(() => {
  time = new FakeTime();
});

test('numbers notices 1, 2, 3 and resends those after what the client received, in order', () => {
  const stream = new NoticeStream({ maxNotices: 10, maxAgeMs: 1000 }, time);
  expect([stream.append(presence('a')), stream.append(presence('b'))]).toEqual([
    { ...presence('a'), seq: 1 },
    { ...presence('b'), seq: 2 },
  ]);
  stream.append(presence('c'));
  expect(seqs(stream.resumeAfter(1))).toEqual([2, 3]);
  // What a resume reports received counts as acknowledged.
  expect(seqs(stream.resumeAfter(1))).toEqual([2, 3]);
  stream.acknowledge(2);
  expect(seqs(stream.resumeAfter(2))).toEqual([3]);
  expect(stream.append(presence('d'))).toMatchObject({ seq: 4 });
});

test('a client that claims more than was sent cannot resume', () => {
  const stream = new NoticeStream({ maxNotices: 10, maxAgeMs: 1000 }, time);
  stream.append(presence('a'));
  expect(stream.resumeAfter(2)).toBeNull();
});

test('one notice more than the limit breaks the stream, but numbering goes on', () => {
  const stream = new NoticeStream({ maxNotices: 2, maxAgeMs: 1000 }, time);
  stream.append(presence('a'));
  stream.append(presence('b'));
  expect(stream.append(presence('c'))).toMatchObject({ seq: 3 });
  expect(stream.resumeAfter(0)).toBeNull();
  expect(stream.append(presence('d'))).toMatchObject({ seq: 4 });
  expect(stream.resumeAfter(4)).toBeNull();
});

test('acknowledged notices free their room', () => {
  const stream = new NoticeStream({ maxNotices: 2, maxAgeMs: 1000 }, time);
  for (let i = 1; i <= 10; i += 1) {
    stream.append(presence('a'));
    stream.acknowledge(i);
  }
  expect(seqs(stream.resumeAfter(10))).toEqual([]);
});

test('an unacknowledged notice older than the age limit breaks the stream', () => {
  const stream = new NoticeStream({ maxNotices: 10, maxAgeMs: 1000 }, time);
  stream.append(presence('a'));
  time.advance(1000);
  expect(seqs(stream.resumeAfter(0))).toEqual([1]);
  time.advance(1);
  expect(stream.resumeAfter(0)).toBeNull();
});

test('client notices: the next one is processed, an old one is a duplicate, a skipped one a gap', () => {
  const stream = new NoticeStream({ maxNotices: 10, maxAgeMs: 1000 }, time);
  expect(stream.receive(1)).toEqual({ kind: 'next' });
  expect(stream.receive(1)).toEqual({ kind: 'duplicate' });
  expect(stream.receive(3)).toEqual({ kind: 'gap', expected: 2 });
  expect(stream.receive(2)).toEqual({ kind: 'next' });
  expect(stream.received).toBe(2);
});
