import { APP_ORIGIN } from '../../../main/security/appOrigin';
import { checkHost, normalizeHostname } from '../../../server/frontDoor/hostCheck';
import {
  checkOrigin,
  DESKTOP_APP_ORIGIN,
  normalizeOrigin,
} from '../../../server/frontDoor/originCheck';

const names = new Set(['parley.example.com', '198.51.100.7']);
const none = new Set<string>();
/** This machine's addresses, as LocalAddresses would report them. */
const own = (address: string) =>
  address.startsWith('127.') || address === '::1' || address === '2001:db8::1';

describe('Host', () => {
  it.each([
    '127.0.0.1:8080',
    '127.0.0.1',
    '[::1]:8080',
    '[2001:db8::1]',
    '198.51.100.7:8443',
    'localhost:3000',
    'LOCALHOST',
    'parley.example.com',
    'Parley.Example.COM.:443',
  ])('accepts %j', (host) => {
    expect(checkHost(host, names, own)).toBeNull();
  });

  it.each(['203.0.113.5', '203.0.113.5:443', '[2001:db8::2]:8080', '0.0.0.0'])(
    "refuses the address %j, which is not this machine's, with 421",
    (host) => {
      expect(checkHost(host, names, own)).toEqual({
        status: 421,
        reason: expect.stringContaining('not one of its own'),
      });
    },
  );

  it.each(['evil.example', 'parley.example.com.evil.example', 'localhost.evil.example'])(
    'refuses the name %j with 421',
    (host) => {
      expect(checkHost(host, names, own)).toEqual({
        status: 421,
        reason: expect.stringContaining('does not answer to the name'),
      });
    },
  );

  it.each([undefined, '', '[not-v6]:80', 'a b', 'name:port', '[::1', 'a:1:2'])(
    'refuses a missing or malformed Host %j with 400',
    (host) => {
      expect(checkHost(host, names, own)?.status).toBe(400);
    },
  );

  it('configured names are DNS names', () => {
    expect(normalizeHostname('Parley.Example.com.')).toBe('parley.example.com');
    expect(normalizeHostname('https://parley.example.com')).toBeNull();
    expect(normalizeHostname('parley.example.com:443')).toBeNull();
    expect(normalizeHostname('-bad.example')).toBeNull();
  });
});

describe('Origin', () => {
  const own = { scheme: 'http' as const, host: '127.0.0.1:8080' };

  it('is the same app origin as the desktop app uses', () => {
    expect(DESKTOP_APP_ORIGIN).toBe(APP_ORIGIN);
  });

  it('passes when absent (programs that are not browsers send none)', () => {
    expect(checkOrigin(undefined, own, none)).toBeNull();
  });

  it("passes for the server's own origin, with or without the default port", () => {
    expect(checkOrigin('http://127.0.0.1:8080', own, none)).toBeNull();
    expect(
      checkOrigin(
        'http://Parley.example.com',
        { scheme: 'http', host: 'parley.example.com:80' },
        none,
      ),
    ).toBeNull();
    expect(
      checkOrigin(
        'https://parley.example.com',
        { scheme: 'https', host: 'parley.example.com' },
        none,
      ),
    ).toBeNull();
  });

  it('passes for the desktop app and for configured origins', () => {
    expect(checkOrigin('app://parley', own, none)).toBeNull();
    expect(checkOrigin('https://web.example', own, new Set(['https://web.example']))).toBeNull();
  });

  it.each([
    'http://evil.example',
    'http://127.0.0.1:8081',
    'https://127.0.0.1:8080',
    'null',
    'app://parley:1',
    'app://parley.evil',
    'http://127.0.0.1:8080, http://evil.example',
    'file://',
  ])('refuses %j with 403', (origin) => {
    expect(checkOrigin(origin, own, none)).toEqual({
      status: 403,
      reason: `pages from ${JSON.stringify(origin)} may not connect`,
    });
  });

  it('configured origins are single origins', () => {
    expect(normalizeOrigin('https://Web.Example:443/')).toBe('https://web.example');
    expect(normalizeOrigin('APP://Parley')).toBe('app://parley');
    expect(normalizeOrigin('https://web.example/path')).toBeNull();
    expect(normalizeOrigin('https://user@web.example')).toBeNull();
    expect(normalizeOrigin('web.example')).toBeNull();
  });
});
