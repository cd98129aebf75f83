import { CallStateReport } from '../../../protocol';
import { NEGOTIATING, type E2eeStatus } from '../../../renderer/call/E2eeStatusTracker';
import {
  callStateReport,
  currentCallReport,
  groupCallReport,
  reportToMain,
  sameReport,
  type CallsHere,
} from '../../../renderer/desktop/callStateReport';
import type { CurrentCall } from '../../../renderer/state/CurrentCall';
import type { GroupCallView, ParticipantTile } from '../../../renderer/state/groupCallView';
import { LocalMember } from '../../../renderer/state/localMember/LocalMember';
import type { IncomingRoomInvite, RoomInviteEnded } from '../../../renderer/state/RoomClient';
import {
  initialCallState,
  nextCallState,
  type CallEndReason,
  type CallEvent,
  type CallMachineState,
} from '../../../renderer/state/callStateMachine';
import { groupCallView, participantTile } from '../state/groupCallViewSamples';

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

/** Our member in the current call, its microphone `muted` or not. */
function memberMuted(muted: boolean): LocalMember {
  const member = new LocalMember();
  member.muted.value = muted;
  return member;
}

/** The 1:1 call in `state` (dialled, connecting or on) as the current call. */
function oneToOneCall(state: CallMachineState, muted = false, e2ee: E2eeStatus = NEGOTIATING) {
  const { view } = state;
  if (view.kind === 'idle' || view.kind === 'incoming') throw new Error('not a current call');
  const call: CurrentCall = {
    kind: 'pair',
    callId: view.callId,
    view,
    e2ee,
    member: memberMuted(muted),
    hangUp: () => undefined,
  };
  return call;
}

/** The group call `view` as the current call. */
function groupCall(view: GroupCallView, muted = false): CurrentCall {
  return {
    kind: 'group',
    callId: view.callId,
    view,
    member: memberMuted(muted),
    hangUp: () => undefined,
  };
}

/** Calls here: none unless `calls` says otherwise. */
const here = (calls: Partial<CallsHere>): CallsHere => ({
  current: null,
  oneToOne: initialCallState,
  groupInvite: null,
  groupInviteEnded: null,
  ...calls,
});

test('each phase is reported with the call, the peer and the media; every report passes the IPC schema', () => {
  const reports = [
    callStateReport(initialCallState),
    callStateReport(run(incoming)),
    currentCallReport(oneToOneCall(run(dial))),
    currentCallReport(oneToOneCall(run(dial, { type: 'accepted', callId: callId }), true)),
    currentCallReport(
      oneToOneCall(
        run(
          dial,
          { type: 'accepted', callId: callId },
          { type: 'connected', callId: callId, at: 1 },
        ),
        true,
      ),
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
    group: null,
  });
  expect(reports[1]).toEqual({
    phase: 'incoming',
    callId: callId,
    peer: bob,
    media: 'video',
    muted: false,
    endedAs: null,
    e2ee: null,
    group: null,
  });
  expect(reports[4]!.muted).toBe(true);
});

test('how a call ended: missed, declined, answered or other', () => {
  const connected: CallEvent[] = [
    incoming,
    { type: 'accepted', callId: callId },
    { type: 'connected', callId: callId, at: 1_000 },
  ];
  const endedAs = (state: CallMachineState) => callStateReport(state).endedAs;
  expect(endedAs(run(incoming, ended('missed')))).toBe('missed');
  expect(endedAs(run(incoming, ended('declined')))).toBe('declined');
  expect(endedAs(run(dial, ended('declined')))).toBe('declined');
  expect(endedAs(run(incoming, ended('answered_elsewhere')))).toBe('answered');
  expect(endedAs(run(...connected, ended('hangup')))).toBe('answered');
  expect(endedAs(run(...connected, ended('remote_hangup')))).toBe('answered');
  expect(endedAs(run(dial, ended('cancelled')))).toBe('other');
  expect(endedAs(run(dial, ended('busy')))).toBe('other');
  const idle = callStateReport(run(incoming, ended('missed')));
  expect(idle).toEqual({
    phase: 'idle',
    callId: callId,
    peer: bob,
    media: null,
    muted: false,
    endedAs: 'missed',
    e2ee: null,
    group: null,
  });
});

test('only a change is a new report', () => {
  const a = callStateReport(run(incoming));
  expect(sameReport(null, a)).toBe(false);
  expect(sameReport(a, callStateReport(run(incoming)))).toBe(true);
  expect(sameReport(a, currentCallReport(oneToOneCall(run(dial))))).toBe(false);
});

test("in a call the host sees whether the peer's audio and video decrypt, each on its own", () => {
  const inCall = run(
    incoming,
    { type: 'accepted', callId: callId },
    { type: 'connected', callId: callId, at: 1 },
  );
  const videoFails = { audio: 'encrypted', video: 'decrypt_failed' } as const;
  const report = currentCallReport(oneToOneCall(inCall, false, videoFails));
  expect(CallStateReport.safeParse(report).success).toBe(true);
  expect(report.e2ee).toEqual(videoFails);
  // A change of one kind's state alone is a new report for main.
  const bothFine = currentCallReport(
    oneToOneCall(inCall, false, { audio: 'encrypted', video: 'encrypted' }),
  );
  expect(sameReport(report, bothFine)).toBe(false);
  // Outside a call there is nothing to report.
  expect(currentCallReport(oneToOneCall(run(dial), false, videoFails)).e2ee).toBeNull();
  expect(callStateReport(run(incoming)).e2ee).toBeNull();
  expect(callStateReport(run(incoming, ended('missed'))).e2ee).toBeNull();
});

describe('a group call ringing here is reported to main as a ringing call', () => {
  const groupCallId = '0b6f4c1e-8d2a-4e7b-9c3f-5a1d2e3f4a5b';
  const member = (slot: number, username: string, displayName: string) => ({
    slot,
    user: { username, displayName },
    deviceId: `device-000${slot + 1}`,
  });
  const invite = {
    callId: groupCallId,
    from: { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' },
    media: 'video',
    slot: 2,
    path: 'sfu',
    members: [member(0, 'alice', 'Alice'), member(1, 'carol', 'Carol')],
  } as unknown as IncomingRoomInvite;
  const idle = callStateReport(initialCallState);

  test('naming who invites and who is in the call, in a report the IPC schema takes', () => {
    const report = reportToMain(here({ groupInvite: invite }), idle);
    expect(report).toEqual({
      phase: 'incoming',
      callId: groupCallId,
      peer: { username: 'alice', displayName: 'Alice' },
      media: 'video',
      muted: false,
      endedAs: null,
      e2ee: null,
      group: {
        members: [
          { username: 'alice', displayName: 'Alice' },
          { username: 'carol', displayName: 'Carol' },
        ],
      },
    });
    expect(CallStateReport.safeParse(report).success).toBe(true);
  });

  test('a 1:1 call in progress comes first, as on screen', () => {
    const ringing = callStateReport(run(incoming));
    expect(reportToMain(here({ oneToOne: run(incoming), groupInvite: invite }), idle)).toEqual(
      ringing,
    );
    const dialled = currentCallReport(oneToOneCall(run(dial)));
    const calls = here({
      current: oneToOneCall(run(dial)),
      oneToOne: run(dial),
      groupInvite: invite,
    });
    expect(reportToMain(calls, idle)).toEqual(dialled);
  });

  test('when it stops ringing, main hears how: missed is counted, joined or declined is not', () => {
    const ringing = reportToMain(here({ groupInvite: invite }), idle);
    for (const endedAs of ['missed', 'answered', 'declined', 'other'] as const) {
      const ended: RoomInviteEnded = { invite, endedAs };
      const report = reportToMain(here({ groupInviteEnded: ended }), ringing);
      expect(report).toEqual({
        phase: 'idle',
        callId: groupCallId,
        peer: { username: 'alice', displayName: 'Alice' },
        media: null,
        muted: false,
        endedAs,
        e2ee: null,
        group: null,
      });
      expect(CallStateReport.safeParse(report).success).toBe(true);
      // Once said, idle is the 1:1 report again (an old ending is never told twice).
      expect(reportToMain(here({ groupInviteEnded: ended }), report)).toEqual(idle);
    }
  });
});

describe('the group call we are in is reported to main as a call in progress', () => {
  const groupCallId = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a';
  const tile = (
    slot: number,
    username: string,
    displayName: string,
    state: ParticipantTile['state'],
    self = false,
  ) => participantTile(slot, { username, displayName, state, self });
  const view = (tiles: ParticipantTile[], media: 'audio' | 'video' = 'video') =>
    groupCallView({ callId: groupCallId, media, tiles });
  const me = tile(0, 'alice', 'Alice', 'live', true);
  const threeOfUs = view([
    me,
    tile(1, 'bob', 'Bob Marley', 'live'),
    tile(2, 'carol', 'Carol', 'live'),
  ]);
  const oneToOneIdle = callStateReport(initialCallState);

  test('names the others as the call screen lists them, with our microphone and the media', () => {
    const report = groupCallReport(threeOfUs, true);
    expect(CallStateReport.safeParse(report).success).toBe(true);
    expect(report).toEqual({
      phase: 'in_call',
      callId: groupCallId,
      peer: bob,
      media: 'video',
      muted: true,
      endedAs: null,
      e2ee: { audio: 'encrypted', video: 'encrypted' },
      group: { members: [bob, { username: 'carol', displayName: 'Carol' }] },
    });
    expect(groupCallReport(threeOfUs, false).muted).toBe(false);
  });

  test('alone in the call (the others not in yet) there is no peer and nothing decrypts yet', () => {
    const report = groupCallReport(view([me], 'audio'), false);
    expect(CallStateReport.safeParse(report).success).toBe(true);
    expect(report.peer).toBeNull();
    expect(report.media).toBe('audio');
    expect(report.group).toEqual({ members: [] });
    expect(report.e2ee).toEqual({ audio: 'negotiating', video: 'negotiating' });
  });

  test("summarises the others' decryption: failing if anyone's fails, encrypted once anyone's decrypts", () => {
    const e2ee = (...states: ParticipantTile['state'][]) =>
      groupCallReport(
        view([
          me,
          ...states.map((state, i) => tile(i + 1, `user${i + 1}`, `User ${i + 1}`, state)),
        ]),
        false,
      ).e2ee;
    expect(e2ee('connecting', 'reconnecting')).toEqual({
      audio: 'negotiating',
      video: 'negotiating',
    });
    expect(e2ee('connecting', 'live')).toEqual({ audio: 'encrypted', video: 'encrypted' });
    expect(e2ee('live', 'cant_decrypt')).toEqual({
      audio: 'decrypt_failed',
      video: 'decrypt_failed',
    });
  });

  test('takes the place of any other report while on; its end follows, answered, never missed', () => {
    const inGroup = reportToMain(here({ current: groupCall(threeOfUs) }), oneToOneIdle);
    expect(inGroup.phase).toBe('in_call');
    expect(inGroup.callId).toBe(groupCallId);
    // A 1:1 call that grew shows as the group call it grew into.
    const grownFrom = run(dial, { type: 'accepted', callId }, { type: 'connected', callId, at: 1 });
    expect(
      reportToMain(here({ current: groupCall(threeOfUs), oneToOne: grownFrom }), inGroup),
    ).toEqual(inGroup);

    const left = reportToMain(here({}), inGroup);
    expect(CallStateReport.safeParse(left).success).toBe(true);
    expect(left).toEqual({
      phase: 'idle',
      callId: groupCallId,
      peer: bob,
      media: null,
      muted: false,
      endedAs: 'answered',
      e2ee: null,
      group: null,
    });
    // Once told, main hears the plain idle report again.
    expect(reportToMain(here({}), left)).toEqual(oneToOneIdle);
  });

  test("the call we are in is reported with its member's microphone, a 1:1 call with whether the peer's media decrypts", () => {
    const state = run(dial, { type: 'accepted', callId }, { type: 'connected', callId, at: 1 });
    const videoFails = { audio: 'encrypted', video: 'decrypt_failed' } as const;
    const oneToOne = currentCallReport(oneToOneCall(state, true, videoFails));
    expect(CallStateReport.safeParse(oneToOne).success).toBe(true);
    expect(oneToOne).toMatchObject({ phase: 'in_call', callId, muted: true, e2ee: videoFails });
    expect(currentCallReport(oneToOneCall(state, false, videoFails)).muted).toBe(false);
    // Dialling, a muted microphone is not told yet (as the 1:1 report says it in a call only).
    expect(currentCallReport(oneToOneCall(run(dial), true))).toMatchObject({
      phase: 'outgoing',
      muted: false,
      e2ee: null,
    });
    expect(currentCallReport(groupCall(threeOfUs, true))).toMatchObject({
      phase: 'in_call',
      callId: groupCallId,
      muted: true,
    });
    expect(currentCallReport(groupCall(threeOfUs, false)).muted).toBe(false);
  });

  test('a 1:1 call still on once the group call is over is reported as itself', () => {
    const inGroup = groupCallReport(threeOfUs, false);
    const state = run(dial, { type: 'accepted', callId }, { type: 'connected', callId, at: 1 });
    const oneToOne = currentCallReport(oneToOneCall(state));
    expect(reportToMain(here({ current: oneToOneCall(state), oneToOne: state }), inGroup)).toEqual(
      oneToOne,
    );
  });
});
