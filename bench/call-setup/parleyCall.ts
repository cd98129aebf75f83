import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../../test/e2e/harness/parleyClient';
import {
  countPeerConnections,
  firstVideoFrameAt,
  readSentVideoSize,
  watchFirstVideoFrame,
} from '../../test/e2e/harness/peerConnectionTracker';

export interface ParleyCallTiming {
  setupMs: number;
  /** The camera size the caller sent, so that the baseline can send the same. */
  sentVideo: { width: number; height: number };
}

/**
 * One Parley video call through the web client: milliseconds from the callee's click on accept
 * to the caller's first decoded remote video frame. Both clients end on their contacts screen.
 */
export async function timeParleyCall(
  caller: ParleyClient,
  callee: ParleyClient,
): Promise<ParleyCallTiming> {
  const callerIndex = await countPeerConnections(caller.page);
  await caller.callByUsername(callee.username, 'video');
  await callee.waitForIncomingCall();
  await watchFirstVideoFrame(caller.page, callerIndex);
  // Time and click in the same page task, so nothing runs between them.
  const acceptedAt = await callee.page.evaluate((selector) => {
    const button = document.querySelector<HTMLElement>(selector);
    if (!button) throw new Error(`no ${selector} on the incoming call screen`);
    const now = Date.now();
    button.click();
    return now;
  }, `[data-testid="${testIds.acceptVideoButton}"]`);
  const firstFrameAt = await firstVideoFrameAt(caller.page);

  const sentVideo = await readSentVideoSize(caller.page);
  if (!sentVideo) throw new Error('the caller sent no camera track');

  await caller.waitForInCall();
  await caller.click(testIds.hangupButton);
  await Promise.all([caller.waitForCallEnded('hangup'), callee.waitForCallEnded('remote_hangup')]);
  return { setupMs: firstFrameAt - acceptedAt, sentVideo };
}
