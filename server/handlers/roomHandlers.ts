import { PROTOCOL_VERSION, type RoomClientMessage } from '../../protocol';
import type { ClientConnection } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/**
 * Group calls (docs/protocol.md, "Group calls"). This server does not carry them yet: it knows
 * no feature to offer, and refuses every `room.*` message as the protocol says a connection that
 * has not negotiated `rooms` must be refused.
 */
type RoomMessageType = Exclude<RoomClientMessage['type'], 'features'>;

function refuseRoomMessage(connection: ClientConnection, message: RoomClientMessage): void {
  const re = 'id' in message ? message.id : null;
  const callId = 'callId' in message ? message.callId : undefined;
  connection.sendError(
    re,
    'bad_message',
    `${message.type}: negotiate the rooms feature first (features)`,
    callId,
  );
}

const refuse = signedIn<RoomMessageType>((connection, _identity, message) =>
  refuseRoomMessage(connection, message),
);

export const roomHandlers: Pick<HandlerTable, RoomClientMessage['type']> = {
  features: signedIn((connection, _identity, message) => {
    connection.send({ v: PROTOCOL_VERSION, type: 'features', re: message.id, features: [] });
  }),
  'room.create': refuse,
  'room.invite': refuse,
  'room.join': refuse,
  'room.decline': refuse,
  'room.leave': refuse,
  'room.media': refuse,
  'room.share': refuse,
  'room.keys': refuse,
  'room.key_ack': refuse,
  'room.router': refuse,
  'room.transports': refuse,
  'room.connect': refuse,
  'room.produce': refuse,
  'room.producer_close': refuse,
  'room.pause': refuse,
  'room.resume': refuse,
  'room.layers': refuse,
  'room.keyframe': refuse,
  'room.restart_ice': refuse,
  'room.link_create': refuse,
  'room.link_revoke': refuse,
  'room.link_open': refuse,
  'room.link_join': refuse,
  'room.admit': refuse,
};
