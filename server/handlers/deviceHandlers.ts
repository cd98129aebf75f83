import { PROTOCOL_VERSION } from '../../protocol';
import type { ClientConnection, ConnectionIdentity } from '../connection/ClientConnection';
import { signedIn, type HandlerTable } from './HandlerTable';

/** The devices of the signed-in account: list them, remove another one, remove this one. */
type DeviceMessages = 'devices.list' | 'devices.remove' | 'devices.leave';

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
    // Its group calls hear it was removed, not that its connection was lost.
    connection.services.rooms.deviceRemoved(device.id);
    directory.revokeDevice(device.id);
    connection.logger.info({ removed: device.id }, 'device removed');
    sendDevices(connection, identity, message.id);
  }),

  'devices.leave': signedIn((connection, identity, message) => {
    const { accounts } = connection.services;
    const others = accounts.devicesOf(identity.userId).filter((d) => d.id !== identity.deviceId);
    if (others.length === 0 && message.lastDevice !== true) {
      connection.sendError(
        message.id,
        'last_device',
        'this is the only device of the account: without it nobody can sign in to it (say lastDevice: true to remove it anyway)',
      );
      return;
    }
    // As devices.remove for another device: its sessions go with it, so it cannot sign in again.
    accounts.removeDevice(identity.deviceId);
    connection.services.rooms.deviceRemoved(identity.deviceId);
    connection.logger.info(
      { removed: identity.deviceId, lastDevice: others.length === 0 },
      'device left',
    );
    connection.send({ v: PROTOCOL_VERSION, type: 'ok', re: message.id });
    connection.signOut();
  }),
};
