import { networkInterfaces } from 'node:os';
import {
  LOCAL_ADDRESSES_REREAD_MS,
  LocalAddresses,
} from '../../../server/frontDoor/LocalAddresses';

type Interfaces = ReturnType<typeof networkInterfaces>;

function interfacesWith(...addresses: string[]): Interfaces {
  return {
    eth0: addresses.map((address) => ({
      address,
      netmask: '255.255.255.0',
      family: address.includes(':') ? 'IPv6' : 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: false,
      cidr: null,
      ...(address.includes(':') ? { scopeid: 0 } : {}),
    })) as NonNullable<Interfaces[string]>,
  };
}

describe("this machine's own addresses", () => {
  it('knows the real interfaces of this machine, and loopback always', () => {
    const local = new LocalAddresses();
    for (const entries of Object.values(networkInterfaces())) {
      for (const entry of entries ?? []) {
        if (!entry.address.includes('%')) expect(local.has(entry.address)).toBe(true);
      }
    }
    expect(local.has('127.0.0.1')).toBe(true);
    expect(local.has('127.8.9.10')).toBe(true);
    expect(local.has('::1')).toBe(true);
    expect(local.has('203.0.113.5')).toBe(false);
  });

  it('matches IPv6 addresses however they are spelled', () => {
    const local = new LocalAddresses(() => interfacesWith('2001:db8::10'));
    expect(local.has('2001:db8::10')).toBe(true);
    expect(local.has('2001:DB8:0:0::10')).toBe(true);
    expect(local.has('2001:db8::11')).toBe(false);
    expect(new LocalAddresses(() => interfacesWith('2001:DB8:0:0::10')).has('2001:db8::10')).toBe(
      true,
    );
  });

  it('notices an address that appears, without re-reading on every unknown address', () => {
    let reads = 0;
    let addresses = ['192.0.2.1'];
    let now = 0;
    const local = new LocalAddresses(
      () => {
        reads += 1;
        return interfacesWith(...addresses);
      },
      () => now,
    );
    expect(local.has('192.0.2.1')).toBe(true);
    addresses = ['192.0.2.1', '192.0.2.2'];
    expect(local.has('192.0.2.2')).toBe(false);
    expect(local.has('198.51.100.1')).toBe(false);
    expect(reads).toBe(1);
    now += LOCAL_ADDRESSES_REREAD_MS;
    expect(local.has('192.0.2.2')).toBe(true);
    expect(reads).toBe(2);
  });
});
