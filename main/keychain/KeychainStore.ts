/** The part of keytar's API Parley uses; the real `keytar` module satisfies it. */
export interface KeytarPort {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const DEFAULT_KEYCHAIN_SERVICE = 'Parley';

/**
 * Keychain account names. The identity key is kept per server (see `accountScope`): a device
 * registered on two servers has two keys, and a key made for one server is never used with
 * another. The unscoped names are those of installs from before, read once to adopt them.
 */
export const keychainAccounts = {
  identityPrivateKey: (scope: string) => `device-identity-private-key ${scope}`,
  legacyIdentityPrivateKey: 'device-identity-private-key',
  /** A 30-day bearer token older installs kept; sessions no longer have one. */
  legacySessionToken: 'session-token',
} as const;

/**
 * The device's long-term secret for one server in the OS keychain (Secret Service, macOS
 * Keychain, Windows Credential Manager via keytar). Nothing here is ever written to a file by
 * Parley.
 */
export class KeychainStore {
  constructor(
    private readonly keytar: KeytarPort,
    readonly service: string,
    /** The server this store's secrets belong to: `accountScope` of the server in use. */
    readonly scope: string,
  ) {}

  /** PKCS8 DER of the Ed25519 identity key, base64. */
  getIdentityPrivateKey(): Promise<string | null> {
    return this.read(keychainAccounts.identityPrivateKey(this.scope));
  }

  setIdentityPrivateKey(pkcs8Base64: string): Promise<void> {
    return this.write(keychainAccounts.identityPrivateKey(this.scope), pkcs8Base64);
  }

  deleteIdentityPrivateKey(): Promise<boolean> {
    return this.remove(keychainAccounts.identityPrivateKey(this.scope));
  }

  /** The identity key an install from before servers had their own left behind, if any. */
  getLegacyIdentityPrivateKey(): Promise<string | null> {
    return this.read(keychainAccounts.legacyIdentityPrivateKey);
  }

  /** Forgets the key an install from before left behind, once it was adopted. */
  deleteLegacyIdentityPrivateKey(): Promise<boolean> {
    return this.remove(keychainAccounts.legacyIdentityPrivateKey);
  }

  /** Forgets the bearer token an install from before kept: nothing reads it any more. */
  deleteLegacySessionToken(): Promise<boolean> {
    return this.remove(keychainAccounts.legacySessionToken);
  }

  private async read(account: string): Promise<string | null> {
    try {
      return await this.keytar.getPassword(this.service, account);
    } catch (error) {
      throw keychainError('read', account, error);
    }
  }

  private async write(account: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new Error(`keychain: refusing to store an empty ${account}`);
    try {
      await this.keytar.setPassword(this.service, account, secret);
    } catch (error) {
      throw keychainError('write', account, error);
    }
  }

  private async remove(account: string): Promise<boolean> {
    try {
      return await this.keytar.deletePassword(this.service, account);
    } catch (error) {
      throw keychainError('delete', account, error);
    }
  }
}

/** The OS keychain refused or could not be reached (locked, or no Secret Service running). */
export class KeychainUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'KeychainUnavailableError';
  }
}

function keychainError(action: string, account: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new KeychainUnavailableError(
    `keychain: could not ${action} ${account} (is the OS keychain unlocked?): ${detail}`,
    { cause },
  );
}
