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
