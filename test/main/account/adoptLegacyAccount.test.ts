import * as keytar from 'keytar';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountFile } from '../../../main/account/AccountFile';
import { accountDir } from '../../../main/account/accountScope';
import { adoptLegacyAccount } from '../../../main/account/adoptLegacyAccount';
import { KeychainStore, keychainAccounts } from '../../../main/keychain/KeychainStore';
import { ContactPinFile } from '../../../main/pins/ContactPinFile';
import { requireSecretService, uniqueServiceName } from '../secretService';

const scope = 'wss://chat.example';
const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };
const legacyKey = Buffer.alloc(48, 5).toString('base64');
const legacyToken = Buffer.alloc(32, 6).toString('base64');
const pin = {
  username: 'bob',
  identityKey: Buffer.alloc(32, 7).toString('base64'),
  verified: true,
  firstSeenAt: 1_700_000_000_000,
};

let userDataDir: string;
let service: string;
let keychain: KeychainStore;
let log: string[];

/** An install from before: account.json and pins/ in the profile, key and token unscoped. */
async function legacyInstall(): Promise<void> {
  await writeFile(join(userDataDir, 'account.json'), JSON.stringify(account));
  await mkdir(join(userDataDir, 'pins'));
  await writeFile(join(userDataDir, 'pins', 'alice.json'), JSON.stringify({ pins: [pin] }));
  await keytar.setPassword(service, keychainAccounts.legacyIdentityPrivateKey, legacyKey);
  await keytar.setPassword(service, keychainAccounts.legacySessionToken, legacyToken);
}

async function keychainEntries(): Promise<string[]> {
  return (await keytar.findCredentials(service)).map((entry) => entry.account).sort();
}

const adopt = (store: KeychainStore = keychain) =>
  adoptLegacyAccount(
    { userDataDir, accountDir: accountDir(userDataDir, store.scope) },
    store,
    (message) => log.push(message),
  );

beforeAll(requireSecretService);
beforeEach(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'parley-legacy-'));
  service = uniqueServiceName('legacy');
  keychain = new KeychainStore(keytar, service, scope);
  log = [];
});
afterEach(async () => {
  for (const { account: name } of await keytar.findCredentials(service)) {
    await keytar.deletePassword(service, name);
  }
  await rm(userDataDir, { recursive: true, force: true });
});

describe('the first start after the update, on the real keychain and files', () => {
  it('gives the account, key and pins from before to the server in use, and deletes the old token', async () => {
    await legacyInstall();
    await adopt();

    const dir = accountDir(userDataDir, scope);
    expect(await new AccountFile(dir).read()).toEqual(account);
    expect(await new ContactPinFile(dir).read('alice')).toEqual([pin]);
    expect(await keychain.getIdentityPrivateKey()).toBe(legacyKey);
    expect(await keychainEntries()).toEqual([`device-identity-private-key ${scope}`]);
    expect(await readdir(userDataDir)).toEqual(['accounts']);
    expect(log).toEqual([`adopted the account from before for the server ${scope}`]);
  });

  it('adopts once: a later start against another server finds no account there', async () => {
    await legacyInstall();
    await adopt();
    const other = new KeychainStore(keytar, service, 'wss://evil.example');
    await adopt(other);
    expect(await new AccountFile(accountDir(userDataDir, other.scope)).read()).toBeNull();
    expect(await other.getIdentityPrivateKey()).toBeNull();
    expect(await keychain.getIdentityPrivateKey()).toBe(legacyKey);
  });

  it('finishes an adoption a crash interrupted after the key was copied', async () => {
    await legacyInstall();
    await keychain.setIdentityPrivateKey(legacyKey);
    await adopt();
    expect(await new AccountFile(accountDir(userDataDir, scope)).read()).toEqual(account);
    expect(await keychainEntries()).toEqual([`device-identity-private-key ${scope}`]);
  });

  it('leaves the old account alone when the server in use has its own, but deletes the token', async () => {
    await legacyInstall();
    const own = { ...account, username: 'carol', deviceId: 'device-0002' };
    await new AccountFile(accountDir(userDataDir, scope)).write(own);
    const ownKey = Buffer.alloc(48, 9).toString('base64');
    await keychain.setIdentityPrivateKey(ownKey);
    await adopt();

    expect(await new AccountFile(accountDir(userDataDir, scope)).read()).toEqual(own);
    expect(await keychain.getIdentityPrivateKey()).toBe(ownKey);
    expect(JSON.parse(await readFile(join(userDataDir, 'account.json'), 'utf8'))).toEqual(account);
    expect(await keychain.getLegacyIdentityPrivateKey()).toBe(legacyKey);
    expect(await keychainEntries()).toEqual([
      keychainAccounts.legacyIdentityPrivateKey,
      `device-identity-private-key ${scope}`,
    ]);
  });

  it('changes nothing on a fresh install', async () => {
    await adopt();
    expect(await readdir(userDataDir)).toEqual([]);
    expect(await keychainEntries()).toEqual([]);
    expect(log).toEqual([]);
  });
});
