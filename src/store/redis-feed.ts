import { createHash } from 'node:crypto';
import type { Order, OrderStatusChange } from '../domain/order.js';
import { HistoryExpiredError, isExpired, matches, parseCursor, positionAt, type OrderQuery } from './feed.js';
import { FEED_POSITION } from './redis-feed-lua.js';
import type { KeyLayout } from './keys.js';
import type { RedisClient } from './redis-client.js';
import type { FeedLog } from './types.js';

/*
 * The Redis side of the feed and the order index (layout in keys.ts, scripts in redis-feed-lua.ts).
 *
 * Index entries are the sorted sets an order's current state belongs in; every write re-adds all
 * of them (a ZADD of an existing member is a no-op) and removes the sets of a status (or
 * reference) it left. A read still checks each order against the question (`matches`): in a
 * cluster the index is written after the order, so it may briefly lag or hold an entry the next
 * write corrects, and the order itself is the truth.
 */

const referenceKey = (reference: string) => `r:${createHash('sha1').update(reference).digest('hex')}`;

function setsOf(order: Order): string[] {
  return ['all', `p:${order.provider}`, `s:${order.status}`, `ps:${order.provider}:${order.status}`, ...(order.reference !== undefined ? [referenceKey(order.reference)] : [])];
}

/** The index sets `next` belongs in, and those `previous` was in that `next` is not. */
export function indexChanges(keys: KeyLayout, previous: Order | null, next: Order): { add: string[]; remove: string[] } {
  const now = setsOf(next);
  const before = previous ? setsOf(previous) : [];
  return { add: now.map(keys.index), remove: before.filter((name) => !now.includes(name)).map(keys.index) };
}

/** The set that narrows `query` most: the rest is checked on each order. */
function setFor(query: OrderQuery): string {
  if (query.reference !== undefined) return referenceKey(query.reference);
  if (query.provider && query.status) return `ps:${query.provider}:${query.status}`;
  if (query.provider) return `p:${query.provider}`;
  if (query.status) return `s:${query.status}`;
  return 'all';
}

/** Members read per round trip: a page plus room for the few entries a check may drop. */
const BATCH_SLACK = 16;

/**
 * The order index query: newest first from the upper score bound (`to`, or the cursor's
 * createdAt), ties by id descending as ZREVRANGEBYSCORE gives them. Members at the cursor's own
 * score that are not after it are skipped by `matches`, so an order inserted meanwhile, at any
 * score, neither repeats nor shifts a page.
 */
export async function listOrders(redis: RedisClient, keys: KeyLayout, query: OrderQuery, get: (ids: string[]) => Promise<(Order | null)[]>): Promise<Order[]> {
  const key = keys.index(setFor(query));
  const upper = Math.min(query.toMs ?? Infinity, query.after?.createdAtMs ?? Infinity);
  const max = upper === Infinity ? '+inf' : String(upper);
  const min = query.fromMs === undefined ? '-inf' : String(query.fromMs);
  const found: Order[] = [];
  const batch = query.limit + BATCH_SLACK;
  for (let offset = 0; found.length < query.limit; offset += batch) {
    const ids = await redis.zrevrangebyscore(key, max, min, 'LIMIT', offset, batch);
    for (const order of await get(ids)) {
      if (order && matches(order, query)) found.push(order);
      if (found.length === query.limit) break;
    }
    if (ids.length < batch) break;
  }
  return found;
}

/**
 * The feed's replay: XRANGE after the cursor, then each change from its order's history (one
 * LRANGE per order in the batch, sent together). A history entry that carries a cursor must carry
 * this one; the entry id is the cursor of the change either way (in a cluster a history entry whose relay
 * crashed before its last step has none).
 */
export function createRedisFeedLog(redis: RedisClient, keys: KeyLayout, retentionMs: number, now: () => number, liveInCursorOrder: boolean): FeedLog {
  return {
    liveInCursorOrder,
    position: async () => (await readPosition(redis, keys)).cursor,
    async firstAfter(text) {
      if (!parseCursor(text)) throw new RangeError('not a feed cursor');
      const [first] = await redis.xrange(keys.feed(), `(${text}`, '+', 'COUNT', 1);
      return first ? first[0] : null;
    },
    async after(text, limit) {
      const cursor = parseCursor(text);
      if (!cursor) throw new RangeError('not a feed cursor');
      if (isExpired(cursor, now(), retentionMs)) throw new HistoryExpiredError(`Cursor ${text}`);
      const entries = await redis.xrange(keys.feed(), `(${text}`, '+', 'COUNT', limit);
      const wanted = entries.map(([id, fields]) => ({ id, orderId: fieldOf(fields, 'o'), eventId: fieldOf(fields, 'e') }));
      const orderIds = [...new Set(wanted.map((entry) => entry.orderId))];
      const histories = await Promise.all(orderIds.map((id) => redis.lrange(keys.orderChanges(id), 0, -1)));
      const byOrder = new Map(orderIds.map((id, index) => [id, (histories[index] ?? []).map((raw) => JSON.parse(raw) as OrderStatusChange)]));
      const changes: OrderStatusChange[] = [];
      const seen = new Set<string>();
      for (const entry of wanted) {
        // Defensive: a feed entry is added once (the cluster's relay keeps a bookmark), but a reader
        // must never hand out one change twice.
        const name = `${entry.orderId}/${entry.eventId}`;
        if (seen.has(name)) continue;
        const change = byOrder.get(entry.orderId)?.find((candidate) => candidate.eventId === entry.eventId && (candidate.cursor === undefined || candidate.cursor === entry.id));
        // Missing only when the order's own history was trimmed past it (historyLimit).
        if (!change) continue;
        seen.add(name);
        changes.push({ ...change, cursor: entry.id });
      }
      return changes;
    },
    async head() {
      const [newest] = await redis.xrevrange(keys.feed(), '+', '-', 'COUNT', 1);
      return newest ? newest[0] : null;
    },
  };
}

/**
 * The feed's position now (feed.ts positionAt, on the feed master's clock), and with `orderKey`
 * that order's data read in the same step (only where one script may touch both: not a cluster).
 */
export async function readPosition(redis: RedisClient, keys: KeyLayout, orderKey?: string): Promise<{ cursor: string; data: string | null }> {
  const reply = await FEED_POSITION.run((command, ...args) => redis.call(command, ...args), orderKey ? [keys.feed(), orderKey] : [keys.feed()], []);
  if (!Array.isArray(reply)) throw new Error('feed position: unexpected reply from Redis');
  const [newest, nowMs, data] = reply as [string, string, string | null | undefined];
  return { cursor: positionAt(newest ? parseCursor(newest) : null, Number(nowMs)), data: typeof data === 'string' ? data : null };
}

function fieldOf(fields: string[], name: string): string {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : '';
}
