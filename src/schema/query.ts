import type { OrderPage } from '../domain/order-service.js';
import { builder } from './builder.js';
import { OrderFilter } from './inputs.js';
import { OrderRef } from './order.js';

const PageInfoRef = builder.objectRef<OrderPage>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const OrderConnectionRef = builder.objectRef<OrderPage>('OrderConnection').implement({
  fields: (t) => ({
    nodes: t.expose('nodes', { type: [OrderRef] }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (page) => page }),
  }),
});

builder.queryFields((t) => ({
  order: t.field({
    type: OrderRef,
    nullable: true,
    description: 'Null when unknown or not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.service.getOrder(ctx.caller(), String(id)),
  }),
  orders: t.field({
    type: OrderConnectionRef,
    description: "Orders from the gateway's own index, of every provider (or the filter's), newest first; cursors stay stable while orders arrive. Orders a provider lists in the asked range are adopted first. Needs orders:read.",
    args: {
      filter: t.arg({ type: OrderFilter, required: true }),
      first: t.arg.int({ validate: { min: 0, max: 100 } }),
      after: t.arg.string(),
    },
    resolve: (_root, { filter, first, after }, ctx) => ctx.service.listOrders(ctx.caller(), filter, first, after),
  }),
}));
