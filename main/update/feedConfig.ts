/**
 * The update feed electron-builder wrote into resources/app-update.yml from the `publish` entry
 * of electron-builder.yml: a flat `key: value` file (provider, url, updaterCacheDirName).
 */
export interface FeedConfig {
  url: string;
}

export type FeedConfigResult = { ok: true; feed: FeedConfig } | { ok: false; reason: string };

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

function unquote(value: string): string {
  const quoted = /^'([^']*)'$/.exec(value) ?? /^"([^"\\]*)"$/.exec(value);
  return quoted?.[1] ?? value;
}

/**
 * Reads the feed from app-update.yml's text: a generic provider with an https URL (plain http
 * only on this machine's loopback). Anything else is no feed, with the reason.
 */
export function parseFeedConfig(text: string): FeedConfigResult {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z]+): (.+)$/.exec(line);
    if (!match?.[1] || !match[2]) return { ok: false, reason: `unexpected line "${line}"` };
    fields.set(match[1], unquote(match[2].trim()));
  }
  const provider = fields.get('provider');
  if (provider !== 'generic')
    return { ok: false, reason: `provider is ${provider ?? 'missing'}, not generic` };
  const raw = fields.get('url');
  if (!raw) return { ok: false, reason: 'no url' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `url "${raw}" is not a URL` };
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
  if (!secure) return { ok: false, reason: `url "${raw}" is not https` };
  return { ok: true, feed: { url: url.href } };
}
