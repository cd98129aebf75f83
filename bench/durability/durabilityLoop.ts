import { ServerClients, type AcknowledgedFact, type AcknowledgementKind } from './acknowledgements';
import { startServerProcess } from './serverProcess';

/**
 * The SIGKILL durability loop: round after round, a server process on one data folder first
 * checks that the fact the previous process acknowledged just before it was killed is there, then
 * acts out the next kind of acknowledgement and is killed with SIGKILL the moment the client
 * receives it. One more process checks the last fact. Kinds take turns, so each round runs on
 * the data every earlier round left.
 */
export interface KindTally {
  kind: string;
  /** Facts acknowledged to a client right before a kill. */
  acknowledged: number;
  /** Of those, found after the restart. */
  found: number;
  /** What was wrong with each fact not found. */
  problems: string[];
}

export interface DurabilityLoopOptions {
  /** The built server, `dist/server/main.js`. */
  mainJs: string;
  dataDir: string;
  kinds: readonly AcknowledgementKind[];
  roundsPerKind: number;
  /** Called after each check, e.g. to print progress. */
  onChecked?: (round: number, kind: string, problems: string[]) => void;
}

export async function runDurabilityLoop(options: DurabilityLoopOptions): Promise<KindTally[]> {
  const { mainJs, dataDir, kinds, roundsPerKind } = options;
  const tallies = new Map<string, KindTally>(
    kinds.map((kind) => [kind.name, { kind: kind.name, acknowledged: 0, found: 0, problems: [] }]),
  );
  const schedule = Array.from({ length: roundsPerKind }, () => kinds).flat();
  let pending: { round: number; kind: string; fact: AcknowledgedFact } | null = null;

  for (let round = 0; round <= schedule.length; round++) {
    const kind = schedule[round];
    const server = await startServerProcess(mainJs, dataDir, kind?.serverArgs);
    const clients = new ServerClients(server.wsUrl);
    try {
      if (pending) {
        const problems = await pending.fact.check(clients);
        const tally = tallies.get(pending.kind)!;
        tally.acknowledged++;
        if (problems.length === 0) tally.found++;
        else
          tally.problems.push(
            `round ${pending.round}, ${pending.fact.what}: ${problems.join('; ')}`,
          );
        options.onChecked?.(pending.round, pending.kind, problems);
        pending = null;
      }
      if (kind) {
        const fact = await kind.act(clients, `r${round}`);
        await server.kill();
        pending = { round, kind: kind.name, fact };
      }
    } finally {
      clients.dropAll();
      await server.kill();
    }
  }
  return [...tallies.values()];
}
