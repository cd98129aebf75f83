import {
  loginChallengeText,
  PROTOCOL_VERSION,
  registerChallengeText,
  resumeChallengeText,
} from '../../protocol';
import { verifyDeviceSignature } from '../auth/verifyDeviceSignature';
import { open, signedIn, type HandlerTable } from './HandlerTable';
import {
  provesIdentityKey,
  refuseChallengeAnswer,
  refuseIfKeyRegistered,
  refuseIfSignedIn,
} from './signInGuards';

/** Sign-in: challenge, register, login, resume and end a session. */
type SessionMessages =
  | 'hello'
  | 'auth.register'
  | 'auth.login'
  | 'session.resume'
  | 'session.end'
  | 'ping'
  | 'ack';

export const sessionHandlers: Pick<HandlerTable, SessionMessages> = {
  hello: open((connection, message) => {
    if (refuseIfSignedIn(connection, message.id)) return;
    const challenge = connection.challenge.issue(connection.services.clock.now());
    connection.send({ v: PROTOCOL_VERSION, type: 'auth.challenge', re: message.id, ...challenge });
  }),

  'auth.register': open((connection, message) => {
    if (refuseChallengeAnswer(connection, 'registrations', message)) return;
    const { accounts, sessions, clock, atomically } = connection.services;
    const text = registerChallengeText({
      origin: connection.origin,
      nonce: message.nonce,
      username: message.username,
      identityKey: message.identityKey,
    });
    if (!provesIdentityKey(connection, message, text) || refuseIfKeyRegistered(connection, message))
      return;
    const now = clock.now();
    // The account, its device and the session are on disk together before `session` answers.
    const created = atomically(() => {
      const account = accounts.createUser(
        message.username,
        message.displayName,
        { name: message.deviceName, identityKey: message.identityKey },
        now,
      );
      return account && { ...account, session: sessions.issue(account.device.id, now) };
    });
    if (!created) {
      connection.sendError(message.id, 'username_taken', `username: ${message.username} is taken`);
      return;
    }
    connection.signIn(message.id, created.user, created.device, created.session);
  }),

  'auth.login': open((connection, message) => {
    if (refuseChallengeAnswer(connection, 'signIns', message)) return;
    const { accounts, sessions, clock } = connection.services;
    const user = accounts.userByName(message.username);
    const device = accounts.device(message.deviceId);
    const text = loginChallengeText({
      origin: connection.origin,
      nonce: message.nonce,
      username: message.username,
      deviceId: message.deviceId,
    });
    // One answer for every failure, so a stranger learns nothing about which part was wrong.
    if (
      !user ||
      !device ||
      device.userId !== user.id ||
      !verifyDeviceSignature(device.identityKey, text, message.signature)
    ) {
      connection.sendError(
        message.id,
        'auth_failed',
        'no such device, or the signature does not verify',
      );
      return;
    }
    connection.signIn(message.id, user, device, sessions.issue(device.id, clock.now()));
  }),

  'session.resume': open((connection, message) => {
    if (refuseChallengeAnswer(connection, 'signIns', message)) return;
    const { accounts, sessions, clock } = connection.services;
    const session = sessions.find(message.sessionId, clock.now());
    const device = session && accounts.device(session.deviceId);
    const user = device && accounts.userById(device.userId);
    const text = resumeChallengeText({
      origin: connection.origin,
      nonce: message.nonce,
      sessionId: message.sessionId,
    });
    // A session id alone resumes nothing: the device proves it holds its key, as for a login.
    // One answer for every failure, so the client falls back to auth.login either way.
    if (
      !session ||
      !device ||
      !user ||
      !verifyDeviceSignature(device.identityKey, text, message.signature)
    ) {
      connection.sendError(
        message.id,
        'session_invalid',
        'the session expired, was revoked or never existed, or the signature does not verify',
      );
      return;
    }
    connection.signIn(
      message.id,
      user,
      device,
      { sessionId: message.sessionId, expiresAt: session.expiresAt },
      message.stream,
    );
  }),

  ping: open((connection, message) => {
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
  }),

  ack: signedIn((connection, identity, message) => {
    connection.services.streams.acknowledge(identity.deviceId, message.seq);
  }),

  'session.end': signedIn((connection, identity, message) => {
    const { sessions, clock } = connection.services;
    // Signing out ends every session of this device, not only this connection's.
    sessions.revokeDevice(identity.deviceId, clock.now());
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    connection.signOut();
  }),
};
