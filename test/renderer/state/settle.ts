/** Lets async work run until `done` holds; only a result that never comes fails. */
export async function settle(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(done()).toBe(true);
}
