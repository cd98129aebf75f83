import { join } from 'node:path';

/** PARLEY_SERVER_URL holds something the app will not connect to; the message says what and why. */
export class ServerChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerChoiceError';
  }
}

export type ServerChoice = { kind: 'external'; wsUrl: string } | { kind: 'embedded' };

/**
 * The desktop app talks to PARLEY_SERVER_URL when it is set, and otherwise starts its own server.
 * An http(s) URL is accepted too and mapped to the server's WebSocket at `/ws`. Cleartext
 * (`ws:`/`http:`) is accepted only for a loopback host, since every call's
 * signaling would cross the network readable; a URL with credentials is refused rather than
 * stripped, so a user who expected them to be sent learns they are not, and nothing is echoed.
 */
export function chooseServer(env: Readonly<Record<string, string | undefined>>): ServerChoice {
  const configured = env.PARLEY_SERVER_URL?.trim();
  if (!configured) return { kind: 'embedded' };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new ServerChoiceError(`PARLEY_SERVER_URL is not a URL: ${configured}`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    url = new URL(url.href.replace(/^http/, 'ws'));
    if (url.pathname === '/') url.pathname = '/ws';
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ServerChoiceError(
      `PARLEY_SERVER_URL must be a ws:, wss:, http: or https: URL, got ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new ServerChoiceError('PARLEY_SERVER_URL must not carry a user name or password');
  }
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname)) {
    throw new ServerChoiceError(
      `PARLEY_SERVER_URL must use wss: or https: for ${url.hostname}; cleartext ws: and http: are only for loopback (127.0.0.0/8, [::1], localhost)`,
    );
  }
  return { kind: 'external', wsUrl: url.href };
}

/**
 * Loopback as WHATWG URL spells it after parsing: IPv4 in dotted decimal (`127.1` and `0x7f.1`
 * are normalised to `127.0.0.1` already), IPv6 in brackets, and the name `localhost` exactly.
 */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Arguments for the embedded server: loopback only, any free port, data under userData. */
export function embeddedServerArgs(userDataDir: string): string[] {
  return ['--port', '0', '--host', '127.0.0.1', '--data', join(userDataDir, 'server')];
}

export interface ListeningAddress {
  url: string;
  wsUrl: string;
}

/**
 * Reads one line of the server's JSON log and returns its addresses if it is the "listening"
 * line. Any other line (other messages, non-JSON output, malformed fields) gives null.
 */
export function parseListeningLine(line: string): ListeningAddress | null {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null) return null;
  const { msg, url, wsUrl } = record as Record<string, unknown>;
  if (msg !== 'listening' || typeof url !== 'string' || typeof wsUrl !== 'string') return null;
  if (!hasProtocol(url, ['http:', 'https:']) || !hasProtocol(wsUrl, ['ws:', 'wss:'])) return null;
  return { url, wsUrl };
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
