import { PROTOCOL_VERSION, type ClientMessageOf } from '../../protocol';
import { verifyDeviceSignature } from '../auth/verifyDeviceSignature';
import type { ClientConnection } from '../connection/ClientConnection';
import type { AttemptLimits } from '../limits/addressLimits';

/** Checks shared by the messages a connection sends before it is signed in. */

/** Refuses a second sign-in on a signed-in connection; true when it did. */
export function refuseIfSignedIn(connection: ClientConnection, re: string): boolean {
  if (!connection.identity) return false;
  connection.sendError(re, 'already_authenticated', 'this connection is already signed in');
  return true;
}

type ChallengeAnswer = ClientMessageOf<
  'auth.register' | 'auth.login' | 'session.resume' | 'link.request'
>;

/**
 * The checks a message answering the connection's challenge passes first, in this order: not
 * signed in yet, within its address's `limit`, and the challenge's nonce (used up here). True when
 * one of them refused it, having answered.
 */
export function refuseChallengeAnswer(
  connection: ClientConnection,
  limit: keyof AttemptLimits,
  message: ChallengeAnswer,
): boolean {
  return (
    refuseIfSignedIn(connection, message.id) ||
    refuseIfTooManyAttempts(connection, limit, message.id) ||
    !consumeChallenge(connection, message)
  );
}

/** Uses up the connection's challenge nonce; false (after answering) when it does not match. */
function consumeChallenge(connection: ClientConnection, message: ChallengeAnswer): boolean {
  const check = connection.challenge.consume(message.nonce, connection.services.clock.now());
  if (check === 'valid') return true;
  connection.sendError(
    message.id,
    check,
    check === 'no_challenge'
      ? 'send hello first to get a challenge'
      : 'nonce: the challenge expired, was used already or belongs to another connection',
  );
  return false;
}

/** Checks that the new device signed `text` with its identity key; false (after answering) if not. */
export function provesIdentityKey(
  connection: ClientConnection,
  message: ClientMessageOf<'auth.register' | 'link.request'>,
  text: string,
): boolean {
  if (verifyDeviceSignature(message.identityKey, text, message.signature)) return true;
  connection.sendError(message.id, 'auth_failed', 'signature: does not verify with identityKey');
  return false;
}

const attemptNames: Record<keyof AttemptLimits, string> = {
  signIns: 'sign-in attempts',
  registrations: 'account registrations',
  linkRequests: 'link requests',
};

/**
 * Counts one attempt against the connection's address; when the address has used up its share,
 * answers `too_many_attempts` with how long to wait (the nonce stays unused) and returns true.
 */
function refuseIfTooManyAttempts(
  connection: ClientConnection,
  limit: keyof AttemptLimits,
  re: string,
): boolean {
  const check = connection.services.attempts[limit].take(connection.address);
  if (check.allowed) return false;
  connection.logger.info({ limit, retryAfterMs: check.retryAfterMs }, 'too many attempts');
  connection.send({
    v: PROTOCOL_VERSION,
    type: 'error',
    re,
    code: 'too_many_attempts',
    message: `too many ${attemptNames[limit]} from your address; try again in ${Math.ceil(check.retryAfterMs / 1000)} s`,
    retryAfterMs: check.retryAfterMs,
  });
  return true;
}

/**
 * Refuses a new device whose identity key some device (of any account) already has: that device
 * signs in with auth.login. True when it did.
 */
export function refuseIfKeyRegistered(
  connection: ClientConnection,
  message: ClientMessageOf<'auth.register' | 'link.request'>,
): boolean {
  if (!connection.services.accounts.isIdentityKeyRegistered(message.identityKey)) return false;
  connection.sendError(
    message.id,
    'auth_failed',
    'identityKey: this key already belongs to a device; sign in with auth.login',
  );
  return true;
}
