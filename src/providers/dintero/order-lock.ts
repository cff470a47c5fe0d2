import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { providerUnavailable } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import type { LineMovement } from './lines.js';

export interface OrderLocksOptions {
  kv: KeyValueStore;
  accountId: string;
  /** How long to wait for another holder before answering PROVIDER_UNAVAILABLE, ms. */
  waitMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const WAIT_STEP_MS = 50;
const Journal = z.record(
  z.string(),
  z.object({
    kind: z.enum(['captures', 'refunds']),
    items: z.array(z.object({ line_id: z.number().int(), amount: z.number().int() })),
  }),
);
/** How long the money moved under the lock is remembered for the next holder (a day: longer than any snapshot lives). */
const JOURNAL_TTL_MS = 24 * 60 * 60 * 1000;

/** What one lock holder tells the next: the per-line money it moved (or may have moved). */
export interface MovementJournal {
  /** Movements by their recording id / reference. */
  read(): Promise<Record<string, LineMovement>>;
  add(id: string, movement: LineMovement): Promise<void>;
}

/**
 * Changes to one Dintero order one at a time, across calls and gateway instances. Each change
 * works out per-line room from the order's recordings; two changes working from the same snapshot
 * would both count on the same room and the Orders API would refuse the second recording forever.
 * The lock (`setIfAbsent` with a TTL in the shared store) serialises them, and the journal under
 * it carries what each holder moved to the next, whose order snapshot may predate it.
 */
export class OrderLocks {
  constructor(private readonly options: OrderLocksOptions) {}

  async withLock<T>(orderId: string, ttlMs: number, work: (journal: MovementJournal) => Promise<T>): Promise<T> {
    const { kv, accountId } = this.options;
    const key = `dintero:lock:${accountId}:${orderId}`;
    const holder = randomUUID();
    const deadline = this.options.now() + this.options.waitMs;
    while (!(await kv.setIfAbsent(key, holder, ttlMs))) {
      if (this.options.now() >= deadline) {
        throw providerUnavailable('Dintero', new Error('another change to this order is still in progress'));
      }
      await this.options.sleep(WAIT_STEP_MS);
    }
    const journalKey = `dintero:moved:${accountId}:${orderId}`;
    const journal: MovementJournal = {
      read: async () => Journal.parse(JSON.parse((await kv.get(journalKey)) ?? '{}')),
      add: async (id, movement) => {
        const known = Journal.parse(JSON.parse((await kv.get(journalKey)) ?? '{}'));
        await kv.set(journalKey, JSON.stringify({ ...known, [id]: movement }), JOURNAL_TTL_MS);
      },
    };
    try {
      return await work(journal);
    } finally {
      await kv.deleteIfEquals(key, holder).catch(() => undefined); // else it expires with its TTL
    }
  }
}
