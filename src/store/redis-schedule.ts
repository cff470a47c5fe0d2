import type { KeyLayout } from './keys.js';
import type { RedisClient, Write } from './redis-client.js';
import { LuaScript } from './redis-lua.js';
import type { ReconcileSchedule } from './types.js';

/**
 * The schedule is SCHEDULE_BUCKETS sorted sets (keys.ts), an order's entry in the bucket of its
 * id. `due` asks every bucket for its earliest `limit` and merges them, so the answer is the same
 * as from one sorted set: earliest first, ties by id. Beside each bucket, in its slot, a sorted set
 * of the asks no read has taken yet (types.ts `ask`): every move of an entry is a script that reads
 * it, so a reschedule and an ask made at once by two instances cannot put the ask off.
 */
export function createSchedule(redis: RedisClient, write: Write, keys: KeyLayout): ReconcileSchedule {
  const buckets = keys.scheduleBuckets();
  return {
    async schedule(orderId, dueAt) {
      await SCHEDULE.run(write, [keys.schedule(orderId), keys.scheduleAsks(orderId)], [epochMs(dueAt), orderId]);
    },
    async ask(orderId, dueAt) {
      await ASK.run(write, [keys.schedule(orderId), keys.scheduleAsks(orderId)], [epochMs(dueAt), orderId]);
    },
    async takeAsk(orderId) {
      await write('zrem', keys.scheduleAsks(orderId), orderId);
    },
    async unschedule(orderId) {
      await UNSCHEDULE.run(write, [keys.schedule(orderId), keys.scheduleAsks(orderId)], [orderId]);
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

/** A due time as the scripts take it: a string (a Lua number would be written back with %.14g). */
function epochMs(dueAt: number): string {
  if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
  return String(dueAt);
}

/** KEYS: bucket, asks. ARGV: due time, id. Moves the entry, never past the order's ask. */
const SCHEDULE = new LuaScript(`
local due = ARGV[1]
local asked = redis.call('ZSCORE', KEYS[2], ARGV[2])
if asked and tonumber(asked) < tonumber(due) then due = asked end
return redis.call('ZADD', KEYS[1], due, ARGV[2])
`);

/**
 * KEYS: bucket, asks. ARGV: due time, id. Keeps the earliest ask, and brings the entry forward to
 * it (not ZADD LT: Redis >= 6.2 only).
 */
const ASK = new LuaScript(`
local asked = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not asked or tonumber(ARGV[1]) < tonumber(asked) then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2]) end
local due = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not due or tonumber(ARGV[1]) < tonumber(due) then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) end
return 1
`);

/** KEYS: bucket, asks. ARGV: id. */
const UNSCHEDULE = new LuaScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
`);
