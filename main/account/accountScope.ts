import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { serverOrigin } from '../../protocol/auth';
import type { ServerChoice } from '../embeddedServer/serverChoice';

/**
 * The scope of the embedded server's account. That server listens on a new loopback port at each
 * start, so its origin changes; its data lives in this profile, so the profile names it.
 */
export const EMBEDDED_SERVER_SCOPE = 'embedded';

/**
 * Which server an account, its identity key and its contact pins belong to: the origin of the
 * server in use (`wss://chat.example`), or the embedded server. Relaunching against another
 * server finds nothing of the first one's, so no secret or signature meant for one server is
 * ever offered to another.
 */
export function accountScope(choice: ServerChoice): string {
  return choice.kind === 'embedded' ? EMBEDDED_SERVER_SCOPE : serverOrigin(choice.wsUrl);
}

/** The folder of one scope's files (account.json, pins/) in the profile, named by a hash. */
export function accountDir(userDataDir: string, scope: string): string {
  const id = createHash('sha256').update(scope).digest('hex').slice(0, ACCOUNT_DIR_HEX_LENGTH);
  return join(userDataDir, 'accounts', id);
}

const ACCOUNT_DIR_HEX_LENGTH = 16;
