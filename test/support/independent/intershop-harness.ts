import { afterAll, beforeAll } from 'vitest';
import type { Gateway } from '../../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, type OrderView } from '../documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../gateway.js';
import { gql, gqlOk } from '../graphql.js';
import { CHARGED, closeCheckingMoney, minorOf } from './money-check.js';
import { startIcmServer, type IcmServer, type IcmServerOptions } from './intershop-server.js';

/** What one independent-ICM suite runs against, once its beforeAll has run. */
export interface IcmParts {
  env: TestEnvironment;
  icm: IcmServer;
  gateway: Gateway;
  shop: string;
  backOffice: string;
}

/**
 * A gateway in front of an independent ICM with `options` (the suites of rounds two to five),
 * inside a describe, and the calls a merchant's flows make; `round` keeps each suite's callers its
 * own. Each suite adds the helpers only it needs. The suite ends with a money check over every
 * order made through `create` / `createOk` (or named with `track`): none shows more reserved or
 * captured than the ICM holds.
 */
export function icmHarness(round: string, options: Partial<IcmServerOptions>) {
  const h = {} as IcmParts;
  beforeAll(async () => {
    h.env = await startTestEnvironment('memory');
    h.icm = await startIcmServer(options);
    h.gateway = await h.env.startGateway({ intershop: { url: h.icm.url, authToken: h.icm.authToken }, reconcileIntervalMs: 100 });
    h.shop = await tokenFor('orders:create', `shop-icm-independent${round}`);
    h.backOffice = await tokenFor('orders:read orders:manage', `back-office-icm-independent${round}`);
  });
  /** Every order the suite created through `create` / `createOk` (or named with `track`), for the check below. */
  const created = new Map<string, string>();
  const track = (order: OrderView | undefined | null): void => {
    if (order?.providerOrderId) created.set(order.id, order.providerOrderId);
  };
  /**
   * ICM moves money only inside its creation chain (the seed has no capture): the gateway must not
   * show an order AUTHORIZED unless ICM placed it with its PSP payment reserved, CAPTURED (or any
   * status past it) unless that payment is captured, nor more captured than ICM holds.
   */
  afterAll(() =>
    closeCheckingMoney(
      'ICM',
      async () => {
        const entries = h.gateway ? [...created] : [];
        const overstating = await Promise.all(
          entries.map(async ([id, providerOrderId]) => {
            const { status, payments } = await read(id);
            const at = h.icm.held(providerOrderId);
            if (!at) return true;
            const captured = payments.reduce((sum, payment) => sum + minorOf(payment.capturedAmount.amount), 0);
            return (status === 'AUTHORIZED' && !at.reserved) || (CHARGED.has(status) && !at.captured) || captured > at.capturedCents;
          }),
        );
        return entries.filter((_, index) => overstating[index]).map(([id]) => id);
      },
      async () => {
        await h.icm?.close();
        await h.env?.close();
      },
    ),
  );
  const read = async (id: string) => (await gqlOk<{ order: OrderView }>(h.gateway.url, GET_ORDER, { id }, h.backOffice)).order;
  const create = async (variables: Record<string, unknown>) => {
    const result = await gql<{ createOrder: OrderView }>(h.gateway.url, CREATE_ORDER, { input: variables }, h.shop);
    track(result.data?.createOrder);
    return result;
  };
  return {
    h,
    input: (basketId: string, extra: Record<string, unknown> = {}) => ({ provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, ...extra }),
    create,
    createOk: async (variables: Record<string, unknown>) => {
      const order = (await gqlOk<{ createOrder: OrderView }>(h.gateway.url, CREATE_ORDER, { input: variables }, h.shop)).createOrder;
      track(order);
      return order;
    },
    track,
    cont: (variables: Record<string, unknown>) => gql<{ continueOrderCreation: OrderView }>(h.gateway.url, CONTINUE_ORDER, { input: variables }, h.shop),
    continueOk: async (variables: Record<string, unknown>) =>
      (await gqlOk<{ continueOrderCreation: OrderView }>(h.gateway.url, CONTINUE_ORDER, { input: variables }, h.shop)).continueOrderCreation,
    read,
    /** The buyer back from the PSP page with `status`: continueOrderCreation's input, with the parameters ICM's PSP gave her. */
    back: (order: OrderView, status: 'SUCCESS' | 'CANCEL' | 'FAILURE') => ({ orderId: order.id, redirectResult: { status, parameters: h.icm.buyerReturns(order.providerOrderId!) } }),
    /** The POSTs of `basketId` ICM received. */
    posts: (basketId: string) => h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId)),
    readUntil: (id: string, status: string) =>
      eventually(async () => {
        const order = await read(id);
        return order.status === status ? order : undefined;
      }),
  };
}
