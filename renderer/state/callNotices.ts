import type { CallNotice } from '../signaling/serverMessageHandlers';

/** The 1:1 call notices the server sends (none of its `call.*` messages answers a request). */
type CallNoticeType = CallNotice['type'];
type CallNoticeOf<T extends CallNoticeType> = Extract<CallNotice, { type: T }>;

/**
 * Exactly one handler per 1:1 call notice: the client's half of the mirror whose other half is
 * the server's `callHandlers`. A notice added to the protocol without a handler here fails tsc.
 * A handler that verifies or applies what came returns a promise that settles once it has.
 */
export type CallNoticeHandlers = {
  [T in CallNoticeType]: (message: CallNoticeOf<T>) => void | Promise<void>;
};

/** Hands a notice to its handler, and returns what the handler does (a promise, or nothing). */
export function dispatchCallNotice(
  handlers: CallNoticeHandlers,
  notice: CallNotice,
): void | Promise<void> {
  const handler = handlers[notice.type] as (message: CallNotice) => void | Promise<void>;
  return handler(notice);
}
