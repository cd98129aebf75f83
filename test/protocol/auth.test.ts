import {
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
  resumeChallengeText,
  serverOrigin,
} from '../../protocol';

describe('serverOrigin', () => {
  test.each([
    ['ws://127.0.0.1:8080/ws', 'ws://127.0.0.1:8080'],
    ['ws://chat.example:80/ws', 'ws://chat.example'],
    ['wss://Chat.Example:443/ws', 'wss://chat.example'],
    ['wss://chat.example:80/ws', 'wss://chat.example:80'],
    ['ws://chat.example:443', 'ws://chat.example:443'],
    ['WSS://CHAT.EXAMPLE/', 'wss://chat.example'],
    ['ws://[::1]:9000/ws', 'ws://[::1]:9000'],
    ['wss://[2001:DB8::1]/ws?x=1#y', 'wss://[2001:db8::1]'],
  ])('%s signs as %s', (url, origin) => {
    expect(serverOrigin(url)).toBe(origin);
  });

  test('refuses a URL that is not ws: or wss:', () => {
    for (const url of ['http://chat.example/ws', 'https://chat.example', 'file:///ws']) {
      expect(() => serverOrigin(url)).toThrow(/ws: or wss:/);
    }
    expect(() => serverOrigin('not a url')).toThrow();
  });
});

describe('sign-in texts (docs/protocol.md "Signing in", "Linked devices")', () => {
  const origin = 'wss://chat.example';

  test('each has its documented form: version, action, origin, nonce, then what it binds', () => {
    expect(registerChallengeText({ origin, nonce: 'N', username: 'alice', identityKey: 'K' })).toBe(
      'parley-auth-v2\nregister\nwss://chat.example\nN\nalice\nK',
    );
    expect(loginChallengeText({ origin, nonce: 'N', username: 'alice', deviceId: 'D' })).toBe(
      'parley-auth-v2\nlogin\nwss://chat.example\nN\nalice\nD',
    );
    expect(resumeChallengeText({ origin, nonce: 'N', sessionId: 'S' })).toBe(
      'parley-auth-v2\nresume\nwss://chat.example\nN\nS',
    );
    expect(linkRequestText({ origin, nonce: 'N', identityKey: 'K' })).toBe(
      'parley-auth-v2\nlink\nwss://chat.example\nN\nK',
    );
  });

  test('the same answer for another server or another action is another text', () => {
    const login = { nonce: 'N', username: 'alice', deviceId: 'K' };
    expect(loginChallengeText({ origin, ...login })).not.toBe(
      loginChallengeText({ origin: 'ws://chat.example', ...login }),
    );
    expect(loginChallengeText({ origin, ...login })).not.toBe(
      registerChallengeText({ origin, nonce: 'N', username: 'alice', identityKey: 'K' }),
    );
  });
});
