import { clientAddress, limitKey, normalizeAddress } from '../../../server/frontDoor/clientAddress';
import { parseProxyEntry, TrustedProxies } from '../../../server/frontDoor/TrustedProxies';

const proxies = new TrustedProxies(['10.0.0.1', '192.168.0.0/16', 'fd00::/8']);

describe('the address a connection comes from', () => {
  it('is the TCP peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', undefined, new TrustedProxies([]))).toBe('203.0.113.9');
  });

  it('is an IPv4 address when a dual-stack socket reports it IPv4-mapped', () => {
    expect(normalizeAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddress('::FFFF:10.0.0.1', '198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it('is the right-most X-Forwarded-For entry that is not a trusted proxy', () => {
    // The client claims 1.1.1.1; the outer proxy saw 198.51.100.7; an inner proxy added itself.
    expect(clientAddress('10.0.0.1', '1.1.1.1, 198.51.100.7, 192.168.3.4', proxies)).toBe(
      '198.51.100.7',
    );
  });

  it('reads entries with ports and brackets, and mapped IPv6 entries', () => {
    expect(clientAddress('10.0.0.1', '198.51.100.7:4567', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.1', '[2001:db8::5]:4567', proxies)).toBe('2001:db8::5');
    expect(clientAddress('10.0.0.1', '2001:DB8::5', proxies)).toBe('2001:db8::5');
    expect(clientAddress('10.0.0.1', '::ffff:198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it('is the nearest proxy when an entry is not an address, or every entry is a proxy', () => {
    expect(clientAddress('10.0.0.1', 'unknown', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '198.51.100.7, garbage, 192.168.1.1', proxies)).toBe(
      '192.168.1.1',
    );
    expect(clientAddress('10.0.0.1', '192.168.1.1, fd00::1', proxies)).toBe('192.168.1.1');
    expect(clientAddress('10.0.0.1', undefined, proxies)).toBe('10.0.0.1');
  });
});

describe('per-address limits count', () => {
  it('an IPv4 address by itself', () => {
    expect(limitKey('203.0.113.9')).toBe('203.0.113.9');
  });

  it('an IPv6 address by its /64, however it is written', () => {
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('64:ff9b::198.51.100.7')).toBe('64:ff9b:0:0::/64');
    expect(limitKey('2001:db8:1:3::1')).not.toBe(limitKey('2001:db8:1:2::1'));
  });
});

describe('trusted proxy entries', () => {
  it('are addresses or CIDR ranges of either family', () => {
    expect(parseProxyEntry('10.0.0.1')).toEqual({ address: '10.0.0.1', family: 'ipv4' });
    expect(parseProxyEntry('10.0.0.0/8')).toEqual({
      address: '10.0.0.0',
      family: 'ipv4',
      prefix: 8,
    });
    expect(parseProxyEntry('fd00::/8')).toEqual({ address: 'fd00::', family: 'ipv6', prefix: 8 });
    expect(parseProxyEntry('::ffff:10.0.0.1')).toEqual({ address: '10.0.0.1', family: 'ipv4' });
  });

  it.each(['proxy.example', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/', '10.0.0.0/8/1', '', '1.2.3'])(
    'refuses %j',
    (entry) => {
      expect(parseProxyEntry(entry)).toBeNull();
      expect(() => new TrustedProxies([entry])).toThrow(/not an IP address or CIDR range/);
    },
  );

  it('match inside their ranges only', () => {
    expect(proxies.has('192.168.200.1')).toBe(true);
    expect(proxies.has('192.169.0.1')).toBe(false);
    expect(proxies.has('fd12::1')).toBe(true);
    expect(proxies.has('fe80::1')).toBe(false);
    expect(proxies.has('10.0.0.2')).toBe(false);
    expect(proxies.has('not an address')).toBe(false);
  });
});
