import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { OrderChangeResult } from '../../domain/provider-port.js';

/**
 * Round twenty-six (round seven's race, left by round twenty-five): the answer to a capture or
 * refund of an order on which an earlier capture or refund is still pending (sent, its answer
 * lost) also records what the read back showed, after the echo's facts.
 *
 * The echo's facts are the gateway's projection of this change onto the order as it stored it
 * (mapping.ts observationOfAppliedChange), and that order does not count the earlier change: it
 * cannot, as whether it went through is unknown. Two refunds of 5.00, the first answered past the
 * gateway's bound: the second's echo said 5.00 refunded in all. The domain settles a pending
 * operation once the order's figure reaches the one it expected (pending-operations.ts
 * resolvePending: the first refund expected 5.00), so that echo settled the first refund as done
 * without counting it; nothing was pending any more, no re-read came, and the order showed 5.00
 * refunded for good where Intergiro held 10.00. It showed 10.00 only where the poller's re-read
 * happened to land between the first answer's loss and the second's echo (hence "varies from run
 * to run"). The read back (echo-read-back.ts) had already listed both refunds; its fact was
 * dropped because the echo's answer stood.
 *
 * Read after the echo's, the read's figures are what Intergiro holds (amounts only grow, and a
 * read never counts a change it does not show: where the earlier one did not go through, the read
 * shows this one alone). Only with an earlier change pending (otherwise the echo's projection is
 * the order's figure), and only where the read shows more captured or refunded than the echo's
 * facts: a read that shows no more (one without events, its word kept `charged`) would only add a
 * stale word to the history.
 */
export function withReadOfEarlierUnknown(order: Order, result: OrderChangeResult, read: ProviderObservation): OrderChangeResult {
  if (!result.ok) return result;
  const earlierUnknown = (order.pendingOperations ?? []).some((operation) => operation.type === 'CAPTURE' || operation.type === 'REFUND');
  if (!earlierUnknown) return result;
  const echoed = movedIn(result.observations.at(-1));
  const shown = movedIn(read);
  return shown.captured > echoed.captured || shown.refunded > echoed.refunded ? { ok: true, observations: [...result.observations, read] } : result;
}

/** Captured and refunded in all (minor units) as a fact's payments say; nothing where it names none. */
function movedIn(fact: ProviderObservation | undefined): { captured: number; refunded: number } {
  const payments = fact?.payments ?? [];
  return {
    captured: payments.reduce((sum, payment) => sum + payment.capturedAmount.minor, 0),
    refunded: payments.reduce((sum, payment) => sum + payment.refundedAmount.minor, 0),
  };
}
