/**
 * The Intershop, Dintero and Payway adapters against answers an implementation written from the
 * seeds alone may give, where the seed leaves them open: a recording proxy between the gateway and
 * the sandbox rewrites the sandbox's answer into such a variant (the sandbox itself stays as it is).
 * - Intershop (seed intershop-icm-order-rest-v1.txt): `"totals": { ... // totals summary }` is
 *   elided, so its inside is anyone's; §3.2.3/§3.2.4's PATCH answers carry no `included`; the
 *   payment status words come in two letter cases (`"Unprocessed"` in §2.2, `AUTHORIZED` in the
 *   §3.2.5 table); §2.3 shows no GET answer, no list entry and no paging block at all (so neither
 *   need carry `orderCreation`, which only the POST and PATCH answers show).
 * - Dintero (seed dintero-orders-and-checkout.txt): `line_id` is a number in the Orders API bodies
 *   and a string in the Checkout one, so a transaction's items may carry either.
 * - Payway (seed payway-adyen-place-order.txt): no event body is shown; the gateway must not refuse
 *   one over a field it never reads.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { buyerAtPsp, icmRest, newBasket, returnedParameters } from '../support/intershop.js';
import { PAYWAY_TEST_CARDS, paywayCalls, placeInput, postPaywayEvent } from '../support/payway.js';
// rewriting(proxy, matching, rewrite, run): the JSON answers of `matching` calls through `proxy` rewritten while `run` runs.
import { rewriteAnswers as rewriting, startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';

/** Changes the parsed answer in place, or answers the body to send instead (a string, sent as it is). */
type Rewrite = (request: ProxiedRequest, json: any) => unknown;

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

describe('adapters against what the seeds leave open', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let icmProxy: RecordingProxy;
  let checkoutProxy: RecordingProxy;
  let apiProxy: RecordingProxy;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    icmProxy = await startRecordingProxy(env.sandboxes.intershop.url);
    checkoutProxy = await startRecordingProxy(env.sandboxes.dintero.config.checkoutUrl);
    apiProxy = await startRecordingProxy(env.sandboxes.dintero.config.apiUrl);
    gateway = await env.startGateway(
      {
        intershop: { ...env.sandboxes.intershop.config, url: icmProxy.url },
        dintero: { ...env.sandboxes.dintero.config, apiUrl: apiProxy.url, checkoutUrl: checkoutProxy.url },
        reconcileIntervalMs: 60_000,
      },
      { pollerDisabled: true },
    );
    shop = await tokenFor('orders:create', 'shop-seed-tolerance');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-seed-tolerance');
  });
  afterAll(async () => {
    await icmProxy?.close();
    await checkoutProxy?.close();
    await apiProxy?.close();
    await env?.close();
  });

  const create = (input: Record<string, unknown>) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
  const continueOk = async (input: Record<string, unknown>): Promise<OrderView> =>
    (await gqlOk<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input }, shop)).continueOrderCreation;
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const icmInput = (basketId: string, extra: Record<string, unknown> = {}) => ({ provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, ...extra });

  describe('Intershop', () => {
    it('a `totals` whose grandTotal is not {gross: {currency, value}} (the seed elides totals): the total comes from the payments', async () => {
      const basketId = await newBasket(env.sandboxes.intershop, '40.00');
      const created = await rewriting(
        icmProxy,
        /^POST \/orders\?/,
        (_request, json) => {
          json.data.totals = { grandTotal: { currency: 'USD', value: 40 }, itemTotal: 40 };
        },
        () => create(icmInput(basketId)),
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '40.00', currency: 'USD' } });
    });

    it('line items whose quantity is of a shape no seed shows (`include=lineItems` has no example) are kept without it, the order is made', async () => {
      const basketId = await newBasket(env.sandboxes.intershop, '43.00');
      const created = await rewriting(
        icmProxy,
        /^POST \/orders\?/,
        (_request, json) => {
          for (const line of Object.values<any>(json.included?.lineItems ?? {})) line.quantity = line.quantity.value;
        },
        () => create(icmInput(basketId)),
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '43.00', currency: 'USD' } });
      // Round twenty-six (json-scalars.ts IcmQuantity): a quantity that is no `{value}` is left unread, the line kept.
      expect(created.data!.createOrder.items).toEqual([{ lineId: '1', name: 'SKU-1000', quantity: null, amount: { amount: '43.00' } }]);
    });

    it('payment status words in another letter case ("Authorized", like §2.2\'s "Unprocessed") are the same words', async () => {
      const icm = env.sandboxes.intershop;
      const basketId = await newBasket(icm, '12.00');
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(basketId, { returnUrls: RETURN_URLS }) }, shop)).createOrder;
      expect(order.creation.stopAction?.type).toBe('REDIRECT');
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'success');
      icm.setStatusWord(order.providerOrderId!, 'Authorized');
      try {
        const paid = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
        expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED' }] });
      } finally {
        icm.setStatusWord(order.providerOrderId!, null);
      }
    });

    it('a payment word as seed §3.2.5\'s table writes it for a pending payment ("AUTHORIZED (pending)") is a pending payment: the order waits, PENDING', async () => {
      const icm = env.sandboxes.intershop;
      const basketId = await newBasket(icm, '14.00');
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(basketId, { returnUrls: RETURN_URLS }) }, shop)).createOrder;
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'pending_success');
      icm.setStatusWord(order.providerOrderId!, 'AUTHORIZED (pending)');
      try {
        const waiting = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
        expect(waiting).toMatchObject({
          status: 'PENDING',
          creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } },
          payments: [{ status: 'PENDING' }],
        });
        expect(waiting.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
      } finally {
        icm.setStatusWord(order.providerOrderId!, null);
      }
    });

    it("PATCH answers without `included` (as seed §3.2.3/§3.2.4 show them): the order is read with its payments, a completed one is AUTHORIZED", async () => {
      const icm = env.sandboxes.intershop;
      const basketId = await newBasket(icm, '13.00');
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(basketId) }, shop)).createOrder;
      const dropIncluded: Rewrite = (_request, json) => {
        delete json.included;
      };
      const redirected = await rewriting(icmProxy, /^PATCH /, dropIncluded, () => continueOk({ orderId: order.id, returnUrls: RETURN_URLS }));
      expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', payments: [{ status: 'PENDING', amount: { amount: '13.00' } }] });
      const psp = await buyerAtPsp(redirected.creation.stopAction!.redirectUrl!, 'success');
      const paid = await rewriting(icmProxy, /^PATCH /, dropIncluded, () =>
        continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } }),
      );
      expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', amount: { amount: '13.00' } }] });
    });

    /** GET answers (one order, or a list page) as an implementation may give them: without `orderCreation` (seed §2.3 shows none). */
    const withoutChain: Rewrite = (_request, json) => {
      for (const data of [json.data].flat()) delete data.orderCreation;
    };
    const ONE_ORDER_READ = /^GET \/orders\/[^/?]+(\?|$)/;

    it('a GET of the order without `orderCreation`, after a PATCH answer without `included`: the PATCH\'s stop stands, the GET\'s payments count', async () => {
      const icm = env.sandboxes.intershop;
      const basketId = await newBasket(icm, '15.00');
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(basketId) }, shop)).createOrder;
      const patchThinGetChainless: Rewrite = (request, json) => {
        if (request.method === 'PATCH') delete json.included;
        else withoutChain(request, json);
      };
      const calls = new RegExp(`^PATCH |${ONE_ORDER_READ.source}`);
      const redirected = await rewriting(icmProxy, calls, patchThinGetChainless, () => continueOk({ orderId: order.id, returnUrls: RETURN_URLS }));
      expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
      expect(redirected.creation.stopAction!.redirectUrl).toMatch(/^http/);
      const psp = await buyerAtPsp(redirected.creation.stopAction!.redirectUrl!, 'success');
      const paid = await rewriting(icmProxy, calls, patchThinGetChainless, () =>
        continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } }),
      );
      expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', amount: { amount: '15.00' } }] });
    });

    it('reconciliation reads an order whose GET has no `orderCreation` by its statusCode and payment: paid later at the PSP, it becomes AUTHORIZED', async () => {
      // A gateway with a poller (the suite's has none), through the same rewriting proxy.
      const polling = await env.startGateway({ intershop: { ...env.sandboxes.intershop.config, url: icmProxy.url } });
      const basketId = await newBasket(env.sandboxes.intershop, '16.00');
      const order = (await gqlOk<{ createOrder: OrderView }>(polling.url, CREATE_ORDER, { input: icmInput(basketId, { returnUrls: RETURN_URLS }) }, shop)).createOrder;
      expect(order.creation.stopAction?.type).toBe('REDIRECT');
      // The buyer pays "later" (the PSP notifies ICM); the shop never continues: only the gateway's reads see it.
      const settled = await rewriting(icmProxy, ONE_ORDER_READ, withoutChain, async () => {
        await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'pending_success');
        return eventually(async () => {
          const current = (await gqlOk<{ order: OrderView }>(polling.url, GET_ORDER, { id: order.id }, backOffice)).order;
          return current.status === 'AUTHORIZED' ? current : undefined;
        });
      });
      expect(settled).toMatchObject({ creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', amount: { amount: '16.00' } }] });
      expect(settled.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    });

    it('list entries without `orderCreation`: each is read by its statusCode and payment, and a known order keeps its stop and PSP URL', async () => {
      const icm = env.sandboxes.intershop;
      const atPsp = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(await newBasket(icm, '17.00'), { returnUrls: RETURN_URLS }) }, shop)).createOrder;
      const cancelled = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: icmInput(await newBasket(icm, '18.00'), { returnUrls: RETURN_URLS }) }, shop)).createOrder;
      await buyerAtPsp(cancelled.creation.stopAction!.redirectUrl!, 'cancel');
      await eventually(async () => ((icm.getOrder(cancelled.providerOrderId!) as any).data.orderCreation.status === 'ROLLED_BACK' ? true : undefined));
      // Another ICM client (the storefront) places an order the gateway has never seen.
      const direct = await icmRest(icm, 'POST', '/orders', { basket: await newBasket(icm, '19.00'), termsAndConditionsAccepted: true });
      expect(direct.status).toBe(201);

      const list = await rewriting(icmProxy, /^GET \/orders\?/, withoutChain, () =>
        gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice),
      );
      const node = (providerOrderId: string) => list.orders.nodes.find((entry) => entry.providerOrderId === providerOrderId);
      expect(node(direct.json.data.id)).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '19.00' }, creation: { status: 'STOPPED', stopAction: { reason: 'redirect_urls_required' } } });
      expect(node(cancelled.providerOrderId!)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
      expect(node(atPsp.providerOrderId!)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: atPsp.creation.stopAction!.redirectUrl } } });
    });

    /** A creation whose answer is lost, retried with its key while GET /orders answers as `rewrite` makes it. */
    async function lostThenRetried(total: string, rewrite: Rewrite) {
      const icm = env.sandboxes.intershop;
      const basketId = await newBasket(icm, total);
      const input = icmInput(basketId, { idempotencyKey: randomUUID() });
      icm.faults.inject({ kind: 'lost', only: /^POST .*\/orders$/ });
      expect((await create(input)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      return rewriting(icmProxy, /^GET \/orders\?/, rewrite, () => create(input));
    }

    it('a lost creation is found in a list whose entries carry only id, basket and creationDate (seed §2.3 shows no entry)', async () => {
      const retried = await lostThenRetried('41.00', (_request, json) => {
        json.data = json.data.map((entry: any) => ({ id: entry.id, basket: entry.basket, creationDate: entry.creationDate }));
      });
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.createOrder).toMatchObject({ provider: 'INTERSHOP', status: 'ACTION_REQUIRED', total: { amount: '41.00', currency: 'USD' } });
    });

    it('a lost creation is found in a list whose paging block has no readable total (seed §2.3 shows none)', async () => {
      const retried = await lostThenRetried('42.00', (_request, json) => {
        json.info = { offset: String(json.info.offset), limit: json.info.limit };
      });
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.createOrder).toMatchObject({ provider: 'INTERSHOP', status: 'ACTION_REQUIRED', total: { amount: '42.00', currency: 'USD' } });
    });
  });

  describe('Dintero', () => {
    it("a transaction whose items carry numeric line_ids (the seed shows line_id as 1 and as \"1\") is read: the callback authorizes the order", async () => {
      const input = dinteroOrderInput({
        items: [
          { code: '175938', name: 'Stablestol', quantity: 2, unitPrice: '199.00', amount: '398.00', taxRate: 25 },
          { name: 'Frakt', amount: '100.00' },
        ],
      });
      const numericLines: Rewrite = (_request, json) => {
        for (const item of json.items ?? []) if (/^\d+$/.test(String(item.line_id))) item.line_id = Number(item.line_id);
      };
      await rewriting(checkoutProxy, /^GET \/v1\/transactions\//, numericLines, async () => {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
        expect((await buyerOnCheckout(order.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' })).status).toBe(303);
        const authorized = await eventually(async () => {
          const current = await read(order.id);
          return current.status === 'AUTHORIZED' && current;
        });
        expect(authorized).toMatchObject({ payments: [{ status: 'AUTHORIZED', amount: { amount: '498.00' } }] });
      });
    });

    it('a recording on the Orders API answered 2xx with an empty body (the seed shows no answer) is taken as recorded', async () => {
      const order = await rewriting(apiProxy, /^POST \/v1\/accounts\/[^/]+\/shopping\/orders\/[^/]+\/authorizations$/, () => '', async () => {
        const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop)).createOrder;
        expect((await buyerOnCheckout(created.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' })).status).toBe(303);
        return eventually(async () => {
          const current = await read(created.id);
          return current.status === 'AUTHORIZED' && current;
        });
      });
      // The authorization's recording is done: no Info says it is still to be sent.
      expect(order.creation.infos).toEqual([]);
      expect(apiProxy.requests.filter((request) => request.path.endsWith(`/shopping/orders/${order.providerOrderId}/authorizations`))).toHaveLength(1);
    });
  });

  describe('Payway', () => {
    const { placeOk, purchaseOf } = paywayCalls(() => ({ gatewayUrl: gateway.url, shop, backOffice, payway: env.sandboxes.payway }));

    it('an event whose `timestamp` is a number (no seed shows an event) is read: order_closed captures the pending purchase', async () => {
      const payway = env.sandboxes.payway;
      const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
      expect(order.status).toBe('PENDING');
      const purchase = purchaseOf(order);
      const body = JSON.stringify({
        event: 'order_closed',
        timestamp: Math.floor(Date.now() / 1000),
        payload: { order: { id: purchase.orderId, merchant_reference: order.id } },
      });
      expect(await postPaywayEvent(gateway.url, body, payway.signEvent(body))).toBe(200);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: purchase.orderId });
    });
  });
});
