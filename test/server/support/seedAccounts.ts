import { AccountStore } from '../../../server/db/AccountStore';
import { ContactStore } from '../../../server/db/ContactStore';
import { openDatabase } from '../../../server/db/openDatabase';
import { newDeviceKeys, type DeviceKeys } from './TestClient';

/** An account written by `seedAccounts`, with what its device needs to sign in. */
export interface SeededAccount {
  username: string;
  deviceId: string;
  /** The device's keys, unless the account was given its identity key (its owner has them). */
  keys: DeviceKeys | null;
}

/** A username, or a username with the identity key of a device the test already holds. */
export type AccountToSeed = string | { username: string; identityKey: string };

/**
 * Writes accounts, and the first one's contacts, straight into a server's data folder (with the
 * server's own stores) before the server starts: for tests that need hundreds of them, which
 * signing up one by one would make slow and run into the per-connection and per-address limits.
 * `contactsOfFirst` are usernames among `usernames`.
 */
export function seedAccounts(
  dataDir: string,
  accounts: AccountToSeed[],
  contactsOfFirst: string[] = [],
): SeededAccount[] {
  const db = openDatabase(dataDir);
  try {
    const store = new AccountStore(db);
    const contacts = new ContactStore(db, Number.MAX_SAFE_INTEGER);
    const seeded = accounts.map((account) => {
      const { username, identityKey, keys } =
        typeof account === 'string' ? withNewKeys(account) : { ...account, keys: null };
      const created = store.createUser(
        username,
        username.toUpperCase(),
        { name: 'seeded device', identityKey },
        Date.now(),
      );
      if (!created) throw new Error(`${username} exists already`);
      return { username, deviceId: created.device.id, keys, userId: created.user.id };
    });
    const [owner] = seeded;
    for (const username of contactsOfFirst) {
      const contact = seeded.find((account) => account.username === username);
      if (!owner || !contact) throw new Error(`${username} is not among the seeded accounts`);
      contacts.add(owner.userId, contact.userId, Date.now());
    }
    return seeded.map(({ username, deviceId, keys }) => ({ username, deviceId, keys }));
  } finally {
    db.close();
  }
}

function withNewKeys(username: string) {
  const keys = newDeviceKeys();
  return { username, identityKey: keys.identityKey, keys };
}
