import { afterAll, beforeAll, expect } from 'vitest';
import type { Gateway } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../documents.js';
import { dinteroOrderInput } from '../dintero.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../gateway.js';
import { gql, gqlOk } from '../graphql.js';
import { startIndependentDintero, type IndependentDintero, type IndependentDinteroOptions } from './dintero-server.js';

/** What one independent-Dintero suite runs against, once its beforeAll has run. */
export interface DinteroParts {
  env: TestEnvironment;
  shop: string;
  backOffice: string;
}

/**
 * What the independent-Dintero suites of rounds three and four share: the memory store's test
 * environment, the shop's and back office's tokens, a fresh independent Dintero and a gateway
 * against it per variation (the poller's interval a minute, so what happens at once happens
 * through callbacks), and the calls they make. Called inside a describe, it registers the hooks;
 * `round` keeps each suite's callers its own.
 */
/** An amount the gateway shows, in minor units (NOK has two decimals). */
const minorOf = (amount: string | undefined): number => Math.round(Number(amount ?? 0) * 100);

export function independentDinteroHarness(round: string) {
  const parts = {} as DinteroParts;
  beforeAll(async () => {
    parts.env = await startTestEnvironment('memory');
    parts.shop = await tokenFor('orders:create', `shop-dintero-independent${round}`);
    parts.backOffice = await tokenFor('orders:read orders:manage', `back-office-dintero-independent${round}`);
  });
  /** Every order the suite created, with the Dintero it went to, for the check below. */
  const created: { gateway: Gateway; dintero: IndependentDintero; id: string }[] = [];
  const dinteroOf = new Map<Gateway, IndependentDintero>();
  afterAll(async () => {
    // Whatever the suite did, the gateway never shows money Dintero did not move: a test that
    // checks only the gateway's answer could otherwise pass while Dintero captured nothing.
    const overstated: string[] = [];
    try {
      for (const { gateway, dintero, id } of created) {
        const moved = await eventually(async () => {
          const { providerOrderId, payments } = await read(gateway, id);
          const transaction = providerOrderId ? dintero.transactionFor(providerOrderId) : undefined;
          const shown = { captured: minorOf(payments[0]?.capturedAmount.amount), refunded: minorOf(payments[0]?.refundedAmount.amount) };
          return shown.captured <= (transaction?.captured ?? 0) && shown.refunded <= (transaction?.refunded ?? 0);
        }, 2000).catch(() => false);
        if (!moved) overstated.push(id);
      }
    } finally {
      await parts.env?.close();
    }
    expect(overstated, 'orders showing more captured or refunded than Dintero moved').toEqual([]);
  });

  const apply = (gateway: Gateway, orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, parts.backOffice);
  const read = async (gateway: Gateway, id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, parts.backOffice)).order;
  return {
    parts,
    /** A fresh independent Dintero with `variation`, and a gateway of its own against it. */
    async setUp(variation: Partial<IndependentDinteroOptions>, config: Partial<Config> = {}): Promise<{ dintero: IndependentDintero; gateway: Gateway }> {
      const dintero = await startIndependentDintero(variation);
      const gateway = await parts.env.startGateway({ dintero: { ...dintero.config, profileId: 'default_profile' }, reconcileIntervalMs: 60_000, ...config }, { feedRetentionMs: 7 * 24 * 3600_000 });
      dinteroOf.set(gateway, dintero);
      return { dintero, gateway };
    },
    create: async (gateway: Gateway, overrides: Record<string, unknown> = {}): Promise<OrderView> => {
      const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput(overrides) }, parts.shop)).createOrder;
      const dintero = dinteroOf.get(gateway);
      if (dintero) created.push({ gateway, dintero, id: made.id });
      return made;
    },
    read,
    apply,
    /** Each step's events applied in turn: each answered without errors, the order as its step expects. */
    async appliesInTurn(gateway: Gateway, orderId: string, steps: [Record<string, unknown>[], Record<string, unknown>][]): Promise<void> {
      for (const [events, expected] of steps) {
        const answer = await apply(gateway, orderId, events);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.applyOrderEvents[0]).toMatchObject(expected);
      }
    },
    reaches: (gateway: Gateway, id: string, status: string, timeoutMs = 5_000): Promise<OrderView> =>
      eventually(async () => {
        const order = await read(gateway, id);
        return order.status === status && order;
      }, timeoutMs),
  };
}
