/**
 * The meaning audit of the Intergiro and Pei adapters: what an order SHOWS when the provider
 * answers only what its seed (and CONTRACT §8) shows. A recording proxy between the gateway and
 * the sandbox rewrites the sandbox's real answers into such a variant (the sandbox itself does
 * what was asked); a callback is signed by the sandbox from its own order with the variant
 * applied. Each order is driven through GraphQL over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { IntergiroSandboxOrder } from '../../src/sandboxes/intergiro/index.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { buyerOnPei } from '../support/pei.js';
import { createOrderAtIntergiro, intergiroCardOrder, intergiroRest, postIntergiroCallback } from '../support/intergiro.js';
import { rewriteAnswers, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { today } from '../support/test-time.js';

/** Intergiro's order answers: a create, a read of one order, the listing. */
const ORDER_ANSWERS = /^(POST \/v1\/order|GET \/v1\/order(\/[^/?]+)?(\?.*)?)$/;
/** A rewrite of ORDER_ANSWERS that changes each order in the answer (one, or the listing's). */
const eachOrder =
  (change: (order: any) => void) =>
  (_request: unknown, json: any): void => {
    for (const order of Array.isArray(json) ? json : [json]) change(order);
  };

describe('what an order shows when the provider answers only what its seed shows (meaning audit)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let intergiroProxy: RecordingProxy;
  let peiProxy: RecordingProxy;
  let shop: string;
  /** The merchant's systems: a CUSTOMER payment (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    intergiroProxy = await startRecordingProxy(env.intergiro.url);
    const pei = env.sandboxes.pei;
    peiProxy = await startRecordingProxy(pei.url);
    gateway = await env.startGateway({
      intergiro: { url: intergiroProxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET },
      pei: { ...pei.config, url: peiProxy.url, tokenUrl: pei.config.tokenUrl.replace(pei.url, peiProxy.url) },
    });
    shop = await tokenFor('orders:create', 'shop-meaning-audit');
    merchant = await tokenFor('orders:create orders:manage', 'merchant-meaning-audit');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-meaning-audit');
  });
  afterAll(async () => {
    await intergiroProxy?.close();
    await peiProxy?.close();
    await env?.close();
  });

  const create = async (input: Record<string, unknown>, token = shop): Promise<OrderView> => (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, token)).createOrder;
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const apply = (orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, backOffice);
  /** Intergiro calls the gateway back with its order as `change` leaves it, signed as a real callback. */
  async function callBack(providerOrderId: string, change: (order: IntergiroSandboxOrder) => void): Promise<void> {
    const order = env.intergiro.getOrder(providerOrderId)!;
    change(order);
    expect((await postIntergiroCallback(gateway.url, await env.intergiro.signOrder(order))).status).toBe(200);
  }
  /** Runs `run` while the sandbox's own callbacks wait (they carry its events), sending them after. */
  async function withoutSandboxCallbacks<T>(run: () => Promise<T>): Promise<T> {
    env.intergiro.pauseCallbacks(true);
    try {
      return await run();
    } finally {
      env.intergiro.pauseCallbacks(false);
    }
  }

  describe('Intergiro orders without their event history (the seed shows "event" only as a placeholder)', () => {
    it('a card order charged at once (charge: auto) whose answers carry no events nor `charge` shows the whole amount captured, and a refund is not refused', async () => {
      await withoutSandboxCallbacks(() =>
        rewriteAnswers(
          intergiroProxy,
          ORDER_ANSWERS,
          eachOrder((order) => {
            delete order.event;
            delete order.charge;
          }),
          async () => {
            const created = await create({ ...intergiroCardOrder('20.00'), intergiro: { ...(intergiroCardOrder('20.00').intergiro as object), charge: true } });
            expect(created).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '20.00' } }] });
            const refunded = await apply(created.id, [{ type: 'REFUND', amount: '5.00' }]);
            expect(refunded.errors).toBeUndefined();
            expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '5.00' } }] });
          },
        ),
      );
    });

    it('a charge made outside the gateway, called back without events, is read again: the whole amount is captured and can be refunded', async () => {
      const authorized = await create(intergiroCardOrder('30.00'));
      expect(authorized.status).toBe('AUTHORIZED');
      const id = authorized.providerOrderId!;
      await withoutSandboxCallbacks(async () => {
        await intergiroRest(env.intergiro, 'PATCH', '/v1/order', [{ id, event: [{ type: 'charge' }] }]);
        await rewriteAnswers(
          intergiroProxy,
          ORDER_ANSWERS,
          eachOrder((order) => void delete order.event),
          async () => {
            await callBack(id, (order) => void delete (order as { event?: unknown }).event);
            const captured = await eventually(async () => {
              const current = await read(authorized.id);
              return current.payments[0]?.capturedAmount.amount === '30.00' && current;
            });
            expect(captured).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged' });
          },
        );
      });
      const refunded = await apply(authorized.id, [{ type: 'REFUND', amount: '30.00' }]);
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED', payments: [{ refundedAmount: { amount: '30.00' } }] });
    });

    it('a capture whose answer was lost is settled by a re-read that shows `charged` without events: the retry answers the capture, nothing is sent twice', async () => {
      const authorized = await create(intergiroCardOrder('50.00'));
      const key = randomUUID();
      const capture = { type: 'CAPTURE', amount: '20.00', idempotencyKey: key };
      await withoutSandboxCallbacks(() =>
        rewriteAnswers(
          intergiroProxy,
          ORDER_ANSWERS,
          eachOrder((order) => void delete order.event),
          async () => {
            env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
            expect((await apply(authorized.id, [capture])).errors).toMatchObject([{ extensions: { code: 'PROVIDER_UNAVAILABLE' } }]);
            // The poller re-reads the order (a pending operation is always read); the retry answers once it is settled.
            const settled = await eventually(async () => {
              const retried = await apply(authorized.id, [capture]);
              return !retried.errors && retried.data!.applyOrderEvents[0];
            });
            expect(settled).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
          },
        ),
      );
      expect(env.intergiro.getOrder(authorized.providerOrderId!)!.event.filter((event) => event.type === 'charge')).toHaveLength(1);
    });

    it('a partial refund made outside the gateway, called back `refunded` without a refund event, is read again: not counted (its amount is unsaid), the order says so, and the refund still possible is not refused', async () => {
      const authorized = await create(intergiroCardOrder('10.00'));
      const id = authorized.providerOrderId!;
      expect((await apply(authorized.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      const withoutRefunds = (order: { event?: { type: string }[] }) => void (order.event = order.event?.filter((event) => event.type !== 'refund'));
      await withoutSandboxCallbacks(async () => {
        // 4.00 of the 10.00 refunded at Intergiro by another system.
        await intergiroRest(env.intergiro, 'PATCH', '/v1/order', [{ id, event: [{ type: 'refund', items: 4 }] }]);
        await rewriteAnswers(
          intergiroProxy,
          ORDER_ANSWERS,
          eachOrder(withoutRefunds),
          async () => {
            await callBack(id, withoutRefunds);
            // Once re-read (before: the whole capture counted refunded, the order REFUNDED).
            const told = await eventually(async () => {
              const current = await read(authorized.id);
              return (current.status === 'REFUNDED' || current.creation.infos.some((info) => info.code === 'intergiro.refund_uncounted')) && current;
            });
            // The 6.00 left at Intergiro can still be refunded through the gateway (before: INVALID_STATE).
            const rest = await apply(authorized.id, [{ type: 'REFUND', amount: '6.00' }]);
            expect(rest.errors).toBeUndefined();
            expect(told).toMatchObject({ status: 'PARTIALLY_REFUNDED', providerStatus: 'refunded', payments: [{ capturedAmount: { amount: '10.00' }, refundedAmount: { amount: '0.00' } }] });
            expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '6.00' } }] });
          },
        );
      });
      const refunds = env.intergiro.getOrder(id)!.event.filter((event) => event.type === 'refund');
      expect(refunds.map((event) => Number((event as { items?: unknown }).items))).toEqual([4, 6]);
    });

    it('events named in another letter case ("CHARGE") are still the money history: a partial charge shows its amount', async () => {
      const authorized = await create(intergiroCardOrder('40.00'));
      const id = authorized.providerOrderId!;
      await withoutSandboxCallbacks(async () => {
        await intergiroRest(env.intergiro, 'PATCH', '/v1/order', [{ id, event: [{ type: 'charge', items: 15 }] }]);
        await callBack(id, (order) => {
          for (const event of order.event ?? []) (event as { type: string }).type = event.type.toUpperCase();
        });
      });
      expect(await read(authorized.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '15.00' } }] });
    });

    it('a change echoed as "FAIL" (another letter case) is a refusal: nothing is shown as captured', async () => {
      const authorized = await create(intergiroCardOrder('12.00'));
      const id = authorized.providerOrderId!;
      const answer = await withoutSandboxCallbacks(async () => {
        // Cancelled at Intergiro by another system: the charge is refused there with a `fail` event.
        await intergiroRest(env.intergiro, 'PATCH', '/v1/order', [{ id, event: [{ type: 'cancel' }] }]);
        return rewriteAnswers(
          intergiroProxy,
          /^PATCH \/v1\/order$/,
          (_request, json) => {
            for (const element of json) for (const event of element.event) event.type = event.type.toUpperCase();
          },
          () => apply(authorized.id, [{ type: 'CAPTURE' }]),
        );
      });
      expect(answer.errors).toMatchObject([{ extensions: { code: 'PROVIDER_REJECTED' } }]);
      expect((await read(authorized.id)).payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
    });
  });

  describe('Intergiro PATCH answers ("the same changes you requested", element by element)', () => {
    it('two elements of one call naming the same order: each is answered from its own element of the echo, so a refusal of the second is not read as the first one\'s success', async () => {
      const authorized = await create(intergiroCardOrder('60.00'));
      // The sandbox's callbacks (which carry the refund it took) wait until the gateway's reading is checked.
      const both = await withoutSandboxCallbacks(async () => rewriteAnswers(
        intergiroProxy,
        /^PATCH \/v1\/order$/,
        (_request, json) => {
          // Intergiro refuses the second element's refund (say, another system refunded first).
          json[1].event[0] = { type: 'fail', original: 'refund', date: new Date().toISOString(), error: { status: 409, type: 'not allowed', error: 'refund not allowed' } };
        },
        () =>
          gql<{ applyOrderEvents: (OrderView | null)[] }>(
            gateway.url,
            APPLY_EVENTS,
            { input: [{ orderId: authorized.id, events: [{ type: 'CAPTURE' }] }, { orderId: authorized.id, events: [{ type: 'REFUND', amount: '10.00' }] }] },
            backOffice,
          ),
      ).then(async (answer) => ({ answer, shown: await read(authorized.id) })));
      expect(both.answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(both.answer.data!.applyOrderEvents[1]).toBeNull();
      expect(both.answer.errors).toMatchObject([{ path: ['applyOrderEvents', 1], extensions: { code: 'PROVIDER_REJECTED' } }]);
      expect(both.shown.payments[0]).toMatchObject({ capturedAmount: { amount: '60.00' }, refundedAmount: { amount: '0.00' } });
    });
  });

  describe('Intergiro answers in forms the seed leaves open (no status word, letter case)', () => {
    it("a customer order answered as the seed's merchant-initiated response (no status, no events) shows its payment's status: AUTHORIZED, not CREATED", async () => {
      const created = await rewriteAnswers(
        intergiroProxy,
        /^POST \/v1\/order$/,
        (_request, json) => {
          delete json.status;
          delete json.event;
        },
        () => create({ provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } }, merchant),
      );
      expect(created).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'ordered', payments: [{ status: 'AUTHORIZED' }] });
    });

    it('an order answered without a status word on the order or its payment shows where its last event leads (charge: CAPTURED)', async () => {
      const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS', charge: true } };
      const created = await rewriteAnswers(
        intergiroProxy,
        /^POST \/v1\/order$/,
        (_request, json) => {
          delete json.status;
          delete json.payment.status;
        },
        () => create(input, merchant),
      );
      expect(created).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged', payments: [{ capturedAmount: { amount: '20.00' } }] });
    });

    it('a "Verification Required" error (another letter case; no seed shows the Error) is the 3-D Secure step: ACTION_REQUIRED, not PROVIDER_REJECTED', async () => {
      const id = `V${randomUUID().replaceAll('-', '').slice(0, 15)}`;
      const details = { visible: true, method: 'POST', url: 'https://acs.example/challenge', data: { type: 'challenge', threeDSServerTransID: randomUUID() } };
      const error = { status: 400, type: 'malformed content', error: 'Verification Required', id, content: { property: 'card', details } };
      env.intergiro.faults.inject({ kind: 'status', status: 400, body: JSON.stringify(error), only: /^POST \/v1\/order$/ });
      const created = await create(intergiroCardOrder('15.00'));
      expect(created).toMatchObject({ status: 'ACTION_REQUIRED', providerOrderId: id, creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS', threeDS: { type: 'challenge' } } } });
    });

    it('an order answered with its currency in lower case ("eur") is read, not PROVIDER_UNAVAILABLE', async () => {
      const created = await rewriteAnswers(
        intergiroProxy,
        /^POST \/v1\/order$/,
        (_request, json) => void (json.currency = 'eur'),
        () => create({ provider: 'INTERGIRO', currency: 'EUR', amount: '7.50', intergiro: { paymentType: 'LINK' } }),
      );
      expect(created).toMatchObject({ status: 'CREATED', total: { amount: '7.50', currency: 'EUR' }, payments: [{ amount: { amount: '7.50' } }] });
    });
  });

  describe('Intergiro items', () => {
    it('an order made outside the gateway whose items carry VAT is listed with the total Intergiro charges ((price + vat) x quantity)', async () => {
      const number = `vat-${randomUUID()}`;
      const made = await createOrderAtIntergiro(env.intergiro, {
        number,
        items: [{ name: 'Stablestol', price: 10, vat: 2.5, quantity: 2 }],
        currency: 'EUR',
        customer: 'TjbHYXXn6yEdhLgS',
        payment: { type: 'customer' },
      });
      const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today(), to: today() }, first: 100 }, backOffice);
      const adopted = listed.orders.nodes.find((order) => order.providerOrderId === made.id);
      expect(adopted).toMatchObject({ reference: number, total: { amount: '25.00' }, payments: [{ amount: { amount: '25.00' } }] });
      expect(adopted!.items).toMatchObject([{ quantity: 2, amount: { amount: '25.00' } }]);
    });
  });

  describe('Pei reads that carry only the seed\'s Order fields (the seed shows no status field and no read output)', () => {
    const peiOrder = () => ({
      provider: 'PEI',
      currency: 'ISK',
      reference: `pei-meaning-${randomUUID()}`,
      items: [{ name: 'TV subscription', amount: '5000' }],
      buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849' },
    });

    it('a confirmed order read without a status word but with its purchase is CAPTURED: the postback is believed, not refused for ever', async () => {
      const created = await create(peiOrder());
      expect(created).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
      const orderRead = new RegExp(`^GET /api/orders/${created.providerOrderId}$`);
      await rewriteAnswers(peiProxy, orderRead, (_request, json) => void delete json.status, async () => {
        expect((await buyerOnPei(created.creation.stopAction!.redirectUrl!, 'confirm')).status).toBeLessThan(400);
        const paid = await eventually(async () => {
          const current = await read(created.id);
          return current.status === 'CAPTURED' && current;
        });
        const purchaseId = env.sandboxes.pei.getOrder(created.providerOrderId!)!.purchaseId;
        expect(paid).toMatchObject({ providerStatus: 'Confirmed', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '5000' }, providerReference: String(purchaseId) }] });
      });
    });

    /** Reads of these Pei orders as a seed-only Pei may write them: no status word, no purchase. */
    const seedFieldsOnly = (providerOrderIds: string[]) => ({
      only: new RegExp(`^GET /api/orders/(${providerOrderIds.join('|')})$`),
      rewrite: (_request: unknown, json: any) => {
        delete json.status;
        delete json.purchaseId;
        delete json.confirmed;
      },
    });
    /** A postback's answer once it was read (a 429 says the order's re-read lease is taken: wait for it, as Pei retries). */
    async function postTo(url: string, body: unknown): Promise<number> {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (response.status !== 429 || attempt === 20) return response.status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('a confirmed order whose read says neither status nor purchase (all the seed\'s Order has) is CAPTURED through the postback to the URL the gateway signed for it', async () => {
      const created = await create(peiOrder());
      const { only, rewrite } = seedFieldsOnly([created.providerOrderId!]);
      await rewriteAnswers(peiProxy, only, rewrite, async () => {
        expect((await buyerOnPei(created.creation.stopAction!.redirectUrl!, 'confirm')).status).toBeLessThan(400);
        const paid = await eventually(async () => {
          const current = await read(created.id);
          return current.status === 'CAPTURED' && current;
        });
        const purchaseId = env.sandboxes.pei.getOrder(created.providerOrderId!)!.purchaseId;
        expect(paid.payments).toMatchObject([{ status: 'CAPTURED', providerReference: String(purchaseId) }]);
      });
    });

    it('beside such reads, a postback without the signed URL, or to the URL signed for another order, is 401 and changes nothing', async () => {
      const mine = await create(peiOrder());
      const other = await create(peiOrder());
      const signedForOther = env.sandboxes.pei.getOrder(other.providerOrderId!)!.postbackUrl!;
      expect(new URL(signedForOther).searchParams.get('order')).toBe(other.id);
      const { only, rewrite } = seedFieldsOnly([mine.providerOrderId!, other.providerOrderId!]);
      await rewriteAnswers(peiProxy, only, rewrite, async () => {
        const claim = { orderId: mine.providerOrderId, purchaseId: 424242, mandateId: null };
        expect(await postTo(`${gateway.url}/webhooks/pei`, claim)).toBe(401);
        expect(await postTo(signedForOther.replace(/^https?:\/\/[^/]+/, gateway.url), claim)).toBe(401);
        const forgedMac = new URL(signedForOther.replace(/^https?:\/\/[^/]+/, gateway.url));
        forgedMac.searchParams.set('order', mine.id);
        expect(await postTo(forgedMac.toString(), claim)).toBe(401);
        await new Promise((resolve) => setTimeout(resolve, 400)); // the poller (200 ms) read both orders meanwhile
        expect((await read(mine.id)).status).toBe('CREATED');
        expect((await read(other.id)).status).toBe('CREATED');
      });
    });

    it('a confirmed FIRST order whose read shows no mandate (the seed: MandateId is null unless Recurring) shows the mandate its postback gives, so a RECURRING order can follow', async () => {
      const created = await create({ ...peiOrder(), pei: { sequenceType: 'FIRST' } });
      const orderRead = new RegExp(`^GET /api/orders/${created.providerOrderId}$`);
      const paid = await rewriteAnswers(peiProxy, orderRead, (_request, json) => void (json.mandateId = null), async () => {
        expect((await buyerOnPei(created.creation.stopAction!.redirectUrl!, 'confirm')).status).toBeLessThan(400);
        return eventually(async () => {
          const current = await read(created.id);
          return current.status === 'CAPTURED' && Boolean(current.payments[0]?.mandateId) && current;
        });
      });
      const mandateId = env.sandboxes.pei.getOrder(created.providerOrderId!)!.mandateId;
      expect(mandateId).toBeTruthy();
      expect(paid.payments[0]!.mandateId).toBe(mandateId);
      const recurring = await create({ ...peiOrder(), pei: { sequenceType: 'RECURRING', mandateId } });
      expect(recurring.status).toBe('PENDING');
    });
  });
});
