import type { ClientMessage, ServerMessage } from '../../protocol';
import type { ClientNoticePlace } from './NoticeStream';

/**
 * Each signed-in device's current notice stream (see NoticeStream), by device id. It lives apart
 * from any connection, so that a device that is away keeps collecting notices and a new
 * connection (on another node, in a multi-node deployment with a shared store) can continue it.
 */
export interface StreamState {
  id: string;
  /** True when this continues the stream the client named. */
  resumed: boolean;
  /** The last client notice `seq` the server processed in this stream. */
  received: number;
}

export interface StreamResumption {
  state: StreamState;
  /** The server's notices the client has not processed yet, to send again in order. */
  resend: ServerMessage[];
}

export interface NoticeStreams {
  /** Starts a new stream for the device; its previous stream and what it kept are dropped. */
  start(deviceId: string): StreamState;
  /**
   * Continues the device's stream `id` if it is still whole (resumed, with what to send again);
   * otherwise starts a new one.
   */
  resume(deviceId: string, id: string, received: number): StreamResumption;
  /**
   * Numbers a notice for the device and keeps it until acknowledged: its `seq`, or null when the
   * device has no stream.
   */
  append(deviceId: string, notice: ServerMessage): number | null;
  /** The device processed every notice of its stream up to `seq`. */
  acknowledge(deviceId: string, seq: number): void;
  /** Places a numbered client notice in the device's stream (`gap` without a stream). */
  receive(deviceId: string, seq: number): ClientNoticePlace;
  /** The last client notice `seq` processed in the device's stream (0: none). */
  received(deviceId: string): number;
  /** The device signed out or is gone: its stream ends. */
  end(deviceId: string): void;
}

/** A notice has neither `id` nor `re`; `ack` is not one: it is never numbered nor acknowledged. */
export function isNotice(message: ServerMessage | ClientMessage): boolean {
  return !('id' in message) && !('re' in message) && message.type !== 'ack';
}
