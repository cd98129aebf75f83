import { signal } from '@preact/signals';
import type { ScreenSource } from '../../protocol';
import type { DesktopCapabilities } from '../host/Host';
import type { CallMediaControls } from '../state/CallMediaControls';

type PickerChoice = { sourceId: string; audio: boolean } | null;

/**
 * Starting, switching and stopping a screen share. In a browser the browser's own picker runs
 * inside getDisplayMedia. On the desktop main answers getDisplayMedia from the app's picker: the
 * request must be pending in main before the choice is sent, so getDisplayMedia is called first,
 * then the sources are listed and the user's pick is sent while the request waits. Main lists
 * the sources only for a request made with a user gesture, so `start` must run in a click.
 */
export class ScreenShareModel {
  /** The app's picker, open on the desktop while a source is being chosen. */
  readonly pickerSources = signal<ScreenSource[] | null>(null);
  readonly error = signal<string | null>(null);
  private answerPicker: ((choice: PickerChoice) => void) | null = null;

  constructor(
    private readonly media: CallMediaControls,
    private readonly desktop: DesktopCapabilities | undefined,
  ) {}

  /** Starts sharing, or switches to another source while sharing. */
  async start(): Promise<void> {
    this.error.value = null;
    try {
      const stream = this.desktop ? await this.captureWithPicker(this.desktop) : await capture();
      if (!stream) return;
      const track = stream.getVideoTracks()[0];
      if (!track) {
        for (const audio of stream.getAudioTracks()) audio.stop();
        throw new Error('The shared screen gave no picture');
      }
      // Screen audio, where the OS and browser give it, is mixed into the call's audio.
      await this.media.startScreenShare(track, stream.getAudioTracks()[0] ?? null);
    } catch (error) {
      // Cancelling the picker is not an error worth a message.
      if (error instanceof DOMException && error.name === 'NotAllowedError') return;
      this.error.value = error instanceof Error ? error.message : 'Could not share the screen';
    }
  }

  stop(): Promise<void> {
    return this.media.stopScreenShare();
  }

  /** The user picked a source in the app's picker (null: cancelled). */
  pick(choice: PickerChoice): void {
    const answer = this.answerPicker;
    this.answerPicker = null;
    this.pickerSources.value = null;
    answer?.(choice);
  }

  private async captureWithPicker(desktop: DesktopCapabilities): Promise<MediaStream | null> {
    const pending = capture();
    // If the picker is cancelled main denies the request and getDisplayMedia rejects.
    pending.catch(() => undefined);
    let sources: ScreenSource[];
    try {
      sources = await desktop.listScreenSources();
    } catch {
      // Main lists nothing when the OS's own picker (macOS) answers the request, or when it
      // refused the request: getDisplayMedia then settles without the app's picker.
      return pending;
    }
    let choice: PickerChoice = null;
    try {
      choice = await new Promise<PickerChoice>((resolve) => {
        this.answerPicker = resolve;
        this.pickerSources.value = sources;
      });
    } finally {
      await desktop.chooseScreenSource(choice ?? { sourceId: null, audio: false });
    }
    if (!choice) return null;
    return pending;
  }
}

function capture(): Promise<MediaStream> {
  return navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
}
