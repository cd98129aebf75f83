import { computed, signal } from '@preact/signals';
import type { SignalingClient } from '../../signaling/SignalingClient';
import { callPathFromStats, type CallPath } from '../callPath';
import { snapshotOfStats, type CallStatsSnapshot, type StatsEntry } from './callStatsSnapshot';
import { initialHysteresis, nextHysteresis, type Hysteresis } from './hysteresis';
import { watchPageLag } from './pageLag';
import { noQualityReasons, qualityIndicator, type QualityReasons } from './qualityIndicator';
import {
  bandwidthHoldsVideoBelow,
  outgoingIsPoor,
  poorCallReasons,
  sampleBetween,
  type QualitySample,
} from './qualitySample';
import {
  emptyProbeHistory,
  ownLinkReasons,
  pingResult,
  recordPing,
  type ProbeHistory,
} from './signalingProbe';
import {
  initialStepState,
  nextStep,
  videoSteps,
  withVideoStep,
  type StepState,
  type VideoSource,
} from './videoStepPolicy';

/** What the monitor needs of a call's engine. */
export interface QualityEngine {
  readonly connectionState: RTCPeerConnectionState;
  getStats(): Promise<RTCStatsReport>;
  /** Null in a call that sends no video. */
  readonly videoSender: RTCRtpSender | null;
  readonly sharingScreen: boolean;
}

export interface CallQualityMonitorDeps {
  signaling: Pick<SignalingClient, 'request' | 'notify'>;
  /** The current call's engine (it may be replaced during a call). */
  engine(): QualityEngine | null;
  /** The peer's display name, for "Bob's connection is unstable". */
  peerName(): string;
  now(): number;
}

export const qualityTiming = {
  statsIntervalMs: 2_000,
  pingIntervalMs: 1_000,
  /** A ping not answered within this counts as lost. */
  pingDeadlineMs: 1_500,
} as const;

/** Poor after two poor samples (4 s), good after four good ones (8 s). */
const verdictLimits = { toPoor: 2, toGood: 4 };

/** Everything one call's monitoring keeps; a new call starts from nothing. */
interface Run {
  callId: string;
  timers: ReturnType<typeof setInterval>[];
  previous: CallStatsSnapshot | null;
  call: Hysteresis;
  ownLink: Hysteresis;
  probe: ProbeHistory;
  pinging: boolean;
  /** The last call.quality the peer got from us. */
  reported: boolean;
  /** The sender and source the steps apply to: a new one (rejoin, screen share) starts afresh. */
  sender: RTCRtpSender | null;
  source: VideoSource | null;
  steps: StepState;
}

/**
 * Watches one call's quality: reads getStats every 2 s and pings the signaling server every
 * second (a reference only our own link affects), shows an indicator while the call is poor
 * saying whose network is to blame, tells the peer when our own link turns poor or fine again
 * (call.quality), and steps our video down and back up with the outgoing link. The same stats
 * also say whether the call is direct or relayed (`path`), so the call is read only once.
 */
export class CallQualityMonitor {
  private readonly callPoor = signal(false);
  private readonly ownLinkPoor = signal(false);
  private readonly peerLinkPoor = signal(false);
  private readonly latestReasons = signal<QualityReasons>(noQualityReasons);
  /** Null while quality is fine. */
  readonly indicator = computed(() =>
    qualityIndicator(
      {
        callPoor: this.callPoor.value,
        ownLinkPoor: this.ownLinkPoor.value,
        peerLinkPoor: this.peerLinkPoor.value,
      },
      this.deps.peerName(),
      this.latestReasons.value,
    ),
  );
  /** Direct or relayed, and over what; null until a pair is selected and after the call. */
  readonly path = signal<CallPath | null>(null);
  private run: Run | null = null;
  /** A peer report that came before our side connected (the peer's may connect first). */
  private earlyPeerReport: { callId: string; poor: boolean } | null = null;

  constructor(private readonly deps: CallQualityMonitorDeps) {}

  start(callId: string): void {
    if (this.run?.callId === callId) return;
    this.stop();
    const run: Run = {
      callId,
      timers: [],
      previous: null,
      call: initialHysteresis,
      ownLink: initialHysteresis,
      probe: emptyProbeHistory,
      pinging: false,
      reported: false,
      sender: null,
      source: null,
      steps: initialStepState,
    };
    if (this.earlyPeerReport?.callId === callId)
      this.peerLinkPoor.value = this.earlyPeerReport.poor;
    this.earlyPeerReport = null;
    run.timers.push(
      setInterval(() => void this.sample(run), qualityTiming.statsIntervalMs),
      setInterval(() => void this.ping(run), qualityTiming.pingIntervalMs),
    );
    this.run = run;
  }

  stop(): void {
    for (const timer of this.run?.timers ?? []) clearInterval(timer);
    this.run = null;
    this.callPoor.value = false;
    this.ownLinkPoor.value = false;
    this.peerLinkPoor.value = false;
    this.latestReasons.value = noQualityReasons;
    this.path.value = null;
  }

  /** The peer's call.quality: its own link is poor, or fine again. */
  onPeerReport(callId: string, poor: boolean): void {
    if (this.run?.callId === callId) this.peerLinkPoor.value = poor;
    else this.earlyPeerReport = { callId, poor };
  }

  private async sample(run: Run): Promise<void> {
    const engine = this.deps.engine();
    if (!engine || engine.connectionState !== 'connected') {
      run.previous = null; // the interval spanning an outage says nothing about the link
      return;
    }
    const report = await engine.getStats().catch(() => null);
    if (!report || run !== this.run) return;
    this.showPath(callPathFromStats(report));
    const snapshot = snapshotOfStats(report.values() as Iterable<StatsEntry>, this.deps.now());
    const previous = run.previous;
    run.previous = snapshot;
    const sample = previous && sampleBetween(previous, snapshot);
    if (!sample) return;
    // Our video is judged by what the step we send it at needs, not by what full quality needs.
    const floor = videoSteps(run.source ?? 'camera')[run.steps.step]?.bitrateFloor ?? 0;
    const reasons = { call: poorCallReasons(sample, floor), ownLink: ownLinkReasons(run.probe) };
    run.call = nextHysteresis(run.call, reasons.call.length > 0, verdictLimits);
    run.ownLink = nextHysteresis(run.ownLink, reasons.ownLink.length > 0, verdictLimits);
    this.latestReasons.value = reasons;
    this.callPoor.value = run.call.poor;
    // Our link is to blame only while the call itself suffers: a slow server alone is not.
    this.ownLinkPoor.value = run.call.poor && run.ownLink.poor;
    this.report(run);
    await this.adapt(run, engine, sample);
  }

  /** The selected pair changes when ICE restarts or a better pair wins. */
  private showPath(path: CallPath | null): void {
    const shown = this.path.value;
    if (path?.route !== shown?.route || path?.transport !== shown?.transport)
      this.path.value = path;
  }

  /** Tells the peer about our own link when that changed (the outbox holds it while signaling is down). */
  private report(run: Run): void {
    const poor = this.ownLinkPoor.value;
    if (poor === run.reported) return;
    this.deps.signaling.notify('call.quality', { callId: run.callId, poor });
    run.reported = poor;
  }

  private async adapt(run: Run, engine: QualityEngine, sample: QualitySample): Promise<void> {
    const sender = engine.videoSender;
    if (!sender) return;
    const source: VideoSource = engine.sharingScreen ? 'screen' : 'camera';
    const switched = source !== run.source || sender !== run.sender;
    if (switched) {
      // A new source or sender starts from full quality with its own preference.
      run.sender = sender;
      run.source = source;
      run.steps = initialStepState;
    }
    const steps = videoSteps(source);
    const before = run.steps.step;
    const floor = steps[before]?.bitrateFloor ?? 0;
    const above = steps[before - 1];
    const outgoing = {
      poor: outgoingIsPoor(sample, floor),
      roomAbove: !above || !bandwidthHoldsVideoBelow(sample, above.bitrateFloor),
    };
    run.steps = nextStep(run.steps, outgoing, this.deps.now(), steps.length);
    const step = steps[run.steps.step];
    if (!step || (!switched && run.steps.step === before)) return;
    try {
      await sender.setParameters(withVideoStep(sender.getParameters(), step, source));
    } catch (error) {
      console.warn('parley: video sender parameters refused', error);
    }
  }

  private async ping(run: Run): Promise<void> {
    if (run.pinging) return;
    run.pinging = true;
    const sentAt = this.deps.now();
    // A starved page handles the answer (or its deadline) late: that ping is the page's, not the link's.
    const stopLagWatch = watchPageLag(this.deps.now);
    let answered: boolean | 'no_connection';
    try {
      answered = await answeredWithin(
        this.deps.signaling.request('ping', {}),
        qualityTiming.pingDeadlineMs,
      );
    } catch {
      // Signaling is down: that is the connection banner's news, not a sample of the link.
      answered = 'no_connection';
    }
    const pageLagMs = stopLagWatch();
    run.pinging = false;
    if (run !== this.run || answered === 'no_connection') return;
    const roundTripMs = answered ? this.deps.now() - sentAt : null;
    run.probe = recordPing(run.probe, pingResult(roundTripMs, pageLagMs));
  }
}

/** Whether the promise resolved within `ms`; rejects as it does. */
function answeredWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
