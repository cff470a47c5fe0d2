import type { ChangeHub } from '../store/change-hub.js';
import { compareCursors, HistoryExpiredError, parseCursor, type Cursor } from '../store/feed.js';
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
 * replayed" is exactly "already sent". Live changes are not compared with each other: in a
 * cluster, changes published on different shards may arrive out of cursor order.
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
  const live = deps.hub.open(null);
  try {
    await live.ready;
    if (after !== null) {
      let from = after;
      for (;;) {
        const batch = await replay(deps.feed, from);
        for (const change of batch) {
          replayedUpTo = parseCursor(change.cursor!)!;
          if (wanted(change)) yield change;
        }
        const newest = batch[batch.length - 1];
        if (batch.length < REPLAY_BATCH || !newest) break;
        from = newest.cursor!;
      }
    }
    for await (const change of live.changes(signal)) {
      const cursor = change.cursor ? parseCursor(change.cursor) : null;
      if (cursor && replayedUpTo && compareCursors(cursor, replayedUpTo) <= 0) continue;
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
