/**
 * Payway as an implementation written from its seed alone would answer (the sandbox's
 * seed-minimal mode): payment_methods in Adyen's own shape, with no price, and fields no seed
 * shows in every answer. A purchase needs only place_order (and perform_additional_action to go
 * on): its total is the price the shopper was shown, stated by the client, and an Info says so.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { onSandboxRequest } from '../../src/sandboxes/kit/server.js';
import type { PaywaySandbox } from '../../src/sandboxes/payway/index.js';
import { WATCH_ORDER, type StatusChangeView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { subscribe } from '../support/graphql.js';
import { PAYWAY_TEST_CARDS, paywayCalls, placeInput, shopperPerforms3DS } from '../support/payway.js';

const STATED = { amount: '249.50', currency: 'SEK' };
const asStated = expect.objectContaining({ code: 'payway.total_as_stated' });

describe('Payway answering only what its seed shows: no price in any answer', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: PaywaySandbox;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { payway: { seedMinimal: true } });
    gateway = await env.startGateway();
    payway = env.sandboxes.payway;
    shop = await tokenFor('orders:create', 'payway-minimal-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const { place, placeOk, continueWith, getOrder, purchaseOf } = paywayCalls(() => ({ gatewayUrl: gateway.url, shop, backOffice, payway }));

  it("the seed's example parameters plus the stated price complete -> CAPTURED, the total as stated, an Info saying so", async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete, STATED));
    expect(order).toMatchObject({
      status: 'CAPTURED',
      providerStatus: 'complete',
      total: { amount: '249.50', currency: 'SEK', minorUnits: 24_950 },
      payments: [{ status: 'CAPTURED', capturedAmount: { amount: '249.50' } }],
    });
    expect(order.creation.infos).toContainEqual(asStated);
  });

  it('pending -> the order_closed event -> CAPTURED; the Info stays', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld, STATED));
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: '249.50' } });
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    payway.settle(purchaseOf(order).orderId, 'order_closed');
    const closed = (await watch.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged;
    expect(closed).toMatchObject({ source: 'WEBHOOK', order: { payments: [{ capturedAmount: { amount: '249.50' } }] } });
    const stored = await getOrder(order.id);
    expect(stored.creation.infos).toContainEqual(asStated);
    // Read from the event's own shape here (`data.orderId`, `data.receiptId`).
    expect(stored.providerOrderId).toBe(purchaseOf(order).orderId);
    expect(stored.payments[0]?.providerReference).toBe(purchaseOf(order).receiptId);
    await watch.dispose();
  });

  it("events in another shape than Payway's events overview (no seed shows one) are read alike: pending -> payment_failure -> FAILED with its message", async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingThenFailed, STATED));
    await eventually(async () => (await getOrder(order.id)).status === 'FAILED');
    const failed = await getOrder(order.id);
    expect(failed).toMatchObject({ providerStatus: 'payment_failure', providerOrderId: purchaseOf(order).orderId, payments: [{ status: 'FAILED' }] });
    expect(failed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payment_failure', message: 'The payment was refused.' }));
    // The gateway took every event as it came: { id, type: "order.closed", data: { orderId, ... } }.
    expect(payway.sentEvents().every((delivery) => delivery.status === 200)).toBe(true);
  });

  it('two 3-D Secure actions (fingerprint, then challenge) through perform_additional_action -> CAPTURED', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.fingerprintThenChallenge, STATED));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'THREE_DS', threeDS: { type: 'threeDS2Fingerprint' } } } });
    const second = (await continueWith(order.id, await shopperPerforms3DS(order))).data?.continueOrderCreation;
    expect(second).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'threeDS2Challenge' } } } });
    const done = (await continueWith(order.id, await shopperPerforms3DS(second!))).data?.continueOrderCreation;
    expect(done).toMatchObject({ status: 'CAPTURED', total: { amount: '249.50' }, payments: [{ capturedAmount: { amount: '249.50' } }] });
    expect(done?.creation.infos).toContainEqual(asStated);
  });

  it('refusals are mapped: a refused card is PROVIDER_REJECTED (no order); a failed challenge ends the purchase FAILED', async () => {
    const refused = await place(placeInput(PAYWAY_TEST_CARDS.refused, STATED));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused' });
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.challenge, STATED));
    const failed = await continueWith(order.id, await shopperPerforms3DS(order, 'N'));
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused' });
    const stored = await getOrder(order.id);
    expect(stored).toMatchObject({ status: 'FAILED', creation: { status: 'FAILED' } });
    expect(stored.creation.infos).toContainEqual(asStated);
  });

  /** The requests the Payway sandbox receives while `run` runs. */
  async function paywayRequestsDuring(run: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    const port = Number(new URL(payway.url).port);
    const stop = onSandboxRequest((request) => {
      if (request.socket.localPort === port) seen.push(`${request.method} ${request.url}`);
    });
    try {
      await run();
    } finally {
      stop();
    }
    return seen;
  }

  it('without a stated price: BAD_USER_INPUT on input.amount before any call to Payway', async () => {
    const reference = `no-price-${randomUUID()}`;
    const calls = await paywayRequestsDuring(async () => {
      const result = await place(placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference, amount: undefined, currency: undefined }));
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    });
    expect(calls).toEqual([]);
    expect(payway.purchasesWithReference(reference)).toEqual([]);
  });

  it.each([
    [{ amount: '249.505', currency: 'SEK' }, 'input.amount'],
    [{ amount: '0', currency: 'SEK' }, 'input.amount'],
    [{ amount: '249.50', currency: 'XYZ' }, 'input.currency'],
    [{ amount: '249.50', currency: undefined }, 'input.currency'],
    [{ amount: undefined, currency: 'SEK' }, 'input.amount'],
  ])('a stated price %j is BAD_USER_INPUT on %s, before any call to Payway', async (price, field) => {
    const reference = `bad-price-${randomUUID()}`;
    const calls = await paywayRequestsDuring(async () => {
      const result = await place(placeInput(PAYWAY_TEST_CARDS.complete, { ...price, merchantReference: reference }));
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });
    expect(calls).toEqual([]);
  });

  it('a purchase answer with a status word the gateway does not know keeps the order as it is, then the event moves it on', async () => {
    payway.answerNextWith('authorised_pending_review');
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld, STATED));
    expect(order).toMatchObject({ status: 'CREATED', providerStatus: 'authorised_pending_review' });
    expect(order.creation.infos).toContainEqual(expect.objectContaining({ code: 'provider.unknown_status', message: expect.stringContaining('authorised_pending_review') }));
    payway.settle(purchaseOf(order).orderId, 'order_closed');
    await payway.eventsIdle();
    expect(await getOrder(order.id)).toMatchObject({ status: 'CAPTURED', providerStatus: 'order_closed' });
  });
});
