import { access, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeychainStore } from '../keychain/KeychainStore';

export interface LegacyAccountPaths {
  /** The profile folder, where installs from before kept account.json and pins/. */
  userDataDir: string;
  /** The folder of the server in use (accountDir of its scope). */
  accountDir: string;
}

/**
 * Installs from before servers had their own storage kept one account, its identity key and its
 * pins without saying for which server. At the first start after the update they become the
 * server's in use, unless that server has an account of its own already (then they stay where
 * they are, for a start against their server). The old session token is deleted in any case:
 * sessions no longer have a bearer token. Each step moves one thing and is skipped once done, so
 * a crash halfway is finished at the next start; the account file moves last.
 */
export async function adoptLegacyAccount(
  paths: LegacyAccountPaths,
  keychain: KeychainStore,
  log: (message: string) => void,
): Promise<void> {
  await keychain.deleteLegacySessionToken();
  const legacyAccount = join(paths.userDataDir, 'account.json');
  const legacyKey = await keychain.getLegacyIdentityPrivateKey();
  if (!(await exists(legacyAccount)) && legacyKey === null) return;
  if (await exists(join(paths.accountDir, 'account.json'))) {
    log(`kept the account from before apart: the server ${keychain.scope} has its own`);
    return;
  }
  if (legacyKey !== null && (await keychain.getIdentityPrivateKey()) === null) {
    await keychain.setIdentityPrivateKey(legacyKey);
  }
  await mkdir(paths.accountDir, { recursive: true, mode: 0o700 });
  await moveIfAbsent(join(paths.userDataDir, 'pins'), join(paths.accountDir, 'pins'));
  await moveIfAbsent(legacyAccount, join(paths.accountDir, 'account.json'));
  if (legacyKey !== null) await keychain.deleteLegacyIdentityPrivateKey();
  log(`adopted the account from before for the server ${keychain.scope}`);
}

async function moveIfAbsent(from: string, to: string): Promise<void> {
  if ((await exists(from)) && !(await exists(to))) await rename(from, to);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
