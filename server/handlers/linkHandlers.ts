import { linkCertificateText, linkRequestText, PROTOCOL_VERSION } from '../../protocol';
import { verifyDeviceSignature } from '../auth/verifyDeviceSignature';
import type { ClientConnection } from '../connection/ClientConnection';
import { sendDevices } from './deviceHandlers';
import { open, signedIn, type HandlerTable } from './HandlerTable';
import { provesIdentityKey, refuseChallengeAnswer, refuseIfKeyRegistered } from './signInGuards';

/**
 * Linking a new device: it asks for a code on an unauthenticated connection and waits; a
 * signed-in device looks the code up and approves it (certifying the new key) or rejects it.
 */
type LinkMessages = 'link.request' | 'link.lookup' | 'link.approve' | 'link.reject';

/** The protocol's IdentityChain holds at most 8 keys, so a chain of 8 cannot certify more. */
const MAX_CHAIN_LENGTH = 8;

/** One answer for a code that is unknown, expired, already used or no longer linkable. */
function refuseLinkCode(connection: ClientConnection, re: string): void {
  connection.sendError(re, 'link_code_invalid', 'code: unknown or expired');
}

export const linkHandlers: Pick<HandlerTable, LinkMessages> = {
  'link.request': open((connection, message) => {
    if (refuseChallengeAnswer(connection, 'linkRequests', message)) return;
    const { links } = connection.services;
    const text = linkRequestText({
      origin: connection.origin,
      nonce: message.nonce,
      identityKey: message.identityKey,
    });
    if (!provesIdentityKey(connection, message, text) || refuseIfKeyRegistered(connection, message))
      return;
    const link = links.open(connection, {
      deviceName: message.deviceName,
      identityKey: message.identityKey,
    });
    connection.waitingForLink();
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'link.code',
      re: message.id,
      code: link.code,
      expiresAt: link.expiresAt,
    });
  }),

  'link.lookup': signedIn((connection, _identity, message) => {
    const link = connection.services.links.find(message.code);
    if (!link) {
      refuseLinkCode(connection, message.id);
      return;
    }
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'link.pending',
      re: message.id,
      code: link.code,
      deviceName: link.deviceName,
      identityKey: link.identityKey,
      expiresAt: link.expiresAt,
    });
  }),

  'link.approve': signedIn((connection, identity, message) => {
    const { accounts, sessions, links, clock, atomically } = connection.services;
    const link = links.find(message.code);
    const approver = accounts.device(identity.deviceId);
    const user = accounts.userById(identity.userId);
    // A key registered since the request (another link won the race) cannot be linked twice.
    if (!link || !approver || !user || accounts.isIdentityKeyRegistered(link.identityKey)) {
      refuseLinkCode(connection, message.id);
      return;
    }
    // v2: the signature binds this code and its expiry, so it cannot serve any other link.
    const certified = { code: link.code, expiresAt: link.expiresAt };
    const text = linkCertificateText({
      username: identity.username,
      identityKey: link.identityKey,
      ...certified,
    });
    if (!verifyDeviceSignature(approver.identityKey, text, message.signature)) {
      connection.sendError(
        message.id,
        'bad_certificate',
        "signature: does not verify with this device's identity key",
      );
      return;
    }
    if (approver.identityChain.length >= MAX_CHAIN_LENGTH) {
      connection.sendError(
        message.id,
        'bad_certificate',
        `this device's chain is already ${MAX_CHAIN_LENGTH} long; approve from an older device`,
      );
      return;
    }
    const taken = links.take(message.code);
    if (!taken) {
      refuseLinkCode(connection, message.id);
      return;
    }
    const now = clock.now();
    // The device and its session are on disk together before either side is told.
    const linked = atomically(() => {
      const device = accounts.linkDevice(
        identity.userId,
        {
          name: link.deviceName,
          identityChain: [
            ...approver.identityChain,
            { identityKey: link.identityKey, signature: message.signature, link: certified },
          ],
        },
        now,
      );
      return { device, session: sessions.issue(device.id, now) };
    });
    const { device } = linked;
    taken.waiter.linkApproved({ code: message.code, user, ...linked });
    connection.logger.info({ linked: device.id }, 'device linked');
    sendDevices(connection, identity, message.id);
  }),

  'link.reject': signedIn((connection, _identity, message) => {
    const taken = connection.services.links.take(message.code);
    if (!taken) {
      refuseLinkCode(connection, message.id);
      return;
    }
    taken.waiter.linkRejected(message.code, 'rejected');
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
  }),
};
