import type { Order } from './order.js';

/** The longest a waiting order goes unread, however long it has waited. */
export const MAX_RECONCILE_DELAY_MS = 5 * 60 * 1000;

/**
 * How long until an order still waiting on its provider is read again. An order that changed a
 * moment ago is read every interval (a buyer is on a payment page right now); one that has
 * waited long is read less often: the delay grows to a tenth of the time since its last change,
 * capped at five minutes. So a checkout left open for a day costs a few hundred reads instead of
 * tens of thousands, and an answer still reaches subscribers within minutes. `intervalMs` is the
 * shortest delay: RECONCILE_INTERVAL_MS, or for a provider that calls back its (longer) grace.
 */
export function reconcileDelayMs(order: Pick<Order, 'updatedAt'>, intervalMs: number, now: number): number {
  const waited = Math.max(0, now - Date.parse(order.updatedAt));
  return Math.max(intervalMs, Math.min(Math.floor(waited / 10), MAX_RECONCILE_DELAY_MS));
}
