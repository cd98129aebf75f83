import { MediaAccessError, mediaFailureReason } from '../../../renderer/call/mediaErrors';

describe('getUserMedia failures', () => {
  test.each([
    ['NotAllowedError', 'permission_denied'],
    ['SecurityError', 'permission_denied'],
    ['NotFoundError', 'no_device'],
    ['OverconstrainedError', 'no_device'],
    ['NotReadableError', 'no_device'],
    ['TypeError', 'error'],
  ])('%s ends the call as %s', (name, reason) => {
    expect(mediaFailureReason(new DOMException('failed', name))).toBe(reason);
    expect(new MediaAccessError(new DOMException('failed', name)).reason).toBe(reason);
  });

  test('something that is not an error at all is a generic failure', () => {
    expect(mediaFailureReason('nope')).toBe('error');
  });
});
