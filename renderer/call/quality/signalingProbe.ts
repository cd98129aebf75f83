/**
 * Our own link, judged apart from the call. A peer-to-peer call looks just as lossy from both
 * ends whichever end's link is bad, but the round trip from this device to the signaling server
 * crosses only our own link: pings that go unanswered, or answered much later or much less
 * evenly than before, point at our network rather than the peer's. Single slow answers are
 * ignored: a busy page or CPU delays one now and then on any link. A ping during which our own
 * page was starved (its timers ran late: a loaded machine) says nothing about the link either
 * way: its late or missing answer may be the page's, so it is set aside, not counted.
 */

/**
 * One ping's round trip in milliseconds, null when no answer came in time, or 'page_starved'
 * when our own page ran too late meanwhile to tell.
 */
export type PingResult = number | null | 'page_starved';

/** How many of the latest pings are judged together. */
export const probeWindow = 10;

export const ownLinkThresholds = {
  /** Unanswered pings in the window. */
  lostPings: 2,
  /** Typical round trip above the best one of this call (the link's floor), in milliseconds. */
  addedDelayMs: 100,
  /** Typical change between consecutive round trips, in milliseconds. */
  jitterMs: 40,
  /**
   * How late our page's timers may run during a ping for it to count: half the added delay, so
   * the page's part of a counted round trip stays well under what blames the link (and the
   * medians absorb a one-off). A punctual page's timers run a few ms late; a page on a 2-core
   * machine at load 25-30 ran hundreds of ms late, its pings taking 600-1000 ms.
   */
  pageLagMs: 50,
} as const;

/** What a ping says of our link: its round trip (null: unanswered), unless the page was starved. */
export function pingResult(roundTripMs: number | null, pageLagMs: number): PingResult {
  return pageLagMs >= ownLinkThresholds.pageLagMs ? 'page_starved' : roundTripMs;
}

export interface ProbeHistory {
  /** The shortest round trip of this call so far: the link's baseline. */
  baselineMs: number | null;
  /** The latest results, oldest first, at most probeWindow of them. */
  recent: PingResult[];
}

export const emptyProbeHistory: ProbeHistory = { baselineMs: null, recent: [] };

export function recordPing(history: ProbeHistory, result: PingResult): ProbeHistory {
  const recent = [...history.recent, result].slice(-probeWindow);
  const baselineMs =
    typeof result !== 'number'
      ? history.baselineMs
      : history.baselineMs === null
        ? result
        : Math.min(history.baselineMs, result);
  return { baselineMs, recent };
}

/** The middle value: what most pings saw, whatever one or two outliers did. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Why the recent pings point at our own link; empty when they do not. */
export function ownLinkReasons(history: ProbeHistory): string[] {
  const { recent, baselineMs } = history;
  const t = ownLinkThresholds;
  const reasons: string[] = [];
  if (recent.filter((result) => result === null).length >= t.lostPings) reasons.push('pings lost');
  const answered = recent.filter((result): result is number => typeof result === 'number');
  if (baselineMs === null || answered.length < 3) return reasons;
  if (median(answered.slice(-5)) - baselineMs >= t.addedDelayMs) reasons.push('added delay');
  const changes = answered.slice(1).map((rtt, index) => Math.abs(rtt - (answered[index] ?? rtt)));
  if (median(changes) >= t.jitterMs) reasons.push('jitter');
  return reasons;
}
