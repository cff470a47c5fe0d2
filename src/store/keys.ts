import type { Provider } from '../domain/order.js';

/*
 * Every Redis key and channel name of the gateway, in one place, laid out for Redis Cluster (and
 * the same on one Redis or behind Sentinel, so there is one layout to reason about and test).
 *
 * Redis Cluster places a key by its hash tag (the text between the first `{` and the next `}`),
 * and refuses a script or MULTI whose keys hash to different slots. So:
 *
 *   P order:{o<b>}:<id>              hash: version, data (order JSON), write (see redis-lua.ts)
 *   P order:{o<b>}:<id>:changes      list: change JSON, oldest first
 *   channel P changes:{o<b>}         (cluster) the changes of bucket b's orders, SPUBLISHed
 *   channel P changes                (one Redis / Sentinel) every change, PUBLISHed
 *      An order's write is one script over its hash and its history, and publishes its changes in
 *      the same step: all three share the tag of the order's bucket b (ORDER_BUCKETS of them, b
 *      from a hash of the order id). A tag per bucket, not per order, because a sharded channel
 *      lives in one slot too: a gateway SSUBSCRIBEs to the ORDER_BUCKETS bucket channels to see
 *      every change (`orderUpdates`), which per-order channels could not give.
 *   P provider-order:<provider>:<providerOrderId>   string: order id (no tag: spread by its name)
 *      Looked up by the provider's id alone, so it cannot share the order's slot; written just
 *      before the order write that introduces it (redis-orders.ts), never inside the script.
 *   P feed:{f}                       stream: the gateway-wide change feed, entries {o: order id,
 *                                    e: eventId}, trimmed by age (XADD MINID); the entry id is the
 *                                    change's cursor (feed.ts). The change itself is read from the
 *                                    order's history list, so the feed costs ~100 bytes a change.
 *   P idx:{f}:all | :p:<provider> | :s:<status> | :ps:<provider>:<status> | :r:<sha1 of reference>
 *                                    sorted sets: order id scored by createdAt (ms), the order index.
 *      One tag {f} for the feed and the index: on one Redis / Sentinel the order's script writes
 *      them in the same atomic step (a script may touch any key there). In a cluster, where it may
 *      not leave the order's slot, it appends the write to its bucket's outbox instead, and a
 *      relay moves it to the feed and the index (redis-outbox.ts). Either way the feed and index
 *      live on one master.
 *   P outbox:{o<b>}                  stream (cluster only): order writes of bucket b not yet
 *                                    relayed to the feed; emptied by the relay right after.
 *   P relayed:{f}                    hash (cluster only): bucket b -> the newest outbox entry id
 *                                    relayed, so a relay repeated after a crash adds nothing.
 *   P reconcile:{r<s>}               sorted set: order id scored by due time, SCHEDULE_BUCKETS of them
 *   P kv:<name>                      KeyValueStore strings, lists and counters: idempotency keys,
 *                                    leases, parked callbacks, rate-limit counters, provider tokens.
 *                                    No tag of ours: each key lands on the slot of its own name, so
 *                                    they spread over every node; every kv operation is one key.
 *   P health:<instance>              the readiness probe's write (one key per gateway instance)
 *
 * P is the key prefix (default `gw:`). Changing ORDER_BUCKETS or SCHEDULE_BUCKETS moves keys: it
 * is a data migration, not a setting.
 */

/** Slots the orders are spread over: with 1024, a master of a 3-shard cluster holds ~341 ± 18. */
export const ORDER_BUCKETS = 1024;
/** Sorted sets the reconciliation schedule is split into, so no node carries all of it. */
export const SCHEDULE_BUCKETS = 16;

/** FNV-1a over UTF-16 code units: stable across processes and versions, cheap, well spread. */
function bucketOf(id: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

export interface KeyLayout {
  order(id: string): string;
  orderChanges(id: string): string;
  providerOrder(provider: Provider, providerOrderId: string): string;
  kv(name: string): string;
  /** The schedule bucket an order's entry lives in. */
  schedule(orderId: string): string;
  /** The asks (ReconcileSchedule.ask) of the orders of that bucket: same slot as the bucket. */
  scheduleAsks(orderId: string): string;
  /** Every schedule bucket (the poller reads them all). */
  scheduleBuckets(): string[];
  health(instance: string): string;
  /** The gateway-wide feed stream. */
  feed(): string;
  /** One order-index sorted set: `all`, `p:<provider>`, `s:<status>`, `ps:<provider>:<status>`, `r:<hash>`. */
  index(name: string): string;
  /** The order bucket (0..ORDER_BUCKETS-1) an order's keys and channel belong to. */
  orderBucket(id: string): number;
  /** The outbox stream of one order bucket (cluster: order writes waiting for the relay). */
  outbox(bucket: number): string;
  /** The relay's bookmark hash, beside the feed: bucket -> newest outbox entry id relayed. */
  relayed(): string;
  /** The channel an order's changes are published on. */
  channel(orderId: string): string;
  /** Every channel a subscriber listens to, to hear every order's changes. */
  channels(): string[];
}

/**
 * The layout under `prefix`. `sharded`: a cluster, where changes go to the order's bucket channel
 * (SPUBLISH, same slot as the order); otherwise one channel for all (PUBLISH).
 */
export function keyLayout(prefix: string, sharded: boolean): KeyLayout {
  const orderTag = (id: string) => `{o${bucketOf(id, ORDER_BUCKETS)}}`;
  const scheduleKey = (bucket: number) => `${prefix}reconcile:{r${bucket}}`;
  const bucketChannel = (bucket: number) => `${prefix}changes:{o${bucket}}`;
  return {
    order: (id) => `${prefix}order:${orderTag(id)}:${id}`,
    orderChanges: (id) => `${prefix}order:${orderTag(id)}:${id}:changes`,
    providerOrder: (provider, providerOrderId) => `${prefix}provider-order:${provider}:${providerOrderId}`,
    kv: (name) => `${prefix}kv:${name}`,
    schedule: (orderId) => scheduleKey(bucketOf(orderId, SCHEDULE_BUCKETS)),
    scheduleAsks: (orderId) => `${prefix}reconcile-asks:{r${bucketOf(orderId, SCHEDULE_BUCKETS)}}`,
    scheduleBuckets: () => Array.from({ length: SCHEDULE_BUCKETS }, (_, bucket) => scheduleKey(bucket)),
    health: (instance) => `${prefix}health:${instance}`,
    feed: () => `${prefix}feed:{f}`,
    index: (name) => `${prefix}idx:{f}:${name}`,
    orderBucket: (id) => bucketOf(id, ORDER_BUCKETS),
    outbox: (bucket) => `${prefix}outbox:{o${bucket}}`,
    relayed: () => `${prefix}relayed:{f}`,
    channel: (orderId) => (sharded ? bucketChannel(bucketOf(orderId, ORDER_BUCKETS)) : `${prefix}changes`),
    channels: () => (sharded ? Array.from({ length: ORDER_BUCKETS }, (_, bucket) => bucketChannel(bucket)) : [`${prefix}changes`]),
  };
}

/**
 * The names inside `kv:` (KeyValueStore) that the domain and the poller use, in one place: they
 * ask for a key by what it is for, never spell one themselves. Provider adapters name their own
 * (tokens, Dintero's journal, Payway's purchases) in their folder.
 */
export const storeKeys = {
  /**
   * Callback facts kept for an order the gateway has not stored yet. `handle` is the provider's
   * order id, or `parkedHandleOfOwnId(orderId)` when the provider echoed the gateway's own id.
   */
  parkedFacts: (provider: Provider, handle: string): string => `parked:${provider}:${handle}`,
  /** Where facts that named the gateway's own order id are parked (see WebhookFact.orderId). */
  parkedHandleOfOwnId: (orderId: string): string => `order:${orderId}`,
  /**
   * The re-read of one order on someone's behalf (read-through, unsigned webhook hints): at most
   * one per reconciliation interval (domain/refresh-lease.ts).
   */
  refreshLease: (orderId: string): string => `refresh:${orderId}`,
  /**
   * The same for hints to a callback URL the gateway signed for one of its orders (Pei's
   * postback URL): a lease of their own, so neither read-throughs nor forgers can take it.
   */
  refreshLeaseOfVouchedHint: (orderId: string, word?: string): string => `refresh:vouched:${orderId}${word === undefined ? '' : `:${word}`}`,
  /** The same for unsigned webhook hints naming no order the gateway knows: one lease per provider. */
  refreshLeaseOfUnknownHints: (provider: Provider): string => `refresh:hint:${provider}`,
  /**
   * The answer lease of hints naming one provider id the gateway does not know (a digest of the id,
   * so a long made-up id makes no long key): the 429 a second hint within the interval gets, as a
   * known order's lease gives it (security probe 4). It expires with the interval.
   */
  answerLeaseOfUnknownHint: (provider: Provider, idDigest: string): string => `refresh:hint:${provider}:${idDigest}`,
  /** The newest creation under way with a provider (domain/orders/creations-in-flight.ts). */
  creationInFlight: (provider: Provider): string => `creating:${provider}`,
  /** The reconciliation poller's lease on one order: one instance reads it per interval. */
  reconcileLease: (orderId: string): string => `lease:reconcile:${orderId}`,
  /** The lease under which one order's captures, refunds and cancels run one at a time (store/order-lease.ts). */
  changeLease: (orderId: string): string => `lease:change:${orderId}`,
  /** A creation recorded before its provider call and cleared once the order is stored (domain/orders/create-order.ts). */
  creationIntent: (orderId: string): string => `intent:create:${orderId}`,
  /**
   * Which order id a caller's creation with one idempotency key was given (its intent's), kept as
   * long as the key: a retry after an unknown outcome looks for that order, never makes another.
   */
  creationOfKey: (caller: string, operation: string, key: string): string => `intent:create-key:${callerPart(caller)}:${operation}:${key}`,
  /** One idempotency key of one caller for one operation. */
  idempotency: (caller: string, operation: string, key: string): string => `idem:${callerPart(caller)}:${operation}:${key}`,
};

/**
 * A caller (token `sub`) inside a key that the client's own key follows: its colons (and so its
 * percent signs) escaped, so the first colon after it always ends it. Unescaped, sub
 * "shop:createOrder:x" with key "y" and sub "shop" with key "x:createOrder:y" named one entry, and
 * the second caller got the first one's order. A sub without either character is written as it
 * was, so its keys stored before this still answer.
 */
function callerPart(caller: string): string {
  return /[:%]/.test(caller) ? caller.replace(/%/g, '%25').replace(/:/g, '%3A') : caller;
}
