import type { ServerMessage } from '../../protocol';
import type { Clock, Scheduler } from '../calls/timePorts';
import type { DeviceDirectory, DeviceEndpoint, DeviceGoneListener } from './DeviceDirectory';
import { isNotice, type NoticeStreams } from './NoticeStreams';
import { OutgoingMessage } from './OutgoingMessage';

export interface InProcessDeviceDirectoryOptions {
  streams: NoticeStreams;
  clock: Clock;
  scheduler: Scheduler;
  /** How long a device whose connection closed stays away before it is gone. */
  reconnectGraceMs: number;
  onGone: DeviceGoneListener;
}

interface DeviceEntry {
  userId: number;
  /** Null while the device is away. */
  endpoint: DeviceEndpoint | null;
  /** Ends the time away early (the device came back or is gone another way). */
  cancelGrace: (() => void) | null;
}

/** The single-node device directory: a map from device to its connection in this process. */
export class InProcessDeviceDirectory implements DeviceDirectory {
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly devicesByUser = new Map<number, Set<string>>();

  constructor(private readonly options: InProcessDeviceDirectoryOptions) {}

  attach(userId: number, deviceId: string, endpoint: DeviceEndpoint): void {
    const previous = this.devices.get(deviceId);
    previous?.cancelGrace?.();
    this.register(userId, deviceId, endpoint);
    if (previous?.endpoint && previous.endpoint !== endpoint) previous.endpoint.replaced();
  }

  leave(deviceId: string, endpoint: DeviceEndpoint): void {
    const current = this.devices.get(deviceId);
    if (!current || current.endpoint !== endpoint) return;
    this.awayFromNow(current.userId, deviceId);
  }

  expectBack(userId: number, deviceId: string): void {
    if (this.devices.get(deviceId)?.endpoint) return;
    this.awayFromNow(userId, deviceId);
  }

  detach(deviceId: string, endpoint: DeviceEndpoint): void {
    if (this.devices.get(deviceId)?.endpoint !== endpoint) return;
    this.gone(deviceId, this.options.clock.now());
  }

  sendToDevice(deviceId: string, message: ServerMessage): void {
    this.deliver(deviceId, new OutgoingMessage(message));
  }

  sendToDevices(deviceIds: Iterable<string>, message: ServerMessage): void {
    const outgoing = new OutgoingMessage(message);
    for (const deviceId of deviceIds) this.deliver(deviceId, outgoing);
  }

  revokeDevice(deviceId: string): void {
    const entry = this.devices.get(deviceId);
    if (!entry) return;
    if (entry.endpoint) entry.endpoint.revoked();
    else this.gone(deviceId, this.options.clock.now());
  }

  devicesOf(userId: number): string[] {
    return [...(this.devicesByUser.get(userId) ?? [])];
  }

  connectedDevicesOf(userId: number): string[] {
    return this.devicesOf(userId).filter((deviceId) => this.devices.get(deviceId)?.endpoint);
  }

  isOnline(userId: number): boolean {
    // Asked for every presence and lookup: no arrays built.
    for (const deviceId of this.devicesByUser.get(userId) ?? []) {
      if (this.devices.get(deviceId)?.endpoint) return true;
    }
    return false;
  }

  private deliver(deviceId: string, outgoing: OutgoingMessage): void {
    const entry = this.devices.get(deviceId);
    if (!entry) return;
    if (!isNotice(outgoing.message)) {
      entry.endpoint?.sendText(outgoing.text);
      return;
    }
    // Numbered and kept even while the device is away.
    const seq = this.options.streams.append(deviceId, outgoing.message);
    if (seq !== null) entry.endpoint?.sendText(outgoing.numbered(seq));
  }

  private register(userId: number, deviceId: string, endpoint: DeviceEndpoint | null): DeviceEntry {
    const entry: DeviceEntry = { userId, endpoint, cancelGrace: null };
    this.devices.set(deviceId, entry);
    let devices = this.devicesByUser.get(userId);
    if (!devices) {
      devices = new Set();
      this.devicesByUser.set(userId, devices);
    }
    devices.add(deviceId);
    return entry;
  }

  private awayFromNow(userId: number, deviceId: string): void {
    this.devices.get(deviceId)?.cancelGrace?.();
    const entry = this.register(userId, deviceId, null);
    const since = this.options.clock.now();
    entry.cancelGrace = this.options.scheduler.schedule(this.options.reconnectGraceMs, () => {
      if (this.devices.get(deviceId) === entry) this.gone(deviceId, since);
    });
  }

  /** Forgets the device and its stream, then tells the listener (which ends its calls). */
  private gone(deviceId: string, since: number): void {
    const entry = this.devices.get(deviceId);
    if (!entry) return;
    entry.cancelGrace?.();
    this.devices.delete(deviceId);
    const devices = this.devicesByUser.get(entry.userId);
    devices?.delete(deviceId);
    if (devices?.size === 0) this.devicesByUser.delete(entry.userId);
    this.options.streams.end(deviceId);
    this.options.onGone(deviceId, entry.userId, since);
  }
}
