import { sdpFingerprint, signedFingerprintLinesOnly } from '../../../renderer/keys/sdpFingerprint';
import { randomFingerprint, sdpWithFingerprint } from './testIdentity';

/** A fingerprint line of another hash function (RFC 8122 allows any number of them). */
const otherHash = (name: string, bytes: number) =>
  `a=fingerprint:${name} ${Array.from({ length: bytes }, (_, i) => (i * 7) % 256)
    .map((byte) => byte.toString(16).padStart(2, '0').toUpperCase())
    .join(':')}`;

/** The SDP with `lines` added after its fingerprint line. */
const withLines = (sdp: string, ...lines: string[]) =>
  sdp.replace('a=setup', `${lines.join('\r\n')}\r\na=setup`);

describe('the DTLS fingerprint an SDP commits to (RFC 8122, SHA-256 signed)', () => {
  const signed = randomFingerprint();
  const sdp = sdpWithFingerprint(signed);

  test.each([
    ['one sha-256 line', sdp],
    [
      'a sha-1 and a sha-512 line beside it',
      withLines(sdp, otherHash('sha-1', 20), otherHash('sha-512', 64)),
    ],
    [
      'the other hash first',
      sdp.replace(
        `a=fingerprint:${signed}`,
        `${otherHash('sha-384', 48)}\r\na=fingerprint:${signed}`,
      ),
    ],
    [
      'the same sha-256 value at session and media level',
      sdp.replace('m=audio', `a=fingerprint:${signed}\r\nm=audio`),
    ],
    [
      'a hash function name in upper case',
      sdp.replace('a=fingerprint:sha-256', 'a=fingerprint:SHA-256'),
    ],
    ['lower-case hex', sdp.replace(signed.slice(8), signed.slice(8).toLowerCase())],
  ])('accepted: %s', (_case, input) => {
    expect(sdpFingerprint(input)).toBe(signed);
  });

  test.each([
    ['no fingerprint line', sdp.replace(/a=fingerprint:[^\r]*\r\n/, '')],
    ['only another hash function', sdp.replace(`a=fingerprint:${signed}`, otherHash('sha-1', 20))],
    ['two different sha-256 values', withLines(sdp, `a=fingerprint:${randomFingerprint()}`)],
    ['a sha-256 value of the wrong length', withLines(sdp, otherHash('sha-256', 20))],
    ['a malformed fingerprint line', withLines(sdp, 'a=fingerprint:sha-1 not-hex')],
    ['a fingerprint line without a value', withLines(sdp, 'a=fingerprint:sha-512')],
  ])('refused: %s', (_case, input) => {
    expect(sdpFingerprint(input)).toBeNull();
  });

  test('the browser gets only the signed SHA-256 lines: it cannot pick another hash function', () => {
    const extra = withLines(sdp, otherHash('sha-1', 20), otherHash('sha-512', 64));
    const applied = signedFingerprintLinesOnly(extra);
    expect(applied).toBe(sdp);
    expect(applied.match(/^a=fingerprint:.*$/gm)).toEqual([`a=fingerprint:${signed}`]);
    // An SDP that has nothing else is left as it is, line endings included.
    expect(signedFingerprintLinesOnly(sdp)).toBe(sdp);
    expect(signedFingerprintLinesOnly(sdp.replace(/\r\n/g, '\n'))).toBe(sdp.replace(/\r\n/g, '\n'));
  });
});
