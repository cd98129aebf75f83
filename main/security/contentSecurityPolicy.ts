/**
 * The CSP sent with every app:// response. No inline script and no eval anywhere; the only
 * network endpoint besides the app itself is the signaling server's WebSocket origin.
 */
export function contentSecurityPolicy(serverWsUrl: string): string {
  const wsOrigin = webSocketOrigin(serverWsUrl);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${wsOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function webSocketOrigin(wsUrl: string): string {
  const url = new URL(wsUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`server WebSocket URL must be ws: or wss:, got ${url.protocol}`);
  }
  // `origin` of ws:/wss: URLs is scheme://host[:port]; it carries no path, so nothing else leaks in.
  return url.origin;
}
