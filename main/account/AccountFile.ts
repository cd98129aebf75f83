import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoredAccount } from '../../protocol/ipc';
import { readJsonFile } from '../files/readJsonFile';
import { writeFileAtomically } from '../files/writeFileAtomically';

/**
 * The non-secret account info (username, display name, device id) as JSON in the folder of the
 * server it belongs to (main/account/accountScope.ts), replaced atomically on each write.
 */
export class AccountFile {
  readonly path: string;

  constructor(accountDir: string) {
    this.path = join(accountDir, 'account.json');
  }

  async read(): Promise<StoredAccount | null> {
    const content = await readJsonFile(this.path, StoredAccount);
    if (content.kind === 'missing') return null;
    if (content.kind === 'invalid') {
      throw new Error(`account: ${this.path} does not hold a valid account (${content.problem})`);
    }
    return content.value;
  }

  async write(account: StoredAccount): Promise<void> {
    const valid = StoredAccount.parse(account);
    await writeFileAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
