/**
 * A creation whose answer was lost, looked for twice at once: the client's retry under its key and
 * the reconciliation sweep (domain/orders/lost-creation.ts). Round fourteen's Pei helper saw it
 * through GraphQL: a retry that read the store just before the sweep adopted the order, and asked
 * the provider just after, found the order under its own id and answered "shows only an earlier
 * order with the same reference" (PROVIDER_UNAVAILABLE) once. Here the interleaving is forced:
 * the sweep runs while the retry waits for the provider's answer.
 */
import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import type { Order } from '../../src/domain/order.js';
import type { CreatedOrder, ProviderAdapter } from '../../src/domain/provider-port.js';
import { recordCreationIntent, readCreationIntent, type CreationIntent } from '../../src/domain/orders/creation-intent.js';
import { findLostCreation } from '../../src/domain/orders/lost-creation.js';
import { storeAccepted } from '../../src/domain/orders/store-accepted.js';
import { createMemoryStore } from '../../src/store/memory.js';

const total = money('EUR', 2000);
const found: CreatedOrder = {
  providerOrderId: 'PROVIDER-1',
  reference: 'shop-1',
  total,
  items: [{ name: 'T-shirt', quantity: 1, unitPrice: total, amount: total }],
  observation: { key: 'created:PROVIDER-1', type: 'created', status: 'CREATED', provider: 'INTERGIRO', providerStatus: 'created' },
};

function setUp(findCreated: () => Promise<CreatedOrder | null>) {
  const store = createMemoryStore();
  const adapter = { provider: 'INTERGIRO', capabilities: { createdWith: 'createOrder', contents: 'input' }, findCreated } as unknown as ProviderAdapter;
  const deps = {
    store,
    adapters: new Map([['INTERGIRO' as const, adapter]]),
    now: () => new Date(),
    reconcileIntervalMs: 60_000,
    callbackGraceMs: 60_000,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    creationSettleMs: 0,
  };
  const intent: CreationIntent = {
    orderId: 'order-lost-1',
    provider: 'INTERGIRO',
    owner: 'shop',
    reference: 'shop-1',
    fingerprint: null,
    total,
    items: found.items,
    since: new Date(Date.now() - 60_000).toISOString(),
    lookup: {},
  };
  return { store, deps, intent };
}

describe('a lost creation looked for by a retry and the sweep at once', () => {
  it('the retry that finds the order the sweep adopted under its own id a moment ago answers that order', async () => {
    let sweep: Promise<unknown> | undefined;
    const { store, deps, intent } = setUp(async () => {
      // The sweep looks (and stores) while the retry's own look is with the provider.
      if (!sweep) {
        const read = (await readCreationIntent(deps, intent.orderId))!;
        sweep = findLostCreation(deps, read.intent, read.raw);
        await sweep;
      }
      return found;
    });
    await recordCreationIntent(deps, intent);
    const read = (await readCreationIntent(deps, intent.orderId))!;

    const retry = await findLostCreation(deps, read.intent, read.raw);

    expect(await sweep).toMatchObject({ state: 'adopted', order: { id: intent.orderId } });
    expect(retry).toMatchObject({ state: 'adopted', order: { id: intent.orderId, providerOrderId: 'PROVIDER-1' } });
    expect(await readCreationIntent(deps, intent.orderId)).toBeNull();
    expect((await store.orders.get(intent.orderId))?.events).toHaveLength(1);
  });

  it('an order another creation made under the same reference is still not this one', async () => {
    const { deps, intent } = setUp(async () => found);
    const other: Order = await storeAccepted(deps, 'shop', 'INTERGIRO', 'order-earlier', found);
    await recordCreationIntent(deps, intent);
    const read = (await readCreationIntent(deps, intent.orderId))!;

    const retry = await findLostCreation(deps, read.intent, read.raw);

    expect(other.id).toBe('order-earlier');
    expect(retry.state).toBe('unknown');
    expect(retry.state === 'unknown' && retry.error.message).toContain('shows only an earlier order with the same reference');
  });
});
