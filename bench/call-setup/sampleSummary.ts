export interface SampleSummary {
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function summarize(samplesMs: number[]): SampleSummary {
  if (samplesMs.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { samplesMs, medianMs, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]! };
}

/** A plain-text table: one row per contender, then one line per named ratio. */
export function formatTable(
  rows: Record<string, SampleSummary>,
  ratios: Record<string, number>,
): string {
  const header = ['', 'median ms', 'min ms', 'max ms', 'calls'];
  const body = Object.entries(rows).map(([name, s]) => [
    name,
    s.medianMs.toFixed(1),
    String(s.minMs),
    String(s.maxMs),
    String(s.samplesMs.length),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  const ratioLines = Object.entries(ratios).map(([name, ratio]) => `${name}: ${ratio.toFixed(2)}`);
  return [line(header), ...body.map(line), ...ratioLines].join('\n');
}
