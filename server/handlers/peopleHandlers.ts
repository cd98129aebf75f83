import { CONTACTS_PAGE_DEFAULT, PROTOCOL_VERSION, type ServerMessageOf } from '../../protocol';
import type { ServerServices } from '../ServerServices';
import type { UserRecord } from '../db/AccountStore';
import { signedIn, type HandlerTable } from './HandlerTable';

/** Looking people up and keeping a contact list. */
type PeopleMessages = 'user.lookup' | 'contacts.list' | 'contacts.add';

type Contact = ServerMessageOf<'contact'>['contact'];

function toContact(services: ServerServices, user: UserRecord): Contact {
  return {
    username: user.username,
    displayName: user.displayName,
    presence: services.presence.presenceOf(user.id),
    identityKey: user.identityKey,
  };
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
    const page = connection.services.contacts.page(
      identity.userId,
      message.after,
      message.limit ?? CONTACTS_PAGE_DEFAULT,
    );
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'contacts',
      re: message.id,
      contacts: page.contacts.map((user) => toContact(connection.services, user)),
      next: page.next,
    });
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
    if (contacts.add(identity.userId, user.id, clock.now()) === 'full') {
      connection.sendError(
        message.id,
        'contacts_full',
        `your contact list is full (at most ${contacts.maxContacts} contacts)`,
      );
      return;
    }
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'contact',
      re: message.id,
      contact: toContact(connection.services, user),
    });
  }),
};
