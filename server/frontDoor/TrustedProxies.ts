import { BlockList, isIP } from 'node:net';
import { normalizeAddress } from './clientAddress';

/**
 * The reverse proxies whose `X-Forwarded-For` the server believes: IP addresses and CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`). Everyone else's header is ignored, since anyone can send one.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** Throws an Error naming the first entry that is neither an IP address nor a CIDR range. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const range = parseProxyEntry(entry);
      if (!range) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      if (range.prefix === undefined) this.list.addAddress(range.address, range.family);
      else this.list.addSubnet(range.address, range.prefix, range.family);
    }
    this.empty = entries.length === 0;
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

interface ProxyRange {
  address: string;
  family: 'ipv4' | 'ipv6';
  prefix?: number;
}

/** `1.2.3.4`, `::1`, `10.0.0.0/8` or `fd00::/8`; null for anything else. */
export function parseProxyEntry(entry: string): ProxyRange | null {
  const [addressText = '', prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined) return null;
  const address = normalizeAddress(addressText);
  const version = isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, family };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= (version === 4 ? 32 : 128))) return null;
  return { address, family, prefix };
}
