import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StoredAccount } from '../../protocol/ipc';

/**
 * The non-secret account info (username, display name, device id) as JSON in the user data
 * folder. Writes go to a temp file that is renamed over the old one, so a crash mid-write leaves
 * either the old or the new file, never half of one.
 */
export class AccountFile {
  readonly path: string;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'account.json');
  }

  async read(): Promise<StoredAccount | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`account: ${this.path} is not valid JSON`);
    }
    const parsed = StoredAccount.safeParse(json);
    if (!parsed.success) throw new Error(`account: ${this.path} does not hold a valid account`);
    return parsed.data;
  }

  async write(account: StoredAccount): Promise<void> {
    const valid = StoredAccount.parse(account);
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(tmp, this.path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
