import { CallRegistry, type ActiveCall } from '../../../server/calls/CallRegistry';
import type { CallEvent } from '../../../server/calls/CallStateMachine';
import { FakeTime } from './fakeTime';

const ALICE = 1;
const BOB = 2;
const CAROL = 3;

function registry() {
  const time = new FakeTime();
  const events: { event: CallEvent; callId: string }[] = [];
  const calls = new CallRegistry({
    clock: time,
    scheduler: time,
    ringTimeoutMs: 45_000,
    onEvent: (event, call: ActiveCall) => events.push({ event, callId: call.callId }),
  });
  const open = (callId: string, from: number, to: number) =>
    calls.open({
      callId,
      callerUserId: from,
      callerDeviceId: `d${from}`,
      calleeUserId: to,
      calleeDeviceIds: [`d${to}`],
      media: 'video',
    });
  return { calls, time, events, open };
}

describe('CallRegistry', () => {
  test('call waiting: a callee talking in another call hears the new call ring; it rings out as busy while they still talk', () => {
    const { open, time, events } = registry();
    open('ab', ALICE, BOB).machine.accept('d2');
    const waiting = open('cb', CAROL, BOB);
    expect(waiting.machine.phase).toBe('ringing');
    expect(waiting.machine.ringingDeviceIds).toEqual(['d2']);
    time.advance(45_000);
    expect(events.at(-1)).toMatchObject({
      callId: 'cb',
      event: { kind: 'ended', reason: 'busy', outcome: 'busy', ringingDeviceIds: ['d2'] },
    });
  });

  test('call waiting: once the other call is over, the waiting call rings out as unanswered', () => {
    const { calls, open, time, events } = registry();
    open('ab', ALICE, BOB).machine.accept('d2');
    open('cb', CAROL, BOB);
    calls.get('ab')!.machine.hangup('d1');
    time.advance(45_000);
    expect(events.at(-1)).toMatchObject({
      callId: 'cb',
      event: { kind: 'ended', reason: 'timeout' },
    });
  });

  test('call waiting: one waiting call at a time; a third caller gets busy at once', () => {
    const { open } = registry();
    open('ab', ALICE, BOB).machine.accept('d2');
    open('cb', CAROL, BOB);
    expect(open('db', 4, BOB).machine.phase).toBe('ended');
  });

  test('a callee with another call ringing gets busy: the new call ends at once', () => {
    const { calls, open, events } = registry();
    open('ab', ALICE, BOB);
    const call = open('cb', CAROL, BOB);
    expect(call.machine.phase).toBe('ended');
    expect(events.at(-1)).toMatchObject({ callId: 'cb', event: { kind: 'ended', reason: 'busy' } });
    expect(calls.get('cb')).toBeUndefined();
    expect(calls.get('ab')?.machine.phase).toBe('ringing');
  });

  test('glare: the callee of a ringing call calling back is refused, one call remains', () => {
    const { calls, open } = registry();
    open('ab', ALICE, BOB);
    expect(calls.checkInvite('ba', BOB, ALICE)).toEqual({ ok: false, code: 'glare' });
    expect(calls.get('ab')?.machine.phase).toBe('ringing');
    expect(calls.get('ba')).toBeUndefined();
  });

  test('a caller already in a call cannot start another', () => {
    const { calls, open } = registry();
    open('ab', ALICE, BOB);
    expect(calls.checkInvite('ac', ALICE, CAROL)).toEqual({ ok: false, code: 'already_in_call' });
    calls.get('ab')!.machine.accept('d2');
    // Once accepted, calling back is no longer glare but "already in a call".
    expect(calls.checkInvite('ba', BOB, ALICE)).toEqual({ ok: false, code: 'already_in_call' });
  });

  test('a call id in use is refused', () => {
    const { calls, open } = registry();
    open('ab', ALICE, BOB);
    expect(calls.checkInvite('ab', CAROL, ALICE)).toEqual({ ok: false, code: 'call_state' });
  });

  test('ended calls leave the registry and free both users', () => {
    const { calls, open, time } = registry();
    open('ab', ALICE, BOB);
    expect(calls.isUserInCall(BOB)).toBe(true);
    time.advance(45_000);
    expect(calls.get('ab')).toBeUndefined();
    expect(calls.isUserInCall(ALICE)).toBe(false);
    expect(calls.checkInvite('ba', BOB, ALICE)).toEqual({ ok: true });
  });

  test('in_call counts only accepted calls; devices find their calls', () => {
    const { calls, open } = registry();
    open('ab', ALICE, BOB);
    expect(calls.isUserInAcceptedCall(ALICE)).toBe(false);
    expect(calls.callsOfDevice('d2').map((c) => c.callId)).toEqual(['ab']);
    calls.get('ab')!.machine.accept('d2');
    expect(calls.isUserInAcceptedCall(ALICE)).toBe(true);
    expect(calls.isUserInAcceptedCall(BOB)).toBe(true);
    expect(calls.isUserInAcceptedCall(CAROL)).toBe(false);
  });

  test('a call is found by id, by each user and by each device taking part', () => {
    const { calls } = registry();
    const call = calls.open({
      callId: 'ab',
      callerUserId: ALICE,
      callerDeviceId: 'alice-laptop',
      calleeUserId: BOB,
      calleeDeviceIds: ['bob-phone', 'bob-laptop'],
      media: 'audio',
    });
    expect(calls.get('ab')).toBe(call);
    expect(calls.isUserInCall(ALICE)).toBe(true);
    expect(calls.isUserInCall(BOB)).toBe(true);
    for (const device of ['alice-laptop', 'bob-phone', 'bob-laptop']) {
      expect(calls.callsOfDevice(device)).toEqual([call]);
    }
    expect(calls.callsOfDevice('carol-phone')).toEqual([]);
    // Once answered on the phone, the laptop that stopped ringing no longer takes part.
    call.machine.accept('bob-phone');
    expect(calls.callsOfDevice('bob-laptop')).toEqual([]);
    expect(calls.callsOfDevice('bob-phone')).toEqual([call]);
    expect(calls.isUserInAcceptedCall(BOB)).toBe(true);
  });

  test('an ended call vanishes from every index: by id, user and device', () => {
    const { calls, open } = registry();
    const ab = open('ab', ALICE, BOB);
    const busy = open('cb', CAROL, BOB);
    expect(busy.machine.phase).toBe('ended');
    expect(calls.isUserInCall(CAROL)).toBe(false);
    expect(calls.callsOfDevice('d3')).toEqual([]);
    ab.machine.accept('d2');
    ab.machine.hangup('d1');
    expect(calls.get('ab')).toBeUndefined();
    for (const user of [ALICE, BOB]) {
      expect(calls.isUserInCall(user)).toBe(false);
      expect(calls.isUserInAcceptedCall(user)).toBe(false);
    }
    expect(calls.callsOfDevice('d1')).toEqual([]);
    expect(calls.callsOfDevice('d2')).toEqual([]);
    // The same two may call again, either way round, and glare is judged on the new call only.
    const ba = open('ba', BOB, ALICE);
    expect(calls.checkInvite('ab2', ALICE, BOB)).toEqual({ ok: false, code: 'glare' });
    expect(calls.callsOfDevice('d2')).toEqual([ba]);
  });

  test('many calls: ending those of some devices leaves the others untouched', () => {
    const { calls } = registry();
    const all = Array.from({ length: 200 }, (_, i) =>
      calls.open({
        callId: `c${i}`,
        callerUserId: 1000 + i,
        callerDeviceId: `caller${i}`,
        calleeUserId: 2000 + i,
        calleeDeviceIds: [`callee${i}`],
        media: 'audio',
      }),
    );
    for (let i = 0; i < 200; i += 2) all[i]!.machine.connectionLost(`caller${i}`);
    all.forEach((call, i) => {
      expect(calls.get(`c${i}`)).toBe(i % 2 === 0 ? undefined : call);
      expect(calls.isUserInCall(2000 + i)).toBe(i % 2 === 1);
      expect(calls.callsOfDevice(`callee${i}`)).toEqual(i % 2 === 0 ? [] : [call]);
    });
  });
});
