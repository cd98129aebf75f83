import { signal } from '@preact/signals';
import type { LocalMember } from '../state/localMember/LocalMember';
import { screenShareFailureText } from './screenShareFailureText';

/**
 * Starting, switching and stopping a screen share. The page only calls getDisplayMedia: in a
 * browser the browser's picker answers it; on the desktop main opens its own picker window (or
 * the OS picker on macOS), so this page never sees the list of windows nor picks one. Main
 * accepts the request only with a user gesture, so `start` must run in a click.
 */
export class ScreenShareModel {
  readonly error = signal<string | null>(null);

  /** `member`: our member in the call on screen, read anew for each start and stop (null: none). */
  constructor(private readonly member: () => LocalMember | null) {}

  /** Starts sharing, or switches to another source while sharing. */
  async start(): Promise<void> {
    this.error.value = null;
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
      const track = stream.getVideoTracks()[0];
      if (!track) {
        for (const audio of stream.getAudioTracks()) audio.stop();
        throw new Error('The shared screen gave no picture');
      }
      const member = this.member();
      // The call ended while the picker was open: there is nothing to share into.
      if (!member) {
        for (const shared of stream.getTracks()) shared.stop();
        return;
      }
      // Screen audio, where the OS and browser give it, is mixed into the call's audio.
      await member.startScreenShare(track, stream.getAudioTracks()[0] ?? null);
    } catch (error) {
      const text = screenShareFailureText(error);
      // Cancelling the picker is not an error worth a message.
      if (text === null) return;
      console.warn('parley: could not share the screen', error);
      this.error.value = text;
    }
  }

  async stop(): Promise<void> {
    await this.member()?.stopScreenShare();
  }
}
