import { serverMessageTypes, type ServerMessage } from '../../../protocol';
import {
  createServerMessageHandlers,
  type NotificationHandlers,
} from '../../../renderer/signaling/serverMessageHandlers';
import type { ReplyMessage } from '../../../renderer/signaling/RequestTracker';

const callId = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f';

function recordingApp() {
  const seen: string[] = [];
  const record = (type: string) => () => void seen.push(type);
  const app: NotificationHandlers = {
    presence: record('presence'),
    'contact.renamed': record('contact.renamed'),
    'ice.servers': record('ice.servers'),
    'calllog.changed': record('calllog.changed'),
    'link.approved': record('link.approved'),
    'link.rejected': record('link.rejected'),
    'session.revoked': record('session.revoked'),
    error: record('error'),
    call: (message) => void seen.push(message.type),
    room: (message) => void seen.push(message.type),
  };
  return { app, seen };
}

function replySink(waiting: Set<string>) {
  const settled: ReplyMessage[] = [];
  const acknowledged: number[] = [];
  return {
    settled,
    acknowledged,
    settle(reply: ReplyMessage) {
      if (reply.re === null || !waiting.has(reply.re)) return false;
      settled.push(reply);
      return true;
    },
    acknowledge(seq: number) {
      acknowledged.push(seq);
    },
  };
}

describe('the client dispatch table', () => {
  test('has exactly one handler per server message type of the protocol', () => {
    const table = createServerMessageHandlers(replySink(new Set()), recordingApp().app);
    expect(Object.keys(table).sort()).toEqual([...serverMessageTypes].sort());
  });

  test('replies go to the waiting request, notifications to the app', () => {
    const { app, seen } = recordingApp();
    const replies = replySink(new Set(['r1', 'r2']));
    const table = createServerMessageHandlers(replies, app);
    const dispatch = (message: ServerMessage) =>
      (table[message.type] as (m: ServerMessage) => void)(message);

    dispatch({ v: 1, type: 'ok', re: 'r1' });
    dispatch({ v: 1, type: 'presence', username: 'bob', presence: 'online' });
    dispatch({ v: 1, type: 'call.ringing', callId });
    dispatch({ v: 1, type: 'call.hangup', callId, reason: 'hangup' });
    dispatch({ v: 1, type: 'error', re: 'r2', code: 'unknown_user', message: 'no' });

    expect(replies.settled.map((r) => r.re)).toEqual(['r1', 'r2']);
    expect(seen).toEqual(['presence', 'call.ringing', 'call.hangup']);
  });

  test('link and device replies settle their requests; link outcomes and revocation reach the app', () => {
    const { app, seen } = recordingApp();
    const replies = replySink(new Set(['r1', 'r2', 'r3']));
    const table = createServerMessageHandlers(replies, app);
    const dispatch = (message: ServerMessage) =>
      (table[message.type] as (m: ServerMessage) => void)(message);
    const code = '7KQ2-M9XD-4TRB';

    dispatch({ v: 1, type: 'link.code', re: 'r1', code, expiresAt: 1 });
    dispatch({
      v: 1,
      type: 'link.pending',
      re: 'r2',
      code,
      deviceName: 'Laptop',
      identityKey: 'A'.repeat(43) + '=',
      expiresAt: 1,
    });
    dispatch({ v: 1, type: 'devices', re: 'r3', devices: [] });
    dispatch({ v: 1, type: 'link.rejected', code, reason: 'expired' });
    dispatch({ v: 1, type: 'session.revoked', reason: 'device_removed' });

    expect(replies.settled.map((r) => r.type)).toEqual(['link.code', 'link.pending', 'devices']);
    expect(seen).toEqual(['link.rejected', 'session.revoked']);
  });

  test('group-call replies settle their requests; every group-call notice goes to the room handler', () => {
    const { app, seen } = recordingApp();
    const replies = replySink(new Set(['r1', 'r2']));
    const table = createServerMessageHandlers(replies, app);
    const dispatch = (message: ServerMessage) =>
      (table[message.type] as (m: ServerMessage) => void)(message);

    dispatch({ v: 1, type: 'features', re: 'r1', features: ['rooms'] });
    dispatch({ v: 1, type: 'room.produced', re: 'r2', producerId: 'p1' });
    dispatch({ v: 1, type: 'room.speaker', callId, slot: 2 });
    dispatch({ v: 1, type: 'room.ended', callId });

    expect(replies.settled.map((r) => r.type)).toEqual(['features', 'room.produced']);
    expect(seen).toEqual(['room.speaker', 'room.ended']);
  });

  test('acks stay in the signaling layer: the app never sees them', () => {
    const { app, seen } = recordingApp();
    const sink = replySink(new Set());
    const table = createServerMessageHandlers(sink, app);
    table.ack({ v: 1, type: 'ack', seq: 7 });
    expect(sink.acknowledged).toEqual([7]);
    expect(seen).toEqual([]);
  });

  test('an error that answers no waiting request reaches the app', () => {
    const { app, seen } = recordingApp();
    const table = createServerMessageHandlers(replySink(new Set()), app);
    table.error({ v: 1, type: 'error', re: null, code: 'call_state', message: 'x', callId });
    table.error({ v: 1, type: 'error', re: 'late', code: 'internal', message: 'x' });
    expect(seen).toEqual(['error', 'error']);
  });
});
