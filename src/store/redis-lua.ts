import { createHash } from 'node:crypto';

/** Sends one command (a Writer from redis-client.ts, which may WAIT for replicas behind it). */
export type Send = (command: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script run with EVALSHA, falling back to EVAL when Redis does not know it (first use,
 * after a Redis restart or SCRIPT FLUSH, or a cluster node that never saw it). NOSCRIPT means
 * nothing ran, so the fallback is safe even for writes. Every key a script touches is in KEYS and
 * in one hash slot (keys.ts): Redis Cluster refuses anything else.
 */
export class LuaScript {
  private readonly sha1: string;

  constructor(private readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  async run(send: Send, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await send('evalsha', this.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return send('eval', this.source, keys.length, ...keys, ...args);
    }
  }
}

/*
 * Order writes. The hash `{prefix}order:{id}` holds `version`, `data` (the order JSON) and
 * `write`, a random id per write attempt. ioredis re-sends a command whose reply was lost when
 * the connection dropped (autoResendUnfulfilledCommands); if the first copy had already run, the
 * re-sent one finds its own `write` id and reports success instead of a false duplicate/conflict.
 *
 * Both scripts append each change to the order's history (trimmed to the newest `limit`) and
 * publish it, in the same atomic step as the order write, so history, feed and order can never
 * disagree. The publish command is an argument: PUBLISH on one Redis, SPUBLISH to the order's
 * bucket channel (same slot as its keys) in a cluster (keys.ts).
 */

/**
 * KEYS: order hash, change list.
 * ARGV: publish command, data, write id, channel, history limit, change JSON...
 * Returns 1 when written (or already written by this same write id), 0 when the id exists.
 */
export const CREATE_ORDER = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'write') == ARGV[3] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], 'version', '1', 'data', ARGV[2], 'write', ARGV[3])
-- a new order starts a new history, whatever an earlier incarnation of the id left behind
redis.call('DEL', KEYS[2])
for i = 6, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
  redis.call(ARGV[1], ARGV[4], ARGV[i])
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
return 1
`);

/**
 * KEYS: order hash, change list.
 * ARGV: publish command, expected version, next version, data, write id, channel, history limit,
 * change JSON...
 * Returns 1 when written (or already written by this same write id), 0 when another writer
 * changed the order since it was read, -1 when the order does not exist.
 */
export const UPDATE_ORDER = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], 'version', 'write')
if not current[1] then return -1 end
if current[2] == ARGV[5] then return 1 end
if current[1] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'data', ARGV[4], 'write', ARGV[5])
for i = 8, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
  redis.call(ARGV[1], ARGV[6], ARGV[i])
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[7]), -1)
return 1
`);

/** KEYS: key. ARGV: expected value. Returns 1 when it deleted the key. */
export const DELETE_IF_EQUALS = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS: list. ARGV: value, ttl ms. The TTL restarts with every append. */
export const APPEND = new LuaScript(`
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/**
 * KEYS: counter. ARGV: ttl ms. INCR, and a TTL for a counter that has none (its first increment),
 * in one step: a crash between the two can never leave a counter that never expires.
 */
export const INCREMENT = new LuaScript(`
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`);

/** KEYS: list. Returns the whole list, oldest first, and deletes it in the same step. */
export const TAKE_ALL = new LuaScript(`
local values = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return values
`);
