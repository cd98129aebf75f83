import type { ServerMessage } from '../../protocol';

/**
 * Where each signed-in device is connected, and delivery to it. Everything that sends to another
 * device goes through this interface and never holds a socket, so a multi-node deployment can put
 * a Redis-backed directory here (which node holds which device) without touching the callers.
 *
 * A device is connected, away (its connection closed less than the reconnect grace ago, or the
 * server restarted during its call) or gone. An away device keeps its calls, and its notices wait
 * in its notice stream; when the grace ends first, it is gone. It rings for no new call and counts
 * as offline: nobody is there to answer until it signs in again.
 */
export interface DeviceEndpoint {
  /** Delivers a message, already serialised as JSON, to the device's connection. */
  sendText(text: string): void;
  /** The device signed in again on a newer connection: this one must stop serving it. */
  replaced(): void;
  /** The device was removed from its account: the connection is told, signed out and closed. */
  revoked(): void;
}

/** Told when a device is gone for good: its calls end, its contacts see its new presence. */
export type DeviceGoneListener = (deviceId: string, userId: number, goneSince: number) => void;

export interface DeviceDirectory {
  /**
   * Registers the device's connection (the device is back if it was away); an older connection
   * of the same device is replaced.
   */
  attach(userId: number, deviceId: string, endpoint: DeviceEndpoint): void;
  /** The connection closed: if it still serves the device, the device is away for the grace. */
  leave(deviceId: string, endpoint: DeviceEndpoint): void;
  /** A device known to be in a call when the server started: away from now, for the grace. */
  expectBack(userId: number, deviceId: string): void;
  /** The device signed out: if `endpoint` still serves it, it is gone now. */
  detach(deviceId: string, endpoint: DeviceEndpoint): void;
  /** Delivers to the device; a notice is numbered in its stream and kept, even while away. */
  sendToDevice(deviceId: string, message: ServerMessage): void;
  /** Delivers the same message to each of these devices (as sendToDevice), serialised once. */
  sendToDevices(deviceIds: Iterable<string>, message: ServerMessage): void;
  /** Ends the removed device's connection (or its time away), if it has one: it is gone. */
  revokeDevice(deviceId: string): void;
  /** Device ids of a user that are connected or away (their notices are kept). */
  devicesOf(userId: number): string[];
  /** Device ids of a user with a live connection (the ones a new call rings). */
  connectedDevicesOf(userId: number): string[];
  /** Whether the user has a device with a live connection. */
  isOnline(userId: number): boolean;
}
