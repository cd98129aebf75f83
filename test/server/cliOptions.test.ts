import { resolve } from 'node:path';
import { CliError, parseCli } from '../../server/cliOptions';

test('defaults: port 8080 on 127.0.0.1 with ./data', () => {
  expect(parseCli([], {})).toEqual({
    kind: 'serve',
    options: { port: 8080, host: '127.0.0.1', dataDir: resolve('./data') },
  });
});

test('environment variables configure it, and flags win over them', () => {
  const env = {
    PARLEY_PORT: '9000',
    PARLEY_HOST: '0.0.0.0',
    PARLEY_DATA: '/srv/parley',
    PARLEY_TLS_CERT: '/c.pem',
    PARLEY_TLS_KEY: '/k.pem',
    PARLEY_RING_TIMEOUT_MS: '1000',
    PARLEY_RECONNECT_GRACE_MS: '20000',
  };
  expect(parseCli([], env)).toEqual({
    kind: 'serve',
    options: {
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/srv/parley',
      tls: { certFile: '/c.pem', keyFile: '/k.pem' },
      ringTimeoutMs: 1000,
      reconnectGraceMs: 20000,
    },
  });
  const flagged = parseCli(
    ['--port', '0', '--data', '/tmp/d', '--ring-timeout-ms', '500', '--reconnect-grace-ms', '0'],
    env,
  );
  expect(flagged).toMatchObject({
    options: { port: 0, dataDir: '/tmp/d', ringTimeoutMs: 500, reconnectGraceMs: 0 },
  });
});

test.each([
  [['--port', '70000'], /--port/],
  [['--port', '-1'], /--port|argument/],
  [['--port', '1e3'], /--port/],
  [['--ring-timeout-ms', '0'], /--ring-timeout-ms/],
  [['--reconnect-grace-ms', '-5'], /--reconnect-grace-ms|argument/],
  [['--reconnect-grace-ms', '3600001'], /--reconnect-grace-ms/],
  [['--tls-key', 'k.pem'], /together/],
  [['--unknown'], /unknown/i],
  [['extra'], /positional|unexpected/i],
])('refuses %j with a clear message', (args, message) => {
  expect(() => parseCli(args, {})).toThrow(CliError);
  expect(() => parseCli(args, {})).toThrow(message);
});

test('--help asks for the usage text', () => {
  expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
});
