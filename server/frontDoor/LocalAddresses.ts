import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** How long the list of this machine's addresses is trusted before an unknown one re-reads it. */
export const LOCAL_ADDRESSES_REREAD_MS = 10_000;

type InterfaceReader = () => ReturnType<typeof networkInterfaces>;

/**
 * This machine's own IP addresses: the only IP literals a `Host` may name without being
 * configured. An address of another machine would let a server there relay sign-ins to this one
 * under its own origin (the signed texts name the origin the client reached). Interfaces come
 * and go, so an address not in the list re-reads it, at most every LOCAL_ADDRESSES_REREAD_MS.
 */
export class LocalAddresses {
  private addresses = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly readInterfaces: InterfaceReader = networkInterfaces,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `address` (IPv4, or IPv6 without brackets, as `hostName` gives it) is ours. */
  has(address: string): boolean {
    const canonical = canonicalAddress(address);
    if (isLoopback(canonical) || this.addresses.has(canonical)) return true;
    if (this.now() - this.readAt < LOCAL_ADDRESSES_REREAD_MS) return false;
    this.reread();
    return this.addresses.has(canonical);
  }

  private reread(): void {
    this.readAt = this.now();
    const found = new Set<string>();
    for (const entries of Object.values(this.readInterfaces())) {
      for (const entry of entries ?? []) found.add(canonicalAddress(entry.address));
    }
    this.addresses = found;
  }
}

function isLoopback(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(address) || address === '::1';
}

/** IPv6 in the one spelling WHATWG URL gives it (compressed, lower case); IPv4 as it is. */
function canonicalAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address.replace(/%.*$/, '')}]`).hostname.slice(1, -1);
}
