import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  linkCertificateText,
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
} from '../../protocol';
import { BenchSocket, type Msg } from './benchSocket';

/** A device of an account, as its client holds it; `pkcs8` lets a worker thread sign as it. */
export interface BenchDevice {
  username: string;
  deviceId: string;
  identityKey: string;
  pkcs8: string;
}

interface DeviceKeys {
  privateKey: KeyObject;
  identityKey: string;
}

function newKeys(): DeviceKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return { privateKey, identityKey: Buffer.from(x, 'base64url').toString('base64') };
}

function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

function device(username: string, deviceId: string, keys: DeviceKeys): BenchDevice {
  const pkcs8 = keys.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { username, deviceId, identityKey: keys.identityKey, pkcs8 };
}

function privateKeyOf(device: BenchDevice): KeyObject {
  return createPrivateKey({
    key: Buffer.from(device.pkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
}

async function challenge(socket: BenchSocket): Promise<string> {
  const reply = await socket.expect('hello', { client: 'parley-abuse-bench/1' }, 'auth.challenge');
  return reply.nonce as string;
}

/** hello, then auth.register of a new account: the connection is signed in as its first device. */
export async function register(socket: BenchSocket, username: string): Promise<BenchDevice> {
  const keys = newKeys();
  const nonce = await challenge(socket);
  const session = await socket.expect(
    'auth.register',
    {
      username,
      displayName: `Bench ${username}`,
      deviceName: 'bench',
      identityKey: keys.identityKey,
      nonce,
      signature: signText(
        keys.privateKey,
        registerChallengeText({
          origin: socket.origin,
          nonce,
          username,
          identityKey: keys.identityKey,
        }),
      ),
    },
    'session',
  );
  return device(username, session.deviceId as string, keys);
}

/** hello, then auth.login as a known device. */
export async function login(socket: BenchSocket, known: BenchDevice): Promise<Msg> {
  const nonce = await challenge(socket);
  return socket.expect(
    'auth.login',
    {
      username: known.username,
      deviceId: known.deviceId,
      nonce,
      signature: signText(
        privateKeyOf(known),
        loginChallengeText({
          origin: socket.origin,
          nonce,
          username: known.username,
          deviceId: known.deviceId,
        }),
      ),
    },
    'session',
  );
}

/**
 * Links a new device to `approver`'s account ("Linked devices"): the new connection asks for a
 * code, the approver looks it up and certifies the new key; the new connection is then signed in.
 */
export async function linkDevice(
  approver: BenchSocket,
  approverDevice: BenchDevice,
  newcomer: BenchSocket,
): Promise<BenchDevice> {
  const keys = newKeys();
  const nonce = await challenge(newcomer);
  const approved = newcomer.next((message) => message.type === 'link.approved');
  const { code, expiresAt } = await newcomer.expect(
    'link.request',
    {
      deviceName: 'bench',
      identityKey: keys.identityKey,
      nonce,
      signature: signText(
        keys.privateKey,
        linkRequestText({ origin: newcomer.origin, nonce, identityKey: keys.identityKey }),
      ),
    },
    'link.code',
  );
  await approver.expect('link.lookup', { code }, 'link.pending');
  const certificate = linkCertificateText({
    username: approverDevice.username,
    identityKey: keys.identityKey,
    code: code as string,
    expiresAt: expiresAt as number,
  });
  await approver.expect(
    'link.approve',
    { code, signature: signText(privateKeyOf(approverDevice), certificate) },
    'devices',
  );
  const { deviceId } = await approved;
  return device(approverDevice.username, deviceId as string, keys);
}

/** Parallel connections registering accounts for the bench's setup. */
const REGISTERING_CONNECTIONS = 16;

/**
 * Registers `count` accounts named `<prefix><n>`. Each connection registers several in turn,
 * signing out (`session.end`) between them, so that setup costs few connections and stays
 * within every connection's rate limit.
 */
export async function registerMany(
  url: string,
  prefix: string,
  count: number,
): Promise<BenchDevice[]> {
  const devices: BenchDevice[] = new Array<BenchDevice>(count);
  let next = 0;
  const worker = async () => {
    const socket = await BenchSocket.open(url);
    try {
      for (let n = next++; n < count; n = next++) {
        devices[n] = await register(socket, `${prefix}${String(n).padStart(4, '0')}`);
        await socket.expect('session.end', {}, 'ok');
      }
    } finally {
      socket.ws.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(REGISTERING_CONNECTIONS, count) }, worker));
  return devices;
}
