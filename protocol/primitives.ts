import * as z from 'zod';
import './zodMessages';
import { hasBidiControl, hasControlCharacter, hasVisibleCharacter } from './nameText';

/** The signaling protocol version every message carries as `v`. */
export const PROTOCOL_VERSION = 1;

/** Largest signaling message the server accepts, in bytes of UTF-8 JSON. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** How long the callee's devices ring before the call ends as `call.timeout`. */
export const RING_TIMEOUT_MS = 45_000;

export const Username = z
  .string()
  .regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3-32 characters of a-z 0-9 _ . -');

/** Longest display or device name, in UTF-16 code units (JavaScript string length). */
export const MAX_NAME_LENGTH = 64;

/**
 * A name a user chooses for others to see, as a client submits it: trimmed, 1-64 characters, no
 * direction controls or control characters, and at least one character that draws on its own.
 * The messages complete a sentence that starts with the field ("displayName: must ...").
 */
function chosenName() {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
    .refine((name) => !hasBidiControl(name), 'must not contain bidirectional control characters')
    .refine(
      (name) => !hasControlCharacter(name),
      'must not contain control characters, line breaks or unpaired surrogates',
    )
    .refine(hasVisibleCharacter, 'must contain a visible character');
}

/** The display name `auth.register` sets. */
export const DisplayName = chosenName();
/** The device name `auth.register` and `link.request` set. */
export const DeviceName = chosenName();

/**
 * A name as the server reports it (sessions, contacts, calls, the call log, device lists). Names
 * stored before the rules of DisplayName and DeviceName may break them, so a reader takes any 1-64
 * characters and shows them isolated from the text around them (see nameText.ts).
 */
export const StoredDisplayName = z.string().min(1).max(MAX_NAME_LENGTH);
export const StoredDeviceName = z.string().min(1).max(MAX_NAME_LENGTH);

/** Client-chosen request id, echoed as `re` in the reply. */
export const RequestId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1-64 of A-Z a-z 0-9 _ -');

/** Server-assigned device id. */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Client-chosen call id: a UUID (crypto.randomUUID()). */
export const CallId = z.uuid();

/** Canonical standard base64 (RFC 4648 section 4) of exactly `bytes` bytes. */
export function base64Bytes(bytes: number) {
  const full = `[A-Za-z0-9+/]{${Math.floor(bytes / 3) * 4}}`;
  // The last group's unused bits must be zero, so each byte string has exactly one encoding.
  const tail = ['', '[A-Za-z0-9+/][AQgw]==', '[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]='][bytes % 3];
  return z.string().regex(new RegExp(`^${full}${tail}$`), `expected base64 of ${bytes} bytes`);
}

/** Raw Ed25519 public key, 32 bytes, base64. */
export const IdentityKey = base64Bytes(32);
/** Ed25519 signature, 64 bytes, base64. */
export const Signature = base64Bytes(64);
/** Server challenge nonce, 32 bytes, base64. */
export const Nonce = base64Bytes(32);
/**
 * Names a session, 32 random bytes, base64. Not a credential: resuming a session takes the
 * device's signature over a fresh challenge too.
 */
export const SessionId = base64Bytes(32);

/** Raw X25519 public key, 32 bytes, base64: a per-call ephemeral key share. */
export const X25519Key = base64Bytes(32);

/** The DTLS certificate fingerprint of an SDP's `a=fingerprint` line, as `sha-256 AB:CD:...`. */
export const DtlsFingerprint = z
  .string()
  .regex(/^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'expected "sha-256 " and 32 hex byte pairs');

/** A device-link code: 12 Crockford base32 characters in three groups, e.g. `7KQ2-M9XD-4TRB`. */
export const LinkCode = z
  .string()
  .regex(
    /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/,
    'expected a link code',
  );

export const Presence = z.enum(['online', 'offline', 'in_call']);
export type Presence = z.infer<typeof Presence>;

export const CallMedia = z.enum(['audio', 'video']);
export type CallMedia = z.infer<typeof CallMedia>;

/**
 * Position of a notice in its sender's stream for one session (1, 2, 3, ...), so a notice resent
 * after a reconnect is recognised and processed once.
 */
export const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Server-assigned id of one session's notice stream. */
export const StreamId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** A STUN or TURN server URL as RTCIceServer takes it (RFC 7064, RFC 7065). */
export const IceUrl = z
  .string()
  .max(256)
  .regex(/^(stun|turn|turns):[^\s]+$/, 'expected a stun:, turn: or turns: URL');

export const Sdp = z
  .string()
  .min(1)
  .max(48 * 1024);
