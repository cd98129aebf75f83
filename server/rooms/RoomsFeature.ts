/**
 * Which devices may be sent group calls: those whose current connection negotiated the `rooms`
 * feature (docs/protocol.md, "Features"). Features belong to a connection, so a device that signs
 * in again has none until its new connection asks; an invitation rings only devices that have it.
 */
export class RoomsFeature {
  private readonly devices = new Set<string>();

  /** Whether the device's current connection negotiated `rooms`. */
  has(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  /** The device's connection asked for features: `rooms` among them or not. */
  negotiated(deviceId: string, rooms: boolean): void {
    if (rooms) this.devices.add(deviceId);
    else this.devices.delete(deviceId);
  }

  /** A new connection of the device signed in: it has negotiated nothing yet. */
  connectionStarted(deviceId: string): void {
    this.devices.delete(deviceId);
  }
}
