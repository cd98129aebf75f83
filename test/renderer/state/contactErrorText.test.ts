import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import {
  addContactErrorText,
  contactActionErrorText,
} from '../../../renderer/state/contactErrorText';
import { everyFailure, expectSentence, SERVER_FALLBACK } from './sentenceRules';

const developerMessage = 'username: you cannot add yourself';
const refusal = (code: (typeof everyFailure)[number]) => new SignalingError(code, developerMessage);

test.each(everyFailure)('adding a contact refused with %s shows a sentence', (code) => {
  expectSentence(addContactErrorText(refusal(code), 'bob'), developerMessage);
});

test.each(everyFailure)(
  'removing, blocking or unblocking refused with %s shows a sentence',
  (code) => {
    for (const action of ['remove', 'block', 'unblock'] as const) {
      expectSentence(contactActionErrorText(refusal(code), action), developerMessage);
    }
  },
);

test('adding words each refusal contacts.add can get', () => {
  expect(addContactErrorText(refusal('unknown_user'), 'zed')).toBe('There is no user called “zed”');
  expect(addContactErrorText(refusal('contacts_full'), 'zed')).toMatch(/contact list is full/);
  expect(addContactErrorText(refusal('bad_message'), 'me')).toBe(
    "You can't add yourself as a contact.",
  );
  expect(addContactErrorText(refusal('internal'), 'zed')).toBe(SERVER_FALLBACK);
  expect(addContactErrorText(new Error('boom'), 'zed')).toBe('Something went wrong. Try again.');
});

test('blocking words each refusal blocks.add can get', () => {
  expect(contactActionErrorText(refusal('blocks_full'), 'block')).toMatch(/Unblock someone first/);
  expect(contactActionErrorText(refusal('bad_message'), 'block')).toBe("You can't block yourself.");
  expect(contactActionErrorText(refusal('unknown_user'), 'block')).toBe(
    'That user is no longer on Parley.',
  );
  expect(contactActionErrorText(refusal('disconnected'), 'unblock')).toBe(
    "Couldn't unblock them. Parley couldn't reach the server. Check your connection and try again.",
  );
});
