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
    return session;
  };
}

/**
 * A known device: resume this client's session if there is one (continuing its notice stream, if
 * any), signing the fresh nonce as proof of the device key; else answer a login challenge.
 */
export function signIn(host: Host): Authenticate {
  return async (requests, resume) => {
    const account = await host.getAccount();
    if (!account) throw new SignalingError('auth_failed', 'This device has no account yet');
    let hello = await challenge(requests);
    if (resume) {
      try {
        const signature = await host.signResumeChallenge(hello.nonce, resume.sessionId);
        return await requests.request('session.resume', {
          sessionId: resume.sessionId,
          nonce: hello.nonce,
          signature,
          ...(resume.stream ? { stream: resume.stream } : {}),
        });
      } catch (error) {
        if (!(error instanceof SignalingError) || error.code !== 'session_invalid') throw error;
        // The refused resume used the nonce up.
        hello = await challenge(requests);
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
    if (session.user.displayName !== account.displayName) {
      await host.setAccount({ ...account, displayName: session.user.displayName });
    }
    return session;
  };
}
