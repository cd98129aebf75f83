import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, parseCli, USAGE } from '../../server/cliOptions';

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
    PARLEY_NOTICE_QUEUE: '64',
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
      noticeQueueLimit: 64,
    },
  });
  const flagged = parseCli(
    [
      ...['--port', '0', '--data', '/tmp/d', '--ring-timeout-ms', '500'],
      ...['--reconnect-grace-ms', '0', '--notice-queue', '1000'],
    ],
    env,
  );
  expect(flagged).toMatchObject({
    options: {
      port: 0,
      dataDir: '/tmp/d',
      ringTimeoutMs: 500,
      reconnectGraceMs: 0,
      noticeQueueLimit: 1000,
    },
  });
});

test.each([
  [['--port', '70000'], /--port/],
  [['--port', '-1'], /--port|argument/],
  [['--port', '1e3'], /--port/],
  [['--ring-timeout-ms', '0'], /--ring-timeout-ms/],
  [['--reconnect-grace-ms', '-5'], /--reconnect-grace-ms|argument/],
  [['--reconnect-grace-ms', '3600001'], /--reconnect-grace-ms/],
  [['--notice-queue', '0'], /--notice-queue/],
  [['--notice-queue', 'lots'], /--notice-queue/],
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

describe('STUN/TURN flags', () => {
  const urls =
    'stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349?transport=tcp';
  const secretFile = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'turn-secret');
  writeFileSync(secretFile, 'file-secret\n');

  test('none given: no TURN', () => {
    expect(parseCli([], {})).toEqual({
      kind: 'serve',
      options: expect.not.objectContaining({ turn: expect.anything() }),
    });
  });

  test('URLs with the secret from a file, and the default TTL of 6 hours', () => {
    expect(parseCli(['--turn-urls', urls, '--turn-secret-file', secretFile], {})).toMatchObject({
      options: {
        turn: {
          urls: [
            'stun:turn.example.com:3478',
            'turn:turn.example.com:3478?transport=udp',
            'turns:turn.example.com:5349?transport=tcp',
          ],
          secret: 'file-secret',
          ttlSeconds: 21600,
        },
      },
    });
  });

  test('environment variables configure it, and flags win over them', () => {
    const env = {
      PARLEY_TURN_URLS: 'turn:a.example:3478',
      PARLEY_TURN_SECRET: 'env-secret',
      PARLEY_TURN_TTL: '3600',
    };
    expect(parseCli([], env)).toMatchObject({
      options: { turn: { urls: ['turn:a.example:3478'], secret: 'env-secret', ttlSeconds: 3600 } },
    });
    expect(parseCli(['--turn-secret', 'flag-secret', '--turn-ttl', '600'], env)).toMatchObject({
      options: { turn: { secret: 'flag-secret', ttlSeconds: 600 } },
    });
    expect(
      parseCli([], { PARLEY_TURN_URLS: 'turn:a.example', PARLEY_TURN_SECRET_FILE: secretFile }),
    ).toMatchObject({ options: { turn: { secret: 'file-secret' } } });
  });

  test('STUN URLs alone need no secret', () => {
    expect(parseCli(['--turn-urls', 'stun:stun.example.com:3478'], {})).toMatchObject({
      options: { turn: { urls: ['stun:stun.example.com:3478'] } },
    });
  });

  const emptyFile = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'empty');
  writeFileSync(emptyFile, '\n');
  test.each([
    [['--turn-urls', 'turn:a.example'], /need --turn-secret/],
    [['--turn-urls', 'http://a.example', '--turn-secret', 's'], /not a stun:, turn: or turns: URL/],
    [['--turn-urls', 'stun:a.example,', '--turn-secret', 's'], /not a stun:/],
    [['--turn-urls', 'turn:a.example', '--turn-secret', ''], /must not be empty/],
    [['--turn-urls', 'turn:a.example', '--turn-secret-file', emptyFile], /must not be empty/],
    [['--turn-urls', 'turn:a.example', '--turn-secret-file', '/nonexistent/secret'], /cannot read/],
    [
      ['--turn-urls', 'turn:a.example', '--turn-secret', 's', '--turn-secret-file', secretFile],
      /not both/,
    ],
    [['--turn-urls', 'turn:a.example', '--turn-secret', 's', '--turn-ttl', '10'], /--turn-ttl/],
    [['--turn-urls', 'turn:a.example', '--turn-secret', 's', '--turn-ttl', '6h'], /--turn-ttl/],
    [['--turn-secret', 's'], /need --turn-urls/],
    [
      [
        '--turn-urls',
        Array.from({ length: 9 }, (_, i) => `turn:t${i}.example`).join(','),
        '--turn-secret',
        's',
      ],
      /at most 8/,
    ],
    [['--turn-ttl', '3600'], /need --turn-urls/],
  ])('refuses %j', (args, message) => {
    expect(() => parseCli(args, {})).toThrow(CliError);
    expect(() => parseCli(args, {})).toThrow(message);
  });
});

describe('contact cap and invite limits', () => {
  test('--max-contacts and the invite limits, by flag or variable; unset halves keep defaults', () => {
    const env = {
      PARLEY_MAX_CONTACTS: '50',
      PARLEY_INVITE_BURST: '20',
      PARLEY_REDIAL_EVERY_MS: '5000',
    };
    expect(parseCli([], env)).toMatchObject({
      options: {
        maxContacts: 50,
        inviteLimits: {
          perCaller: { burst: 20, everyMs: 10_000 },
          perPair: { burst: 5, everyMs: 5000 },
        },
      },
    });
    const flagged = parseCli(
      ['--max-contacts', '2000', '--invite-every-ms', '1000', '--redial-burst', '8'],
      env,
    );
    expect(flagged).toMatchObject({
      options: {
        maxContacts: 2000,
        inviteLimits: {
          perCaller: { burst: 20, everyMs: 1000 },
          perPair: { burst: 8, everyMs: 5000 },
        },
      },
    });
  });

  test.each([
    [['--max-contacts', '0'], /--max-contacts/],
    [['--invite-burst', '0'], /--invite-burst/],
    [['--invite-every-ms', 'soon'], /--invite-every-ms/],
    [['--redial-burst', '-1'], /--redial-burst|argument/],
    [['--redial-every-ms', '0'], /--redial-every-ms/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(CliError);
    expect(() => parseCli(argv, {})).toThrow(message);
  });

  test('the usage text lists the new flags with their variables', () => {
    const help = USAGE.split('\n');
    for (const [flag, variable] of [
      ['--max-contacts', 'PARLEY_MAX_CONTACTS'],
      ['--invite-burst', 'PARLEY_INVITE_BURST'],
      ['--invite-every-ms', 'PARLEY_INVITE_EVERY_MS'],
      ['--redial-burst', 'PARLEY_REDIAL_BURST'],
      ['--redial-every-ms', 'PARLEY_REDIAL_EVERY_MS'],
    ]) {
      expect(help.find((line) => line.includes(`${flag} `))).toContain(variable!);
    }
  });
});
