import { createHash } from 'node:crypto';
import { requireScope, type Caller } from '../caller.js';
import { badInput, GatewayError, mayHaveReachedProvider, notSupported } from '../errors.js';
import { fingerprintOf } from '../idempotency.js';
import type { Order, Provider } from '../order.js';
import { checkOrderChange, projectOrderChange, type OrderChange, type OrderChangeInput } from '../order-events.js';
import type { OrderChangeResult } from '../provider-port.js';
import { checkFence, StaleChangeLeaseError, takeChangeLease, type ChangeLease } from './change-lease.js';
import { adapterFor, type OrderDeps } from './deps.js';
import { intentsOf, refuseWhilePending, withoutIntents, withPending } from './pending-operations.js';
import { recordFact, rememberRequestKeys, scheduleReconciliation, storedOrder } from './record-fact.js';

/**
 * OrderEventsInput as GraphQL hands it over: the one declaration of its shape; schema/inputs.ts
 * implements the GraphQL input (and OrderEventInput) against it.
 */
export interface OrderEventsInput {
  orderId: string | number;
  events: (OrderChangeInput & { idempotencyKey?: string | null })[];
}

/** An element with the order's id as the store knows it. */
type OrderEvents = OrderEventsInput & { orderId: string };

type Claimed = { release(): Promise<void>; complete(result: string): Promise<void> };

/** One applyOrderEvents element, checked and with its idempotency keys claimed. */
interface PreparedChanges {
  order: Order;
  /** The fencing token of the order's change lease this element runs under. */
  fence: number;
  changes: OrderChange[];
  /** The id of each change's intent written on the order before the call (pending-operations.ts), by position. */
  intents: string[];
  /** Each claimed key with the index in `changes` of the change it belongs to, and its name on the order. */
  claims: { claim: Claimed; position: number; requestKey: string }[];
  /** The order as these changes will leave it (what a later element for it is checked against). */
  projected: Order;
  /** The request keys this call has claimed on the order so far, this element's included. */
  keys: ReadonlySet<string>;
}

/**
 * CONTRACT applyOrderEvents: element i answers input i, a failed element fails alone. Each
 * element's events are checked against the order (as the earlier events will leave it) before
 * any provider is called; elements of one provider go upstream in one batch where it allows.
 *
 * Every order named runs under its change lease (change-lease.ts) from before its check until
 * its answer is stored: concurrent calls and other gateway instances changing the same order
 * wait, then are checked against the order as this call left it. Two full captures at the same
 * moment: one reaches the provider, the other is INVALID_STATE.
 */
export function applyOrderEvents(deps: OrderDeps, caller: Caller | null, inputs: OrderEventsInput[]): Promise<Order>[] {
  const manager = requireScope(caller, 'orders:manage');
  const elements: OrderEvents[] = inputs.map((input) => ({ ...input, orderId: String(input.orderId) }));
  const leases = takeChangeLeases(deps, elements.map(({ orderId }) => orderId));
  // Elements naming the same order are checked one after another, each against the order as
  // the earlier ones will leave it: two captures in one call cannot together exceed the bounds.
  const latest = new Map<string, Promise<PreparedChanges>>();
  const prepared = elements.map((input, index) => {
    const earlier = latest.get(input.orderId);
    const lease = leases.get(input.orderId) as Promise<ChangeLease>;
    const preparation = earlier
      ? earlier.then(
          (before) => lease.then((held) => prepareChanges(deps, manager, input, `input.${index}`, held, before.projected, before.keys)),
          () => lease.then((held) => prepareChanges(deps, manager, input, `input.${index}`, held)),
        )
      : lease.then((held) => prepareChanges(deps, manager, input, `input.${index}`, held));
    latest.set(input.orderId, preparation);
    return preparation;
  });
  // Once every element is checked, the good ones go upstream together, one batch per provider.
  const sent = Promise.allSettled(prepared).then((outcomes) => sendChanges(deps, outcomes));
  const answers = prepared.map(async (preparation, index) => {
    const ready = await preparation;
    if (!ready.changes.length) return ready.order; // every event repeated a key already done
    const result = (await sent).get(index);
    if (!result) throw new Error('unreachable: a prepared element was not sent');
    return finishChanges(deps, ready, result);
  });
  releaseWhenAnswered(leases, elements, answers);
  return answers;
}

/**
 * One change lease per order named, taken one after another in id order: two calls naming the
 * same two orders never each hold one while waiting for the other.
 */
function takeChangeLeases(deps: OrderDeps, orderIds: string[]): Map<string, Promise<ChangeLease>> {
  const leases = new Map<string, Promise<ChangeLease>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const orderId of [...new Set(orderIds)].sort()) {
    const lease = previous.then(() => takeChangeLease(deps, orderId));
    lease.catch(() => undefined); // its elements answer the error
    leases.set(orderId, lease);
    previous = lease.catch(() => undefined);
  }
  return leases;
}

/** Gives each order's lease back once every element naming it has answered (stored its outcome or failed). */
function releaseWhenAnswered(leases: Map<string, Promise<ChangeLease>>, elements: OrderEvents[], answers: Promise<Order>[]): void {
  for (const [orderId, lease] of leases) {
    const own = answers.filter((_, index) => elements[index]?.orderId === orderId);
    void Promise.allSettled([lease, ...own]).then(([held]) => (held?.status === 'fulfilled' ? (held.value as ChangeLease).release() : undefined));
  }
}

/**
 * `after`: the order as an earlier element of the same call will leave it, to check against;
 * `earlierKeys`: the request keys the earlier elements claimed on it.
 */
async function prepareChanges(
  deps: OrderDeps,
  manager: Caller,
  input: OrderEvents,
  field: string,
  lease: ChangeLease,
  after?: Order,
  earlierKeys: ReadonlySet<string> = new Set(),
): Promise<PreparedChanges> {
  const order = lease.order;
  if (!input.events.length) throw badInput(`${field}.events`, 'At least one event is required');
  // A provider without order events answers that, whatever state the order is in: "not
  // possible now" (INVALID_STATE) would suggest it might be later.
  const adapter = deps.adapters.get(order.provider);
  if (!adapter?.applyOrderChanges) throw cannotChange(order.provider);
  // Operations sent earlier whose outcome is not known yet count as done against the bounds.
  let projected = after ?? withPending(order);
  const changes: OrderChange[] = [];
  const claims: PreparedChanges['claims'] = [];
  const keys = new Set(earlierKeys);
  try {
    for (const [index, event] of input.events.entries()) {
      const eventField = `${field}.events.${index}`;
      // The key is looked at before the event is checked: a repeat of an event already applied
      // answers the first result (CONTRACT "Idempotency") even though the order it changed no
      // longer allows it (a repeated full capture or cancel would otherwise be INVALID_STATE).
      if (event.idempotencyKey) {
        const { idempotencyKey, ...rest } = event;
        const requestKey = changeRequestKey(manager.sub, idempotencyKey);
        // This call's own claim would only run out (see below), and the event be sent twice.
        if (keys.has(requestKey)) throw badInput(`${eventField}.idempotencyKey`, 'This idempotency key is already used by another event of this call');
        // Claimed under the order's change lease, so it lives no longer than the lease: a claim
        // still in progress once the lease ran out is a dead holder's (killed between the
        // provider's answer and the store write), and the retry need not wait out the usual
        // two minutes. Nothing is sent twice for it: the change's intent, stored before the call,
        // refuses the retry while it is pending, and its fenced writes keep the dead holder out.
        const claim = await deps.idempotency.claim(
          { caller: manager.sub, operation: `orderEvent:${order.id}`, key: idempotencyKey, field: `${eventField}.idempotencyKey` },
          fingerprintOf(rest),
          deps.changeLease.ttlMs,
        );
        if (claim.state === 'done') continue; // already applied once: not again
        if (order.seenKeys.includes(requestKey)) {
          // Applied, but the instance stopped before the key was marked done (see finishChanges).
          await claim.complete(order.id);
          continue;
        }
        claims.push({ claim, position: changes.length, requestKey });
        keys.add(requestKey);
        refuseWhilePending(order, requestKey); // sent once already, answer lost: never again
      }
      const checked = checkOrderChange(projected, event, eventField, adapter.capabilities);
      const change = event.idempotencyKey ? { ...checked, requestKey: changeRequestKey(manager.sub, event.idempotencyKey) } : checked;
      changes.push(change);
      projected = projectOrderChange(projected, change);
    }
    const intents = changes.length ? await writeIntents(deps, order, lease.fence, changes, after) : [];
    return { order, fence: lease.fence, changes, intents, claims, projected, keys };
  } catch (error) {
    await Promise.all(claims.map(({ claim }) => claim.release()));
    throw error;
  }
}

/**
 * Intent before call: the element's changes are written on the order as pending operations (one
 * fenced write under the change lease, after the write that stamped it) before the provider is
 * asked. A store that cannot take the write fails the element with nothing sent.
 */
async function writeIntents(deps: OrderDeps, order: Order, fence: number, changes: OrderChange[], after?: Order): Promise<string[]> {
  const intents = intentsOf(after ?? withPending(order), changes, deps.now());
  // Scheduled first: if this instance dies after the call, the poller still comes to resolve the
  // intents (an order it finds with nothing pending and nothing to wait for is taken off again).
  await deps.store.schedule.schedule(order.id, deps.now().getTime() + deps.reconcileIntervalMs);
  const written = await deps.store.orders.update(order.id, (current) => {
    checkFence(current, fence);
    return { ...current, pendingOperations: [...(current.pendingOperations ?? []), ...intents] };
  });
  if (!written) throw new Error(`order ${order.id} vanished under its change lease`);
  return intents.map(({ id }) => id);
}

/** One adapter call per provider; element index -> that element's answer. */
function sendChanges(deps: OrderDeps, outcomes: PromiseSettledResult<PreparedChanges>[]): Map<number, Promise<OrderChangeResult | undefined>> {
  const groups = new Map<Provider, number[]>();
  outcomes.forEach((outcome, index) => {
    if (outcome.status !== 'fulfilled' || !outcome.value.changes.length) return;
    const provider = outcome.value.order.provider;
    groups.set(provider, [...(groups.get(provider) ?? []), index]);
  });
  const answers = new Map<number, Promise<OrderChangeResult | undefined>>();
  for (const [provider, indexes] of groups) {
    const requests = indexes.map((index) => (outcomes[index] as PromiseFulfilledResult<PreparedChanges>).value);
    const adapter = adapterFor(deps.adapters, provider);
    const answer = adapter.applyOrderChanges
      ? adapter.applyOrderChanges(requests.map(({ order, changes }) => ({ order, changes })))
      : Promise.reject(cannotChange(provider));
    indexes.forEach((index, position) => {
      const element = answer.then((list) => list[position]);
      element.catch(() => undefined); // awaited by the element's own promise; not unhandled
      answers.set(index, element);
    });
  }
  return answers;
}

async function finishChanges(deps: OrderDeps, request: PreparedChanges, result: Promise<OrderChangeResult | undefined>): Promise<Order> {
  let outcome;
  try {
    outcome = await result;
  } catch (error) {
    await unanswered(deps, request, error);
    await Promise.all(request.claims.map(({ claim }) => claim.release()));
    throw error;
  }
  if (!outcome) throw new Error('the adapter answered fewer elements than it was given');
  // The keys of the changes that took effect are stored with the first fact of the answer, in
  // the same write: if this instance stops before the keys below are marked done, a retry
  // finds them on the order and does not send the change again (a second partial capture).
  const appliedKeys = request.claims.filter(({ position }) => outcome.ok || outcome.applied[position]).map(({ requestKey }) => requestKey);
  // The intents the answer settles go in that same write: what took effect, and what was refused;
  // a change whose outcome the provider left unknown (PROVIDER_UNAVAILABLE, unless surely never
  // sent) stays pending.
  const unknown = !outcome.ok && outcome.error instanceof GatewayError && mayHaveReachedProvider(outcome.error);
  const settled = request.intents.filter((_, position) => outcome.ok || outcome.applied[position] || !unknown);
  // Of those, what took effect: an earlier change still pending must not take its effect for its own.
  const done = request.intents.filter((_, position) => outcome.ok || outcome.applied[position]);
  let order = request.order;
  try {
    for (const [index, fact] of outcome.observations.entries()) {
      order = await recordFact(deps, order.id, fact, 'CLIENT', index === 0 ? appliedKeys : [], request.fence, index === 0 ? settled : [], index === 0 ? done : []);
    }
    if (!outcome.observations.length && (appliedKeys.length || settled.length)) {
      order = await rememberRequestKeys(deps, order.id, appliedKeys, request.fence, settled, done);
    }
    if (settled.length < request.intents.length) await deps.store.schedule.ask(order.id, deps.now().getTime()).catch(() => undefined);
  } catch (error) {
    if (error instanceof StaleChangeLeaseError) await outlivedLease(deps, request, outcome);
    else await unstored(deps, request);
    throw error;
  }
  if (!outcome.ok) {
    // Changes that took effect upstream keep their keys, or a retry would apply them twice
    // (a second refund); only the refused ones are released for the retry.
    const applied = outcome.applied;
    await Promise.all(request.claims.map(({ claim, position }) => (applied[position] ? claim.complete(order.id) : claim.release())));
    throw outcome.error;
  }
  await Promise.all(request.claims.map(({ claim }) => claim.complete(order.id)));
  return storedOrder(deps, order.id);
}

/**
 * The provider answered, but a later lease holder stamped the order first: this answer is not
 * written over its work. What took effect keeps its keys (a retry must not send it again), the
 * order is read from the provider at once by reconciliation, and the caller is told the outcome
 * is not stored (PROVIDER_UNAVAILABLE from StaleChangeLeaseError).
 */
async function outlivedLease(deps: OrderDeps, request: PreparedChanges, outcome: OrderChangeResult): Promise<void> {
  await Promise.all(
    request.claims.map(({ claim, position }) => (outcome.ok || outcome.applied[position] ? claim.complete(request.order.id) : claim.release())),
  ).catch(() => undefined);
  await deps.store.schedule.ask(request.order.id, deps.now().getTime()).catch(() => undefined);
}

/**
 * The provider call failed. A refusal, or a call never sent, drops the intents (one fenced
 * write); an unknown outcome (PROVIDER_UNAVAILABLE: a timeout, a reset, a 5xx after sending)
 * leaves them pending and has reconciliation read the provider at once.
 */
async function unanswered(deps: OrderDeps, request: PreparedChanges, error: unknown): Promise<void> {
  try {
    if (mayHaveReachedProvider(error)) {
      await deps.store.schedule.ask(request.order.id, deps.now().getTime());
      return;
    }
    const dropped = await deps.store.orders.update(request.order.id, (current) => {
      checkFence(current, request.fence);
      return withoutIntents(current, request.intents);
    });
    if (dropped) await scheduleReconciliation(deps, dropped.order);
  } catch {
    // the store is down or a later holder took over: the intents stay pending for reconciliation
  }
}

/**
 * The provider answered but the store did not keep it (down at that moment): the intents stay
 * pending on the order, so the keys can be given back at once (a retry is refused while the
 * operation is pending, never sent again) and reconciliation reads the provider.
 */
async function unstored(deps: OrderDeps, request: PreparedChanges): Promise<void> {
  await Promise.all(request.claims.map(({ claim }) => claim.release())).catch(() => undefined);
  await deps.store.schedule.ask(request.order.id, deps.now().getTime()).catch(() => undefined);
}

function cannotChange(provider: Provider): Error {
  return notSupported(`${provider} orders cannot be captured, refunded or cancelled through the gateway`);
}

/** How an order event's idempotency key is remembered on the order (`seenKeys`): no caller id or key in clear. */
function changeRequestKey(caller: string, key: string): string {
  return `request:${createHash('sha256').update(`${caller}\n${key}`).digest('base64url').slice(0, 22)}`;
}
