import * as keytar from 'keytar';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountFile } from '../../../main/account/AccountFile';
import { DeviceIdentity } from '../../../main/identity/DeviceIdentity';
import { registerIpcHandlers, type IpcMainPort } from '../../../main/ipc/IpcHandlers';
import type { IpcSender } from '../../../main/ipc/senderPolicy';
import { KeychainStore, keychainAccounts } from '../../../main/keychain/KeychainStore';
import { ContactPinFile } from '../../../main/pins/ContactPinFile';
import type { IpcChannel } from '../../../protocol/ipc';
import { recordingKeytar, uniqueServiceName } from '../secretService';

export const APP_WEB_CONTENTS_ID = 7;

/** The main frame of Parley's own window, as the Electron adapter describes it. */
export const appSender: IpcSender = {
  webContentsId: APP_WEB_CONTENTS_ID,
  frame: { url: 'app://parley/index.html', isMainFrame: true },
};

/**
 * Main's real IPC handlers over the real keychain and a real account file in a temp userData
 * folder, driven the way ipcMain would drive them.
 */
export async function createIpcHarness() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'parley-userdata-'));
  const service = uniqueServiceName('ipc');
  const recorder = recordingKeytar();
  const keychain = new KeychainStore(recorder, service);
  const account = new AccountFile(userDataDir);
  const warnings: string[] = [];
  const pins = new ContactPinFile(userDataDir, (message) => warnings.push(message));
  const listeners = new Map<string, (sender: IpcSender, args: unknown[]) => Promise<unknown>>();
  const port: IpcMainPort = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`${channel} registered twice`);
      listeners.set(channel, listener);
    },
  };
  registerIpcHandlers(
    port,
    {
      config: () => ({
        serverUrl: 'ws://127.0.0.1:4000/ws',
        appVersion: '0.1.0',
        platform: 'linux',
      }),
      account,
      identity: new DeviceIdentity(keychain),
      pins,
      session: keychain,
    },
    () => APP_WEB_CONTENTS_ID,
  );

  return {
    userDataDir,
    service,
    keytarCalls: recorder.calls,
    accountFile: account,
    pinFile: pins,
    warnings,
    registeredChannels: () => [...listeners.keys()],
    invoke(channel: IpcChannel, args: unknown[], sender: IpcSender = appSender) {
      const listener = listeners.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      return listener(sender, args);
    },
    /** The stored secrets, read straight from the keychain. */
    async secrets() {
      return {
        privateKey: await keytar.getPassword(service, keychainAccounts.identityPrivateKey),
        token: await keytar.getPassword(service, keychainAccounts.sessionToken),
      };
    },
    async dispose() {
      await keytar.deletePassword(service, keychainAccounts.identityPrivateKey);
      await keytar.deletePassword(service, keychainAccounts.sessionToken);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export type IpcHarness = Awaited<ReturnType<typeof createIpcHarness>>;
