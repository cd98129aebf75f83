import type { ClientMessage, ClientMessageOf, ClientMessageType } from '../../protocol';
import type { ClientConnection } from '../connection/ClientConnection';
import { callHandlers } from './callHandlers';
import { callLogHandlers } from './callLogHandlers';
import { deviceHandlers } from './deviceHandlers';
import type { Handler, HandlerTable } from './HandlerTable';
import { linkHandlers } from './linkHandlers';
import { peopleHandlers } from './peopleHandlers';
import { roomHandlers } from './roomHandlers';
import { sessionHandlers } from './sessionHandlers';

/** The server's one dispatch table: exactly one handler per client message type. */
export const handlers: HandlerTable = {
  ...sessionHandlers,
  ...peopleHandlers,
  ...callHandlers,
  ...callLogHandlers,
  ...linkHandlers,
  ...deviceHandlers,
  ...roomHandlers,
};

/** Runs the message's handler; a handler that throws is answered `internal` and logged. */
export function dispatch(connection: ClientConnection, message: ClientMessage): void {
  const re = 'id' in message ? message.id : null;
  // Every refusal of a message about a call names the call, notices (re: null) above all.
  const callId = 'callId' in message ? message.callId : undefined;
  const handler = handlers[message.type] as Handler<ClientMessageType>;
  try {
    if (handler.access === 'open') {
      handler.handle(connection, message as ClientMessageOf<ClientMessageType>);
      return;
    }
    const identity = connection.identity;
    if (!identity) {
      connection.sendError(re, 'not_authenticated', `${message.type}: sign in first`, callId);
      return;
    }
    handler.handle(connection, identity, message as ClientMessageOf<ClientMessageType>);
  } catch (error) {
    connection.logger.error({ err: error, type: message.type }, 'handler failed');
    connection.sendError(re, 'internal', 'something went wrong on the server', callId);
  }
}
