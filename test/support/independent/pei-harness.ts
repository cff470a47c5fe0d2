import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { Gateway } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { CREATE_ORDER, GET_ORDER, type OrderView } from '../documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../gateway.js';
import { gql, gqlOk } from '../graphql.js';
import { recordSecrets } from '../test-logs.js';
import { CHARGED, closeCheckingMoney } from './money-check.js';
import { startIndependentPei, type IndependentPei, type IndependentPeiOptions } from './pei-server.js';

/** Statuses in which the gateway has done with an order's money. */
const ENDED: ReadonlySet<string> = new Set(['CAPTURED', 'EXPIRED', 'CANCELLED', 'FAILED']);

/** The buyer of every order the suites create (the independent Pei knows this national id). */
export const PEI_BUYER_SSN = '0102882849';

/** What one independent-Pei suite runs against, once its beforeAll has run. */
export interface PeiParts {
  env: TestEnvironment;
  pei: IndependentPei;
  /** The shop's browser: orders:create only. */
  shop: string;
  /**
   * The merchant's systems (orders:create orders:manage): what charges the buyer without them,
   * `purchase` and `recurring` below, is theirs to create (a browser's token is refused).
   */
  merchant: string;
  backOffice: string;
}

/**
 * What the independent-Pei suites share (pei-independent*.test.ts): one independent Pei on the
 * memory store's test environment, the shop's, merchant's and back office's tokens, a gateway per variation,
 * and the reads they make. Called inside a describe, it registers the hooks; `round` keeps each
 * suite's callers its own. The Pei's client secret and every token it issued go to the log scan
 * after the suite (they must appear in nothing the gateways logged).
 */
export function independentPeiHarness(round: string) {
  const parts = {} as PeiParts;
  beforeAll(async () => {
    parts.env = await startTestEnvironment('memory');
    parts.pei = await startIndependentPei();
    recordSecrets([parts.pei.clientSecret]);
    parts.shop = await tokenFor('orders:create', `shop-independent-pei${round}`);
    parts.merchant = await tokenFor('orders:create orders:manage', `merchant-independent-pei${round}`);
    parts.backOffice = await tokenFor('orders:read orders:manage', `back-office-independent-pei${round}`);
  });
  afterAll(async () => {
    if (parts.pei) recordSecrets(parts.pei.issued);
    await parts.pei?.close();
    await parts.env?.close();
  });

  /** A one-off order's input, `overrides` last; its reference is fresh and names the round. */
  const oneOff = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    provider: 'PEI',
    currency: 'ISK',
    reference: `ind${round.replace(/^-/, '')}-${Math.random().toString(36).slice(2, 10)}`,
    items: [{ code: 'SUB555', name: 'TV subscription', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }],
    buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: PEI_BUYER_SSN, phone: '1234567' },
    pei: { sequenceType: 'ONE_OFF' },
    ...overrides,
  });
  const readAt = async (gateway: Gateway, id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, parts.backOffice)).order;
  return {
    parts,
    oneOff,
    /** An order Pei charges at once (`purchaseForBuyer`): its buyer must have given the merchant access; `parts.merchant` creates it. */
    purchase: (overrides: Record<string, unknown> = {}) => oneOff({ pei: { purchaseForBuyer: true }, ...overrides }),
    /** A Recurring charge under a fresh mandate (one no order of the gateway's issued): `parts.merchant` creates it. */
    recurring: (overrides: Record<string, unknown> = {}) =>
      oneOff({ pei: { sequenceType: 'RECURRING', mandateId: `mandate-${Math.random().toString(36).slice(2)}` }, ...overrides }),
    /** The Pei reset to `variation`, and a gateway of its own against it (`config`: more of the gateway's settings, e.g. a shorter providerTimeoutMs). */
    async gatewayFor(variation: Partial<IndependentPeiOptions>, config: Partial<Config> = {}): Promise<Gateway> {
      const { pei, env } = parts;
      pei.reset(variation);
      const startedAt = Date.now();
      const gateway = await env.startGateway({
        pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
        reconcileIntervalMs: 150,
        ...config,
      });
      // Whatever the suite did with it, the gateway never shows a charge Pei did not make: checked
      // as its suite closes it, so a test that checks only the gateway's answer cannot pass while
      // Pei charged nothing. Once (the environment closes it again at the end, when the Pei has
      // been reset to other readings of the seed), and only the orders made while it ran (the
      // gateways of one suite share a store).
      const close = gateway.close.bind(gateway);
      let checked = false;
      gateway.close = async () => {
        if (checked) return close();
        checked = true;
        // Round seven: nor, once it calls an order done (CAPTURED, EXPIRED, CANCELLED, FAILED), less
        // than Pei charged for it: a paid order ended with nothing (or too little) captured.
        const ended = await gateway.store.orders.list({ provider: 'PEI', fromMs: startedAt, limit: 10_000 });
        const understated = ended
          .filter((order) => order.providerOrderId && ENDED.has(order.status))
          .filter((order) => {
            const made = pei.orders.get(order.providerOrderId!);
            if (!made || made.purchaseId === undefined || made.declined === true) return false;
            return order.payments.reduce((sum, payment) => sum + payment.capturedAmount.minor, 0) < (made.charged ?? made.amount);
          })
          .map((order) => order.id);
        await closeCheckingMoney(
          'Pei',
          async () => {
            const orders = await gateway.store.orders.list({ provider: 'PEI', fromMs: startedAt, limit: 10_000 });
            return orders
              .filter((order) => order.providerOrderId && (CHARGED.has(order.status) || order.payments.some((payment) => payment.capturedAmount.minor > 0)))
              .filter((order) => {
                const made = pei.orders.get(order.providerOrderId!);
                if (!made || made.purchaseId === undefined || made.declined === true) return true;
                // Round seven: nor more than Pei charged (the buyer's choice among optional items may charge less than the order's amount).
                const captured = order.payments.reduce((sum, payment) => sum + payment.capturedAmount.minor, 0);
                return captured > (made.charged ?? made.amount);
              })
              .map((order) => order.id);
          },
          close,
        );
        expect(understated, 'orders the gateway ended showing less captured than Pei charged').toEqual([]);
      };
      return gateway;
    },
    readAt,
    untilAt: (gateway: Gateway, id: string, status: string, timeoutMs = 4000) =>
      eventually(async () => {
        const order = await readAt(gateway, id);
        return order.status === status ? order : undefined;
      }, timeoutMs),
    /** The POSTs to `path` Pei received for `reference`. */
    callsTo: (path: string, reference: string) => parts.pei.calls.filter((call) => call.method === 'POST' && call.path === path && (call.body as { reference?: unknown } | undefined)?.reference === reference),
  };
}

/**
 * createOrder of `input` (the retry of one whose answer was lost, under its idempotency key) with the
 * gateway's clock `minutes` on: by default past Pei's listing lag bound (2 minutes) and the
 * creation's settle time.
 */
export async function createPastListingLag(url: string, input: Record<string, unknown>, token: string, minutes = 3) {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  try {
    vi.setSystemTime(Date.now() + minutes * 60_000);
    return await gql<{ createOrder: OrderView }>(url, CREATE_ORDER, { input }, token);
  } finally {
    vi.useRealTimers();
  }
}
