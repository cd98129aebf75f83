import { randomBytes } from 'node:crypto';
import { deviceKeyFingerprint } from '../../../main/linking/deviceKeyFingerprint';
import { deviceKeyFingerprint as rendererFingerprint } from '../../../renderer/identity/deviceKeyFingerprint';

describe("main's device key fingerprint", () => {
  it('is the fingerprint both devices show while linking, for any key', async () => {
    for (let i = 0; i < 20; i += 1) {
      const key = randomBytes(32).toString('base64');
      expect(deviceKeyFingerprint(key)).toBe(await rendererFingerprint(key));
    }
  });

  it('is 80 bits of SHA-256 in upper-case groups of 4, and differs for another key', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    // SHA-256 of 32 bytes of 0x01 starts 72cd6e8422c407fb6d098690f1130b7d.
    expect(deviceKeyFingerprint(key)).toBe('72CD 6E84 22C4 07FB 6D09');
    expect(deviceKeyFingerprint(Buffer.alloc(32, 2).toString('base64'))).not.toBe(
      deviceKeyFingerprint(key),
    );
  });
});
