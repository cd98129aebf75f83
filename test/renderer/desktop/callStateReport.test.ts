import { CallStateReport } from '../../../protocol';
import { NEGOTIATING } from '../../../renderer/call/E2eeStatusTracker';
import { callStateReport, sameReport } from '../../../renderer/desktop/callStateReport';
import {
  initialCallState,
  nextCallState,
  type CallEndReason,
  type CallEvent,
  type CallMachineState,
} from '../../../renderer/state/callStateMachine';

const callId = '6f1c2a4e-3b7d-4c55-9a1e-2d3f4b5c6d7e';
const bob = { username: 'bob', displayName: 'Bob Marley' };
const run = (...events: CallEvent[]): CallMachineState =>
  events.reduce(nextCallState, initialCallState);
const incoming: CallEvent = { type: 'invited', callId: callId, peer: bob, media: 'video' };
const dial: CallEvent = { type: 'dial', callId: callId, peer: bob, media: 'audio' };
const ended = (reason: CallEndReason, at = 5_000): CallEvent => ({
  type: 'ended',
  callId: callId,
  reason,
  at,
});

test('each phase is reported with the call, the peer and the media; every report passes the IPC schema', () => {
  const reports = [
    callStateReport(initialCallState, false, NEGOTIATING),
    callStateReport(run(incoming), false, NEGOTIATING),
    callStateReport(run(dial), false, NEGOTIATING),
    callStateReport(run(dial, { type: 'accepted', callId: callId }), true, NEGOTIATING),
    callStateReport(
      run(dial, { type: 'accepted', callId: callId }, { type: 'connected', callId: callId, at: 1 }),
      true,
      NEGOTIATING,
    ),
  ];
  for (const report of reports) expect(CallStateReport.safeParse(report).success).toBe(true);
  expect(reports.map((r) => r.phase)).toEqual([
    'idle',
    'incoming',
    'outgoing',
    'in_call',
    'in_call',
  ]);
  expect(reports[0]).toEqual({
    phase: 'idle',
    callId: null,
    peer: null,
    media: null,
    muted: false,
    endedAs: null,
    e2ee: null,
  });
  expect(reports[1]).toEqual({
    phase: 'incoming',
    callId: callId,
    peer: bob,
    media: 'video',
    muted: false,
    endedAs: null,
    e2ee: null,
  });
  expect(reports[4]!.muted).toBe(true);
});

test('how a call ended: missed, declined, answered or other', () => {
  const connected: CallEvent[] = [
    incoming,
    { type: 'accepted', callId: callId },
    { type: 'connected', callId: callId, at: 1_000 },
  ];
  const endedAs = (state: CallMachineState) => callStateReport(state, false, NEGOTIATING).endedAs;
  expect(endedAs(run(incoming, ended('missed')))).toBe('missed');
  expect(endedAs(run(incoming, ended('declined')))).toBe('declined');
  expect(endedAs(run(dial, ended('declined')))).toBe('declined');
  expect(endedAs(run(incoming, ended('answered_elsewhere')))).toBe('answered');
  expect(endedAs(run(...connected, ended('hangup')))).toBe('answered');
  expect(endedAs(run(...connected, ended('remote_hangup')))).toBe('answered');
  expect(endedAs(run(dial, ended('cancelled')))).toBe('other');
  expect(endedAs(run(dial, ended('busy')))).toBe('other');
  const idle = callStateReport(run(incoming, ended('missed')), false, NEGOTIATING);
  expect(idle).toEqual({
    phase: 'idle',
    callId: callId,
    peer: bob,
    media: null,
    muted: false,
    endedAs: 'missed',
    e2ee: null,
  });
});

test('only a change is a new report', () => {
  const a = callStateReport(run(incoming), false, NEGOTIATING);
  expect(sameReport(null, a)).toBe(false);
  expect(sameReport(a, callStateReport(run(incoming), false, NEGOTIATING))).toBe(true);
  expect(sameReport(a, callStateReport(run(dial), false, NEGOTIATING))).toBe(false);
});

test("in a call the host sees whether the peer's audio and video decrypt, each on its own", () => {
  const inCall = run(
    incoming,
    { type: 'accepted', callId: callId },
    { type: 'connected', callId: callId, at: 1 },
  );
  const videoFails = { audio: 'encrypted', video: 'decrypt_failed' } as const;
  const report = callStateReport(inCall, false, videoFails);
  expect(CallStateReport.safeParse(report).success).toBe(true);
  expect(report.e2ee).toEqual(videoFails);
  // A change of one kind's state alone is a new report for main.
  const bothFine = callStateReport(inCall, false, { audio: 'encrypted', video: 'encrypted' });
  expect(sameReport(report, bothFine)).toBe(false);
  // Outside a call there is nothing to report.
  expect(callStateReport(run(incoming), false, videoFails).e2ee).toBeNull();
  expect(callStateReport(run(incoming, ended('missed')), false, videoFails).e2ee).toBeNull();
});
