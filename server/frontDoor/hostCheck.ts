import { isIP } from 'node:net';

/** Why a request is turned away before the server serves it: an HTTP status and one line. */
export interface Refusal {
  status: number;
  reason: string;
}

/**
 * Checks the `Host` a request was sent to. `localhost`, the configured names and addresses, and
 * this machine's own IP addresses pass; the port may be anything (behind a proxy or a port
 * forward it is not the one the server listens on). A foreign name would be DNS rebinding; a
 * foreign address, another server relaying its clients' sign-ins here under its own origin.
 */
export function checkHost(
  host: string | undefined,
  hostnames: ReadonlySet<string>,
  isOwnAddress: (address: string) => boolean,
): Refusal | null {
  if (host === undefined || host === '')
    return { status: 400, reason: 'the Host header is missing' };
  const name = hostName(host);
  if (name === null) return { status: 400, reason: 'the Host header is malformed' };
  if (name === 'localhost' || hostnames.has(name)) return null;
  if (isIP(name) === 0) {
    return { status: 421, reason: `this server does not answer to the name ${name}` };
  }
  if (isOwnAddress(name)) return null;
  return {
    status: 421,
    reason: `this server does not answer to the address ${name} (not one of its own; the operator may list it in --hostnames)`,
  };
}

/** The highest TCP port: a `Host` naming a higher one is malformed. */
const MAX_PORT = 65_535;

/** The name or address in a `Host` value without its port, lower case; null when malformed. */
export function hostName(host: string): string | null {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(host);
  if (bracketed) {
    if (!validPort(bracketed[2])) return null;
    return isIP(bracketed[1]!) === 6 ? bracketed[1]!.toLowerCase() : null;
  }
  const plain = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!plain || !validPort(plain[2])) return null;
  return normalizeHostname(plain[1]!);
}

function validPort(port: string | undefined): boolean {
  return port === undefined || Number(port) <= MAX_PORT;
}

/** A DNS name in lower case without a trailing dot, or an IPv4 address; null for anything else. */
export function normalizeHostname(text: string): string | null {
  const name = text.toLowerCase().replace(/\.$/, '');
  if (isIP(name) === 4) return name;
  const label = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
  if (name.length > 253 || !new RegExp(`^${label}(?:\\.${label})*$`).test(name)) return null;
  return name;
}
