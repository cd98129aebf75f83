/**
 * How late this page's own timers ran while it waited for something. A page starved of CPU (a
 * busy machine) or held up by long tasks of its own handles every reply late, whatever the
 * network did, and its timers are late by about as much: a timer is due every `tickMs`, and at
 * the end the one still pending counts too, since a reply handled first after a stall comes
 * before the overdue timer does.
 */
export const pageLagTickMs = 50;

/** Starts watching; the returned function stops it and says the worst lateness seen, in ms. */
export function watchPageLag(now: () => number): () => number {
  let worstMs = 0;
  let dueAt = now() + pageLagTickMs;
  const tick = (): void => {
    worstMs = Math.max(worstMs, now() - dueAt);
    dueAt = now() + pageLagTickMs;
    timer = setTimeout(tick, pageLagTickMs);
  };
  let timer = setTimeout(tick, pageLagTickMs);
  return () => {
    clearTimeout(timer);
    return Math.max(worstMs, now() - dueAt, 0);
  };
}
