import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IceUrl } from '../protocol';
import type { ServerOptions } from './app';
import { normalizeHostname } from './frontDoor/hostCheck';
import { normalizeOrigin } from './frontDoor/originCheck';
import { parseProxyEntry } from './frontDoor/TrustedProxies';
import {
  DEFAULT_CONNECTIONS_PER_ADDRESS,
  DEFAULT_LINK_REQUESTS_PER_MINUTE,
  DEFAULT_REGISTRATIONS_PER_HOUR,
  DEFAULT_SIGN_INS_PER_MINUTE,
} from './limits/addressLimits';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './exitOnStopSignals';
import { DEFAULT_CALLER_INVITE_LIMIT, DEFAULT_PAIR_INVITE_LIMIT } from './calls/InviteLimits';
import type { RateLimit } from './calls/KeyedRateLimiter';
import { GROUP_COMMIT_OFF, MAX_COMMIT_DELAY_MS } from './db/GroupCommit';
import { DEFAULT_TURN_TTL_SECONDS, type TurnOptions } from './turn/IceIssuer';
import { MAX_ROOM_MEMBERS } from '../protocol';
import {
  DEFAULT_CALLS_PER_WORKER,
  DEFAULT_SFU_PORT_RANGE,
  resolveSfuOptions,
  SfuOptionsError,
  type SfuOptions,
} from './sfu/SfuOptions';

/**
 * Command-line flags of `server/main.ts`, each with an environment equivalent; a flag wins over
 * its variable. Bad values throw a CliError whose message is the one line to show.
 */
export class CliError extends Error {}

export const USAGE = `usage: parley-server [options]
  --port <n>                PARLEY_PORT                port to listen on (0 = any free port; default 8080)
  --host <addr>             PARLEY_HOST                bind address (default 127.0.0.1)
  --data <dir>              PARLEY_DATA                data folder for the SQLite database (default ./data)
  --tls-cert <file>         PARLEY_TLS_CERT            TLS certificate (PEM); serves https/wss with --tls-key
  --tls-key <file>          PARLEY_TLS_KEY             TLS private key (PEM)
  --ring-timeout-ms <n>     PARLEY_RING_TIMEOUT_MS     how long calls ring before timing out
  --reconnect-grace-ms <n>  PARLEY_RECONNECT_GRACE_MS  how long a dropped device keeps its calls (default 30000)
  --notice-queue <n>        PARLEY_NOTICE_QUEUE        unacknowledged notices kept per device (default 512)
  --send-queue-bytes <n>    PARLEY_SEND_QUEUE_BYTES    bytes a connection may leave unread before it is closed (default 1048576)
  --message-burst <n>       PARLEY_MESSAGE_BURST       messages a connection may send at once (default 200)
  --message-rate <n>        PARLEY_MESSAGE_RATE        messages per second a connection may send after its burst (default 50)
  --flood-close-after <n>   PARLEY_FLOOD_CLOSE_AFTER   messages sent while rate limited that close the connection (default 200)
  --sign-in-deadline-ms <n> PARLEY_SIGN_IN_DEADLINE_MS how long a connection may stay without signing in (default 30000)
  --shutdown-timeout-ms <n> PARLEY_SHUTDOWN_TIMEOUT_MS longest stop after SIGTERM/SIGINT, then exit 1 (default 10000)
  --max-contacts <n>        PARLEY_MAX_CONTACTS        most contacts per account (default 1000)
  --commit-delay-ms <n|off> PARLEY_COMMIT_DELAY_MS     how long writes wait to commit as one group (0 = at the end of the
                                                       event-loop turn, the default; at most ${MAX_COMMIT_DELAY_MS}); off = each on its own
  --invite-burst <n>        PARLEY_INVITE_BURST        calls a user may start at once (default 10)
  --invite-every-ms <n>     PARLEY_INVITE_EVERY_MS     then one more call every n ms (default 10000)
  --redial-burst <n>        PARLEY_REDIAL_BURST        calls a user may make to one person at once (default 5)
  --redial-every-ms <n>     PARLEY_REDIAL_EVERY_MS     then one more call to them every n ms (default 20000)
  --turn-urls <list>        PARLEY_TURN_URLS           comma-separated stun:, turn: and turns: URLs handed to clients
  --turn-secret-file <f>    PARLEY_TURN_SECRET_FILE    file holding coturn's static-auth-secret (preferred)
  --turn-secret <s>         PARLEY_TURN_SECRET         coturn's static-auth-secret itself
  --turn-ttl <seconds>      PARLEY_TURN_TTL            lifetime of minted TURN credentials (default 21600)
  --hostnames <list>        PARLEY_HOSTNAMES           comma-separated names (or IPv4 addresses) clients reach the
                                                       server by (Host); localhost and this machine's own
                                                       addresses are always accepted
  --allowed-origins <list>  PARLEY_ALLOWED_ORIGINS     comma-separated web origins (https://name[:port]) whose pages
                                                       may connect, besides the server's own and the desktop app's
  --trusted-proxies <list>  PARLEY_TRUSTED_PROXIES     comma-separated reverse proxy addresses or CIDR ranges whose
                                                       X-Forwarded-For gives the client's address
  Group calls (off unless --sfu-listen-ip is given; media goes through mediasoup workers started on
  the first group call; open the port range for UDP and TCP):
  --sfu-listen-ip <addr>    PARLEY_SFU_LISTEN_IP       local address media sockets bind to (turns group calls on)
  --sfu-announced-address <a> PARLEY_SFU_ANNOUNCED_ADDRESS
                                                       address or name clients reach media at, when not the listen ip
  --sfu-ports <min-max>     PARLEY_SFU_PORTS           media ports, UDP and TCP (default ${DEFAULT_SFU_PORT_RANGE.min}-${DEFAULT_SFU_PORT_RANGE.max})
  --sfu-workers <n>         PARLEY_SFU_WORKERS         mediasoup workers, one per core (default: the number of cores)
  --sfu-calls-per-worker <n> PARLEY_SFU_CALLS_PER_WORKER
                                                       group calls one worker carries (default ${DEFAULT_CALLS_PER_WORKER})
  --max-call-members <n>    PARLEY_MAX_CALL_MEMBERS    most people in one group call, 2 to ${MAX_ROOM_MEMBERS} (default ${MAX_ROOM_MEMBERS})
  Per remote address (an IPv4 address or an IPv6 /64):
  --connections-per-address <n>    PARLEY_CONNECTIONS_PER_ADDRESS
                                   WebSocket connections open at once (default ${DEFAULT_CONNECTIONS_PER_ADDRESS})
  --sign-ins-per-address <n>       PARLEY_SIGN_INS_PER_ADDRESS
                                   auth.login and session.resume attempts per minute (default ${DEFAULT_SIGN_INS_PER_MINUTE})
  --registrations-per-address <n>  PARLEY_REGISTRATIONS_PER_ADDRESS
                                   auth.register attempts per hour (default ${DEFAULT_REGISTRATIONS_PER_HOUR})
  --link-requests-per-address <n>  PARLEY_LINK_REQUESTS_PER_ADDRESS
                                   link.request attempts per minute (default ${DEFAULT_LINK_REQUESTS_PER_MINUTE})
  --help                                               show this help`;

export type CliCommand =
  | { kind: 'help' }
  | {
      kind: 'serve';
      options: Omit<ServerOptions, 'logger'>;
      /** The process's bound on a stop (not the library's: the embedding app stops its own). */
      shutdownTimeoutMs: number;
    };

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'ring-timeout-ms': { type: 'string' },
        'reconnect-grace-ms': { type: 'string' },
        'notice-queue': { type: 'string' },
        'send-queue-bytes': { type: 'string' },
        'message-burst': { type: 'string' },
        'message-rate': { type: 'string' },
        'flood-close-after': { type: 'string' },
        'sign-in-deadline-ms': { type: 'string' },
        'shutdown-timeout-ms': { type: 'string' },
        'max-contacts': { type: 'string' },
        'commit-delay-ms': { type: 'string' },
        'invite-burst': { type: 'string' },
        'invite-every-ms': { type: 'string' },
        'redial-burst': { type: 'string' },
        'redial-every-ms': { type: 'string' },
        'turn-urls': { type: 'string' },
        'turn-secret': { type: 'string' },
        'turn-secret-file': { type: 'string' },
        'turn-ttl': { type: 'string' },
        hostnames: { type: 'string' },
        'allowed-origins': { type: 'string' },
        'trusted-proxies': { type: 'string' },
        'connections-per-address': { type: 'string' },
        'sign-ins-per-address': { type: 'string' },
        'registrations-per-address': { type: 'string' },
        'link-requests-per-address': { type: 'string' },
        'sfu-listen-ip': { type: 'string' },
        'sfu-announced-address': { type: 'string' },
        'sfu-ports': { type: 'string' },
        'sfu-workers': { type: 'string' },
        'sfu-calls-per-worker': { type: 'string' },
        'max-call-members': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };

  const port = integer('--port', values.port ?? env.PARLEY_PORT ?? '8080', 0, 65535);
  const host = values.host ?? env.PARLEY_HOST ?? '127.0.0.1';
  if (host === '') throw new CliError('--host must not be empty');
  const dataDir = resolve(values.data ?? env.PARLEY_DATA ?? './data');
  const certFile = values['tls-cert'] ?? env.PARLEY_TLS_CERT;
  const keyFile = values['tls-key'] ?? env.PARLEY_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new CliError('--tls-cert and --tls-key must be given together');
  }
  const ringTimeout = values['ring-timeout-ms'] ?? env.PARLEY_RING_TIMEOUT_MS;
  const reconnectGrace = values['reconnect-grace-ms'] ?? env.PARLEY_RECONNECT_GRACE_MS;
  const noticeQueue = values['notice-queue'] ?? env.PARLEY_NOTICE_QUEUE;
  const shutdownTimeout = values['shutdown-timeout-ms'] ?? env.PARLEY_SHUTDOWN_TIMEOUT_MS;
  const maxContacts = values['max-contacts'] ?? env.PARLEY_MAX_CONTACTS;
  const commitDelay = values['commit-delay-ms'] ?? env.PARLEY_COMMIT_DELAY_MS;
  const perCaller = rateLimit(
    { flag: '--invite-burst', text: values['invite-burst'] ?? env.PARLEY_INVITE_BURST },
    { flag: '--invite-every-ms', text: values['invite-every-ms'] ?? env.PARLEY_INVITE_EVERY_MS },
    DEFAULT_CALLER_INVITE_LIMIT,
  );
  const perPair = rateLimit(
    { flag: '--redial-burst', text: values['redial-burst'] ?? env.PARLEY_REDIAL_BURST },
    { flag: '--redial-every-ms', text: values['redial-every-ms'] ?? env.PARLEY_REDIAL_EVERY_MS },
    DEFAULT_PAIR_INVITE_LIMIT,
  );
  const turn = turnOptions(values, env);
  const limits = connectionLimits(values, env);
  return {
    kind: 'serve',
    options: {
      port,
      host,
      dataDir,
      ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
      ...(ringTimeout !== undefined
        ? { ringTimeoutMs: integer('--ring-timeout-ms', ringTimeout, 1, 10 * 60_000) }
        : {}),
      ...(reconnectGrace !== undefined
        ? {
            reconnectGraceMs: integer('--reconnect-grace-ms', reconnectGrace, 0, 60 * 60_000),
          }
        : {}),
      ...(noticeQueue !== undefined
        ? { noticeQueueLimit: integer('--notice-queue', noticeQueue, 1, 100_000) }
        : {}),
      ...limits,
      ...(maxContacts !== undefined
        ? { maxContacts: integer('--max-contacts', maxContacts, 1, 100_000) }
        : {}),
      ...(commitDelay !== undefined
        ? {
            commitDelayMs:
              commitDelay === 'off'
                ? GROUP_COMMIT_OFF
                : integer('--commit-delay-ms', commitDelay, 0, MAX_COMMIT_DELAY_MS),
          }
        : {}),
      ...(perCaller || perPair
        ? { inviteLimits: { ...(perCaller && { perCaller }), ...(perPair && { perPair }) } }
        : {}),
      ...(turn ? { turn } : {}),
      ...frontDoorOptions(values, env),
      ...groupCallOptions(values, env),
    },
    shutdownTimeoutMs:
      shutdownTimeout === undefined
        ? DEFAULT_SHUTDOWN_TIMEOUT_MS
        : integer('--shutdown-timeout-ms', shutdownTimeout, 100, 10 * 60_000),
  };
}

interface ConnectionLimitValues {
  'send-queue-bytes'?: string;
  'message-burst'?: string;
  'message-rate'?: string;
  'flood-close-after'?: string;
  'sign-in-deadline-ms'?: string;
}

/** The per-connection limits given as flags or variables; the others keep their defaults. */
function connectionLimits(
  values: ConnectionLimitValues,
  env: NodeJS.ProcessEnv,
): Pick<
  ServerOptions,
  'sendQueueBytes' | 'messageBurst' | 'messageRate' | 'floodCloseAfter' | 'signInDeadlineMs'
> {
  const given = (flag: keyof ConnectionLimitValues, variable: string, min: number, max: number) => {
    const text = values[flag] ?? env[variable];
    return text === undefined ? undefined : integer(`--${flag}`, text, min, max);
  };
  // A queue bound below the largest message could close a connection that reads normally.
  const sendQueueBytes = given('send-queue-bytes', 'PARLEY_SEND_QUEUE_BYTES', 256 * 1024, 2 ** 30);
  const messageBurst = given('message-burst', 'PARLEY_MESSAGE_BURST', 1, 100_000);
  const messageRate = given('message-rate', 'PARLEY_MESSAGE_RATE', 1, 100_000);
  const floodCloseAfter = given('flood-close-after', 'PARLEY_FLOOD_CLOSE_AFTER', 1, 1_000_000);
  const signInDeadlineMs = given(
    'sign-in-deadline-ms',
    'PARLEY_SIGN_IN_DEADLINE_MS',
    1_000,
    60 * 60_000,
  );
  return {
    ...(sendQueueBytes !== undefined ? { sendQueueBytes } : {}),
    ...(messageBurst !== undefined ? { messageBurst } : {}),
    ...(messageRate !== undefined ? { messageRate } : {}),
    ...(floodCloseAfter !== undefined ? { floodCloseAfter } : {}),
    ...(signInDeadlineMs !== undefined ? { signInDeadlineMs } : {}),
  };
}

/** A flag's name and the text given for it (by flag or variable), if any. */
interface FlagText {
  flag: string;
  text: string | undefined;
}

/** A rate limit from its two flags, each defaulting alone; undefined when neither is given. */
function rateLimit(burst: FlagText, every: FlagText, defaults: RateLimit): RateLimit | undefined {
  if (burst.text === undefined && every.text === undefined) return undefined;
  return {
    burst: burst.text === undefined ? defaults.burst : integer(burst.flag, burst.text, 1, 10_000),
    everyMs:
      every.text === undefined
        ? defaults.everyMs
        : integer(every.flag, every.text, 1, 24 * 3600_000),
  };
}

interface TurnValues {
  'turn-urls'?: string;
  'turn-secret'?: string;
  'turn-secret-file'?: string;
  'turn-ttl'?: string;
}

/** The STUN/TURN part of the flags, or undefined when none is given. */
function turnOptions(values: TurnValues, env: NodeJS.ProcessEnv): TurnOptions | undefined {
  const urlList = values['turn-urls'] ?? env.PARLEY_TURN_URLS;
  const secretText = values['turn-secret'] ?? env.PARLEY_TURN_SECRET;
  const secretFile = values['turn-secret-file'] ?? env.PARLEY_TURN_SECRET_FILE;
  const ttl = values['turn-ttl'] ?? env.PARLEY_TURN_TTL;
  if (secretText !== undefined && secretFile !== undefined) {
    throw new CliError('give --turn-secret or --turn-secret-file, not both');
  }
  if (urlList === undefined) {
    if (secretText !== undefined || secretFile !== undefined || ttl !== undefined) {
      throw new CliError('--turn-secret, --turn-secret-file and --turn-ttl need --turn-urls');
    }
    return undefined;
  }

  const urls = urlList.split(',').map((url) => url.trim());
  for (const url of urls) {
    if (!IceUrl.safeParse(url).success) {
      throw new CliError(`--turn-urls: "${url}" is not a stun:, turn: or turns: URL`);
    }
  }
  // The protocol carries at most 8 URLs per server entry (STUN in one, TURN in the other).
  const stunCount = urls.filter((url) => url.startsWith('stun:')).length;
  if (stunCount > 8 || urls.length - stunCount > 8) {
    throw new CliError('--turn-urls takes at most 8 stun: and 8 turn:/turns: URLs');
  }
  const secret = secretFile !== undefined ? readSecretFile(secretFile) : secretText;
  if (secret !== undefined && secret.trim() === '') {
    throw new CliError('the TURN secret must not be empty');
  }
  if (!secret && urls.some((url) => !url.startsWith('stun:'))) {
    throw new CliError(
      'turn: and turns: URLs in --turn-urls need --turn-secret-file or --turn-secret',
    );
  }
  return {
    urls,
    ...(secret ? { secret } : {}),
    ttlSeconds:
      ttl === undefined ? DEFAULT_TURN_TTL_SECONDS : integer('--turn-ttl', ttl, 60, 7 * 24 * 3600),
  };
}

interface GroupCallValues {
  'sfu-listen-ip'?: string;
  'sfu-announced-address'?: string;
  'sfu-ports'?: string;
  'sfu-workers'?: string;
  'sfu-calls-per-worker'?: string;
  'max-call-members'?: string;
}

/** Group calls: on with --sfu-listen-ip, whose SFU the other --sfu-* flags shape. */
function groupCallOptions(
  values: GroupCallValues,
  env: NodeJS.ProcessEnv,
): Pick<ServerOptions, 'sfu' | 'maxCallMembers'> {
  const listenIp = values['sfu-listen-ip'] ?? env.PARLEY_SFU_LISTEN_IP;
  const announced = values['sfu-announced-address'] ?? env.PARLEY_SFU_ANNOUNCED_ADDRESS;
  const ports = values['sfu-ports'] ?? env.PARLEY_SFU_PORTS;
  const workers = values['sfu-workers'] ?? env.PARLEY_SFU_WORKERS;
  const callsPerWorker = values['sfu-calls-per-worker'] ?? env.PARLEY_SFU_CALLS_PER_WORKER;
  const maxMembers = values['max-call-members'] ?? env.PARLEY_MAX_CALL_MEMBERS;
  if (listenIp === undefined) {
    if ([announced, ports, workers, callsPerWorker, maxMembers].some((v) => v !== undefined)) {
      throw new CliError(
        '--sfu-announced-address, --sfu-ports, --sfu-workers, --sfu-calls-per-worker and ' +
          '--max-call-members need --sfu-listen-ip (group calls are off without it)',
      );
    }
    return {};
  }
  const range = ports === undefined ? undefined : portRange(ports);
  const sfu: Partial<SfuOptions> = {
    listenIp,
    ...(announced !== undefined ? { announcedAddress: announced } : {}),
    ...(range ? { rtcMinPort: range.min, rtcMaxPort: range.max } : {}),
    ...(workers !== undefined ? { workers: integer('--sfu-workers', workers, 1, 256) } : {}),
    ...(callsPerWorker !== undefined
      ? { callsPerWorker: integer('--sfu-calls-per-worker', callsPerWorker, 1, 10_000) }
      : {}),
  };
  const maxCallMembers =
    maxMembers === undefined
      ? undefined
      : integer('--max-call-members', maxMembers, 2, MAX_ROOM_MEMBERS);
  try {
    // Checked now, so a wrong address is the one line the operator sees, before anything starts.
    resolveSfuOptions(sfu);
  } catch (error) {
    if (error instanceof SfuOptionsError) throw new CliError(error.message);
    throw error;
  }
  return { sfu, ...(maxCallMembers !== undefined ? { maxCallMembers } : {}) };
}

/** `min-max`, both ports, min not above max. */
function portRange(text: string): { min: number; max: number } {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match)
    throw new CliError(`--sfu-ports must be a range of ports like 40000-49999, got "${text}"`);
  const min = integer('--sfu-ports', match[1]!, 1, 65535);
  const max = integer('--sfu-ports', match[2]!, 1, 65535);
  if (min > max) throw new CliError(`--sfu-ports: the range ${text} is empty`);
  return { min, max };
}

interface FrontDoorValues {
  hostnames?: string;
  'allowed-origins'?: string;
  'trusted-proxies'?: string;
  'connections-per-address'?: string;
  'sign-ins-per-address'?: string;
  'registrations-per-address'?: string;
  'link-requests-per-address'?: string;
}

const MAX_PER_ADDRESS = 1_000_000;

/** Who may connect (Host, Origin, proxies) and what one address may do; only what is given. */
function frontDoorOptions(
  values: FrontDoorValues,
  env: NodeJS.ProcessEnv,
): Pick<ServerOptions, 'hostnames' | 'allowedOrigins' | 'trustedProxies' | 'addressLimits'> {
  const hostnames = list('--hostnames', values.hostnames ?? env.PARLEY_HOSTNAMES, (name) =>
    normalizeHostname(name) === null ? 'is not a host name' : null,
  );
  const origins = list(
    '--allowed-origins',
    values['allowed-origins'] ?? env.PARLEY_ALLOWED_ORIGINS,
    (origin) =>
      normalizeOrigin(origin) === null ? 'is not an origin (scheme://name[:port])' : null,
  );
  const proxies = list(
    '--trusted-proxies',
    values['trusted-proxies'] ?? env.PARLEY_TRUSTED_PROXIES,
    (entry) => (parseProxyEntry(entry) === null ? 'is not an IP address or CIDR range' : null),
  );
  const limit = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : integer(flag, text, 1, MAX_PER_ADDRESS);
  const limits = {
    connections: limit(
      '--connections-per-address',
      values['connections-per-address'] ?? env.PARLEY_CONNECTIONS_PER_ADDRESS,
    ),
    signInsPerMinute: limit(
      '--sign-ins-per-address',
      values['sign-ins-per-address'] ?? env.PARLEY_SIGN_INS_PER_ADDRESS,
    ),
    registrationsPerHour: limit(
      '--registrations-per-address',
      values['registrations-per-address'] ?? env.PARLEY_REGISTRATIONS_PER_ADDRESS,
    ),
    linkRequestsPerMinute: limit(
      '--link-requests-per-address',
      values['link-requests-per-address'] ?? env.PARLEY_LINK_REQUESTS_PER_ADDRESS,
    ),
  };
  const addressLimits = Object.fromEntries(
    Object.entries(limits).filter(([, value]) => value !== undefined),
  );
  return {
    ...(hostnames ? { hostnames } : {}),
    ...(origins ? { allowedOrigins: origins } : {}),
    ...(proxies ? { trustedProxies: proxies } : {}),
    ...(Object.keys(addressLimits).length > 0 ? { addressLimits } : {}),
  };
}

/** A comma-separated list (an empty text is an empty list); `problem` says what is wrong with one. */
function list(
  flag: string,
  text: string | undefined,
  problem: (entry: string) => string | null,
): string[] | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '') return [];
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const wrong = entry === '' ? 'is empty' : problem(entry);
    if (wrong) throw new CliError(`${flag}: "${entry}" ${wrong}`);
  }
  return entries;
}

/** The secret is the file's first line, as coturn's own secret files hold it. */
function readSecretFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new CliError(
      `--turn-secret-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
