import * as keytar from 'keytar';
import {
  KeychainStore,
  keychainAccounts,
  type KeytarPort,
} from '../../../main/keychain/KeychainStore';
import { requireSecretService, secretToolSearch, uniqueServiceName } from '../secretService';

const service = uniqueServiceName('keychain');
const store = new KeychainStore(keytar, service);
const privateKey = Buffer.alloc(48, 7).toString('base64');
const token = Buffer.alloc(32, 9).toString('base64');

beforeAll(requireSecretService);

afterAll(async () => {
  await keytar.deletePassword(service, keychainAccounts.identityPrivateKey).catch(() => false);
  await keytar.deletePassword(service, keychainAccounts.sessionToken).catch(() => false);
});

describe('KeychainStore on the real Secret Service', () => {
  it('stores, reads and deletes the identity private key', async () => {
    expect(await store.getIdentityPrivateKey()).toBeNull();
    await store.setIdentityPrivateKey(privateKey);
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    expect(await store.deleteIdentityPrivateKey()).toBe(true);
    expect(await store.getIdentityPrivateKey()).toBeNull();
    expect(await store.deleteIdentityPrivateKey()).toBe(false);
  });

  it('stores, reads and deletes the session token apart from the key', async () => {
    await store.setIdentityPrivateKey(privateKey);
    await store.setSessionToken(token);
    expect(await store.getSessionToken()).toBe(token);
    expect(await store.deleteSessionToken()).toBe(true);
    expect(await store.getSessionToken()).toBeNull();
    expect(await store.getIdentityPrivateKey()).toBe(privateKey);
    await store.deleteIdentityPrivateKey();
  });

  it('is visible to secret-tool, an independent reader, until deleted', async () => {
    await store.setIdentityPrivateKey(privateKey);
    await store.setSessionToken(token);
    const listed = await secretToolSearch(service);
    expect(listed).toContain(`attribute.account = ${keychainAccounts.identityPrivateKey}`);
    expect(listed).toContain(`attribute.account = ${keychainAccounts.sessionToken}`);
    expect(listed).toContain(`secret = ${privateKey}`);

    await store.deleteIdentityPrivateKey();
    await store.deleteSessionToken();
    const after = await secretToolSearch(service);
    expect(after).not.toContain(keychainAccounts.identityPrivateKey);
    expect(after).not.toContain(keychainAccounts.sessionToken);
  });

  it('keeps services apart, so another app name does not see Parley secrets', async () => {
    const other = new KeychainStore(keytar, uniqueServiceName('other'));
    await store.setSessionToken(token);
    expect(await other.getSessionToken()).toBeNull();
    await store.deleteSessionToken();
  });

  it('uses the service name "Parley" unless told otherwise', () => {
    expect(new KeychainStore(keytar).service).toBe('Parley');
  });

  it('refuses to store an empty secret and leaves the old one in place', async () => {
    await store.setSessionToken(token);
    await expect(store.setSessionToken('')).rejects.toThrow('refusing to store an empty');
    expect(await store.getSessionToken()).toBe(token);
    await store.deleteSessionToken();
  });

  it('reports a keychain failure with a clear message', async () => {
    const locked: KeytarPort = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      deletePassword: () =>
        Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    };
    await expect(new KeychainStore(locked, service).getSessionToken()).rejects.toThrow(
      'keychain: could not read session-token (is the OS keychain unlocked?): Cannot autolaunch',
    );
  });
});
