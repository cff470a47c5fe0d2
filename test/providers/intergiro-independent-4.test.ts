/**
 * Round four against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for readings of the seed the first three rounds did not try:
 * - the order's status word while its payment link is unpaid: the seed shows only the payment's
 *   (`"status": "created"`) and writes the order's as "<Status of order>", so an implementer may
 *   call it `pending` (waiting for the buyer) or a word of its own;
 * - the verify endpoint where the seed's prose puts it (`/worker-order/order/verify`, no `/v1`),
 *   with the gateway checking callbacks through it (no callback secret);
 * - a PATCH answered 400 by an implementation that applies its elements in a loop and stops at
 *   the first one it cannot carry out (the elements before it applied), and the gateway's retry
 *   of a refused capture under its other word (round three);
 * - the status word after a capture written in the seed's own verb, `captured`;
 * - an Error of `POST /v1/order` answered 200 (the seed names no HTTP status for it).
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { gqlOk } from '../support/graphql.js';
import { startIntergiroServer, type IntergiroServer, type IntergiroServerOptions } from '../support/independent/intergiro-server.js';
import { INTERGIRO_TEST_BROWSER, postIntergiroCallback } from '../support/intergiro.js';
import { recordSecrets } from '../support/test-logs.js';

const API_KEY = 'independent-intergiro-key-4';
const CALLBACK_SECRET = 'independent-intergiro-callback-secret-4';
const RETURN_URLS = { success: 'https://shop.example/ok' };

type Variation = Omit<IntergiroServerOptions, 'apiKey' | 'callbackSecret'> & { gatewayWithoutSecret?: boolean };

function useIndependentIntergiro(variation: Variation) {
  const context = {} as { env: TestEnvironment; server: IntergiroServer; gateway: Gateway; shop: string; backOffice: string };
  beforeAll(async () => {
    context.env = await startTestEnvironment('memory');
    recordSecrets([API_KEY, CALLBACK_SECRET]);
    const { gatewayWithoutSecret, ...options } = variation;
    context.server = await startIntergiroServer({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET, ...options });
    context.gateway = await context.env.startGateway({
      intergiro: { url: context.server.url, apiKey: API_KEY, ...(gatewayWithoutSecret ? {} : { callbackSecret: CALLBACK_SECRET }) },
      // Long: a change seen within a test is an answer's or a callback's doing, not a re-read's.
      reconcileIntervalMs: 600_000,
      providerTimeoutMs: 400,
    });
    context.shop = await tokenFor('orders:create', 'independent-intergiro-shop-4');
    context.backOffice = await tokenFor('orders:read orders:manage', 'independent-intergiro-back-office-4');
  });
  afterAll(async () => {
    await context.env?.close();
    await context.server?.close();
  });
  const create = (intergiro: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    gql<{ createOrder: OrderView }>(
      context.gateway.url,
      CREATE_ORDER,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro, ...extra } },
      context.shop,
    );
  const createOk = async (intergiro: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<OrderView> => {
    const result = await create(intergiro, extra);
    expect(result.errors).toBeUndefined();
    return result.data!.createOrder;
  };
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(context.gateway.url, GET_ORDER, { id }, context.backOffice)).order;
  const settlesAt = (id: string, status: string, timeoutMs = 4000) =>
    eventually(async () => {
      const order = await read(id);
      return order.status === status ? order : undefined;
    }, timeoutMs);
  const apply = (input: { orderId: string; events: Record<string, unknown>[] }[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(context.gateway.url, APPLY_EVENTS, { input }, context.backOffice);
  return { context, create, createOk, read, settlesAt, apply };
}

describe.each([['pending'], ['unpaid']])('Intergiro, round four: an unpaid payment link whose order says `%s`', (linkStatus) => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ linkStatus });

  it('the shop is handed the link (REDIRECT to payment.link), the order waits for the buyer, and the buyer paying it moves it', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    const link = `${context.server.url}/pay/${order.providerOrderId}`;
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: link } });
    expect(order.status).toBe('CREATED');
    if (linkStatus === 'unpaid') {
      // A word the gateway does not know is still shown as said, with its Info (CONTRACT §7).
      expect(order.providerStatus).toBe('unpaid');
      expect(order.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    }
    await context.server.payLink(order.providerOrderId!);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });
});
