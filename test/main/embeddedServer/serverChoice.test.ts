import {
  chooseServer,
  embeddedServerArgs,
  parseListeningLine,
} from '../../../main/embeddedServer/serverChoice';

describe('which server the desktop app uses', () => {
  it('starts the embedded server when PARLEY_SERVER_URL is unset or blank', () => {
    expect(chooseServer({})).toEqual({ kind: 'embedded' });
    expect(chooseServer({ PARLEY_SERVER_URL: '  ' })).toEqual({ kind: 'embedded' });
  });

  it('uses a configured ws(s) URL as is', () => {
    expect(chooseServer({ PARLEY_SERVER_URL: 'wss://parley.example.com/ws' })).toEqual({
      kind: 'external',
      wsUrl: 'wss://parley.example.com/ws',
    });
  });

  it('maps an http(s) server URL to its WebSocket at /ws', () => {
    expect(chooseServer({ PARLEY_SERVER_URL: 'https://parley.example.com' })).toEqual({
      kind: 'external',
      wsUrl: 'wss://parley.example.com/ws',
    });
    expect(chooseServer({ PARLEY_SERVER_URL: 'http://127.0.0.1:8080/' })).toEqual({
      kind: 'external',
      wsUrl: 'ws://127.0.0.1:8080/ws',
    });
  });

  it('refuses a URL it cannot use, saying which variable is wrong', () => {
    expect(() => chooseServer({ PARLEY_SERVER_URL: 'parley.example.com' })).toThrow(
      'PARLEY_SERVER_URL is not a URL',
    );
    expect(() => chooseServer({ PARLEY_SERVER_URL: 'ftp://parley.example.com' })).toThrow(
      'PARLEY_SERVER_URL must be a ws:, wss:, http: or https: URL',
    );
  });

  it.each([
    ['ws://127.0.0.1:8080/ws', 'ws://127.0.0.1:8080/ws'],
    ['ws://127.8.9.10/ws', 'ws://127.8.9.10/ws'],
    ['ws://127.1:8080/ws', 'ws://127.0.0.1:8080/ws'],
    ['ws://[::1]:8080/ws', 'ws://[::1]:8080/ws'],
    ['ws://localhost:8080/ws', 'ws://localhost:8080/ws'],
    ['http://LOCALHOST:8080', 'ws://localhost:8080/ws'],
  ])('accepts cleartext %s because it stays on this machine', (configured, wsUrl) => {
    expect(chooseServer({ PARLEY_SERVER_URL: configured })).toEqual({ kind: 'external', wsUrl });
  });

  it.each([
    'ws://parley.example.com/ws',
    'http://parley.example.com',
    'ws://192.168.1.10:8080/ws',
    'ws://10.0.0.1/ws',
    'ws://0.0.0.0:8080/ws',
    'ws://[::]:8080/ws',
    'ws://[::ffff:127.0.0.1]/ws',
    'ws://127.0.0.1.nip.io/ws',
    'ws://localhost.example.com/ws',
    'ws://localhost./ws',
    'ws://sub.localhost/ws',
  ])(
    'refuses cleartext %s: sign-ins and call signaling would cross the network readable',
    (configured) => {
      expect(() => chooseServer({ PARLEY_SERVER_URL: configured })).toThrow(
        'cleartext ws: and http: are only for loopback',
      );
    },
  );

  it.each([
    'wss://alice:s3cret@parley.example.com/ws',
    'https://alice@parley.example.com',
    'ws://:s3cret@127.0.0.1:8080/ws',
  ])('refuses %s, which carries credentials, without echoing them', (configured) => {
    let message = '';
    try {
      chooseServer({ PARLEY_SERVER_URL: configured });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('PARLEY_SERVER_URL must not carry a user name or password');
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('alice');
  });

  it('runs the embedded server on loopback, any free port, data under userData/server', () => {
    expect(embeddedServerArgs('/home/a/.config/Parley')).toEqual([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      '/home/a/.config/Parley/server',
    ]);
  });
});

describe('the server "listening" log line', () => {
  const line = JSON.stringify({
    level: 30,
    time: 1,
    msg: 'listening',
    url: 'http://127.0.0.1:41234/',
    wsUrl: 'ws://127.0.0.1:41234/ws',
  });

  it('gives the addresses from the listening line', () => {
    expect(parseListeningLine(line)).toEqual({
      url: 'http://127.0.0.1:41234/',
      wsUrl: 'ws://127.0.0.1:41234/ws',
    });
  });

  it.each([
    ['another message', JSON.stringify({ msg: 'migrated', url: 'http://a/', wsUrl: 'ws://a/' })],
    ['plain text', 'listening on http://127.0.0.1:8080'],
    ['a JSON array', '["listening"]'],
    ['JSON null', 'null'],
    ['a missing wsUrl', JSON.stringify({ msg: 'listening', url: 'http://a/' })],
    [
      'a wsUrl that is http',
      JSON.stringify({ msg: 'listening', url: 'http://a/', wsUrl: 'http://a/' }),
    ],
    ['a url that is not a URL', JSON.stringify({ msg: 'listening', url: 'x', wsUrl: 'ws://a/' })],
    ['a numeric url', JSON.stringify({ msg: 'listening', url: 1, wsUrl: 'ws://a/' })],
    ['an empty line', ''],
  ])('ignores %s', (_name, text) => {
    expect(parseListeningLine(text)).toBeNull();
  });
});
