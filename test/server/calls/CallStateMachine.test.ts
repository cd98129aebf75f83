import { CallStateMachine, type CallEvent } from '../../../server/calls/CallStateMachine';
import { FakeTime } from './fakeTime';

const RING_MS = 45_000;

function ringingCall(calleeDeviceIds = ['b1', 'b2']) {
  const time = new FakeTime();
  const events: CallEvent[] = [];
  const call = new CallStateMachine({
    callId: 'call-1',
    callerDeviceId: 'a1',
    calleeDeviceIds,
    ringTimeoutMs: RING_MS,
    clock: time,
    scheduler: time,
    onEvent: (event) => events.push(event),
  });
  const ended = () => events.filter((e) => e.kind === 'ended');
  return { call, time, events, ended };
}

describe('CallStateMachine', () => {
  test('starts ringing on every callee device with a ring timer', () => {
    const { call, time } = ringingCall();
    expect(call.phase).toBe('ringing');
    expect(call.ringingDeviceIds).toEqual(['b1', 'b2']);
    expect(time.pending).toBe(1);
  });

  test('a ringing callee device can report ringing; others cannot', () => {
    const { call, events } = ringingCall();
    expect(call.ringingOn('b1')).toEqual({ ok: true });
    expect(events).toEqual([{ kind: 'ringing', deviceId: 'b1' }]);
    expect(call.ringingOn('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.ringingOn('zz')).toEqual({ ok: false, code: 'not_in_call' });
  });

  test('accept: the first callee device wins, the others are told, the timer stops', () => {
    const { call, time, events } = ringingCall();
    time.advance(1000);
    expect(call.accept('b2')).toEqual({ ok: true });
    expect(call.phase).toBe('accepted');
    expect(call.acceptedDeviceId).toBe('b2');
    expect(call.answeredAt).toBe(time.now());
    expect(events).toEqual([{ kind: 'accepted', deviceId: 'b2', otherCalleeDeviceIds: ['b1'] }]);
    expect(time.pending).toBe(0);
    expect(call.accept('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.accept('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.accept('zz')).toEqual({ ok: false, code: 'not_in_call' });
  });

  test('accepted -> ended by hangup from either party, answered', () => {
    for (const by of ['a1', 'b1']) {
      const { call, time, ended } = ringingCall();
      call.accept('b1');
      time.advance(5000);
      expect(call.hangup(by)).toEqual({ ok: true });
      expect(call.phase).toBe('ended');
      expect(call.endedAt! - call.answeredAt!).toBe(5000);
      expect(ended()).toEqual([
        expect.objectContaining({
          reason: 'hangup',
          outcome: 'answered',
          byDeviceId: by,
          endedFrom: 'accepted',
          acceptedDeviceId: 'b1',
        }),
      ]);
    }
  });

  test('hangup is refused while ringing, from a device that did not answer, and by strangers', () => {
    const { call } = ringingCall();
    expect(call.hangup('a1')).toEqual({ ok: false, code: 'call_state' });
    call.accept('b1');
    expect(call.hangup('b2')).toEqual({ ok: false, code: 'call_state' });
    expect(call.hangup('zz')).toEqual({ ok: false, code: 'not_in_call' });
    expect(call.phase).toBe('accepted');
  });

  test('decline from any callee device ends the call as declined', () => {
    const { call, ended, time } = ringingCall();
    expect(call.decline('b2')).toEqual({ ok: true });
    expect(ended()).toEqual([
      expect.objectContaining({
        reason: 'declined',
        outcome: 'declined',
        byDeviceId: 'b2',
        ringingDeviceIds: ['b1', 'b2'],
      }),
    ]);
    expect(time.pending).toBe(0);
    expect(call.decline('b1')).toEqual({ ok: false, code: 'call_state' });
  });

  test('the caller cannot decline; a callee cannot cancel', () => {
    const { call } = ringingCall();
    expect(call.decline('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.cancel('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.phase).toBe('ringing');
  });

  test('cancel by the caller while ringing ends it as cancelled; not once accepted', () => {
    const ringing = ringingCall();
    expect(ringing.call.cancel('a1')).toEqual({ ok: true });
    expect(ringing.ended()).toEqual([
      expect.objectContaining({ reason: 'cancelled', outcome: 'cancelled' }),
    ]);

    const accepted = ringingCall();
    accepted.call.accept('b1');
    expect(accepted.call.cancel('a1')).toEqual({ ok: false, code: 'call_state' });
  });

  test('busy ends the call before it rings', () => {
    const { call, ended, time } = ringingCall([]);
    expect(call.busy()).toEqual({ ok: true });
    expect(ended()).toEqual([
      expect.objectContaining({ reason: 'busy', outcome: 'busy', byDeviceId: null }),
    ]);
    expect(time.pending).toBe(0);
    expect(call.busy()).toEqual({ ok: false, code: 'call_state' });
  });

  test('the ring times out after the ring timeout as missed', () => {
    const { call, time, ended } = ringingCall();
    time.advance(RING_MS - 1);
    expect(call.phase).toBe('ringing');
    time.advance(1);
    expect(call.phase).toBe('ended');
    expect(ended()).toEqual([
      expect.objectContaining({
        reason: 'timeout',
        outcome: 'missed',
        ringingDeviceIds: ['b1', 'b2'],
      }),
    ]);
  });

  test('an accepted call does not time out', () => {
    const { call, time } = ringingCall();
    call.accept('b1');
    time.advance(RING_MS * 2);
    expect(call.phase).toBe('accepted');
  });

  test('the caller losing its connection while ringing cancels the call', () => {
    const { call, ended } = ringingCall();
    expect(call.connectionLost('a1')).toEqual({ ok: true });
    expect(ended()).toEqual([
      expect.objectContaining({
        reason: 'cancelled',
        outcome: 'cancelled',
        endedFrom: 'ringing',
        byDeviceId: 'a1',
      }),
    ]);
  });

  test('a ringing device dropping out ends the call only when it was the last', () => {
    const { call, ended } = ringingCall();
    expect(call.connectionLost('b1')).toEqual({ ok: true });
    expect(call.phase).toBe('ringing');
    expect(call.ringingDeviceIds).toEqual(['b2']);
    call.connectionLost('b2');
    expect(ended()).toEqual([
      expect.objectContaining({ reason: 'connection_lost', byDeviceId: 'b2', outcome: 'missed' }),
    ]);
  });

  test('either party losing its connection ends an accepted call as answered', () => {
    const { call, ended } = ringingCall();
    call.accept('b1');
    expect(call.connectionLost('b2')).toEqual({ ok: false, code: 'not_in_call' });
    expect(call.phase).toBe('accepted');
    call.connectionLost('b1');
    expect(ended()).toEqual([
      expect.objectContaining({
        reason: 'connection_lost',
        outcome: 'answered',
        endedFrom: 'accepted',
      }),
    ]);
  });

  test('relay: caller to all ringing devices while ringing, then only between the two parties', () => {
    const { call } = ringingCall();
    expect(call.relayTargets('a1')).toEqual({ ok: true, targetDeviceIds: ['b1', 'b2'] });
    expect(call.relayTargets('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.relayTargets('zz')).toEqual({ ok: false, code: 'not_in_call' });
    call.accept('b2');
    expect(call.relayTargets('a1')).toEqual({ ok: true, targetDeviceIds: ['b2'] });
    expect(call.relayTargets('b2')).toEqual({ ok: true, targetDeviceIds: ['a1'] });
    expect(call.relayTargets('b1')).toEqual({ ok: false, code: 'call_state' });
  });

  test('preconnect: any ringing callee device, to the caller only, and its ICE then reaches the caller', () => {
    const { call, events } = ringingCall();
    expect(call.iceTargets('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnect('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnect('zz')).toEqual({ ok: false, code: 'not_in_call' });
    expect(call.preconnect('b1')).toEqual({ ok: true, targetDeviceIds: ['a1'] });
    expect(call.preconnect('b2')).toEqual({ ok: true, targetDeviceIds: ['a1'] });
    expect(call.iceTargets('b1')).toEqual({
      ok: true,
      targetDeviceIds: ['a1'],
      preconnecting: true,
    });
    expect(call.iceTargets('a1')).toEqual({ ok: true, targetDeviceIds: ['b1', 'b2'] });
    expect(events).toEqual([]);
    call.accept('b2');
    // The device that lost the race may neither pre-connect again nor send candidates.
    expect(call.preconnect('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.iceTargets('b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnect('b2')).toEqual({ ok: false, code: 'call_state' });
    expect(call.iceTargets('b2')).toEqual({ ok: true, targetDeviceIds: ['a1'] });
  });

  test('preconnectTaken: the caller names one pre-connected ringing device, once; nobody else may', () => {
    const { call, events } = ringingCall();
    call.preconnect('b1');
    expect(call.preconnectTaken('a1', 'b2')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnectTaken('b1', 'b1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnectTaken('zz', 'b1')).toEqual({ ok: false, code: 'not_in_call' });
    expect(call.preconnectTaken('a1', 'b1')).toEqual({ ok: true, targetDeviceIds: ['b1'] });
    call.preconnect('b2');
    expect(call.preconnectTaken('a1', 'b2')).toEqual({ ok: false, code: 'call_state' });
    expect(call.preconnectTaken('a1', 'b1')).toEqual({ ok: false, code: 'call_state' });
    expect(events).toEqual([]);
  });

  test('preconnectTaken: refused once the call is answered', () => {
    const { call } = ringingCall();
    call.preconnect('b1');
    call.accept('b1');
    expect(call.preconnectTaken('a1', 'b1')).toEqual({ ok: false, code: 'call_state' });
  });

  test('in-call messages (rekey, offer, rejoin...): only between caller and the answering device of an accepted call', () => {
    const { call } = ringingCall();
    expect(call.inCallTarget('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.inCallTarget('zz')).toEqual({ ok: false, code: 'not_in_call' });
    call.accept('b2');
    expect(call.inCallTarget('a1')).toEqual({ ok: true, targetDeviceIds: ['b2'] });
    expect(call.inCallTarget('b2')).toEqual({ ok: true, targetDeviceIds: ['a1'] });
    expect(call.inCallTarget('b1')).toEqual({ ok: false, code: 'call_state' });
    call.hangup('a1');
    expect(call.inCallTarget('a1')).toEqual({ ok: false, code: 'call_state' });
  });

  test('an ended call refuses everything and emits nothing more', () => {
    const { call, events } = ringingCall();
    call.decline('b1');
    const count = events.length;
    expect(call.accept('b2')).toEqual({ ok: false, code: 'call_state' });
    expect(call.cancel('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.hangup('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.relayTargets('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.connectionLost('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(call.busy()).toEqual({ ok: false, code: 'call_state' });
    expect(events).toHaveLength(count);
  });

  test('a device gone since an earlier moment ends the call then, but never before the answer', () => {
    const { call, time } = ringingCall();
    const awaySince = time.now();
    time.advance(2000);
    call.accept('b1');
    time.advance(3000);
    call.connectionLost('a1', awaySince);
    expect(call.endedAt).toBe(call.answeredAt);

    const second = ringingCall();
    second.call.accept('b1');
    second.time.advance(3000);
    const droppedAt = second.time.now();
    second.time.advance(30_000);
    second.call.connectionLost('b1', droppedAt);
    expect(second.call.endedAt! - second.call.answeredAt!).toBe(3000);
  });

  test('a restored call starts accepted, with nothing ringing and no timer, and ends as any other', () => {
    const time = new FakeTime();
    const events: CallEvent[] = [];
    const call = new CallStateMachine({
      callId: 'call-1',
      callerDeviceId: 'a1',
      calleeDeviceIds: ['b2'],
      ringTimeoutMs: RING_MS,
      clock: time,
      scheduler: time,
      onEvent: (event) => events.push(event),
      restored: { acceptedDeviceId: 'b2', startedAt: 500, answeredAt: 900 },
    });
    expect(call.phase).toBe('accepted');
    expect([call.startedAt, call.answeredAt, call.acceptedDeviceId]).toEqual([500, 900, 'b2']);
    expect(time.pending).toBe(0);
    expect(call.inCallTarget('a1')).toEqual({ ok: true, targetDeviceIds: ['b2'] });
    expect(call.hangup('b2')).toEqual({ ok: true });
    expect(events).toEqual([
      expect.objectContaining({ kind: 'ended', reason: 'hangup', outcome: 'answered' }),
    ]);
    expect(call.endedAt).toBe(time.now());
  });
});
