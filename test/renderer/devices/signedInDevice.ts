import { generateKeyPairSync } from 'node:crypto';
import type { ServerMessageOf } from '../../../protocol';
import { DevicesModel } from '../../../renderer/devices/DevicesModel';
import { LinkApprovalModel } from '../../../renderer/devices/LinkApprovalModel';
import { registerDevice, signIn } from '../../../renderer/signaling/authFlow';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import { FakeServer, NodeHost, recordingApp, serveRegister } from '../signaling/fakeSignaling';

export type DeviceInfo = ServerMessageOf<'devices'>['devices'][number];

export function rawPublicKey(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url').toString('base64');
}

export function device(deviceId: string, deviceName: string, current: boolean): DeviceInfo {
  return {
    deviceId,
    deviceName,
    identityKey: rawPublicKey(),
    createdAt: current ? 1_000 : 2_000,
    online: true,
    current,
  };
}

/** Alice's existing device, signed in, with its devices and link approval models. */
export async function signedInDevice() {
  const server = new FakeServer();
  const host = new NodeHost();
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp(),
    requestTimeoutMs: 2_000,
    delayForAttempt: () => 0,
  });
  const started = client.start(
    registerDevice(host, { username: 'alice', displayName: 'Alice' }),
    signIn(host),
  );
  await serveRegister(server);
  await started;
  const devices = new DevicesModel(client);
  const approval = new LinkApprovalModel({
    host,
    signaling: client,
    devices,
    selfUsername: () => 'alice',
  });
  return { server, host, client, devices, approval };
}
