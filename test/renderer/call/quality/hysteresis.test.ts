import {
  initialHysteresis,
  nextHysteresis,
  type Hysteresis,
} from '../../../../renderer/call/quality/hysteresis';

const limits = { toPoor: 2, toGood: 4 };

/** The verdict after each sample in turn. */
function verdicts(samples: boolean[]): boolean[] {
  let state: Hysteresis = initialHysteresis;
  return samples.map((poor) => (state = nextHysteresis(state, poor, limits)).poor);
}

describe('nextHysteresis', () => {
  test('turns poor on the second poor sample in a row', () => {
    expect(verdicts([false, true, true, true])).toEqual([false, false, true, true]);
  });

  test('one poor sample among good ones changes nothing', () => {
    expect(verdicts([true, false, true, false, true, false])).toEqual(Array(6).fill(false));
  });

  test('turns good again only after four good samples in a row', () => {
    expect(verdicts([true, true, false, false, false, false])).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  test('a poor sample while recovering starts the count of good ones again', () => {
    expect(verdicts([true, true, false, false, false, true, false, false, false, false])).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});
