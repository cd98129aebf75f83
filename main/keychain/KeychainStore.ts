/** The part of keytar's API Parley uses; the real `keytar` module satisfies it. */
export interface KeytarPort {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const DEFAULT_KEYCHAIN_SERVICE = 'Parley';

/** Keychain account names of the two secrets. */
export const keychainAccounts = {
  identityPrivateKey: 'device-identity-private-key',
  sessionToken: 'session-token',
} as const;

/**
 * The device's long-term secrets in the OS keychain (Secret Service, macOS Keychain, Windows
 * Credential Manager via keytar). Nothing here is ever written to a file by Parley.
 */
export class KeychainStore {
  constructor(
    private readonly keytar: KeytarPort,
    readonly service: string = DEFAULT_KEYCHAIN_SERVICE,
  ) {}

  /** PKCS8 DER of the Ed25519 identity key, base64. */
  getIdentityPrivateKey(): Promise<string | null> {
    return this.read(keychainAccounts.identityPrivateKey);
  }

  setIdentityPrivateKey(pkcs8Base64: string): Promise<void> {
    return this.write(keychainAccounts.identityPrivateKey, pkcs8Base64);
  }

  deleteIdentityPrivateKey(): Promise<boolean> {
    return this.remove(keychainAccounts.identityPrivateKey);
  }

  getSessionToken(): Promise<string | null> {
    return this.read(keychainAccounts.sessionToken);
  }

  setSessionToken(token: string): Promise<void> {
    return this.write(keychainAccounts.sessionToken, token);
  }

  deleteSessionToken(): Promise<boolean> {
    return this.remove(keychainAccounts.sessionToken);
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

function keychainError(action: string, account: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `keychain: could not ${action} ${account} (is the OS keychain unlocked?): ${detail}`,
    {
      cause,
    },
  );
}
