import { LuaScript } from './redis-lua.js';

/*
 * The order write scripts with the feed and the index (keys.ts, feed.ts). Every write is:
 *
 *   KEYS: order hash, change list, [feed stream, index sets to add..., index sets to remove...]
 *   ARGV: 1 publish command, 2 channel, 3 history limit, 4 write id, 5 data, 6 order id,
 *         7 createdAt ms (index score), 8 feed MINID (trim bound), 9 #add, 10 #remove,
 *         11 expected version, 12 next version (update only), 13.. pairs (eventId, change JSON)
 *
 * With the feed keys (one Redis / Sentinel), each change gets its feed entry in the same atomic
 * step as the order write, and its cursor (the entry id) is spliced into the change JSON before
 * it is kept in the history and published: a change stored is a change in the feed, with the
 * cursor in commit order. Without them (a cluster) the script writes the order and its history
 * only (publish command ''), FEED_AND_INDEX runs next on the {f} slot, and the writer then
 * SPUBLISHes each change with the cursor it got (redis.ts).
 */
const TAIL = `
local inline = #KEYS > 2
local adds, removes = tonumber(ARGV[9]), tonumber(ARGV[10])
if inline then
  for k = 4, 3 + adds do redis.call('ZADD', KEYS[k], ARGV[7], ARGV[6]) end
  for k = 4 + adds, 3 + adds + removes do redis.call('ZREM', KEYS[k], ARGV[6]) end
end
for i = 13, #ARGV, 2 do
  local change = ARGV[i + 1]
  if inline then
    local cursor = redis.call('XADD', KEYS[3], 'MINID', '~', ARGV[8], '*', 'o', ARGV[6], 'e', ARGV[i])
    change = '{"cursor":"' .. cursor .. '",' .. string.sub(change, 2)
  end
  redis.call('RPUSH', KEYS[2], change)
  if ARGV[1] ~= '' then redis.call(ARGV[1], ARGV[2], change) end
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
return 1
`;

/**
 * Returns 1 when written (or already written by this same write id: ioredis re-sends a command
 * whose reply was lost, see redis-lua.ts), 0 when the id exists.
 */
export const CREATE_ORDER_FED = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'write') == ARGV[4] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], 'version', '1', 'data', ARGV[5], 'write', ARGV[4])
-- a new order starts a new history, whatever an earlier incarnation of the id left behind
redis.call('DEL', KEYS[2])
${TAIL}`);

/** Returns 1 when written (or by this same write id), 0 on a version conflict, -1 when there is no order. */
export const UPDATE_ORDER_FED = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], 'version', 'write')
if not current[1] then return -1 end
if current[2] == ARGV[4] then return 1 end
if current[1] ~= ARGV[11] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[12], 'data', ARGV[5], 'write', ARGV[4])
${TAIL}`);

/**
 * Cluster only, right after the order's script succeeded: KEYS feed stream, index sets to add...,
 * to remove...; ARGV order id, createdAt ms, MINID, #add, #remove, eventIds... Returns the cursors.
 */
export const FEED_AND_INDEX = new LuaScript(`
local adds, removes = tonumber(ARGV[4]), tonumber(ARGV[5])
for k = 2, 1 + adds do redis.call('ZADD', KEYS[k], ARGV[2], ARGV[1]) end
for k = 2 + adds, 1 + adds + removes do redis.call('ZREM', KEYS[k], ARGV[1]) end
local cursors = {}
for i = 6, #ARGV do
  cursors[#cursors + 1] = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[3], '*', 'o', ARGV[1], 'e', ARGV[i])
end
return cursors
`);
