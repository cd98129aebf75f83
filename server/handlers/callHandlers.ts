import { PROTOCOL_VERSION, type ClientMessageOf } from '../../protocol';
import type { CallService, InCallMessageType } from '../calls/CallService';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import type { RoomResult } from '../rooms/roomResult';
import { signedIn, type Handler, type HandlerTable } from './HandlerTable';

/** Call signaling and the call log; the rules live in CallService and CallStateMachine. */
type CallMessages =
  | 'call.invite'
  | 'call.ringing'
  | 'call.accept'
  | 'call.preconnect'
  | 'call.preconnected'
  | 'call.decline'
  | 'call.cancel'
  | 'call.hangup'
  | 'call.ice'
  | 'call.media'
  | InCallMessageType
  | 'calllog.list'
  | 'calllog.delete'
  | 'calllog.clear';

const DEFAULT_CALL_LOG_LIMIT = 100;

/** The call messages that are notices: they have no reply, only a refusal is answered. */
type CallNotice = Exclude<
  CallMessages,
  'call.invite' | 'calllog.list' | 'calllog.delete' | 'calllog.clear'
>;

/** A notice handler: a refusal is answered with re null and the call id. */
function callNotice<T extends CallNotice>(
  act: (
    calls: CallService,
    identity: ConnectionIdentity,
    message: ClientMessageOf<T>,
  ) => RoomResult,
): Handler<T> {
  return signedIn<T>((connection, identity, message) => {
    const result = act(connection.services.calls, identity, message);
    if (result.ok) return;
    const { callId }: ClientMessageOf<CallNotice> = message;
    connection.sendError(null, result.code, result.message, callId);
  });
}

/** The user's other devices list their log again: entries went from it. */
function tellOtherDevices(connection: ClientConnection, identity: ConnectionIdentity): void {
  const { directory } = connection.services;
  const others = directory.devicesOf(identity.userId).filter((id) => id !== identity.deviceId);
  directory.sendToDevices(others, { v: PROTOCOL_VERSION, type: 'calllog.changed' });
}

export const callHandlers: Pick<HandlerTable, CallMessages> = {
  'call.invite': signedIn((connection, identity, message) => {
    const { calls } = connection.services;
    const check = calls.checkInvite(identity, message);
    if (!check.ok) {
      connection.sendError(
        message.id,
        check.code,
        check.message,
        message.callId,
        check.retryAfterMs,
      );
      return;
    }
    calls.startCall(identity, message, check.callee, check.calleeDeviceIds, () =>
      connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id }),
    );
  }),

  'call.ringing': callNotice((calls, identity, message) => calls.ringing(identity, message.callId)),
  'call.accept': callNotice((calls, identity, message) => calls.accept(identity, message)),
  'call.decline': callNotice((calls, identity, message) => calls.decline(identity, message)),
  'call.cancel': callNotice((calls, identity, message) => calls.cancel(identity, message.callId)),
  'call.hangup': callNotice((calls, identity, message) => calls.hangup(identity, message)),
  'call.preconnect': callNotice((calls, identity, message) => calls.preconnect(identity, message)),
  'call.preconnected': callNotice((calls, identity, message) =>
    calls.preconnected(identity, message),
  ),
  'call.ice': callNotice((calls, identity, message) => calls.relayIce(identity, message)),
  'call.media': callNotice((calls, identity, message) => calls.relay(identity, message)),
  'call.rekey': callNotice((calls, identity, message) => calls.relayInCall(identity, message)),
  'call.offer': callNotice((calls, identity, message) => calls.relayInCall(identity, message)),
  'call.answer': callNotice((calls, identity, message) => calls.relayInCall(identity, message)),
  'call.restart': callNotice((calls, identity, message) => calls.relayInCall(identity, message)),
  'call.quality': callNotice((calls, identity, message) => calls.relayInCall(identity, message)),
  'call.rejoin': callNotice((calls, identity, message) => calls.rejoin(identity, message)),
  'call.rejoined': callNotice((calls, identity, message) => calls.rejoin(identity, message)),

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
