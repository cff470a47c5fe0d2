import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { loneUnmatched } from './lone-unmatched.js';

/**
 * The observation's payments under the ids the order already has them by. Seed §2.2's POST answer
 * names the open tender by an id (`lgAKAB2_...`), §3.2.3's and §3.2.4's PATCH answers name it
 * `open-tender`: an ICM may do both for one order. Payments merge by id (a payment's status never
 * moves back), so before, such an order gained a second payment of the full amount beside the
 * first, which stayed PENDING for good: its payments added up to twice its total. When exactly one
 * payment of the answer is new to the order and exactly one of the order's is not in the answer,
 * with the same amount, they are the same payment (lone-unmatched.ts, as mapping.ts resourceEntries
 * matches the payments resource's), and it keeps the id the gateway shows.
 */
export function knownPaymentIds(order: Order, observation: ProviderObservation): ProviderObservation {
  const payments = observation.payments;
  if (!payments?.length || !order.payments.length) return observation;
  const idOf = (payment: { id: string }) => payment.id;
  const pair = loneUnmatched(payments, idOf, order.payments, idOf);
  if (!pair) return observation;
  const [renamed, kept] = pair;
  // Both sides carry an amount here (the payments resource's side does not in resourceEntries):
  // a payment of another amount is another payment.
  if (renamed.amount.currency !== kept.amount.currency || renamed.amount.minor !== kept.amount.minor) return observation;
  return { ...observation, payments: payments.map((payment) => (payment === renamed ? { ...payment, id: kept.id } : payment)) };
}
