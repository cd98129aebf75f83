import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { serverOrigin } from '../../protocol';
import { AddressConnections } from '../limits/AddressConnections';
import { clientAddress, normalizeAddress } from './clientAddress';
import { checkHost, hostName, normalizeHostname, type Refusal } from './hostCheck';
import { LocalAddresses } from './LocalAddresses';
import { checkOrigin, normalizeOrigin } from './originCheck';
import { TrustedProxies } from './TrustedProxies';

/** How long a client refused for having too many connections open is told to wait. */
export const CONNECTION_LIMIT_RETRY_AFTER_S = 10;

export interface FrontDoorOptions {
  /** Names and IPv4 addresses (besides `localhost` and this machine's own addresses) that requests may carry in `Host`. */
  hostnames: readonly string[];
  /** Web origins besides the server's own and the desktop app's whose pages may connect. */
  allowedOrigins: readonly string[];
  /** Reverse proxies (IP addresses, CIDR ranges) whose `X-Forwarded-For` is believed. */
  trustedProxies: readonly string[];
  /** Whether the server itself serves TLS (its own origin is then https). */
  tls: boolean;
  /** WebSocket connections one address may have open. */
  connectionsPerAddress: number;
}

/**
 * Who may come in, checked before the server does anything for a request: the `Host` of every
 * request (against DNS rebinding), and for the WebSocket upgrade also the `Origin` (so another
 * web page the user visits cannot open a socket to this server) and the number of connections
 * its address already has.
 */
export class FrontDoor {
  private readonly hostnames: ReadonlySet<string>;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly proxies: TrustedProxies;
  private readonly connections: AddressConnections;
  private readonly localAddresses = new LocalAddresses();

  /** Throws an Error naming the first host name, origin or proxy entry that is malformed. */
  constructor(
    private readonly options: FrontDoorOptions,
    private readonly logger: Logger,
  ) {
    this.hostnames = new Set(options.hostnames.map((name) => valid(name, normalizeHostname(name))));
    this.allowedOrigins = new Set(
      options.allowedOrigins.map((origin) => valid(origin, normalizeOrigin(origin))),
    );
    this.proxies = new TrustedProxies(options.trustedProxies);
    this.connections = new AddressConnections(options.connectionsPerAddress);
  }

  private readonly isOwnAddress = (address: string) => this.localAddresses.has(address);

  /** The address a request comes from, `X-Forwarded-For` believed from trusted proxies only. */
  addressOf(request: IncomingMessage): string {
    return clientAddress(
      request.socket.remoteAddress,
      header(request, 'x-forwarded-for'),
      this.proxies,
    );
  }

  /** For plain HTTP: the refusal of a request to a foreign `Host` (already logged), or null. */
  checkRequest(request: IncomingMessage): Refusal | null {
    const refusal = checkHost(request.headers.host, this.hostnames, this.isOwnAddress);
    if (refusal) this.logRefusal(request, refusal);
    return refusal;
  }

  /**
   * For the WebSocket upgrade: the server origin the client connected to (see `connectionOrigin`)
   * to let it in (it then holds a place among its address's connections until its socket closes),
   * or null after answering the refusal on the raw socket (HTTP, before any WebSocket exists).
   */
  admitUpgrade(request: IncomingMessage, socket: Socket): string | null {
    const host = request.headers.host;
    const scheme = this.schemeOf(request);
    const refusal =
      checkHost(host, this.hostnames, this.isOwnAddress) ??
      checkOrigin(header(request, 'origin'), { scheme, host }, this.allowedOrigins);
    const origin = refusal ? null : connectionOrigin(scheme, host ?? '');
    if (origin === null) {
      const answered = refusal ?? { status: 400, reason: 'the Host header is malformed' };
      this.logRefusal(request, answered);
      writeRefusal(socket, answered);
      return null;
    }
    const address = this.addressOf(request);
    const release = this.connections.reserve(address);
    if (!release) {
      const limit = this.options.connectionsPerAddress;
      const tooMany = {
        status: 429,
        reason: `too many connections from your address (at most ${limit} at once)`,
      };
      this.logRefusal(request, tooMany);
      writeRefusal(socket, tooMany, { 'Retry-After': String(CONNECTION_LIMIT_RETRY_AFTER_S) });
      return null;
    }
    socket.once('close', release);
    return origin;
  }

  /** The scheme the page saw: https behind a trusted proxy that says so, else the server's own. */
  private schemeOf(request: IncomingMessage): 'http' | 'https' {
    if (this.proxies.has(normalizeAddress(request.socket.remoteAddress ?? ''))) {
      const proto = header(request, 'x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase();
      if (proto === 'https' || proto === 'http') return proto;
    }
    return this.options.tls ? 'https' : 'http';
  }

  private logRefusal(request: IncomingMessage, refusal: Refusal): void {
    this.logger.info(
      {
        address: this.addressOf(request),
        host: hostName(request.headers.host ?? '') ?? request.headers.host,
        origin: request.headers.origin,
        url: request.url,
        status: refusal.status,
      },
      `refused: ${refusal.reason}`,
    );
  }
}

/**
 * The server origin a client connected to, as its sign-in texts name it (docs/protocol.md
 * "Signing in"): `wss` for a page served over https (TLS here or at a trusted proxy), else `ws`,
 * then the `Host` the upgrade was sent to, normalised as the client normalises its URL. Null for
 * a `Host` that passed the host check but is no URL host (a configured name like `1.2.3.4.5`),
 * which no client could have connected to.
 */
function connectionOrigin(scheme: 'http' | 'https', host: string): string | null {
  try {
    return serverOrigin(`${scheme === 'https' ? 'wss' : 'ws'}://${host}`);
  } catch {
    return null;
  }
}

function valid(entry: string, normalized: string | null): string {
  if (normalized === null) throw new Error(`"${entry}" is not a valid entry`);
  return normalized;
}

/** A header's value; a repeated one counts as its last (Node joins only some headers). */
function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
};

/** Answers an upgrade request with a plain HTTP refusal and closes the connection. */
function writeRefusal(
  socket: Socket,
  refusal: Refusal,
  headers: Record<string, string> = {},
): void {
  const body = `${refusal.reason}\n`;
  const lines = [
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Refused'}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  // Closed once written, without waiting for the client to close its side.
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
