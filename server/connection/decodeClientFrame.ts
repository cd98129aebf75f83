import type { z } from 'zod';
import {
  CallId,
  ClientMessage,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  RequestId,
  Seq,
  type ErrorCode,
} from '../../protocol';

/**
 * Turns one WebSocket frame into a validated client message, or into the error to answer with.
 * The request id is echoed whenever it can be read, even from a message that fails validation,
 * and so is a valid `callId` (a call notice has no id: its call id says what was refused); the
 * `seq` of a notice is kept too, as it counts as processed even when refused.
 */
export type DecodedFrame = { ok: true; message: ClientMessage } | RefusedFrame;

export interface RefusedFrame {
  ok: false;
  re: string | null;
  callId: string | null;
  seq: number | null;
  code: ErrorCode;
  message: string;
}

/** What can be read of a frame that fails validation, to echo in the refusal. */
interface Echo {
  re: string | null;
  callId: string | null;
  seq: number | null;
}

const nothingToEcho: Echo = { re: null, callId: null, seq: null };

const schemaByType = new Map<string, (typeof ClientMessage.options)[number]>(
  ClientMessage.options.map((schema) => [schema.shape.type.value, schema]),
);

export function decodeClientFrame(data: Buffer, isBinary: boolean): DecodedFrame {
  if (data.length > MAX_MESSAGE_BYTES) {
    return fail(
      nothingToEcho,
      'too_large',
      `message is ${data.length} bytes; the limit is ${MAX_MESSAGE_BYTES}`,
    );
  }
  if (isBinary) {
    return fail(nothingToEcho, 'bad_message', 'binary frames are not accepted; send JSON text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return fail(nothingToEcho, 'bad_json', 'the message is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(nothingToEcho, 'bad_message', 'the message must be a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  if (fields.v !== PROTOCOL_VERSION) {
    if (fields.v === undefined) return fail(readableEcho(fields), 'bad_message', 'v: required');
    return fail(
      readableEcho(fields),
      'unsupported_version',
      `v: this server speaks version ${PROTOCOL_VERSION}`,
    );
  }
  // The type picks the one schema to check the rest against.
  const schema = typeof fields.type === 'string' ? schemaByType.get(fields.type) : undefined;
  if (!schema) {
    return fail(readableEcho(fields), 'bad_message', 'type: not a message a client may send');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') || '(message)';
    const text = `${path}: ${issue?.message ?? 'invalid'}`.slice(0, 512);
    return fail(readableEcho(fields), 'bad_message', text);
  }
  return { ok: true, message: result.data };
}

/**
 * The id, call id and notice `seq` of a refused message, each only when it is valid. Read only
 * for a refusal, and each field checked only when present: a valid message builds no errors.
 */
function readableEcho(fields: Record<string, unknown>): Echo {
  const isNotice = !('id' in fields) && !('re' in fields) && fields.type !== 'ack';
  return {
    re: validOrNull(RequestId, fields.id),
    callId: validOrNull(CallId, fields.callId),
    seq: isNotice ? validOrNull(Seq, fields.seq) : null,
  };
}

function validOrNull<T>(schema: z.ZodType<T>, value: unknown): T | null {
  if (value === undefined) return null;
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

function fail(echo: Echo, code: ErrorCode, message: string): RefusedFrame {
  return { ok: false, ...echo, code, message };
}
