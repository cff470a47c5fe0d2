import { randomUUID } from 'node:crypto';
import { invalidState } from '../errors.js';
import type { Money } from '../money.js';
import { paymentTotals, rememberKeys } from '../observation.js';
import { projectOrderChange, type OrderChange, type OrderEventType } from '../order-events.js';
import type { Order } from '../order.js';
import { isFinal } from '../status.js';

/**
 * Intent before call: a capture, refund or cancel is written on the order (`pendingOperations`)
 * under its change lease before the provider is asked, and counts against the bounds from then
 * on. The provider's answer settles it (removed in the write that records the effect). An answer
 * that never came (a timeout, a reset, a crash, the store down after the call) leaves it pending:
 * it is then resolved by reading the provider (reconciliation, see `resolvePending`), never by
 * sending it again.
 */
export interface PendingOperation {
  id: string;
  type: OrderEventType;
  amount?: Money;
  items?: { lineId: string; amount: Money }[];
  /** The change's request key (from its idempotency key): a retry with it waits for the resolution. */
  requestKey?: string;
  /** When it was written (ISO): past `PENDING_OPERATION_BOUND_MS` without a sign of it, it is dropped as not done. */
  since: string;
  /** The order's figure once it took effect (minor units), to recognise it in a provider's read-back. */
  expect: { captured?: number; refunded?: number; cancelled?: true };
}

/**
 * How long an operation the provider's figures do not show stays pending before it counts as
 * never done. Long enough for a provider that records late (Dintero's own bound is the same).
 */
export const PENDING_OPERATION_BOUND_MS = 10 * 60_000;

/** The intents of one element's changes; `before` is the order they are checked against (pending ones projected). */
export function intentsOf(before: Order, changes: OrderChange[], now: Date): PendingOperation[] {
  let projected = before;
  return changes.map((change) => {
    projected = projectOrderChange(projected, change);
    const totals = paymentTotals(projected);
    const expect = change.type === 'CANCEL' ? { cancelled: true as const } : change.type === 'CAPTURE' ? { captured: totals.captured.minor } : { refunded: totals.refunded.minor };
    return {
      id: randomUUID(),
      type: change.type,
      ...(change.amount ? { amount: change.amount } : {}),
      ...(change.items ? { items: change.items } : {}),
      ...(change.requestKey ? { requestKey: change.requestKey } : {}),
      since: now.toISOString(),
      expect,
    };
  });
}

/** The order as its pending operations will leave it: what a new change is checked against. */
export function withPending(order: Order): Order {
  return (order.pendingOperations ?? []).reduce((projected, operation) => projectOrderChange(projected, operation), order);
}

/** A retry of a change whose first attempt is still pending is answered this, never sent again. */
export function refuseWhilePending(order: Order, requestKey: string): void {
  if (order.pendingOperations?.some((operation) => operation.requestKey === requestKey)) {
    throw invalidState('This change was sent and its outcome is still being resolved with the provider; retry with the same idempotency key later');
  }
}

/** Removes the named intents (settled by the provider's answer); null when none of them is there. */
export function withoutIntents(order: Order, ids: readonly string[]): Order | null {
  const pending = order.pendingOperations ?? [];
  const left = pending.filter((operation) => !ids.includes(operation.id));
  if (left.length === pending.length) return null;
  return { ...order, pendingOperations: left };
}

/**
 * Resolves pending operations against the order's figures as the provider last reported them:
 * one the figures show is settled as done (its request key remembered, so a retry answers the
 * order); one they do not show after `PENDING_OPERATION_BOUND_MS`, or on an order that is final
 * otherwise, is dropped as not done. Null when nothing changes.
 */
export function resolvePending(order: Order, now: Date): Order | null {
  const pending = order.pendingOperations ?? [];
  if (!pending.length) return null;
  const totals = paymentTotals(order);
  const done: PendingOperation[] = [];
  const left: PendingOperation[] = [];
  for (const operation of pending) {
    const { expect } = operation;
    const shown =
      (expect.captured !== undefined && totals.captured.minor >= expect.captured) ||
      (expect.refunded !== undefined && totals.refunded.minor >= expect.refunded) ||
      (expect.cancelled === true && order.status === 'CANCELLED');
    const hopeless = now.getTime() - Date.parse(operation.since) > PENDING_OPERATION_BOUND_MS || (isFinal(order.status) && !shown);
    if (shown) done.push(operation);
    else if (!hopeless) left.push(operation);
  }
  if (left.length === pending.length) return null;
  const resolved = { ...order, pendingOperations: left };
  const keys = done.flatMap((operation) => (operation.requestKey ? [operation.requestKey] : []));
  return rememberKeys(resolved, resolved, keys) ?? resolved;
}
