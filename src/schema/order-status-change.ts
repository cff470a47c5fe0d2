import type { OrderStatusChange } from '../domain/order.js';
import { builder } from './builder.js';
import { EventSourceEnum, OrderStatusEnum } from './enums.js';
import { OrderRef } from './order.js';

export const OrderStatusChangeRef = builder.objectRef<OrderStatusChange>('OrderStatusChange').implement({
  description: 'One change of an order, as pushed to subscribers. The first message of orderStatusChanged is a snapshot (previousStatus null).',
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'Increasing per order; pass it back as `after` to resume.' }),
    order: t.expose('order', { type: OrderRef }),
    previousStatus: t.expose('previousStatus', { type: OrderStatusEnum, nullable: true }),
    status: t.expose('status', { type: OrderStatusEnum }),
    source: t.expose('source', { type: EventSourceEnum }),
    at: t.field({ type: 'DateTime', resolve: (change) => change.at }),
    final: t.exposeBoolean('final', { description: 'True for REFUNDED, CANCELLED, FAILED, EXPIRED: nothing follows.' }),
    cursor: t.string({
      description: "Position in the gateway-wide feed; pass it back as `after` to orderUpdates. On orderStatusChanged's first (snapshot) message, the feed position that state reflects: orderUpdates after it sends every later change of the order and none the snapshot already shows.",
      resolve: (change) => change.cursor ?? '',
    }),
  }),
});
