import { isolateName } from '../../../protocol';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { groupRejoinFailureText } from '../../../renderer/state/groupRejoinFailure';

// What the screen of a 1:1 call says when its group side could not be rejoined after a reload:
// why, in the user's words, and that the call with the other party goes on.
const bob = { username: 'bob', displayName: 'Bob Marley' };
const goesOn = `Your call with ${isolateName('Bob Marley')} goes on.`;

test.each([
  [
    new SignalingError('not_in_call', 'You are not part of this call.'),
    `You are no longer in the group call, so it could not be rejoined. ${goesOn}`,
  ],
  [
    new SignalingError('timeout', 'No answer'),
    `The group call could not be rejoined: Parley couldn't reach the server. ${goesOn}`,
  ],
  [new SignalingError('call_state', 'Not now'), `The group call could not be rejoined. ${goesOn}`],
  [new Error('keys failed'), `The group call could not be rejoined. ${goesOn}`],
])('%s', (error, text) => {
  expect(groupRejoinFailureText(bob, error)).toBe(text);
});

test('no server wording reaches the user', () => {
  const text = groupRejoinFailureText(bob, new SignalingError('call_state', 'slot 3 is taken'));
  expect(text).not.toContain('slot');
});
