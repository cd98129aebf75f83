import type { Refusal } from './hostCheck';

/**
 * The desktop app's origin: its pages are served from `app://parley`, and its WebSocket carries
 * that Origin. The same value as APP_ORIGIN in main/security/appOrigin.ts (server/ must not import
 * main/); test/server/frontDoor/originCheck.test.ts checks that they stay equal.
 */
export const DESKTOP_APP_ORIGIN = 'app://parley';

/**
 * Checks the `Origin` of a WebSocket upgrade: which web page is opening it. No Origin passes
 * (programs that are not browsers send none, and could send any); otherwise the page must come
 * from this server itself (the same scheme and `Host`), be the desktop app, or be one of the
 * origins the operator allows. Any other page the user happens to visit is refused.
 */
export function checkOrigin(
  origin: string | undefined,
  own: { scheme: 'http' | 'https'; host: string | undefined },
  allowedOrigins: ReadonlySet<string>,
): Refusal | null {
  if (origin === undefined) return null;
  const normalized = normalizeOrigin(origin);
  if (normalized !== null) {
    if (normalized === DESKTOP_APP_ORIGIN || allowedOrigins.has(normalized)) return null;
    if (own.host !== undefined && normalized === normalizeOrigin(`${own.scheme}://${own.host}`)) {
      return null;
    }
  }
  return { status: 403, reason: `pages from ${JSON.stringify(origin)} may not connect` };
}

/**
 * `scheme://host[:port]` in the form browsers send it (lower case, no default port, no path);
 * null for anything that is not a single origin (`null`, paths, credentials, queries).
 */
export function normalizeOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return null;
  }
  if (url.pathname !== '' && url.pathname !== '/') return null;
  if (url.host === '') return null;
  // WHATWG URL gives "null" as the origin of non-special schemes such as app:, so build it.
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? url.origin
    : `${url.protocol}//${url.host.toLowerCase()}`;
}
