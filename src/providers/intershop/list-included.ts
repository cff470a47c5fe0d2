import type { IntershopListedOrders } from './client.js';
import { IntershopOrderData } from './wire.js';

/**
 * The payment ids that more than one list entry names. A list carries one `included` for all its
 * orders, keyed by payment id, and seed §3.2.3 names an order's open tender `open-tender`: an ICM
 * that names every order's so (or reuses any id) has one `included.payments` entry for all of
 * them, some other order's.
 */
export function sharedPaymentIds(entries: readonly unknown[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const entry of entries) {
    const data = IntershopOrderData.safeParse(entry);
    for (const id of new Set(data.success ? (data.data.payments ?? []) : [])) {
      if (seen.has(id)) shared.add(id);
      seen.add(id);
    }
  }
  return shared;
}

/**
 * The list's `included` as one entry reads it: without its `payments` when the entry names a
 * payment id another entry names too (sharedPaymentIds). Before, such an entry took another
 * order's payment, word and amount: an authorized order listed beside a captured one was CAPTURED
 * with the other's amount, and an order made elsewhere was adopted with another's total.
 */
export function includedFor(entry: unknown, included: IntershopListedOrders['included'], shared: ReadonlySet<string>): IntershopListedOrders['included'] {
  if (!included?.payments || !shared.size) return included;
  const data = IntershopOrderData.safeParse(entry);
  if (!data.success || !(data.data.payments ?? []).some((id) => shared.has(id))) return included;
  const { payments: _ambiguous, ...rest } = included;
  return rest;
}
