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
  test('a callee party to another call gets busy: the new call ends at once', () => {
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
});
