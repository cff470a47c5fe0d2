/**
 * CONTRACT §3: while the gateway's own store cannot be reached, a capture/refund/cancel answers
 * SERVICE_UNAVAILABLE (HTTP 503) — not INTERNAL_SERVER_ERROR — and nothing is sent to the
 * provider (its change lease cannot be taken, so no call is made); a createOrder likewise (its
 * intent is written before the provider call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroCardOrder, intergiroOrderCount } from '../support/intergiro.js';

describe('the store is unreachable during a capture (redis store)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    shop = await tokenFor('orders:create', 'shop-outage');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-outage');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('a capture and a creation answer SERVICE_UNAVAILABLE with HTTP 503 and send nothing to Intergiro', async () => {
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('30.00') }, shop)).createOrder;
    const capture = { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `outage-${order.id}` }] }] };
    const asked = () => (env.intergiro.getOrder(order.providerOrderId ?? '')?.event ?? []).filter((event) => event.type !== 'order').length;

    await env.redis!.stop();
    const refused = await gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, capture, backOffice);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(refused.status).toBe(503);
    expect(refused.raw).not.toMatch(/INTERNAL_SERVER_ERROR|ECONNREFUSED|at .*\.ts/);
    expect(asked()).toBe(0);

    // A creation while the store is down: refused the same way, and no order appears at Intergiro.
    const before = await intergiroOrderCount(env.intergiro);
    const created = await gql(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('30.00') }, shop);
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(created.status).toBe(503);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);

  });
});
