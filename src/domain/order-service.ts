import { createHash, randomBytes } from 'node:crypto';
import { DuplicateOrderError, type Store } from '../store/types.js';
import { canSee, requireOrderReader, requireOwnOrder, requireScope, type Caller } from './caller.js';
import { parseCreateOrder, type CreateOrderInput } from './create-order.js';
import { badInput, GatewayError, invalidState, notFound, notSupported, RefusalWithFact } from './errors.js';
import { fingerprintOf, IdempotencyKeys } from './idempotency.js';
import { applyObservation, newOrder, rememberKeys, type ProviderObservation } from './observation.js';
import { checkOrderChange, projectOrderChange, type OrderChange, type OrderChangeInput } from './order-events.js';
import { reconcileDelayMs } from './reconcile-delay.js';
import { parseStatedPrice } from './stated-price.js';
import type { EventSource, Order, Provider } from './order.js';
import type {
  ContinueCreationInput,
  CreatedOrder,
  CreateOrderCommand,
  ListedOrder,
  OrderChangeResult,
  PlaceAdyenOrderCommand,
  ProviderAdapter,
  WebhookFact,
} from './provider-port.js';
import { isFinal } from './status.js';
import { listOrders, type OrderFilter, type OrderPage } from './list-orders.js';

export interface OrderServiceOptions {
  store: Store;
  adapters: readonly ProviderAdapter[];
  /** How long after a write an order still waiting on its provider is re-read. Default 2000. */
  reconcileIntervalMs?: number;
  /** Injectable clock; default the system clock. */
  now?: () => Date;
  /** Injectable wait (idempotency races, store retries); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface OrderEventsInput {
  orderId: string;
  events: (OrderChangeInput & { idempotencyKey?: string | null })[];
}

/** CONTRACT PlaceAdyenOrderInput, its field rules already checked at the edge. */
export type PlaceAdyenOrderInput = Omit<PlaceAdyenOrderCommand, 'orderId' | 'statedTotal'> & {
  /** The price the shopper was shown, as the client sent it (parseStatedPrice checks it). */
  amount?: string | null;
  currency?: string | null;
  idempotencyKey?: string | null;
};

export interface ContinueOrderCreationInput extends ContinueCreationInput {
  orderId: string;
}

export type { OrderFilter, OrderPage } from './list-orders.js';

/** How long a callback that arrived before its order was stored is kept waiting for it. */
const PARKED_TTL_MS = 24 * 60 * 60 * 1000;
/** Attempts to store an order the provider already accepted, 200 ms apart and growing (~3 s). */
const STORE_ATTEMPTS = 5;
const STORE_RETRY_MS = 200;

/**
 * The gateway's use cases, free of GraphQL and of any provider's wire format: resolvers call in,
 * adapters are called out to, and every change of an order goes through `applyObservation`
 * and one optimistic store write, which also publishes it to subscribers.
 */
export class OrderService {
  private readonly store: Store;
  private readonly adapters: ReadonlyMap<Provider, ProviderAdapter>;
  private readonly reconcileIntervalMs: number;
  private readonly now: () => Date;
  private readonly idempotency: IdempotencyKeys;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: OrderServiceOptions) {
    this.store = options.store;
    this.adapters = new Map(options.adapters.map((adapter) => [adapter.provider, adapter]));
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 2000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.idempotency = new IdempotencyKeys(options.store.kv, this.sleep);
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Null when unknown or not visible to the caller (CONTRACT: `order` returns null). */
  async getOrder(caller: Caller | null, id: string): Promise<Order | null> {
    const reader = requireOrderReader(caller);
    const order = await this.store.orders.get(id);
    if (!order || !canSee(reader, order)) return null;
    return this.refreshed(order);
  }

  /** For subscriptions: the order if the caller may watch it; FORBIDDEN / NOT_FOUND otherwise. */
  async requireWatchable(caller: Caller | null, id: string): Promise<Order> {
    const reader = requireOrderReader(caller);
    const order = await this.store.orders.get(id);
    if (!order) throw notFound();
    requireOwnOrder(reader, order);
    return order;
  }

  /** CONTRACT `orders(filter)`: from the gateway's order index (list-orders.ts). Needs orders:read. */
  async listOrders(caller: Caller | null, filter: OrderFilter, first?: number | null, after?: string | null): Promise<OrderPage> {
    requireScope(caller, 'orders:read');
    const deps = { orders: this.store.orders, adapters: [...this.adapters.values()], adopt: (provider: Provider, entry: ListedOrder) => this.adoptListed(provider, entry) };
    return listOrders(deps, filter, first, after);
  }

  // ---- mutations ---------------------------------------------------------------------------

  async createOrder(caller: Caller | null, input: CreateOrderInput): Promise<Order> {
    const creator = requireScope(caller, 'orders:create');
    if (input.provider === 'PAYWAY') {
      throw badInput('input.provider', 'PAYWAY orders are placed with placeAdyenOrder');
    }
    const adapter = this.adapterFor(input.provider);
    const command = parseCreateOrder(input, newOrderId());
    adapter.validateCreate(command);

    const create = async (): Promise<string> => (await this.createUpstream(creator, adapter, command)).id;
    // Without a key the creation's own answer is the order as it is now: no second read.
    if (!input.idempotencyKey) return this.createUpstream(creator, adapter, command);
    const { idempotencyKey, ...rest } = input;
    const orderId = await this.idempotency.runOnce(
      { caller: creator.sub, operation: 'createOrder', key: idempotencyKey, field: 'input.idempotencyKey' },
      fingerprintOf(rest),
      create,
    );
    return this.mustGet(orderId);
  }

  async continueOrderCreation(caller: Caller | null, input: ContinueOrderCreationInput): Promise<Order> {
    const continuer = requireScope(caller, 'orders:create');
    const order = await this.store.orders.get(input.orderId);
    if (!order) throw notFound();
    requireOwnOrder(continuer, order);
    const adapter = this.adapterFor(order.provider);
    if (!adapter.continueOrderCreation) throw notSupported(`${order.provider} order creation cannot be continued`);
    if (order.creation.status !== 'STOPPED' || isFinal(order.status)) {
      throw invalidState(`The order's creation is ${order.creation.status}; there is nothing to continue`);
    }
    let fact: ProviderObservation;
    try {
      fact = await adapter.continueOrderCreation(order, input);
    } catch (error) {
      if (error instanceof RefusalWithFact) await this.record(order.id, error.fact, 'CLIENT');
      throw error;
    }
    return this.record(order.id, fact, 'CLIENT');
  }

  /** CONTRACT placeAdyenOrder: Payway's one-step purchase; idempotent like createOrder. */
  async placeAdyenOrder(caller: Caller | null, input: PlaceAdyenOrderInput): Promise<Order> {
    const creator = requireScope(caller, 'orders:create');
    const adapter = this.adapterFor('PAYWAY');
    if (!adapter.placeAdyenOrder) throw notSupported('PAYWAY orders cannot be placed');
    const place = adapter.placeAdyenOrder.bind(adapter);
    const { idempotencyKey, ...rest } = input;
    const { amount, currency, ...fields } = rest;
    const statedTotal = parseStatedPrice(amount, currency);
    const command: PlaceAdyenOrderCommand = { ...fields, ...(statedTotal ? { statedTotal } : {}), orderId: newOrderId() };

    const create = async (): Promise<string> => (await this.storeUpstream(creator, 'PAYWAY', command.orderId, await place(command))).id;
    if (!idempotencyKey) return this.mustGet(await create());
    const orderId = await this.idempotency.runOnce(
      { caller: creator.sub, operation: 'placeAdyenOrder', key: idempotencyKey, field: 'input.idempotencyKey' },
      fingerprintOf(rest),
      create,
    );
    return this.mustGet(orderId);
  }

  /**
   * CONTRACT applyOrderEvents: element i answers input i, a failed element fails alone. Each
   * element's events are checked against the order (as the earlier events will leave it) before
   * any provider is called; elements of one provider go upstream in one batch where it allows.
   */
  applyOrderEvents(caller: Caller | null, inputs: OrderEventsInput[]): Promise<Order>[] {
    const manager = requireScope(caller, 'orders:manage');
    // Elements naming the same order are checked one after another, each against the order as
    // the earlier ones will leave it: two captures in one call cannot together exceed the bounds.
    const latest = new Map<string, Promise<PreparedChanges>>();
    const prepared = inputs.map((input, index) => {
      const earlier = latest.get(input.orderId);
      const preparation = earlier
        ? earlier.then(
            (before) => this.prepareChanges(manager, input, `input.${index}`, before.projected),
            () => this.prepareChanges(manager, input, `input.${index}`),
          )
        : this.prepareChanges(manager, input, `input.${index}`);
      latest.set(input.orderId, preparation);
      return preparation;
    });
    // Once every element is checked, the good ones go upstream together, one batch per provider.
    const sent = Promise.allSettled(prepared).then((outcomes) => this.sendChanges(outcomes));
    return prepared.map(async (preparation, index) => {
      const ready = await preparation;
      if (!ready.changes.length) return ready.order; // every event repeated a key already done
      const result = (await sent).get(index);
      if (!result) throw new Error('unreachable: a prepared element was not sent');
      return this.finishChanges(ready, result);
    });
  }

  // ---- provider facts ----------------------------------------------------------------------

  /**
   * Applies verified callback facts. A fact for an order the gateway has not stored yet (the
   * callback beat the create call's response) is parked and applied when the order is stored,
   * so it is never lost. Resolves once every fact is stored: only then may the route answer 2xx.
   */
  async acceptWebhookFacts(provider: Provider, facts: WebhookFact[]): Promise<void> {
    for (const fact of facts) {
      const order = await this.orderOfFact(provider, fact);
      if (order) {
        if (fact.observation) await this.record(order.id, fact.observation, 'WEBHOOK');
        else await this.store.schedule.schedule(order.id, this.now().getTime());
        continue;
      }
      if (!fact.observation) continue;
      // Parked under the gateway's id when the provider named it: such an order may not learn
      // the provider's id before this very fact, so it could never be found under that.
      const key = parkedKey(provider, fact.orderId ? ownIdKey(fact.orderId) : fact.providerOrderId);
      await this.store.kv.append(key, JSON.stringify(fact.observation), PARKED_TTL_MS);
      // The order may have been stored between our look and the append; its creator drains
      // after storing, we drain after appending: whichever runs second sees both.
      const late = await this.orderOfFact(provider, fact);
      if (late) await this.drainParked(late);
    }
  }

  /** The order a callback fact is about: by the provider's id, else by the gateway id it echoed. */
  private async orderOfFact(provider: Provider, fact: WebhookFact): Promise<Order | null> {
    const known = await this.store.orders.findByProviderOrderId(provider, fact.providerOrderId);
    if (known || !fact.orderId) return known;
    const own = await this.store.orders.get(fact.orderId);
    // Only an order of this provider that the provider has not named otherwise can be meant.
    const matches = own?.provider === provider && (own.providerOrderId === undefined || own.providerOrderId === fact.providerOrderId);
    return matches ? own : null;
  }

  /** Re-reads one order upstream (the reconciliation poller's unit of work). */
  async reconcile(orderId: string): Promise<void> {
    const order = await this.store.orders.get(orderId);
    if (!order) return this.store.schedule.unschedule(orderId);
    const adapter = this.adapters.get(order.provider);
    if (!adapter?.fetchOrder || (isFinal(order.status) && !adapter.reconcilesFinalOrders) || !adapter.needsReconciliation(order)) {
      return this.store.schedule.unschedule(orderId);
    }
    const fact = await adapter.fetchOrder(order);
    if (fact) await this.record(order.id, fact, 'RECONCILIATION');
    else await this.scheduleFor(order);
  }

  // ---- internals ---------------------------------------------------------------------------

  private adapterFor(provider: Provider): ProviderAdapter {
    const adapter = this.adapters.get(provider);
    if (!adapter) throw notSupported(`${provider} is not available in this gateway yet`);
    return adapter;
  }

  /**
   * For a provider that reads through (`refreshOnRead`), an order still waiting on it is re-read
   * before it is answered, at most once per reconciliation interval however many clients ask
   * (a lease in the store, shared by every instance): reads must not turn into upstream polling.
   * A provider that cannot be reached does not fail the read: the stored state is answered, and
   * the poller keeps trying.
   */
  private async refreshed(order: Order): Promise<Order> {
    const adapter = this.adapters.get(order.provider);
    if (!adapter?.refreshOnRead || !adapter.fetchOrder || isFinal(order.status) || !adapter.needsReconciliation(order)) return order;
    if (!(await this.store.kv.setIfAbsent(`refresh:${order.id}`, '1', this.reconcileIntervalMs))) return order;
    try {
      const fact = await adapter.fetchOrder(order);
      return fact ? await this.record(order.id, fact, 'RECONCILIATION') : order;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'PROVIDER_UNAVAILABLE') return order;
      throw error;
    }
  }

  private async mustGet(id: string): Promise<Order> {
    const order = await this.store.orders.get(id);
    if (!order) throw new Error(`order ${id} vanished after it was stored`);
    return order;
  }

  private async createUpstream(creator: Caller, adapter: ProviderAdapter, command: CreateOrderCommand): Promise<Order> {
    return this.storeUpstream(creator, command.provider, command.orderId, await adapter.createOrder(command));
  }

  /** Stores an order the provider has just accepted, with its first facts and any parked callbacks. */
  private async storeUpstream(creator: Caller, provider: Provider, orderId: string, created: CreatedOrder): Promise<Order> {
    const at = this.now().toISOString();
    const order = newOrder(
      {
        id: orderId,
        provider,
        owner: creator.sub,
        total: created.total,
        items: created.items,
        creation: { status: 'STOPPED', infos: [] },
        createdAt: at,
        ...(created.providerOrderId ? { providerOrderId: created.providerOrderId } : {}),
        ...(created.reference ? { reference: created.reference } : {}),
      },
      created.observation,
      'CLIENT',
      at,
      created.observation.type,
    );
    const stored = await this.storeCreated(order);
    // Together: with Redis they share one round trip. The schedule's write is sent first (on the
    // same connection), so a parked callback that reschedules the order is still the later write;
    // the read is sent last, so it sees the order as of then (a concurrent callback included).
    const [, drained, current] = await Promise.all([this.scheduleFor(stored), this.drainParked(stored), this.store.orders.get(stored.id)]);
    // Parked callbacks were applied after that read: read again.
    return drained || !current ? this.mustGet(stored.id) : current;
  }

  /**
   * The provider has accepted the order; losing it now would leave it known only upstream. A
   * store that fails for a moment (a Redis failover) is retried for a few seconds before giving up.
   */
  private async storeCreated(order: Order): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.orders.create(order);
      } catch (error) {
        if (error instanceof DuplicateOrderError || attempt >= STORE_ATTEMPTS) throw error;
        await this.sleep(STORE_RETRY_MS * attempt);
      }
    }
  }

  /** True when it applied a parked callback. */
  private async drainParked(order: Order): Promise<boolean> {
    const keys = [ownIdKey(order.id), ...(order.providerOrderId ? [order.providerOrderId] : [])];
    // Both taken at once (one round trip with Redis), then applied in the same order as before.
    const batches = await Promise.all(keys.map((key) => this.store.kv.takeAll(parkedKey(order.provider, key))));
    for (const [index, parked] of batches.entries()) {
      for (const [position, raw] of parked.entries()) {
        try {
          await this.record(order.id, JSON.parse(raw) as ProviderObservation, 'WEBHOOK');
        } catch (error) {
          // Taken but not applied: parked again, so the next drain (or reconciliation) applies
          // them. Those callbacks were acknowledged; dropping them would lose them for good.
          await this.repark(order.provider, keys, batches, index, position).catch(() => undefined);
          throw error;
        }
      }
    }
    return batches.some((parked) => parked.length > 0);
  }

  private async repark(provider: Provider, keys: string[], batches: string[][], index: number, position: number): Promise<void> {
    for (const [at, parked] of batches.entries()) {
      if (at < index) continue;
      for (const raw of at === index ? parked.slice(position) : parked) await this.store.kv.append(parkedKey(provider, keys[at]!), raw, PARKED_TTL_MS);
    }
  }

  /** Applies a provider fact with an optimistic write; `requestKeys` are remembered on the order in the same write. */
  private async record(orderId: string, fact: ProviderObservation, source: EventSource, requestKeys: readonly string[] = []): Promise<Order> {
    const at = this.now().toISOString();
    const result = await this.store.orders.update(orderId, (order) => rememberKeys(order, applyObservation(order, fact, source, at), requestKeys));
    if (!result) throw notFound();
    await this.scheduleFor(result.order);
    return result.order;
  }

  private async rememberRequestKeys(orderId: string, requestKeys: readonly string[]): Promise<Order> {
    const result = await this.store.orders.update(orderId, (order) => rememberKeys(order, null, requestKeys));
    return result?.order ?? this.mustGet(orderId);
  }

  private async scheduleFor(order: Order): Promise<void> {
    const adapter = this.adapters.get(order.provider);
    if (adapter?.fetchOrder && (!isFinal(order.status) || adapter.reconcilesFinalOrders) && adapter.needsReconciliation(order)) {
      const now = this.now().getTime();
      await this.store.schedule.schedule(order.id, now + reconcileDelayMs(order, this.reconcileIntervalMs, now));
    } else {
      await this.store.schedule.unschedule(order.id);
    }
  }

  private async adoptListed(provider: Provider, entry: ListedOrder): Promise<Order> {
    const known = await this.store.orders.findByProviderOrderId(provider, entry.providerOrderId);
    if (known) return this.record(known.id, entry.observation, 'RECONCILIATION');
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
      this.now().toISOString(),
      'listed',
    );
    let stored: Order;
    try {
      stored = await this.store.orders.create(order);
    } catch (error) {
      // Another request adopted it at the same moment: use theirs.
      const adopted = await this.store.orders.findByProviderOrderId(provider, entry.providerOrderId);
      if (adopted) return adopted;
      throw error;
    }
    // A callback for this provider order may have come while the gateway did not know the order
    // (acceptWebhookFacts parked it), and may be newer than this listing: apply it now, as
    // createUpstream does, or it would never be applied.
    await this.drainParked(stored);
    // A listing may say less than a read (Intershop's has no infos): the adapter decides whether
    // an adopted order is re-read like any other.
    await this.scheduleFor(await this.mustGet(stored.id));
    return this.mustGet(stored.id);
  }

  /** `after`: the order as an earlier element of the same call will leave it, to check against. */
  private async prepareChanges(manager: Caller, input: OrderEventsInput, field: string, after?: Order): Promise<PreparedChanges> {
    const order = await this.store.orders.get(input.orderId);
    if (!order) throw notFound();
    if (!input.events.length) throw badInput(`${field}.events`, 'At least one event is required');
    // A provider without order events answers that, whatever state the order is in: "not
    // possible now" (INVALID_STATE) would suggest it might be later.
    if (!this.adapters.get(order.provider)?.applyOrderChanges) {
      throw notSupported(`${order.provider} orders cannot be captured, refunded or cancelled through the gateway`);
    }
    let projected = after ?? order;
    const changes: OrderChange[] = [];
    const claims: PreparedChanges['claims'] = [];
    try {
      for (const [index, event] of input.events.entries()) {
        const eventField = `${field}.events.${index}`;
        // The key is looked at before the event is checked: a repeat of an event already applied
        // answers the first result (CONTRACT "Idempotency") even though the order it changed no
        // longer allows it (a repeated full capture or cancel would otherwise be INVALID_STATE).
        if (event.idempotencyKey) {
          const { idempotencyKey, ...rest } = event;
          const claim = await this.idempotency.claim(
            { caller: manager.sub, operation: `orderEvent:${order.id}`, key: idempotencyKey, field: `${eventField}.idempotencyKey` },
            fingerprintOf(rest),
          );
          if (claim.state === 'done') continue; // already applied once: not again
          const requestKey = changeRequestKey(manager.sub, idempotencyKey);
          if (order.seenKeys.includes(requestKey)) {
            // Applied, but the instance stopped before the key was marked done (see finishChanges).
            await claim.complete(order.id);
            continue;
          }
          claims.push({ claim, position: changes.length, requestKey });
        }
        const checked = checkOrderChange(projected, event, eventField);
        const change = event.idempotencyKey ? { ...checked, requestKey: changeRequestKey(manager.sub, event.idempotencyKey) } : checked;
        changes.push(change);
        projected = projectOrderChange(projected, change);
      }
    } catch (error) {
      await Promise.all(claims.map(({ claim }) => claim.release()));
      throw error;
    }
    return { order, changes, claims, projected };
  }

  /** One adapter call per provider; element index -> that element's answer. */
  private sendChanges(outcomes: PromiseSettledResult<PreparedChanges>[]): Map<number, Promise<OrderChangeResult | undefined>> {
    const groups = new Map<Provider, number[]>();
    outcomes.forEach((outcome, index) => {
      if (outcome.status !== 'fulfilled' || !outcome.value.changes.length) return;
      const provider = outcome.value.order.provider;
      groups.set(provider, [...(groups.get(provider) ?? []), index]);
    });
    const answers = new Map<number, Promise<OrderChangeResult | undefined>>();
    for (const [provider, indexes] of groups) {
      const requests = indexes.map((index) => (outcomes[index] as PromiseFulfilledResult<PreparedChanges>).value);
      const adapter = this.adapterFor(provider);
      const answer = adapter.applyOrderChanges
        ? adapter.applyOrderChanges(requests.map(({ order, changes }) => ({ order, changes })))
        : Promise.reject(notSupported(`${provider} orders cannot be captured, refunded or cancelled through the gateway`));
      indexes.forEach((index, position) => {
        const element = answer.then((list) => list[position]);
        element.catch(() => undefined); // awaited by the element's own promise; not unhandled
        answers.set(index, element);
      });
    }
    return answers;
  }

  private async finishChanges(request: PreparedChanges, result: Promise<OrderChangeResult | undefined>): Promise<Order> {
    let outcome;
    try {
      outcome = await result;
    } catch (error) {
      await Promise.all(request.claims.map(({ claim }) => claim.release()));
      throw error;
    }
    if (!outcome) throw new Error('the adapter answered fewer elements than it was given');
    // The keys of the changes that took effect are stored with the first fact of the answer, in
    // the same write: if this instance stops before the keys below are marked done, a retry
    // finds them on the order and does not send the change again (a second partial capture).
    const appliedKeys = request.claims.filter(({ position }) => outcome.ok || outcome.applied[position]).map(({ requestKey }) => requestKey);
    let order = request.order;
    for (const [index, fact] of outcome.observations.entries()) order = await this.record(order.id, fact, 'CLIENT', index === 0 ? appliedKeys : []);
    if (!outcome.observations.length && appliedKeys.length) order = await this.rememberRequestKeys(order.id, appliedKeys);
    if (!outcome.ok) {
      // Changes that took effect upstream keep their keys, or a retry would apply them twice
      // (a second refund); only the refused ones are released for the retry.
      const applied = outcome.applied;
      await Promise.all(request.claims.map(({ claim, position }) => (applied[position] ? claim.complete(order.id) : claim.release())));
      throw outcome.error;
    }
    await Promise.all(request.claims.map(({ claim }) => claim.complete(order.id)));
    return this.mustGet(order.id);
  }
}

type Claimed = { release(): Promise<void>; complete(result: string): Promise<void> };

/** One applyOrderEvents element, checked and with its idempotency keys claimed. */
interface PreparedChanges {
  order: Order;
  changes: OrderChange[];
  /** Each claimed key with the index in `changes` of the change it belongs to, and its name on the order. */
  claims: { claim: Claimed; position: number; requestKey: string }[];
  /** The order as these changes will leave it (what a later element for it is checked against). */
  projected: Order;
}

function parkedKey(provider: Provider, providerOrderId: string): string {
  return `parked:${provider}:${providerOrderId}`;
}

/** Where facts that named the gateway's own order id are parked (see WebhookFact.orderId). */
function ownIdKey(orderId: string): string {
  return `order:${orderId}`;
}

/** Gateway order ids: "ord_" and 20 random base62 characters. */
export function newOrderId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(20);
  return `ord_${Array.from(bytes, (byte) => alphabet[byte % 62]).join('')}`;
}

/** How an order event's idempotency key is remembered on the order (`seenKeys`): no caller id or key in clear. */
function changeRequestKey(caller: string, key: string): string {
  return `request:${createHash('sha256').update(`${caller}\n${key}`).digest('base64url').slice(0, 22)}`;
}
