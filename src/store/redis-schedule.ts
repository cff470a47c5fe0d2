import type { KeyLayout } from './keys.js';
import type { RedisClient, Write } from './redis-client.js';
import type { ReconcileSchedule } from './types.js';

/**
 * The schedule is SCHEDULE_BUCKETS sorted sets (keys.ts), an order's entry in the bucket of its
 * id. `due` asks every bucket for its earliest `limit` and merges them, so the answer is the same
 * as from one sorted set: earliest first, ties by id.
 */
export function createSchedule(redis: RedisClient, write: Write, keys: KeyLayout): ReconcileSchedule {
  const buckets = keys.scheduleBuckets();
  return {
    async schedule(orderId, dueAt) {
      if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
      await write('zadd', keys.schedule(orderId), dueAt, orderId);
    },
    async scheduleBy(orderId, dueAt) {
      if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
      // Not ZADD LT (Redis >= 6.2 only). Read then write: a poller that moves the entry in between
      // moves it to its next interval, no earlier than this, so the worst case is today's.
      const current = await redis.zscore(keys.schedule(orderId), orderId);
      if (current === null || dueAt < Number(current)) await write('zadd', keys.schedule(orderId), dueAt, orderId);
    },
    async unschedule(orderId) {
      await write('zrem', keys.schedule(orderId), orderId);
    },
    async due(now, limit) {
      const count = Math.floor(limit);
      if (!(count > 0)) return [];
      const replies = await Promise.all(buckets.map((key) => redis.zrangebyscore(key, '-inf', now, 'WITHSCORES', 'LIMIT', 0, count)));
      const entries: { id: string; dueAt: number }[] = [];
      for (const reply of replies) {
        for (let i = 0; i + 1 < reply.length; i += 2) entries.push({ id: reply[i]!, dueAt: Number(reply[i + 1]) });
      }
      entries.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return entries.slice(0, count).map((entry) => entry.id);
    },
    async size() {
      const sizes = await Promise.all(buckets.map((key) => redis.zcard(key)));
      return sizes.reduce((sum, size) => sum + size, 0);
    },
  };
}
