import type { RoomNotice } from '../signaling/serverMessageHandlers';

/** The group-call notices the server sends (the `room.*` messages that answer no request). */
export type RoomNoticeType = RoomNotice['type'];
export type RoomNoticeOf<T extends RoomNoticeType> = Extract<RoomNotice, { type: T }>;

/**
 * Exactly one handler per group-call notice: the client's half of the mirror whose other half is
 * the server's `roomHandlers`. A notice added to the protocol without a handler here fails tsc.
 */
export type RoomNoticeHandlers = {
  [T in RoomNoticeType]: (message: RoomNoticeOf<T>) => void;
};

/** Hands a notice to its handler. */
export function dispatchRoomNotice(handlers: RoomNoticeHandlers, notice: RoomNotice): void {
  const handler = handlers[notice.type] as (message: RoomNotice) => void;
  handler(notice);
}
