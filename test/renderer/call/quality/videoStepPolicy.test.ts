import {
  initialStepState,
  nextStep,
  videoSteps,
  withVideoStep,
  type OutgoingVerdict,
  type StepState,
} from '../../../../renderer/call/quality/videoStepPolicy';

/** The step after each sample (poor or not; bandwidth leaves room above), one every 2 s. */
function stepsFor(samples: boolean[], from: StepState = initialStepState): number[] {
  return stepsForVerdicts(
    samples.map((poor) => ({ poor, roomAbove: true })),
    from,
  );
}

function stepsForVerdicts(verdicts: OutgoingVerdict[], from: StepState): number[] {
  let state = from;
  return verdicts.map((verdict, index) => (state = nextStep(state, verdict, index * 2000, 3)).step);
}

describe('nextStep', () => {
  test('a poor outgoing link steps down one step per two poor samples, no faster than every 4 s', () => {
    expect(stepsFor([true, true, true, true, true, true])).toEqual([0, 1, 1, 2, 2, 2]);
  });

  test('it steps back up one step at a time, each after five good samples', () => {
    const atBottom: StepState = { step: 2, poorStreak: 0, goodStreak: 0, changedAt: -10_000 };
    expect(stepsFor(Array<boolean>(10).fill(false), atBottom)).toEqual([
      2, 2, 2, 2, 1, 1, 1, 1, 1, 0,
    ]);
  });

  test('a single poor sample among good ones changes nothing, and resets the climb back up', () => {
    expect(stepsFor([true, false, true, false, true, false])).toEqual([0, 0, 0, 0, 0, 0]);
    const down: StepState = { step: 1, poorStreak: 0, goodStreak: 0, changedAt: -10_000 };
    expect(
      stepsFor([false, false, false, false, true, false, false, false, false, false], down),
    ).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  test('it does not step up while bandwidth leaves no room for the step above, and does once five samples in a row leave it', () => {
    // After loss the estimate climbs back slowly: good samples, but too little for the step above
    // (stepping up anyway came back down two samples later, again and again).
    const atBottom: StepState = { step: 2, poorStreak: 0, goodStreak: 0, changedAt: -10_000 };
    const noRoom = { poor: false, roomAbove: false };
    const room = { poor: false, roomAbove: true };
    const verdicts = [
      ...Array<OutgoingVerdict>(8).fill(noRoom),
      ...Array<OutgoingVerdict>(4).fill(room),
      noRoom,
      ...Array<OutgoingVerdict>(5).fill(room),
    ];
    expect(stepsForVerdicts(verdicts, atBottom)).toEqual([
      ...Array<number>(8 + 4 + 1 + 4).fill(2),
      1, // after five samples in a row with room: a single one in between is not enough
    ]);
  });
});

describe('video steps', () => {
  test('the camera halves then quarters its resolution and lowers its frame rate and bitrate', () => {
    expect(
      videoSteps('camera').map((step) => [
        step.scaleResolutionDownBy,
        step.maxFramerate,
        step.maxBitrate,
      ]),
    ).toEqual([
      [1, 30, undefined],
      [2, 20, 500_000],
      [4, 15, 150_000],
    ]);
  });

  test('a shared screen keeps its resolution and gives up frames instead', () => {
    const steps = videoSteps('screen');
    expect(steps.map((step) => step.scaleResolutionDownBy)).toEqual([1, 1, 1]);
    expect(steps.map((step) => step.maxFramerate)).toEqual([30, 15, 5]);
  });
});

describe('withVideoStep', () => {
  const current: RTCRtpSendParameters = {
    transactionId: 'tx-7',
    codecs: [],
    headerExtensions: [],
    rtcp: {},
    encodings: [{ active: true, maxBitrate: 500_000, scaleResolutionDownBy: 2, maxFramerate: 20 }],
  };

  test('sets the first encoding and the degradation preference, keeping the transaction', () => {
    const [, down] = videoSteps('camera');
    if (!down) throw new Error('no step');
    expect(withVideoStep({ ...current, encodings: [{ active: true }] }, down, 'camera')).toEqual({
      ...current,
      degradationPreference: 'balanced',
      encodings: [
        { active: true, scaleResolutionDownBy: 2, maxFramerate: 20, maxBitrate: 500_000 },
      ],
    });
  });

  test('back at full quality the bitrate cap is lifted', () => {
    const [full] = videoSteps('camera');
    if (!full) throw new Error('no step');
    expect(withVideoStep(current, full, 'camera').encodings).toEqual([
      { active: true, scaleResolutionDownBy: 1, maxFramerate: 30 },
    ]);
  });

  test('a screen asks to keep its resolution', () => {
    const [full] = videoSteps('screen');
    if (!full) throw new Error('no step');
    expect(withVideoStep(current, full, 'screen').degradationPreference).toBe(
      'maintain-resolution',
    );
  });
});
