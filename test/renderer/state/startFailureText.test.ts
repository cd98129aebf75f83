import { RelayUnavailableError } from '../../../renderer/call/iceConfiguration';
import { startFailureText } from '../../../renderer/state/startFailureText';
import { UserFacingError } from '../../../renderer/state/UserFacingError';
import { expectSentence } from './sentenceRules';

test.each(['web', 'desktop'] as const)(
  "on the %s, an exception's developer message is not shown; what to do next is",
  (where) => {
    const shown = startFailureText(
      new TypeError("Cannot read properties of undefined (reading 'open')"),
      where,
    );
    expectSentence(shown, 'Cannot read');
    expect(shown).toContain(where === 'web' ? 'Reload the page' : 'Quit Parley and open it again');
  },
);

test('a reason written for the user is shown as it is', () => {
  const reason = 'Parley needs a secure page (https:// or localhost) for its encryption keys.';
  expect(startFailureText(new UserFacingError(reason), 'web')).toBe(reason);
});

test('a non-Error thrown value is not shown either', () => {
  expectSentence(startFailureText('ECONNRESET', 'desktop'), 'ECONNRESET');
});

test('errors written for the user are all marked as such, so calls show them too', () => {
  expect(new RelayUnavailableError()).toBeInstanceOf(UserFacingError);
});
