import { createHash } from 'node:crypto';
import type { Money } from '../../domain/money.js';
import type { KeyValueStore } from '../../store/types.js';

/**
 * Which gateway order a Payway purchase event is about. Payway's `pending` answer names no order,
 * so the later `order_closed` / `payment_failure` event can only be matched through what the
 * gateway sent: the purchase's `merchant_reference` (the client's, or else the gateway's own
 * order id). Before calling place_order the adapter records reference -> order here, in the
 * store shared by every gateway instance, with the price the event does not carry.
 *
 * A client may reuse a reference (a campaign code) for several purchases: then the reference no
 * longer tells them apart and is marked ambiguous, so an event is never applied to the wrong
 * order (it waits, parked, under Payway's order id instead).
 */
export interface PurchaseEntry {
  orderId: string;
  total: Money;
  method: string;
}

/** Pending purchases settle within days; the index outlives that comfortably. */
const KEPT_MS = 30 * 24 * 60 * 60 * 1000;
const AMBIGUOUS = '{"ambiguous":true}';

const keyOf = (reference: string): string => `payway:purchase:${createHash('sha256').update(reference).digest('base64url')}`;

export class PurchaseIndex {
  constructor(private readonly kv: KeyValueStore) {}

  async remember(reference: string, entry: PurchaseEntry): Promise<void> {
    const key = keyOf(reference);
    const value = JSON.stringify(entry);
    if (await this.kv.setIfAbsent(key, value, KEPT_MS)) return;
    const existing = this.parse(await this.kv.get(key));
    if (existing?.orderId !== entry.orderId) await this.kv.set(key, AMBIGUOUS, KEPT_MS);
  }

  /** The one order that sent `reference`, or null when none or several did. */
  async find(reference: string): Promise<PurchaseEntry | null> {
    return this.parse(await this.kv.get(keyOf(reference)));
  }

  private parse(raw: string | null): PurchaseEntry | null {
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<PurchaseEntry> & { ambiguous?: boolean };
    if (value.ambiguous || !value.orderId || !value.total || !value.method) return null;
    return { orderId: value.orderId, total: value.total, method: value.method };
  }
}
