import { z } from 'zod';
import { money } from '../../domain/money.js';
import type { LineItem } from '../../domain/order.js';
import type { KeyValueStore } from '../../store/types.js';
import { lineTable } from './lines.js';
import type { LineTables } from './webhook.js';

/** Line tables are kept as long as a callback for the order may still come. */
const LINE_TABLE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const LineTable = z.record(z.string(), z.number().int().positive());
const OrderTotal = z.object({ currency: z.string(), minor: z.number().int().nonnegative() });

/** Each order's Checkout line_id -> Orders API line_id table, in the shared store (callbacks see only the transaction). */
export interface LineTableStore extends LineTables {
  /** Kept for a created order; a store that fails only leaves the authorization's recording to reconciliation. */
  save(dinteroOrderId: string, items: LineItem[]): Promise<void>;
}

export function createLineTableStore(kv: KeyValueStore, accountId: string): LineTableStore {
  const keyOf = (dinteroOrderId: string): string => `dintero:lines:${accountId}:${dinteroOrderId}`;
  /** The order's total (the session's amount), so a callback's transaction can be read in its units (binding.ts inMinorUnits). */
  const totalKeyOf = (dinteroOrderId: string): string => `dintero:total:${accountId}:${dinteroOrderId}`;
  return {
    async get(dinteroOrderId) {
      const raw = await kv.get(keyOf(dinteroOrderId));
      return raw === null ? undefined : LineTable.parse(JSON.parse(raw));
    },
    async save(dinteroOrderId, items) {
      await kv.set(keyOf(dinteroOrderId), JSON.stringify(lineTable(items)), LINE_TABLE_TTL_MS).catch(() => undefined);
      const currency = items[0]?.amount.currency;
      if (currency) {
        const total = money(currency, items.reduce((sum, item) => sum + item.amount.minor, 0));
        await kv.set(totalKeyOf(dinteroOrderId), JSON.stringify(total), LINE_TABLE_TTL_MS).catch(() => undefined);
      }
    },
    async total(dinteroOrderId) {
      const raw = await kv.get(totalKeyOf(dinteroOrderId)).catch(() => null);
      if (raw === null) return undefined;
      const parsed = OrderTotal.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    },
  };
}
