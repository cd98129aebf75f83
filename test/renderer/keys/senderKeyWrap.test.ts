import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { WrappedSenderKey } from '../../../protocol';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { derivePairwiseWrapKey } from '../../../renderer/keys/pairwiseWrapKey';
import { unwrapSenderKey, wrapSenderKey } from '../../../renderer/keys/senderKeyWrap';
import { refusalReason } from './refusalReason';

/**
 * An independent implementation of docs/protocol.md "Group calls" (wrap keys and wrapped sender
 * keys) in node:crypto, written from the doc, checks ours byte for byte in both directions.
 */
const callId = '5b0f7a1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b';

const reference = {
  /** A device's X25519 pair in node:crypto, and its public key as the protocol writes it. */
  device() {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const x = publicKey.export({ format: 'jwk' }).x as string;
    return { privateKey, publicKey: Buffer.from(x, 'base64url').toString('base64') };
  },
  /** wrapKey = HKDF-SHA256(X25519, salt = callId, info = "parley-room-wrap-v1\n<low>\n<high>"). */
  wrapKey(ownPrivate: KeyObject, theirPublic: string, slots: [number, number]): Buffer {
    const x = Buffer.from(theirPublic, 'base64').toString('base64url');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
    const shared = diffieHellman({ privateKey: ownPrivate, publicKey });
    const [low, high] = [...slots].sort((a, b) => a - b);
    const info = `parley-room-wrap-v1\n${low}\n${high}`;
    return Buffer.from(hkdfSync('sha256', shared, Buffer.from(callId), Buffer.from(info), 32));
  },
  aad(w: { from: number; to: number; generation: number; epoch: number }, call = callId) {
    return Buffer.from(
      `parley-room-key-v1\n${call}\n${w.from}\n${w.to}\n${w.generation}\n${w.epoch}`,
    );
  },
  unwrap(wrapKey: Buffer, wrapped: WrappedSenderKey): Buffer {
    const sealed = Buffer.from(wrapped.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', wrapKey, Buffer.from(wrapped.iv, 'base64'));
    decipher.setAAD(reference.aad(wrapped));
    decipher.setAuthTag(sealed.subarray(32));
    return Buffer.concat([decipher.update(sealed.subarray(0, 32)), decipher.final()]);
  },
  wrap(
    wrapKey: Buffer,
    fields: { from: number; to: number; generation: number; epoch: number },
    baseKey: Buffer,
  ): WrappedSenderKey {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', wrapKey, iv);
    cipher.setAAD(reference.aad(fields));
    const sealed = Buffer.concat([cipher.update(baseKey), cipher.final(), cipher.getAuthTag()]);
    return { ...fields, iv: iv.toString('base64'), ciphertext: sealed.toString('base64') };
  },
};

/** Alice (slot 0) in our code; Carol (slot 2) in the reference. */
async function pair() {
  const alice = await CallKeyAgreement.create();
  const carol = reference.device();
  const aliceWrapKey = await derivePairwiseWrapKey(alice, carol.publicKey, {
    callId,
    ourSlot: 0,
    theirSlot: 2,
  });
  const carolWrapKey = reference.wrapKey(carol.privateKey, alice.publicKey, [2, 0]);
  return { alice, carol, aliceWrapKey, carolWrapKey };
}

describe('wrapped sender keys, against node:crypto', () => {
  test('a key we wrap for slot 2 unwraps in the reference to the same 32 bytes', async () => {
    const { aliceWrapKey, carolWrapKey } = await pair();
    const baseKey = new Uint8Array(randomBytes(32));
    const wrapped = await wrapSenderKey(
      aliceWrapKey,
      { callId, from: 0, to: 2 },
      { generation: 3, epoch: 41, baseKey },
    );
    expect(WrappedSenderKey.parse(wrapped)).toEqual(wrapped);
    expect(wrapped).toMatchObject({ from: 0, to: 2, generation: 3, epoch: 41 });
    expect(reference.unwrap(carolWrapKey, wrapped)).toEqual(Buffer.from(baseKey));
  });

  test('a key the reference wraps for slot 0 unwraps in our code', async () => {
    const { aliceWrapKey, carolWrapKey } = await pair();
    const baseKey = randomBytes(32);
    const fields = { from: 2, to: 0, generation: 0, epoch: 65_535 };
    const unwrapped = await unwrapSenderKey(
      aliceWrapKey,
      callId,
      reference.wrap(carolWrapKey, fields, baseKey),
    );
    expect(unwrapped).toEqual({ generation: 0, epoch: 65_535, baseKey: new Uint8Array(baseKey) });
  });

  test('both ends of a pair derive the same key whichever of them is the lower slot', async () => {
    const alice = await CallKeyAgreement.create();
    const dave = await CallKeyAgreement.create();
    const atAlice = await derivePairwiseWrapKey(alice, dave.publicKey, {
      callId,
      ourSlot: 1,
      theirSlot: 7,
    });
    const atDave = await derivePairwiseWrapKey(dave, alice.publicKey, {
      callId,
      ourSlot: 7,
      theirSlot: 1,
    });
    const baseKey = new Uint8Array(randomBytes(32));
    const wrapped = await wrapSenderKey(
      atAlice,
      { callId, from: 1, to: 7 },
      { generation: 0, epoch: 0, baseKey },
    );
    expect((await unwrapSenderKey(atDave, callId, wrapped)).baseKey).toEqual(baseKey);
  });

  test('every wrapped copy has its own random IV', async () => {
    const { aliceWrapKey } = await pair();
    const key = { generation: 0, epoch: 0, baseKey: new Uint8Array(32) };
    const first = await wrapSenderKey(aliceWrapKey, { callId, from: 0, to: 2 }, key);
    const second = await wrapSenderKey(aliceWrapKey, { callId, from: 0, to: 2 }, key);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  describe('a wrapped key opens for nothing but what its AAD names', () => {
    /** A key the reference wrapped for Carol, and her pair key as our code holds it. */
    async function wrappedForCarol() {
      const { carolWrapKey } = await pair();
      const fields = { from: 0, to: 2, generation: 5, epoch: 9 };
      const wrapped = reference.wrap(carolWrapKey, fields, randomBytes(32));
      const ourCarolKey = await crypto.subtle.importKey(
        'raw',
        new Uint8Array(carolWrapKey),
        { name: 'AES-GCM' },
        false,
        ['decrypt'],
      );
      return { wrapped, ourCarolKey };
    }

    test('untouched, it opens', async () => {
      const { wrapped, ourCarolKey } = await wrappedForCarol();
      expect(await refusalReason(unwrapSenderKey(ourCarolKey, callId, wrapped))).toBe('accepted');
    });

    test.each([
      ['from', { from: 1 }],
      ['to', { to: 3 }],
      ['generation', { generation: 6 }],
      ['epoch', { epoch: 10 }],
    ])('with another %s it is refused', async (_field, change) => {
      const { wrapped, ourCarolKey } = await wrappedForCarol();
      expect(
        await refusalReason(unwrapSenderKey(ourCarolKey, callId, { ...wrapped, ...change })),
      ).toBe('tampered');
    });

    test('in another call, with a flipped bit or under another pair key it is refused', async () => {
      const { wrapped, ourCarolKey } = await wrappedForCarol();
      const otherCall = '5b0f7a1e-3c2d-4e5f-8a9b-ffffffffffff';
      expect(await refusalReason(unwrapSenderKey(ourCarolKey, otherCall, wrapped))).toBe(
        'tampered',
      );
      const sealed = Buffer.from(wrapped.ciphertext, 'base64');
      sealed[0] = (sealed[0] as number) ^ 1;
      const flipped = { ...wrapped, ciphertext: sealed.toString('base64') };
      expect(await refusalReason(unwrapSenderKey(ourCarolKey, callId, flipped))).toBe('tampered');
      const { aliceWrapKey: otherPairKey } = await pair();
      expect(await refusalReason(unwrapSenderKey(otherPairKey, callId, wrapped))).toBe('tampered');
    });
  });

  test('a low-order ephemeral key gives no wrap key', async () => {
    const alice = await CallKeyAgreement.create();
    const zero = Buffer.alloc(32).toString('base64');
    expect(
      await refusalReason(derivePairwiseWrapKey(alice, zero, { callId, ourSlot: 0, theirSlot: 2 })),
    ).toBe('bad_ephemeral_key');
  });

  test('a key of the wrong length, or a generation or epoch out of range, is not wrapped', async () => {
    const { aliceWrapKey } = await pair();
    const route = { callId, from: 0, to: 2 };
    const good = { generation: 0, epoch: 0, baseKey: new Uint8Array(32) };
    await expect(
      wrapSenderKey(aliceWrapKey, route, { ...good, baseKey: new Uint8Array(16) }),
    ).rejects.toThrow('a sender key has 32 bytes, not 16');
    await expect(wrapSenderKey(aliceWrapKey, route, { ...good, epoch: 65_536 })).rejects.toThrow();
    await expect(
      wrapSenderKey(aliceWrapKey, route, { ...good, generation: 2 ** 32 }),
    ).rejects.toThrow();
  });
});

describe("docs/protocol.md's example", () => {
  /** An X25519 private key of RFC 7748 section 6.1, as Web Crypto imports it (PKCS8). */
  async function agreementOf(privateHex: string, publicBase64: string) {
    const pkcs8 = Buffer.concat([
      Buffer.from('302e020100300506032b656e04220420', 'hex'),
      Buffer.from(privateHex, 'hex'),
    ]);
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, [
      'deriveBits',
    ]);
    const publicKey = await crypto.subtle.importKey(
      'raw',
      Buffer.from(publicBase64, 'base64'),
      { name: 'X25519' },
      true,
      [],
    );
    return CallKeyAgreement.fromKeyPair({ privateKey, publicKey });
  }
  const alicePublic = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=';
  const bobPublic = '3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=';
  const docCallId = '5b0f7a1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const example: WrappedSenderKey = {
    from: 0,
    to: 2,
    generation: 1,
    epoch: 7,
    iv: 'AAECAwQFBgcICQoL',
    ciphertext: 'lFUY5uiYxIu1/3tnKwV7cPOp6s7E6dKWtyT44NICEyy4CBfVyMjFiD2je8QhRO07',
  };

  test('slot 2 (Bob) unwraps the example to its base key, and slot 0 derives the same wrap key', async () => {
    const bob = await agreementOf(
      '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
      bobPublic,
    );
    expect(bob.publicKey).toBe(bobPublic);
    const atBob = await derivePairwiseWrapKey(bob, alicePublic, {
      callId: docCallId,
      ourSlot: 2,
      theirSlot: 0,
    });
    const unwrapped = await unwrapSenderKey(atBob, docCallId, example);
    expect(Buffer.from(unwrapped.baseKey).toString('hex')).toBe(
      '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
    );
    const alice = await agreementOf(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      alicePublic,
    );
    const atAlice = await derivePairwiseWrapKey(alice, bobPublic, {
      callId: docCallId,
      ourSlot: 0,
      theirSlot: 2,
    });
    expect((await unwrapSenderKey(atAlice, docCallId, example)).baseKey).toEqual(unwrapped.baseKey);
  });
});

describe('the WrappedSenderKey wire shape', () => {
  const valid = {
    from: 0,
    to: 2,
    generation: 1,
    epoch: 2,
    iv: randomBytes(12).toString('base64'),
    ciphertext: randomBytes(48).toString('base64'),
  };

  test('takes exactly the documented fields and sizes', () => {
    expect(WrappedSenderKey.parse(valid)).toEqual(valid);
    for (const bad of [
      { ...valid, extra: 1 },
      { ...valid, iv: randomBytes(16).toString('base64') },
      { ...valid, ciphertext: randomBytes(49).toString('base64') },
      { ...valid, ciphertext: randomBytes(32).toString('base64') },
      { ...valid, ciphertext: Buffer.alloc(48, 0xff).toString('base64url') },
      { ...valid, from: -1 },
      { ...valid, to: 65_536 },
      { ...valid, epoch: 1.5 },
      { ...valid, generation: '1' },
    ]) {
      expect(WrappedSenderKey.safeParse(bad).success).toBe(false);
    }
  });
});
