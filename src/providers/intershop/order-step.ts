import type { Order, OrderCreation } from '../../domain/order.js';

/** The order's chain step as the gateway last recorded it, on chain.ts chainStep's scale. */
export function orderStep(order: Order): number | undefined {
  return creationStep(order.creation);
}

/** A creation's chain step in the gateway's terms (an order's, or a fact's), on chain.ts chainStep's scale. */
export function creationStep(creation: OrderCreation): number | undefined {
  const { status, stopAction } = creation;
  if (status === 'COMPLETED' || status === 'ROLLED_BACK') return 4;
  if (status !== 'STOPPED' || !stopAction) return undefined;
  if (stopAction.type === 'REDIRECT') return 2;
  if (stopAction.type !== 'WORKFLOW') return undefined;
  if (stopAction.reason === 'redirect_urls_required') return 0;
  if (stopAction.reason === 'waiting_for_pending_payments') return 3;
  return 1;
}

/** Whether `step` is an earlier step of the chain than `than` (chain.ts chainStep); an unknown step is behind nothing. */
export function stepBehind(step: number | undefined, than: number | undefined): boolean {
  return step !== undefined && than !== undefined && step < than;
}

/**
 * Whether the order had reached the PSP before this answer (at its page, or ICM waiting on its
 * notification): a COMPLETED chain then is the PSP's yes, whatever payment word from before it an
 * answer still carries (mapping.ts withoutStaleWords).
 */
export function afterPsp(order: Order): boolean {
  const stop = order.creation.stopAction;
  return stop?.type === 'REDIRECT' || (stop?.type === 'WORKFLOW' && stop.reason === 'waiting_for_pending_payments');
}
