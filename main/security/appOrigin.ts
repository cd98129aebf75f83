/**
 * The app's own origin. Content is served from `app://parley/`, a privileged standard scheme, so
 * every trust decision (IPC sender, permissions, navigation) compares against this one place.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'parley';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` (a full URL or a bare origin) belongs to the app's origin. WHATWG URL reports
 * `origin` as "null" for non-special schemes, so scheme and host are compared instead; the port
 * and credentials must be absent so `app://parley:1` or `app://parley@evil` never pass.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
