import type { OrderKey, OrderQuery } from '../../store/feed.js';
import { ProviderOrderTakenError } from '../../store/types.js';
import { requireScope, type Caller } from '../caller.js';
import { badInput, GatewayError } from '../errors.js';
import { newOrder } from '../observation.js';
import type { Order, Provider } from '../order.js';
import type { ListedOrder, ProviderAdapter } from '../provider-port.js';
import type { OrderStatus } from '../status.js';
import { newOrderId } from './order-id.js';
import { recordFact, type RecordDeps } from './record-fact.js';
import { createWithParked } from './store-accepted.js';
import { listedDuringCreation } from './creations-in-flight.js';
import type { OrderDeps } from './deps.js';
import { OperationListings } from './listing-share.js';

/** CONTRACT OrderFilter: every field optional. */
export interface OrderFilter {
  provider?: Provider | null;
  from?: string | null;
  to?: string | null;
  status?: OrderStatus | null;
  reference?: string | null;
}

export interface OrderPage {
  nodes: Order[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** `orders`' page without `first`; the query cost counts a page left out at this size (server/query-cost.ts). */
export const DEFAULT_PAGE = 50;
/** The largest `first`; the query cost counts a page size it cannot know at this size. */
export const MAX_PAGE = 100;
/**
 * Orders adopted from one provider's listing per query, at most. The listing is asked on a
 * walk's first page only (no `after`): paging on costs the store alone, and a back office that
 * wants more of a provider's own orders narrows the dates or asks again. Only orders new to the
 * gateway count: a listing that always names the same orders first (Pei's of a busy day) must
 * not have every query spend its budget on ones already adopted, so a later query adopts the rest.
 */
export const ADOPT_PER_QUERY = 200;
/** Orders the gateway already knows that one query brings up to date from a listing, at most (they are re-read by reconciliation anyway). */
export const REFRESH_PER_QUERY = 200;
/**
 * Listing entries one query looks up in the store, at most: a listing of a month of a busy
 * merchant's days stays one bounded walk, even when most of it is known already.
 */
export const EXAMINE_PER_QUERY = 5000;
/** Listing entries looked up in the store at once. */
const LOOKUP_BATCH = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What listing uses: recording facts, and the instance's shared listings (listing-share.ts). */
export type ListDeps = RecordDeps & Pick<OrderDeps, 'listings'>;

/**
 * `orders(filter)` (CONTRACT §2): answered from the gateway's own order index for every
 * provider, newest first, with keyset cursors (createdAt + id) that stay put while orders arrive.
 * Where a provider can list, what it lists in the asked range is adopted first, so orders made
 * outside the gateway show up too: once per provider and range in one operation (`operation`,
 * shared by its fields; a new one when not given), from a listing shared with other requests for
 * a few seconds (deps.listings).
 */
export async function listOrders(
  deps: ListDeps,
  caller: Caller | null,
  filter: OrderFilter,
  first?: number | null,
  after?: string | null,
  operation: OperationListings = new OperationListings(),
): Promise<OrderPage> {
  requireScope(caller, 'orders:read');
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('filter.to', '"to" is before "from"');
  const size = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) throw badInput('first', `first is 0 to ${MAX_PAGE}`);
  const cursor = after ? decodeCursor(after) : undefined;

  if (!cursor) await adoptAllListed(deps, filter, operation);

  const query: OrderQuery = {
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.reference != null ? { reference: filter.reference } : {}),
    ...(filter.from ? { fromMs: Date.parse(`${filter.from}T00:00:00Z`) } : {}),
    ...(filter.to ? { toMs: Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS - 1 } : {}),
    ...(cursor ? { after: cursor } : {}),
    // One more than asked tells whether there is a next page.
    limit: size + 1,
  };
  const found = size === 0 ? [] : await deps.store.orders.list(query);
  const nodes = found.slice(0, size);
  const last = nodes[nodes.length - 1];
  return { nodes, hasNextPage: found.length > size, endCursor: last ? encodeCursor({ createdAtMs: Date.parse(last.createdAt), id: last.id }) : null };
}

/**
 * Asks each listing provider the filter names (all of them without `provider`) for its orders in
 * the range and adopts them. A provider named in the filter that cannot be reached fails the
 * query (PROVIDER_UNAVAILABLE: the answer would be incomplete); across providers, one that cannot
 * be reached does not hide the others: the stored orders are answered. Fields of one operation
 * asking the same provider for the same range share one listing and one adoption (`operation`).
 */
async function adoptAllListed(deps: ListDeps, filter: OrderFilter, operation: OperationListings): Promise<void> {
  const asked = [...deps.adapters.values()].filter((adapter) => adapter.listOrders && (!filter.provider || adapter.provider === filter.provider));
  // `examined`: adoptSome looks at no more of a listing than this, so an adapter may stop reading there.
  const range = { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}), examined: EXAMINE_PER_QUERY };
  await Promise.all(
    asked.map(async (adapter) => {
      try {
        await operation.once(adapter.provider, range, async () => adoptSome(deps, adapter, await deps.listings.list(adapter, range)));
      } catch (error) {
        if (filter.provider || !(error instanceof GatewayError)) throw error;
      }
    }),
  );
}

/**
 * Up to ADOPT_PER_QUERY listed orders new to the gateway adopted, and up to REFRESH_PER_QUERY known
 * ones brought up to date, in the listing's order, looking at EXAMINE_PER_QUERY entries at most.
 */
async function adoptSome(deps: RecordDeps, adapter: ProviderAdapter, listed: ListedOrder[]): Promise<void> {
  const provider = adapter.provider;
  let adopted = 0;
  let refreshed = 0;
  // An order a listing names twice (pages read while orders come in on top) is handled once.
  const seen = new Set<string>();
  // One a creation still under way may be about to store is left to it (creations-in-flight.ts).
  const mayBeCreating = listedDuringCreation(deps, provider);
  const examined = listed.slice(0, EXAMINE_PER_QUERY).filter((entry) => !seen.has(entry.providerOrderId) && seen.add(entry.providerOrderId));
  // Looked up a batch at a time (one pipelined round trip on Redis, not one per entry), then
  // handled one by one in the listing's order.
  for (let start = 0; start < examined.length; start += LOOKUP_BATCH) {
    const batch = examined.slice(start, start + LOOKUP_BATCH);
    const found = await Promise.all(batch.map((entry) => deps.store.orders.findByProviderOrderId(provider, entry.providerOrderId)));
    for (const [index, entry] of batch.entries()) {
      if (adopted >= ADOPT_PER_QUERY && refreshed >= REFRESH_PER_QUERY) return;
      const known = found[index];
      if (known) {
        if (refreshed >= REFRESH_PER_QUERY) continue;
        if (adapter.refreshesFromListing?.(known, entry) === false) continue;
        refreshed++;
        await recordFact(deps, known.id, entry.observation, 'RECONCILIATION');
      } else if (adopted < ADOPT_PER_QUERY && !(await mayBeCreating(entry.createdAt))) {
        adopted++;
        await adoptNew(deps, provider, entry);
      }
    }
  }
}

/** A listed order the gateway did not know, stored (or, adopted by another request at the same moment, theirs). */
async function adoptNew(deps: RecordDeps, provider: Provider, entry: ListedOrder): Promise<Order> {
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
  // A callback for this provider order may have come while the gateway did not know the order
  // (the webhook inbox parked it), and may be newer than this listing: it is applied once the
  // order is stored, or it would never be. A listing may say less than a read (Intershop's has no
  // infos): the adapter decides whether an adopted order is re-read like any other (its schedule).
  return createWithParked(deps, order, [], async (along) => {
    try {
      return await deps.store.orders.createAlong(order, along);
    } catch (error) {
      // Another request adopted (or a creation stored) it at the same moment: use theirs (createAlong did nothing of `along`).
      const adopted = error instanceof ProviderOrderTakenError ? error.holder : await deps.store.orders.findByProviderOrderId(provider, entry.providerOrderId);
      if (adopted) return { order: adopted, taken: along.take.map(() => []) };
      throw error;
    }
  });
}

function encodeCursor(key: OrderKey): string {
  return Buffer.from(`${key.createdAtMs}:${key.id}`).toString('base64url');
}

function decodeCursor(cursor: string): OrderKey {
  const match = /^(\d{1,15}):([^\s]{1,200})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1] || !match[2]) throw badInput('after', 'Not a cursor this gateway issued');
  return { createdAtMs: Number(match[1]), id: match[2] };
}
