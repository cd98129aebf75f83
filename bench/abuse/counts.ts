/** Named counters (reply types, error codes, close codes), mergeable across workers. */
export type Counts = Record<string, number>;

export function bump(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function mergeCounts(into: Counts, from: Counts): Counts {
  for (const [key, value] of Object.entries(from)) bump(into, key, value);
  return into;
}

export function total(counts: Counts): number {
  return Object.values(counts).reduce((sum, value) => sum + value, 0);
}

/** `a 3, b 1` in descending order, for the printed report. */
export function describeCounts(counts: Counts): string {
  const entries = Object.entries(counts).sort((x, y) => y[1] - x[1]);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

/** What a server message counts as: its type, or `error <code>`. */
export function replyKey(message: { type: string; code?: string }): string {
  return message.type === 'error' ? `error ${message.code}` : message.type;
}
