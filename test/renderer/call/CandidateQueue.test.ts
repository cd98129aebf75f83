import { CandidateQueue } from '../../../renderer/call/CandidateQueue';

describe('CandidateQueue', () => {
  test('holds items until opened, then delivers them in order and later ones at once', () => {
    const queue = new CandidateQueue<string | null>();
    queue.push('a');
    queue.push('b');
    expect(queue.heldCount).toBe(2);
    const delivered: (string | null)[] = [];
    queue.open((item) => delivered.push(item));
    expect(delivered).toEqual(['a', 'b']);
    queue.push(null);
    expect(delivered).toEqual(['a', 'b', null]);
    expect(queue.heldCount).toBe(0);
  });

  test('clear drops held items and closes the queue again', () => {
    const queue = new CandidateQueue<number>();
    const delivered: number[] = [];
    queue.push(1);
    queue.clear();
    queue.push(2);
    expect(queue.isOpen).toBe(false);
    queue.open((item) => delivered.push(item));
    expect(delivered).toEqual([2]);
  });
});
