import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { checkPeerFingerprint } from '../../../renderer/keys/peerFingerprint';
import { randomFingerprint, sdpWithFingerprint } from './testIdentity';

describe('checkPeerFingerprint (later SDP of a verified peer)', () => {
  const signed = randomFingerprint();

  test('an ICE restart SDP with the certificate the share signed passes, in any hex case', () => {
    expect(() => checkPeerFingerprint(sdpWithFingerprint(signed), signed)).not.toThrow();
    const lower = sdpWithFingerprint(signed).replace(
      signed.slice(8),
      signed.slice(8).toLowerCase(),
    );
    expect(() => checkPeerFingerprint(lower, signed)).not.toThrow();
  });

  test.each([
    ['another certificate', sdpWithFingerprint(randomFingerprint())],
    ['no fingerprint at all', sdpWithFingerprint(signed).replace(/a=fingerprint:.*\r\n/, '')],
    [
      'the signed certificate and another one',
      sdpWithFingerprint(signed).replace(
        'a=setup',
        `a=fingerprint:${randomFingerprint()}\r\na=setup`,
      ),
    ],
  ])('%s is refused as a fingerprint mismatch', (_case, sdp) => {
    expect(() => checkPeerFingerprint(sdp, signed)).toThrow(IdentityVerificationError);
    try {
      checkPeerFingerprint(sdp, signed);
    } catch (error) {
      expect((error as IdentityVerificationError).reason).toBe('fingerprint_mismatch');
    }
  });
});
