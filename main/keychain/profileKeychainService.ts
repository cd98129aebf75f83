import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_KEYCHAIN_SERVICE } from './KeychainStore';

/** Where a profile keeps its files, and where the default profile would (Electron's userData). */
export interface ProfileDirs {
  userDataDir: string;
  defaultUserDataDir: string;
}

/**
 * The keychain service of one profile. Each profile (`PARLEY_USER_DATA_DIR`) gets its own, so a
 * second profile never reads or overwrites the first's identity keys. The default
 * profile keeps the plain service name, so installs from before profiles had their own keep
 * their keys with no migration. Another profile's name carries a hash of its folder's absolute
 * path: moving that folder leaves its keychain entries behind (the device must be linked again).
 */
export function profileKeychainService(
  profile: ProfileDirs,
  baseService: string = DEFAULT_KEYCHAIN_SERVICE,
): string {
  const dir = resolve(profile.userDataDir);
  if (dir === resolve(profile.defaultUserDataDir)) return baseService;
  const id = createHash('sha256').update(dir).digest('hex').slice(0, PROFILE_ID_HEX_LENGTH);
  return `${baseService}-profile-${id}`;
}

/** 64 bits of the path hash: enough to keep a user's profiles apart, short enough to read. */
const PROFILE_ID_HEX_LENGTH = 16;
