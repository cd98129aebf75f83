import { NoticeStream } from '../../../renderer/signaling/NoticeStream';

type Note = { type: string };
const note = (type: string): Note => ({ type });
const seqs = (notices: readonly { seq: number }[]) => notices.map((n) => n.seq);
const types = (notices: readonly Note[]) => notices.map((n) => n.type);

describe('NoticeStream', () => {
  test('numbers outgoing notices 1, 2, 3 and keeps them until acknowledged', () => {
    const stream = new NoticeStream<Note>();
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    expect([stream.add(note('a')), stream.add(note('b')), stream.add(note('c'))]).toEqual([
      { type: 'a', seq: 1 },
      { type: 'b', seq: 2 },
      { type: 'c', seq: 3 },
    ]);
    stream.acknowledge(2);
    expect(seqs(stream.unacknowledged)).toEqual([3]);
    stream.acknowledge(1); // a late, smaller ack changes nothing
    expect(seqs(stream.unacknowledged)).toEqual([3]);
    stream.acknowledge(3);
    expect(stream.unacknowledged).toEqual([]);
  });

  test('incoming notices are processed once and in order; resends are dropped', () => {
    const stream = new NoticeStream<Note>();
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    expect([1, 2, 2, 1, 3].map((seq) => stream.arrive(seq))).toEqual([
      'process',
      'process',
      'duplicate',
      'duplicate',
      'process',
    ]);
    expect(stream.arrive(5)).toBe('gap');
    expect(stream.received).toBe(3);
    expect(stream.arrive(4)).toBe('process');
  });

  test('a resumed stream resends, in order and with their numbers, only what the server lacks', () => {
    const stream = new NoticeStream<Note>();
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    for (const type of ['a', 'b', 'c', 'd']) stream.add(note(type));
    stream.acknowledge(1);
    stream.arrive(1);
    stream.arrive(2);
    expect(stream.position).toEqual({ id: 'stream_a', received: 2 });

    const resend = stream.begin({ id: 'stream_a', resumed: true, received: 2 });
    expect(resend).toEqual([
      { type: 'c', seq: 3 },
      { type: 'd', seq: 4 },
    ]);
    // Numbering goes on, and what the server sent before still counts.
    expect(stream.add(note('e')).seq).toBe(5);
    expect(stream.arrive(2)).toBe('duplicate');
    expect(stream.arrive(3)).toBe('process');
  });

  test('a new stream renumbers what is still unacknowledged from 1 and forgets what it received', () => {
    const stream = new NoticeStream<Note>();
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    for (const type of ['a', 'b', 'c']) stream.add(note(type));
    stream.acknowledge(1);
    for (const seq of [1, 2, 3]) stream.arrive(seq);

    const resend = stream.begin({ id: 'stream_b', resumed: false, received: 0 });
    expect(resend).toEqual([
      { type: 'b', seq: 1 },
      { type: 'c', seq: 2 },
    ]);
    expect(stream.add(note('d')).seq).toBe(3);
    expect(stream.position).toEqual({ id: 'stream_b', received: 0 });
    expect(stream.arrive(1)).toBe('process');
  });

  test('notices made before any stream wait and go out numbered from 1', () => {
    const stream = new NoticeStream<Note>();
    expect(stream.position).toBeNull();
    stream.add(note('a'));
    stream.add(note('b'));
    expect(seqs(stream.begin({ id: 'stream_a', resumed: false, received: 0 }))).toEqual([1, 2]);
  });

  test('the outbox is bounded: past the limit the oldest goes and the next sign-in starts a new stream', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stream = new NoticeStream<Note>(3);
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    for (const type of ['a', 'b', 'c', 'd']) stream.add(note(type));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(types(stream.unacknowledged)).toEqual(['b', 'c', 'd']);
    // Without notice 1 the server could never take 2: do not ask to continue this stream.
    expect(stream.position).toBeNull();
    const resend = stream.begin({ id: 'stream_b', resumed: false, received: 0 });
    expect(resend).toEqual([
      { type: 'b', seq: 1 },
      { type: 'c', seq: 2 },
      { type: 'd', seq: 3 },
    ]);
  });

  test('clearing forgets the stream and everything waiting in it', () => {
    const stream = new NoticeStream<Note>();
    stream.begin({ id: 'stream_a', resumed: false, received: 0 });
    stream.add(note('a'));
    stream.arrive(1);
    stream.clear();
    expect(stream.position).toBeNull();
    expect(stream.unacknowledged).toEqual([]);
    expect(stream.add(note('b')).seq).toBe(1);
  });
});
