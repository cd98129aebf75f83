import { PROTOCOL_VERSION, type CallClientMessage, type ClientMessageOf } from '../../protocol';
import type { CallService } from '../calls/CallService';
import type { ConnectionIdentity } from '../connection/ClientConnection';
import type { RoomResult } from '../rooms/roomResult';
import { signedIn, type Handler, type HandlerTable } from './HandlerTable';

/**
 * Call signaling: one handler per 1:1 call message a client sends (the protocol's
 * `callClientMessages`); the rules live in CallService and CallStateMachine.
 */
type CallMessages = CallClientMessage['type'];

/** The call messages that are notices: they have no reply, only a refusal is answered. */
type CallNotice = Exclude<CallMessages, 'call.invite'>;

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
};
