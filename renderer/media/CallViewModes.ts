import { effect, signal } from '@preact/signals';
import type { CallController } from '../state/CallController';

/**
 * The call's remote video beyond the window: full screen, and a compact picture-in-picture that
 * stays on top while the user works elsewhere. Chromium opens the picture-in-picture by itself
 * when a video-calling page is left, if the page asked for it (Media Session
 * "enterpictureinpicture"); elsewhere the user opens it with the button.
 */
export class CallViewModes {
  readonly fullScreen = signal(false);
  readonly pictureInPicture = signal(false);
  readonly pictureInPictureSupported =
    typeof document !== 'undefined' && document.pictureInPictureEnabled === true;
  readonly fullScreenSupported =
    typeof document !== 'undefined' && document.fullscreenEnabled === true;

  constructor(
    private readonly calls: CallController,
    /** The remote video element of the call screen, when it is shown. */
    private readonly remoteVideo: () => HTMLVideoElement | null,
  ) {}

  start(): void {
    document.addEventListener('fullscreenchange', () => {
      this.fullScreen.value = document.fullscreenElement !== null;
    });
    effect(() => {
      const kind = this.calls.view.value.kind;
      const talking = kind === 'connecting' || kind === 'in_call';
      this.offerAutomaticPictureInPicture(talking);
      if (!talking) void this.leave();
    });
  }

  async toggleFullScreen(element: HTMLElement): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await element.requestFullscreen().catch(() => undefined);
  }

  async togglePictureInPicture(): Promise<void> {
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await this.enterPictureInPicture();
  }

  private async enterPictureInPicture(): Promise<void> {
    const video = this.remoteVideo();
    if (!video || !this.pictureInPictureSupported || document.pictureInPictureElement) return;
    const opened = await video.requestPictureInPicture().catch(() => null);
    if (!opened) return;
    this.pictureInPicture.value = true;
    video.addEventListener('leavepictureinpicture', () => (this.pictureInPicture.value = false), {
      once: true,
    });
  }

  private offerAutomaticPictureInPicture(talking: boolean): void {
    const session = typeof navigator === 'undefined' ? undefined : navigator.mediaSession;
    if (!session || !this.pictureInPictureSupported) return;
    try {
      session.setActionHandler(
        'enterpictureinpicture' as MediaSessionAction,
        talking ? () => void this.enterPictureInPicture() : null,
      );
    } catch {
      // A browser without the action: the button still opens it.
    }
  }

  /** The call is over: nothing of it stays on screen. */
  private async leave(): Promise<void> {
    if (document.pictureInPictureElement)
      await document.exitPictureInPicture().catch(() => undefined);
    if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
  }
}
