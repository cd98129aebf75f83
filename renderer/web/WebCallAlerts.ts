import { effect, signal } from '@preact/signals';
import type { CallController } from '../state/CallController';
import { tabAttention } from './tabAttention';

/** The favicons of the tab: Parley's icon, and the same with a ringing badge. */
const ICON = 'assets/icon.svg';
const RINGING_ICON = 'assets/icon-ringing.svg';

/**
 * The web client's side of what the desktop app's main does for an incoming call: the ringtone
 * plays while a call rings (stopping on answer, decline, cancel or an answer elsewhere), and the
 * tab's title and icon show the ringing call. Browsers may refuse to play sound before the user
 * has clicked in the page: then `soundBlocked` says so, once, until `enableSound`.
 */
export class WebCallAlerts {
  readonly soundBlocked = signal(false);
  private readonly ringtone: HTMLAudioElement;
  private soundAllowed = false;

  constructor(private readonly calls: CallController) {
    this.ringtone = document.createElement('audio');
    this.ringtone.src = 'assets/ringtone.wav';
    this.ringtone.loop = true;
    this.ringtone.dataset.testid = 'ringtone';
    this.ringtone.hidden = true;
  }

  start(): void {
    document.body.append(this.ringtone);
    effect(() => {
      const attention = tabAttention(this.calls.view.value);
      document.title = attention.title;
      this.showIcon(attention.ringing ? RINGING_ICON : ICON);
      if (attention.ringing) this.ring();
      else this.silence();
    });
  }

  /** The user's click: sound is allowed from now on, and a call ringing now is heard. */
  enableSound(): void {
    this.soundAllowed = true;
    this.soundBlocked.value = false;
    if (tabAttention(this.calls.view.value).ringing) this.ring();
  }

  private ring(): void {
    this.ringtone.play().catch((error: unknown) => {
      // Only the autoplay rule is the user's to lift; say so once.
      if (error instanceof DOMException && error.name === 'NotAllowedError' && !this.soundAllowed) {
        this.soundBlocked.value = true;
      }
    });
  }

  private silence(): void {
    this.ringtone.pause();
    this.ringtone.currentTime = 0;
  }

  private showIcon(href: string): void {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (link && link.getAttribute('href') !== href) link.setAttribute('href', href);
  }
}
