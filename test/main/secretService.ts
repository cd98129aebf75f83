import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as keytar from 'keytar';
import type { KeytarPort } from '../../main/keychain/KeychainStore';

const run = promisify(execFile);

/** A keychain service name no other run or test file uses. */
export function uniqueServiceName(purpose: string): string {
  return `parley-test-${purpose}-${randomUUID()}`;
}

/**
 * Fails (never skips) when no Secret Service answers, with the way to provide one: these tests
 * are about the real keychain, and passing without it would prove nothing.
 */
export async function requireSecretService(): Promise<void> {
  const service = uniqueServiceName('probe');
  try {
    await keytar.setPassword(service, 'probe', 'probe');
    await keytar.deletePassword(service, 'probe');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `No Secret Service is reachable (${detail}). Run the tests the way npm test does: ` +
        "XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx jest test/main'",
      { cause: error },
    );
  }
}

/** The real keytar, with a log of every call that reached it. */
export function recordingKeytar(): KeytarPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getPassword: (service, account) => {
      calls.push(`get ${account}`);
      return keytar.getPassword(service, account);
    },
    setPassword: (service, account, password) => {
      calls.push(`set ${account}`);
      return keytar.setPassword(service, account, password);
    },
    deletePassword: (service, account) => {
      calls.push(`delete ${account}`);
      return keytar.deletePassword(service, account);
    },
  };
}

/** What `secret-tool` (libsecret's own CLI, a reader independent of keytar) lists for a service. */
export async function secretToolSearch(service: string): Promise<string> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', service]);
  return stdout + stderr;
}
