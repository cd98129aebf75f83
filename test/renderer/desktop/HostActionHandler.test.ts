import { signal } from '@preact/signals';
import type { HostAction } from '../../../protocol';
import { NEGOTIATING } from '../../../renderer/call/E2eeStatusTracker';
import {
  answerRingingCall,
  handleHostAction,
  routeCallActions,
  type HostActionTargets,
} from '../../../renderer/desktop/HostActionHandler';
import type { CallView } from '../../../renderer/state/callStateMachine';
import {
  currentCallOf,
  type GroupCallLayer,
  type PairCallLayer,
} from '../../../renderer/state/CurrentCall';
import type { GroupCallView } from '../../../renderer/state/groupCallView';
import { LocalMember } from '../../../renderer/state/localMember/LocalMember';
import { groupCallView, participantTile } from '../state/groupCallViewSamples';

const callId = '6f1c2a4e-3b7d-4c55-9a1e-2d3f4b5c6d7e';

function recorder(): { done: string[]; targets: HostActionTargets } {
  const done: string[] = [];
  return {
    done,
    targets: {
      toggleMute: (id) => done.push(`toggleMute:${id}`),
      hangup: (id) => done.push(`hangup:${id}`),
      currentCallId: () => callId,
      accept: (media) => done.push(`accept:${media}`),
      decline: () => done.push('decline'),
      openSettings: () => done.push('openSettings'),
      offerCall: (username) => done.push(`offerCall:${username}`),
      openCallLink: (token) => done.push(`openCallLink:${token}`),
    },
  };
}

test('each action from main reaches its one target', () => {
  const actions: HostAction[] = [
    { kind: 'toggleMute', callId },
    { kind: 'hangUp', callId },
    { kind: 'acceptCall', media: 'audio' },
    { kind: 'declineCall' },
    { kind: 'openSettings' },
  ];
  const { done, targets } = recorder();
  for (const action of actions) handleHostAction(action, targets);
  expect(done).toEqual([
    `toggleMute:${callId}`,
    `hangup:${callId}`,
    'accept:audio',
    'decline',
    'openSettings',
  ]);
});

test('callUser (a deep link) only offers the call; nothing dials', () => {
  const { done, targets } = recorder();
  handleHostAction({ kind: 'callUser', username: 'bob' }, targets);
  expect(done).toEqual(['offerCall:bob']);
});

test('openCallLink (a deep link) only opens the link for the user to decide; nothing joins', () => {
  const { done, targets } = recorder();
  handleHostAction({ kind: 'openCallLink', token: 'AbCdEfGhIjKlMnOpQrStUv' }, targets);
  expect(done).toEqual(['openCallLink:AbCdEfGhIjKlMnOpQrStUv']);
});

describe('accept and decline from main answer the call that rings', () => {
  function ringingCalls(oneToOne: boolean, group: boolean) {
    const done: string[] = [];
    const answers = (name: string, ringing: boolean) => ({
      ringing: () => ringing,
      accept: (media: string) => done.push(`${name}:accept:${media}`),
      decline: () => done.push(`${name}:decline`),
    });
    return { done, targets: answerRingingCall(answers('1:1', oneToOne), answers('group', group)) };
  }

  test('a group call ringing alone is joined or declined', () => {
    const { done, targets } = ringingCalls(false, true);
    targets.accept('audio');
    targets.decline();
    expect(done).toEqual(['group:accept:audio', 'group:decline']);
  });

  test('a 1:1 call ringing is answered, even while a group call rings too', () => {
    for (const group of [false, true]) {
      const { done, targets } = ringingCalls(true, group);
      targets.accept('video');
      targets.decline();
      expect(done).toEqual(['1:1:accept:video', '1:1:decline']);
    }
  });
});

describe('mute and hang up act on the call under way, and only on it', () => {
  const groupCallId = '0b9e8d7c-6a5b-4c3d-8e2f-1a0b9c8d7e6f';
  const oneToOneCallId = callId;

  /** Our member in a call, recording the microphone state a user would hear (`name:muted`). */
  function recordingMember(name: string, done: string[]): LocalMember {
    const member = new LocalMember();
    member.attach({
      localStream: { id: 'self view' } as unknown as MediaStream,
      hasVideo: false,
      setMicrophoneEnabled: (on) => void done.push(`${name}:${on ? 'unmuted' : 'muted'}`),
      setCameraEnabled: () => undefined,
    });
    return member;
  }

  /**
   * The group layer in call `groupId` and the pair layer in 1:1 call `oneToOneId` (null: not in
   * one), each recording what was done to it; the actions route through the current call.
   */
  function calls(groupId: string | null, oneToOneId: string | null) {
    const done: string[] = [];
    const groupView = signal<GroupCallView | null>(
      groupId === null ? null : groupCallView({ callId: groupId, tiles: [participantTile(0)] }),
    );
    const group: GroupCallLayer = {
      view: groupView,
      member: recordingMember('group', done),
      leave: () => {
        groupView.value = null;
        done.push('group:left');
      },
    };
    const idle: CallView = { kind: 'idle' };
    const oneToOneView = signal<CallView>(
      oneToOneId === null
        ? idle
        : {
            kind: 'in_call',
            callId: oneToOneId,
            peer: { username: 'bob', displayName: 'Bob' },
            media: 'audio',
            direction: 'outgoing',
            connectedAt: 1_000,
          },
    );
    const oneToOne: PairCallLayer = {
      view: oneToOneView,
      media: recordingMember('1:1', done),
      e2eeStatus: signal(NEGOTIATING),
      hangup: () => {
        oneToOneView.value = idle;
        done.push('1:1:left');
      },
    };
    const current = currentCallOf(oneToOne, group);
    return { done, group, oneToOne, targets: routeCallActions(() => current.value) };
  }

  test('in a group call, mute toggles its microphone and hang up leaves it', () => {
    const { done, targets } = calls(groupCallId, null);
    expect(targets.currentCallId()).toBe(groupCallId);
    targets.toggleMute(groupCallId);
    targets.toggleMute(groupCallId);
    targets.toggleMute(groupCallId);
    targets.hangup(groupCallId);
    expect(done).toEqual(['group:muted', 'group:unmuted', 'group:muted', 'group:left']);
    expect(targets.currentCallId()).toBeNull();
  });

  test('a 1:1 call grown into a group call is handled as the group call it shows as', () => {
    const { done, targets } = calls(groupCallId, oneToOneCallId);
    targets.toggleMute(groupCallId);
    targets.hangup(groupCallId);
    expect(done).toEqual(['group:muted', 'group:left']);
  });

  test('without a group call, the 1:1 call is muted and hung up', () => {
    const { done, targets } = calls(null, oneToOneCallId);
    expect(targets.currentCallId()).toBe(oneToOneCallId);
    targets.toggleMute(oneToOneCallId);
    targets.hangup(oneToOneCallId);
    expect(done).toEqual(['1:1:muted', '1:1:left']);
  });

  test('an action naming another call (stale or hostile) changes nothing', () => {
    const { done, group, oneToOne, targets } = calls(groupCallId, oneToOneCallId);
    // The 1:1 call under the group call is not the current one; an unknown call is no call.
    for (const id of [oneToOneCallId, 'ffffffff-ffff-4fff-8fff-ffffffffffff']) {
      targets.toggleMute(id);
      targets.hangup(id);
    }
    expect(done).toEqual([]);
    expect(group.view.value?.callId).toBe(groupCallId);
    expect(group.member.muted.value).toBe(false);
    expect(oneToOne.view.value).toMatchObject({ kind: 'in_call', callId: oneToOneCallId });
    expect(oneToOne.media.muted.value).toBe(false);
  });

  test('without any call, nothing is current and nothing happens', () => {
    const { done, targets } = calls(null, null);
    expect(targets.currentCallId()).toBeNull();
    targets.toggleMute(groupCallId);
    targets.hangup(groupCallId);
    expect(done).toEqual([]);
  });
});
