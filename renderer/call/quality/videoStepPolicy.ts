/**
 * How the video sender gives way on a poor outgoing link: step down before the call breaks (half
 * the resolution and fewer frames, then a quarter), one step at a time, and back up one step at a
 * time once the link has stayed good. Chromium's own bandwidth adaptation reacts only to the
 * estimate; loss and long round trips need us to ask for less.
 */

export interface VideoStep {
  scaleResolutionDownBy: number;
  maxFramerate: number;
  /** Undefined leaves the bitrate to the browser's bandwidth estimate. */
  maxBitrate?: number;
  /**
   * Bandwidth holding the encoder below this is too little for the step: go down (from the
   * lowest step there is nowhere to go, and below its floor the call itself is starved).
   */
  bitrateFloor: number;
}

export type VideoSource = 'camera' | 'screen';

/** A camera gives way in resolution and frame rate together ('balanced'). */
const cameraSteps: readonly VideoStep[] = [
  { scaleResolutionDownBy: 1, maxFramerate: 30, bitrateFloor: 250_000 },
  { scaleResolutionDownBy: 2, maxFramerate: 20, maxBitrate: 500_000, bitrateFloor: 120_000 },
  { scaleResolutionDownBy: 4, maxFramerate: 15, maxBitrate: 150_000, bitrateFloor: 50_000 },
];

/** A shared screen keeps its resolution, or its text becomes unreadable: frames give way. */
const screenSteps: readonly VideoStep[] = [
  { scaleResolutionDownBy: 1, maxFramerate: 30, bitrateFloor: 250_000 },
  { scaleResolutionDownBy: 1, maxFramerate: 15, maxBitrate: 1_000_000, bitrateFloor: 120_000 },
  { scaleResolutionDownBy: 1, maxFramerate: 5, maxBitrate: 300_000, bitrateFloor: 50_000 },
];

export function videoSteps(source: VideoSource): readonly VideoStep[] {
  return source === 'screen' ? screenSteps : cameraSteps;
}

export function degradationPreferenceFor(source: VideoSource): RTCDegradationPreference {
  return source === 'screen' ? 'maintain-resolution' : 'balanced';
}

export const stepTiming = {
  /** Poor outgoing samples in a row before stepping down. */
  poorSamplesToStepDown: 2,
  /** Good outgoing samples in a row, each with room above, before stepping up (about 10 s). */
  goodSamplesToStepUp: 5,
  /** Least time between two steps, so each step's effect shows before the next. */
  minimumStepGapMs: 4_000,
} as const;

export interface StepState {
  step: number;
  poorStreak: number;
  goodStreak: number;
  /** When the step last changed (ms), or null before the first change. */
  changedAt: number | null;
}

export const initialStepState: StepState = {
  step: 0,
  poorStreak: 0,
  goodStreak: 0,
  changedAt: null,
};

/** What one sample says of our outgoing link, for the step we are on and the one above it. */
export interface OutgoingVerdict {
  poor: boolean;
  /**
   * Bandwidth leaves room for the step above (at least its floor). Without it a step up lands
   * below that step's floor and comes back down two samples later; after loss, while the estimate
   * climbs back, it did so again and again, and every bounce held the call poor.
   */
  roomAbove: boolean;
}

/** The step after one more outgoing sample. */
export function nextStep(
  state: StepState,
  outgoing: OutgoingVerdict,
  now: number,
  stepCount: number,
): StepState {
  const poorStreak = outgoing.poor ? state.poorStreak + 1 : 0;
  // Up only after samples that all left room: a single one is often a passing peak of the estimate.
  const goodStreak = !outgoing.poor && outgoing.roomAbove ? state.goodStreak + 1 : 0;
  const settled = state.changedAt === null || now - state.changedAt >= stepTiming.minimumStepGapMs;
  if (settled && poorStreak >= stepTiming.poorSamplesToStepDown && state.step < stepCount - 1)
    return { step: state.step + 1, poorStreak: 0, goodStreak: 0, changedAt: now };
  if (settled && goodStreak >= stepTiming.goodSamplesToStepUp && state.step > 0)
    return { step: state.step - 1, poorStreak: 0, goodStreak: 0, changedAt: now };
  return { ...state, poorStreak, goodStreak };
}

/** The sender's parameters with the step applied to its first encoding (no simulcast in 1:1). */
export function withVideoStep(
  parameters: RTCRtpSendParameters,
  step: VideoStep,
  source: VideoSource,
): RTCRtpSendParameters {
  const [first, ...rest] = parameters.encodings;
  const encoding: RTCRtpEncodingParameters = {
    ...first,
    scaleResolutionDownBy: step.scaleResolutionDownBy,
    maxFramerate: step.maxFramerate,
  };
  if (step.maxBitrate === undefined) delete encoding.maxBitrate;
  else encoding.maxBitrate = step.maxBitrate;
  return {
    ...parameters,
    degradationPreference: degradationPreferenceFor(source),
    encodings: [encoding, ...rest],
  };
}
