import { effect, type ReadonlySignal } from '@preact/signals';
import type { CallController } from '../state/CallController';
import { testIds } from '../ui/testIds';

/** One looping sound, played on the speaker the user chose for calls. */
class LoopingTone {
  private readonly audio: HTMLAudioElement;
  private playing = false;

  constructor(src: string, testId: string) {
    this.audio = document.createElement('audio');
    this.audio.src = src;
    this.audio.loop = true;
    this.audio.hidden = true;
    this.audio.dataset.testid = testId;
  }

  attach(): void {
    document.body.append(this.audio);
  }

  set(on: boolean, speaker: string | undefined): void {
    if (on === this.playing) return;
    this.playing = on;
    if (!on) {
      this.audio.pause();
      this.audio.currentTime = 0;
      return;
    }
    const sink =
      'setSinkId' in this.audio ? this.audio.setSinkId(speaker ?? '') : Promise.resolve();
    // A speaker that vanished keeps the default output; sound the browser blocks stays silent
    // (the caller clicked to call, and a waiting call's tone plays during a call with sound).
    void sink
      .catch(() => undefined)
      .then(() => (this.playing ? this.audio.play() : undefined))
      .catch(() => undefined);
  }
}

/**
 * The tones of a call besides the ringtone: the ringback the caller hears while the callee's
 * phone rings, and the soft beeps of a call waiting during a call, in the web client and the
 * desktop app alike.
 */
export class CallTones {
  private readonly ringback = new LoopingTone('assets/ringback.wav', testIds.ringbackTone);
  private readonly waiting = new LoopingTone('assets/call-waiting.wav', testIds.callWaitingTone);

  constructor(
    private readonly calls: CallController,
    private readonly speaker: ReadonlySignal<string | undefined>,
  ) {}

  start(): void {
    this.ringback.attach();
    this.waiting.attach();
    effect(() => {
      const view = this.calls.view.value;
      const ringing = view.kind === 'outgoing' && view.phase === 'ringing';
      this.ringback.set(ringing, this.speaker.value);
    });
    effect(() => {
      this.waiting.set(this.calls.waiting.call.value !== null, this.speaker.value);
    });
  }
}
