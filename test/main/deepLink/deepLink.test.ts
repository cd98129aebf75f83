import { deepLinkFromArgv, describeDeepLink, parseDeepLink } from '../../../main/deepLink/deepLink';

describe('parley:// deep links', () => {
  it.each([
    ['parley://call/bob', 'bob'],
    ['parley://call/bob/', 'bob'],
    ['parley://call/a.b-c_9', 'a.b-c_9'],
  ])('%s calls %s', (url, username) => {
    expect(parseDeepLink(url)).toEqual({ kind: 'callUser', username, ignoredParts: [] });
  });

  it('calls the user but ignores (and says so) a query or fragment', () => {
    const link = parseDeepLink('parley://call/bob?video=1&autoaccept=true#now');
    expect(link).toEqual({
      kind: 'callUser',
      username: 'bob',
      ignoredParts: ['query', 'fragment'],
    });
    expect(describeDeepLink(link)).toBe('deep link: call bob (ignored its query and fragment)');
  });

  it.each([
    ['parley://call/Bob', 'not a valid username'],
    ['parley://call/bo', 'not a valid username'],
    ['parley://call/' + 'b'.repeat(33), 'not a valid username'],
    ['parley://call/%62ob', 'not a valid username'],
    ['parley://call/bob%00', 'not a valid username'],
    ['parley://call/', 'not a valid username'],
    ['parley://call/bob/extra', 'the link has more than a username'],
    ['parley://call/../../etc/passwd', 'the link has more than a username'],
    ['parley://call//bob', 'the link has more than a username'],
    ['parley://settings/reset', 'unknown link (only call/ and call-link/)'],
    ['parley://CALL/bob', 'unknown link (only call/ and call-link/)'],
    ['parley:call/bob', 'unknown link (only call/ and call-link/)'],
    ['parley://evil@call/bob', 'the link carries credentials or a port'],
    ['parley://call:8080/bob', 'the link carries credentials or a port'],
    ['https://call/bob', 'not a parley: link'],
    ['javascript:alert(1)', 'not a parley: link'],
    ['file:///etc/passwd', 'not a parley: link'],
    ['not a url at all', 'not a URL'],
    ['parley://call/' + 'x'.repeat(1_000_000), 'the link is too long'],
    ['parley://call/bob\u202Eevil', 'not a valid username'],
  ])('ignores %j: %s', (url, reason) => {
    const link = parseDeepLink(url);
    expect(link).toEqual({ kind: 'ignored', reason });
    // The log line never repeats the link itself.
    expect(describeDeepLink(link)).toBe(`deep link ignored: ${reason}`);
  });

  it('accepts the scheme in any case, as URLs allow', () => {
    expect(parseDeepLink('PARLEY://call/bob')).toEqual({
      kind: 'callUser',
      username: 'bob',
      ignoredParts: [],
    });
  });

  // URL parsing would resolve each of these to another user (or to bob after a detour); the raw
  // string is what is matched, so every one is refused.
  it.each([
    ['parley://call/bob/../alice', 'the link has more than a username'],
    ['parley://call/bob/%2e%2e/alice', 'the link has more than a username'],
    ['parley://call/bob/%2E%2E/alice', 'the link has more than a username'],
    ['parley://call/bob/.%2E/alice', 'the link has more than a username'],
    ['parley://call/%2e%2e/alice', 'the link has more than a username'],
    ['parley://call/./alice', 'the link has more than a username'],
    ['parley://call/%2E/alice', 'the link has more than a username'],
    ['parley://call/alice/.', 'the link has more than a username'],
    ['parley://call/alice/..', 'the link has more than a username'],
    ['parley://call/alice/%2e', 'the link has more than a username'],
    ['parley://call/alice/./', 'the link has more than a username'],
    ['parley://call//alice', 'the link has more than a username'],
    ['parley://call/alice//', 'the link has more than a username'],
    ['parley://call/bob\\..\\alice', 'not a valid username'],
    ['parley://call/\\alice', 'not a valid username'],
    ['parley://call/alice\\', 'not a valid username'],
    ['parley://call/%2e%2e', 'not a valid username'],
    ['parley://call/..', 'not a valid username'],
    ['parley://call/al\tice', 'not a valid username'],
    ['parley://ca\tll/alice', 'the link is not written as parley://call/<username>'],
    [' parley://call/alice', 'the link is not written as parley://call/<username>'],
    ['parley://call/alice\n', 'not a valid username'],
  ])('refuses the raw form %j: %s', (url, reason) => {
    expect(parseDeepLink(url)).toEqual({ kind: 'ignored', reason });
  });

  describe('call links', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUv';

    it.each([
      `parley://call-link/${token}`,
      `parley://call-link/${token}/`,
      `PARLEY://call-link/${token}`,
    ])('%s opens the link', (url) => {
      expect(parseDeepLink(url)).toEqual({ kind: 'openCallLink', token, ignoredParts: [] });
    });

    it('never writes the token to the log, which lets whoever holds it ask to join', () => {
      const link = parseDeepLink(`parley://call-link/${token}?join=now`);
      expect(link).toEqual({ kind: 'openCallLink', token, ignoredParts: ['query'] });
      expect(describeDeepLink(link)).toBe('deep link: open a call link (ignored its query)');
      expect(describeDeepLink(link)).not.toContain(token);
    });

    it.each([
      [`parley://call-link/${token.slice(1)}`, 'not a valid call link token'],
      [`parley://call-link/${token}A`, 'not a valid call link token'],
      [`parley://call-link/${token.slice(1)}=`, 'not a valid call link token'],
      [`parley://call-link/${token.slice(1)}+`, 'not a valid call link token'],
      [`parley://call-link/%41${token.slice(1)}`, 'not a valid call link token'],
      ['parley://call-link/', 'not a valid call link token'],
      [`parley://call-link/${token}/../x`, 'the link has more than a call link token'],
      [`parley://call-link/x/../${token}`, 'the link has more than a call link token'],
      [`parley://CALL-LINK/${token}`, 'unknown link (only call/ and call-link/)'],
      [`parley://call-link:1/${token}`, 'the link carries credentials or a port'],
      [`parley://call-li\tnk/${token}`, 'the link is not written as parley://call-link/<token>'],
    ])('ignores %j: %s', (url, reason) => {
      expect(parseDeepLink(url)).toEqual({ kind: 'ignored', reason });
    });
  });

  it('finds the link among command-line arguments and nothing else', () => {
    expect(deepLinkFromArgv(['/opt/Parley/parley', '--no-sandbox', 'parley://call/bob'])).toBe(
      'parley://call/bob',
    );
    expect(deepLinkFromArgv(['C:\\Parley.exe', '--', 'PARLEY://call/bob'])).toBe(
      'PARLEY://call/bob',
    );
    expect(deepLinkFromArgv(['/opt/Parley/parley', '--inspect', 'https://call/bob'])).toBeNull();
  });
});
