import { randomInt } from 'node:crypto';

/** Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed is unambiguous. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random link code of 60 bits: 12 Crockford base32 characters as XXXX-XXXX-XXXX. */
export function newLinkCode(): string {
  const chars = Array.from({ length: 12 }, () => CROCKFORD[randomInt(CROCKFORD.length)]);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join('')).join('-');
}
