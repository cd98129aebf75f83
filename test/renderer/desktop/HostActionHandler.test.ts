import type { HostAction } from '../../../protocol';
import {
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
