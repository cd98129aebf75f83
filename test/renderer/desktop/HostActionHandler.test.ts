import type { HostAction } from '../../../protocol';
import {
  answerRingingCall,
  handleHostAction,
  type HostActionTargets,
} from '../../../renderer/desktop/HostActionHandler';

function recorder(): { done: string[]; targets: HostActionTargets } {
  const done: string[] = [];
  return {
    done,
    targets: {
      toggleMute: () => done.push('toggleMute'),
      hangup: () => done.push('hangup'),
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
    { kind: 'toggleMute' },
    { kind: 'hangUp' },
    { kind: 'acceptCall', media: 'audio' },
    { kind: 'declineCall' },
    { kind: 'openSettings' },
  ];
  const { done, targets } = recorder();
  for (const action of actions) handleHostAction(action, targets);
  expect(done).toEqual(['toggleMute', 'hangup', 'accept:audio', 'decline', 'openSettings']);
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
