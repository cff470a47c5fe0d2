import type { Order, OrderStatusChange } from '../domain/order.js';
import { isFinal } from '../domain/status.js';

/**
 * How many changes each order's history keeps (the newest ones). A subscriber resuming further
 * back than that gets the newest `DEFAULT_HISTORY_LIMIT` only; at one change per status event an
 * order never comes close, so the cap only guards Redis memory against a runaway writer.
 */
export const DEFAULT_HISTORY_LIMIT = 1000;

/** The `historyLimit` option of both stores, checked: a whole number of changes, at least 1. */
export function historyLimitOf(value: number | undefined): number {
  const limit = value ?? DEFAULT_HISTORY_LIMIT;
  // 0 would be worse than refused: Redis reads `LTRIM key -0 -1` as "keep everything".
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`historyLimit must be a whole number of changes >= 1, got ${limit}`);
  }
  return limit;
}

/**
 * The changes a write publishes: one per event of `next` beyond the events of `previous` (all of
 * them for a new order) but quiet ones, oldest first. Every change carries `next`, the order as stored by that
 * write, so a subscriber never has to read the order back.
 */
export function changesBetween(previous: Order | null, next: Order): OrderStatusChange[] {
  const known = previous?.events.length ?? 0;
  // A quiet event (a late provider message that changed nothing) stays in the order's events only.
  return next.events.slice(known).filter((event) => !event.quiet).map((event) => ({
    eventId: event.id,
    order: next,
    previousStatus: event.previousStatus,
    status: event.status,
    source: event.source,
    at: event.at,
    final: isFinal(event.status),
  }));
}

/**
 * Guards the history invariant before a write: `mutate` may only append events to the order it
 * was given. Dropping events would silently lose published history (and the "new events" would
 * be computed wrongly), so it is a programming error, not a conflict to retry.
 */
export function assertSuccessor(previous: Order, next: Order): void {
  if (next.id !== previous.id) {
    throw new Error(`update of order ${previous.id} returned order ${next.id}`);
  }
  if (next.events.length < previous.events.length) {
    throw new Error(
      `update of order ${previous.id} dropped events (${previous.events.length} -> ${next.events.length}); events are append-only`,
    );
  }
}
