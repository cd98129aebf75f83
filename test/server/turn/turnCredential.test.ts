import { createHash } from 'node:crypto';
import { mintTurnCredential } from '../../../server/turn/turnCredential';

/** HMAC-SHA1 built from SHA-1 by hand (RFC 2104), independent of node's createHmac. */
function hmacSha1(key: Buffer, message: Buffer): Buffer {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha1').update(key).digest() : key).copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte));
  const inner = createHash('sha1').update(pad(0x36)).update(message).digest();
  return createHash('sha1').update(pad(0x5c)).update(inner).digest();
}

test('the username is "<expiry>:<user id>" and the password its HMAC-SHA1 under the secret', () => {
  const secret = 'north-wind-secret';
  const credential = mintTurnCredential(secret, 17, 1_800_000_000);
  expect(credential.username).toBe('1800000000:17');
  expect(credential.credential).toBe(
    hmacSha1(Buffer.from(secret), Buffer.from('1800000000:17')).toString('base64'),
  );
});

test('RFC 2202 test case 2 checks the hand-built HMAC itself', () => {
  expect(
    hmacSha1(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')).toString('hex'),
  ).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
});

test('another secret, user or expiry gives another password', () => {
  const base = mintTurnCredential('a', 1, 100).credential;
  expect(mintTurnCredential('b', 1, 100).credential).not.toBe(base);
  expect(mintTurnCredential('a', 2, 100).credential).not.toBe(base);
  expect(mintTurnCredential('a', 1, 101).credential).not.toBe(base);
});
