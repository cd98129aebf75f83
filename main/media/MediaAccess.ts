import type { MediaAccessStatus, MediaInput } from '../../protocol/ipc';

/** The slice of Electron's `systemPreferences` this uses (macOS and Windows only). */
export interface SystemPreferencesPort {
  getMediaAccessStatus(mediaType: MediaInput): string;
  askForMediaAccess(mediaType: MediaInput): Promise<boolean>;
}

const KNOWN = new Set<string>(['not-determined', 'granted', 'denied', 'restricted', 'unknown']);

/**
 * The OS's camera and microphone settings for the app. The renderer names only the input (main
 * checks it against the schema); it cannot make main ask more than the OS allows: main asks only
 * on macOS, only while the user has not decided, and one prompt at a time.
 */
export class MediaAccess {
  private asking: Promise<MediaAccessStatus> | null = null;

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly preferences: SystemPreferencesPort,
  ) {}

  request(input: MediaInput): Promise<MediaAccessStatus> {
    if (this.platform !== 'darwin' && this.platform !== 'win32') {
      // Linux and the rest keep no per-app setting: the browser engine's own check is all there is.
      return Promise.resolve({ input, status: 'not-applicable', asked: false });
    }
    const status = this.status(input);
    if (this.platform !== 'darwin' || status !== 'not-determined') {
      return Promise.resolve({ input, status, asked: false });
    }
    this.asking ??= this.ask(input).finally(() => {
      this.asking = null;
    });
    return this.asking;
  }

  private async ask(input: MediaInput): Promise<MediaAccessStatus> {
    await this.preferences.askForMediaAccess(input);
    return { input, status: this.status(input), asked: true };
  }

  private status(input: MediaInput): Exclude<MediaAccessStatus['status'], 'not-applicable'> {
    const status = this.preferences.getMediaAccessStatus(input);
    return KNOWN.has(status)
      ? (status as Exclude<MediaAccessStatus['status'], 'not-applicable'>)
      : 'unknown';
  }
}
