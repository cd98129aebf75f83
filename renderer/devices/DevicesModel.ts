import { signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import type { SignalingRequests } from '../signaling/SignalingClient';
import { deviceErrorText } from './deviceErrorText';

export type DeviceInfo = ServerMessageOf<'devices'>['devices'][number];

function sorted(devices: DeviceInfo[]): DeviceInfo[] {
  return [...devices].sort(
    (a, b) => Number(b.current) - Number(a.current) || a.createdAt - b.createdAt,
  );
}

/** This account's devices, and removing one of the others (after the user confirms). */
export class DevicesModel {
  readonly devices = signal<DeviceInfo[]>([]);
  readonly error = signal<string | null>(null);
  /** The device being removed, while the server has not answered yet. */
  readonly removing = signal<string | null>(null);

  constructor(private readonly signaling: SignalingRequests) {}

  async load(): Promise<void> {
    try {
      this.show((await this.signaling.request('devices.list', {})).devices);
    } catch (error) {
      console.warn('parley: could not load the devices', error);
      this.error.value = `Couldn't load your devices. ${deviceErrorText(error)}`;
    }
  }

  /** The server's latest list (also the reply to approving a link). */
  show(devices: DeviceInfo[]): void {
    this.devices.value = sorted(devices);
    this.error.value = null;
  }

  /** Removes another device of this account (the UI asks the user to confirm first). */
  async remove(deviceId: string): Promise<void> {
    if (this.removing.value) return;
    this.removing.value = deviceId;
    try {
      this.show((await this.signaling.request('devices.remove', { deviceId })).devices);
    } catch (error) {
      console.warn('parley: could not remove a device', error);
      this.error.value = deviceErrorText(error);
    } finally {
      this.removing.value = null;
    }
  }
}
