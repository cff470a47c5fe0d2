import type { KeyLayout } from './keys.js';
import { ORDER_BUCKETS } from './keys.js';
import { FINISH_RELAY, OUTBOX_BATCH, RELAY_OUTBOX } from './redis-feed-lua.js';
import type { RedisClient, Write } from './redis-client.js';

/*
 * The transactional outbox of a Redis Cluster (keys.ts, redis-feed-lua.ts). An order's script may
 * not leave the order's slot, and the feed and the index live in the {f} slot, so the script
 * appends the write (its index sets and its changes) to its bucket's outbox stream in the same
 * atomic step as the order, and this relay moves it to the feed and the index:
 *
 *   - right after the write, by the writer (the live path: one more script, as before the outbox),
 *     which then publishes each change with its cursor and deletes the relayed entries;
 *   - by the sweep, for what a writer that died between its two steps left: every
 *     `outboxSweepMs` one instance of the fleet (a lease) reads every bucket's outbox and relays
 *     what it finds, publishing it too.
 *
 * Exactly once: RELAY_OUTBOX keeps, beside the feed, the newest outbox entry id it relayed per
 * bucket, and checks and advances it in the same step as the XADDs; outbox ids only grow per
 * bucket, and the outbox loses an entry only after it was relayed. So a relay of an entry already
 * relayed (the writer and the sweep at once, a repeat after a crash) adds nothing and publishes
 * nothing; the relayer that moved it publishes it.
 *
 * Order: within a bucket (so within an order) cursors follow commit order; across buckets the
 * feed's order is the order the relays ran in, which for live writes is commit order give or take
 * the writes in flight at the same moment, and for a dead writer's change the time the sweep found
 * it. A cursor is a position in that order: `after` a cursor is still exactly what came later.
 */

/** One entry of an outbox stream, as XRANGE (or the order's script) answers it. */
type RawEntry = [id: string, fields: string[]];

interface OutboxEntry {
  id: string;
  orderId: string;
  score: number;
  adds: string[];
  removes: string[];
  eventIds: string[];
  /** The change JSON as the order's script wrote it (no cursor yet: FINISH_RELAY adds it to the history). */
  changes: string[];
}

/** What the order's script stores as the entry's `w` field (the changes follow as `c` fields). */
export interface OutboxWrite {
  o: string;
  s: number;
  a: string[];
  r: string[];
  e: string[];
}

/** The fleet-wide sweep's lease (kv), so one instance a period reads the 1024 outboxes. */
const SWEEP_LEASE = 'lease:outbox-sweep';
/** Outboxes read at once by the sweep: bounded, so one sweep never floods a master. */
const SWEEP_CONCURRENCY = 64;
/** Batches one drain relays before leaving the rest of a bucket to the next sweep. */
const MAX_BATCHES_PER_DRAIN = 16;

/** Where a test may stop a cluster write as if its instance died there (RedisStoreOptions.crashAt). */
export type CrashPoint = 'before-relay' | 'before-publish';

export interface OutboxRelay {
  /**
   * Relays `entries` (the bucket's oldest, as the order's script answered them), publishes the
   * changes relayed here with their cursors, deletes the entries, and goes on while the outbox
   * had more (bounded).
   */
  drain(bucket: number, entries: unknown, own?: { id: string; write: OutboxWrite; changes: string[] }): Promise<void>;
  /** Reads every bucket's outbox and drains what it finds; resolves with how many entries were relayed. */
  sweep(): Promise<number>;
  /** Starts the periodic sweep (every `intervalMs`, one instance a period); returns its stop. */
  start(intervalMs: number, onError: (error: unknown) => void): () => void;
}

export function createOutboxRelay(
  redis: RedisClient,
  write: Write,
  keys: KeyLayout,
  publish: string,
  minId: () => string,
  crashAt: (step: CrashPoint) => boolean,
): OutboxRelay {
  async function relay(bucket: number, batch: OutboxEntry[]): Promise<number> {
    const indexKeys: string[] = [];
    const position = new Map<string, number>();
    const keyAt = (key: string) => {
      let at = position.get(key);
      if (at === undefined) {
        indexKeys.push(key);
        at = indexKeys.length + 2; // KEYS[1] feed, KEYS[2] bookmark
        position.set(key, at);
      }
      return at;
    };
    const args: (string | number)[] = [bucket, minId()];
    for (const entry of batch) {
      args.push(entry.id, entry.orderId, entry.score, entry.adds.length, entry.removes.length);
      args.push(...entry.adds.map(keyAt), ...entry.removes.map(keyAt), entry.eventIds.length, ...entry.eventIds);
    }
    const reply = await RELAY_OUTBOX.run(write, [keys.feed(), keys.relayed(), ...indexKeys], args);
    if (!Array.isArray(reply)) throw new Error('relay: unexpected reply from Redis');
    if (crashAt('before-publish')) throw new Error('crashAt before-publish: the relay stopped before publishing');
    const sent: Promise<unknown>[] = [];
    const histories: string[] = [];
    const cursorsToKeep: (string | number)[] = [];
    let at = 0;
    let relayed = 0;
    for (const entry of batch) {
      const count = Number(reply[at++]);
      if (count < 0) continue;
      relayed++;
      const cursors = reply.slice(at, at + count).map(String);
      at += count;
      let history = histories.indexOf(keys.orderChanges(entry.orderId));
      if (history < 0) history = histories.push(keys.orderChanges(entry.orderId)) - 1;
      entry.eventIds.forEach((eventId, index) => {
        if (cursors[index] !== undefined) cursorsToKeep.push(history + 2, eventId, cursors[index]);
      });
      // Published only now, with their cursors. Not worth a WAIT: pub/sub is at most once anyway,
      // and a subscriber that missed one fills the gap from the history (order-watch.ts).
      entry.changes.forEach((change, index) => {
        sent.push(redis.call(publish, keys.channel(entry.orderId), `{"cursor":"${cursors[index] ?? ''}",${change.slice(1)}`));
      });
    }
    // Relayed (here or before): the outbox lets them go, and the histories get the cursors given
    // here (the bucket's slot, one step). A crash before this step leaves entries the next relay
    // skips (the bookmark) and deletes; their history entries then keep no cursor.
    const ids = batch.map((entry) => entry.id);
    sent.push(FINISH_RELAY.run(write, [keys.outbox(bucket), ...histories], [ids.length, ...ids, ...cursorsToKeep]));
    await Promise.all(sent);
    return relayed;
  }

  async function drain(bucket: number, entries: unknown, own?: { id: string; write: OutboxWrite; changes: string[] }): Promise<number> {
    // The order's script answers the writer's own entry by its id alone (the writer has the rest).
    let batch = parseEntries(entries, own && { ...entryOf(own.id, own.write), changes: own.changes });
    let relayed = 0;
    for (let round = 1; batch.length; round++) {
      relayed += await relay(bucket, batch);
      if (batch.length < OUTBOX_BATCH || round >= MAX_BATCHES_PER_DRAIN) break;
      batch = parseEntries(await redis.xrange(keys.outbox(bucket), '-', '+', 'COUNT', OUTBOX_BATCH));
    }
    return relayed;
  }

  async function sweep(): Promise<number> {
    let relayed = 0;
    for (let start = 0; start < ORDER_BUCKETS; start += SWEEP_CONCURRENCY) {
      const buckets = Array.from({ length: Math.min(SWEEP_CONCURRENCY, ORDER_BUCKETS - start) }, (_, offset) => start + offset);
      const counts = await Promise.all(
        buckets.map(async (bucket) => {
          const found = await redis.xrange(keys.outbox(bucket), '-', '+', 'COUNT', OUTBOX_BATCH);
          return found.length ? drain(bucket, found) : 0;
        }),
      );
      relayed += counts.reduce((sum, count) => sum + count, 0);
    }
    return relayed;
  }

  return {
    drain: async (bucket, entries, own) => {
      await drain(bucket, entries, own);
    },
    sweep,
    start(intervalMs, onError) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        (async () => {
          // One instance a period: the lease ends a little before the next period starts.
          const taken = await redis.set(keys.kv(SWEEP_LEASE), '1', 'PX', Math.max(1, Math.floor(intervalMs * 0.9)), 'NX');
          if (taken === 'OK') await sweep();
        })()
          .catch(onError)
          .finally(() => {
            running = false;
          });
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

const entryOf = (id: string, write: OutboxWrite): OutboxEntry => ({ id, orderId: write.o, score: write.s, adds: write.a, removes: write.r, eventIds: write.e, changes: [] });

/** Our own entries (the order's script wrote them), `own` where its id is; anything else is skipped. */
function parseEntries(reply: unknown, own?: OutboxEntry): OutboxEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: OutboxEntry[] = [];
  for (const raw of reply as RawEntry[]) {
    const [id, fields] = raw;
    if (own && id === own.id) {
      entries.push(own);
      continue;
    }
    let write: OutboxWrite | null = null;
    const changes: string[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'w') write = JSON.parse(fields[i + 1]!) as OutboxWrite;
      else if (fields[i] === 'c') changes.push(fields[i + 1]!);
    }
    if (!write) continue;
    entries.push({ ...entryOf(id, write), changes });
  }
  return entries;
}
