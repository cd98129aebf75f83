import * as keytar from 'keytar';
import { join } from 'node:path';
import { KeychainStore, keychainAccounts } from '../../../main/keychain/KeychainStore';
import { profileKeychainService } from '../../../main/keychain/profileKeychainService';
import { requireSecretService, uniqueServiceName } from '../secretService';

// A unique base name stands in for "Parley", so no test touches a real install's keys.
const base = uniqueServiceName('profiles');
const defaultDir = '/home/alice/.config/Parley';
const workDir = '/home/alice/parley-work';
const serviceOf = (userDataDir: string) =>
  profileKeychainService({ userDataDir, defaultUserDataDir: defaultDir }, base);
const scope = 'wss://chat.example';
const storeOf = (userDataDir: string) => new KeychainStore(keytar, serviceOf(userDataDir), scope);
const keyA = Buffer.alloc(48, 1).toString('base64');
const keyB = Buffer.alloc(48, 2).toString('base64');

beforeAll(requireSecretService);

afterAll(async () => {
  for (const service of [serviceOf(defaultDir), serviceOf(workDir)]) {
    for (const { account } of await keytar.findCredentials(service)) {
      await keytar.deletePassword(service, account);
    }
  }
});

describe('keychain names per profile, on the real Secret Service', () => {
  it('gives two profiles different keys for one server: writing one leaves the other as it was', async () => {
    const first = storeOf(defaultDir);
    const second = storeOf(workDir);
    await first.setIdentityPrivateKey(keyA);
    expect(await second.getIdentityPrivateKey()).toBeNull();

    await second.setIdentityPrivateKey(keyB);
    expect(await first.getIdentityPrivateKey()).toBe(keyA);
    expect(await second.getIdentityPrivateKey()).toBe(keyB);
    await second.deleteIdentityPrivateKey();
    expect(await first.getIdentityPrivateKey()).toBe(keyA);
  });

  it('lets the default profile find the key stored under the name used before profiles', async () => {
    await keytar.setPassword(base, keychainAccounts.legacyIdentityPrivateKey, keyA);
    expect(await storeOf(defaultDir).getLegacyIdentityPrivateKey()).toBe(keyA);
    expect(await storeOf(workDir).getLegacyIdentityPrivateKey()).toBeNull();
  });

  it('finds the same keys again after a restart, however the folder is spelled', async () => {
    await storeOf(workDir).setIdentityPrivateKey(keyB);
    for (const spelling of [
      `${workDir}/`,
      `${workDir}/../parley-work`,
      `/home/alice//parley-work`,
    ]) {
      expect(await storeOf(spelling).getIdentityPrivateKey()).toBe(keyB);
    }
    expect(await storeOf(join(workDir, 'other')).getIdentityPrivateKey()).toBeNull();
  });
});

describe('the names an existing install has its keys under', () => {
  it('are unchanged for the default profile: service "Parley", the same account names', () => {
    expect(
      profileKeychainService({ userDataDir: defaultDir, defaultUserDataDir: defaultDir }),
    ).toBe('Parley');
    expect(keychainAccounts.legacyIdentityPrivateKey).toBe('device-identity-private-key');
    expect(keychainAccounts.legacySessionToken).toBe('session-token');
  });

  it('differ for any other profile folder', () => {
    const other = profileKeychainService({ userDataDir: workDir, defaultUserDataDir: defaultDir });
    expect(other).toMatch(/^Parley-profile-[0-9a-f]{16}$/);
  });
});
