import {
  PROTOCOL_VERSION,
  type ClientMessageOf,
  type RoomClientMessage,
  type ServerMessage,
  type ServerMessageOf,
} from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import type { RoomMedia } from '../rooms/RoomMedia';
import { RoomMediaError } from '../rooms/RoomMedia';
import type { RoomResult } from '../rooms/roomResult';
import type { RoomService } from '../rooms/RoomService';
import { signedIn, type Handler, type HandlerTable } from './HandlerTable';

/**
 * Group calls (docs/protocol.md, "Group calls"); the rules live in RoomService and Room. Only a
 * connection that negotiated `rooms` (which a server without an SFU never offers) may send
 * `room.*`: on any other, every one is refused with `bad_message`, as before group calls existed.
 */
type RoomMessageType = Exclude<RoomClientMessage['type'], 'features'>;
type RoomMessage<T extends RoomMessageType> = ClientMessageOf<T>;

/**
 * A `room.*` handler that runs only on a connection that negotiated `rooms`; with
 * `fromStream`, also for a notice about a call the device takes part in, which the client's
 * notice stream sends again on a new connection before that connection has sent `features`
 * (only a client that speaks `room.*` can be in such a call, as for the notices sent to it).
 */
function inRooms<T extends RoomMessageType>(
  handle: (
    connection: ClientConnection,
    identity: ConnectionIdentity,
    message: RoomMessage<T>,
    rooms: RoomService,
  ) => void,
  fromStream = false,
): Handler<T> {
  return signedIn<T>((connection, identity, message) => {
    const { rooms } = connection.services;
    const resentForItsCall =
      fromStream &&
      'callId' in message &&
      rooms.takesPart(identity.deviceId, (message as { callId: string }).callId);
    if (!rooms.feature.has(identity.deviceId) && !resentForItsCall) {
      const any: ClientMessageOf<RoomMessageType> = message;
      const re = 'id' in any ? any.id : null;
      const callId = 'callId' in any ? any.callId : undefined;
      connection.sendError(
        re,
        'bad_message',
        `${any.type}: negotiate the rooms feature first (features)`,
        callId,
      );
      return;
    }
    handle(connection, identity, message, rooms);
  });
}

/** The `room` state as this device is told it: the creator also learns the call's link. */
function withCreatorPart(
  connection: ClientConnection,
  identity: ConnectionIdentity,
  state: ServerMessageOf<'room'>,
): ServerMessageOf<'room'> {
  return { ...state, ...connection.services.callLinks.creatorPartOf(identity, state.callId) };
}

/** Answers a refused request (`re` its id) or notice (`re` null), naming the call. */
function refused(
  connection: ClientConnection,
  re: string | null,
  callId: string | undefined,
  result: Exclude<RoomResult, { ok: true }>,
): void {
  connection.sendError(re, result.code, result.message, callId, result.retryAfterMs);
}

/** The group-call notices a client sends: no reply, only a refusal is answered. */
type RoomNoticeType =
  | 'room.decline'
  | 'room.leave'
  | 'room.media'
  | 'room.carried'
  | 'room.share'
  | 'room.keys'
  | 'room.key_ack';

/** The requests of "Media through the SFU", answered once the SFU has done them. */
type SfuRequestType =
  | 'room.router'
  | 'room.transports'
  | 'room.connect'
  | 'room.produce'
  | 'room.producer_close'
  | 'room.pause'
  | 'room.resume'
  | 'room.layers'
  | 'room.keyframe'
  | 'room.restart_ice';

function roomNotice<T extends RoomNoticeType>(
  act: (rooms: RoomService, identity: ConnectionIdentity, message: RoomMessage<T>) => RoomResult,
): Handler<T> {
  return inRooms<T>((connection, identity, message, rooms) => {
    const result = act(rooms, identity, message);
    const { callId }: ClientMessageOf<RoomNoticeType> = message;
    if (!result.ok) refused(connection, null, callId, result);
  }, true);
}

/** An SFU request: answered by `reply` once RoomMedia has done it, or with its refusal. */
function sfuRequest<T extends SfuRequestType, R>(
  act: (media: RoomMedia, deviceId: string, message: RoomMessage<T>) => Promise<R>,
  reply: (re: string, result: R) => ServerMessage,
): Handler<T> {
  return inRooms<T>((connection, identity, message, rooms) => {
    const { id, callId, type }: ClientMessageOf<SfuRequestType> = message;
    const answer = (error: unknown) => {
      if (error instanceof RoomMediaError) {
        connection.sendError(id, error.code, error.message, callId);
        return;
      }
      connection.logger.error({ err: error, type }, 'SFU request failed');
      connection.sendError(id, 'internal', 'something went wrong on the server', callId);
    };
    try {
      act(rooms.mediaOf(callId), identity.deviceId, message).then(
        (result) => connection.send(reply(id, result)),
        answer,
      );
    } catch (error) {
      answer(error);
    }
  });
}

const okReply = (re: string): ServerMessage => ({ v: PROTOCOL_VERSION, type: 'ok', re });

export const roomHandlers: Pick<HandlerTable, RoomClientMessage['type']> = {
  features: signedIn((connection, identity, message) => {
    const { rooms } = connection.services;
    const wantsRooms = rooms.carriesGroupCalls && message.features.includes('rooms');
    rooms.feature.negotiated(identity.deviceId, wantsRooms);
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'features',
      re: message.id,
      features: wantsRooms ? ['rooms'] : [],
    });
  }),

  'room.create': inRooms((connection, identity, message, rooms) => {
    const result = rooms.create(identity, message);
    if (!result.ok) return refused(connection, message.id, message.callId, result);
    if (result.state) connection.send(withCreatorPart(connection, identity, result.state));
  }),
  'room.invite': inRooms((connection, identity, message, rooms) => {
    const result = rooms.invite(identity, message, () => connection.send(okReply(message.id)));
    if (!result.ok) refused(connection, message.id, message.callId, result);
  }),
  'room.join': inRooms((connection, identity, message, rooms) => {
    const result = rooms.join(identity, message);
    if (!result.ok) return refused(connection, message.id, message.callId, result);
    if (result.state) connection.send(withCreatorPart(connection, identity, result.state));
  }),
  'room.rejoin': inRooms((connection, identity, message, rooms) => {
    const result = rooms.rejoin(identity, message);
    if (!result.ok) return refused(connection, message.id, message.callId, result);
    if (!result.state) return;
    connection.send(withCreatorPart(connection, identity, result.state));
    connection.services.callLinks.creatorBack(identity, message.callId);
  }),
  'room.decline': roomNotice((rooms, identity, message) => rooms.decline(identity, message.callId)),
  'room.leave': roomNotice((rooms, identity, message) => rooms.leave(identity, message.callId)),
  'room.media': roomNotice((rooms, identity, message) => rooms.relay.mediaState(identity, message)),
  'room.carried': roomNotice((rooms, identity, message) => rooms.relay.carried(identity, message)),
  'room.share': roomNotice((rooms, identity, message) => rooms.relay.share(identity, message)),
  'room.keys': roomNotice((rooms, identity, message) => rooms.relay.keys(identity, message)),
  'room.key_ack': roomNotice((rooms, identity, message) => rooms.relay.keyAck(identity, message)),

  'room.router': sfuRequest(
    (media, deviceId) => media.rtpCapabilities(deviceId),
    (re, rtpCapabilities) => ({ v: PROTOCOL_VERSION, type: 'room.router', re, rtpCapabilities }),
  ),
  'room.transports': sfuRequest(
    (media, deviceId, message) => media.transports(deviceId, message.rtpCapabilities),
    (re, { send, recv }) => ({ v: PROTOCOL_VERSION, type: 'room.transports', re, send, recv }),
  ),
  'room.connect': sfuRequest(
    (media, deviceId, message) =>
      media.connect(deviceId, message.transportId, message.dtlsParameters),
    okReply,
  ),
  'room.produce': sfuRequest(
    (media, deviceId, { kind, source, rtpParameters }) =>
      media.produce(deviceId, { kind, source, rtpParameters }),
    (re, producerId) => ({ v: PROTOCOL_VERSION, type: 'room.produced', re, producerId }),
  ),
  'room.producer_close': sfuRequest(
    (media, deviceId, message) => media.closeProducer(deviceId, message.producerId),
    okReply,
  ),
  'room.pause': sfuRequest(
    (media, deviceId, message) => media.pause(deviceId, message.consumerId),
    okReply,
  ),
  'room.resume': sfuRequest(
    (media, deviceId, message) => media.resume(deviceId, message.consumerId),
    okReply,
  ),
  'room.layers': sfuRequest(
    (media, deviceId, message) =>
      media.layers(deviceId, message.consumerId, message.spatialLayer, message.temporalLayer),
    okReply,
  ),
  'room.keyframe': sfuRequest(
    (media, deviceId, message) => media.keyFrame(deviceId, message.consumerId),
    okReply,
  ),
  'room.restart_ice': sfuRequest(
    (media, deviceId, message) => media.restartIce(deviceId, message.transportId),
    (re, iceParameters) => ({ v: PROTOCOL_VERSION, type: 'room.ice', re, iceParameters }),
  ),

  'room.link_create': inRooms((connection, identity, message) => {
    const { callId, approval } = message;
    const result = connection.services.callLinks.create(identity, callId, approval);
    if (!result.ok) return refused(connection, message.id, callId, result);
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'room.link',
      re: message.id,
      callId,
      token: result.token,
      approval,
    });
  }),
  'room.link_revoke': inRooms((connection, identity, message) => {
    const result = connection.services.callLinks.revoke(identity, message.callId);
    if (!result.ok) return refused(connection, message.id, message.callId, result);
    connection.send(okReply(message.id));
  }),
  'room.link_open': inRooms((connection, _identity, message) => {
    const result = connection.services.callLinks.open(message.token);
    if (!result.ok) return refused(connection, message.id, undefined, result);
    const { callId, media, creator, members, approval } = result;
    connection.send({
      v: PROTOCOL_VERSION,
      type: 'room.preview',
      re: message.id,
      callId,
      media,
      creator,
      members,
      approval,
    });
  }),
  'room.link_join': inRooms((connection, identity, message) => {
    const result = connection.services.callLinks.join(identity, message.token, () =>
      connection.send(okReply(message.id)),
    );
    if (!result.ok) refused(connection, message.id, undefined, result);
  }),
  'room.admit': inRooms((connection, identity, message) => {
    const { callId, username, admit } = message;
    const result = connection.services.callLinks.admit(identity, callId, username, admit, () =>
      connection.send(okReply(message.id)),
    );
    if (!result.ok) refused(connection, message.id, callId, result);
  }),
};
