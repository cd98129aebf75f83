import {
  SENDER_KEY_BYTES,
  SENDER_KEY_WRAP_IV_BYTES,
  SenderEpoch,
  SenderGeneration,
  WrappedSenderKey,
} from '../../protocol';
import { base64ToBytes, bytesToBase64, utf8 } from './keyEncoding';

/** One sender's SFrame base key for one generation and epoch. */
export interface SenderKey {
  generation: number;
  epoch: number;
  /** 32 bytes: baseKey of docs/protocol.md "Media keys", for this generation and epoch. */
  baseKey: Uint8Array;
}

/** Why a wrapped sender key was refused. */
export type SenderKeyRefusal =
  /** The member's share was never verified (or it left): no key goes to it or comes from it. */
  | 'not_verified'
  /** The key is not from that member's slot to ours, or is not a well-formed wrapped key. */
  | 'misaddressed'
  /** AES-GCM refused it: another wrap key, or a field the AAD binds was changed. */
  | 'tampered';

export class SenderKeyRefusedError extends Error {
  override readonly name = 'SenderKeyRefusedError';

  constructor(
    readonly reason: SenderKeyRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The AES-GCM additional data of a wrapped sender key: the call, the sender's slot, the
 * recipient's slot, the key's generation and epoch, as UTF-8 text with decimal numbers.
 */
export function senderKeyWrapAad(fields: {
  callId: string;
  from: number;
  to: number;
  generation: number;
  epoch: number;
}): string {
  const { callId, from, to, generation, epoch } = fields;
  return `parley-room-key-v1\n${callId}\n${from}\n${to}\n${generation}\n${epoch}`;
}

/** Encrypts `key` for slot `to` under the pair's wrap key, with a fresh random 96-bit IV. */
export async function wrapSenderKey(
  wrapKey: CryptoKey,
  route: { callId: string; from: number; to: number },
  key: SenderKey,
): Promise<WrappedSenderKey> {
  if (key.baseKey.length !== SENDER_KEY_BYTES) {
    throw new RangeError(`a sender key has ${SENDER_KEY_BYTES} bytes, not ${key.baseKey.length}`);
  }
  SenderGeneration.parse(key.generation);
  SenderEpoch.parse(key.epoch);
  const iv = crypto.getRandomValues(new Uint8Array(SENDER_KEY_WRAP_IV_BYTES));
  const fields = { ...route, generation: key.generation, epoch: key.epoch };
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(senderKeyWrapAad(fields)) },
    wrapKey,
    new Uint8Array(key.baseKey),
  );
  return WrappedSenderKey.parse({
    from: route.from,
    to: route.to,
    generation: key.generation,
    epoch: key.epoch,
    iv: bytesToBase64(iv),
    ciphertext: bytesToBase64(ciphertext),
  });
}

/**
 * Decrypts a wrapped sender key under the pair's wrap key; the AAD is rebuilt from `callId` and
 * the wrapped key's own fields, so changing any of them makes it fail (SenderKeyRefusedError).
 */
export async function unwrapSenderKey(
  wrapKey: CryptoKey,
  callId: string,
  wrapped: WrappedSenderKey,
): Promise<SenderKey> {
  const { from, to, generation, epoch } = wrapped;
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: base64ToBytes(wrapped.iv),
        additionalData: utf8(senderKeyWrapAad({ callId, from, to, generation, epoch })),
      },
      wrapKey,
      base64ToBytes(wrapped.ciphertext),
    );
  } catch (error) {
    throw new SenderKeyRefusedError(
      'tampered',
      `the sender key from slot ${from} does not decrypt for this call, slot, generation and epoch`,
      { cause: error },
    );
  }
  return { generation, epoch, baseKey: new Uint8Array(plain) };
}
