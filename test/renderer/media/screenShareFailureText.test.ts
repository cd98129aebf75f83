import { screenShareFailureText } from '../../../renderer/media/screenShareFailureText';
import { expectSentence } from '../state/sentenceRules';

const failure = (name: string, message: string) => new DOMException(message, name);

test('cancelling the picker says nothing', () => {
  expect(screenShareFailureText(failure('NotAllowedError', 'Permission denied'))).toBeNull();
});

test('nothing to capture (headless Firefox, some Wayland sessions) is said in a sentence', () => {
  const shown = screenShareFailureText(
    failure('NotFoundError', 'The object can not be found here.'),
  );
  expect(shown).toBe('There is no screen or window this browser can share here.');
});

test('an OS refusal says where to allow it', () => {
  const shown = screenShareFailureText(failure('NotAllowedError', 'Permission denied by system'));
  expect(shown).toContain('privacy settings');
});

test.each([
  ['NotReadableError', 'Could not start video source'],
  ['NotSupportedError', 'getDisplayMedia is not supported'],
  ['AbortError', 'Starting video failed'],
  ['Error', 'The shared screen gave no picture'],
])('%s is a sentence, never the browser message', (name, message) => {
  const shown = screenShareFailureText(failure(name, message));
  expect(shown).not.toBeNull();
  expectSentence(shown ?? '', message);
});
