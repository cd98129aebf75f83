import type { Host } from '../host/Host';
import { SignalingError } from './RequestTracker';
import type { Authenticate, SessionReply, SignalingRequests } from './SignalingClient';

const CLIENT_NAME = 'parley-renderer/0.1';

export interface NewAccount {
  username: string;
  displayName: string;
}

/** hello -> auth.challenge: the nonce every sign-in (and a link request) signs. */
export async function challenge(requests: SignalingRequests) {
  return requests.request('hello', { client: CLIENT_NAME });
}

/** First run: create (or reuse) the device key, register it, and remember the account. */
export function registerDevice(host: Host, account: NewAccount): Authenticate {
  return async (requests) => {
    const { nonce } = await challenge(requests);
    const identityKey = (await host.getIdentityPublicKey()) ?? (await host.createIdentity());
    const signature = await host.signRegisterChallenge(nonce, account.username);
    const session = await requests.request('auth.register', {
      username: account.username,
      displayName: account.displayName,
      deviceName: host.deviceName,
      identityKey,
      nonce,
      signature,
    });
    await host.setAccount({
      username: session.user.username,
      displayName: session.user.displayName,
      deviceId: session.deviceId,
    });
    await host.setSessionToken(session.token);
    return session;
  };
}

/**
 * A known device: resume the stored session if there is one (continuing the notice stream the
 * client has, if any), else answer a login challenge.
 */
export function signIn(host: Host): Authenticate {
  return async (requests, stream) => {
    const account = await host.getAccount();
    if (!account) throw new SignalingError('auth_failed', 'This device has no account yet');
    let hello = await challenge(requests);
    const token = await host.getSessionToken();
    if (token) {
      try {
        const resumed = await requests.request('session.resume', {
          token,
          ...(stream ? { stream } : {}),
        });
        await host.setSessionToken(resumed.token);
        return resumed;
      } catch (error) {
        if (!(error instanceof SignalingError) || error.code !== 'session_invalid') throw error;
        await host.setSessionToken(null);
      }
    }
    if (hello.expiresAt <= Date.now()) hello = await challenge(requests);
    const signature = await host.signLoginChallenge(
      hello.nonce,
      account.username,
      account.deviceId,
    );
    const session: SessionReply = await requests.request('auth.login', {
      username: account.username,
      deviceId: account.deviceId,
      nonce: hello.nonce,
      signature,
    });
    await host.setSessionToken(session.token);
    if (session.user.displayName !== account.displayName) {
      await host.setAccount({ ...account, displayName: session.user.displayName });
    }
    return session;
  };
}
