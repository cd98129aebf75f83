import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyClient } from '../../e2e/harness/parleyClient';

/**
 * The duration in seconds the call log shows for the newest answered call with this peer (its
 * "m:ss" or "h:mm:ss"). Opens the call log and returns to the contacts screen.
 */
export async function readLoggedDurationSeconds(
  client: ParleyClient,
  peerUsername: string,
): Promise<number> {
  await client.waitForCallLogEntry('answered', peerUsername);
  await client.click(testIds.navCallLog);
  await client.waitForScreen(testIds.screenCallLog);
  const detail = await client.page
    .locator(
      `[data-testid="${testIds.callLogEntry}"][data-outcome="answered"][data-peer="${peerUsername}"]`,
    )
    .first()
    .locator('.call-log__detail')
    .innerText();
  await client.click(testIds.navContacts);
  await client.waitForScreen(testIds.screenContacts);
  const shown = /(?:(\d+):)?(\d+):(\d\d)/.exec(detail);
  if (!shown) throw new Error(`no duration in the call log entry: ${JSON.stringify(detail)}`);
  const [, hours, minutes, seconds] = shown;
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}
