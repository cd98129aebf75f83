import type { ClientMessageOf, ClientMessageType } from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';

/**
 * A handler per client message type. `open` handlers run on any connection; `signedIn` ones only
 * after sign-in, and receive the identity. The mapped type makes tsc refuse a missing handler.
 */
export type Handler<T extends ClientMessageType> =
  | { access: 'open'; handle: (connection: ClientConnection, message: ClientMessageOf<T>) => void }
  | {
      access: 'signedIn';
      handle: (
        connection: ClientConnection,
        identity: ConnectionIdentity,
        message: ClientMessageOf<T>,
      ) => void;
    };

export type HandlerTable = { [T in ClientMessageType]: Handler<T> };

export function open<T extends ClientMessageType>(
  handle: (connection: ClientConnection, message: ClientMessageOf<T>) => void,
): Handler<T> {
  return { access: 'open', handle };
}

export function signedIn<T extends ClientMessageType>(
  handle: (
    connection: ClientConnection,
    identity: ConnectionIdentity,
    message: ClientMessageOf<T>,
  ) => void,
): Handler<T> {
  return { access: 'signedIn', handle };
}
