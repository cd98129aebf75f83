import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyClient } from './parleyClient';
import type { InboundMedia } from './peerConnectionTracker';
import type { ParleyUser } from './parleyUser';
import { pollUntil } from './pollUntil';

/**
 * Asserts that media arrives on every client and is still arriving a second later: decoded video
 * frames rise, and (unless `audio` is false) received audio packets rise too.
 *
 * A receiver's counters may start again from zero on the same connection: Firefox's inbound video
 * counters do, early in a call, for the same SSRC (most likely its receive stream made anew by the
 * renegotiation that settles the call). A reading below the one before is then the new baseline,
 * and the frames must rise from it.
 */
export async function expectMediaStillFlowing(
  clients: ParleyUser[],
  { audio = true }: { audio?: boolean } = {},
): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      let baseline = await client.waitForInboundMedia();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const rose = (media: InboundMedia) =>
        media.videoFramesDecoded > baseline.videoFramesDecoded &&
        (!audio || media.audioPacketsReceived > baseline.audioPacketsReceived);
      await pollUntil(
        () => client.readInboundMedia(),
        (media) => {
          if (rose(media)) return true;
          const restarted =
            media.videoFramesDecoded < baseline.videoFramesDecoded ||
            media.audioPacketsReceived < baseline.audioPacketsReceived;
          if (restarted) baseline = media;
          return false;
        },
        `${client.username}'s inbound media to keep rising`,
        { timeoutMs: 10_000 },
      );
    }),
  );
}

/** The size of the pictures the 1:1 call's remote video shows: 0 x 0 until one is decoded. */
export function remoteVideoSize(client: ParleyClient): Promise<{ width: number; height: number }> {
  return client.byTestId(testIds.remoteVideo).evaluate((element) => {
    const video = element as HTMLVideoElement;
    return { width: video.videoWidth, height: video.videoHeight };
  });
}
