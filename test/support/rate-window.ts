/**
 * The rate limiter's windows are whole minutes of the wall clock: a test that spends a budget
 * starts well inside one, so a window edge in the middle cannot hand it a fresh budget.
 */
export async function awayFromWindowEdge(): Promise<void> {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
}
