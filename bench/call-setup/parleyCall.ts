import type { Page } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../../test/e2e/harness/parleyClient';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import {
  countPeerConnections,
  readSentVideoSize,
  videoMilestones,
  watchVideoMilestones,
} from '../../test/e2e/harness/peerConnectionTracker';
import { cameraOpenedSince } from './cameraOpenTimes';
import { stagesOf, type SetupStages } from './setupStages';

export interface ParleyCallTiming {
  setupMs: number;
  stages: SetupStages;
  /** The camera size the caller sent, so that the baseline can send the same. */
  sentVideo: { width: number; height: number };
}

/**
 * One Parley video call through the web client: milliseconds from the callee's click on accept
 * to the caller's first decoded remote video frame. The two are contacts, so the call connects
 * while it rings: the callee accepts once the caller's connection is up, as a person would (a
 * phone rings for seconds, connecting takes a fraction of one). Both clients end on their
 * contacts screen.
 */
export async function timeParleyCall(
  caller: ParleyClient,
  callee: ParleyClient,
): Promise<ParleyCallTiming> {
  const callerIndex = await countPeerConnections(caller.page);
  await caller.callByUsername(callee.username, 'video');
  await callee.waitForIncomingCall();
  await pollUntil(
    () => connectionStateOf(caller.page, callerIndex),
    (state) => state === 'connected',
    "the caller's connection up while it rings",
  );
  // The callee's connection, made when its device started ringing: its newest.
  const calleeIndex = (await countPeerConnections(callee.page)) - 1;
  await watchVideoMilestones(caller.page, callerIndex, 'decodedAt');
  await watchVideoMilestones(callee.page, calleeIndex, 'encodedAt');
  // Time and click in the same page task, so nothing runs between them.
  const acceptedAt = await callee.page.evaluate((selector) => {
    const button = document.querySelector<HTMLElement>(selector);
    if (!button) throw new Error(`no ${selector} on the incoming call screen`);
    const now = Date.now();
    button.click();
    return now;
  }, `[data-testid="${testIds.acceptVideoButton}"]`);
  const callerSaw = await videoMilestones(caller.page, callerIndex);
  const calleeSaw = await videoMilestones(callee.page, calleeIndex);
  const cameraOpenedAt = await cameraOpenedSince(callee.page, acceptedAt);

  const sentVideo = await readSentVideoSize(caller.page);
  if (!sentVideo) throw new Error('the caller sent no camera track');

  await caller.waitForInCall();
  await caller.click(testIds.hangupButton);
  await Promise.all([caller.waitForCallEnded('hangup'), callee.waitForCallEnded('remote_hangup')]);
  return {
    setupMs: callerSaw.decodedAt! - acceptedAt,
    stages: stagesOf(acceptedAt, cameraOpenedAt, calleeSaw, callerSaw),
    sentVideo,
  };
}

/** The connectionState of the page's connection with this creation index (null: none yet). */
function connectionStateOf(page: Page, index: number): Promise<RTCPeerConnectionState | null> {
  return page.evaluate((i) => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    return tracked[i]?.connectionState ?? null;
  }, index);
}
