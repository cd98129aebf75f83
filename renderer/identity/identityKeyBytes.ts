import { IdentityKey } from '../../protocol';
import { base64ToBytes } from '../keys/keyEncoding';

/** The raw 32 bytes of a base64 Ed25519 identity key; anything else is refused. */
export function identityKeyBytes(identityKey: string): Uint8Array<ArrayBuffer> {
  const parsed = IdentityKey.safeParse(identityKey);
  if (!parsed.success) throw new Error('An identity key is 32 bytes of standard base64');
  return base64ToBytes(parsed.data);
}
