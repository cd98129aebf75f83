import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoredAccount } from '../../protocol/ipc';
import { writeFileAtomically } from '../files/writeFileAtomically';

/**
 * The non-secret account info (username, display name, device id) as JSON in the user data
 * folder, replaced atomically on each write.
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
    await writeFileAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
