import { z } from 'zod';
import type { KeyValueStore } from '../../store/types.js';
import type { LineMovement } from './lines.js';

const Journal = z.record(
  z.string(),
  z.object({
    kind: z.enum(['captures', 'refunds']),
    items: z.array(z.object({ line_id: z.number().int(), amount: z.number().int() })),
  }),
);
/** How long the money a change moved is remembered for the next change (a day: longer than any snapshot lives). */
const JOURNAL_TTL_MS = 24 * 60 * 60 * 1000;

/** What one change tells the next: the per-line money it moved (or may have moved). */
export interface MovementJournal {
  /** Movements by their recording id / reference. */
  read(): Promise<Record<string, LineMovement>>;
  add(id: string, movement: LineMovement): Promise<void>;
}

/**
 * What one change of a Dintero order tells the next about the per-line money it moved. Each
 * change works out per-line room from the order's recordings; a change whose money moved but
 * whose recording (or the order's write) never landed, because the instance died in between,
 * would leave the next change counting on the same room, and the Orders API would refuse its
 * recording forever. The journal in the shared store carries those movements to the next change.
 * Its read-modify-write is safe because the domain runs one order's changes one at a time
 * (domain/orders/change-lease.ts), across calls and gateway instances.
 */
export function movementJournal(kv: KeyValueStore, accountId: string, orderId: string): MovementJournal {
  const journalKey = `dintero:moved:${accountId}:${orderId}`;
  const read = async (): Promise<Record<string, LineMovement>> => Journal.parse(JSON.parse((await kv.get(journalKey)) ?? '{}'));
  return {
    read,
    add: async (id, movement) => {
      await kv.set(journalKey, JSON.stringify({ ...(await read()), [id]: movement }), JOURNAL_TTL_MS);
    },
  };
}
