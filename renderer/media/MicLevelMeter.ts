import { signal } from '@preact/signals';

const SAMPLE_INTERVAL_MS = 100;
/** Events that count as a user gesture, after which a browser lets a suspended context run. */
const GESTURES = ['pointerdown', 'keydown'] as const;

/** The loudness of a microphone track, 0-100, from a Web Audio AnalyserNode. */
export class MicLevelMeter {
  readonly level = signal(0);
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly resumeOnGesture = () => void this.context?.resume();

  start(stream: MediaStream): void {
    this.stop();
    if (stream.getAudioTracks().length === 0) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.context = context;
    // A context made without a recent user gesture starts suspended (Firefox, Safari) and the
    // meter would sit at 0: resume it now, and at the next click or key press if that was refused.
    void context.resume();
    for (const type of GESTURES) addEventListener(type, this.resumeOnGesture, true);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      this.level.value = levelOf(samples);
    }, SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.context) {
      for (const type of GESTURES) removeEventListener(type, this.resumeOnGesture, true);
      void this.context.close();
    }
    this.context = null;
    this.level.value = 0;
  }
}

/** RMS of the samples on a 0-100 scale; speech sits around 20-60. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return Math.min(100, Math.round(rms * 300));
}
