import { PROTOCOL_VERSION } from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/** Looking people up and keeping a contact list. */
type PeopleMessages = 'user.lookup' | 'contacts.list' | 'contacts.add';

function sendContacts(
  connection: ClientConnection,
  identity: ConnectionIdentity,
  re: string,
): void {
  const { contacts, presence } = connection.services;
  connection.send({
    v: PROTOCOL_VERSION,
    type: 'contacts',
    re,
    contacts: contacts.list(identity.userId).map((contact) => ({
      username: contact.username,
      displayName: contact.displayName,
      presence: presence.presenceOf(contact.id),
      identityKey: contact.identityKey,
    })),
  });
}

export const peopleHandlers: Pick<HandlerTable, PeopleMessages> = {
  'user.lookup': signedIn((connection, _identity, message) => {
    const { accounts, presence } = connection.services;
    const user = accounts.userByName(message.username);
    if (!user) {
      connection.sendError(message.id, 'unknown_user', `no user named ${message.username}`);
      return;
    }
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'user',
      re: message.id,
      username: user.username,
      displayName: user.displayName,
      presence: presence.presenceOf(user.id),
      identityKey: user.identityKey,
    });
  }),

  'contacts.list': signedIn((connection, identity, message) => {
    sendContacts(connection, identity, message.id);
  }),

  'contacts.add': signedIn((connection, identity, message) => {
    const { accounts, contacts, clock } = connection.services;
    if (message.username === identity.username) {
      connection.sendError(message.id, 'bad_message', 'username: you cannot add yourself');
      return;
    }
    const user = accounts.userByName(message.username);
    if (!user) {
      connection.sendError(message.id, 'unknown_user', `no user named ${message.username}`);
      return;
    }
    contacts.add(identity.userId, user.id, clock.now());
    sendContacts(connection, identity, message.id);
  }),
};
