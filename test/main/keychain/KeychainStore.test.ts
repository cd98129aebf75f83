import * as keytar from 'keytar';
import {
  KeychainStore,
  keychainAccounts,
  type KeytarPort,
} from '../../../main/keychain/KeychainStore';
import { requireSecretService, secretToolSearch, uniqueServiceName } from '../secretService';

const service = uniqueServiceName('keychain');
const scope = 'wss://chat.example';
const store = new KeychainStore(keytar, service, scope);
const privateKey = Buffer.alloc(48, 7).toString('base64');
const otherKey = Buffer.alloc(48, 8).toString('base64');
const legacyToken = Buffer.alloc(32, 9).toString('base64');

beforeAll(requireSecretService);

afterAll(async () => {
  for (const { account } of await keytar.findCredentials(service)) {
    await keytar.deletePassword(service, account);
  }
});

describe('KeychainStore on the real Secret Service', () => {
  it('stores, reads and deletes the identity private key of its server', async () => {
    expect(await store.getIdentityPrivateKey()).toBeNull();
    await store.setIdentityPrivateKey(privateKey);
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    expect(await store.deleteIdentityPrivateKey()).toBe(true);
    expect(await store.getIdentityPrivateKey()).toBeNull();
    expect(await store.deleteIdentityPrivateKey()).toBe(false);
  });

  it('keeps each server its own key: another server finds none and overwrites nothing', async () => {
    const otherServer = new KeychainStore(keytar, service, 'wss://evil.example');
    const embedded = new KeychainStore(keytar, service, 'embedded');
    await store.setIdentityPrivateKey(privateKey);
    expect(await otherServer.getIdentityPrivateKey()).toBeNull();
    expect(await embedded.getIdentityPrivateKey()).toBeNull();

    await otherServer.setIdentityPrivateKey(otherKey);
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    await otherServer.deleteIdentityPrivateKey();
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    await store.deleteIdentityPrivateKey();
  });

  it('names the entry after its server, visible to secret-tool, an independent reader', async () => {
    await store.setIdentityPrivateKey(privateKey);
    const listed = await secretToolSearch(service);
    expect(listed).toContain(`attribute.account = device-identity-private-key ${scope}`);
    expect(listed).toContain(`secret = ${privateKey}`);

    await store.deleteIdentityPrivateKey();
    const after = await secretToolSearch(service);
    expect(after).not.toContain('device-identity-private-key');
  });

  it('reads the unscoped key of an install from before, and deletes it and its old token', async () => {
    await keytar.setPassword(service, keychainAccounts.legacyIdentityPrivateKey, otherKey);
    await keytar.setPassword(service, keychainAccounts.legacySessionToken, legacyToken);
    expect(await store.getLegacyIdentityPrivateKey()).toBe(otherKey);
    expect(await store.getIdentityPrivateKey()).toBeNull();

    expect(await store.deleteLegacySessionToken()).toBe(true);
    expect(await store.deleteLegacyIdentityPrivateKey()).toBe(true);
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('keeps services apart, so another app name does not see Parley secrets', async () => {
    const other = new KeychainStore(keytar, uniqueServiceName('other'), scope);
    await store.setIdentityPrivateKey(privateKey);
    expect(await other.getIdentityPrivateKey()).toBeNull();
    await store.deleteIdentityPrivateKey();
  });

  it('refuses to store an empty secret and leaves the old one in place', async () => {
    await store.setIdentityPrivateKey(privateKey);
    await expect(store.setIdentityPrivateKey('')).rejects.toThrow('refusing to store an empty');
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    await store.deleteIdentityPrivateKey();
  });

  it('reports a keychain failure with a clear message', async () => {
    const locked: KeytarPort = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      deletePassword: () =>
        Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    };
    await expect(new KeychainStore(locked, service, scope).getIdentityPrivateKey()).rejects.toThrow(
      `keychain: could not read device-identity-private-key ${scope} (is the OS keychain unlocked?): Cannot autolaunch`,
    );
  });
});
