import type { Page } from 'playwright-core';
import {
  countPeerConnections,
  videoMilestones,
  watchVideoMilestones,
} from '../../test/e2e/harness/peerConnectionTracker';
import { cameraOpenedSince } from './cameraOpenTimes';
import { stagesOf, type SetupStages } from './setupStages';

interface BaselinePage {
  prepareCall(video: MediaTrackConstraints | true): Promise<void>;
  acceptCall(): Promise<number>;
  hangUp(): void;
}

/**
 * One call on the bare two-connection page (baseline/): milliseconds from the answerer's accept
 * to the offerer's first decoded video frame, and where they went. `video` is both peers' camera
 * constraint.
 */
export async function timeBaselineCall(
  page: Page,
  video: MediaTrackConstraints | true,
): Promise<{ setupMs: number; stages: SetupStages }> {
  const offererIndex = await countPeerConnections(page);
  // The answerer is the page's next connection, made at the accept.
  const answererIndex = offererIndex + 1;
  await page.evaluate(
    (constraint) => (window as unknown as BaselinePage).prepareCall(constraint),
    video,
  );
  await watchVideoMilestones(page, offererIndex, 'decodedAt');
  await watchVideoMilestones(page, answererIndex, 'encodedAt');
  const acceptedAt = await page.evaluate(() => (window as unknown as BaselinePage).acceptCall());
  const offerer = await videoMilestones(page, offererIndex);
  const answerer = await videoMilestones(page, answererIndex);
  const cameraOpenedAt = await cameraOpenedSince(page, acceptedAt);
  await page.evaluate(() => (window as unknown as BaselinePage).hangUp());
  return {
    setupMs: offerer.decodedAt! - acceptedAt,
    stages: stagesOf(acceptedAt, cameraOpenedAt, answerer, offerer),
  };
}
