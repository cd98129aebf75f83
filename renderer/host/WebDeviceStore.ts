import type { ContactPin, StoredAccount } from '../../protocol';

/** One registered account on this browser, with its identity key pair (private half non-extractable). */
export interface WebDeviceRecord extends StoredAccount {
  keyPair: CryptoKeyPair;
}

const DB_NAME = 'parley';
const STORE = 'devices';
/** Contact pins, keyed by [own username, contact username]: accounts on one browser stay apart. */
const PINS = 'pins';

interface PinRecord extends ContactPin {
  owner: string;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * IndexedDB keeps CryptoKey objects by structured clone, so a non-extractable private key can be
 * stored and used again without its bytes ever being readable by script.
 */
export class WebDeviceStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<WebDeviceStore> {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) db.createObjectStore(STORE, { keyPath: 'username' });
      if (event.oldVersion < 2) {
        db.createObjectStore(PINS, { keyPath: ['owner', 'username'] }).createIndex(
          'owner',
          'owner',
        );
      }
    };
    return new WebDeviceStore(await promised(request));
  }

  async list(): Promise<WebDeviceRecord[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    return (await promised(tx.objectStore(STORE).getAll())) as WebDeviceRecord[];
  }

  async put(record: WebDeviceRecord): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await promised(tx.objectStore(STORE).put(record));
  }

  async delete(username: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await promised(tx.objectStore(STORE).delete(username));
  }

  async listPins(owner: string): Promise<ContactPin[]> {
    const tx = this.db.transaction(PINS, 'readonly');
    const records = (await promised(
      tx.objectStore(PINS).index('owner').getAll(owner),
    )) as PinRecord[];
    return records.map(({ owner: _owner, ...pin }) => pin);
  }

  async putPin(owner: string, pin: ContactPin): Promise<void> {
    const tx = this.db.transaction(PINS, 'readwrite');
    await promised(tx.objectStore(PINS).put({ ...pin, owner } satisfies PinRecord));
  }
}
