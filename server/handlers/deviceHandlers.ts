import { PROTOCOL_VERSION } from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/** The devices of the signed-in account: list them, remove another one. */
type DeviceMessages = 'devices.list' | 'devices.remove';

/** Answers with the account's devices, marking those online and the asking one. */
export function sendDevices(
  connection: ClientConnection,
  identity: ConnectionIdentity,
  re: string,
): void {
  const { accounts, directory } = connection.services;
  const online = new Set(directory.connectedDevicesOf(identity.userId));
  connection.send({
    v: PROTOCOL_VERSION,
    type: 'devices',
    re,
    devices: accounts.devicesOf(identity.userId).map((device) => ({
      deviceId: device.id,
      deviceName: device.name,
      identityKey: device.identityKey,
      createdAt: device.createdAt,
      online: online.has(device.id),
      current: device.id === identity.deviceId,
    })),
  });
}

export const deviceHandlers: Pick<HandlerTable, DeviceMessages> = {
  'devices.list': signedIn((connection, identity, message) => {
    sendDevices(connection, identity, message.id);
  }),

  'devices.remove': signedIn((connection, identity, message) => {
    const { accounts, directory } = connection.services;
    if (message.deviceId === identity.deviceId) {
      connection.sendError(message.id, 'device_is_current', 'deviceId: this is the asking device');
      return;
    }
    const device = accounts.device(message.deviceId);
    if (!device || device.userId !== identity.userId) {
      connection.sendError(
        message.id,
        'unknown_device',
        'deviceId: no such device on this account',
      );
      return;
    }
    // Deleting the device deletes its sessions too, so it can neither resume nor log in again.
    // Revoking it ends its connection (or its time away): it is gone, and its calls end now.
    accounts.removeDevice(device.id);
    directory.revokeDevice(device.id);
    connection.logger.info({ removed: device.id }, 'device removed');
    sendDevices(connection, identity, message.id);
  }),
};
