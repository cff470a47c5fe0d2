import type { OrderStatusChange } from '../domain/order.js';
import { compareCursors, formatCursor, HistoryExpiredError, isExpired, parseCursor, positionAt, type Cursor } from './feed.js';
import type { FeedLog } from './types.js';

/**
 * The memory store's gateway-wide feed: an array in cursor order, trimmed by age on every append
 * (the same rule as Redis' XADD MINID). Entries share the stored change objects; `after` hands
 * out copies.
 */
export function createMemoryFeedLog(now: () => number, retentionMs: number): FeedLog & { append(change: OrderStatusChange): Cursor; positionNow(): string } {
  const entries: { cursor: Cursor; change: OrderStatusChange }[] = [];
  let last: Cursor = { ms: 0, seq: 0 };
  const positionNow = () => positionAt(last.ms ? last : null, now());
  /** Index of the first entry after `cursor` (binary search: a resume is usually near the end). */
  function firstIndexAfter(cursor: Cursor): number {
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareCursors(entries[mid]!.cursor, cursor) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function trim(): void {
    let drop = 0;
    while (drop < entries.length && isExpired(entries[drop]!.cursor, now(), retentionMs)) drop++;
    if (drop) entries.splice(0, drop);
  }

  return {
    append(change) {
      const ms = Math.max(now(), last.ms);
      last = ms === last.ms ? { ms, seq: last.seq + 1 } : { ms, seq: 0 };
      entries.push({ cursor: last, change: { ...change, cursor: formatCursor(last) } });
      trim();
      return last;
    },
    async after(text, limit) {
      const cursor = parseCursor(text);
      if (!cursor) throw new RangeError('not a feed cursor');
      if (isExpired(cursor, now(), retentionMs)) throw new HistoryExpiredError(`Cursor ${text}`);
      const low = firstIndexAfter(cursor);
      return structuredClone(entries.slice(low, low + limit).map((entry) => entry.change));
    },
    /** Where the feed is now (feed.ts positionAt); synchronous, so one step with a read of the orders. */
    positionNow,
    position: async () => positionNow(),
    async firstAfter(text) {
      const cursor = parseCursor(text);
      if (!cursor) throw new RangeError('not a feed cursor');
      const entry = entries[firstIndexAfter(cursor)];
      return entry ? formatCursor(entry.cursor) : null;
    },
    liveInCursorOrder: true,
    async head() {
      const newest = entries[entries.length - 1];
      return newest ? formatCursor(newest.cursor) : null;
    },
  };
}
