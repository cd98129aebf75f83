/**
 * The exact texts a device signs (Ed25519, UTF-8 bytes) to answer an `auth.challenge`. Each binds
 * the server's origin, the nonce, the action and the account, so a signature is good for one
 * answer to one server: a server that relays another server's challenge to a client gets a
 * signature naming itself, which the other server refuses.
 */

/**
 * A server's origin as signed: the WebSocket URL's scheme (`ws:` or `wss:`), host in lower case
 * and port, the default port (80 for ws, 443 for wss) left out, with no path. `wss://Chat.Example:443/ws`
 * signs as `wss://chat.example`. Built from `host` rather than `URL.origin`, which browsers
 * disagree about for ws/wss URLs.
 */
export function serverOrigin(wsUrl: string): string {
  const url = new URL(wsUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`a server origin needs a ws: or wss: URL, got ${url.protocol}`);
  }
  return `${url.protocol}//${url.host}`;
}

export interface RegisterChallenge {
  origin: string;
  nonce: string;
  username: string;
  identityKey: string;
}

export function registerChallengeText(input: RegisterChallenge): string {
  return `parley-auth-v2\nregister\n${input.origin}\n${input.nonce}\n${input.username}\n${input.identityKey}`;
}

export interface LoginChallenge {
  origin: string;
  nonce: string;
  username: string;
  deviceId: string;
}

export function loginChallengeText(input: LoginChallenge): string {
  return `parley-auth-v2\nlogin\n${input.origin}\n${input.nonce}\n${input.username}\n${input.deviceId}`;
}

export interface ResumeChallenge {
  origin: string;
  nonce: string;
  sessionId: string;
}

/** Resuming a session proves, like a login, that the device holds its key right now. */
export function resumeChallengeText(input: ResumeChallenge): string {
  return `parley-auth-v2\nresume\n${input.origin}\n${input.nonce}\n${input.sessionId}`;
}

export interface LinkRequestChallenge {
  origin: string;
  nonce: string;
  identityKey: string;
}

/** What a new device signs to ask for a link code: proof that it holds the key it presents. */
export function linkRequestText(input: LinkRequestChallenge): string {
  return `parley-auth-v2\nlink\n${input.origin}\n${input.nonce}\n${input.identityKey}`;
}
