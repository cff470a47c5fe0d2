/**
 * The required-field audit of the Intergiro, Pei, Dintero and Payway adapters: answers a provider
 * written from its seed alone may give, where the seed shows no answer at all (token endpoints,
 * Dintero's money calls and session reads, Intergiro's single-order read). A recording proxy
 * between the gateway and the sandbox rewrites the sandbox's real answer into such a variant (the
 * sandbox itself stays as it is and does what was asked); a sandbox's aimed `status` fault stands in
 * for an endpoint the provider does not have. Each order is driven through GraphQL over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { postPeiPostback } from '../support/pei.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { rewriteAnswers, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const peiOrder = () => ({
  provider: 'PEI',
  currency: 'ISK',
  reference: `pei-audit-${Math.random().toString(36).slice(2, 10)}`,
  items: [{ name: 'TV subscription', amount: '5000' }],
  buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849' },
});

describe('adapters against answers no seed shows (required-field audit)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let peiProxy: RecordingProxy;
  let dinteroApiProxy: RecordingProxy;
  let dinteroCheckoutProxy: RecordingProxy;
  let shop: string;
  /** The merchant's systems: a CUSTOMER payment (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const { pei, dintero } = env.sandboxes;
    peiProxy = await startRecordingProxy(pei.url);
    dinteroApiProxy = await startRecordingProxy(dintero.config.apiUrl);
    dinteroCheckoutProxy = await startRecordingProxy(dintero.config.checkoutUrl);
    gateway = await env.startGateway(
      {
        pei: { ...pei.config, tokenUrl: pei.config.tokenUrl.replace(pei.url, peiProxy.url) },
        dintero: { ...dintero.config, apiUrl: dinteroApiProxy.url, checkoutUrl: dinteroCheckoutProxy.url },
      },
      // The poller runs (every 200 ms): what a buyer did on a page is learned by reading.
    );
    shop = await tokenFor('orders:create', 'shop-audit-tolerance');
    merchant = await tokenFor('orders:create orders:manage', 'merchant-audit-tolerance');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-audit-tolerance');
  });
  afterAll(async () => {
    await peiProxy?.close();
    await dinteroApiProxy?.close();
    await dinteroCheckoutProxy?.close();
    await env?.close();
  });

  const create = (input: Record<string, unknown>, token = shop) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, token);
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const untilStatus = (id: string, status: string): Promise<OrderView> =>
    eventually(async () => {
      const current = await read(id);
      return current.status === status && current;
    });
  const apply = (orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, backOffice);

  const createdDinteroOrder = async (): Promise<OrderView> =>
    (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop)).createOrder;
  /** A Dintero order paid on the checkout page: AUTHORIZED. */
  async function authorizedDinteroOrder(): Promise<OrderView> {
    const created = await createdDinteroOrder();
    expect((await buyerOnCheckout(created.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' })).status).toBe(303);
    return untilStatus(created.id, 'AUTHORIZED');
  }

  describe('token answers (no seed shows one; RFC 6749 makes expires_in only RECOMMENDED)', () => {
    it('Pei: a token answer without expires_in is used (the order is submitted), not PROVIDER_UNAVAILABLE', async () => {
      const response = await rewriteAnswers(peiProxy, /^POST \/core\/connect\/token$/, (_request, json) => void delete json.expires_in, () => create(peiOrder()));
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
      expect(peiProxy.requests.filter((request) => request.path === '/core/connect/token')).toHaveLength(1);
    });

    it('Dintero: a token answer whose expires_in is a numeric string is used (the session is made)', async () => {
      const asString = (_request: unknown, json: { expires_in?: unknown }) => void (json.expires_in = String(json.expires_in));
      const response = await rewriteAnswers(dinteroApiProxy, /^POST \/v1\/accounts\/[^/]+\/auth\/token$/, asString, () => create(dinteroOrderInput()));
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
    });
  });

  describe("Dintero's session answer without its page's url (the contract's, not the seed's)", () => {
    it("the buyer is sent to Dintero's own page for the session, <checkout>/v1/view/<id>, and pays there", async () => {
      let pageAsAnswered = '';
      const withoutUrl = (_request: unknown, json: { url?: string }) => {
        pageAsAnswered = json.url ?? '';
        delete json.url;
      };
      const response = await rewriteAnswers(dinteroCheckoutProxy, /^POST \/v1\/sessions-profile$/, withoutUrl, () => create(dinteroOrderInput()));
      expect(response.errors).toBeUndefined();
      const created = response.data!.createOrder;
      const page = new URL(created.creation.stopAction!.redirectUrl!);
      // The same page as Dintero's answer named, on the checkout host the gateway was given.
      expect(page.origin).toBe(new URL(dinteroCheckoutProxy.url).origin);
      expect(page.pathname).toBe(new URL(pageAsAnswered).pathname);
      expect((await buyerOnCheckout(pageAsAnswered, 'pay', { callback: 'before' })).status).toBe(303);
      await eventually(async () => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: created.id }, backOffice)).order.status === 'AUTHORIZED');
    });
  });

  describe('token answers with another 2xx than RFC 6749\'s 200 (no seed shows the answer)', () => {
    /** The provider's token answer sent as 201 Created while `run` runs. */
    async function tokenAnsweredCreated<T>(proxy: RecordingProxy, path: RegExp, run: () => Promise<T>): Promise<T> {
      proxy.beforeAnswer = async (request, answer) => {
        if (request.method === 'POST' && path.test(request.path) && answer.status === 200) answer.status = 201;
      };
      try {
        return await run();
      } finally {
        proxy.beforeAnswer = null;
      }
    }

    it('Pei and Dintero: a token answered 201 is used', async () => {
      env.sandboxes.pei.revokeTokens();
      const pei = await tokenAnsweredCreated(peiProxy, /^\/core\/connect\/token$/, () => create(peiOrder()));
      expect(pei.errors).toBeUndefined();
      expect(pei.data!.createOrder.status).toBe('CREATED');
      env.sandboxes.dintero.revokeTokens();
      const dintero = await tokenAnsweredCreated(dinteroApiProxy, /\/auth\/token$/, () => create(dinteroOrderInput()));
      expect(dintero.errors).toBeUndefined();
      expect(dintero.data!.createOrder.status).toBe('CREATED');
    });
  });

  describe('Dintero money calls (neither the seed nor CONTRACT §8 shows what capture / refund / void answer)', () => {
    /**
     * The money call's answer replaced by `body`, and the transaction read without its events'
     * references (themselves an assumption, CONTRACT §8): the yes cannot be found there again.
     */
    const answeringOnly = <T>(operation: string, body: string, run: () => Promise<T>) =>
      rewriteAnswers(dinteroCheckoutProxy, new RegExp(`^(POST /v1/transactions/[^/]+/${operation}|GET /v1/transactions/[^/]+)$`), (request, json) => {
        if (request.method === 'POST') return body;
        for (const event of json.events ?? []) {
          delete event.capture_reference;
          delete event.refund_reference;
        }
        return undefined;
      }, run);

    it('a capture answered 2xx with an empty body is done: the order is CAPTURED, not left with dintero.outcome_unknown', async () => {
      const order = await authorizedDinteroOrder();
      const result = await answeringOnly('capture', '', () => apply(order.id, [{ type: 'CAPTURE', amount: '498.00' }]));
      expect(result.errors).toBeUndefined();
      expect(result.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      const captured = await read(order.id);
      expect(captured.status).toBe('CAPTURED');
      expect(captured.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
    });
  });

  describe('Dintero transactions without the money history no seed shows (CONTRACT §8 names no events)', () => {
    const transactions = /^(POST|GET) \/v1\/transactions\//;
    const amounts = (order: OrderView) => order.payments.map((payment) => [payment.capturedAmount.amount, payment.refundedAmount.amount]);

    it('no events at all: a partial capture, the rest and a partial refund show what the gateway moved, and the refund is not refused', async () => {
      const order = await authorizedDinteroOrder();
      await rewriteAnswers(dinteroCheckoutProxy, transactions, (_request, json) => void delete json.events, async () => {
        const first = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
        expect(first.errors).toBeUndefined();
        expect(first.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
        expect(amounts(first.data!.applyOrderEvents[0]!)).toEqual([['100.00', '0.00']]);
        const rest = await apply(order.id, [{ type: 'CAPTURE', amount: '398.00' }]);
        expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
        expect(amounts(rest.data!.applyOrderEvents[0]!)).toEqual([['498.00', '0.00']]);
        const refund = await apply(order.id, [{ type: 'REFUND', amount: '50.00' }]);
        expect(refund.errors).toBeUndefined();
        expect(refund.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
        expect(amounts(refund.data!.applyOrderEvents[0]!)).toEqual([['498.00', '50.00']]);
        // Re-reads of the same transaction (reconciliation, read-through) take nothing back.
        const later = await read(order.id);
        expect(later.status).toBe('PARTIALLY_REFUNDED');
        expect(amounts(later)).toEqual([['498.00', '50.00']]);
      });
    });

    it('no events: a capture whose answer was lost is found by the status it left, reaches Dintero once, and a retry with its key sends nothing', async () => {
      const order = await authorizedDinteroOrder();
      const dintero = env.sandboxes.dintero;
      const captures = () => dintero.requests().filter((request) => request.path.endsWith(`/transactions/${order.payments[0]!.id}/capture`));
      const key = `lost-capture-${order.id}`;
      await rewriteAnswers(dinteroCheckoutProxy, transactions, (_request, json) => void delete json.events, async () => {
        dintero.faults.inject({ kind: 'lost', only: /\/capture$/ });
        const lost = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: key }]);
        expect(dintero.faults.armed()).toEqual([]);
        expect(lost.errors).toBeUndefined();
        expect(lost.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
        expect(amounts(lost.data!.applyOrderEvents[0]!)).toEqual([['100.00', '0.00']]);
        const retried = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: key }]);
        expect(retried.errors).toBeUndefined();
        expect(captures()).toHaveLength(1);
        const shown = await read(order.id);
        expect(amounts(shown)).toEqual([['100.00', '0.00']]);
        expect(shown.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      });
    });

    it('no events: a refund whose answer and re-read were both lost is settled by reconciliation from the status, not left unknown', async () => {
      const order = await authorizedDinteroOrder();
      const dintero = env.sandboxes.dintero;
      await rewriteAnswers(dinteroCheckoutProxy, transactions, (_request, json) => void delete json.events, async () => {
        expect((await apply(order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
        dintero.faults.inject({ kind: 'lost', only: /\/refund$/ });
        // Every read of the transaction fails until the refund is answered: neither the read before
        // an unkeyed first refund nor the adapter's own re-read after it can tell (a count of failed
        // reads ran out early on a loaded machine, and the re-read then saw the refund).
        dintero.faults.inject({ kind: 'status', status: 503, only: /^GET \/v1\/transactions\//, times: Infinity });
        const lost = await apply(order.id, [{ type: 'REFUND', amount: '30.00' }]);
        dintero.faults.clear();
        expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
        // Until the refund is counted: a read of the transaction that began before the refund was
        // sent (the poller's, on a loaded machine) may already show PARTIALLY_REFUNDED by its status
        // with nothing refunded, before reconciliation settles the refund from that status.
        const settled = await eventually(async () => {
          const current = await read(order.id);
          return current.status === 'PARTIALLY_REFUNDED' && amounts(current)[0]?.[1] === '30.00' && current;
        }, 20_000); // the failed reads may have opened Dintero's circuit breaker (5 s)
        expect(amounts(settled)).toEqual([['498.00', '30.00']]);
        expect(settled.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
        expect(dintero.requests().filter((request) => request.path.endsWith(`/transactions/${order.payments[0]!.id}/refund`))).toHaveLength(1);
      });
    });

    it('events named in another case and tense ("captured", "refunded") still count as the money history', async () => {
      const order = await authorizedDinteroOrder();
      await rewriteAnswers(dinteroCheckoutProxy, transactions, (_request, json) => {
        for (const event of json.events ?? []) {
          const word = String(event.event).toLowerCase();
          event.event = word.endsWith('e') ? `${word}d` : `${word}ed`;
        }
        return undefined;
      }, async () => {
        const capture = await apply(order.id, [{ type: 'CAPTURE', amount: '200.00' }]);
        expect(capture.errors).toBeUndefined();
        expect(amounts(capture.data!.applyOrderEvents[0]!)).toEqual([['200.00', '0.00']]);
        const refund = await apply(order.id, [{ type: 'REFUND', amount: '20.00' }]);
        expect(refund.errors).toBeUndefined();
        expect(amounts(refund.data!.applyOrderEvents[0]!)).toEqual([['200.00', '20.00']]);
      });
    });
  });

  describe('Dintero transactions that do not say their order, amount or currency (the seed only shows a status)', () => {
    const bare = (_request: unknown, json: Record<string, unknown>) => {
      delete json.merchant_reference;
      delete json.merchant_reference_2;
      delete json.amount;
      delete json.currency;
      return undefined;
    };

    it('a paid order is authorized through its own session, then captured and refunded with its own amounts', async () => {
      await rewriteAnswers(dinteroCheckoutProxy, /^(POST|GET) \/v1\/transactions\//, bare, async () => {
        const created = await createdDinteroOrder();
        expect((await buyerOnCheckout(created.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' })).status).toBe(303);
        const authorized = await untilStatus(created.id, 'AUTHORIZED');
        expect(authorized.payments).toMatchObject([{ status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
        const captured = await apply(created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
        expect(captured.errors).toBeUndefined();
        expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
        const refunded = await apply(created.id, [{ type: 'REFUND', amount: '40.00' }]);
        expect(refunded.errors).toBeUndefined();
        expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ payments: [{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '40.00' } }] });
      });
    });

    it("a callback that names this order beside another order's transaction changes nothing: only the order's own session is read", async () => {
      const paid = await authorizedDinteroOrder();
      const waiting = await createdDinteroOrder();
      await rewriteAnswers(dinteroCheckoutProxy, /^(POST|GET) \/v1\/transactions\//, bare, async () => {
        const forged = await fetch(`${gateway.url}/webhooks/dintero?transaction_id=${encodeURIComponent(paid.payments[0]!.id)}&merchant_reference=${encodeURIComponent(waiting.providerOrderId!)}`);
        expect(forged.status).toBeLessThan(300);
        await new Promise((resolve) => setTimeout(resolve, 600)); // the poller (200 ms) re-read the named order
        expect((await read(waiting.id)).status).toBe('CREATED');
        expect((await read(paid.id)).status).toBe('AUTHORIZED');
      });
    });
  });

  describe('Pei reads (the seed leaves their output empty)', () => {
    it('a day without orders answered 204 with no body (ASP.NET\'s null list) is an empty listing, not PROVIDER_UNAVAILABLE', async () => {
      const pei = env.sandboxes.pei;
      pei.faults.inject({ kind: 'status', status: 204, body: '', only: /^GET \/api\/orders$/, times: Infinity });
      try {
        const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
        const response = await gql<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day }, first: 10 }, backOffice);
        expect(response.errors).toBeUndefined();
        expect(response.data!.orders.nodes).toEqual([]);
      } finally {
        pei.faults.clear();
      }
    });

    it('a read answered 204 with no body is an order Pei does not know: its postback is refused (401), not answered 503 for Pei to retry', async () => {
      const pei = env.sandboxes.pei;
      const orderId = `unknown${Math.random().toString(36).slice(2, 14)}`;
      pei.faults.inject({ kind: 'status', status: 204, body: '', only: new RegExp(`^GET /api/orders/${orderId}$`), times: Infinity });
      try {
        expect((await postPeiPostback(gateway.url, { orderId, purchaseId: 966127, mandateId: null })).status).toBe(401);
      } finally {
        pei.faults.clear();
      }
    });
  });

  describe('Pei refusals (no seed shows an error body)', () => {
    it('a submit refused 400 with an empty body (ASP.NET\'s BadRequest()) is PROVIDER_REJECTED, not PROVIDER_UNAVAILABLE', async () => {
      const pei = env.sandboxes.pei;
      pei.faults.inject({ kind: 'status', status: 400, body: '', only: /^POST \/api\/orders$/ });
      try {
        const response = await create(peiOrder());
        expect(response.errors).toMatchObject([{ extensions: { code: 'PROVIDER_REJECTED', providerCode: '400' } }]);
      } finally {
        pei.faults.clear();
      }
    });

    it('a refusal written as ASP.NET writes it by default (Message, ModelState) names Pei\'s words and field', async () => {
      const pei = env.sandboxes.pei;
      const body = { Message: 'The request is invalid.', ModelState: { 'order.Amount': ['Amount must be positive'] } };
      pei.faults.inject({ kind: 'status', status: 400, body: JSON.stringify(body), only: /^POST \/api\/orders$/ });
      try {
        const response = await create(peiOrder());
        expect(response.errors).toMatchObject([
          { message: 'Pei rejected the request: The request is invalid. Amount must be positive', extensions: { code: 'PROVIDER_REJECTED', providerCode: '400', providerField: 'Amount' } },
        ]);
      } finally {
        pei.faults.clear();
      }
    });
  });

  describe('Dintero refusals (no seed shows an error body)', () => {
    it('a capture refused 400 with a body of another shape is PROVIDER_REJECTED: the order stays AUTHORIZED, no outcome is left unknown', async () => {
      const order = await authorizedDinteroOrder();
      const transactionId = order.payments[0]!.id;
      const dintero = env.sandboxes.dintero;
      dintero.faults.inject({ kind: 'status', status: 400, body: JSON.stringify({ message: 'amount exceeds the authorized amount' }), only: new RegExp(`^POST /v1/transactions/${transactionId}/capture$`) });
      try {
        const result = await apply(order.id, [{ type: 'CAPTURE', amount: '498.00' }]);
        expect(result.errors).toMatchObject([{ extensions: { code: 'PROVIDER_REJECTED', providerCode: '400' } }]);
      } finally {
        dintero.faults.clear();
      }
      const after = await read(order.id);
      expect(after.status).toBe('AUTHORIZED');
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
    });
  });

  describe('Dintero answers no seed shows (a draft, a session, a transaction)', () => {
    it('a draft order answered with its unset fields as null (order_id: null before it is completed) is completed: the session is made', async () => {
      const response = await rewriteAnswers(
        dinteroApiProxy,
        /^POST \/v1\/accounts\/[^/]+\/shopping\/draft_orders$/,
        (_request, json) => {
          json.order_id = null;
          json.status ??= null;
        },
        () => create(dinteroOrderInput()),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
    });

    it('a session read that writes its unset fields as null and does not repeat its id: a cancel on the checkout page is learned', async () => {
      const order = await createdDinteroOrder();
      const cancelled = await rewriteAnswers(
        dinteroCheckoutProxy,
        /^GET \/v1\/sessions\/[^/]+$/,
        (_request, json) => {
          delete json.id;
          json.transaction_id ??= null;
          json.expires_at = null;
        },
        async () => {
          expect((await buyerOnCheckout(order.creation.stopAction!.redirectUrl!, 'cancel')).status).toBe(303);
          return untilStatus(order.id, 'CANCELLED');
        },
      );
      expect(cancelled).toMatchObject({ providerStatus: 'SESSION_CANCELLED', payments: [] });
    });

    it('a session read whose order and expiry are of another shape (never read) still shows its transaction: a payment whose callback never came is learned', async () => {
      const order = await createdDinteroOrder();
      const authorized = await rewriteAnswers(
        dinteroCheckoutProxy,
        /^GET \/v1\/sessions\/[^/]+$/,
        (_request, json) => {
          json.order = { ...json.order, amount: '498.00' };
          json.expires_at = Math.floor(Date.now() / 1000) + 3600;
        },
        async () => {
          expect((await buyerOnCheckout(order.creation.stopAction!.redirectUrl!, 'pay', { callback: 'never' })).status).toBe(303);
          return untilStatus(order.id, 'AUTHORIZED');
        },
      );
      expect(authorized).toMatchObject({ payments: [{ status: 'AUTHORIZED', amount: { amount: '498.00' } }] });
    });

    it('a transaction read that writes its unset fields as null is read: the callback authorizes the order', async () => {
      const authorized = await rewriteAnswers(
        dinteroCheckoutProxy,
        /^GET \/v1\/transactions\/[^/]+$/,
        (_request, json) => {
          json.payment_product_type ??= null;
          json.session_id = null;
          for (const event of json.events ?? []) {
            event.capture_reference ??= null;
            event.refund_reference ??= null;
          }
        },
        authorizedDinteroOrder,
      );
      expect(authorized).toMatchObject({ payments: [{ status: 'AUTHORIZED', amount: { amount: '498.00' } }] });
    });

    it('a transaction whose items are of another shape (no seed shows them) is read: the order is authorized and its recording made from its own lines', async () => {
      const authorized = await rewriteAnswers(
        dinteroCheckoutProxy,
        /^GET \/v1\/transactions\/[^/]+$/,
        (_request, json) => {
          for (const item of json.items ?? []) {
            item.gross_amount = item.amount;
            delete item.amount;
          }
        },
        authorizedDinteroOrder,
      );
      expect(authorized).toMatchObject({ payments: [{ status: 'AUTHORIZED', amount: { amount: '498.00' } }] });
      // Reconciliation records the authorization on the Orders API from the order's lines.
      const recording = await eventually(async () => dinteroApiProxy.requestsTo('POST', `/v1/accounts/${env.sandboxes.dintero.config.accountId}/shopping/orders/${authorized.providerOrderId}/authorizations`)[0]);
      expect(JSON.parse(recording.body)).toMatchObject({ items: [{ line_id: 1, amount: 39800 }, { line_id: 2, amount: 10000 }], success: true });
    });
  });

  describe('Intergiro', () => {
    it('an Intergiro without GET /v1/order/{id} (not in the seed) that answers 405: a link paid without a callback is found in the listing', async () => {
      const intergiro = env.intergiro;
      const input = {
        provider: 'INTERGIRO',
        currency: 'EUR',
        amount: '49.90',
        reference: `audit-link-${Math.random().toString(36).slice(2, 10)}`,
        intergiro: { paymentType: 'LINK' },
      };
      const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
      expect(created).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
      intergiro.faults.inject({ kind: 'status', status: 405, body: '', only: new RegExp(`^GET /v1/order/${created.providerOrderId}$`), times: Infinity });
      intergiro.pauseCallbacks(true);
      try {
        intergiro.payLink(created.providerOrderId!, 'pay');
        const paid = await eventually(async () => {
          const current = await read(created.id);
          return current.status !== 'CREATED' && current;
        });
        expect(paid).toMatchObject({ status: 'AUTHORIZED', providerOrderId: created.providerOrderId });
      } finally {
        intergiro.faults.clear();
        intergiro.pauseCallbacks(false);
      }
    });

    it('a creation refused 422 with an empty body (the seed shows no Error body) is PROVIDER_REJECTED, not PROVIDER_UNAVAILABLE', async () => {
      env.intergiro.faults.inject({ kind: 'status', status: 422, body: '', only: /^POST \/v1\/order$/ });
      const response = await create({ provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'LINK' } });
      expect(response.errors).toMatchObject([{ extensions: { code: 'PROVIDER_REJECTED', providerCode: '422' } }]);
    });

    it('an order answer whose unset fields are null, items priced as numeric strings and numbered as numbers, is read (no seed shows an item)', async () => {
      const id = `A${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}audit`.slice(0, 16);
      const now = new Date().toISOString();
      const answer = {
        id,
        number: null,
        created: now,
        customer: 'TjbHYXXn6yEdhLgS',
        items: [{ number: 175938, name: 'Stablestol', price: '10.00', quantity: 2, unit: null, vat: null }],
        currency: 'EUR',
        charge: null,
        callback: null,
        payment: { type: 'card', reference: null, created: now, amount: '20.00', currency: 'EUR', status: 'ordered' },
        status: 'ordered',
        event: [{ type: 'order', date: now, items: null, reference: null, descriptor: null }],
      };
      env.intergiro.faults.inject({ kind: 'status', status: 201, body: JSON.stringify(answer), only: /^POST \/v1\/order$/ });
      const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } };
      const response = await create(input, merchant);
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({
        providerOrderId: id,
        status: 'AUTHORIZED',
        total: { amount: '20.00', currency: 'EUR' },
        payments: [{ method: 'card', status: 'AUTHORIZED', amount: { amount: '20.00' } }],
      });
    });
  });
});
