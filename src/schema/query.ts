import type { OrderPage } from '../domain/orders/list-orders.js';
import { OperationListings } from '../domain/orders/listing-share.js';
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

/**
 * The listings each operation's `orders` fields share (listing-share.ts), by its context: Yoga
 * makes one context per HTTP request, graphql-ws one per operation. Kept beside the context
 * rather than in it, so a request without `orders` builds nothing.
 */
const listingsOf = new WeakMap<object, OperationListings>();
function operationListings(ctx: object): OperationListings {
  let listings = listingsOf.get(ctx);
  if (!listings) {
    listings = new OperationListings();
    listingsOf.set(ctx, listings);
  }
  return listings;
}

builder.queryFields((t) => ({
  order: t.field({
    type: OrderRef,
    nullable: true,
    description: 'Null when unknown or not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const order = await ctx.service.getOrder(ctx.caller(), String(id));
      if (order) ctx.reads?.order(order);
      return order;
    },
  }),
  orders: t.field({
    type: OrderConnectionRef,
    description: "Orders from the gateway's own index, of every provider (or the filter's), newest first; cursors stay stable while orders arrive. Orders a provider lists in the asked range are adopted first. Needs orders:read.",
    args: {
      filter: t.arg({ type: OrderFilter, required: true }),
      first: t.arg.int({ validate: { min: 0, max: 100 } }),
      after: t.arg.string(),
    },
    resolve: (_root, { filter, first, after }, ctx) => {
      ctx.reads?.other();
      return ctx.service.listOrders(ctx.caller(), filter, first, after, operationListings(ctx));
    },
  }),
}));
