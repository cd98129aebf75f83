import {
  initialCallState,
  nextCallState,
  type CallEvent,
  type CallMachineState,
} from '../../../renderer/state/callStateMachine';

const bob = { username: 'bob', displayName: 'Bob' };
const alice = { username: 'alice', displayName: 'Alice' };
const callId = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f';
const otherCall = '0d3c8a51-1111-4a4a-8b8b-222233334444';

function run(events: CallEvent[], from: CallMachineState = initialCallState): CallMachineState {
  return events.reduce(nextCallState, from);
}

const dial: CallEvent = { type: 'dial', callId, peer: bob, media: 'video' };
const invited: CallEvent = { type: 'invited', callId, peer: alice, media: 'video' };

describe('client call state machine', () => {
  test('an outgoing call goes calling, ringing, connecting, in call', () => {
    const calling = run([dial]);
    expect(calling.view).toMatchObject({ kind: 'outgoing', phase: 'calling', peer: bob });
    const ringing = run([{ type: 'ringing', callId }], calling);
    expect(ringing.view).toMatchObject({ kind: 'outgoing', phase: 'ringing' });
    const connecting = run([{ type: 'accepted', callId }], ringing);
    expect(connecting.view).toMatchObject({ kind: 'connecting', direction: 'outgoing' });
    const live = run([{ type: 'connected', callId, at: 1_000 }], connecting);
    expect(live.view).toMatchObject({ kind: 'in_call', connectedAt: 1_000 });
  });

  test('an incoming call goes incoming, connecting, in call', () => {
    const states = [
      invited,
      { type: 'accepted', callId },
      { type: 'connected', callId, at: 5 },
    ] as const;
    expect(run([states[0]]).view).toMatchObject({ kind: 'incoming', peer: alice });
    expect(run([...states]).view).toMatchObject({ kind: 'in_call', direction: 'incoming' });
  });

  test('ending an answered call records the connected time as its duration', () => {
    const ended = run([
      dial,
      { type: 'accepted', callId },
      { type: 'connected', callId, at: 10_000 },
      { type: 'ended', callId, reason: 'hangup', at: 52_400 },
    ]);
    expect(ended.view).toEqual({ kind: 'idle' });
    expect(ended.lastEnded).toEqual({
      callId,
      reason: 'hangup',
      peer: bob,
      direction: 'outgoing',
      media: 'video',
      durationMs: 42_400,
    });
  });

  test('a call that never connected ends with duration 0 and keeps the reason and detail', () => {
    const ended = run([invited, { type: 'ended', callId, reason: 'error', at: 9, detail: 'boom' }]);
    expect(ended.lastEnded).toMatchObject({
      reason: 'error',
      direction: 'incoming',
      durationMs: 0,
      detail: 'boom',
    });
  });

  test('events for another call change nothing', () => {
    const calling = run([dial]);
    for (const event of [
      { type: 'ringing', callId: otherCall },
      { type: 'accepted', callId: otherCall },
      { type: 'ended', callId: otherCall, reason: 'busy', at: 1 },
    ] as CallEvent[]) {
      expect(nextCallState(calling, event)).toBe(calling);
    }
  });

  test('a second dial or invite while a call is on changes nothing', () => {
    const calling = run([dial]);
    expect(nextCallState(calling, { ...invited, callId: otherCall })).toBe(calling);
    expect(nextCallState(calling, { ...dial, callId: otherCall })).toBe(calling);
  });

  test('out-of-order events are refused: ringing on the callee, connected before accept', () => {
    const incoming = run([invited]);
    expect(nextCallState(incoming, { type: 'ringing', callId })).toBe(incoming);
    expect(nextCallState(incoming, { type: 'connected', callId, at: 1 })).toBe(incoming);
    const connecting = run([{ type: 'accepted', callId }], incoming);
    expect(nextCallState(connecting, { type: 'accepted', callId })).toBe(connecting);
  });

  test('nothing happens while idle except dial and invite', () => {
    for (const event of [
      { type: 'ringing', callId },
      { type: 'accepted', callId },
      { type: 'connected', callId, at: 1 },
      { type: 'ended', callId, reason: 'hangup', at: 1 },
    ] as CallEvent[]) {
      expect(nextCallState(initialCallState, event)).toBe(initialCallState);
    }
  });

  test('the last ended call stays for the notice while the next call runs', () => {
    const declined = run([dial, { type: 'ended', callId, reason: 'declined', at: 1 }]);
    const next = run([{ ...dial, callId: otherCall }], declined);
    expect(next.view).toMatchObject({ kind: 'outgoing', callId: otherCall });
    expect(next.lastEnded).toMatchObject({ callId, reason: 'declined' });
  });

  test('the peer name can be refined once the server tells it', () => {
    const renamed = run([
      { ...dial, peer: { username: 'bob', displayName: 'bob' } },
      { type: 'peer_renamed', callId, displayName: 'Bob Stone' },
    ]);
    expect(renamed.view).toMatchObject({ peer: { username: 'bob', displayName: 'Bob Stone' } });
  });
});
