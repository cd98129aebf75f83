import type { ServerMessage } from '../../protocol';

/**
 * Where each signed-in device is connected, and delivery to it. Everything that sends to another
 * device goes through this interface and never holds a socket, so a multi-node deployment can put
 * a Redis-backed directory here (which node holds which device) without touching the callers.
 */
export interface DeviceEndpoint {
  /** Delivers a message to the device; dropped if the device is gone. */
  send(message: ServerMessage): void;
  /** The device signed in again elsewhere: this older connection must stop serving it. */
  replaced(): void;
  /** The device was removed from its account: the connection is told, signed out and closed. */
  revoked(): void;
}

export interface DeviceDirectory {
  /** Registers the device's connection; an older connection of the same device is replaced. */
  attach(userId: number, deviceId: string, endpoint: DeviceEndpoint): void;
  /** Unregisters the device, but only if `endpoint` is still its current connection. */
  detach(deviceId: string, endpoint: DeviceEndpoint): void;
  sendToDevice(deviceId: string, message: ServerMessage): void;
  /** Ends the removed device's connection, if it has one. */
  revokeDevice(deviceId: string): void;
  /** Online device ids of a user. */
  devicesOf(userId: number): string[];
  isOnline(userId: number): boolean;
}
