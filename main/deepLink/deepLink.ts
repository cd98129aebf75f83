import { Username } from '../../protocol/primitives';
import { CallLinkToken } from '../../protocol/roomMessages';

export const DEEP_LINK_SCHEME = 'parley';

export type DeepLink =
  | { kind: 'callUser'; username: string; ignoredParts: string[] }
  | { kind: 'openCallLink'; token: string; ignoredParts: string[] }
  | { kind: 'ignored'; reason: string };

const maxLinkLength = 2048;

/** What each link is written as: the host (in lower case), then one path part. */
const linkHosts = {
  call: { what: 'parley://call/<username>', part: 'a username' },
  'call-link': { what: 'parley://call-link/<token>', part: 'a call link token' },
} as const;
type LinkHost = keyof typeof linkHosts;
const isLinkHost = (host: string): host is LinkHost => Object.hasOwn(linkHosts, host);

/**
 * Reads the two deep links Parley knows: `parley://call/<username>` and
 * `parley://call-link/<token>` (a group call's link: docs/protocol.md "Call links"). The path
 * part must pass the protocol's schema as written (no percent-decoding, no case folding), so a
 * link can only name a real username or a well-formed token. The path is taken from the raw
 * string, never from the parsed URL: URL parsing resolves `..`, `%2e%2e` and `.` segments and
 * drops tabs and newlines, so `parley://call/bob/../alice` would otherwise call alice. Query and
 * fragment never act: they are reported as ignored.
 */
export function parseDeepLink(url: string): DeepLink {
  if (url.length > maxLinkLength) return { kind: 'ignored', reason: 'the link is too long' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'ignored', reason: 'not a URL' };
  }
  if (parsed.protocol !== `${DEEP_LINK_SCHEME}:`) {
    return { kind: 'ignored', reason: `not a ${DEEP_LINK_SCHEME}: link` };
  }
  if (parsed.username || parsed.password || parsed.port) {
    return { kind: 'ignored', reason: 'the link carries credentials or a port' };
  }
  const host = parsed.host;
  if (!isLinkHost(host)) {
    return { kind: 'ignored', reason: 'unknown link (only call/ and call-link/)' };
  }
  const { what, part } = linkHosts[host];
  // The scheme may be in any case; the host was matched exactly above.
  const prefix = new RegExp(`^${DEEP_LINK_SCHEME}://${host}/`, 'i').exec(url);
  if (!prefix) {
    return { kind: 'ignored', reason: `the link is not written as ${what}` };
  }
  const rawPath = url.slice(prefix[0].length).split(/[?#]/, 1)[0] ?? '';
  const match = /^([^/]*)\/?$/.exec(rawPath);
  if (!match) return { kind: 'ignored', reason: `the link has more than ${part}` };
  const ignoredParts = [parsed.search && 'query', parsed.hash && 'fragment'].filter(
    (part): part is string => Boolean(part),
  );
  if (host === 'call-link') {
    const token = CallLinkToken.safeParse(match[1]);
    if (!token.success) return { kind: 'ignored', reason: 'not a valid call link token' };
    return { kind: 'openCallLink', token: token.data, ignoredParts };
  }
  const username = Username.safeParse(match[1]);
  if (!username.success) return { kind: 'ignored', reason: 'not a valid username' };
  return { kind: 'callUser', username: username.data, ignoredParts };
}

/** The deep link among a process's arguments (Windows and Linux pass it on the command line). */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) ?? null;
}

/** A line for the log that never echoes the whole (possibly hostile, possibly huge) link. */
export function describeDeepLink(link: DeepLink): string {
  if (link.kind === 'ignored') return `deep link ignored: ${link.reason}`;
  const ignored = link.ignoredParts.length
    ? ` (ignored its ${link.ignoredParts.join(' and ')})`
    : '';
  // A call link's token lets whoever holds it ask to join: it stays out of the log.
  if (link.kind === 'openCallLink') return `deep link: open a call link${ignored}`;
  return `deep link: call ${link.username}${ignored}`;
}
