import type { StoredAccount } from '../../protocol';

/** One registered account on this browser, with its identity key pair (private half non-extractable). */
export interface WebDeviceRecord extends StoredAccount {
  keyPair: CryptoKeyPair;
}

const DB_NAME = 'parley';
const STORE = 'devices';

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
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'username' });
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
}
