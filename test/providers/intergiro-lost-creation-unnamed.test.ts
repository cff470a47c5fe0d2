/**
 * A creation whose answer was lost is looked for in Intergiro's listing by the `number` the
 * gateway sent. Only the seed's verify answer shows an order's `number`: against an Intergiro
 * whose listing leaves it out, an order of the same amount and currency made since the call may
 * be the lost one, so a retry once the call must be over is not a new creation (a CUSTOMER order
 * with `charge: auto` would be charged twice). The recording proxy strips `number` from the
 * sandbox's order answers; the gateway's clock is moved past the creation's settle period.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { editIntergiroOrders } from '../support/intergiro.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

describe('Intergiro whose listing carries no `number`: a lost creation is not made a second time', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let proxy: RecordingProxy;
  /** The merchant's systems (a CUSTOMER payment charges the buyer without them: orders:manage). */
  let merchant: string;
  let ahead = 0;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    proxy = await startRecordingProxy(env.intergiro.url);
    editIntergiroOrders(proxy, (order) => delete order.number);
    env.intergiro.pauseCallbacks(true);
    gateway = await env.startGateway(
      { intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET } },
      { pollerDisabled: true, now: () => new Date(Date.now() + ahead) },
    );
    merchant = await tokenFor('orders:create orders:manage', 'merchant-lost-unnamed');
  });
  afterAll(async () => {
    proxy.beforeAnswer = null;
    env?.intergiro.pauseCallbacks(false);
    await proxy?.close();
    await env?.close();
  });

  it('a charge-at-once customer order whose answer was lost: the retry past the settle period answers PROVIDER_UNAVAILABLE and Intergiro saw one creation', async () => {
    const input = {
      provider: 'INTERGIRO',
      currency: 'EUR',
      amount: '31.70',
      intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS', charge: true },
      idempotencyKey: randomUUID(),
    };
    const posts = () => env.intergiro.faults.count(/^POST \/v1\/order$/);
    const before = posts();
    env.intergiro.faults.inject({ kind: 'lost', only: /^POST \/v1\/order$/ });
    const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
    expect(first.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(posts()).toBe(before + 1);

    ahead += 5 * 60_000; // the first call must be over by now
    const retried = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
    // Before: "not in the listing" (no order there names the gateway's id) -> created and charged again.
    expect(retried.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(posts()).toBe(before + 1);
  });
});
