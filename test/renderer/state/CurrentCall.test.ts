import { computed, signal } from '@preact/signals';
import { NEGOTIATING } from '../../../renderer/call/E2eeStatusTracker';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import {
  initialCallState,
  nextCallState,
  type CallEvent,
} from '../../../renderer/state/callStateMachine';
import { currentCallOf, type PairCallLayer } from '../../../renderer/state/CurrentCall';
import type { LocalMember } from '../../../renderer/state/localMember/LocalMember';
import { FakeOneToOneCall, answerCreateAlone, roomClientPage } from './roomClientPage';
import { settle } from './settle';

// The grown call's key agreement is real Web Crypto work: a busy machine is slow.
jest.setTimeout(30_000);

const bob = { username: 'bob', displayName: 'Bob Marley' };
const callId = '6f1c2a4e-3b7d-4c55-9a1e-2d3f4b5c6d7e';
const ringingId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/**
 * The pair layer (CallController) as the current call reads it: its call as the real call state
 * machine runs it (`run`), our member in it (`media`, a new one once a grown call took it on),
 * and its hang-up, which ends the call (`hungUp` names each call hung up).
 */
function pairLayer(member: LocalMember = new CallMediaControls()) {
  const machine = signal(initialCallState);
  const media = signal(member);
  const hungUp: string[] = [];
  const run = (...events: CallEvent[]) => {
    for (const event of events) machine.value = nextCallState(machine.value, event);
  };
  const layer: PairCallLayer = {
    view: computed(() => machine.value.view),
    get media() {
      return media.value;
    },
    e2eeStatus: signal(NEGOTIATING),
    hangup: () => {
      const view = machine.value.view;
      if (view.kind === 'idle') return;
      hungUp.push(view.callId);
      run({ type: 'ended', callId: view.callId, reason: 'hangup', at: 2_000 });
    },
  };
  return { layer, run, media, hungUp };
}

/** The 1:1 call `id` answered and connected. */
const answered = (id: string): CallEvent[] => [
  { type: 'dial', callId: id, peer: bob, media: 'video' },
  { type: 'accepted', callId: id },
  { type: 'connected', callId: id, at: 1_000 },
];

test('a 1:1 call is the current call while dialled, connecting and on, not while it rings here; hang up ends it', async () => {
  const pair = pairLayer();
  const s = await roomClientPage('alice');
  try {
    const current = currentCallOf(pair.layer, s.client);
    expect(current.value).toBeNull();

    // A call ringing here is not the call the user is in: mute and hang up have nothing to act on.
    pair.run({ type: 'invited', callId: ringingId, peer: bob, media: 'audio' });
    expect(current.value).toBeNull();
    pair.run({ type: 'ended', callId: ringingId, reason: 'declined', at: 500 });

    pair.run({ type: 'dial', callId, peer: bob, media: 'video' });
    expect(current.value).toMatchObject({ kind: 'pair', callId, view: { kind: 'outgoing' } });
    expect(current.value!.member).toBe(pair.media.value);
    pair.run({ type: 'accepted', callId });
    expect(current.value).toMatchObject({ kind: 'pair', callId, view: { kind: 'connecting' } });
    pair.run({ type: 'connected', callId, at: 1_000 });
    expect(current.value).toMatchObject({ kind: 'pair', callId, view: { kind: 'in_call' } });
    expect(current.value!.member).toBe(pair.media.value);

    current.value!.hangUp();
    expect(pair.hungUp).toEqual([callId]);
    expect(current.value).toBeNull();
  } finally {
    s.client.onSignedOut();
  }
});

test('a group call is the current call while we are in it, even with a 1:1 call ringing here; hang up leaves it', async () => {
  const pair = pairLayer();
  const s = await roomClientPage('alice');
  try {
    const current = currentCallOf(pair.layer, s.client);
    answerCreateAlone(s);
    await s.client.create('audio', []);
    const groupCallId = s.server.of('room.create')[0]!.callId;
    expect(current.value).toMatchObject({ kind: 'group', callId: groupCallId });
    expect(current.value!.member).toBe(s.client.member);
    expect(current.value!.view).toBe(s.client.view.value);

    pair.run({ type: 'invited', callId: ringingId, peer: bob, media: 'audio' });
    expect(current.value).toMatchObject({ kind: 'group', callId: groupCallId });

    current.value!.hangUp();
    expect(s.server.of('room.leave')).toEqual([expect.objectContaining({ callId: groupCallId })]);
    expect(pair.hungUp).toEqual([]);
    expect(current.value).toBeNull();
  } finally {
    s.client.onSignedOut();
  }
});

test('a 1:1 call that grows is the group call from then on, with the same member before and after; none once left', async () => {
  const call = await FakeOneToOneCall.start();
  const pair = pairLayer(call.member);
  pair.run(...answered(call.callId));
  const s = await roomClientPage('alice', {}, { oneToOneCall: call.growable });
  try {
    const current = currentCallOf(pair.layer, s.client);
    expect(current.value).toMatchObject({ kind: 'pair', callId: call.callId });
    expect(current.value!.member).toBe(call.member);

    await s.client.invite(['carol']);
    await settle(() => s.client.view.value !== null);
    expect(current.value).toMatchObject({ kind: 'group', callId: s.client.view.value!.callId });
    expect(current.value!.member).toBe(call.member);

    // The 1:1 connection handed over (CallController: the call leaves its screen, its next member
    // a new one); mute acts on the group call's member, the 1:1 call's own.
    pair.run({ type: 'grown', callId: call.callId });
    pair.media.value = new CallMediaControls();
    expect(current.value!.member).toBe(call.member);
    current.value!.member.toggleMute();
    expect(s.client.view.value!.tiles.find((t) => t.self)).toMatchObject({ microphoneOn: false });
    expect(call.asked).toEqual(['microphone:false']);
    expect(pair.media.value.muted.value).toBe(false);

    // Left (signed out): no call is current.
    s.client.onSignedOut();
    expect(current.value).toBeNull();
  } finally {
    s.client.onSignedOut();
  }
});
