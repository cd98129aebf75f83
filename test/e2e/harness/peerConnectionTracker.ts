import type { BrowserContext, Page } from 'playwright-core';
import type { PagePort } from './pagePort';

/**
 * Reads WebRTC statistics from outside the app: an init script replaces RTCPeerConnection with a
 * subclass that records every connection the page creates, so tests need no hook in the app.
 */

interface TrackedWindow {
  __trackedPeerConnections: RTCPeerConnection[];
  /** Every connectionState any of the page's connections has reached. */
  __connectionStatesSeen: Set<RTCPeerConnectionState>;
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function trackPeerConnections(): void {
  const tracked: RTCPeerConnection[] = [];
  const statesSeen = new Set<RTCPeerConnectionState>();
  const Native = window.RTCPeerConnection;
  class TrackedPeerConnection extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      tracked.push(this);
      this.addEventListener('connectionstatechange', () => statesSeen.add(this.connectionState));
    }
  }
  window.RTCPeerConnection = TrackedPeerConnection;
  Object.defineProperty(window, '__trackedPeerConnections', { value: tracked });
  Object.defineProperty(window, '__connectionStatesSeen', { value: statesSeen });
}

export async function trackPeerConnectionsIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(trackPeerConnections);
}

export interface InboundMedia {
  /** How many connections the page has created so far. */
  connections: number;
  /** Summed over the inbound video streams of the newest connection. */
  videoFramesDecoded: number;
  /** RTP packets that reached the newest connection's inbound video streams, decodable or not. */
  videoPacketsReceived: number;
  /** Summed over the inbound audio streams of the newest connection. */
  audioPacketsReceived: number;
}

/** Runs in the page: inbound media counters of its newest connection (zeros if none). */
export async function newestInboundMedia(): Promise<InboundMedia> {
  const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
  const result = {
    connections: tracked.length,
    videoFramesDecoded: 0,
    videoPacketsReceived: 0,
    audioPacketsReceived: 0,
  };
  const newest = tracked[tracked.length - 1];
  if (!newest || newest.connectionState === 'closed') return result;
  const stats = await newest.getStats();
  stats.forEach((report: { type: string; kind?: string; [key: string]: unknown }) => {
    if (report.type !== 'inbound-rtp') return;
    if (report.kind === 'video') {
      result.videoFramesDecoded += Number(report.framesDecoded ?? 0);
      result.videoPacketsReceived += Number(report.packetsReceived ?? 0);
    }
    if (report.kind === 'audio') result.audioPacketsReceived += Number(report.packetsReceived ?? 0);
  });
  return result;
}

/** Inbound media counters of the newest connection the page created (zeros if none). */
export function readInboundMedia(page: Page): Promise<InboundMedia> {
  return page.evaluate(newestInboundMedia);
}

/** Every connectionState any connection of the page has reached so far ('new' is never reported). */
export function readConnectionStatesSeen(page: PagePort): Promise<RTCPeerConnectionState[]> {
  return page.evaluate(
    () => [...(window as unknown as TrackedWindow).__connectionStatesSeen],
    undefined,
  );
}

/** The DTLS roles (`a=setup:` values) of the newest connection's local description. */
export function readLocalDtlsSetup(page: PagePort): Promise<string[]> {
  return page.evaluate(() => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const sdp = tracked.at(-1)?.localDescription?.sdp ?? '';
    return [...sdp.matchAll(/^a=setup:(\w+)/gm)].map((match) => match[1] ?? '');
  }, undefined);
}

/**
 * Whether an encoded-frame transform is attached to each sender and receiver carrying a track on
 * the newest connection: the media passes through the app's encryption worker. Null when the
 * page has no open connection.
 */
export function readAttachedTransforms(
  page: Page,
): Promise<{ senders: boolean[]; receivers: boolean[] } | null> {
  return page.evaluate(() => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    if (!newest || newest.connectionState === 'closed') return null;
    const attached = (endpoint: RTCRtpSender | RTCRtpReceiver) =>
      (endpoint as { transform?: unknown }).transform instanceof RTCRtpScriptTransform;
    return {
      senders: newest
        .getSenders()
        .filter((sender) => sender.track)
        .map(attached),
      receivers: newest.getTransceivers().map((transceiver) => attached(transceiver.receiver)),
    };
  });
}

/** Width and height of the camera track the newest connection sends, or null if it sends none. */
export function readSentVideoSize(page: Page): Promise<{ width: number; height: number } | null> {
  return page.evaluate(() => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    const track = newest
      ?.getSenders()
      .map((sender) => sender.track)
      .find((candidate) => candidate?.kind === 'video');
    const { width, height } = track?.getSettings() ?? {};
    return width && height ? { width, height } : null;
  });
}

/** How many connections the page has created so far; the next one gets this index. */
export function countPeerConnections(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as TrackedWindow).__trackedPeerConnections.length);
}

/** When a connection's first video got through each stage, as the page's Date.now(). */
export interface VideoMilestones {
  /** Its first outbound video frame encoded (null: it sends none, or not yet). */
  encodedAt: number | null;
  /** Its first inbound video frame decoded. */
  decodedAt: number | null;
}

type MilestonesWindow = {
  __videoMilestones: Record<number, Promise<VideoMilestones>>;
  __firstVideoFrameAt: Promise<number>;
};

/**
 * Starts watching, inside the page, the connection with the given creation index (waiting for it
 * to exist) and records when its first video passes each stage, until it reaches `until`.
 * Returns at once; `videoMilestones` collects the times. Stats are polled every 5 ms.
 */
export function watchVideoMilestones(
  page: Page,
  connectionIndex: number,
  until: 'encodedAt' | 'decodedAt',
): Promise<void> {
  return page.evaluate(
    ({ index, last }) => {
      const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
      const state = window as unknown as MilestonesWindow;
      state.__videoMilestones ??= {};
      state.__videoMilestones[index] = new Promise<VideoMilestones>((resolve, reject) => {
        const seen: VideoMilestones = { encodedAt: null, decodedAt: null };
        const poll = async () => {
          const pc = tracked[index];
          if (pc) {
            if (pc.connectionState === 'closed' || pc.connectionState === 'failed') {
              reject(new Error(`connection ${index} ${pc.connectionState} before its video did`));
              return;
            }
            const stats = await pc.getStats();
            const now = Date.now();
            stats.forEach((report: Record<string, unknown>) => {
              if (report.kind !== 'video') return;
              if (report.type === 'outbound-rtp' && Number(report.framesEncoded) > 0)
                seen.encodedAt ??= now;
              if (report.type === 'inbound-rtp' && Number(report.framesDecoded) > 0)
                seen.decodedAt ??= now;
            });
            if (seen[last] !== null) {
              resolve(seen);
              return;
            }
          }
          setTimeout(poll, 5);
        };
        void poll();
      });
    },
    { index: connectionIndex, last: until },
  );
}

/** The milestones of a connection `watchVideoMilestones` watches, once it reached its last. */
export function videoMilestones(page: Page, connectionIndex: number): Promise<VideoMilestones> {
  return page.evaluate(
    (index) => (window as unknown as MilestonesWindow).__videoMilestones[index]!,
    connectionIndex,
  );
}

/**
 * Starts watching the connection with the given creation index for its first decoded inbound
 * video frame; `firstVideoFrameAt` collects the page's Date.now() at that frame.
 */
export async function watchFirstVideoFrame(page: Page, connectionIndex: number): Promise<void> {
  await watchVideoMilestones(page, connectionIndex, 'decodedAt');
  await page.evaluate((index) => {
    const state = window as unknown as MilestonesWindow;
    state.__firstVideoFrameAt = state.__videoMilestones[index]!.then(({ decodedAt }) => decodedAt!);
  }, connectionIndex);
}

/** The page's Date.now() at the first decoded frame of the watched connection. */
export function firstVideoFrameAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as MilestonesWindow).__firstVideoFrameAt);
}

/** The track the newest connection's video sender sends now: its label and size. */
export function readSentVideo(
  page: Page,
): Promise<{ label: string; width: number; height: number } | null> {
  return page.evaluate(() => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    const track = newest
      ?.getSenders()
      .map((sender) => sender.track)
      .find((t) => t?.kind === 'video');
    if (!track) return null;
    const settings = track.getSettings();
    return { label: track.label, width: settings.width ?? 0, height: settings.height ?? 0 };
  });
}

/** The track the newest connection's audio sender sends now: its id, label and enabled flag. */
export function readSentAudio(
  page: Page,
): Promise<{ id: string; label: string; enabled: boolean } | null> {
  return page.evaluate(() => {
    const tracked = (window as unknown as TrackedWindow).__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    const sender = newest?.getSenders().find((candidate) => candidate.track?.kind === 'audio');
    const track = sender?.track;
    return track ? { id: track.id, label: track.label, enabled: track.enabled } : null;
  });
}
