import { isIP } from 'node:net';
import type { TrustedProxies } from './TrustedProxies';

/**
 * The address a connection comes from: the TCP peer's, unless that peer is a trusted reverse
 * proxy; then the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (each
 * proxy appends the address it saw, so the entries left of the first stranger are the stranger's
 * own claims and prove nothing).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  proxies: TrustedProxies,
): string {
  let address = normalizeAddress(peer ?? '');
  if (!proxies.has(address) || forwardedFor === undefined) return address;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = parseForwardedHop(hops[i]!);
    // A hop that is not an address: nothing left of it can be believed; the last proxy answers.
    if (hop === null) return address;
    address = hop;
    if (!proxies.has(hop)) return hop;
  }
  return address;
}

/** `::ffff:1.2.3.4` (how a dual-stack socket reports an IPv4 peer) is `1.2.3.4`. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  return address.toLowerCase();
}

/** One `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`. */
function parseForwardedHop(text: string): string | null {
  let candidate = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(candidate))
    candidate = candidate.slice(0, candidate.indexOf(':'));
  const address = normalizeAddress(candidate);
  return isIP(address) === 0 ? null : address;
}

/**
 * What per-address limits count under: an IPv4 address itself, and an IPv6 address's /64
 * prefix, because one household or host gets a whole /64 and picks addresses in it at will.
 */
export function limitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIpv6(address: string): string[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (`64:ff9b::1.2.3.4`) is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups.map((group) => parseInt(group, 16).toString(16));
}
