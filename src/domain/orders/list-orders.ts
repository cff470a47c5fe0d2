import { requireScope, type Caller } from '../caller.js';
import { badInput, notSupported } from '../errors.js';
import { newOrder } from '../observation.js';
import type { Order, Provider } from '../order.js';
import type { ListedOrder } from '../provider-port.js';
import type { OrderStatus } from '../status.js';
import { adapterFor } from './deps.js';
import { newOrderId } from './order-id.js';
import { drainParked } from './parked-facts.js';
import { recordFact, scheduleReconciliation, storedOrder, type RecordDeps } from './record-fact.js';

export interface OrderFilter {
  provider: Provider;
  from?: string | null;
  to?: string | null;
  status?: OrderStatus | null;
}

export interface OrderPage {
  nodes: Order[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

/**
 * Lists a provider's orders by asking the provider (CONTRACT: `orders` for INTERGIRO is
 * GET /v1/order?start&end), newest first. Orders the gateway has not seen before are kept
 * from now on, so each gets a stable gateway id.
 */
export async function listOrders(deps: RecordDeps, caller: Caller | null, filter: OrderFilter, first?: number | null, after?: string | null): Promise<OrderPage> {
  requireScope(caller, 'orders:read');
  const adapter = adapterFor(deps.adapters, filter.provider);
  if (!adapter.listOrders) throw notSupported(`${filter.provider} has no order listing`);
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('filter.to', '"to" is before "from"');
  const size = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) throw badInput('first', `first is 0 to ${MAX_PAGE}`);
  const offset = after ? decodeCursor(after) : 0;

  const listed = await adapter.listOrders({
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  });
  const orders: Order[] = [];
  for (const entry of listed) orders.push(await adoptListed(deps, adapter.provider, entry));
  const matching = orders
    .filter((order) => !filter.status || order.status === filter.status)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  const nodes = matching.slice(offset, offset + size);
  const end = offset + nodes.length;
  return { nodes, hasNextPage: end < matching.length, endCursor: nodes.length ? encodeCursor(end) : null };
}

/** A listed order as the gateway keeps it: the stored one brought up to date, or a new one. */
async function adoptListed(deps: RecordDeps, provider: Provider, entry: ListedOrder): Promise<Order> {
  const known = await deps.store.orders.findByProviderOrderId(provider, entry.providerOrderId);
  if (known) return recordFact(deps, known.id, entry.observation, 'RECONCILIATION');
  const order = newOrder(
    {
      id: newOrderId(),
      provider,
      owner: null,
      providerOrderId: entry.providerOrderId,
      total: entry.total,
      items: entry.items,
      creation: { status: 'COMPLETED', infos: [] },
      createdAt: entry.createdAt,
      ...(entry.reference ? { reference: entry.reference } : {}),
    },
    entry.observation,
    'RECONCILIATION',
    deps.now().toISOString(),
    'listed',
  );
  let stored: Order;
  try {
    stored = await deps.store.orders.create(order);
  } catch (error) {
    // Another request adopted it at the same moment: use theirs.
    const adopted = await deps.store.orders.findByProviderOrderId(provider, entry.providerOrderId);
    if (adopted) return adopted;
    throw error;
  }
  // A callback for this provider order may have come while the gateway did not know the order
  // (the webhook inbox parked it), and may be newer than this listing: apply it now, as
  // storeAccepted does, or it would never be applied.
  await drainParked(deps, stored);
  // A listing may say less than a read (Intershop's has no infos): the adapter decides whether
  // an adopted order is re-read like any other.
  await scheduleReconciliation(deps, await storedOrder(deps, stored.id));
  return storedOrder(deps, stored.id);
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw badInput('after', 'Not a cursor this gateway issued');
  return Number(match[1]);
}
