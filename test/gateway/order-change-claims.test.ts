/**
 * An order change's idempotency claim lives as long as the order's change lease (it is taken
 * under it, apply-order-events.ts), not the two minutes of other claims: a retry after its holder
 * died (killed between the provider's answer and the store write) is answered once the lease ran
 * out, refused while the change is still pending, and never sent twice. And since a claim can now
 * run out under its own call, one key used twice in one call is refused outright.
 *
 * The order service runs here on its own (the in-process store, Intergiro's sandbox over HTTP):
 * the gateway's change lease is at least 30 s, this one 500 ms, so a stuck holder's lease runs out
 * within the test. The held Intergiro answer (`hold` fault) is the holder that never comes back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/domain/caller.js';
import { GatewayError } from '../../src/domain/errors.js';
import { OrderService } from '../../src/domain/orders/service.js';
import { createAdapters } from '../../src/providers/adapters.js';
import type { Store } from '../../src/store/types.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroCardOrder } from '../support/intergiro.js';

const LEASE_MS = 500;

describe('order change claims live as long as the change lease', () => {
  let env: TestEnvironment;
  let store: Store;
  let service: OrderService;
  let shopUrl: string;
  let shop: string;
  const manager: Caller = { sub: 'back-office-claims', scopes: new Set(['orders:read', 'orders:manage']) };

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const gateway = await env.startGateway({ reconcileIntervalMs: 60_000 }, { pollerDisabled: true });
    shopUrl = gateway.url;
    shop = await tokenFor('orders:create', 'shop-claims');
    store = env.newStore();
    const intergiro = { url: env.intergiro.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET };
    service = new OrderService({
      store,
      adapters: createAdapters({ intergiro }, { publicUrl: gateway.url, timeoutMs: 60_000, kv: store.kv }),
      reconcileIntervalMs: 60_000,
      changeLeaseTtlMs: LEASE_MS,
    });
  });
  afterAll(async () => {
    env?.intergiro.faults.release();
    env?.intergiro.pauseCallbacks(false);
    await env?.close();
  });

  async function authorized(): Promise<OrderView> {
    return (await gqlOk<{ createOrder: OrderView }>(shopUrl, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
  }

  const patches = (): number => env.intergiro.faults.count(/^PATCH \/v1\/order$/);
  const codeOf = (error: unknown): unknown => (error instanceof GatewayError ? error.code : String(error));

  it('a retry after the holder is gone is refused while the change is pending (not after two minutes), and never sent twice', async () => {
    const order = await authorized();
    const capture = [{ orderId: order.id, events: [{ type: 'CAPTURE' as const, idempotencyKey: randomUUID() }] }];
    const before = patches();
    // Intergiro's callback would settle the capture meanwhile (then the retry answers it): held back.
    env.intergiro.pauseCallbacks(true);
    env.intergiro.faults.inject({ kind: 'hold', only: /^PATCH \/v1\/order$/ });
    const first = service.applyOrderEvents(manager, capture)[0]!;
    const firstOutcome = first.then(
      () => 'answered',
      (error: unknown) => codeOf(error),
    );
    // Intergiro charged it and holds the answer: the holder is stuck past its lease, as a killed one.
    await eventually(async () => env.intergiro.faults.held() === 1);

    const retried = await service.applyOrderEvents(manager, capture)[0]!.then(
      () => 'answered',
      (error: unknown) => codeOf(error),
    );
    expect(retried).toBe('INVALID_STATE');
    expect(patches() - before).toBe(1);

    // The stuck holder's answer comes at last: a later holder took the order, so it is not written.
    env.intergiro.faults.release();
    expect(await firstOutcome).toBe('PROVIDER_UNAVAILABLE');
    expect(patches() - before).toBe(1);
    env.intergiro.pauseCallbacks(false);
  }, 15_000);

  it('one key twice in one call is BAD_USER_INPUT for the second use, and the first is sent once', async () => {
    const order = await authorized();
    await service.applyOrderEvents(manager, [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])[0];
    const idempotencyKey = randomUUID();
    const before = patches();
    const answers = await Promise.allSettled(
      service.applyOrderEvents(manager, [
        { orderId: order.id, events: [{ type: 'REFUND', amount: '10.00', idempotencyKey }] },
        { orderId: order.id, events: [{ type: 'REFUND', amount: '10.00', idempotencyKey }] },
      ]),
    );
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.status : codeOf(answer.reason)))).toEqual(['PARTIALLY_REFUNDED', 'BAD_USER_INPUT']);
    expect(patches() - before).toBe(1);
  }, 15_000);
});
