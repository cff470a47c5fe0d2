import { LuaScript } from './redis-lua.js';

/*
 * The order write scripts with the feed and the index (keys.ts, feed.ts). Every write is:
 *
 *   KEYS: order hash, change list, then by mode:
 *         'inline' feed stream, index sets to add..., index sets to remove...
 *         'outbox' the order bucket's outbox stream
 *         'none'   nothing more
 *   ARGV: 1 mode, 2 publish command ('' for none), 3 channel, 4 history limit, 5 write id, 6 data,
 *         7 order id, 8 createdAt ms (index score), 9 feed MINID (trim bound), 10 #add, 11 #remove,
 *         12 outbox entry (JSON: order id, score, index sets; 'outbox' mode only),
 *         13 expected version, 14 next version (update only), 15.. pairs (eventId, change JSON)
 *
 * 'inline' (one Redis / Sentinel): each change gets its feed entry in the same atomic step as the
 * order write, and its cursor (the entry id) is spliced into the change JSON before it is kept in
 * the history and published: a change stored is a change in the feed, with the cursor in commit
 * order.
 *
 * 'outbox' (a cluster, where the feed is in another slot): the write and its changes go into the
 * bucket's outbox in the same atomic step (a transactional outbox), and the script answers the
 * outbox's oldest entries, its own among them (its id only: the writer has the rest), for the
 * writer to relay at once (RELAY_OUTBOX,
 * redis-outbox.ts), which then publishes the changes with their cursors. What a writer that died
 * before relaying leaves is relayed by the sweep. The history gets each change's cursor from the
 * relay's last step (FINISH_RELAY).
 *
 * 'none' writes the order and its history only: the feed and index off, for the benchmark that
 * measures what they cost (RedisStoreOptions.feedAndIndex).
 */

/** Outbox entries a write answers (and a relay moves) at most at once. */
export const OUTBOX_BATCH = 64;

/** How far back from the newest entry FINISH_RELAY looks for a relayed change in its order's history. */
const HISTORY_SEARCH = 64;

/** Everything after the order's own write; `pairsEnd` (the last ARGV of the pairs) is set before it. */
const TAIL_WRITES = `
local mode = ARGV[1]
local adds, removes = tonumber(ARGV[10]), tonumber(ARGV[11])
if mode == 'inline' then
  for k = 4, 3 + adds do redis.call('ZADD', KEYS[k], ARGV[8], ARGV[7]) end
  for k = 4 + adds, 3 + adds + removes do redis.call('ZREM', KEYS[k], ARGV[7]) end
end
local entry = {'w', ARGV[12]}
for i = 15, pairsEnd, 2 do
  local change = ARGV[i + 1]
  if mode == 'inline' then
    local cursor = redis.call('XADD', KEYS[3], 'MINID', '~', ARGV[9], '*', 'o', ARGV[7], 'e', ARGV[i])
    change = '{"cursor":"' .. cursor .. '",' .. string.sub(change, 2)
  end
  redis.call('RPUSH', KEYS[2], change)
  if ARGV[2] ~= '' then redis.call(ARGV[2], ARGV[3], change) end
  entry[#entry + 1] = 'c'
  entry[#entry + 1] = change
end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
if mode == 'outbox' then
  local own = redis.call('XADD', KEYS[3], '*', unpack(entry))
  local pending = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', ${OUTBOX_BATCH})
  -- The writer has its own entry: only its id is sent back.
  for _, found in ipairs(pending) do
    if found[1] == own then found[2] = {} end
  end
  return {1, pending, own}
end
`;

const TAIL = `${TAIL_WRITES}
return 1
`;

/** What a write that already happened (same write id) answers: in 'outbox' mode, what is still to relay. */
const ALREADY_WRITTEN = `
if ARGV[1] == 'outbox' then return {1, redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', ${OUTBOX_BATCH})} end
return 1
`;

/**
 * Returns 1 when written (or already written by this same write id: ioredis re-sends a command
 * whose reply was lost, see redis-lua.ts), 0 when the id exists. In 'outbox' mode a written
 * order answers {1, outbox entries, its own entry's id} (no id when it was written before).
 */
const CREATE_WRITE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'write') == ARGV[5] then ${ALREADY_WRITTEN} end
  return 0
end
redis.call('HSET', KEYS[1], 'version', '1', 'data', ARGV[6], 'write', ARGV[5])
-- a new order starts a new history, whatever an earlier incarnation of the id left behind
redis.call('DEL', KEYS[2])
`;

export const CREATE_ORDER_FED = new LuaScript(`
local pairsEnd = #ARGV
${CREATE_WRITE}
${TAIL}`);

/**
 * CREATE_ORDER_FED in 'inline' mode with what a just-accepted order's storing does along with it
 * (store/types.ts AlongWithCreate), in the same atomic step: the reconciliation schedule entry,
 * the parked callbacks taken, the creation's intent deleted; and the provider-order index entry,
 * refused when it names another order (two orders of one provider order: the second is no new
 * order, domain/orders/create-once.ts). One Redis / Sentinel only (the keys are on other slots).
 *   KEYS after the index sets: the schedule bucket, the lists to take..., the entries to forget...,
 *        [the provider-order index entry]
 *   ARGV after the pairs: the index entry's holder that may be replaced ('' none: the caller found
 *        it names an order that does not carry the provider order, a stale entry), then last
 *        "<schedule at ms, or - for none> <#take> <#forget> <1 with an index entry, else 0>"
 * Returns {1, {taken list per key}} when written, 1 when this same write was already done (its
 * takes were answered to the first send), 0 when the id exists, {2, holder} when the index entry
 * names another order (nothing written in either case).
 */
export const CREATE_ORDER_ALONG = new LuaScript(`
local pairsEnd = #ARGV - 2
local at, takes, forgets, indexed = string.match(ARGV[#ARGV], '^(%S+) (%d+) (%d+) ([01])$')
takes, forgets = tonumber(takes), tonumber(forgets)
local k = 4 + tonumber(ARGV[10]) + tonumber(ARGV[11])
local indexKey = false
if indexed == '1' then
  indexKey = KEYS[k + takes + forgets + 1]
  local holder = redis.call('GET', indexKey)
  if holder and holder ~= ARGV[7] and holder ~= ARGV[#ARGV - 1] then return {2, holder} end
end
${CREATE_WRITE}
if indexKey then redis.call('SET', indexKey, ARGV[7]) end
${TAIL_WRITES}
if at == '-' then redis.call('ZREM', KEYS[k], ARGV[7]) else redis.call('ZADD', KEYS[k], at, ARGV[7]) end
local taken = {}
for t = 1, takes do
  taken[t] = redis.call('LRANGE', KEYS[k + t], 0, -1)
  redis.call('DEL', KEYS[k + t])
end
for f = 1, forgets do redis.call('DEL', KEYS[k + takes + f]) end
return {1, taken}
`);

/** Returns 1 when written (or by this same write id), 0 on a version conflict, -1 when there is no order. */
export const UPDATE_ORDER_FED = new LuaScript(`
local pairsEnd = #ARGV
local current = redis.call('HMGET', KEYS[1], 'version', 'write')
if not current[1] then return -1 end
if current[2] == ARGV[5] then ${ALREADY_WRITTEN} end
if current[1] ~= ARGV[13] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[14], 'data', ARGV[6], 'write', ARGV[5])
${TAIL}`);

/**
 * The feed's newest entry id and the feed master's clock (ms) (feed.ts positionAt), and with a
 * second key (one Redis / Sentinel, where it may) the order's data, all in one step.
 * KEYS: 1 feed stream, [2 order hash]. Returns {newest id or '', now ms, data or false}.
 */
export const FEED_POSITION = new LuaScript(`
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local time = redis.call('TIME')
local ms = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
local data = false
if KEYS[2] then data = redis.call('HGET', KEYS[2], 'data') end
return {newest[1] and newest[1][1] or '', ms, data}
`);

/**
 * Cluster: moves outbox entries of one bucket to the feed and the index, once each. The bucket's
 * bookmark (the newest entry id relayed) is read and advanced in the same step as the XADDs, so a
 * relay repeated (a writer and the sweep at once, a retry after a crash) skips what was relayed.
 * Entries come oldest first and every entry older than the newest one given was either given too
 * or relayed already (they are read from the outbox, which only loses relayed entries).
 *
 * KEYS: 1 feed stream, 2 bookmark hash, 3.. index sets.
 * ARGV: 1 bucket, 2 MINID, then per entry: outbox id, order id, score, #add, #remove,
 *       add set indexes (into KEYS)..., remove set indexes..., #events, eventIds...
 * Returns per entry: -1 when it was relayed before, else its number of events and their cursors.
 */
export const RELAY_OUTBOX = new LuaScript(`
local function parse(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local lastMs, lastSeq = -1, -1
local last = redis.call('HGET', KEYS[2], ARGV[1])
if last then lastMs, lastSeq = parse(last) end
local out, newest, i = {}, nil, 3
while i <= #ARGV do
  local id, order, score = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local adds, removes = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local sets = i + 5
  local events = tonumber(ARGV[sets + adds + removes])
  local first = sets + adds + removes + 1
  local ms, seq = parse(id)
  if ms > lastMs or (ms == lastMs and seq > lastSeq) then
    for k = sets, sets + adds - 1 do redis.call('ZADD', KEYS[tonumber(ARGV[k])], score, order) end
    for k = sets + adds, sets + adds + removes - 1 do redis.call('ZREM', KEYS[tonumber(ARGV[k])], order) end
    out[#out + 1] = events
    for k = first, first + events - 1 do
      out[#out + 1] = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', 'o', order, 'e', ARGV[k])
    end
    lastMs, lastSeq, newest = ms, seq, id
  else
    out[#out + 1] = -1
  end
  i = first + events
end
if newest then redis.call('HSET', KEYS[2], ARGV[1], newest) end
return out
`);

/**
 * Cluster, after RELAY_OUTBOX, on the bucket's slot: lets the relayed outbox entries go and gives
 * each change relayed by this relay its cursor in the order's history too, so a replay of
 * `orderStatusChanged(after)` carries the same cursor the live message did. A history entry is
 * the change's JSON, which starts with its eventId (store/changes.ts builds it so); the entry is
 * looked for among the newest ones (a later write may have appended more meanwhile) and left as
 * it is when it is gone (trimmed) or already has a cursor.
 *
 * KEYS: 1 outbox stream, 2.. order histories.
 * ARGV: 1 #ids, ids to delete..., then triples: history index (into KEYS), eventId, cursor.
 */
export const FINISH_RELAY = new LuaScript(`
local ids = tonumber(ARGV[1])
if ids > 0 then redis.call('XDEL', KEYS[1], unpack(ARGV, 2, 1 + ids)) end
for i = 2 + ids, #ARGV, 3 do
  local history, prefix = KEYS[tonumber(ARGV[i])], '{"eventId":"' .. ARGV[i + 1] .. '",'
  for at = -1, -${HISTORY_SEARCH}, -1 do
    local entry = redis.call('LINDEX', history, at)
    if not entry then break end
    if string.sub(entry, 1, #prefix) == prefix then
      redis.call('LSET', history, at, '{"cursor":"' .. ARGV[i + 2] .. '",' .. string.sub(entry, 2))
      break
    end
  end
end
return 1
`);
