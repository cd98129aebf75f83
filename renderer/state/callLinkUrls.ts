/**
 * The two addresses of a call link (docs/protocol.md "Call links"): the web page on the server
 * the app signs in to, and the desktop app's deep link. `serverUrl` is the signaling WebSocket's
 * URL; the page is served over HTTPS where signaling is WSS (plain HTTP for a local ws: server).
 */
export function callLinkUrls(serverUrl: string, token: string): { url: string; deepLink: string } {
  const server = new URL(serverUrl);
  const scheme = server.protocol === 'wss:' ? 'https:' : 'http:';
  return {
    url: `${scheme}//${server.host}/call/${token}`,
    deepLink: `parley://call-link/${token}`,
  };
}
