import type { ChangeHub } from '../store/change-hub.js';
import { compareCursors, formatCursor, HistoryExpiredError, parseCursor, type Cursor } from '../store/feed.js';
import type { FeedLog } from '../store/types.js';
import { badInput, historyExpired } from './errors.js';
import type { OrderStatusChange, Provider } from './order.js';

/** Changes read from the feed per round trip while replaying. */
const REPLAY_BATCH = 500;

/**
 * The messages of `orderUpdates(provider, after)`: with `after` (a cursor, or SSE's
 * `Last-Event-ID`), every change after it from the gateway-wide feed, then live ones; without it,
 * live ones from now on.
 *
 * No gap and no duplicate at the join: the live feed is joined *before* the feed is read (so a
 * change committed during the replay is buffered live), the replay runs until it is caught up,
 * and a live change whose cursor is not after the newest one replayed is dropped. A stream entry
 * added after the replay read has a larger id than every entry read, so "not after the newest
 * replayed" is exactly "already sent".
 *
 * Where the live feed may deliver out of cursor order (a cluster: changes of different order
 * buckets travel on different shards' channels, FeedLog.liveInCursorOrder), a live change is sent
 * only when it is the feed's next one after the last sent; otherwise the feed is read from the last
 * sent up, in cursor order, this change among them. So the cursors a listener gets always
 * increase, and resuming after the newest one it handled misses nothing that was still on its
 * way. That costs one small read of the feed per live change and listener, in a cluster only.
 */
export async function* watchAllOrders(
  deps: { feed: FeedLog; hub: ChangeHub },
  provider: Provider | null,
  after: string | null,
  signal?: AbortSignal,
): AsyncGenerator<OrderStatusChange> {
  let replayedUpTo: Cursor | null = null;
  if (after !== null) {
    replayedUpTo = parseCursor(after);
    if (!replayedUpTo) throw badInput('after', 'after is a cursor this gateway sent');
  }
  const wanted = (change: OrderStatusChange) => !provider || change.order.provider === provider;
  const ordered = deps.feed.liveInCursorOrder;
  const live = deps.hub.open(null);
  /** Every change after `replayedUpTo` the feed holds, in cursor order, until caught up. */
  async function* catchUp(): AsyncGenerator<OrderStatusChange> {
    for (;;) {
      const batch = await replay(deps.feed, formatCursor(replayedUpTo!));
      for (const change of batch) {
        replayedUpTo = parseCursor(change.cursor!)!;
        if (wanted(change)) yield change;
      }
      if (batch.length < REPLAY_BATCH) return;
    }
  }
  try {
    await live.ready;
    if (after !== null) yield* catchUp();
    // Out of order live: start from where the feed is now, so an earlier change still on its way
    // is recognised as such, not as already sent.
    else if (!ordered) replayedUpTo = parseCursor(await deps.feed.position());
    for await (const change of live.changes(signal)) {
      const cursor = change.cursor ? parseCursor(change.cursor) : null;
      if (cursor && replayedUpTo && compareCursors(cursor, replayedUpTo) <= 0) continue;
      if (!ordered && cursor && replayedUpTo && (await deps.feed.firstAfter(formatCursor(replayedUpTo))) !== change.cursor) {
        yield* catchUp();
        continue;
      }
      if (!ordered && cursor) replayedUpTo = cursor;
      if (wanted(change)) yield change;
    }
  } finally {
    live.close();
  }
}

async function replay(feed: FeedLog, from: string): Promise<OrderStatusChange[]> {
  try {
    return await feed.after(from, REPLAY_BATCH);
  } catch (error) {
    if (error instanceof HistoryExpiredError) throw historyExpired('This position is older than the kept history: read the orders again, then subscribe without after');
    throw error;
  }
}
