import {
  CONTACTS_PAGE_DEFAULT,
  MAX_BLOCKED_USERS,
  PROTOCOL_VERSION,
  type ServerMessageOf,
} from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import type { UserRecord } from '../db/AccountStore';
import { signedIn, type HandlerTable } from './HandlerTable';

/** Looking people up, keeping a contact list and a block list, and your own display name. */
type PeopleMessages =
  | 'user.lookup'
  | 'contacts.list'
  | 'contacts.add'
  | 'contacts.remove'
  | 'profile.update'
  | 'blocks.list'
  | 'blocks.add'
  | 'blocks.remove';

type Contact = ServerMessageOf<'contact'>['contact'];

/** The user as the viewer may see them: presence only when the user shares it with the viewer. */
function toContact(connection: ClientConnection, viewerId: number, user: UserRecord): Contact {
  return {
    username: user.username,
    displayName: user.displayName,
    presence: connection.services.presence.presenceFor(viewerId, user.id),
    identityKey: user.identityKey,
  };
}

/**
 * The user a request names, other than the asker; otherwise answers the refusal (`what` says
 * what the asker cannot do to themselves) and returns null.
 */
function otherUser(
  connection: ClientConnection,
  identity: ConnectionIdentity,
  message: { id: string; username: string },
  what: string,
): UserRecord | null {
  if (message.username === identity.username) {
    connection.sendError(message.id, 'bad_message', `username: you cannot ${what} yourself`);
    return null;
  }
  const user = connection.services.accounts.userByName(message.username);
  if (!user) {
    connection.sendError(message.id, 'unknown_user', `no user named ${message.username}`);
    return null;
  }
  return user;
}

function sendBlocks(connection: ClientConnection, identity: ConnectionIdentity, re: string): void {
  connection.send({
    v: PROTOCOL_VERSION,
    type: 'blocks',
    re,
    usernames: connection.services.contacts.blockedBy(identity.userId),
  });
}

export const peopleHandlers: Pick<HandlerTable, PeopleMessages> = {
  'user.lookup': signedIn((connection, identity, message) => {
    const user = connection.services.accounts.userByName(message.username);
    if (!user) {
      connection.sendError(message.id, 'unknown_user', `no user named ${message.username}`);
      return;
    }
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'user',
      re: message.id,
      ...toContact(connection, identity.userId, user),
    });
  }),

  'contacts.list': signedIn((connection, identity, message) => {
    const page = connection.services.contacts.page(
      identity.userId,
      message.after,
      message.limit ?? CONTACTS_PAGE_DEFAULT,
    );
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'contacts',
      re: message.id,
      contacts: page.contacts.map((user) => toContact(connection, identity.userId, user)),
      next: page.next,
    });
  }),

  'contacts.add': signedIn((connection, identity, message) => {
    const { contacts, clock, presence } = connection.services;
    const user = otherUser(connection, identity, message, 'add');
    if (!user) return;
    const result = contacts.add(identity.userId, user.id, clock.now());
    if (result === 'full') {
      connection.sendError(
        message.id,
        'contacts_full',
        `your contact list is full (at most ${contacts.maxContacts} contacts)`,
      );
      return;
    }
    // Adding someone shares your presence with them, if they have added you.
    if (result === 'added') presence.publishTo(identity.userId, user.id);
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'contact',
      re: message.id,
      contact: toContact(connection, identity.userId, user),
    });
  }),

  'contacts.remove': signedIn((connection, identity, message) => {
    const { contacts, presence } = connection.services;
    const user = otherUser(connection, identity, message, 'remove');
    if (!user) return;
    // Removing someone stops sharing your presence with them.
    if (contacts.remove(identity.userId, user.id)) presence.publishTo(identity.userId, user.id);
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
  }),

  'profile.update': signedIn((connection, identity, message) => {
    const { accounts, contacts, directory } = connection.services;
    accounts.setDisplayName(identity.userId, message.displayName);
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    const owners = contacts.ownersOf(identity.userId).flatMap((id) => directory.devicesOf(id));
    // Serialised once for all their devices, like presence.
    directory.sendToDevices(owners, {
      v: PROTOCOL_VERSION,
      type: 'contact.renamed',
      username: identity.username,
      displayName: message.displayName,
    });
  }),

  'blocks.list': signedIn((connection, identity, message) => {
    sendBlocks(connection, identity, message.id);
  }),

  'blocks.add': signedIn((connection, identity, message) => {
    const { contacts, clock, presence } = connection.services;
    const user = otherUser(connection, identity, message, 'block');
    if (!user) return;
    const result = contacts.block(identity.userId, user.id, clock.now());
    if (result === 'full') {
      connection.sendError(
        message.id,
        'blocks_full',
        `you have blocked as many people as this server allows (${MAX_BLOCKED_USERS})`,
      );
      return;
    }
    if (result === 'blocked') presence.publishTo(identity.userId, user.id);
    sendBlocks(connection, identity, message.id);
  }),

  'blocks.remove': signedIn((connection, identity, message) => {
    const { contacts, presence } = connection.services;
    const user = otherUser(connection, identity, message, 'unblock');
    if (!user) return;
    if (contacts.unblock(identity.userId, user.id)) presence.publishTo(identity.userId, user.id);
    sendBlocks(connection, identity, message.id);
  }),
};
