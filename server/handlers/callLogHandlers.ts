import { PROTOCOL_VERSION } from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/** The call log: listing and removing entries (`calllog.*`, apart from the calls themselves). */
type CallLogMessages = 'calllog.list' | 'calllog.delete' | 'calllog.clear';

const DEFAULT_CALL_LOG_LIMIT = 100;

/** The user's other devices list their log again: entries went from it. */
function tellOtherDevices(connection: ClientConnection, identity: ConnectionIdentity): void {
  const { directory } = connection.services;
  const others = directory.devicesOf(identity.userId).filter((id) => id !== identity.deviceId);
  directory.sendToDevices(others, { v: PROTOCOL_VERSION, type: 'calllog.changed' });
}

export const callLogHandlers: Pick<HandlerTable, CallLogMessages> = {
  'calllog.list': signedIn((connection, identity, message) => {
    const { callLog, groupLog, rooms } = connection.services;
    const limit = message.limit ?? DEFAULT_CALL_LOG_LIMIT;
    // Group calls, and the field that shows them, only to a client that knows them.
    const entries = rooms.feature.has(identity.deviceId)
      ? [
          ...callLog.listFor(identity.userId, limit, true),
          ...groupLog.listFor(identity.userId, limit),
        ]
          .sort((a, b) => b.startedAt - a.startedAt)
          .slice(0, limit)
      : callLog.listFor(identity.userId, limit);
    connection.send({ v: PROTOCOL_VERSION, type: 'calllog', re: message.id, entries });
  }),

  'calllog.delete': signedIn((connection, identity, message) => {
    const { callLog, groupLog, rooms } = connection.services;
    // Someone else's entry is refused as unknown: whether a call exists is not this user's to learn.
    // A group call is an entry only of the logs that `rooms` connections are shown.
    const removed =
      callLog.remove(identity.userId, message.callId) ||
      (rooms.feature.has(identity.deviceId) && groupLog.remove(identity.userId, message.callId));
    if (!removed) {
      connection.sendError(
        message.id,
        'unknown_log_entry',
        'callId: no such entry in your call log',
        message.callId,
      );
      return;
    }
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    tellOtherDevices(connection, identity);
  }),

  'calllog.clear': signedIn((connection, identity, message) => {
    connection.services.atomically(() => {
      connection.services.groupLog.clear(identity.userId);
      connection.services.callLog.clear(identity.userId);
    });
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    tellOtherDevices(connection, identity);
  }),
};
