import { AddressRateLimit } from '../../../server/limits/AddressRateLimit';
import { AddressConnections } from '../../../server/limits/AddressConnections';
import { FakeTime } from '../calls/fakeTime';

describe('a per-address rate limit', () => {
  it('allows a burst of `count`, then says how long until the next attempt', () => {
    const time = new FakeTime();
    const limit = new AddressRateLimit({ count: 3, windowMs: 60_000 }, time);
    for (let i = 0; i < 3; i += 1) expect(limit.take('203.0.113.1')).toEqual({ allowed: true });
    expect(limit.take('203.0.113.1')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    time.advance(5_000);
    expect(limit.take('203.0.113.1')).toEqual({ allowed: false, retryAfterMs: 15_000 });
    time.advance(15_000);
    expect(limit.take('203.0.113.1')).toEqual({ allowed: true });
    expect(limit.take('203.0.113.1').allowed).toBe(false);
  });

  it('counts each address on its own, and an IPv6 /64 as one address', () => {
    const limit = new AddressRateLimit({ count: 1, windowMs: 60_000 }, new FakeTime());
    expect(limit.take('203.0.113.1').allowed).toBe(true);
    expect(limit.take('203.0.113.2').allowed).toBe(true);
    expect(limit.take('2001:db8:1:2::1').allowed).toBe(true);
    expect(limit.take('2001:db8:1:2::ffff').allowed).toBe(false);
    expect(limit.take('2001:db8:1:3::1').allowed).toBe(true);
  });

  it('remembers at most its bound of addresses, forgetting the least recently seen', () => {
    const limit = new AddressRateLimit({ count: 1, windowMs: 60_000 }, new FakeTime(), 100);
    for (let i = 0; i < 1000; i += 1) limit.take(`10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(limit.size).toBe(100);
    // The most recent ones are still held to their limit.
    expect(limit.take('10.0.3.249').allowed).toBe(false);
  });

  it('forgets addresses that have been idle long enough to be full again', () => {
    const time = new FakeTime();
    const limit = new AddressRateLimit({ count: 2, windowMs: 60_000 }, time);
    for (let i = 0; i < 50; i += 1) limit.take(`10.0.0.${i}`);
    expect(limit.size).toBe(50);
    time.advance(60_000);
    for (let i = 0; i < 30; i += 1) limit.take('192.0.2.1');
    expect(limit.size).toBe(1);
  });
});

describe('open connections per address', () => {
  it('refuses one more than the limit and frees a place when one closes', () => {
    const connections = new AddressConnections(2);
    const first = connections.reserve('203.0.113.1');
    expect(connections.reserve('203.0.113.1')).not.toBeNull();
    expect(connections.reserve('203.0.113.1')).toBeNull();
    expect(connections.reserve('203.0.113.2')).not.toBeNull();
    first!();
    first!();
    expect(connections.reserve('203.0.113.1')).not.toBeNull();
    expect(connections.reserve('203.0.113.1')).toBeNull();
  });

  it('forgets an address once it has nothing open', () => {
    const connections = new AddressConnections(5);
    const releases = [connections.reserve('203.0.113.1')!, connections.reserve('203.0.113.1')!];
    expect(connections.size).toBe(1);
    for (const release of releases) release();
    expect(connections.size).toBe(0);
  });
});
