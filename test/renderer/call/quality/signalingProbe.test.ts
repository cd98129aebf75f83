import {
  emptyProbeHistory,
  ownLinkReasons,
  probeWindow,
  recordPing,
  type PingResult,
} from '../../../../renderer/call/quality/signalingProbe';

const history = (results: PingResult[]) => results.reduce(recordPing, emptyProbeHistory);

describe('own link from signaling pings', () => {
  test('a steady round trip is fine, however long it is', () => {
    expect(ownLinkReasons(history([40, 42, 39, 41, 40, 43, 40]))).toEqual([]);
    expect(ownLinkReasons(history([240, 242, 239, 241, 240, 243, 240]))).toEqual([]);
  });

  test('150 ms added to a link mid-call (netem delay) is our link', () => {
    expect(ownLinkReasons(history([2, 3, 2, 2, 152, 153, 151, 152, 152]))).toEqual(['added delay']);
  });

  test('a lost TCP segment resent (netem loss) shows as a spike well over the baseline', () => {
    expect(ownLinkReasons(history([152, 151, 153, 152, 410, 152, 151, 152, 153, 152]))).toContain(
      'delay spikes',
    );
  });

  test('an unanswered ping, or a round trip that jumps about, is our link', () => {
    expect(ownLinkReasons(history([20, 21, null, 20, 22]))).toEqual(['pings lost']);
    expect(ownLinkReasons(history([20, 110, 30, 120, 25, 115, 30]))).toEqual(['jitter']);
  });

  test('old trouble leaves the window: only the latest pings are judged', () => {
    const recovered = history([null, 20, ...Array<number>(probeWindow).fill(21)]);
    expect(recovered.recent).toHaveLength(probeWindow);
    expect(ownLinkReasons(recovered)).toEqual([]);
  });

  test('the baseline is the best round trip of the call so far', () => {
    expect(history([50, null, 30, 80]).baselineMs).toBe(30);
    expect(history([null]).baselineMs).toBeNull();
  });
});
