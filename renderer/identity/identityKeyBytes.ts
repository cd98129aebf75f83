import { IdentityKey } from '../../protocol';

/** The raw 32 bytes of a base64 Ed25519 identity key; anything else is refused. */
export function identityKeyBytes(identityKey: string): Uint8Array<ArrayBuffer> {
  const parsed = IdentityKey.safeParse(identityKey);
  if (!parsed.success) throw new Error('An identity key is 32 bytes of standard base64');
  const binary = atob(parsed.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
