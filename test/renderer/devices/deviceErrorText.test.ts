import { deviceErrorText, linkApprovalErrorText } from '../../../renderer/devices/deviceErrorText';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { everyFailure, expectSentence, SERVER_FALLBACK } from '../state/sentenceRules';

const developerMessage = 'deviceId: this is the asking device';
const refusal = (code: (typeof everyFailure)[number]) => new SignalingError(code, developerMessage);

test.each(everyFailure)('a device or link refusal %s shows a sentence', (code) => {
  expectSentence(deviceErrorText(refusal(code)), developerMessage);
  expectSentence(linkApprovalErrorText(refusal(code)), developerMessage);
});

test('removing a device words each refusal devices.remove can get', () => {
  expect(deviceErrorText(refusal('unknown_device'))).toBe('No such device on this account.');
  expect(deviceErrorText(refusal('device_is_current'))).toBe(
    'To remove this device, sign out instead.',
  );
  expect(deviceErrorText(refusal('last_device'))).toMatch(/only device/);
  expect(deviceErrorText(refusal('internal'))).toBe(SERVER_FALLBACK);
});

test('approving a link words each refusal link.lookup and link.approve can get', () => {
  expect(linkApprovalErrorText(refusal('link_code_invalid'))).toMatch(/wrong or has expired/);
  expect(linkApprovalErrorText(refusal('bad_certificate'))).toMatch(/Start linking again/);
  expect(linkApprovalErrorText(new Error('keychain locked'))).toBe(
    'Something went wrong. Try again.',
  );
});
