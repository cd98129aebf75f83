import { PROTOCOL_VERSION } from '../../protocol';
import type { CallResult } from '../calls/CallService';
import type { ClientConnection } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/** Call signaling and the call log; the rules live in CallService and CallStateMachine. */
type CallMessages =
  | 'call.invite'
  | 'call.ringing'
  | 'call.accept'
  | 'call.decline'
  | 'call.cancel'
  | 'call.hangup'
  | 'call.ice'
  | 'call.media'
  | 'call.rekey'
  | 'calllog.list';

const DEFAULT_CALL_LOG_LIMIT = 100;

/** Notices have no reply; only a refusal is answered (with re null and the call id). */
function answerRefusal(connection: ClientConnection, callId: string, result: CallResult): void {
  if (!result.ok) connection.sendError(null, result.code, result.message, callId);
}

export const callHandlers: Pick<HandlerTable, CallMessages> = {
  'call.invite': signedIn((connection, identity, message) => {
    const { calls } = connection.services;
    const check = calls.checkInvite(identity, message);
    if (!check.ok) {
      connection.sendError(message.id, check.code, check.message, message.callId);
      return;
    }
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    calls.startCall(identity, message, check.callee, check.calleeDeviceIds);
  }),

  'call.ringing': signedIn((connection, identity, message) => {
    answerRefusal(
      connection,
      message.callId,
      connection.services.calls.ringing(identity, message.callId),
    );
  }),

  'call.accept': signedIn((connection, identity, message) => {
    answerRefusal(connection, message.callId, connection.services.calls.accept(identity, message));
  }),

  'call.decline': signedIn((connection, identity, message) => {
    answerRefusal(
      connection,
      message.callId,
      connection.services.calls.decline(identity, message.callId),
    );
  }),

  'call.cancel': signedIn((connection, identity, message) => {
    answerRefusal(
      connection,
      message.callId,
      connection.services.calls.cancel(identity, message.callId),
    );
  }),

  'call.hangup': signedIn((connection, identity, message) => {
    answerRefusal(
      connection,
      message.callId,
      connection.services.calls.hangup(identity, message.callId),
    );
  }),

  'call.ice': signedIn((connection, identity, message) => {
    answerRefusal(connection, message.callId, connection.services.calls.relay(identity, message));
  }),

  'call.media': signedIn((connection, identity, message) => {
    answerRefusal(connection, message.callId, connection.services.calls.relay(identity, message));
  }),

  'call.rekey': signedIn((connection, identity, message) => {
    answerRefusal(connection, message.callId, connection.services.calls.rekey(identity, message));
  }),

  'calllog.list': signedIn((connection, identity, message) => {
    const entries = connection.services.callLog.listFor(
      identity.userId,
      message.limit ?? DEFAULT_CALL_LOG_LIMIT,
    );
    connection.send({ v: PROTOCOL_VERSION, type: 'calllog', re: message.id, entries });
  }),
};
