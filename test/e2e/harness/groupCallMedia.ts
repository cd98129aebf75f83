import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyClient } from './parleyClient';
import { pollUntil } from './pollUntil';

/** What one client decoded of one other participant, summed over the page's connections. */
export interface DecodedFrom {
  slot: number;
  /** The worker decrypted this participant's frames (the tile's state). */
  tileState: string;
  /** Decoded frames of the video shown in their camera tile. */
  videoFrames: number;
  videoWidth: number;
  /** Audio samples decoded (not concealed) for their hidden <audio> element. */
  audioSamples: number;
  /** Video RTP packets that arrived for their camera tile, decodable or not (for failures). */
  videoPackets: number;
  /** Key frame requests sent for their video (for failures). */
  videoPlis: number;
  /** Whole video frames received, and key frames decoded, for their video (for failures). */
  videoFramesReceived: number;
  videoKeyFramesDecoded: number;
}

interface TrackedWindow {
  __trackedPeerConnections: RTCPeerConnection[];
}

/**
 * Runs in the page: for every other participant's tile, the decoded video frames and audio
 * samples of the tracks the page shows and plays for them, read from getStats by track id (the
 * SFU path has one receiving connection; the tracker records every connection).
 */
async function decodedInPage(ids: { tile: string; audio: string }): Promise<DecodedFrom[]> {
  const inbound = new Map<
    string,
    {
      frames: number;
      samples: number;
      packets: number;
      plis: number;
      framesReceived: number;
      keyFrames: number;
    }
  >();
  for (const connection of (window as unknown as TrackedWindow).__trackedPeerConnections) {
    if (connection.connectionState === 'closed') continue;
    const stats = await connection.getStats();
    stats.forEach((report: Record<string, unknown>) => {
      if (report.type !== 'inbound-rtp' || typeof report.trackIdentifier !== 'string') return;
      inbound.set(report.trackIdentifier, {
        frames: Number(report.framesDecoded ?? 0),
        samples: Number(report.totalSamplesReceived ?? 0) - Number(report.concealedSamples ?? 0),
        packets: Number(report.packetsReceived ?? 0),
        plis: Number(report.pliCount ?? 0),
        framesReceived: Number(report.framesReceived ?? 0),
        keyFrames: Number(report.keyFramesDecoded ?? 0),
      });
    });
  }
  const trackOf = (element: Element | null) => {
    const stream = (element as HTMLMediaElement | null)?.srcObject as MediaStream | null;
    return stream?.getTracks()[0]?.id ?? '';
  };
  const tiles = [
    ...document.querySelectorAll(
      `[data-testid="${ids.tile}"][data-source="camera"][data-self="false"]`,
    ),
  ];
  return tiles.map((tile) => {
    const slot = tile.getAttribute('data-slot') ?? '';
    const video = tile.querySelector('video');
    const audio = document.querySelector(`[data-testid="${ids.audio}"][data-slot="${slot}"]`);
    const videoIn = inbound.get(trackOf(video));
    return {
      slot: Number(slot),
      tileState: tile.getAttribute('data-state') ?? '',
      videoFrames: videoIn?.frames ?? 0,
      videoWidth: video?.videoWidth ?? 0,
      audioSamples: inbound.get(trackOf(audio))?.samples ?? 0,
      videoPackets: videoIn?.packets ?? 0,
      videoPlis: videoIn?.plis ?? 0,
      videoFramesReceived: videoIn?.framesReceived ?? 0,
      videoKeyFramesDecoded: videoIn?.keyFrames ?? 0,
    };
  });
}

export function decodedFromOthers(client: ParleyClient): Promise<DecodedFrom[]> {
  return client.page.evaluate(decodedInPage, {
    tile: testIds.callTile,
    audio: testIds.groupCallAudio,
  });
}

/**
 * Waits until `client` shows exactly `others` other participants, each live (the E2EE worker
 * decrypts their frames), and then decodes more of each one's video and audio: media keeps
 * flowing from every one of them. Deadlines for media on a busy 2-core machine.
 */
export async function expectDecodingFrom(
  client: ParleyClient,
  others: number,
  what: string,
): Promise<void> {
  const first = await pollUntil(
    () => decodedFromOthers(client),
    (seen) =>
      seen.length === others &&
      seen.every((s) => s.tileState === 'live' && s.videoWidth > 0 && s.audioSamples > 0),
    `${what}: ${others} others live, with pictures and sound`,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await pollUntil(
    () => decodedFromOthers(client),
    (seen) =>
      seen.length === others &&
      first.every((before) => {
        const now = seen.find((s) => s.slot === before.slot);
        // Ten more frames and a second more of sound (48 kHz) from each of them.
        return (
          now !== undefined &&
          now.tileState === 'live' &&
          now.videoFrames >= before.videoFrames + 10 &&
          now.audioSamples >= before.audioSamples + 48_000
        );
      }),
    `${what}: more video and audio decoded from each of the others`,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

/** What a client decodes of the video one of its tiles shows. */
export interface TileDecoded {
  slot: number;
  source: string;
  place: string;
  /** Frames decoded (getStats) of the track the tile's video element plays. */
  framesDecoded: number;
  videoWidth: number;
}

/** Runs in the page: the decoded frames of the track each matching tile's video shows. */
async function tilesDecodedInPage(selector: string): Promise<TileDecoded[]> {
  const framesByTrack = new Map<string, number>();
  for (const connection of (window as unknown as TrackedWindow).__trackedPeerConnections) {
    if (connection.connectionState === 'closed') continue;
    (await connection.getStats()).forEach((report: Record<string, unknown>) => {
      if (report.type === 'inbound-rtp' && typeof report.trackIdentifier === 'string')
        framesByTrack.set(report.trackIdentifier, Number(report.framesDecoded ?? 0));
    });
  }
  return [...document.querySelectorAll(selector)].map((tile) => {
    const video = tile.querySelector('video');
    const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
    return {
      slot: Number(tile.getAttribute('data-slot')),
      source: tile.getAttribute('data-source') ?? '',
      place: tile.getAttribute('data-place') ?? '',
      framesDecoded: (track && framesByTrack.get(track.id)) ?? 0,
      videoWidth: video?.videoWidth ?? 0,
    };
  });
}

/** Every tile of another participant the client shows, with what it decodes of its video. */
export function decodedInTiles(client: ParleyClient): Promise<TileDecoded[]> {
  return client.page.evaluate(
    tilesDecodedInPage,
    `[data-testid="${testIds.callTile}"][data-self="false"]`,
  );
}

/** What `client` decodes of the member in `slot`: their camera tile's video, their sound. */
export async function decodedOf(
  client: ParleyClient,
  slot: number,
): Promise<DecodedFrom | undefined> {
  return (await decodedFromOthers(client)).find((seen) => seen.slot === slot);
}

/**
 * Waits until `client` shows the video of the member in `slot` (it has a resolution) and then
 * decodes ten more of its frames: it keeps coming.
 */
export async function expectVideoOf(
  client: ParleyClient,
  slot: number,
  what: string,
): Promise<void> {
  const first = await pollUntil(
    () => decodedOf(client, slot),
    (seen) => seen?.tileState === 'live' && seen.videoWidth > 0 && seen.videoFrames > 0,
    `${what}: a picture`,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await pollUntil(
    () => decodedOf(client, slot),
    (seen) => (seen?.videoFrames ?? 0) >= first!.videoFrames + 10 && seen!.videoWidth > 0,
    `${what}: more frames decoded`,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

/** Connections of the page not closed: a 1:1 call has one, the SFU path two (send and receive). */
export function openConnections(client: ParleyClient): Promise<number> {
  return client.page.evaluate(
    () =>
      (window as unknown as TrackedWindow).__trackedPeerConnections.filter(
        (pc) => pc.connectionState !== 'closed',
      ).length,
  );
}
