import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgementKinds } from './acknowledgements';
import { runDurabilityLoop, type KindTally } from './durabilityLoop';

/**
 * The SIGKILL durability loop at length: every kind of acknowledgement, PARLEY_BENCH_ROUNDS rounds
 * each (default 9: 117 kills), one data folder. Prints acknowledged against found per kind and
 * fails when anything acknowledged was lost.
 */
const root = process.cwd();
const mainJs = join(root, 'dist', 'server', 'main.js');
const resultFile = join(root, 'bench', 'results', 'durability.json');
const roundsPerKind = Number(process.env.PARLEY_BENCH_ROUNDS ?? 9);

function formatTable(tallies: KindTally[]): string {
  const header = ['acknowledgement', 'acknowledged', 'found', 'lost'];
  const total = tallies.reduce(
    (sum, t) => ({ acknowledged: sum.acknowledged + t.acknowledged, found: sum.found + t.found }),
    { acknowledged: 0, found: 0 },
  );
  const rows = [...tallies.map((t) => ({ ...t })), { kind: 'total', ...total }].map((t) => [
    t.kind,
    String(t.acknowledged),
    String(t.found),
    String(t.acknowledged - t.found),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!Number.isInteger(roundsPerKind) || roundsPerKind < 1) {
    throw new Error(`PARLEY_BENCH_ROUNDS must be a positive integer, got ${roundsPerKind}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-durability-bench-'));
  const started = Date.now();
  try {
    const rounds = roundsPerKind * acknowledgementKinds.length;
    const tallies = await runDurabilityLoop({
      mainJs,
      dataDir,
      kinds: acknowledgementKinds,
      roundsPerKind,
      onChecked: (round, kind, problems) => {
        if (problems.length > 0 || (round + 1) % 20 === 0) {
          console.log(`round ${round + 1}/${rounds} (${kind}): ${problems.join('; ') || 'found'}`);
        }
      },
    });
    const acknowledged = tallies.reduce((sum, t) => sum + t.acknowledged, 0);
    const found = tallies.reduce((sum, t) => sum + t.found, 0);
    const result = {
      benchmark: 'durability',
      measures: 'facts acknowledged to a client right before a SIGKILL, found after the restart',
      date: new Date().toISOString(),
      rounds,
      acknowledged,
      found,
      lost: acknowledged - found,
      seconds: Math.round((Date.now() - started) / 1000),
      kinds: tallies,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nSIGKILL at each acknowledgement, ${rounds} rounds in ${result.seconds} s`);
    console.log(formatTable(tallies));
    console.log(`written to ${resultFile}`);
    if (result.lost > 0) {
      for (const problem of tallies.flatMap((t) => t.problems)) console.error(problem);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
