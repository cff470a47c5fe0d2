import { afterAll, beforeAll, expect } from 'vitest';
import type { Gateway } from '../../../src/app.js';
import { APPLY_EVENTS, CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, type OrderView } from '../documents.js';
import { eventually, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../gateway.js';
import { gql, gqlOk } from '../graphql.js';
import { recordSecrets } from '../test-logs.js';
import { CHARGED, closeCheckingMoney, minorOf } from './money-check.js';
import { startIntergiroServer, type IntergiroServer, type IntergiroServerOptions } from './intergiro-server.js';

/** The independent Intergiro's options a suite varies, and whether the gateway is given the callback secret. */
export type IntergiroVariation = Omit<IntergiroServerOptions, 'apiKey' | 'callbackSecret'> & { gatewayWithoutSecret?: boolean };

/** A round's API key and callback secret (each round its own, so the log scan can tell them apart). */
export const intergiroSecrets = (round: string) => ({ apiKey: `independent-intergiro-key${round}`, callbackSecret: `independent-intergiro-callback-secret${round}` });

/** How a round runs its gateway: its store, and how often it re-reads waiting orders. */
export interface IntergiroRoundOptions {
  /** Default the memory store. */
  store?: StoreKind;
  /**
   * Default ten minutes: waiting orders are re-read rarely, so a change seen within a test is an
   * answer's or a callback's doing, not a re-read's.
   */
  reconcileIntervalMs?: number;
  /** The gateway's order clock (round nine: orders made "days ago"); default the system clock. */
  now?: () => Date;
  /** Round twelve: no poller (reconciliation run by hand, `context.gateway.service.reconcile`), for a clock moved ahead. */
  pollerDisabled?: boolean;
  /** Round twenty-four: the gateway's bound for each Intergiro call (default 400 ms), for answers slower than that but not lost. */
  providerTimeoutMs?: number;
}

/**
 * What the independent-Intergiro suites share, inside a describe: an environment, an independent
 * Intergiro with `variation`, one gateway against it, the shop's, merchant's and back office's
 * tokens, and the calls the tests make. Both secrets go to the log scan.
 */
export function useIndependentIntergiro(round: string, variation: IntergiroVariation, setup: IntergiroRoundOptions = {}) {
  const { apiKey, callbackSecret } = intergiroSecrets(round);
  const context = {} as { env: TestEnvironment; server: IntergiroServer; gateway: Gateway; shop: string; merchant: string; backOffice: string };
  beforeAll(async () => {
    context.env = await startTestEnvironment(setup.store ?? 'memory');
    recordSecrets([apiKey, callbackSecret]);
    const { gatewayWithoutSecret, ...options } = variation;
    context.server = await startIntergiroServer({ apiKey, callbackSecret, ...options });
    context.gateway = await context.env.startGateway({
      intergiro: { url: context.server.url, apiKey, ...(gatewayWithoutSecret ? {} : { callbackSecret }) },
      reconcileIntervalMs: setup.reconcileIntervalMs ?? 600_000,
      providerTimeoutMs: setup.providerTimeoutMs ?? 400,
    }, { ...(setup.now ? { now: setup.now } : {}), ...(setup.pollerDisabled ? { pollerDisabled: true } : {}) });
    context.shop = await tokenFor('orders:create', `independent-intergiro-shop${round}`);
    // A CUSTOMER payment (or a saved card the merchant initiates) charges the buyer without them:
    // the merchant's systems create it, with orders:manage (a browser's token is refused).
    context.merchant = await tokenFor('orders:create orders:manage', `independent-intergiro-merchant${round}`);
    context.backOffice = await tokenFor('orders:read orders:manage', `independent-intergiro-back-office${round}`);
  });
  /** Every order the suite created, for the check below. */
  const created: { id: string; providerOrderId: string }[] = [];
  afterAll(() =>
    closeCheckingMoney(
      'Intergiro',
      async () => {
        const overstating = await Promise.all(
          (context.gateway ? created : []).map(async (order) => {
            const { status, payments } = await read(order.id);
            const at = context.server.order(order.providerOrderId);
            if (!payments[0] || !at) return false;
            const charged = minorOf(payments[0].capturedAmount.amount) <= at.charged && (!CHARGED.has(status) || at.charged > 0);
            return !charged || minorOf(payments[0].refundedAmount.amount) > at.refunded;
          }),
        );
        return created.filter((_, index) => overstating[index]).map((order) => order.id);
      },
      async () => {
        await context.env?.close();
        await context.server?.close();
      },
    ),
  );
  /** `by`: whose token creates it, the shop's browser (default) or the merchant's systems (a merchant-initiated order). */
  const create = (intergiro: Record<string, unknown>, extra: Record<string, unknown> = {}, by: 'shop' | 'merchant' = 'shop') =>
    gql<{ createOrder: OrderView }>(context.gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro, ...extra } }, context[by]);
  const createOk = async (intergiro: Record<string, unknown>, extra: Record<string, unknown> = {}, by: 'shop' | 'merchant' = 'shop'): Promise<OrderView> => {
    const result = await create(intergiro, extra, by);
    expect(result.errors).toBeUndefined();
    const made = result.data!.createOrder;
    if (made.providerOrderId) created.push({ id: made.id, providerOrderId: made.providerOrderId });
    return result.data!.createOrder;
  };
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(context.gateway.url, GET_ORDER, { id }, context.backOffice)).order;
  const settlesAt = (id: string, status: string, timeoutMs = 6000) =>
    eventually(async () => {
      const order = await read(id);
      return order.status === status ? order : undefined;
    }, timeoutMs);
  const apply = (input: { orderId: string; events: Record<string, unknown>[] }[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(context.gateway.url, APPLY_EVENTS, { input }, context.backOffice);
  /** The shop resubmits an order's 3-D Secure result (the card the independent Intergiro takes as verified). */
  const resubmit = (orderId: string) =>
    gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId, threeDS: { type: 'card', card: 'tok_3ds_done' } } }, context.shop);
  return { context, create, createOk, read, settlesAt, apply, resubmit };
}
