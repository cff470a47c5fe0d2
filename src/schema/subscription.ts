import { requireScope } from '../domain/caller.js';
import { badInput } from '../domain/errors.js';
import type { OrderStatusChange } from '../domain/order.js';
import { watchAllOrders } from '../domain/order-updates.js';
import { watchOrder } from '../domain/order-watch.js';
import { builder, type Context } from './builder.js';
import { ProviderEnum } from './enums.js';
import { OrderStatusChangeRef } from './order-status-change.js';

builder.subscriptionFields((t) => ({
  orderStatusChanged: t.field({
    type: OrderStatusChangeRef,
    description:
      'The order\'s current state at once (previousStatus null), then every later change; with `after` (or SSE\'s Last-Event-ID), the changes after that eventId first, and no snapshot. HISTORY_EXPIRED when the order\'s kept history no longer reaches back to it. Ends after a final status.',
    args: { orderId: t.arg.id({ required: true }), after: t.arg.string() },
    subscribe: async (_root, args, ctx) => {
      const order = await ctx.service.requireWatchable(ctx.caller(), String(args.orderId));
      const after = args.after ?? ctx.lastEventId ?? null;
      if (after !== null && !/^\d{1,15}$/.test(after)) throw badInput('after', 'after is an eventId this order sent');
      return watchOrder({ orders: ctx.orders, hub: ctx.hub }, order, after === null ? null : Number(after), ctx.signal, ctx.pushChange);
    },
    resolve: (change: OrderStatusChange, _args, ctx) => sseId(ctx, change.eventId, change),
  }),
  orderUpdates: t.field({
    type: OrderStatusChangeRef,
    description:
      'Every change of every order (of one provider, when given): with `after` (a `cursor`, or SSE\'s Last-Event-ID) every change after it first, from the feed the gateway keeps (FEED_RETENTION_HOURS, default 7 days), then live; without it, from now on. HISTORY_EXPIRED when `after` is older than the kept feed. Needs orders:read.',
    args: { provider: t.arg({ type: ProviderEnum }), after: t.arg.string() },
    subscribe: (_root, args, ctx) => {
      requireScope(ctx.caller(), 'orders:read');
      return watchAllOrders({ feed: ctx.feed, hub: ctx.hub }, args.provider ?? null, args.after ?? ctx.lastEventId ?? null, ctx.signal);
    },
    resolve: (change: OrderStatusChange, _args, ctx) => sseId(ctx, change.cursor ?? null, change),
  }),
}));

/** Tells the SSE writer the `id:` of the event being resolved (server/sse-event-ids.ts). */
function sseId(ctx: Context, id: string | null, change: OrderStatusChange): OrderStatusChange {
  if (ctx.eventIdSink) ctx.eventIdSink.id = id;
  return change;
}
