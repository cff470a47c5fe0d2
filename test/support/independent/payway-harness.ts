import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Gateway } from '../../../src/app.js';
import { CONTINUE_ORDER, GET_ORDER, PLACE_ADYEN_ORDER, type OrderView } from '../documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../gateway.js';
import { gql, gqlOk } from '../graphql.js';
import { placeInput } from '../payway.js';
import { complete, PLACE_ORDER, startIndependentPayway, type IndependentPayway, type SeenRequest } from './payway-server.js';

/** The price the shopper was shown (Payway's purchase answers carry none). */
export const STATED = { amount: '149.00', currency: 'SEK' };
/** A seed-valid card state (the server does not look inside payment_method). */
export const CARD = { type: 'scheme', encryptedCardNumber: 'adyenjs_0_1_25$abc', encryptedExpiryMonth: 'adyenjs_x', encryptedExpiryYear: 'adyenjs_y', encryptedSecurityCode: 'adyenjs_z' };

/** What one independent-Payway suite runs against, once its beforeAll has run. */
export interface PaywayParts {
  env: TestEnvironment;
  gateway: Gateway;
  payway: IndependentPayway;
  shop: string;
  backOffice: string;
}

/**
 * What the independent-Payway suites share (payway-independent*.test.ts): a gateway on the memory
 * store against one strict independent Payway, reset to `complete` answers before each test, the
 * shop's and back office's tokens, and the GraphQL calls they make. Called inside a describe, it
 * registers the hooks; `round` keeps each suite's token, secret and callers its own.
 */
export function independentPaywayHarness(round: string) {
  const TOKEN = `independent-payway-identity-token${round}`;
  const SECRET = `independent-payway-webhook-secret${round}`;
  const parts = {} as PaywayParts;
  beforeAll(async () => {
    parts.env = await startTestEnvironment('memory');
    parts.payway = await startIndependentPayway({ token: TOKEN, strict: true });
    parts.gateway = await parts.env.startGateway({ payway: { url: parts.payway.url, token: TOKEN, webhookSecret: SECRET }, reconcileIntervalMs: 100 });
    parts.shop = await tokenFor('orders:create', `independent-payway-shop${round}`);
    parts.backOffice = await tokenFor('orders:read orders:manage', `independent-payway-back-office${round}`);
  });
  afterAll(async () => {
    await parts.env?.close();
    await parts.payway?.close();
  });
  beforeEach(() => {
    parts.payway.options = { token: TOKEN, strict: true };
    parts.payway.answers = () => complete();
  });

  const input = (overrides: Record<string, unknown> = {}) => placeInput(undefined, { paymentMethod: CARD, ...STATED, ...overrides });
  const place = (overrides: Record<string, unknown> = {}) => gql<{ placeAdyenOrder: OrderView }>(parts.gateway.url, PLACE_ADYEN_ORDER, { input: input(overrides) }, parts.shop);
  return {
    TOKEN,
    SECRET,
    parts,
    input,
    place,
    async placeOk(overrides: Record<string, unknown> = {}): Promise<OrderView> {
      const result = await place(overrides);
      if (!result.data) throw new Error(`placeAdyenOrder failed: ${JSON.stringify(result.errors)}`);
      return result.data.placeAdyenOrder;
    },
    continueWith: (orderId: string, threeDS: unknown) => gql<{ continueOrderCreation: OrderView }>(parts.gateway.url, CONTINUE_ORDER, { input: { orderId, threeDS } }, parts.shop),
    read: async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(parts.gateway.url, GET_ORDER, { id }, parts.backOffice)).order,
    lastPlaced: (): SeenRequest => parts.payway.to(PLACE_ORDER).at(-1)!,
  };
}
