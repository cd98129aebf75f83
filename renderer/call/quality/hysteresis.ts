/** A good/poor verdict that changes only after several samples agree on the change. */
export interface Hysteresis {
  poor: boolean;
  /** Consecutive samples, up to now, that disagreed with `poor`. */
  streak: number;
}

export const initialHysteresis: Hysteresis = { poor: false, streak: 0 };

/**
 * Poor quickly, good slowly: a call is judged poor after `toPoor` poor samples in a row (a
 * single bad interval is noise) and good again only after `toGood` good ones (an indicator that
 * blinks on and off is worse than none).
 */
export function nextHysteresis(
  state: Hysteresis,
  samplePoor: boolean,
  limits: { toPoor: number; toGood: number },
): Hysteresis {
  if (samplePoor === state.poor) return state.streak === 0 ? state : { ...state, streak: 0 };
  const streak = state.streak + 1;
  const needed = samplePoor ? limits.toPoor : limits.toGood;
  return streak >= needed ? { poor: samplePoor, streak: 0 } : { poor: state.poor, streak };
}
