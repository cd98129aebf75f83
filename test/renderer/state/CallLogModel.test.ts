import type { RequestType } from '../../../protocol';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import type { SignalingRequests } from '../../../renderer/signaling/SignalingClient';
import { CallLogModel, type CallLogEntry } from '../../../renderer/state/CallLogModel';

const entry = (callId: string, startedAt: number): CallLogEntry => ({
  callId,
  direction: 'outgoing',
  peer: { username: 'bob', displayName: 'Bob' },
  media: 'audio',
  outcome: 'answered',
  startedAt,
  answeredAt: startedAt,
  endedAt: startedAt + 1000,
  durationMs: 1000,
  count: 1,
});

const a = '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10';
const b = '7a2d2f5e-9b66-4d7c-8e94-3f2f1c8b0f21';

/** A server that answers each request with what the test queued for its type. */
function fakeServer(answers: Partial<Record<RequestType, (body: unknown) => unknown>>) {
  const sent: { type: string; body: unknown }[] = [];
  const signaling: SignalingRequests = {
    request: (async (type: RequestType, body: unknown) => {
      sent.push({ type, body });
      const answer = answers[type];
      if (!answer) throw new Error(`unexpected ${type}`);
      return answer(body);
    }) as SignalingRequests['request'],
  };
  return { signaling, sent };
}

describe('removing from the call log', () => {
  test('one entry goes once the server says ok; the others stay', async () => {
    const server = fakeServer({
      'calllog.list': () => ({ entries: [entry(a, 1), entry(b, 2)] }),
      'calllog.delete': () => ({ type: 'ok' }),
    });
    const log = new CallLogModel(server.signaling);
    await log.load();
    await log.remove(a);
    expect(server.sent.at(-1)).toEqual({ type: 'calllog.delete', body: { callId: a } });
    expect(log.entries.value.map((e) => e.callId)).toEqual([b]);
    expect(log.error.value).toBeNull();
  });

  test('clearing empties the log once the server says ok', async () => {
    const server = fakeServer({
      'calllog.list': () => ({ entries: [entry(a, 1), entry(b, 2)] }),
      'calllog.clear': () => ({ type: 'ok' }),
    });
    const log = new CallLogModel(server.signaling);
    await log.load();
    await log.clear();
    expect(server.sent.at(-1)).toEqual({ type: 'calllog.clear', body: {} });
    expect(log.entries.value).toEqual([]);
  });

  test('an entry already gone (removed on another device) shows the log as it is now', async () => {
    let listed = [entry(a, 1), entry(b, 2)];
    const server = fakeServer({
      'calllog.list': () => ({ entries: listed }),
      'calllog.delete': () => {
        throw new SignalingError('unknown_log_entry', 'callId: no such entry in your call log');
      },
    });
    const log = new CallLogModel(server.signaling);
    await log.load();
    listed = [entry(b, 2)];
    await log.remove(a);
    expect(log.entries.value.map((e) => e.callId)).toEqual([b]);
    expect(log.error.value).toBeNull();
  });

  test('a removal that fails otherwise keeps the entry and says so in a sentence', async () => {
    const server = fakeServer({
      'calllog.list': () => ({ entries: [entry(a, 1)] }),
      'calllog.clear': () => {
        throw new SignalingError('disconnected', 'Not connected to the server');
      },
    });
    const log = new CallLogModel(server.signaling);
    await log.load();
    await log.clear();
    expect(log.entries.value.map((e) => e.callId)).toEqual([a]);
    expect(log.error.value).toBe(
      'The call log could not be changed. Check your connection and try again.',
    );
    expect(log.changing.value).toBe(false);
  });
});
