import type {
  CallServerMessage,
  RoomServerMessage,
  ServerMessageOf,
  ServerMessageType,
} from '../../protocol';
import type { ReplyMessage } from './RequestTracker';

/** One handler per server message type: the client's mirror of the server's dispatch table. */
export type ServerMessageHandlers = {
  [T in ServerMessageType]: (message: ServerMessageOf<T>) => void;
};

type ReplyType = Exclude<ReplyMessage['type'], 'error'>;
/** A group-call message that answers no request: all of them go to the app's one room handler. */
export type RoomNotice = Exclude<RoomServerMessage, { re: unknown }>;
/** A 1:1 call message (none answers a request): all of them go to the app's one call handler. */
export type CallNotice = Exclude<CallServerMessage, { re: unknown }>;
/** `ack` stays in the signaling layer: the app never sees it. */
export type NotificationType = Exclude<
  ServerMessageType,
  ReplyType | 'error' | 'ack' | RoomNotice['type'] | CallNotice['type']
>;

/** An `error` that answers no request: about a call (callId) or the connection as a whole. */
export type UnsolicitedError = ServerMessageOf<'error'>;

/** What the app does with messages nobody asked for. */
export type NotificationHandlers = {
  [T in NotificationType]: (message: ServerMessageOf<T>) => void;
} & {
  error: (message: UnsolicitedError) => void;
  call: (message: CallNotice) => void;
  room: (message: RoomNotice) => void;
};

/** What the signaling layer keeps for itself: replies to its requests, acks of its notices. */
export interface SignalingSink {
  /** Returns false when no request waits for this reply. */
  settle(reply: ReplyMessage): boolean;
  /** The server processed our notices up to `seq`. */
  acknowledge(seq: number): void;
}

export function createServerMessageHandlers(
  replies: SignalingSink,
  app: NotificationHandlers,
): ServerMessageHandlers {
  const reply = (message: ReplyMessage) => {
    if (!replies.settle(message)) console.warn(`parley: unexpected ${message.type} reply`);
  };
  return {
    'auth.challenge': reply,
    session: reply,
    user: reply,
    contacts: reply,
    contact: reply,
    blocks: reply,
    calllog: reply,
    'link.code': reply,
    'link.pending': reply,
    devices: reply,
    ok: reply,
    error: (message) => {
      if (message.re !== null && replies.settle(message)) return;
      app.error(message);
    },
    presence: (m) => app.presence(m),
    'contact.renamed': (m) => app['contact.renamed'](m),
    'call.invite': (m) => app.call(m),
    'call.ringing': (m) => app.call(m),
    'call.accept': (m) => app.call(m),
    'call.preconnect': (m) => app.call(m),
    'call.preconnected': (m) => app.call(m),
    'call.decline': (m) => app.call(m),
    'call.busy': (m) => app.call(m),
    'call.cancel': (m) => app.call(m),
    'call.timeout': (m) => app.call(m),
    'call.hangup': (m) => app.call(m),
    'call.ice': (m) => app.call(m),
    'call.media': (m) => app.call(m),
    'call.rekey': (m) => app.call(m),
    'call.offer': (m) => app.call(m),
    'call.answer': (m) => app.call(m),
    'call.restart': (m) => app.call(m),
    'call.quality': (m) => app.call(m),
    'call.rejoin': (m) => app.call(m),
    'call.rejoined': (m) => app.call(m),
    'ice.servers': (m) => app['ice.servers'](m),
    'calllog.changed': (m) => app['calllog.changed'](m),
    ack: (m) => replies.acknowledge(m.seq),
    'link.approved': (m) => app['link.approved'](m),
    'link.rejected': (m) => app['link.rejected'](m),
    'session.revoked': (m) => app['session.revoked'](m),
    features: reply,
    room: reply,
    'room.router': reply,
    'room.transports': reply,
    'room.produced': reply,
    'room.ice': reply,
    'room.link': reply,
    'room.preview': reply,
    'room.invite': (m) => app.room(m),
    'room.invite_ended': (m) => app.room(m),
    'room.invitation': (m) => app.room(m),
    'room.member_joined': (m) => app.room(m),
    'room.member_state': (m) => app.room(m),
    'room.member_left': (m) => app.room(m),
    'room.ended': (m) => app.room(m),
    'room.path': (m) => app.room(m),
    'room.media': (m) => app.room(m),
    'room.carried': (m) => app.room(m),
    'room.speaker': (m) => app.room(m),
    'room.share': (m) => app.room(m),
    'room.key': (m) => app.room(m),
    'room.key_ack': (m) => app.room(m),
    'room.consumer': (m) => app.room(m),
    'room.consumer_closed': (m) => app.room(m),
    'room.sfu_lost': (m) => app.room(m),
    'room.knock': (m) => app.room(m),
    'room.knock_refused': (m) => app.room(m),
  };
}
