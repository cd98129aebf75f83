import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import { isAppUrl } from '../security/appOrigin';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

export type AppFileResolution =
  | { kind: 'file'; path: string; contentType: string }
  | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/**
 * Maps an `app://parley/...` request to a file under the renderer folder. Anything that is not
 * our origin, escapes the folder (`..`, encoded slashes), or has an unknown type is refused, so
 * the scheme can never read other files of the installation.
 */
export function resolveAppFile(requestUrl: string, rendererDir: string): AppFileResolution {
  if (!isAppUrl(requestUrl)) return { kind: 'refused', status: 403, reason: 'not the app origin' };
  const { pathname } = new URL(requestUrl);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'refused', status: 400, reason: 'malformed path' };
  }
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const path = normalize(join(rendererDir, relativePath));
  const fromRoot = relative(rendererDir, path);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    return { kind: 'refused', status: 403, reason: 'outside the app folder' };
  }
  const contentType = contentTypes[extname(path).toLowerCase()];
  if (!contentType) return { kind: 'refused', status: 404, reason: 'unknown file type' };
  return { kind: 'file', path, contentType };
}
