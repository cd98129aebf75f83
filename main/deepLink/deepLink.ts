import { Username } from '../../protocol/primitives';

export const DEEP_LINK_SCHEME = 'parley';

export type DeepLink =
  | { kind: 'callUser'; username: string; ignoredParts: string[] }
  | { kind: 'ignored'; reason: string };

const maxLinkLength = 2048;

/** `parley://call/` as written (the scheme may be in any case), then the username part. */
const rawCallPrefix = new RegExp(`^${DEEP_LINK_SCHEME}://call/`, 'i');

/**
 * Reads `parley://call/<username>`, the one deep link Parley knows. The username must pass the
 * protocol's Username schema as written (no percent-decoding, no case folding), so a link can
 * only name a real username. The path is taken from the raw string, never from the parsed URL:
 * URL parsing resolves `..`, `%2e%2e` and `.` segments and drops tabs and newlines, so
 * `parley://call/bob/../alice` would otherwise call alice. Query and fragment never act: they
 * are reported as ignored.
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
  if (parsed.host !== 'call') return { kind: 'ignored', reason: 'unknown link (only call/)' };
  const prefix = rawCallPrefix.exec(url);
  if (!prefix)
    return { kind: 'ignored', reason: 'the link is not written as parley://call/<username>' };
  const rawPath = url.slice(prefix[0].length).split(/[?#]/, 1)[0] ?? '';
  const match = /^([^/]*)\/?$/.exec(rawPath);
  if (!match) return { kind: 'ignored', reason: 'the link has more than a username' };
  const username = Username.safeParse(match[1]);
  if (!username.success) return { kind: 'ignored', reason: 'not a valid username' };
  const ignoredParts = [parsed.search && 'query', parsed.hash && 'fragment'].filter(
    (part): part is string => Boolean(part),
  );
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
  return `deep link: call ${link.username}${ignored}`;
}
