import { randomUUID } from 'node:crypto';
import type { EventSource, Order } from '../../src/domain/order.js';
import type { OrderStatus } from '../../src/domain/status.js';

/** A valid INTERGIRO order just created by a client: status CREATED, one event (id "1"). */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  const at = new Date().toISOString();
  return {
    id: `ord_${randomUUID()}`,
    provider: 'INTERGIRO',
    owner: 'merchant-1',
    status: 'CREATED',
    total: { currency: 'EUR', minor: 1000 },
    items: [{ name: 'Coffee', quantity: 1, amount: { currency: 'EUR', minor: 1000 } }],
    payments: [],
    creation: { status: 'STOPPED', infos: [] },
    events: [{ id: '1', at, type: 'CREATED', status: 'CREATED', previousStatus: null, source: 'CLIENT' }],
    createdAt: at,
    updatedAt: at,
    version: 1,
    seenKeys: [],
    providerData: {},
    ...overrides,
  };
}

/** `order` with one more event moving it to `status` (a new object; `order` is not touched). */
export function withEvent(order: Order, status: OrderStatus, source: EventSource = 'WEBHOOK', type = 'STATUS_CHANGED'): Order {
  const at = new Date().toISOString();
  const last = order.events.at(-1);
  const id = String(last === undefined ? 1 : Number(last.id) + 1);
  return {
    ...order,
    status,
    updatedAt: at,
    events: [...order.events, { id, at, type, status, previousStatus: order.status, source }],
  };
}
