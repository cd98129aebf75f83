import { errorCodeText, type ErrorCode } from '../../protocol';

/** What a call action (1:1 or group) comes to: done, or refused with the protocol's code and why. */
export type RoomResult =
  | { ok: true }
  | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number };

export const refuse = (code: ErrorCode, message = errorCodeText[code]) =>
  ({ ok: false, code, message }) as const;
