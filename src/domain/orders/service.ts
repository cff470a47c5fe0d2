import type { Store } from '../../store/types.js';
import type { Caller } from '../caller.js';
import { IdempotencyKeys } from '../idempotency.js';
import type { Order, Provider } from '../order.js';
import type { ProviderAdapter, WebhookFact } from '../provider-port.js';
import { applyOrderEvents, type OrderEventsInput } from './apply-order-events.js';
import { continueOrderCreation, type ContinueOrderCreationInput } from './continue-order.js';
import type { CreateOrderInput } from './create-order-input.js';
import { createOrder } from './create-order.js';
import type { OrderDeps } from './deps.js';
import { listOrders, type OrderFilter, type OrderPage } from './list-orders.js';
import { SharedListings, type OperationListings } from './listing-share.js';
import { placeAdyenOrder, type PlaceAdyenOrderInput } from './place-one-step.js';
import { answersFromStore, readOrder, requireWatchable } from './read-order.js';
import { reconcileOrder } from './reconcile-order.js';
import { acceptWebhookFacts } from './webhook-inbox.js';

export interface OrderServiceOptions {
  store: Store;
  adapters: readonly ProviderAdapter[];
  /** How long after a write an order still waiting on its provider is re-read. Default 2000. */
  reconcileIntervalMs?: number;
  /** How long apart an order of a provider that calls back is read (never below the interval). Default: the interval. */
  callbackGraceMs?: number;
  /** Injectable clock; default the system clock. */
  now?: () => Date;
  /** Injectable wait (idempotency races, store retries); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How long one order's change lease lives if its holder dies (change-lease.ts), ms; a change
   * waits as long for another holder. Longer than any capture/refund/cancel takes upstream,
   * retries included. Default 60000.
   */
  changeLeaseTtlMs?: number;
  /**
   * How long a creation's provider calls (and the store's retries after them) may take, ms: a
   * creation whose answer never came is looked for upstream after this (lost-creation.ts).
   * Default 60000.
   */
  creationSettleMs?: number;
  /**
   * How long a finished provider listing is handed out again to requests asking for the same
   * provider and range, ms (listing-share.ts); listings under way are always shared. Default 0.
   */
  listingShareMs?: number;
}

/**
 * The order use cases behind one object, for the resolvers, the webhook route and the poller
 * (they get it through their context). It holds the dependencies and nothing else: each method is
 * one use case in its own file of this folder, free of GraphQL and of any provider's wire format.
 */
export class OrderService {
  private readonly deps: OrderDeps;

  constructor(options: OrderServiceOptions) {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const now = options.now ?? (() => new Date());
    this.deps = {
      store: options.store,
      adapters: new Map(options.adapters.map((adapter) => [adapter.provider, adapter])),
      reconcileIntervalMs: options.reconcileIntervalMs ?? 2000,
      callbackGraceMs: options.callbackGraceMs ?? options.reconcileIntervalMs ?? 2000,
      now,
      sleep,
      idempotency: new IdempotencyKeys(options.store.kv, sleep),
      creationSettleMs: options.creationSettleMs ?? 60_000,
      changeLease: { ttlMs: options.changeLeaseTtlMs ?? 60_000, waitMs: options.changeLeaseTtlMs ?? 60_000 },
      listings: new SharedListings(options.listingShareMs ?? 0, now),
    };
  }

  getOrder(caller: Caller | null, id: string): Promise<Order | null> {
    return readOrder(this.deps, caller, id);
  }

  /** Whether `getOrder` answers this order as stored, without asking its provider (see read-order.ts). */
  answersFromStore(order: Order): boolean {
    return answersFromStore(this.deps, order);
  }

  requireWatchable(caller: Caller | null, id: string): Promise<Order> {
    return requireWatchable(this.deps, caller, id);
  }

  /** `operation`: the listings the operation's other `orders` fields share (one per GraphQL operation); default its own. */
  listOrders(caller: Caller | null, filter: OrderFilter, first?: number | null, after?: string | null, operation?: OperationListings): Promise<OrderPage> {
    return listOrders(this.deps, caller, filter, first, after, operation);
  }

  createOrder(caller: Caller | null, input: CreateOrderInput): Promise<Order> {
    return createOrder(this.deps, caller, input);
  }

  continueOrderCreation(caller: Caller | null, input: ContinueOrderCreationInput): Promise<Order> {
    return continueOrderCreation(this.deps, caller, input);
  }

  placeAdyenOrder(caller: Caller | null, input: PlaceAdyenOrderInput): Promise<Order> {
    return placeAdyenOrder(this.deps, caller, input);
  }

  applyOrderEvents(caller: Caller | null, inputs: OrderEventsInput[]): Promise<Order>[] {
    return applyOrderEvents(this.deps, caller, inputs);
  }

  acceptWebhookFacts(provider: Provider, facts: WebhookFact[]): Promise<void> {
    return acceptWebhookFacts(this.deps, provider, facts);
  }

  reconcile(orderId: string): Promise<void> {
    return reconcileOrder(this.deps, orderId);
  }
}
