import {
  ClientMessage,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  RequestId,
  Seq,
  type ErrorCode,
} from '../../protocol';

/**
 * Turns one WebSocket frame into a validated client message, or into the error to answer with.
 * The request id is echoed whenever it can be read, even from a message that fails validation;
 * so is the `seq` of a notice, which counts as processed even when refused.
 */
export type DecodedFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; re: string | null; seq: number | null; code: ErrorCode; message: string };

const schemaByType = new Map<string, (typeof ClientMessage.options)[number]>(
  ClientMessage.options.map((schema) => [schema.shape.type.value, schema]),
);

export function decodeClientFrame(data: Buffer, isBinary: boolean): DecodedFrame {
  if (data.length > MAX_MESSAGE_BYTES) {
    return fail(
      null,
      'too_large',
      `message is ${data.length} bytes; the limit is ${MAX_MESSAGE_BYTES}`,
    );
  }
  if (isBinary) return fail(null, 'bad_message', 'binary frames are not accepted; send JSON text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return fail(null, 'bad_json', 'the message is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(null, 'bad_message', 'the message must be a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  const re = RequestId.safeParse(fields.id).success ? (fields.id as string) : null;
  const isNotice = !('id' in fields) && !('re' in fields) && fields.type !== 'ack';
  const seq = isNotice && Seq.safeParse(fields.seq).success ? (fields.seq as number) : null;
  if (fields.v !== PROTOCOL_VERSION) {
    if (fields.v === undefined) return fail(re, 'bad_message', 'v: required', seq);
    return fail(
      re,
      'unsupported_version',
      `v: this server speaks version ${PROTOCOL_VERSION}`,
      seq,
    );
  }
  const schema = typeof fields.type === 'string' ? schemaByType.get(fields.type) : undefined;
  if (!schema) return fail(re, 'bad_message', 'type: not a message a client may send', seq);
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') || '(message)';
    return fail(re, 'bad_message', `${path}: ${issue?.message ?? 'invalid'}`.slice(0, 512), seq);
  }
  return { ok: true, message: result.data };
}

function fail(
  re: string | null,
  code: ErrorCode,
  message: string,
  seq: number | null = null,
): DecodedFrame {
  return { ok: false, re, seq, code, message };
}
