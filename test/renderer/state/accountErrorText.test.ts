import { LinkRejectedError } from '../../../renderer/signaling/linkFlow';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import {
  newDeviceLinkErrorText,
  registerErrorText,
  renameErrorText,
  signInErrorText,
} from '../../../renderer/state/accountErrorText';
import { everyFailure, expectSentence, SERVER_FALLBACK } from './sentenceRules';

// What the server says to developers, which must never reach the screen.
const developerMessage = 'username: alice is taken';
const refusal = (code: (typeof everyFailure)[number], retryAfterMs?: number) =>
  new SignalingError(code, developerMessage, retryAfterMs);

describe.each([
  ['registering', registerErrorText],
  ['signing in', signInErrorText],
  ['renaming', renameErrorText],
  ['linking this device', newDeviceLinkErrorText],
])('%s', (_what, text) => {
  test.each(everyFailure)('%s is a sentence, never the server message or the code', (code) => {
    expectSentence(text(refusal(code)), developerMessage);
  });

  test("an exception's developer message is not shown", () => {
    expectSentence(text(new TypeError('Cannot read properties of undefined')), 'Cannot read');
  });
});

test('registering words each refusal auth.register can get', () => {
  expect(registerErrorText(refusal('username_taken'))).toBe(
    'That username is taken. Choose another one.',
  );
  expect(registerErrorText(refusal('bad_message'))).toMatch(/Usernames have 3-32 characters/);
  expect(registerErrorText(refusal('too_many_attempts', 120_000))).toBe(
    'There have been too many attempts from this network. Try again in 2 minutes.',
  );
  expect(registerErrorText(refusal('disconnected'))).toMatch(/couldn't reach the server/);
  expect(registerErrorText(refusal('internal'))).toBe(SERVER_FALLBACK);
});

test('signing in words a challenge that ran out and an old app', () => {
  expect(signInErrorText(refusal('challenge_expired'))).toMatch(/took too long/);
  expect(signInErrorText(refusal('unsupported_version'))).toMatch(/Update Parley/);
  expect(signInErrorText(refusal('timeout'))).toMatch(/Check your connection/);
});

test('a name the server refuses says what names may be', () => {
  expect(renameErrorText(refusal('bad_message'))).toBe(
    "That name can't be used. Names have 1-64 characters and no control characters.",
  );
  expect(renameErrorText(refusal('rate_limited'))).toBe(
    "You're doing that too often. Wait a moment and try again.",
  );
});

test('linking this device says when the code expired or was declined', () => {
  expect(newDeviceLinkErrorText(refusal('link_code_invalid'))).toBe(
    'The link code expired. Start again to get a new one.',
  );
  expect(newDeviceLinkErrorText(new LinkRejectedError('rejected'))).toBe(
    'The link was declined on your other device.',
  );
});
