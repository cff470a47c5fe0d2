import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../../store/types.js';
import { CLAIM_TTL_MS } from '../answered-orders.js';

/**
 * What Pei held under a client's Reference just before the gateway sent a charge under it (round
 * twenty-nine), kept for the retry. A lost charge's search on the call itself rules out an earlier
 * purchase under a reused Reference ("SUB-42" billed every month) by what Pei listed before the call
 * (lost-answer.ts sendOrFind). The client's retry, where Pei's listing lagged the call, searched
 * without it and placed the order in time instead: made since five minutes before the call by Pei's
 * `created` against the gateway's clock. At a Pei whose clock runs seven minutes or more behind,
 * the charge Pei made was "before the call", taken for an earlier purchase, and the retry charged
 * the buyer a second time. Noted before the charge is sent, so a retry after a crash knows it too.
 *
 * Best effort: a store that fails here leaves the retry placing orders in time, as before, and
 * never fails the charge. Kept as long as answered-orders.ts' claims.
 */
export interface HeldBefore {
  /** Notes the Pei order ids held under the Reference before gateway order `orderId`'s charge was sent. */
  note(orderId: string, held: ReadonlySet<string>): Promise<void>;
  /** What was noted for gateway order `orderId`, if anything. */
  of(orderId: string): Promise<ReadonlySet<string> | undefined>;
}

export function peiHeldBefore(kv: KeyValueStore): HeldBefore {
  const keyOf = (orderId: string) => `pei:held-before:${createHash('sha256').update(orderId).digest('base64url')}`;
  return {
    note: async (orderId, held) => {
      await kv.set(keyOf(orderId), JSON.stringify([...held]), CLAIM_TTL_MS).catch(() => undefined);
    },
    of: async (orderId) => {
      const noted = await kv.get(keyOf(orderId)).catch(() => null);
      if (noted === null) return undefined;
      try {
        const ids = JSON.parse(noted) as unknown;
        return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? new Set(ids as string[]) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
