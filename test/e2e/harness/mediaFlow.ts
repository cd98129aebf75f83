import type { ParleyUser } from './parleyUser';

/**
 * Asserts that media arrives on every client and is still arriving a second later: decoded video
 * frames rise, and (unless `audio` is false) received audio packets rise too.
 */
export async function expectMediaStillFlowing(
  clients: ParleyUser[],
  { audio = true }: { audio?: boolean } = {},
): Promise<void> {
  const first = await Promise.all(clients.map((client) => client.waitForInboundMedia()));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const later = await Promise.all(clients.map((client) => client.readInboundMedia()));
  clients.forEach((_client, i) => {
    expect(later[i]!.videoFramesDecoded).toBeGreaterThan(first[i]!.videoFramesDecoded);
    if (audio) {
      expect(later[i]!.audioPacketsReceived).toBeGreaterThan(first[i]!.audioPacketsReceived);
    }
  });
}
