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
export function independentDinteroHarness(round: string) {
  const parts = {} as DinteroParts;
  beforeAll(async () => {
    parts.env = await startTestEnvironment('memory');
    parts.shop = await tokenFor('orders:create', `shop-dintero-independent${round}`);
    parts.backOffice = await tokenFor('orders:read orders:manage', `back-office-dintero-independent${round}`);
  });
  afterAll(() => parts.env?.close());

  const apply = (gateway: Gateway, orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, parts.backOffice);
  const read = async (gateway: Gateway, id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, parts.backOffice)).order;
  return {
    parts,
    /** A fresh independent Dintero with `variation`, and a gateway of its own against it. */
    async setUp(variation: Partial<IndependentDinteroOptions>, config: Partial<Config> = {}): Promise<{ dintero: IndependentDintero; gateway: Gateway }> {
      const dintero = await startIndependentDintero(variation);
      const gateway = await parts.env.startGateway({ dintero: { ...dintero.config, profileId: 'default_profile' }, reconcileIntervalMs: 60_000, ...config }, { feedRetentionMs: 7 * 24 * 3600_000 });
      return { dintero, gateway };
    },
    create: async (gateway: Gateway, overrides: Record<string, unknown> = {}): Promise<OrderView> =>
      (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput(overrides) }, parts.shop)).createOrder,
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
