import type { ScreenSource } from '../../protocol/ipc';
import { isAppUrl } from '../security/appOrigin';

/** What `desktopCapturer.getSources` gives back, as far as the broker reads it. */
export interface CapturerSource {
  id: string;
  name: string;
  thumbnail: { toDataURL(): string };
}

export interface ScreenCapturerPort<S extends CapturerSource = CapturerSource> {
  getSources(options: {
    types: ('screen' | 'window')[];
    thumbnailSize: { width: number; height: number };
  }): Promise<S[]>;
}

export type DisplayMediaAnswer<S extends CapturerSource = CapturerSource> =
  | { kind: 'grant'; source: S; systemAudio: boolean }
  | { kind: 'deny'; reason: string };

export interface DisplayMediaRequest {
  /** Origin (or URL) of the page asking, and whether it is the main frame. */
  securityOrigin: string;
  isMainFrame: boolean;
}

export interface TimerPort {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class ScreenShareRefusedError extends Error {
  constructor(reason: string) {
    super(`screen share refused: ${reason}`);
    this.name = 'ScreenShareRefusedError';
  }
}

export const SCREEN_SHARE_TIMEOUT_MS = 60_000;
const thumbnailSize = { width: 320, height: 180 };
const maxThumbnailChars = 2_000_000;

/**
 * Holds the one pending `getDisplayMedia` request between Chromium asking and the user picking a
 * source in the app's own picker. Only the app's own main frame may ask; a newer request replaces
 * (denies) an older one; an unanswered request is denied after a minute so nothing waits forever.
 * System audio is offered only where Electron can capture it (loopback on Windows).
 */
export class ScreenShareBroker<S extends CapturerSource = CapturerSource> {
  private pending: { answer: (a: DisplayMediaAnswer<S>) => void; timer: unknown } | null = null;
  private listed = new Map<string, S>();

  constructor(
    private readonly capturer: ScreenCapturerPort<S>,
    private readonly timer: TimerPort,
    private readonly platform: NodeJS.Platform,
    private readonly log: (message: string) => void,
  ) {}

  request(request: DisplayMediaRequest, answer: (a: DisplayMediaAnswer<S>) => void): void {
    if (!request.isMainFrame || !isAppUrl(request.securityOrigin)) {
      this.log('screen share request from outside the app window denied');
      answer({ kind: 'deny', reason: 'not the app origin' });
      return;
    }
    this.settle({ kind: 'deny', reason: 'replaced by a newer request' });
    const timer = this.timer.setTimeout(
      () => this.settle({ kind: 'deny', reason: 'no source was chosen in time' }),
      SCREEN_SHARE_TIMEOUT_MS,
    );
    this.pending = { answer, timer };
  }

  hasPendingRequest(): boolean {
    return this.pending !== null;
  }

  async sources(): Promise<ScreenSource[]> {
    const sources = await this.capturer.getSources({ types: ['screen', 'window'], thumbnailSize });
    this.listed = new Map(sources.map((source) => [source.id, source]));
    return sources
      .filter((source) => source.id.length <= 128)
      .slice(0, 100)
      .map((source) => {
        const thumbnail = source.thumbnail.toDataURL();
        return {
          id: source.id,
          name: source.name.slice(0, 256),
          kind: source.id.startsWith('screen:') ? 'screen' : 'window',
          // An oversized thumbnail is dropped rather than cut into an invalid data URL.
          thumbnail: thumbnail.length <= maxThumbnailChars ? thumbnail : '',
        };
      });
  }

  /** Answers the pending request; a source id must come from the last `sources()` listing. */
  choose(choice: { sourceId: string | null; audio: boolean }): void {
    if (!this.pending) throw new ScreenShareRefusedError('no screen-share request is waiting');
    if (choice.sourceId === null) {
      this.settle({ kind: 'deny', reason: 'the user cancelled' });
      return;
    }
    const source = this.listed.get(choice.sourceId);
    if (!source) throw new ScreenShareRefusedError('that source was not offered');
    this.settle({
      kind: 'grant',
      source,
      systemAudio: choice.audio && this.platform === 'win32',
    });
  }

  private settle(answer: DisplayMediaAnswer<S>): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.timer.clearTimeout(pending.timer);
    if (answer.kind === 'deny') this.log(`screen share request denied: ${answer.reason}`);
    pending.answer(answer);
  }
}
