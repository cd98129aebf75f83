/** The messages between the bench (parent) and a generator process over the fork IPC channel. */

export type GeneratorCommand =
  | { kind: 'register'; url: string; prefix: string; clients: number }
  | { kind: 'signIn' }
  | { kind: 'calls'; setupsPerSecond: number; durationMs: number; drainMs: number }
  | {
      kind: 'lookups';
      /** `parley`: `user.lookup` on signed-in clients; `echo`: the same frames to the echo server. */
      target: 'parley' | 'echo';
      echoUrl: string;
      connections: number;
      messagesPerSecond: number;
      durationMs: number;
    };

export interface CallPhaseResult {
  /** Setups due by the schedule, including those skipped because every pair was still busy. */
  offered: number;
  started: number;
  completed: number;
  /** invite sent -> the callee's `call.invite` received, ms, one per ring. */
  ringMs: number[];
  /** invite sent -> the callee's `call.hangup` received (the setup's end), ms. */
  setupMs: number[];
  skippedNoIdlePair: number;
  /** Setups that ended otherwise, by what ended them (an error code, a notice). */
  failures: Record<string, number>;
  /** Setups still under way when the drain time ran out. */
  unfinished: number;
  /** Pairs no longer used, after this phase: their setup failed or never finished. */
  retiredPairs: number;
}

export interface LookupPhaseResult {
  sent: number;
  answered: number;
  /** Answers other than the expected one (`user`, or the echo), by type or error code. */
  otherReplies: Record<string, number>;
}

export type GeneratorReply =
  | { kind: 'registered' }
  | { kind: 'signedIn' }
  | { kind: 'calls'; result: CallPhaseResult }
  | { kind: 'lookups'; result: LookupPhaseResult }
  | { kind: 'failed'; error: string };
