/**
 * What the main thread and the E2EE worker say to each other, one union per direction keyed by
 * `kind`. The worker knows only SFrame keys and frames; identities and epochs stay outside.
 */
export type TransformOperation = 'encrypt' | 'decrypt';
export type MediaKind = 'audio' | 'video';

/** The options of an RTCRtpScriptTransform (and of a fallback stream pair). */
export interface TransformOptions {
  operation: TransformOperation;
  mediaKind: MediaKind;
}

export type E2eeWorkerRequest =
  /** Outgoing frames use this key from now on. */
  | { kind: 'setSendKey'; kid: bigint; baseKey: Uint8Array }
  /** A sender's frames for this KID's slot and generation decrypt with this key (and its ratchet). */
  | { kind: 'setReceiveKey'; kid: bigint; baseKey: Uint8Array }
  /** Fallback where RTCRtpScriptTransform is missing: createEncodedStreams' pair, transferred. */
  | (TransformOptions & {
      kind: 'streams';
      readable: ReadableStream;
      writable: WritableStream;
    })
  /** Benchmarks only: start (from zero) or stop timing each stage of every frame. */
  | { kind: 'profile'; enabled: boolean }
  /** Benchmarks only: answered with an E2eeWorkerProfileReport. */
  | { kind: 'readProfile' };

/** Frame counts since the worker started, by direction. */
export interface FrameCounts {
  encrypted: number;
  /** Outgoing frames dropped because no send key was set or encryption failed. */
  encryptFailed: number;
  decrypted: number;
  /** Incoming frames dropped: unknown key, failed authentication, replay, malformed, empty. */
  decryptFailed: number;
}

/** Frame counts by track kind: a screen share is sent on the video track. */
export type KindCounts = Record<MediaKind, FrameCounts>;

/** Incoming frames of one track kind from one sender. */
export interface ReceiveCounts {
  decrypted: number;
  decryptFailed: number;
}

/**
 * Incoming frames by the sender slot their SFrame KID names, so each participant's tile can show
 * its own state. A frame with no readable SFrame header names no slot and counts only in `counts`.
 */
export interface SenderFrameCounts {
  slot: number;
  audio: ReceiveCounts;
  video: ReceiveCounts;
}

/**
 * Slots that have no receive key are counted separately up to this many, so frames naming
 * made-up slots cannot grow the report without bound; slots with a key always are.
 */
export const MAX_KEYLESS_SENDERS = 32;

/** `counts` covers all of the call's frames; `senders` splits the incoming ones by slot. */
export type E2eeWorkerReport = { kind: 'stats'; counts: KindCounts; senders: SenderFrameCounts[] };

/** How often the worker reports its counts. */
export const STATS_INTERVAL_MS = 500;

/** The stages of one frame in the worker, in order. */
export const FRAME_STAGES = [
  /** frame.data into a Uint8Array */
  'read',
  /** the codec, from the frame's metadata */
  'codec',
  /** FrameCryptor up to its returned promise: the synchronous JS, and Web Crypto's call */
  'cipherCall',
  /** until that promise settles: Web Crypto's thread, and the worker's queue */
  'cipherWait',
  /** the result into frame.data, and the frame on to the packetizer or decoder */
  'write',
] as const;
export type FrameStage = (typeof FRAME_STAGES)[number];

/** Wall time per stage, summed over the frames of one operation and track kind. */
export interface StageTotals {
  frames: number;
  /** Bytes of the frames as they came in. */
  bytes: number;
  ms: Record<FrameStage, number>;
}

export type FrameProfile = Record<`${TransformOperation} ${MediaKind}`, StageTotals>;

/**
 * The answer to readProfile: totals since profiling was last enabled. Sent only to a benchmark
 * that asked for it; the app never does.
 */
export type E2eeWorkerProfileReport = { kind: 'profile'; profile: FrameProfile };
