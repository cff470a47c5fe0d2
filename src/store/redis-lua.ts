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

// The order write scripts (order, history, feed, index, publish in one step) are in redis-feed-lua.ts.

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

/**
 * KEYS: a provider order's index entry. ARGV: 1 the claiming order's id, 2 a holder it may
 * replace ('' none). Sets the entry to the claimant when it is free, already the claimant's, or
 * names that replaceable holder; returns the id the entry names afterwards (the claimant's when
 * the claim held).
 */
export const CLAIM_ENTRY = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] or (ARGV[2] ~= '' and holder == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return holder
`);
