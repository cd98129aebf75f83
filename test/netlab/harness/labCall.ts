import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyClient } from '../../e2e/harness/parleyClient';

/**
 * The caller rings the callee by username, the callee accepts with video, both are in the call.
 * Returns when the accept was clicked (Date.now()), for tests that check the call's duration.
 */
export async function startVideoCall(caller: ParleyClient, callee: ParleyClient): Promise<number> {
  await caller.callByUsername(callee.username, 'video');
  await callee.waitForIncomingCall();
  await callee.click(testIds.acceptVideoButton);
  const acceptedAt = Date.now();
  await Promise.all([caller.waitForInCall(), callee.waitForInCall()]);
  return acceptedAt;
}

/** One side hangs up; both are back on their contacts screen saying so. */
export async function hangUp(by: ParleyClient, other: ParleyClient): Promise<void> {
  await by.click(testIds.hangupButton);
  await Promise.all([by.waitForCallEnded('hangup'), other.waitForCallEnded('remote_hangup')]);
}
