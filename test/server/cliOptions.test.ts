import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, parseCli, USAGE } from '../../server/cliOptions';
import { GROUP_COMMIT_OFF } from '../../server/db/GroupCommit';

test('defaults: port 8080 on 127.0.0.1 with ./data, stopping within 10 s', () => {
  expect(parseCli([], {})).toEqual({
    kind: 'serve',
    options: { port: 8080, host: '127.0.0.1', dataDir: resolve('./data') },
    shutdownTimeoutMs: 10_000,
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
    PARLEY_SHUTDOWN_TIMEOUT_MS: '5000',
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
    shutdownTimeoutMs: 5000,
  });
  const flagged = parseCli(
    [
      ...['--port', '0', '--data', '/tmp/d', '--ring-timeout-ms', '500'],
      ...['--reconnect-grace-ms', '0', '--notice-queue', '1000'],
      ...['--shutdown-timeout-ms', '2500'],
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
    shutdownTimeoutMs: 2500,
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
  [['--shutdown-timeout-ms', '0'], /--shutdown-timeout-ms/],
  [['--shutdown-timeout-ms', 'soon'], /--shutdown-timeout-ms/],
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
      shutdownTimeoutMs: 10_000,
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

describe('front door flags', () => {
  it('read names, origins, proxies and per-address limits from flags and environment', () => {
    const env = {
      PARLEY_HOSTNAMES: 'parley.example.com, chat.example.org',
      PARLEY_ALLOWED_ORIGINS: 'https://web.example',
      PARLEY_TRUSTED_PROXIES: '10.0.0.1,fd00::/8',
      PARLEY_CONNECTIONS_PER_ADDRESS: '50',
      PARLEY_SIGN_INS_PER_ADDRESS: '40',
      PARLEY_REGISTRATIONS_PER_ADDRESS: '30',
      PARLEY_LINK_REQUESTS_PER_ADDRESS: '20',
    };
    expect(parseCli([], env)).toMatchObject({
      options: {
        hostnames: ['parley.example.com', 'chat.example.org'],
        allowedOrigins: ['https://web.example'],
        trustedProxies: ['10.0.0.1', 'fd00::/8'],
        addressLimits: {
          connections: 50,
          signInsPerMinute: 40,
          registrationsPerHour: 30,
          linkRequestsPerMinute: 20,
        },
      },
    });
    const flagged = parseCli(
      [
        ...['--hostnames', 'a.example', '--allowed-origins', 'app://other,http://b.example:8080'],
        ...['--trusted-proxies', '127.0.0.1/32', '--registrations-per-address', '1000'],
      ],
      env,
    );
    expect(flagged).toMatchObject({
      options: {
        hostnames: ['a.example'],
        allowedOrigins: ['app://other', 'http://b.example:8080'],
        trustedProxies: ['127.0.0.1/32'],
        addressLimits: { connections: 50, registrationsPerHour: 1000 },
      },
    });
  });

  it('leave everything at its default when not given, and take an empty list as none', () => {
    expect(parseCli([], {})).toEqual({
      kind: 'serve',
      options: { port: 8080, host: '127.0.0.1', dataDir: resolve('./data') },
      shutdownTimeoutMs: 10_000,
    });
    expect(parseCli(['--hostnames', '', '--trusted-proxies', ' '], {})).toMatchObject({
      options: { hostnames: [], trustedProxies: [] },
    });
  });

  it.each([
    [
      ['--hostnames', 'https://parley.example.com'],
      /--hostnames: "https:\/\/parley.example.com" is not a host name/,
    ],
    [['--hostnames', 'parley.example.com:443'], /--hostnames/],
    [['--hostnames', 'a.example,'], /--hostnames: "" is empty/],
    [['--allowed-origins', 'web.example'], /--allowed-origins: "web.example" is not an origin/],
    [['--allowed-origins', 'https://web.example/app'], /--allowed-origins/],
    [['--allowed-origins', 'null'], /--allowed-origins/],
    [
      ['--trusted-proxies', 'proxy.example'],
      /--trusted-proxies: "proxy.example" is not an IP address or CIDR range/,
    ],
    [['--trusted-proxies', '10.0.0.0/40'], /--trusted-proxies/],
    [['--connections-per-address', '0'], /--connections-per-address must be a whole number from 1/],
    [['--sign-ins-per-address', 'many'], /--sign-ins-per-address/],
    [['--registrations-per-address', '1.5'], /--registrations-per-address/],
    [['--link-requests-per-address', '1000001'], /--link-requests-per-address/],
  ])('refuses %j', (args, message) => {
    expect(() => parseCli(args, {})).toThrow(CliError);
    expect(() => parseCli(args, {})).toThrow(message);
  });
});

describe('per-connection limit flags', () => {
  test('none given: the server keeps its defaults', () => {
    const { options } = parseCli([], {}) as Extract<ReturnType<typeof parseCli>, { kind: 'serve' }>;
    expect(options).not.toHaveProperty('sendQueueBytes');
    expect(options).not.toHaveProperty('messageBurst');
    expect(options).not.toHaveProperty('messageRate');
    expect(options).not.toHaveProperty('floodCloseAfter');
    expect(options).not.toHaveProperty('signInDeadlineMs');
  });

  test('environment variables configure them, and flags win over them', () => {
    const env = {
      PARLEY_SEND_QUEUE_BYTES: '2097152',
      PARLEY_MESSAGE_BURST: '100',
      PARLEY_MESSAGE_RATE: '20',
      PARLEY_FLOOD_CLOSE_AFTER: '500',
      PARLEY_SIGN_IN_DEADLINE_MS: '10000',
    };
    expect(parseCli([], env)).toMatchObject({
      options: {
        sendQueueBytes: 2_097_152,
        messageBurst: 100,
        messageRate: 20,
        floodCloseAfter: 500,
        signInDeadlineMs: 10_000,
      },
    });
    const flagged = parseCli(
      [
        ...['--send-queue-bytes', '262144', '--message-burst', '5', '--message-rate', '1'],
        ...['--flood-close-after', '1', '--sign-in-deadline-ms', '1000'],
      ],
      env,
    );
    expect(flagged).toMatchObject({
      options: {
        sendQueueBytes: 262_144,
        messageBurst: 5,
        messageRate: 1,
        floodCloseAfter: 1,
        signInDeadlineMs: 1000,
      },
    });
  });

  test.each([
    [['--send-queue-bytes', '65536'], /--send-queue-bytes must be a whole number from 262144/],
    [['--send-queue-bytes', '1MiB'], /--send-queue-bytes/],
    [['--message-burst', '0'], /--message-burst/],
    [['--message-rate', '0'], /--message-rate/],
    [['--message-rate', '2.5'], /--message-rate/],
    [['--flood-close-after', '0'], /--flood-close-after/],
    [['--sign-in-deadline-ms', '999'], /--sign-in-deadline-ms/],
    [['--sign-in-deadline-ms', '3600001'], /--sign-in-deadline-ms/],
  ])('refuses %j with a clear message', (args, message) => {
    expect(() => parseCli(args, {})).toThrow(CliError);
    expect(() => parseCli(args, {})).toThrow(message);
  });

  test('a bad value in a variable is refused too, naming the flag', () => {
    expect(() => parseCli([], { PARLEY_MESSAGE_RATE: 'fast' })).toThrow(/--message-rate/);
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

describe('group commit delay', () => {
  test('--commit-delay-ms takes milliseconds or off, by flag or variable; unset keeps the default', () => {
    expect(parseCli([], {})).not.toHaveProperty('options.commitDelayMs');
    expect(parseCli([], { PARLEY_COMMIT_DELAY_MS: '5' })).toMatchObject({
      options: { commitDelayMs: 5 },
    });
    expect(parseCli(['--commit-delay-ms', '0'], { PARLEY_COMMIT_DELAY_MS: '5' })).toMatchObject({
      options: { commitDelayMs: 0 },
    });
    expect(parseCli(['--commit-delay-ms', 'off'], {})).toMatchObject({
      options: { commitDelayMs: GROUP_COMMIT_OFF },
    });
  });

  test.each([['-1'], ['1001'], ['soon'], ['']])('--commit-delay-ms %j is refused', (value) => {
    expect(() => parseCli([`--commit-delay-ms=${value}`], {})).toThrow(/--commit-delay-ms/);
  });

  test('the usage text lists it with its variable', () => {
    const line = USAGE.split('\n').find((l) => l.includes('--commit-delay-ms '));
    expect(line).toContain('PARLEY_COMMIT_DELAY_MS');
  });
});

describe('group call flags', () => {
  test('none given: no group calls', () => {
    const command = parseCli([], {});
    if (command.kind !== 'serve') throw new Error('not serve');
    expect(command.options.sfu).toBeUndefined();
    expect(command.options.maxCallMembers).toBeUndefined();
  });

  test('--sfu-listen-ip turns them on; the other flags shape the SFU, by flag or variable', () => {
    const command = parseCli(
      [
        '--sfu-listen-ip',
        '0.0.0.0',
        '--sfu-announced-address',
        'media.example.com',
        '--sfu-ports',
        '40000-49159',
        '--sfu-workers',
        '2',
        '--max-call-members',
        '8',
      ],
      { PARLEY_SFU_CALLS_PER_WORKER: '5', PARLEY_SFU_WORKERS: '4' },
    );
    if (command.kind !== 'serve') throw new Error('not serve');
    expect(command.options.sfu).toEqual({
      listenIp: '0.0.0.0',
      announcedAddress: 'media.example.com',
      rtcMinPort: 40000,
      rtcMaxPort: 49159,
      workers: 2,
      callsPerWorker: 5,
    });
    expect(command.options.maxCallMembers).toBe(8);
  });

  test.each([
    [['--sfu-ports', '40000-41000'], '--sfu-listen-ip'],
    [['--max-call-members', '4'], '--sfu-listen-ip'],
    [['--sfu-listen-ip', 'example.com'], 'IPv4 or IPv6'],
    [['--sfu-listen-ip', '127.0.0.1', '--sfu-ports', '41000-40000'], 'empty'],
    [['--sfu-listen-ip', '127.0.0.1', '--sfu-ports', '40000'], 'range of ports'],
    [['--sfu-listen-ip', '127.0.0.1', '--max-call-members', '17'], '2 to 16'],
    [['--sfu-listen-ip', '127.0.0.1', '--sfu-workers', '0'], '--sfu-workers'],
  ])('%j is refused, saying %s', (argv, says) => {
    expect(() => parseCli(argv, {})).toThrow(CliError);
    expect(() => parseCli(argv, {})).toThrow(says);
  });

  test('the usage text lists them with their variables', () => {
    for (const flag of [
      '--sfu-listen-ip',
      'PARLEY_SFU_ANNOUNCED_ADDRESS',
      '--sfu-ports',
      '--sfu-workers',
      '--sfu-calls-per-worker',
      'PARLEY_MAX_CALL_MEMBERS',
    ]) {
      expect(USAGE).toContain(flag);
    }
  });
});
