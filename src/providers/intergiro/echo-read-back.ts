import { GatewayError } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import { failedCancelOf, failedChargeOf } from './amounts.js';
import { rejectionDetailsOfFail } from './mapping.js';
import type { ReadBack } from './refused-batch.js';

/**
 * A capture or cancel Intergiro echoed without a `fail` is checked by reading the order back. The
 * seed's PATCH answer is "the same changes you requested", dated or not, so an echo says nothing
 * of the outcome: an Intergiro may take the PATCH, record a change it cannot carry out as a `fail`
 * event on the order (CONTRACT §8: it "leaves the status as it was") and tell it only by callback.
 * Taken as done, a capture of an order cancelled at Intergiro itself was answered CAPTURED (and a
 * cancel of one it had charged CANCELLED, final), and the callback could not move it back (a
 * status never moves backwards). Where the read shows the failed charge and no charge that went through, the capture
 * is refused (PROVIDER_REJECTED, in the fail's words), and so is a refund of the same element
 * (nothing was charged to refund); where it shows a failed cancel and the order not cancelled, the
 * cancel is. The read is then the element's fact. Any other read (no events, nothing failed:
 * Intergiro may still be at work) or none at all leaves the echo's answer; a change refused there
 * that Intergiro still carries out is told by its callback, and sent again it is refused by the
 * order's state (one charge, one cancel). Refunds alone are not read back: one Intergiro carries
 * out after answering would look refused, and its retry would refund twice.
 */
export async function checkEchoedChanges(
  requests: OrderChangeRequest[],
  results: OrderChangeResult[],
  read: (order: Order) => Promise<ReadBack | null>,
): Promise<OrderChangeResult[]> {
  return Promise.all(
    results.map(async (result, index): Promise<OrderChangeResult> => {
      const { order, changes } = requests[index]!;
      const capturing = changes.some((change) => change.type === 'CAPTURE');
      const cancelling = changes.some((change) => change.type === 'CANCEL');
      if (!result.ok || !(capturing || cancelling)) return result;
      const readBack = await read(order).catch(() => null);
      if (!readBack) return result;
      const failedCharge = capturing ? failedChargeOf(readBack.order) : undefined;
      const failedCancel = cancelling ? failedCancelOf(readBack.order) : undefined;
      const failed = failedCharge ?? failedCancel;
      if (!failed) return result;
      const details = rejectionDetailsOfFail(failed.error);
      const refused = (change: OrderChange) => (failedCharge !== undefined && (change.type === 'CAPTURE' || change.type === 'REFUND')) || (failedCancel !== undefined && change.type === 'CANCEL');
      return {
        ok: false,
        error: new GatewayError('PROVIDER_REJECTED', details.message, details),
        observations: [readBack.fact],
        applied: changes.map((change) => !refused(change)),
      };
    }),
  );
}
