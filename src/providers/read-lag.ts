/**
 * Reading a provider again while its read lags its write. A provider's reads may be served by a
 * replica, a cache or another node a moment behind the one that took a write, and no seed document
 * promises when a read shows a write: a read right after a create or a change may not show it yet.
 * Taken at once, such a read undid what the provider had just answered (an order "not found" that
 * it had made, a capture read as not done), so the adapters read again a little later.
 */

/**
 * `read` now, then once more after each of `waitsMs` in turn while `lagging` says the last read is
 * behind; the last read is answered whatever it says (one still lagging once every wait has passed
 * is the caller's to judge). The first read is immediate, and no wait is taken after a read that
 * is not lagging, nor after the last one; `lagging` is not asked of the last read. A `read` that
 * throws ends it there, the error propagates (a read that fails is no lag): a caller for whom it
 * is wraps `read` (keepingLast).
 *
 * @param waitsMs the waits between reads, in order (ms): `waitsMs.length + 1` reads at most.
 */
export async function readPastLag<T>(read: () => Promise<T>, lagging: (read: T) => boolean, waitsMs: readonly number[]): Promise<T> {
  let last = await read();
  for (const wait of waitsMs) {
    if (!lagging(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, wait));
    last = await read();
  }
  return last;
}

/**
 * `read`, answering the read before it (null before any) where it fails or answers null: for a
 * read again whose failure must not undo what an earlier read showed (a second read that times
 * out keeps the first).
 */
export function keepingLast<T>(read: () => Promise<T | null>): () => Promise<T | null> {
  let last: T | null = null;
  return async () => {
    last = (await read().catch(() => null)) ?? last;
    return last;
  };
}
