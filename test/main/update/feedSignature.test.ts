import { generateKeyPairSync, sign } from 'node:crypto';
import {
  FeedRefusedError,
  feedPublicKey,
  verifyFeedSignature,
} from '../../../main/update/feedSignature';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const pinned = feedPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
const feed = Buffer.from('version: 0.2.0\npath: Parley-0.2.0.AppImage\n');
const signature = sign(null, feed, privateKey).toString('base64');

describe('the feed signature', () => {
  it('accepts the signature over the exact bytes, with or without a final newline', () => {
    expect(() => verifyFeedSignature('latest.yml', feed, signature, pinned)).not.toThrow();
    expect(() => verifyFeedSignature('latest.yml', feed, `${signature}\n`, pinned)).not.toThrow();
  });

  it.each([
    ['one byte more', Buffer.concat([feed, Buffer.from(' ')]), signature],
    ['a signature cut short', feed, signature.slice(0, 40)],
    ['an empty signature file', feed, ''],
    ['a signature file that is not base64', feed, `${signature.slice(0, 80)}!!!!!!==`],
  ])('refuses %s with a FeedRefusedError', (_what, bytes, text) => {
    expect(() => verifyFeedSignature('latest.yml', bytes, text, pinned)).toThrow(FeedRefusedError);
  });

  it('pins only an Ed25519 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(() => feedPublicKey(rsa.export({ type: 'spki', format: 'pem' }).toString())).toThrow(
      'the update feed key must be Ed25519, not rsa',
    );
  });
});
