import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import type { OrderStatus } from '../domain/status.js';

/*
 * The gateway-wide change feed and the order index, as both stores keep them (memory.ts,
 * redis.ts + redis-feed.ts). Small on purpose: other modules (the read cache, orderUpdates) need
 * only `FeedLog.after` and `OrderIndex.list`, documented in types.ts.
 *
 * A cursor is `<ms>-<seq>`, a Redis Stream entry id: ms the time the change was stored, seq its
 * number within that millisecond. Cursors increase in the order changes were committed, so
 * "after this cursor" is exactly "what the client has not seen".
 */

/** How long the feed keeps a change, by default: the contract's "at least 7 days". */
export const DEFAULT_FEED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface Cursor {
  ms: number;
  seq: number;
}

/** Null for anything that is not a cursor this gateway issues. */
export function parseCursor(text: string): Cursor | null {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(text);
  if (!match) return null;
  return { ms: Number(match[1]), seq: Number(match[2]) };
}

export const formatCursor = (cursor: Cursor): string => `${cursor.ms}-${cursor.seq}`;

export function compareCursors(a: Cursor, b: Cursor): number {
  return a.ms - b.ms || a.seq - b.seq;
}

/**
 * The feed's position at a moment: its newest cursor, or, when that is older (a quiet feed, or
 * one trimmed empty), the last cursor of the millisecond before `nowMs`, which no later change can
 * get (a new cursor's ms is never before the feed clock's now). So `after` it is exactly what is
 * stored later, and it is not HISTORY_EXPIRED however long the feed was quiet.
 */
export function positionAt(newest: Cursor | null, nowMs: number): string {
  const quiet: Cursor = { ms: Math.max(0, Math.floor(nowMs) - 1), seq: 0 };
  return formatCursor(newest && compareCursors(newest, quiet) > 0 ? newest : quiet);
}

/** Thrown by `FeedLog.after` for a position older than the kept history (CONTRACT HISTORY_EXPIRED). */
export class HistoryExpiredError extends Error {
  constructor(what: string) {
    super(`${what} is older than the history the gateway keeps`);
    this.name = 'HistoryExpiredError';
  }
}

/**
 * A cursor is expired when its time is before the retention window: the rule is by time, not by
 * what happens to be left, so it is the same in both stores and whatever Redis' approximate trim
 * kept. Everything after a cursor inside the window is still kept (trimming uses the same bound).
 */
export function isExpired(cursor: Cursor, now: number, retentionMs: number): boolean {
  return cursor.ms < now - retentionMs;
}

/** `OrderIndex.list`'s question: every filter optional; newest first. */
export interface OrderQuery {
  provider?: Provider;
  status?: OrderStatus;
  reference?: string;
  /** createdAt bounds, epoch ms, both inclusive. */
  fromMs?: number;
  toMs?: number;
  /** Keyset: only orders after this one in (createdAt desc, id desc) order. */
  after?: OrderKey;
  limit: number;
}

/** An order's place in the index: its createdAt (epoch ms) and id, ties broken by id. */
export interface OrderKey {
  createdAtMs: number;
  id: string;
}

export const keyOf = (order: Order): OrderKey => ({ createdAtMs: Date.parse(order.createdAt), id: order.id });

/** Newest first; the same order a Redis sorted set read in reverse gives (score, then member). */
export function compareKeysNewestFirst(a: OrderKey, b: OrderKey): number {
  return b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Whether the stored order answers the query (the index may hold stale entries; the order decides). */
export function matches(order: Order, query: OrderQuery): boolean {
  const key = keyOf(order);
  if (query.provider && order.provider !== query.provider) return false;
  if (query.status && order.status !== query.status) return false;
  if (query.reference !== undefined && order.reference !== query.reference) return false;
  if (query.fromMs !== undefined && key.createdAtMs < query.fromMs) return false;
  if (query.toMs !== undefined && key.createdAtMs > query.toMs) return false;
  if (query.after && compareKeysNewestFirst(query.after, key) >= 0) return false;
  return true;
}

/** The change with its cursor, as the feed hands it out. */
export const withCursor = (change: OrderStatusChange, cursor: string): OrderStatusChange => ({ ...change, cursor });
