import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyUser } from './parleyUser';
import { pollUntil } from './pollUntil';

/**
 * Fault injection, in one page only: every X25519 agreement yields random bytes instead of the
 * shared secret, so that device derives SFrame keys no peer has while signaling, signatures and
 * media all work. Counts the agreements it spoiled so the test knows the fault was hit. An init
 * script: it must stay self-contained (it is serialized).
 */
export function deriveWrongX25519Secrets(): void {
  const subtle = SubtleCrypto.prototype;
  const deriveBits = subtle.deriveBits;
  const deriveKey = subtle.deriveKey;
  const state = { spoiled: 0 };
  Object.defineProperty(window, '__spoiledX25519Agreements', { get: () => state.spoiled });
  const isX25519 = (algorithm: AlgorithmIdentifier) =>
    (typeof algorithm === 'string' ? algorithm : algorithm.name).toUpperCase() === 'X25519';
  subtle.deriveBits = function (
    this: SubtleCrypto,
    algorithm: AlgorithmIdentifier,
    baseKey: CryptoKey,
    length?: number | null,
  ): Promise<ArrayBuffer> {
    if (!isX25519(algorithm)) return deriveBits.call(this, algorithm as never, baseKey, length);
    state.spoiled++;
    return Promise.resolve(crypto.getRandomValues(new Uint8Array((length ?? 256) / 8)).buffer);
  } as SubtleCrypto['deriveBits'];
  subtle.deriveKey = function (
    this: SubtleCrypto,
    algorithm: AlgorithmIdentifier,
    baseKey: CryptoKey,
    derivedKeyType: AlgorithmIdentifier,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKey> {
    if (!isX25519(algorithm)) {
      return deriveKey.call(
        this,
        algorithm as never,
        baseKey,
        derivedKeyType as never,
        extractable,
        keyUsages,
      );
    }
    state.spoiled++;
    const keyType = typeof derivedKeyType === 'string' ? derivedKeyType : derivedKeyType.name;
    // HKDF keys can only be imported as non-extractable.
    return this.importKey(
      'raw',
      crypto.getRandomValues(new Uint8Array(32)),
      derivedKeyType,
      keyType.toUpperCase() === 'HKDF' ? false : extractable,
      keyUsages,
    );
  } as SubtleCrypto['deriveKey'];
}

/** How many X25519 agreements the page's fault injection spoiled so far. */
export function spoiledAgreements(user: ParleyUser): Promise<number> {
  return user.port.evaluate(
    () => (window as unknown as { __spoiledX25519Agreements: number }).__spoiledX25519Agreements,
    undefined,
  );
}

/** How long "still no frame" is watched: well past the 2 s decrypt-failure threshold. */
const OBSERVATION_MS = 4_000;

/**
 * Two users in a call whose keys do not match: video packets keep reaching each of them, yet not
 * one frame decodes, and each call screen says it cannot decrypt the other (named).
 */
export async function expectNothingDecodedEitherWay(
  pair: readonly [ParleyUser, ParleyUser],
): Promise<void> {
  for (const user of pair) {
    await pollUntil(
      () => user.readInboundMedia(),
      (media) => media.videoPacketsReceived > 0,
      `video packets to reach ${user.username}`,
    );
  }
  const first = await Promise.all(pair.map((user) => user.readInboundMedia()));
  await new Promise((resolve) => setTimeout(resolve, OBSERVATION_MS));
  const later = await Promise.all(pair.map((user) => user.readInboundMedia()));
  pair.forEach((_user, i) => {
    expect(later[i]!.videoPacketsReceived).toBeGreaterThan(first[i]!.videoPacketsReceived);
    expect(later[i]!.videoFramesDecoded).toBe(0);
  });
  for (const [user, peer] of [pair, [pair[1], pair[0]]] as const) {
    await user.waitForAttribute(testIds.e2eeStatus, 'data-state', 'decrypt_failed');
    const sentence = await user.readText(testIds.e2eeStatus);
    expect(sentence).toMatch(/decrypt/i);
    expect(sentence).toContain(peer.displayName.split(' ')[0]);
  }
}
