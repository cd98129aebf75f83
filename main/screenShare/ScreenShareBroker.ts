import type { ScreenSource } from '../../protocol/pickerIpc';
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
  /** `webContents.id` of the page asking; null when Electron no longer knows its frame. */
  webContentsId: number | null;
  /** Origin (or URL) of the page asking, and whether it is the main frame. */
  securityOrigin: string;
  isMainFrame: boolean;
  /** Whether the page called getDisplayMedia while handling a click or key press. */
  userGesture: boolean;
}

export interface TimerPort {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The picker window main owns: the only place the sources are shown and one is chosen. */
export interface PickerWindowPort {
  /** Opens the picker for the pending request; `closed` runs when the user closes it. */
  open(closed: () => void): void;
  close(): void;
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

interface PendingRequest<S extends CapturerSource> {
  answer: (a: DisplayMediaAnswer<S>) => void;
  timer: unknown;
  /** Set once the sources were listed for this request: one listing per request. */
  offered: Map<string, S> | null;
}

/**
 * Holds the one pending `getDisplayMedia` request between Chromium asking and the user picking a
 * source. Only the main frame of the app's own window may ask, and only with a user gesture, so
 * a compromised page cannot open screen capture on its own. An accepted request opens main's
 * picker window, and the request's settling closes it: the sources (titles and thumbnails of
 * every window) are listed only to that window, once per request, and its one choice answers
 * the request, so the main window never sees them nor picks a source. A newer request replaces
 * (denies) an older one; closing the picker or leaving it for a minute denies the request. System
 * audio is offered only where Electron can capture it (loopback on Windows).
 */
export class ScreenShareBroker<S extends CapturerSource = CapturerSource> {
  private pending: PendingRequest<S> | null = null;

  constructor(
    private readonly capturer: ScreenCapturerPort<S>,
    private readonly timer: TimerPort,
    private readonly platform: NodeJS.Platform,
    /** The main window's `webContents.id`; null while it does not exist. */
    private readonly appWebContentsId: () => number | null,
    private readonly picker: PickerWindowPort,
    private readonly log: (message: string) => void,
  ) {}

  request(request: DisplayMediaRequest, answer: (a: DisplayMediaAnswer<S>) => void): void {
    const refusal = this.refusalOf(request);
    if (refusal) {
      this.log(`screen share request denied: ${refusal}`);
      answer({ kind: 'deny', reason: refusal });
      return;
    }
    this.settle({ kind: 'deny', reason: 'replaced by a newer request' });
    const timer = this.timer.setTimeout(
      () => this.settle({ kind: 'deny', reason: 'no source was chosen in time' }),
      SCREEN_SHARE_TIMEOUT_MS,
    );
    const pending: PendingRequest<S> = { answer, timer, offered: null };
    this.pending = pending;
    this.picker.open(() => {
      // A window closed for an older request must not cancel a newer one.
      if (this.pending === pending) this.settle({ kind: 'deny', reason: 'the picker was closed' });
    });
  }

  hasPendingRequest(): boolean {
    return this.pending !== null;
  }

  /** Lists the sources for the pending request, once. */
  async sources(): Promise<ScreenSource[]> {
    const pending = this.pending;
    if (!pending) throw new ScreenShareRefusedError('no screen-share request is waiting');
    if (pending.offered) {
      throw new ScreenShareRefusedError('the sources were already listed for this request');
    }
    pending.offered = new Map();
    const sources = await this.capturer.getSources({ types: ['screen', 'window'], thumbnailSize });
    if (this.pending !== pending) {
      throw new ScreenShareRefusedError('the screen-share request ended while listing');
    }
    const listed = sources.filter((source) => source.id.length <= 128).slice(0, 100);
    pending.offered = new Map(listed.map((source) => [source.id, source]));
    return listed.map((source) => {
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

  /** Answers the pending request; a source id must come from this request's listing. */
  choose(choice: { sourceId: string | null; audio: boolean }): void {
    const pending = this.pending;
    if (!pending) throw new ScreenShareRefusedError('no screen-share request is waiting');
    if (choice.sourceId === null) {
      this.settle({ kind: 'deny', reason: 'the user cancelled' });
      return;
    }
    const source = pending.offered?.get(choice.sourceId);
    if (!source) throw new ScreenShareRefusedError('that source was not offered');
    this.settle({
      kind: 'grant',
      source,
      systemAudio: choice.audio && this.platform === 'win32',
    });
  }

  private refusalOf(request: DisplayMediaRequest): string | null {
    const app = this.appWebContentsId();
    if (app === null || request.webContentsId !== app) return 'not the Parley window';
    if (!request.isMainFrame || !isAppUrl(request.securityOrigin)) return 'not the app origin';
    if (!request.userGesture) return 'no user gesture';
    return null;
  }

  private settle(answer: DisplayMediaAnswer<S>): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.timer.clearTimeout(pending.timer);
    this.picker.close();
    if (answer.kind === 'deny') this.log(`screen share request denied: ${answer.reason}`);
    pending.answer(answer);
  }
}
