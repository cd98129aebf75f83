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
    expect(new MediaAccessError(new DOMException('failed', name), 'camera').reason).toBe(reason);
  });

  test('something that is not an error at all is a generic failure', () => {
    expect(mediaFailureReason('nope')).toBe('error');
  });

  test('the peer is told which input failed, and whether it was refused or not there', () => {
    const refused = new MediaAccessError(new DOMException('no', 'NotAllowedError'), 'microphone');
    expect(refused.failure).toBe('microphone_denied');
    const missing = new MediaAccessError(new DOMException('none', 'NotFoundError'), 'camera');
    expect(missing.failure).toBe('camera_unavailable');
    const busy = new MediaAccessError(new DOMException('busy', 'NotReadableError'), 'camera');
    expect(busy.failure).toBe('camera_unavailable');
  });
});
