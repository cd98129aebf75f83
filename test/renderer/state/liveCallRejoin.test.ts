import type { LiveCall } from '../../../protocol';
import { rejoinOf, rejoinsGroup, rejoinsOneToOne } from '../../../renderer/state/liveCallRejoin';

// docs/protocol.md "Calls across disconnects": how each call of the sign-in's list comes back on a
// page that has nothing of it, and which side of the client (1:1 or group) takes it back.
const call = (more: Partial<LiveCall> = {}): LiveCall => ({
  callId: '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10',
  peer: { username: 'bob', displayName: 'Bob' },
  media: 'video',
  role: 'caller',
  state: 'accepted',
  answeredAt: 1_764_093_605_000,
  ...more,
});

test.each([
  ['a 1:1 call', call(), 'one_to_one', true, false],
  [
    'a 1:1 call that grew, its third only rung',
    call({ group: { slot: 0, path: 'p2p' } }),
    'grown_on_p2p',
    true,
    true,
  ],
  ['a call on the SFU', call({ group: { slot: 3, path: 'sfu' } }), 'group', false, true],
  ['a 1:1 call that still rings', call({ state: 'ringing', answeredAt: null }), null, false, false],
  [
    'a group call whose creator is still alone',
    call({ state: 'ringing', answeredAt: null, group: { slot: 0, path: 'sfu' } }),
    null,
    false,
    false,
  ],
] as const)('%s', (_name, live, how, oneToOne, group) => {
  expect(rejoinOf(live)).toBe(how);
  expect(rejoinsOneToOne(live)).toBe(oneToOne);
  expect(rejoinsGroup(live)).toBe(group);
});
