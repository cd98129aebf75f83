import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
 * Finds the web client's file for a URL path inside `webRoot`: `/` is index.html, directories and
 * anything resolving outside the root (`..`, encoded slashes, symlinks out) are not served. Nor
 * are source maps: they embed the TypeScript sources and stay beside the bundles only for
 * debugging.
 */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  path: string;
  size: number;
  contentType: string;
}

export async function findStaticFile(webRoot: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  try {
    const root = await realpath(webRoot);
    const candidate = resolve(root, relative);
    if (!candidate.startsWith(root + sep)) return null;
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return null;
    const info = await stat(real);
    if (!info.isFile() || extname(real).toLowerCase() === '.map') return null;
    return {
      path: real,
      size: info.size,
      contentType: contentTypes[extname(real).toLowerCase()] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}
