import {
  emptyProbeHistory,
  ownLinkReasons,
  ownLinkThresholds,
  pingResult,
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

  test('150 ms added to the link mid-call (netem delay) is our link', () => {
    expect(ownLinkReasons(history([2, 3, 2, 2, 152, 153, 151, 152, 152]))).toEqual(['added delay']);
  });

  test('a few slow answers on a busy machine are not (recorded on loopback under load)', () => {
    expect(ownLinkReasons(history([6, 7, 111, 12, 63, 3, 2, 10, 14, 8]))).toEqual([]);
    expect(ownLinkReasons(history([5, 6, 5, 415, 151, 15, 7, 34, 7, 8]))).toEqual([]);
    expect(ownLinkReasons(history([11, 6, 7, 3, 5, 146, 224, 97, 69, 1]))).toEqual([]);
  });

  test('round trips that jump about all the time are our link', () => {
    expect(ownLinkReasons(history([3, 300, 4, 302, 3, 301, 5, 299]))).toContain('jitter');
  });

  test('two unanswered pings are our link; one may be a hiccup', () => {
    expect(ownLinkReasons(history([20, 21, null, 20, 22]))).toEqual([]);
    expect(ownLinkReasons(history([20, null, 21, null, 20, 22]))).toEqual(['pings lost']);
  });

  test('old trouble leaves the window: only the latest pings are judged', () => {
    const recovered = history([null, null, ...Array<number>(probeWindow - 2).fill(21)]);
    expect(ownLinkReasons(recovered)).toEqual(['pings lost']);
    const later = recordPing(recordPing(recovered, 20), 21);
    expect(later.recent).toHaveLength(probeWindow);
    expect(ownLinkReasons(later)).toEqual([]);
  });

  test('the baseline is the best round trip of the call so far', () => {
    expect(history([50, null, 30, 80]).baselineMs).toBe(30);
    expect(history([null]).baselineMs).toBeNull();
  });

  test("a starved page's late or missing answers are set aside: they are not our link's fault", () => {
    // Recorded at load 25-30 on 2 cores: pings of 600-1000 ms, one lost, the page's timers late.
    const starvedPings = [820, 640, null, 990, 710].map((rtt) => pingResult(rtt, 600));
    expect(starvedPings.every((result) => result === 'page_starved')).toBe(true);
    const starved = history([3, 4, 3, ...starvedPings, null]);
    expect(ownLinkReasons(starved)).toEqual([]);
    expect(starved.baselineMs).toBe(3);
  });

  test('a slow, lossy link with a punctual page is still our link', () => {
    const punctualPings = [820, 640, null, 990, 710].map((rtt) => pingResult(rtt, 4));
    expect(punctualPings).toEqual([820, 640, null, 990, 710]);
    expect(ownLinkReasons(history([3, 4, 3, ...punctualPings, null]))).toEqual([
      'pings lost',
      'added delay',
      'jitter',
    ]);
  });

  test('a page a little late, as any busy page is now and then, still counts', () => {
    expect(pingResult(153, ownLinkThresholds.pageLagMs - 1)).toBe(153);
    expect(pingResult(153, ownLinkThresholds.pageLagMs)).toBe('page_starved');
  });

  test('starved pings push old trouble out of the window like any other', () => {
    const troubled = history([null, null, 21, 20]);
    expect(ownLinkReasons(troubled)).toEqual(['pings lost']);
    const later = Array<number>(probeWindow - 1)
      .fill(900)
      .reduce((probe, rtt) => recordPing(probe, pingResult(rtt, 850)), troubled);
    expect(ownLinkReasons(later)).toEqual([]);
  });
});
