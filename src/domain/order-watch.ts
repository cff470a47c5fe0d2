import type { ChangeHub, TakeResult } from '../store/change-hub.js';
import { HistoryExpiredError } from '../store/feed.js';
import type { OrderStore } from '../store/types.js';
import { historyExpired } from './errors.js';
import type { Order, OrderStatusChange } from './order.js';
import { isFinal } from './status.js';

/**
 * The snapshot message `orderStatusChanged` starts with (CONTRACT "Snapshot first"). `cursor`:
 * the feed position the state reflects (OrderStore.snapshot), so a client that keeps the last
 * cursor it saw and resumes `orderUpdates(after:)` with it gets every later change of the order
 * and none the snapshot already showed.
 */
export function snapshotOf(order: Order, cursor: string): OrderStatusChange {
  const last = order.events[order.events.length - 1];
  return {
    eventId: last?.id ?? '0',
    order,
    previousStatus: null,
    status: order.status,
    source: last?.source ?? 'CLIENT',
    at: last?.at ?? order.updatedAt,
    final: isFinal(order.status),
    cursor,
  };
}

/**
 * Sends the message for a live change straight to the subscriber, past the async iterators of
 * the executor and the transport (server/shared-push.ts); false when it did not, and the change
 * must be yielded as usual.
 */
export type PushChange = (change: OrderStatusChange) => boolean;

/**
 * The messages of `orderStatusChanged(orderId, after)`: without `after`, the current state first,
 * then every later change; with `after`, the stored changes after that event, then live ones.
 *
 * No gap and no duplicate: the live feed is joined *before* the store is read, changes that
 * arrive meanwhile are buffered, and anything not newer than the last message sent is dropped.
 * The stream ends after a final status: nothing can follow it.
 *
 * With `push`, a live change that arrives while every earlier message has been sent, and that is
 * the very next event, is handed to `push` in the feed's dispatch instead of being yielded; one
 * that is not (a gap to fill from the store, a change `push` refuses, anything while earlier ones
 * are still on their way) is yielded as without it, so the messages are the same either way.
 */
export async function* watchOrder(
  deps: { orders: OrderStore; hub: ChangeHub },
  order: Order,
  after: number | null,
  signal?: AbortSignal,
  push?: PushChange,
): AsyncGenerator<OrderStatusChange> {
  const live = deps.hub.open(order.id);
  try {
    await live.ready;
    let lastSent: number;
    if (after === null) {
      const state = await deps.orders.snapshot(order.id);
      const snapshot = snapshotOf(state.order ?? order, state.cursor);
      yield snapshot;
      if (snapshot.final) return;
      lastSent = Number(snapshot.eventId);
    } else {
      lastSent = after;
      for (const change of await storedAfter(deps.orders, order.id, after)) {
        yield change;
        lastSent = Number(change.eventId);
        if (change.final) return;
      }
    }
    const take = push
      ? (change: OrderStatusChange): TakeResult => {
          const eventId = Number(change.eventId);
          if (eventId <= lastSent) return 'taken';
          if (eventId !== lastSent + 1 || !push(change)) return 'buffer';
          lastSent = eventId;
          return change.final ? 'end' : 'taken';
        }
      : undefined;
    for await (const change of live.changes(signal, take)) {
      const eventId = Number(change.eventId);
      if (eventId <= lastSent) continue;
      if (eventId > lastSent + 1) {
        // A change we never saw live (e.g. published while Redis was reconnecting): fill the gap
        // from the stored history so the client still gets every event exactly once.
        for (const missed of await storedAfter(deps.orders, order.id, lastSent)) {
          if (Number(missed.eventId) >= eventId) break;
          yield missed;
          lastSent = Number(missed.eventId);
          if (missed.final) return;
        }
      }
      yield change;
      lastSent = eventId;
      if (change.final) return;
    }
  } finally {
    live.close();
  }
}

/** The order's stored changes after `after`; HISTORY_EXPIRED when its history was trimmed past it. */
async function storedAfter(orders: OrderStore, orderId: string, after: number): Promise<OrderStatusChange[]> {
  try {
    return await orders.changesAfter(orderId, after);
  } catch (error) {
    if (error instanceof HistoryExpiredError) throw historyExpired("This eventId is older than the order's kept history: read the order again, then subscribe without after");
    throw error;
  }
}
