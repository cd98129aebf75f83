import * as z from 'zod';
import './zodMessages';
import { PROTOCOL_VERSION, Seq, StoredDisplayName, Username } from './primitives';

/**
 * How every signaling message is shaped. Messages are JSON objects with `v` (protocol version)
 * and `type`. A request carries `id`; its reply carries `re` with the same value. Unknown fields
 * are refused (strict objects), so a typo never passes silently.
 */
const v = z.literal(PROTOCOL_VERSION);

export function message<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ v, type: z.literal(type), ...shape });
}

/**
 * A notification (neither `id` nor `re`). Once signed in, each side numbers the notices it sends
 * with `seq` (1, 2, 3, ... per session stream) and keeps them until the other side acknowledges
 * them with `ack`, so that a notice sent across a reconnect arrives once and in order.
 */
export function notice<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return message(type, { ...shape, seq: Seq.optional() });
}

/** A user as messages name them to others. */
export const UserSummary = z.strictObject({ username: Username, displayName: StoredDisplayName });
