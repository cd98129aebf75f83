import type { Page } from 'playwright-core';
import {
  countPeerConnections,
  firstVideoFrameAt,
  watchFirstVideoFrame,
} from '../../test/e2e/harness/peerConnectionTracker';

interface BaselinePage {
  prepareCall(video: MediaTrackConstraints | true): Promise<void>;
  acceptCall(): Promise<number>;
  hangUp(): void;
}

/**
 * One call on the bare two-connection page (baseline/): milliseconds from the answerer's accept
 * to the offerer's first decoded video frame. `video` is both peers' camera constraint.
 */
export async function timeBaselineCall(
  page: Page,
  video: MediaTrackConstraints | true,
): Promise<number> {
  const offererIndex = await countPeerConnections(page);
  await page.evaluate(
    (constraint) => (window as unknown as BaselinePage).prepareCall(constraint),
    video,
  );
  await watchFirstVideoFrame(page, offererIndex);
  const acceptedAt = await page.evaluate(() => (window as unknown as BaselinePage).acceptCall());
  const firstFrameAt = await firstVideoFrameAt(page);
  await page.evaluate(() => (window as unknown as BaselinePage).hangUp());
  return firstFrameAt - acceptedAt;
}
