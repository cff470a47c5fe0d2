import { z } from 'zod';
import type { LineItem } from '../../domain/order.js';
import type { KeyValueStore } from '../../store/types.js';
import { lineTable } from './lines.js';
import type { LineTables } from './webhook.js';

/** Line tables are kept as long as a callback for the order may still come. */
const LINE_TABLE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const LineTable = z.record(z.string(), z.number().int().positive());

/** Each order's Checkout line_id -> Orders API line_id table, in the shared store (callbacks see only the transaction). */
export interface LineTableStore extends LineTables {
  /** Kept for a created order; a store that fails only leaves the authorization's recording to reconciliation. */
  save(dinteroOrderId: string, items: LineItem[]): Promise<void>;
}

export function createLineTableStore(kv: KeyValueStore, accountId: string): LineTableStore {
  const keyOf = (dinteroOrderId: string): string => `dintero:lines:${accountId}:${dinteroOrderId}`;
  return {
    async get(dinteroOrderId) {
      const raw = await kv.get(keyOf(dinteroOrderId));
      return raw === null ? undefined : LineTable.parse(JSON.parse(raw));
    },
    async save(dinteroOrderId, items) {
      await kv.set(keyOf(dinteroOrderId), JSON.stringify(lineTable(items)), LINE_TABLE_TTL_MS).catch(() => undefined);
    },
  };
}
