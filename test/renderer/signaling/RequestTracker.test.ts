import {
  RequestTracker,
  SignalingError,
  type ReplyMessage,
} from '../../../renderer/signaling/RequestTracker';

const sessionId = Buffer.alloc(32, 7).toString('base64');
const session = (re: string): ReplyMessage => ({
  v: 1,
  type: 'session',
  re,
  sessionId,
  expiresAt: 1,
  user: { username: 'alice', displayName: 'Alice' },
  deviceId: 'device_0001',
  ice: { servers: [], expiresAt: null },
  stream: { id: 'stream_0001', resumed: false, received: 0 },
  calls: [],
});

describe('request/reply correlation', () => {
  test('each reply settles the request with its id, in any order', async () => {
    const tracker = new RequestTracker(1_000);
    const login = tracker.track('a', 'auth.login');
    const end = tracker.track('b', 'session.end');
    expect(tracker.settle({ v: 1, type: 'ok', re: 'b' })).toBe(true);
    expect(tracker.settle(session('a'))).toBe(true);
    await expect(end).resolves.toEqual({ v: 1, type: 'ok', re: 'b' });
    await expect(login).resolves.toMatchObject({ type: 'session', deviceId: 'device_0001' });
    expect(tracker.size).toBe(0);
  });

  test('an error reply rejects with its code and the server message', async () => {
    const tracker = new RequestTracker(1_000);
    const add = tracker.track('a', 'contacts.add');
    tracker.settle({ v: 1, type: 'error', re: 'a', code: 'unknown_user', message: 'no user zed' });
    await expect(add).rejects.toMatchObject({ code: 'unknown_user', message: 'no user zed' });
  });

  test('a reply of the wrong type rejects instead of resolving with the wrong shape', async () => {
    const tracker = new RequestTracker(1_000);
    const lookup = tracker.track('a', 'user.lookup');
    tracker.settle({ v: 1, type: 'ok', re: 'a' });
    await expect(lookup).rejects.toMatchObject({ code: 'bad_reply' });
  });

  test('a reply nobody waits for is reported and changes nothing', async () => {
    const tracker = new RequestTracker(1_000);
    const pending = tracker.track('a', 'session.end');
    expect(tracker.settle({ v: 1, type: 'ok', re: 'zzz' })).toBe(false);
    expect(tracker.settle({ v: 1, type: 'error', re: null, code: 'internal', message: '' })).toBe(
      false,
    );
    expect(tracker.size).toBe(1);
    tracker.settle({ v: 1, type: 'ok', re: 'a' });
    await expect(pending).resolves.toMatchObject({ re: 'a' });
  });

  test('a request without a reply fails after the timeout, and a late reply is ignored', async () => {
    const tracker = new RequestTracker(30);
    const started = Date.now();
    await expect(tracker.track('a', 'contacts.list')).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(tracker.settle({ v: 1, type: 'contacts', re: 'a', contacts: [], next: null })).toBe(
      false,
    );
  });

  test('failAll rejects every pending request', async () => {
    const tracker = new RequestTracker(1_000);
    const both = [tracker.track('a', 'contacts.list'), tracker.track('b', 'calllog.list')];
    tracker.failAll(new SignalingError('disconnected', 'gone'));
    for (const request of both)
      await expect(request).rejects.toMatchObject({ code: 'disconnected' });
    expect(tracker.size).toBe(0);
  });

  test('ids are unique and a duplicate pending id is refused', () => {
    const tracker = new RequestTracker(1_000);
    expect(tracker.nextId()).not.toBe(tracker.nextId());
    void tracker.track('a', 'session.end').catch(() => undefined);
    expect(() => tracker.track('a', 'session.end')).toThrow(/already pending/);
    tracker.failAll(new SignalingError('disconnected', 'done'));
  });
});
