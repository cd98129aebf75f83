import type { ServerMessage } from '../../protocol';
import type { DeviceDirectory, DeviceEndpoint } from './DeviceDirectory';

/** The single-node device directory: a map from device to its connection in this process. */
export class InProcessDeviceDirectory implements DeviceDirectory {
  private readonly endpoints = new Map<string, { userId: number; endpoint: DeviceEndpoint }>();
  private readonly devicesByUser = new Map<number, Set<string>>();

  attach(userId: number, deviceId: string, endpoint: DeviceEndpoint): void {
    const previous = this.endpoints.get(deviceId);
    this.endpoints.set(deviceId, { userId, endpoint });
    let devices = this.devicesByUser.get(userId);
    if (!devices) {
      devices = new Set();
      this.devicesByUser.set(userId, devices);
    }
    devices.add(deviceId);
    if (previous && previous.endpoint !== endpoint) previous.endpoint.replaced();
  }

  detach(deviceId: string, endpoint: DeviceEndpoint): void {
    const current = this.endpoints.get(deviceId);
    if (!current || current.endpoint !== endpoint) return;
    this.endpoints.delete(deviceId);
    const devices = this.devicesByUser.get(current.userId);
    devices?.delete(deviceId);
    if (devices?.size === 0) this.devicesByUser.delete(current.userId);
  }

  sendToDevice(deviceId: string, message: ServerMessage): void {
    this.endpoints.get(deviceId)?.endpoint.send(message);
  }

  revokeDevice(deviceId: string): void {
    this.endpoints.get(deviceId)?.endpoint.revoked();
  }

  devicesOf(userId: number): string[] {
    return [...(this.devicesByUser.get(userId) ?? [])];
  }

  isOnline(userId: number): boolean {
    return (this.devicesByUser.get(userId)?.size ?? 0) > 0;
  }
}
