import { requireScope } from '../domain/caller.js';
import { badInput } from '../domain/errors.js';
import type { OrderStatusChange } from '../domain/order.js';
import { watchOrder } from '../domain/order-watch.js';
import { builder } from './builder.js';
import { ProviderEnum } from './enums.js';
import { OrderStatusChangeRef } from './order-status-change.js';

builder.subscriptionFields((t) => ({
  orderStatusChanged: t.field({
    type: OrderStatusChangeRef,
    description:
      'The order\'s current state at once (previousStatus null), then every later change; with `after`, the changes after that eventId first. Ends after a final status.',
    args: { orderId: t.arg.id({ required: true }), after: t.arg.string() },
    subscribe: async (_root, { orderId, after }, ctx) => {
      const order = await ctx.service.requireWatchable(ctx.caller(), String(orderId));
      if (after != null && !/^\d+$/.test(after)) throw badInput('after', 'after is an eventId this order sent');
      return watchOrder({ orders: ctx.orders, hub: ctx.hub }, order, after == null ? null : Number(after), ctx.signal);
    },
    resolve: (change: OrderStatusChange) => change,
  }),
  orderUpdates: t.field({
    type: OrderStatusChangeRef,
    description: 'Every change of every order (of one provider, when given) from now on. Needs orders:read.',
    args: { provider: t.arg({ type: ProviderEnum }) },
    subscribe: async function* (_root, { provider }, ctx) {
      requireScope(ctx.caller(), 'orders:read');
      const live = ctx.hub.open(null);
      try {
        await live.ready;
        for await (const change of live.changes(ctx.signal)) {
          if (!provider || change.order.provider === provider) yield change;
        }
      } finally {
        live.close();
      }
    },
    resolve: (change: OrderStatusChange) => change,
  }),
}));
