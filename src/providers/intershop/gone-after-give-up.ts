import { GatewayError } from '../../domain/errors.js';
import { zero } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { IntershopClient } from './client.js';
import { CATCH_UP_WAITS_MS, readCaughtUp } from './read-back.js';
import type { IntershopContinueRequest, IntershopOrderDocument } from './wire.js';

/*
 * The buyer's CANCEL or FAILURE from the PSP's page (seed §3.2.4) at an ICM that no longer has
 * the order afterwards. Seed §3.2.5: "The payment failed or the user canceled the payment on the
 * PSP pages. The order was rolled back and the basket restored"; the Intershop PWA's order
 * service says of the same request "If cancel/failure is sent back as redirect status, the order
 * doesn't exist any more", and an ICM that answers that PATCH with 204 (no body; the seed promises
 * none) leaves nothing to read. Before, the continue was PROVIDER_UNAVAILABLE (a 2xx without a
 * body whose read is 404) or PROVIDER_REJECTED (a CONTINUE refused 404 after the PSP's no had
 * removed the order), and the order stayed ACTION_REQUIRED at the PSP's page for good (its
 * re-reads answer 404 too): a rollback ICM had acknowledged was never shown.
 */

/** Info on a continue whose rollback is read from the order being gone (see goneAfterGivingUp). */
export const ORDER_GONE_INFO = 'intershop.order_gone';

/** Whether the CONTINUE carries the buyer's CANCEL or FAILURE from the PSP's page (seed §3.2.4). */
export function givesUp(request: IntershopContinueRequest): boolean {
  const redirect = request.orderCreation.redirect;
  return 'status' in redirect && redirect.status !== 'SUCCESS';
}

/**
 * After a CONTINUE with the buyer's CANCEL or FAILURE that ICM took without saying where the chain
 * is (a 2xx without a body), or refused: the order rolled back, as a ROLLED_BACK answer would say,
 * when ICM no longer has it (reads answer 404, asked again after `waitsMs` in case of a node behind).
 * Null for a SUCCESS (a 404 then says nothing of the PSP's answer), and while ICM still has the
 * order or cannot be read: the caller goes on as before. Only for an order the gateway already
 * knows at ICM, PATCHed at the same base URL (so a 404 is not a wrong site).
 */
export async function goneAfterGivingUp(client: IntershopClient, id: string, request: IntershopContinueRequest, waitsMs: readonly number[] = CATCH_UP_WAITS_MS): Promise<IntershopOrderDocument | null> {
  if (!givesUp(request)) return null;
  const read = await readCaughtUp(client, id, () => false, waitsMs).catch((error: unknown) => {
    if (error instanceof GatewayError) return undefined;
    throw error;
  });
  if (read !== null) return null;
  return {
    data: { id, orderCreation: { status: 'ROLLED_BACK' } },
    infos: [{ code: ORDER_GONE_INFO, message: "ICM took the buyer's return from the PSP's page and no longer has the order: rolled back, its basket restored" }],
  };
}

/**
 * A rolled-back continue's fact whose answer named no payments (the order gone, or a thin answer):
 * the order's own payments, voided as a rollback voids them (§3.2.5's AUTHORIZATIONVOIDED), nothing
 * captured. Before, they stayed PENDING on a CANCELLED order.
 */
export function voidedWhenRolledBack(order: Order, observation: ProviderObservation): ProviderObservation {
  if (observation.creation?.status !== 'ROLLED_BACK' || observation.payments?.length || !order.payments.length) return observation;
  return {
    ...observation,
    payments: order.payments.map((payment) => ({ ...payment, status: 'VOIDED', capturedAmount: zero(payment.amount.currency), refundedAmount: zero(payment.amount.currency) })),
  };
}
