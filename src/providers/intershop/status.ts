import { assertNever, providerUnavailable } from '../../domain/errors.js';
import type { OrderStatus, PaymentStatus } from '../../domain/status.js';
import type { IntershopExitReason, IntershopOrderCreation, IntershopPaymentStatus } from './wire.js';

/*
 * ICM's status words in the gateway's terms (CONTRACT §7, seed §3.2.5): explicit tables, each a
 * switch over every word ending in assertNever. Pure.
 */

const PROVIDER = 'Intershop';

/** An order's status from its creation chain and the payment word that decides it (see decidingPaymentWord). */
export function orderStatusOf(creation: IntershopOrderCreation, payment: IntershopPaymentStatus | undefined): OrderStatus {
  switch (creation.status) {
    case 'STOPPED': {
      const stop = creation.stopAction;
      if (!stop) throw providerUnavailable(PROVIDER, new Error('STOPPED without a stopAction'));
      switch (stop.type) {
        case 'Redirect':
          return 'ACTION_REQUIRED';
        case 'Workflow':
          return workflowStatus(stop.exitReason);
        default:
          return assertNever(stop.type, 'ICM stop action type');
      }
    }
    case 'ROLLED_BACK':
      return 'CANCELLED';
    case 'COMPLETED':
      return completedStatus(payment);
    default:
      return assertNever(creation.status, 'ICM order creation status');
  }
}

/**
 * A Workflow stop.
 * - `redirect_urls_required`: the client must send its return URLs (continueOrderCreation).
 * - `waiting_for_pending_payments`: the PSP's notification settles it; the gateway polls (bounded).
 * - `recurring.order` (CONTRACT §8; the seed does not describe it): ICM stored the basket as a
 *   recurring order (a subscription) instead of placing an order now. Nothing continues it and no
 *   payment follows through this order, so it is not ACTION_REQUIRED (nobody can act) nor PENDING
 *   (nothing is coming): it is CREATED, "accepted upstream, not paid", and never polled. The orders
 *   ICM later places from the subscription are ICM's own and show up in `orders`.
 */
export function workflowStatus(reason: IntershopExitReason | undefined): OrderStatus {
  switch (reason) {
    case 'redirect_urls_required':
      return 'ACTION_REQUIRED';
    case 'waiting_for_pending_payments':
      return 'PENDING';
    case 'recurring.order':
      return 'CREATED';
    case undefined:
      throw providerUnavailable(PROVIDER, new Error('a Workflow stop without an exitReason'));
    default:
      return assertNever(reason, 'ICM exit reason');
  }
}

/**
 * A COMPLETED chain: ICM placed the order (seed §3.2.5: "Final state. Order was created."), and
 * the order API will say nothing more about it. Its status is as far as its payment went:
 * - AUTHORIZED / CAPTURED: as the seed's table says;
 * - Unprocessed or PENDING: a method ICM settles outside the PSP flow (invoice, cash on delivery,
 *   seed §3.1): placed, money not reserved. PENDING ("outcome not known yet"), read again for a
 *   while (see needsReconciliation). After the PSP's yes such a word is stale and not read at all
 *   (mapping.ts withoutStaleWords);
 * - no payment word at all (payments not included, or carrying no status, as §3.1 shows them):
 *   the seed's table pairs COMPLETED with AUTHORIZED or CAPTURED only, so the lesser, AUTHORIZED.
 *   (PENDING here would leave a paid order "outcome unknown" for good: a COMPLETED chain is not
 *   read again.)
 * - AUTHORIZATIONVOIDED: the authorization was voided: CANCELLED.
 */
export function completedStatus(payment: IntershopPaymentStatus | undefined): OrderStatus {
  switch (payment) {
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'CAPTURED':
      return 'CAPTURED';
    case 'Unprocessed':
    case 'PENDING':
      return 'PENDING';
    case undefined:
      return 'AUTHORIZED';
    case 'AUTHORIZATIONVOIDED':
      return 'CANCELLED';
    default:
      return assertNever(payment, 'ICM payment status');
  }
}

/** One payment's own status word. */
export function paymentStatusOf(word: IntershopPaymentStatus): PaymentStatus {
  switch (word) {
    case 'Unprocessed':
    case 'PENDING':
      return 'PENDING';
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'CAPTURED':
      return 'CAPTURED';
    case 'AUTHORIZATIONVOIDED':
      return 'VOIDED';
    default:
      return assertNever(word, 'ICM payment status');
  }
}

/** A payment without a status word: as far as its order got (seed §3.2.5 pairs the two columns). */
export function paymentStatusOfOrder(order: OrderStatus): PaymentStatus {
  switch (order) {
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'CAPTURED':
      return 'CAPTURED';
    case 'CANCELLED':
      return 'VOIDED';
    default:
      return 'PENDING';
  }
}

/** How far a payment word got, for choosing the one that holds an order back (lowest first). */
function paymentProgress(word: IntershopPaymentStatus): number {
  switch (word) {
    case 'AUTHORIZATIONVOIDED':
      return 0;
    case 'Unprocessed':
      return 1;
    case 'PENDING':
      return 2;
    case 'AUTHORIZED':
      return 3;
    case 'CAPTURED':
      return 4;
    default:
      return assertNever(word, 'ICM payment status');
  }
}

/**
 * The payment word an order's status follows. Seed §3.1: an order is paid by limited tenders
 * (gift cards, vouchers) and one open tender (the PSP payment, `openTender: true`), which pays
 * the rest and is what the creation chain waits on; so the open tender decides. Without an open
 * tender flag every payment counts and the one that got least far decides (a voided one voids the
 * order, an authorization next to a capture is an authorization). None with a word: undefined.
 * A payment without a word (or with a stale one, mapping.ts withoutStaleWords) beside others
 * that have one got at least as far as AUTHORIZED, the lesser word §3.2.5 pairs with COMPLETED,
 * and no further that the gateway can tell: so a CAPTURED beside it is AUTHORIZED. Before, it said
 * nothing, and a gift card captured at checkout (§3.1's payments carry no `openTender`) made an
 * order whose PSP payment was only authorized CAPTURED, that payment shown captured too.
 */
export function decidingPaymentWord(payments: readonly { status: IntershopPaymentStatus | undefined; openTender?: boolean | undefined }[]): IntershopPaymentStatus | undefined {
  const open = payments.filter((payment) => payment.openTender === true);
  const candidates = open.length ? open : payments;
  let deciding: IntershopPaymentStatus | undefined;
  for (const { status } of candidates) {
    if (status === undefined) continue;
    if (deciding === undefined || paymentProgress(status) < paymentProgress(deciding)) deciding = status;
  }
  if (deciding === 'CAPTURED' && candidates.some(({ status }) => status === undefined)) return 'AUTHORIZED';
  return deciding;
}

/** The history entry's type: the stop's reason, or how the chain ended. */
export function factType(creation: IntershopOrderCreation): string {
  switch (creation.status) {
    case 'STOPPED':
      return creation.stopAction?.type === 'Redirect' ? 'redirect' : (creation.stopAction?.exitReason ?? 'stopped');
    case 'COMPLETED':
      return 'completed';
    case 'ROLLED_BACK':
      return 'rolled_back';
    default:
      return assertNever(creation.status, 'ICM order creation status');
  }
}
