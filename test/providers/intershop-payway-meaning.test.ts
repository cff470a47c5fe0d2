/**
 * The meaning audit of the Intershop and Payway adapters: what an order SHOWS when the provider
 * answers only what its seed shows, in one of the forms the seed leaves open. A recording proxy
 * between the gateway and the sandbox rewrites the sandbox's real answer into such a variant (the
 * sandbox itself stays as it is and does what was asked); each order is driven through GraphQL
 * over HTTP.
 * - Intershop (seed intershop-icm-order-rest-v1.txt): amounts are `{currency, value}` in §2.2 and
 *   `{gross: {...}}` in §3.1, whose payments carry no status; the PSP's URL sits in the chain's
 *   `redirect` block as well as in the stopAction (§3.2.3); §3.2.4's PATCH answer includes nothing;
 *   §3.2.5 pairs COMPLETED with AUTHORIZED / CAPTURED and runs its words together (AUTHORIZATIONVOIDED).
 * - Payway (seed payway-adyen-place-order.txt): `complete` is "the payment was successfully
 *   authorised" whatever else it carries; no seed shows an event, or payment_methods' price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { buyerAtPsp, newBasket, returnedParameters } from '../support/intershop.js';
import { PAYWAY_PERIOD, PAYWAY_TEST_CARDS, paywayCalls, placeInput, postPaywayEvent } from '../support/payway.js';
import { rewriteAnswers, startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';

/** Changes the parsed answer in place, or answers the body to send instead. */
type Rewrite = (request: ProxiedRequest, json: any) => unknown;

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
/** Every call on one order or on the orders resource (POST, PATCH, GET). */
const ORDER_CALLS = /^(POST|PATCH|GET) \/orders/;

describe('Intershop and Payway: what an order shows when the provider answers only what its seed shows', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let icmProxy: RecordingProxy;
  let paywayProxy: RecordingProxy;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    icmProxy = await startRecordingProxy(env.sandboxes.intershop.url);
    paywayProxy = await startRecordingProxy(env.sandboxes.payway.url);
    gateway = await env.startGateway(
      { intershop: { ...env.sandboxes.intershop.config, url: icmProxy.url }, payway: { ...env.sandboxes.payway.config, url: paywayProxy.url }, reconcileIntervalMs: 60_000 },
      { pollerDisabled: true },
    );
    // Payway's own events (an assumption, see the README) would settle a purchase behind the
    // answer's back: they go nowhere here, so the order shows what place_order's answer says.
    // The events a test needs it signs and posts itself.
    env.sandboxes.payway.setGatewayUrl('http://127.0.0.1:9');
    shop = await tokenFor('orders:create', 'shop-meaning');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-meaning');
  });
  afterAll(async () => {
    await icmProxy?.close();
    await paywayProxy?.close();
    await env?.close();
  });

  const create = (input: Record<string, unknown>) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
  const continueWith = (input: Record<string, unknown>) => gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input }, shop);
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const icmInput = (basketId: string, extra: Record<string, unknown> = {}) => ({ provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, ...extra });
  const infoCodes = (order: OrderView) => order.creation.infos.map((info) => info.code);

  describe('Intershop', () => {
    /** An order at the PSP (returnUrls given at creation), made while ICM's answers are rewritten by `rewrite`. */
    async function orderAtPsp(total: string, rewrite?: Rewrite): Promise<OrderView> {
      const basketId = await newBasket(env.sandboxes.intershop, total);
      const make = () => create(icmInput(basketId, { returnUrls: RETURN_URLS }));
      const created = rewrite ? await rewriteAnswers(icmProxy, ORDER_CALLS, rewrite, make) : await make();
      expect(created.errors).toBeUndefined();
      return created.data!.createOrder;
    }
    /** The buyer pays at the PSP and the shop continues with what came back, while `rewrite` rewrites ICM's answers. */
    async function paidAndContinued(order: OrderView, rewrite: Rewrite, outcome: 'success' | 'pending_success' | 'cancel' = 'success') {
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, outcome);
      const status = outcome === 'cancel' ? 'CANCEL' : 'SUCCESS';
      return rewriteAnswers(icmProxy, ORDER_CALLS, rewrite, () => continueWith({ orderId: order.id, redirectResult: { status, parameters: returnedParameters(psp) } }));
    }

    it("the PSP's URL only in the chain's `redirect` block (seed §3.2.3 writes it there too): REDIRECT to it, not PROVIDER_UNAVAILABLE for an order ICM made", async () => {
      const order = await orderAtPsp('21.00', (request, json) => {
        if (request.method === 'PATCH') delete json.data.orderCreation.stopAction.redirectUrl;
      });
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
      expect(order.creation.stopAction!.redirectUrl).toContain(order.providerOrderId!);
      // The URL is the PSP's: the buyer pays there and the order completes.
      const paid = await paidAndContinued(order, () => undefined);
      expect(paid.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED' });
    });

    it('payments as seed §3.1 writes them (amounts as {gross}, no status) in every answer: the order is made, and once the PSP said yes it is AUTHORIZED', async () => {
      const asResource: Rewrite = (_request, json) => {
        for (const payment of Object.values<any>(json.included?.payments ?? {})) {
          payment.totalAmount = { gross: payment.totalAmount };
          payment.baseAmount = { gross: payment.baseAmount };
          delete payment.status;
        }
      };
      const order = await orderAtPsp('22.00', asResource);
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '22.00' }, payments: [{ status: 'PENDING', amount: { amount: '22.00' } }] });
      const paid = await paidAndContinued(order, asResource);
      expect(paid.errors).toBeUndefined();
      expect(paid.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', amount: { amount: '22.00' } }] });
    });

    it('answers that include no payments (as §3.2.4\'s PATCH answer, and a GET that ignores `include`): a completed order is AUTHORIZED with its payment from the payments resource, not PENDING for good', async () => {
      const order = await orderAtPsp('23.00');
      const paid = await paidAndContinued(order, (_request, json) => void delete json.included);
      expect(paid.errors).toBeUndefined();
      const shown = paid.data!.continueOrderCreation;
      expect(shown).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
      expect(shown.payments).toMatchObject([{ status: 'AUTHORIZED', amount: { amount: '23.00' }, methodName: 'ISH Demo Online Pay' }]);
      expect(infoCodes(shown)).not.toContain('provider.unknown_status');
    });

    it('a POST answer without totals or includes (and reads without includes): the total comes from the payments resource, the order ICM made is not refused', async () => {
      const basketId = await newBasket(env.sandboxes.intershop, '24.00');
      const created = await rewriteAnswers(
        icmProxy,
        /^(POST \/orders|GET \/orders\/[^/?]+\?)/,
        (_request, json) => {
          delete json.included;
          json.data.totals = {};
        },
        () => create(icmInput(basketId)),
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createOrder).toMatchObject({
        status: 'ACTION_REQUIRED',
        total: { amount: '24.00', currency: 'USD' },
        payments: [{ status: 'PENDING', amount: { amount: '24.00' } }],
      });
    });

    it('amounts as numeric strings and currencies in lower case are the same amounts', async () => {
      const loose: Rewrite = (_request, json) => {
        const walk = (node: any): void => {
          if (!node || typeof node !== 'object') return;
          if (typeof node.currency === 'string' && 'value' in node) {
            node.currency = node.currency.toLowerCase();
            node.value = String(node.value);
          }
          Object.values(node).forEach(walk);
        };
        walk(json);
      };
      const order = await orderAtPsp('25.50', loose);
      expect(order).toMatchObject({ total: { amount: '25.50', currency: 'USD' }, items: [{ amount: { amount: '25.50' } }], payments: [{ amount: { amount: '25.50' } }] });
    });

    it('chain words in another letter case ("Stopped", "redirect") are the same words: REDIRECT, not an unknown status', async () => {
      const order = await orderAtPsp('26.00', (request, json) => {
        if (request.method !== 'PATCH') return;
        json.data.orderCreation.status = 'Stopped';
        json.data.orderCreation.stopAction.type = 'redirect';
      });
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      expect(infoCodes(order)).not.toContain('provider.unknown_status');
    });

    it('a PATCH answered 204 without a body continued the chain all the same: the order is read, AUTHORIZED', async () => {
      const order = await orderAtPsp('27.00');
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'success');
      icmProxy.beforeAnswer = async (request, answer) => {
        if (request.method === 'PATCH' && answer.status === 200) Object.assign(answer, { status: 204, body: '' });
      };
      try {
        const paid = await continueWith({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
        expect(paid.errors).toBeUndefined();
        expect(paid.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
      } finally {
        icmProxy.beforeAnswer = null;
      }
    });

    it('the payment word written "AUTHORIZATION_VOIDED" (the seed runs it together) is the voided payment: CANCELLED, not an unknown word', async () => {
      const icm = env.sandboxes.intershop;
      const order = await orderAtPsp('28.00');
      icm.setStatusWord(order.providerOrderId!, 'AUTHORIZATION_VOIDED');
      try {
        const cancelled = await paidAndContinued(order, () => undefined, 'cancel');
        expect(cancelled.errors).toBeUndefined();
        const shown = cancelled.data!.continueOrderCreation;
        expect(shown).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' }, payments: [{ status: 'VOIDED' }] });
        expect(infoCodes(shown)).not.toContain('provider.unknown_status');
      } finally {
        icm.setStatusWord(order.providerOrderId!, null);
      }
    });
    it('a STOPPED chain that does not say why (no stopAction; a Workflow stop without exitReason) is read by its statusCode and payment: the chain goes on, not PROVIDER_UNAVAILABLE', async () => {
      // The POST answer's stop (redirect_urls_required) left out: the return URLs are still sent, the buyer goes to the PSP.
      const order = await orderAtPsp('30.00', (request, json) => {
        if (request.method === 'POST') delete json.data.orderCreation.stopAction;
      });
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
      // The PATCH answer's waiting_for_pending_payments without its exitReason: PENDING beside an authorized payment.
      // The sandbox PSP's notification (2 s after the buyer's decision) is held meanwhile: under load it
      // once landed before the PATCH, which then answered COMPLETED (a race, not what this asserts).
      env.sandboxes.intershop.pauseNotifications(true);
      let waiting: Awaited<ReturnType<typeof paidAndContinued>>;
      try {
        waiting = await paidAndContinued(order, (request, json) => {
          if (request.method === 'PATCH') delete json.data.orderCreation.stopAction.exitReason;
        }, 'pending_success');
      } finally {
        env.sandboxes.intershop.pauseNotifications(false);
      }
      expect(waiting.errors).toBeUndefined();
      expect(waiting.data!.continueOrderCreation).toMatchObject({ status: 'PENDING', creation: { stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    });

    it.each(['Unprocessed', 'PENDING'])('a payment word left from before the PSP ("%s") after the PSP said yes: the completed order is AUTHORIZED, not PENDING for good', async (word) => {
      const icm = env.sandboxes.intershop;
      const order = await orderAtPsp('27.00');
      icm.setStatusWord(order.providerOrderId!, word);
      try {
        const paid = await paidAndContinued(order, () => undefined);
        expect(paid.errors).toBeUndefined();
        expect(paid.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED' }] });
        expect(await read(order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ status: 'AUTHORIZED' }] });
      } finally {
        icm.setStatusWord(order.providerOrderId!, null);
      }
    });

    it('a rollback whose answer leaves the payment word as it was ("PENDING"): the cancelled order\'s payment is VOIDED, not still pending', async () => {
      const icm = env.sandboxes.intershop;
      const order = await orderAtPsp('29.00');
      icm.setStatusWord(order.providerOrderId!, 'PENDING');
      try {
        const cancelled = await paidAndContinued(order, () => undefined, 'cancel');
        expect(cancelled.data!.continueOrderCreation).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' }, payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
      } finally {
        icm.setStatusWord(order.providerOrderId!, null);
      }
    });
  });

  describe('Payway', () => {
    const { place } = paywayCalls(() => ({ gatewayUrl: gateway.url, shop, backOffice, payway: env.sandboxes.payway }));
    const PLACE_ORDER = /^POST \/external\/api\/v1\/adyen\/place_order$/;
    const placing = (card: string, rewrite: Rewrite, input: Record<string, unknown> = {}) =>
      rewriteAnswers(paywayProxy, PLACE_ORDER, rewrite, () => place(placeInput(card, input)));

    it('status words in another letter case ("Complete", "PENDING") are the seed\'s words: CAPTURED and PENDING, not an order left CREATED', async () => {
      const complete = await placing(PAYWAY_TEST_CARDS.complete, (_request, json) => void (json.item.status = 'Complete'));
      expect(complete.errors).toBeUndefined();
      expect(complete.data!.placeAdyenOrder).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: PAYWAY_PERIOD.price } }] });
      const pending = await placing(PAYWAY_TEST_CARDS.pendingHeld, (_request, json) => void (json.item.status = 'PENDING'));
      expect(pending.data!.placeAdyenOrder).toMatchObject({ status: 'PENDING', payments: [{ status: 'PENDING' }] });
      expect(infoCodes(pending.data!.placeAdyenOrder)).not.toContain('provider.unknown_status');
    });

    it('an action type in another letter case ("ThreeDS2Challenge") is still a 3-D Secure step: THREE_DS with the type as Payway wrote it, not WORKFLOW', async () => {
      const result = await placing(PAYWAY_TEST_CARDS.challenge, (_request, json) => void (json.item.action.type = 'ThreeDS2Challenge'));
      expect(result.errors).toBeUndefined();
      expect(result.data!.placeAdyenOrder).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'THREE_DS', threeDS: { type: 'ThreeDS2Challenge' } } } });
    });

    it('a `complete` without receipt_id and order_id still took the money: CAPTURED (not PROVIDER_UNAVAILABLE), and order_closed names the Payway order later', async () => {
      const payway = env.sandboxes.payway;
      const result = await placing(PAYWAY_TEST_CARDS.complete, (_request, json) => {
        delete json.item.receipt_id;
        delete json.item.order_id;
      });
      expect(result.errors).toBeUndefined();
      const order = result.data!.placeAdyenOrder;
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: null, payments: [{ status: 'CAPTURED', capturedAmount: { amount: PAYWAY_PERIOD.price } }] });
      const [purchase] = payway.purchasesWithReference(order.id);
      const body = JSON.stringify({ event: 'order_closed', payload: { order: { id: purchase!.orderId, merchant_reference: order.id } } });
      expect(await postPaywayEvent(gateway.url, body, payway.signEvent(body))).toBe(200);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: purchase!.orderId, payments: [{ capturedAmount: { amount: PAYWAY_PERIOD.price } }] });
    });

    it('a `complete` whose order_id is a number (the seed writes a string) is that id: CAPTURED, providerOrderId "4711"', async () => {
      const result = await placing(PAYWAY_TEST_CARDS.complete, (_request, json) => void (json.item.order_id = 4711));
      expect(result.errors).toBeUndefined();
      expect(result.data!.placeAdyenOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: '4711' });
    });

    it('an event named in another letter case ("ORDER_CLOSED") settles a pending purchase: CAPTURED', async () => {
      const payway = env.sandboxes.payway;
      const pending = (await place(placeInput(PAYWAY_TEST_CARDS.pendingHeld))).data!.placeAdyenOrder;
      expect(pending.status).toBe('PENDING');
      const [purchase] = payway.purchasesWithReference(pending.id);
      const body = JSON.stringify({ event: 'ORDER_CLOSED', payload: { order: { id: purchase!.orderId, merchant_reference: pending.id } } });
      expect(await postPaywayEvent(gateway.url, body, payway.signEvent(body))).toBe(200);
      expect(await read(pending.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: PAYWAY_PERIOD.price } }] });
    });

    it('an event whose order id is a whole number (no seed shows an event) settles the pending purchase under that id, not 400', async () => {
      const payway = env.sandboxes.payway;
      const pending = (await place(placeInput(PAYWAY_TEST_CARDS.pendingHeld))).data!.placeAdyenOrder;
      const body = JSON.stringify({ event: 'order_closed', payload: { order: { id: 90210, merchant_reference: pending.id } } });
      expect(await postPaywayEvent(gateway.url, body, payway.signEvent(body))).toBe(200);
      expect(await read(pending.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: '90210' });
    });

    it("payment_methods' price in major units (199 for the stated 199.00 SEK; no seed shows its unit) is the stated price, not 1.99 SEK", async () => {
      const result = await rewriteAnswers(
        paywayProxy,
        /^GET \/external\/api\/v1\/adyen\/payment_methods\?/,
        (_request, json) => void (json.item.amount = { currency: 'SEK', value: 199 }),
        () => place(placeInput(PAYWAY_TEST_CARDS.complete)),
      );
      expect(result.errors).toBeUndefined();
      const order = result.data!.placeAdyenOrder;
      expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '199.00', currency: 'SEK' }, payments: [{ capturedAmount: { amount: '199.00' } }] });
      expect(infoCodes(order)).not.toContain('payway.stated_total_differs');
    });
  });
});
