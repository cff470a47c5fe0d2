/**
 * The Intergiro provider end to end: GraphQL over real HTTP and graphql-ws in front, the Intergiro
 * sandbox on its own port behind, callbacks over real HTTP in between, on both stores.
 *
 * Two gateways share each environment's store: `gateway` talks to the sandbox directly, `proxied`
 * talks to it through a transparent recording proxy (test/support/intergiro.ts), so a test can
 * see exactly what went upstream (one PATCH for two orders, no call at all, the 3-D Secure
 * resubmission) or hold an answer back to let a callback overtake it.
 *
 * Every response is checked for leaked secrets (card tokens, the API key, the callback secret) on
 * its raw JSON.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { makeOrder } from '../support/orders.js';
import { intergiroSandboxThreeDSResult, type IntergiroSandboxOrder } from '../../src/sandboxes/intergiro/index.js';
import {
  APPLY_EVENTS,
  CONTINUE_ORDER,
  CREATE_ORDER,
  GET_ORDER,
  LIST_ORDERS,
  ORDER_UPDATES,
  WATCH_ORDER,
  type OrderView,
  type StatusChangeView,
} from '../support/documents.js';
import {
  INTERGIRO_API_KEY,
  INTERGIRO_CALLBACK_SECRET,
  STORE_KINDS,
  eventually,
  startTestEnvironment,
  tokenFor,
  type IntergiroSandbox,
  type StoreKind,
  type TestEnvironment,
} from '../support/gateway.js';
import { secretCheckedGraphQL, subscribe, type CheckedAnswer, type GraphQLError } from '../support/graphql.js';
import {
  buyerUsesLink,
  createOrderAtIntergiro,
  intergiroOrderCount,
  intergiroRest,
  postIntergiroCallback,
  INTERGIRO_TEST_BROWSER,
} from '../support/intergiro.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

// ---------------------------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------------------------

/** The seed's "Browser object", as a frontend collects it. */
const BROWSER = INTERGIRO_TEST_BROWSER;
const SUCCESS_URL = 'https://shop.example/checkout/done?cart=42';
const SAVED_CARD_CUSTOMER = 'TjbHYXXn6yEdhLgS';
const OTHER_CUSTOMER = 'cus_sandbox_1';
const SANDBOX_ID = /^[A-Za-z0-9]{16}$/;
const GATEWAY_ID = /^ord_[0-9A-Za-z]{20}$/;

/** Every card token this file hands out: none may ever appear in a response. */
const issuedTokens = new Set<string>();

/**
 * A fresh card token. The sandbox reads test words from it ("3ds", "3ds2", "deny", "pending");
 * the random part is hex, so it cannot spell one by accident.
 */
function cardToken(words = 'visa'): string {
  const token = `tok_${words}_${randomUUID().replaceAll('-', '')}`;
  issuedTokens.add(token);
  return token;
}

/** Requests whose answers are checked for the API key, the callback secret and every card token handed out. */
const { call, ok, expectNoSecrets } = secretCheckedGraphQL(() => [INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, ...issuedTokens]);
type Answer = CheckedAnswer;

/** The one error of a failed root field (data null), with its extensions. */
function onlyError(answer: Answer, field: string): GraphQLError {
  expect(answer.data?.[field] ?? null, `${field} should have failed`).toBeNull();
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors;
  expect(error?.path).toEqual([field]);
  return error!;
}

/** The nodes of an `orders` answer that must have succeeded. */
function nodesOf(answer: Answer): OrderView[] {
  expect(answer.errors).toEqual([]);
  return answer.data.orders.nodes;
}

function cardOrder(token: string, options: Record<string, unknown> = {}, amount = '25.50', currency = 'EUR') {
  return {
    provider: 'INTERGIRO',
    currency,
    amount,
    intergiro: { paymentType: 'CARD', cardToken: token, browser: BROWSER, ...options },
  };
}

function linkOrder(amount = '49.90') {
  return {
    provider: 'INTERGIRO',
    currency: 'EUR',
    amount,
    reference: `link-${randomUUID().slice(0, 8)}`,
    intergiro: { paymentType: 'LINK', cardholderName: true },
    returnUrls: { success: SUCCESS_URL },
  };
}

function requireSandboxOrder(sandbox: IntergiroSandbox, id: string | null): IntergiroSandboxOrder {
  const order = id ? sandbox.getOrder(id) : undefined;
  if (!order) throw new Error(`the sandbox has no order ${String(id)}`);
  return order;
}

/** A JWT with `alg: none`: header and payload, no signature. */
function unsignedToken(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** What a forger would like the gateway to believe: the order charged in full. */
function chargedVersionOf(order: IntergiroSandboxOrder): IntergiroSandboxOrder {
  const amount = typeof order.items === 'number' ? order.items : order.payment.amount;
  return {
    ...order,
    status: 'charged',
    event: [...order.event, { type: 'charge', items: amount, date: new Date().toISOString() }],
  };
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** The gateway's Intergiro config: where it calls, and how it verifies callbacks (CONTRACT §5). */
function intergiroConfig(sandbox: IntergiroSandbox, url: string, verification: 'secret' | 'jwks' | 'verify-endpoint'): Config['intergiro'] {
  return {
    url,
    apiKey: INTERGIRO_API_KEY,
    ...(verification === 'secret' ? { callbackSecret: INTERGIRO_CALLBACK_SECRET } : {}),
    ...(verification === 'jwks' ? { callbackJwksUrl: sandbox.jwksUrl! } : {}),
  };
}

/**
 * A gateway whose reconciliation poller effectively never fires during a test: the callbacks
 * under test must be what moves an order (source WEBHOOK), not a re-read racing them.
 */
function startQuietGateway(env: TestEnvironment, intergiro: Config['intergiro']): Promise<Gateway> {
  return env.startGateway({ reconcileIntervalMs: 60_000, intergiro });
}

// ---------------------------------------------------------------------------------------------
// The suite, once per store
// ---------------------------------------------------------------------------------------------

describe.each(STORE_KINDS)('Intergiro through the gateway (%s store)', (kind: StoreKind) => {
  let env: TestEnvironment;
  let sandbox: IntergiroSandbox;
  /** Talks to the sandbox directly; HS256 callback secret. */
  let gateway: Gateway;
  /** Talks to the sandbox through `proxy`; HS256 callback secret. */
  let proxied: Gateway;
  let proxy: RecordingProxy;
  let shop: string;
  /** The merchant's systems: a CUSTOMER payment (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    sandbox = env.intergiro;
    proxy = await startRecordingProxy(sandbox.url);
    gateway = await startQuietGateway(env, intergiroConfig(sandbox, sandbox.url, 'secret'));
    proxied = await startQuietGateway(env, intergiroConfig(sandbox, proxy.url, 'secret'));
    shop = await tokenFor('orders:create', `shop-intergiro-${kind}`);
    merchant = await tokenFor('orders:create orders:manage', `merchant-intergiro-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', `back-office-${kind}`);
  });
  afterAll(async () => {
    await env?.close();
    await proxy?.close();
  });

  const create = async (url: string, input: Record<string, unknown>, token = shop): Promise<OrderView> => (await ok(url, CREATE_ORDER, { input }, token)).createOrder;
  const read = async (id: string): Promise<OrderView> => (await ok(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const authorized = async (amount: string, url = proxied.url): Promise<OrderView> => {
    const order = await create(url, cardOrder(cardToken(), {}, amount));
    expect(order.status).toBe('AUTHORIZED');
    return order;
  };
  const watch = (orderId: string) => subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId });

  /**
   * Runs `action` and proves it stored no order: an `orderUpdates` subscriber sees the first
   * event of every order stored; between a sentinel order created before the action and one
   * created after it, no other order may start.
   */
  async function expectNoOrderStored(action: () => Promise<void>): Promise<void> {
    type Update = { orderUpdates: { eventId: string; previousStatus: string | null; order: { id: string } } };
    const updates = subscribe<Update>(gateway.url, backOffice, ORDER_UPDATES, { provider: 'INTERGIRO' });
    const firstEventOf = (id: string) => (message: Update) => message.orderUpdates.order.id === id && message.orderUpdates.previousStatus === null;
    try {
      // The subscription goes live a moment after the socket opens: retry the first sentinel until seen.
      const before = await eventually(async () => {
        const sentinel = await create(gateway.url, linkOrder());
        await updates.waitFor(firstEventOf(sentinel.id), 500);
        return sentinel;
      }, 5000);
      await action();
      const after = await create(gateway.url, linkOrder());
      await updates.waitFor(firstEventOf(after.id), 5000);
      const messages = updates.messages.map((message) => message.orderUpdates);
      const from = messages.findIndex((message) => message.order.id === before.id && message.previousStatus === null);
      const to = messages.findIndex((message) => message.order.id === after.id && message.previousStatus === null);
      expect(messages.slice(from + 1, to).filter((message) => message.previousStatus === null)).toEqual([]);
    } finally {
      await updates.dispose();
    }
  }

  // -------------------------------------------------------------------------------------------
  describe('card orders (card token + browser object)', () => {
    it('plain token -> AUTHORIZED, payment AUTHORIZED with the acquirer reference', async () => {
      const token = cardToken();
      const sent = proxy.requestsTo('POST', '/v1/order').length;
      const order = await create(proxied.url, { ...cardOrder(token), reference: 'card-order-1' });

      const upstream = requireSandboxOrder(sandbox, order.providerOrderId);
      expect(order.providerOrderId).toMatch(SANDBOX_ID);
      expect(order).toMatchObject({
        provider: 'INTERGIRO',
        reference: 'card-order-1',
        status: 'AUTHORIZED',
        providerStatus: 'ordered',
        total: { amount: '25.50', currency: 'EUR', minorUnits: 2550 },
        creation: { status: 'COMPLETED', stopAction: null },
        events: [{ id: '1', status: 'AUTHORIZED', source: 'CLIENT' }],
      });
      expect(order.id).toMatch(GATEWAY_ID);
      expect(order.payments).toEqual([
        {
          id: upstream.id,
          method: 'card',
          methodName: null,
          status: 'AUTHORIZED',
          amount: { amount: '25.50' },
          capturedAmount: { amount: '0.00' },
          refundedAmount: { amount: '0.00' },
          providerReference: upstream.payment.type === 'card' ? upstream.payment.reference : 'not a card payment',
          mandateId: null,
        },
      ]);
      expect(order.payments[0]?.providerReference).toMatch(/^VIS\d{10}$/);
      expect(upstream).toMatchObject({ status: 'ordered', number: 'card-order-1', items: 25.5, currency: 'EUR' });

      // What went upstream: one Order Creatable with the card token and the browser object.
      const posts = proxy.requestsTo('POST', '/v1/order').slice(sent);
      expect(posts).toHaveLength(1);
      const creatable = JSON.parse(posts[0]!.body);
      expect(creatable).toMatchObject({
        number: 'card-order-1',
        items: 25.5,
        currency: 'EUR',
        payment: { type: 'card', card: token, client: { browser: BROWSER } },
      });
      expect(creatable.callback).toMatch(/\/webhooks\/intergiro$/);
      expect(creatable.charge).toBeUndefined();
      expect(creatable.id).toBeUndefined();
    });

    it('charge: true -> CAPTURED, the whole amount captured', async () => {
      const sent = proxy.requestsTo('POST', '/v1/order').length;
      const order = await create(proxied.url, cardOrder(cardToken(), { charge: true }, '398.00'));
      expect(order).toMatchObject({
        status: 'CAPTURED',
        providerStatus: 'charged',
        total: { amount: '398.00', minorUnits: 39800 },
        creation: { status: 'COMPLETED' },
        payments: [{ status: 'CAPTURED', amount: { amount: '398.00' }, capturedAmount: { amount: '398.00' }, refundedAmount: { amount: '0.00' } }],
      });
      expect(JSON.parse(proxy.requestsTo('POST', '/v1/order')[sent]!.body).charge).toBe('auto');
      expect(requireSandboxOrder(sandbox, order.providerOrderId).event.map((event) => event.type)).toEqual(['order', 'charge']);
    });

    it('item lines go upstream as Intergiro items; amounts stay exact decimal strings', async () => {
      const sent = proxy.requestsTo('POST', '/v1/order').length;
      const order = await create(proxied.url, {
        provider: 'INTERGIRO',
        currency: 'EUR',
        items: [
          { name: 'Notebook', quantity: 3, unitPrice: '19.99', amount: '59.97', code: 'NB-A5' },
          { name: 'Pen', amount: '0.10' },
          { name: 'Eraser', amount: '0.20' },
        ],
        intergiro: { paymentType: 'CARD', cardToken: cardToken(), browser: BROWSER },
      });
      expect(order).toMatchObject({
        status: 'AUTHORIZED',
        total: { amount: '60.27', currency: 'EUR', minorUnits: 6027 },
        items: [
          { lineId: '1', name: 'Notebook', quantity: 3, amount: { amount: '59.97' } },
          { lineId: '2', name: 'Pen', amount: { amount: '0.10' } },
          { lineId: '3', name: 'Eraser', amount: { amount: '0.20' } },
        ],
        payments: [{ amount: { amount: '60.27' } }],
      });
      expect(JSON.parse(proxy.requestsTo('POST', '/v1/order')[sent]!.body).items).toEqual([
        { name: 'Notebook', price: 19.99, quantity: 3, number: 'NB-A5' },
        { name: 'Pen', price: 0.1, quantity: 1 },
        { name: 'Eraser', price: 0.2, quantity: 1 },
      ]);
      expect(requireSandboxOrder(sandbox, order.providerOrderId).payment.amount).toBe(60.27);
      // Intergiro's callback, read back from its JSON numbers, agrees to the cent: nothing changes.
      await sandbox.callbacksIdle();
      expect(await read(order.id)).toMatchObject({ total: { amount: '60.27' }, payments: [{ amount: { amount: '60.27' } }], events: [{ id: '1' }] });
    });

    it('"pending" token -> PENDING, then the settlement callback -> subscriber sees AUTHORIZED', async () => {
      const order = await create(gateway.url, cardOrder(cardToken('pending')));
      expect(order).toMatchObject({ status: 'PENDING', providerStatus: 'pending', payments: [{ status: 'PENDING' }] });
      const watcher = watch(order.id);
      try {
        const first = (await watcher.next()).orderStatusChanged;
        const settled = first.status === 'AUTHORIZED' ? first : (await watcher.next()).orderStatusChanged;
        // Pushed either way: Intergiro settles the order before it calls back, so a read of the
        // waiting order in between (a subscriber's read-through, on a loaded machine) may see it
        // first (RECONCILIATION); the callback then changes nothing. Never polled by the client.
        expect(settled).toMatchObject({ eventId: '2', status: 'AUTHORIZED' });
        expect(['WEBHOOK', 'RECONCILIATION']).toContain(settled.source);
        expect(await read(order.id)).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'ordered', payments: [{ status: 'AUTHORIZED' }] });
      } finally {
        await watcher.dispose();
      }
    });

    it('"deny" token -> FAILED, creation FAILED', async () => {
      const order = await create(gateway.url, cardOrder(cardToken('deny')));
      expect(order).toMatchObject({
        status: 'FAILED',
        providerStatus: 'denied',
        creation: { status: 'FAILED' },
        payments: [{ status: 'FAILED', capturedAmount: { amount: '0.00' } }],
      });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('denied');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('3-D Secure', () => {
    type ThreeDS = { type: string; details: { visible: boolean; method: string; url: string; data: { type: string; threeDSServerTransID: string } } };
    const threeDSOf = (order: OrderView): ThreeDS => order.creation.stopAction?.threeDS as unknown as ThreeDS;
    const resultFor = (order: OrderView, transStatus: 'Y' | 'N' = 'Y') => {
      const step = threeDSOf(order).details.data;
      return { type: step.type, data: intergiroSandboxThreeDSResult({ type: step.type as 'method' | 'challenge', threeDSServerTransID: step.threeDSServerTransID }, transStatus) };
    };
    const continueWith = (orderId: string, threeDS?: unknown) =>
      call(proxied.url, CONTINUE_ORDER, { input: { orderId, ...(threeDS === undefined ? {} : { threeDS }) } }, shop);

    it('"3ds" token -> ACTION_REQUIRED with a challenge; the result resubmitted -> AUTHORIZED under the same provider id', async () => {
      const posts = proxy.requestsTo('POST', '/v1/order').length;
      const countBefore = await intergiroOrderCount(sandbox);
      const order = await create(proxied.url, cardOrder(cardToken('3ds')));
      const providerOrderId = order.providerOrderId;
      expect(providerOrderId).toMatch(SANDBOX_ID);
      expect(order).toMatchObject({
        status: 'ACTION_REQUIRED',
        providerStatus: 'verification required',
        creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS', reason: 'verification required' } },
        payments: [{ status: 'ACTION_REQUIRED', amount: { amount: '25.50' } }],
      });
      const step = threeDSOf(order);
      expect(step.type).toBe('challenge');
      expect(step.details).toMatchObject({ visible: true, method: 'POST', url: `${sandbox.url}/acs/${providerOrderId}` });
      expect(step.details.data).toMatchObject({ type: 'challenge', threeDSServerTransID: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(requireSandboxOrder(sandbox, providerOrderId).status).toBe('created');

      const answer = await continueWith(order.id, resultFor(order));
      expect(answer.errors).toEqual([]);
      const done: OrderView = answer.data.continueOrderCreation;
      expect(done).toMatchObject({
        id: order.id,
        providerOrderId,
        status: 'AUTHORIZED',
        providerStatus: 'ordered',
        creation: { status: 'COMPLETED', stopAction: null },
        payments: [{ status: 'AUTHORIZED', providerReference: expect.stringMatching(/^VIS\d{10}$/) }],
      });
      expect(done.events.map((event) => [event.status, event.source])).toEqual([
        ['ACTION_REQUIRED', 'CLIENT'],
        ['AUTHORIZED', 'CLIENT'],
      ]);

      // Resubmitted under the SAME id: one order at Intergiro, never a second one.
      const sent = proxy.requestsTo('POST', '/v1/order').slice(posts).map((request) => JSON.parse(request.body));
      expect(sent).toHaveLength(2);
      expect(sent[0].id).toBeUndefined();
      expect(sent[1]).toMatchObject({ id: providerOrderId, items: 25.5, currency: 'EUR', payment: { type: 'card', verification: resultFor(order) } });
      expect(await intergiroOrderCount(sandbox)).toBe(countBefore + 1);
      expect(requireSandboxOrder(sandbox, providerOrderId).status).toBe('ordered');
    });

    it('"3ds2" token: method step, then challenge step, same provider id; a subscriber sees ACTION_REQUIRED -> ACTION_REQUIRED -> AUTHORIZED', async () => {
      const order = await create(proxied.url, cardOrder(cardToken('3ds2'), {}, '12.34'));
      const providerOrderId = order.providerOrderId;
      expect(order.status).toBe('ACTION_REQUIRED');
      expect(threeDSOf(order).type).toBe('method');
      expect(threeDSOf(order).details.visible).toBe(false);

      const watcher = watch(order.id);
      try {
        expect((await watcher.next()).orderStatusChanged).toMatchObject({ eventId: '1', previousStatus: null, status: 'ACTION_REQUIRED', final: false });

        const method = await continueWith(order.id, resultFor(order));
        expect(method.errors).toEqual([]);
        const challenge: OrderView = method.data.continueOrderCreation;
        expect(challenge).toMatchObject({ providerOrderId, status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
        expect(threeDSOf(challenge).type).toBe('challenge');
        expect(threeDSOf(challenge).details.visible).toBe(true);
        // One 3DS Server transaction for both steps.
        expect(threeDSOf(challenge).details.data.threeDSServerTransID).toBe(threeDSOf(order).details.data.threeDSServerTransID);
        expect((await watcher.next()).orderStatusChanged).toMatchObject({
          eventId: '2',
          previousStatus: 'ACTION_REQUIRED',
          status: 'ACTION_REQUIRED',
          source: 'CLIENT',
        });

        const final = await continueWith(order.id, resultFor(challenge));
        expect(final.errors).toEqual([]);
        expect(final.data.continueOrderCreation).toMatchObject({ providerOrderId, status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
        const authorizedChange = (await watcher.next()).orderStatusChanged;
        expect(authorizedChange).toMatchObject({ eventId: '3', previousStatus: 'ACTION_REQUIRED', status: 'AUTHORIZED', source: 'CLIENT', final: false });
        expect(authorizedChange.order.status).toBe('AUTHORIZED');

        // Intergiro's callback for the completion says what the resubmission said: no fourth message.
        await sandbox.callbacksIdle();
        expect(sandbox.sentCallbacks().filter((sent) => sent.orderId === providerOrderId).map((sent) => [sent.status, sent.responseStatus])).toEqual([['ordered', 200]]);
        expect((await read(order.id)).events).toHaveLength(3);
        expect(watcher.messages.map((message) => message.orderStatusChanged.status)).toEqual(['ACTION_REQUIRED', 'ACTION_REQUIRED', 'AUTHORIZED']);
      } finally {
        await watcher.dispose();
      }
    });

    it('challenge answered "N" -> FAILED', async () => {
      const order = await create(proxied.url, cardOrder(cardToken('3ds')));
      const answer = await continueWith(order.id, resultFor(order, 'N'));
      expect(answer.errors).toEqual([]);
      expect(answer.data.continueOrderCreation).toMatchObject({
        providerOrderId: order.providerOrderId,
        status: 'FAILED',
        providerStatus: 'denied',
        creation: { status: 'FAILED' },
        payments: [{ status: 'FAILED' }],
      });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('denied');
    });

    it('a result for another 3-D Secure transaction -> PROVIDER_REJECTED on "verification"; the order still waits', async () => {
      const order = await create(proxied.url, cardOrder(cardToken('3ds')));
      const forged = { type: 'challenge', data: intergiroSandboxThreeDSResult({ type: 'challenge', threeDSServerTransID: randomUUID() }) };
      const error = onlyError(await continueWith(order.id, forged), 'continueOrderCreation');
      expect(error.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'malformed content', providerField: 'verification' });
      expect(await read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', providerOrderId: order.providerOrderId, creation: { status: 'STOPPED' } });
    });

    it('continue on an order that is not waiting for 3-D Secure -> INVALID_STATE, nothing sent', async () => {
      const order = await create(proxied.url, cardOrder(cardToken()));
      const posts = proxy.requestsTo('POST', '/v1/order').length;
      const error = onlyError(await continueWith(order.id, { type: 'challenge', data: 'x' }), 'continueOrderCreation');
      expect(error.extensions).toMatchObject({ code: 'INVALID_STATE' });
      expect(proxy.requestsTo('POST', '/v1/order')).toHaveLength(posts);
      expect((await read(order.id)).status).toBe('AUTHORIZED');
    });

    it('cancel an order waiting for 3-D Secure -> CANCELLED; continuing it afterwards -> INVALID_STATE', async () => {
      const order = await create(proxied.url, cardOrder(cardToken('3ds')));
      const cancelled = await call(proxied.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CANCEL' }] }] }, backOffice);
      expect(cancelled.errors).toEqual([]);
      expect(cancelled.data.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('cancelled');
      const posts = proxy.requestsTo('POST', '/v1/order').length;
      const error = onlyError(await continueWith(order.id, resultFor(order)), 'continueOrderCreation');
      expect(error.extensions).toMatchObject({ code: 'INVALID_STATE' });
      expect(proxy.requestsTo('POST', '/v1/order')).toHaveLength(posts);
    });

    it('continue without threeDS -> BAD_USER_INPUT on input.threeDS', async () => {
      const order = await create(proxied.url, cardOrder(cardToken('3ds')));
      const error = onlyError(await continueWith(order.id), 'continueOrderCreation');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.threeDS' });
      expect((await read(order.id)).status).toBe('ACTION_REQUIRED');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('customer-initiated order with a saved card', () => {
    const savedCard = (customerId: string) =>
      cardOrder(cardToken(), { browser: null, customerId, subsequent: { reference: 'MCA1400001202', initiator: 'cardholder' } }, '20.00');

    it('card token + customer + subsequent reference -> AUTHORIZED', async () => {
      const sent = proxy.requestsTo('POST', '/v1/order').length;
      const order = await create(proxied.url, savedCard(SAVED_CARD_CUSTOMER));
      expect(order).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'ordered', payments: [{ status: 'AUTHORIZED', amount: { amount: '20.00' } }] });
      expect(JSON.parse(proxy.requestsTo('POST', '/v1/order')[sent]!.body)).toMatchObject({
        items: 20,
        customer: SAVED_CARD_CUSTOMER,
        payment: { type: 'card', subsequent: { reference: 'MCA1400001202', initiator: 'cardholder' } },
      });
      expect(requireSandboxOrder(sandbox, order.providerOrderId)).toMatchObject({ customer: SAVED_CARD_CUSTOMER, status: 'ordered' });
    });

    it('unknown customer -> PROVIDER_REJECTED on "customer", and no order stored', async () => {
      await expectNoOrderStored(async () => {
        const countBefore = await intergiroOrderCount(sandbox);
        const error = onlyError(await call(gateway.url, CREATE_ORDER, { input: savedCard('cus_nobody') }, shop), 'createOrder');
        expect(error.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'malformed content', providerField: 'customer' });
        expect(await intergiroOrderCount(sandbox)).toBe(countBefore);
      });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('merchant-initiated order for an existing customer', () => {
    const customerOrder = (options: Record<string, unknown> = {}) => ({
      provider: 'INTERGIRO',
      currency: 'SEK',
      amount: '149.00',
      reference: 'subscription-2026-05',
      intergiro: { paymentType: 'CUSTOMER', customerId: OTHER_CUSTOMER, ...options },
    });

    it('paymentType CUSTOMER -> AUTHORIZED on the saved card', async () => {
      const sent = proxy.requestsTo('POST', '/v1/order').length;
      const order = await create(proxied.url, customerOrder(), merchant);
      expect(order).toMatchObject({
        status: 'AUTHORIZED',
        reference: 'subscription-2026-05',
        total: { amount: '149.00', currency: 'SEK', minorUnits: 14900 },
        payments: [{ method: 'card', status: 'AUTHORIZED', providerReference: expect.stringMatching(/^VIS\d{10}$/) }],
      });
      const creatable = JSON.parse(proxy.requestsTo('POST', '/v1/order')[sent]!.body);
      expect(creatable).toMatchObject({ number: 'subscription-2026-05', customer: OTHER_CUSTOMER, items: 149, currency: 'SEK', payment: { type: 'customer' } });
      expect(creatable.charge).toBeUndefined();
    });

    it('with charge -> CAPTURED', async () => {
      const order = await create(gateway.url, customerOrder({ charge: true }), merchant);
      expect(order).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('charged');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('payment links', () => {
    const linkOf = (order: OrderView): string => {
      const link = order.creation.stopAction?.redirectUrl;
      if (!link) throw new Error('the order has no payment link');
      return link;
    };

    it('creation stops with a REDIRECT to the payment link', async () => {
      const input = linkOrder('49.90');
      const order = await create(gateway.url, input);
      expect(order).toMatchObject({
        status: 'CREATED',
        providerStatus: 'deferred',
        reference: input.reference,
        creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: `${sandbox.url}/link/${order.providerOrderId}` } },
        payments: [{ method: 'link', status: 'PENDING', amount: { amount: '49.90' } }],
      });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).payment).toMatchObject({
        type: 'defer',
        method: 'link',
        cardholderName: 'required',
        redirectUrl: SUCCESS_URL,
      });
    });

    it('buyer pays on the link page -> subscriber sees AUTHORIZED pushed by the callback, buyer lands on the success URL', async () => {
      const order = await create(gateway.url, linkOrder());
      const watcher = watch(order.id);
      try {
        expect((await watcher.next()).orderStatusChanged).toMatchObject({ eventId: '1', previousStatus: null, status: 'CREATED' });

        // The page insists on the cardholder name: without it nothing happens.
        const refused = await buyerUsesLink(linkOf(order), 'pay');
        expect(refused.status).toBe(400);
        const paid = await buyerUsesLink(linkOf(order), 'pay', { cardholderName: 'Ada Lovelace' });
        expect(paid.status).toBe(303);
        const landing = new URL(paid.headers.get('location') ?? '');
        expect(`${landing.origin}${landing.pathname}`).toBe('https://shop.example/checkout/done');
        expect(landing.searchParams.get('cart')).toBe('42');
        expect(landing.searchParams.get('order')).toBe(order.providerOrderId);

        const change = (await watcher.next()).orderStatusChanged;
        expect(change).toMatchObject({ eventId: '2', previousStatus: 'CREATED', status: 'AUTHORIZED', source: 'WEBHOOK', final: false });
        expect(change.order).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'ordered', payments: [{ status: 'AUTHORIZED' }] });
        expect(await read(order.id)).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED', stopAction: null } });
        expect(watcher.messages).toHaveLength(2);
      } finally {
        await watcher.dispose();
      }
    });

    it('buyer fails on the link page -> FAILED', async () => {
      const order = await create(gateway.url, linkOrder());
      const watcher = watch(order.id);
      try {
        await watcher.next();
        expect((await buyerUsesLink(linkOf(order), 'fail')).status).toBe(303);
        expect((await watcher.next()).orderStatusChanged).toMatchObject({ previousStatus: 'CREATED', status: 'FAILED', source: 'WEBHOOK', final: true });
        expect(await read(order.id)).toMatchObject({ status: 'FAILED', providerStatus: 'denied', creation: { status: 'FAILED' } });
      } finally {
        await watcher.dispose();
      }
    });

    it('buyer cancels on the link page -> CANCELLED, final: true, and the subscription ends', async () => {
      const order = await create(gateway.url, linkOrder());
      const watcher = watch(order.id);
      try {
        await watcher.next();
        expect((await buyerUsesLink(linkOf(order), 'cancel')).status).toBe(303);
        const change = (await watcher.next()).orderStatusChanged;
        expect(change).toMatchObject({ eventId: '2', previousStatus: 'CREATED', status: 'CANCELLED', source: 'WEBHOOK', final: true });
        await watcher.done;
        expect(await read(order.id)).toMatchObject({ status: 'CANCELLED', providerStatus: 'cancelled', payments: [{ status: 'VOIDED' }] });
      } finally {
        await watcher.dispose();
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('applyOrderEvents -> PATCH /v1/order', () => {
    const apply = (input: unknown[]) => call(proxied.url, APPLY_EVENTS, { input }, backOffice);
    const patches = () => proxy.requestsTo('PATCH', '/v1/order').map((request) => JSON.parse(request.body) as { id: string; event: unknown[] }[]);

    it('capture part -> PARTIALLY_CAPTURED, refund part -> PARTIALLY_REFUNDED, refund the rest -> REFUNDED', async () => {
      const order = await authorized('100.00');
      const sent = patches().length;

      const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '40.00' }] }]);
      expect(captured.errors).toEqual([]);
      expect(captured.data.applyOrderEvents[0]).toMatchObject({
        status: 'PARTIALLY_CAPTURED',
        payments: [{ capturedAmount: { amount: '40.00' }, refundedAmount: { amount: '0.00' } }],
      });
      await sandbox.callbacksIdle();

      const refunded = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.00' }] }]);
      expect(refunded.errors).toEqual([]);
      expect(refunded.data.applyOrderEvents[0]).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        payments: [{ status: 'PARTIALLY_REFUNDED', capturedAmount: { amount: '40.00' }, refundedAmount: { amount: '15.00' } }],
      });
      await sandbox.callbacksIdle();

      const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
      expect(rest.errors).toEqual([]);
      expect(rest.data.applyOrderEvents[0]).toMatchObject({
        status: 'REFUNDED',
        payments: [{ status: 'REFUNDED', capturedAmount: { amount: '40.00' }, refundedAmount: { amount: '40.00' } }],
      });

      // Upstream: three PATCHes, each with the amount in major units; the rest resolved to 25.
      expect(patches().slice(sent)).toEqual([
        [{ id: order.providerOrderId, event: [{ type: 'charge', items: 40 }] }],
        [{ id: order.providerOrderId, event: [{ type: 'refund', items: 15 }] }],
        [{ id: order.providerOrderId, event: [{ type: 'refund', items: 25 }] }],
      ]);
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('refunded');
      // The callbacks of those changes add nothing: one history entry per change.
      await sandbox.callbacksIdle();
      const history = await read(order.id);
      expect(history.status).toBe('REFUNDED');
      expect(history.events.map((event) => event.status)).toEqual(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);
    });

    it('a capture and a refund in one element go upstream as one PATCH with both events', async () => {
      const order = await authorized('70.00');
      const sent = patches().length;
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '70.00' }, { type: 'REFUND', amount: '0.01' }] }]);
      expect(answer.errors).toEqual([]);
      expect(answer.data.applyOrderEvents[0]).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        payments: [{ status: 'PARTIALLY_REFUNDED', capturedAmount: { amount: '70.00' }, refundedAmount: { amount: '0.01' } }],
      });
      expect(patches().slice(sent)).toEqual([
        [{ id: order.providerOrderId, event: [{ type: 'charge', items: 70 }, { type: 'refund', items: 0.01 }] }],
      ]);
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('refunded');
    });

    it('two orders in one call go upstream in ONE PATCH carrying both', async () => {
      const first = await authorized('50.00');
      const second = await authorized('20.00');
      const sent = patches().length;
      const answer = await apply([
        { orderId: first.id, events: [{ type: 'CAPTURE' }] },
        { orderId: second.id, events: [{ type: 'CAPTURE', amount: '5.00' }] },
      ]);
      expect(answer.errors).toEqual([]);
      expect(answer.data.applyOrderEvents).toMatchObject([
        { id: first.id, status: 'CAPTURED', payments: [{ capturedAmount: { amount: '50.00' } }] },
        { id: second.id, status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '5.00' } }] },
      ]);
      const batch = patches().slice(sent);
      expect(batch).toHaveLength(1);
      expect(batch[0]).toEqual(
        expect.arrayContaining([
          { id: first.providerOrderId, event: [{ type: 'charge', items: 50 }] },
          { id: second.providerOrderId, event: [{ type: 'charge', items: 5 }] },
        ]),
      );
      expect(batch[0]).toHaveLength(2);
    });

    it('a failed element is null with its own error at [applyOrderEvents, i]; the others still apply', async () => {
      const capturable = await authorized('30.00');
      const neverCaptured = await authorized('10.00');
      const chargedOnce = await authorized('60.00');
      await sandbox.callbacksIdle();
      // Another system charges 20.00 at Intergiro; its callback is held back, so the gateway
      // still sees the order AUTHORIZED and lets a capture through its own bounds.
      sandbox.pauseCallbacks(true);
      try {
        await intergiroRest(sandbox, 'PATCH', '/v1/order', [{ id: chargedOnce.providerOrderId, event: [{ type: 'charge', items: 20 }] }]);
        await failedElementAlone(capturable, neverCaptured, chargedOnce);
      } finally {
        sandbox.pauseCallbacks(false);
      }
    });

    async function failedElementAlone(capturable: OrderView, neverCaptured: OrderView, chargedOnce: OrderView): Promise<void> {
      const sent = patches().length;
      const answer = await apply([
        { orderId: capturable.id, events: [{ type: 'CAPTURE', amount: '30.00' }] },
        // Refused by the gateway's bounds: nothing captured, so nothing to refund.
        { orderId: neverCaptured.id, events: [{ type: 'REFUND', amount: '5.00' }] },
        // Allowed by the gateway's bounds (it knows of no charge), refused by Intergiro: one charge per order.
        { orderId: chargedOnce.id, events: [{ type: 'CAPTURE', amount: '10.00' }] },
        { orderId: 'ord_00000000000000000000', events: [{ type: 'CANCEL' }] },
      ]);

      expect(answer.data.applyOrderEvents).toHaveLength(4);
      expect(answer.data.applyOrderEvents[0]).toMatchObject({ id: capturable.id, status: 'CAPTURED', payments: [{ capturedAmount: { amount: '30.00' } }] });
      expect(answer.data.applyOrderEvents.slice(1)).toEqual([null, null, null]);
      const byIndex = new Map(answer.errors.map((error) => [JSON.stringify(error.path), error.extensions]));
      expect(answer.errors).toHaveLength(3);
      expect(byIndex.get('["applyOrderEvents",1]')).toMatchObject({ code: 'INVALID_STATE' });
      expect(byIndex.get('["applyOrderEvents",2]')).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'not allowed' });
      expect(byIndex.get('["applyOrderEvents",3]')).toMatchObject({ code: 'NOT_FOUND' });

      // One PATCH, with exactly the two elements that passed the gateway's checks.
      const batch = patches().slice(sent);
      expect(batch).toHaveLength(1);
      expect(batch[0]!.map((element) => element.id).sort()).toEqual([capturable.providerOrderId, chargedOnce.providerOrderId].sort());
      // Intergiro recorded its refusal as a fail event; the gateway's orders kept their state.
      expect(requireSandboxOrder(sandbox, chargedOnce.providerOrderId).event.at(-1)).toMatchObject({
        type: 'fail',
        original: 'charge',
        error: { status: 409, type: 'not allowed' },
      });
      expect(requireSandboxOrder(sandbox, neverCaptured.providerOrderId).event.map((event) => event.type)).toEqual(['order']);
      expect(await read(chargedOnce.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect((await read(neverCaptured.id)).status).toBe('AUTHORIZED');
    }

    it('capture beyond the authorized amount -> INVALID_STATE, nothing sent upstream, the Intergiro order unchanged', async () => {
      const order = await authorized('10.00');
      const upstreamBefore = requireSandboxOrder(sandbox, order.providerOrderId);
      const sent = patches().length;
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '10.01' }] }]);
      expect(answer.data.applyOrderEvents).toEqual([null]);
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors[0]).toMatchObject({ path: ['applyOrderEvents', 0], extensions: { code: 'INVALID_STATE' } });
      expect(patches()).toHaveLength(sent);
      expect(requireSandboxOrder(sandbox, order.providerOrderId)).toEqual(upstreamBefore);
      expect((await read(order.id)).status).toBe('AUTHORIZED');
    });

    it('cancel an authorized order -> CANCELLED', async () => {
      const order = await authorized('15.00');
      const sent = patches().length;
      const answer = await apply([{ orderId: order.id, events: [{ type: 'CANCEL', reason: 'out of stock' }] }]);
      expect(answer.errors).toEqual([]);
      expect(answer.data.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
      expect(patches().slice(sent)).toEqual([[{ id: order.providerOrderId, event: [{ type: 'cancel' }] }]]);
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('cancelled');
    });

    it('unknown order id -> NOT_FOUND for that element', async () => {
      const sent = patches().length;
      const answer = await apply([{ orderId: 'ord_unknown', events: [{ type: 'CAPTURE' }] }]);
      expect(answer.data.applyOrderEvents).toEqual([null]);
      expect(answer.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'NOT_FOUND' } }]);
      expect(patches()).toHaveLength(sent);
    });

    it('the same CAPTURE with the same idempotencyKey twice captures once', async () => {
      const order = await authorized('30.00');
      const sent = patches().length;
      const capture = [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '10.00', idempotencyKey: `capture-${order.id}` }] }];
      const first = await apply(capture);
      const again = await apply(capture);
      for (const answer of [first, again]) {
        expect(answer.errors).toEqual([]);
        expect(answer.data.applyOrderEvents[0]).toMatchObject({ id: order.id, status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '10.00' } }] });
      }
      expect(patches().slice(sent)).toEqual([[{ id: order.providerOrderId, event: [{ type: 'charge', items: 10 }] }]]);
      expect(requireSandboxOrder(sandbox, order.providerOrderId).event.map((event) => event.type)).toEqual(['order', 'charge']);
    });

    it('a repeated full CAPTURE or CANCEL with the same idempotencyKey answers the first result, not INVALID_STATE', async () => {
      const captured = await authorized('30.00');
      const cancelled = await authorized('30.00');
      const sent = patches().length;
      const input = [
        { orderId: captured.id, events: [{ type: 'CAPTURE', idempotencyKey: `full-${captured.id}` }] },
        { orderId: cancelled.id, events: [{ type: 'CANCEL', idempotencyKey: `cancel-${cancelled.id}` }] },
      ];
      const first = await apply(input);
      expect(first.errors).toEqual([]);
      await sandbox.callbacksIdle();
      // A client that lost the first answer retries: nothing left to capture, the other order is final.
      const again = await apply(input);
      expect(again.errors).toEqual([]);
      for (const answer of [first, again]) {
        expect(answer.data.applyOrderEvents).toMatchObject([
          { id: captured.id, status: 'CAPTURED', payments: [{ capturedAmount: { amount: '30.00' } }] },
          { id: cancelled.id, status: 'CANCELLED' },
        ]);
      }
      expect(patches().slice(sent)).toHaveLength(1);
    });

    it('an element that failed half-way keeps the keys of the events that took effect: a retry does not refund twice', async () => {
      const order = await authorized('30.00');
      await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '10.00' }] }]);
      await sandbox.callbacksIdle();
      // Another system refunds 5.00 at Intergiro, its callback held back: the gateway still
      // allows 10.00 of refunds, Intergiro only 5.00. Intergiro applies the first refund and
      // refuses the second (it exceeds what is left).
      sandbox.pauseCallbacks(true);
      try {
        await intergiroRest(sandbox, 'PATCH', '/v1/order', [{ id: order.providerOrderId, event: [{ type: 'refund', items: 5 }] }]);
        const element = {
          orderId: order.id,
          events: [
            { type: 'REFUND', amount: '4.00', idempotencyKey: `refund-${order.id}` },
            { type: 'REFUND', amount: '5.00', idempotencyKey: `refund-more-${order.id}` },
          ],
        };
        const first = await apply([element]);
        expect(first.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'PROVIDER_REJECTED', providerCode: 'malformed content' } }]);
        expect(await read(order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '4.00' } }] });

        const sent = patches().length;
        const retry = await apply([element]);
        expect(retry.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'PROVIDER_REJECTED', providerCode: 'malformed content' } }]);
        // Only the event that failed is tried again; the refund that took effect is not repeated.
        expect(patches().slice(sent)).toEqual([[{ id: order.providerOrderId, event: [{ type: 'refund', items: 5 }] }]]);
        const refunds = requireSandboxOrder(sandbox, order.providerOrderId).event.filter((event) => event.type === 'refund');
        expect(refunds.map((event) => ('items' in event ? event.items : null))).toEqual([5, 4]); // the other system's, then the gateway's one
        expect(await read(order.id)).toMatchObject({ payments: [{ capturedAmount: { amount: '10.00' }, refundedAmount: { amount: '4.00' } }] });
      } finally {
        sandbox.pauseCallbacks(false);
      }
    });

    it('an event after the refused one still takes effect upstream: it is recorded and its key kept', async () => {
      const order = await authorized('30.00');
      await sandbox.callbacksIdle();
      // Another system charges 10.00 at Intergiro, its callback held back: the gateway's capture
      // is refused upstream (one charge per order), the refund after it still applies there.
      sandbox.pauseCallbacks(true);
      try {
        await intergiroRest(sandbox, 'PATCH', '/v1/order', [{ id: order.providerOrderId, event: [{ type: 'charge', items: 10 }] }]);
        const element = {
          orderId: order.id,
          events: [
            { type: 'CAPTURE', amount: '5.00', idempotencyKey: `late-capture-${order.id}` },
            { type: 'REFUND', amount: '3.00', idempotencyKey: `late-refund-${order.id}` },
          ],
        };
        const first = await apply([element]);
        expect(first.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'PROVIDER_REJECTED' } }]);

        const sent = patches().length;
        const retry = await apply([element]);
        // The refund's answer told the gateway of the other system's charge: the capture is now
        // refused before any call (one charge per order), and the refund is not sent again.
        expect(retry.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'INVALID_STATE' } }]);
        expect(patches().slice(sent)).toEqual([]);
        expect(requireSandboxOrder(sandbox, order.providerOrderId).event.filter((event) => event.type === 'refund')).toHaveLength(1);
      } finally {
        sandbox.pauseCallbacks(false);
      }
      // Once Intergiro's held-back callbacks arrive, the gateway shows what Intergiro holds.
      await sandbox.callbacksIdle();
      expect(await read(order.id)).toMatchObject({ payments: [{ capturedAmount: { amount: '10.00' }, refundedAmount: { amount: '3.00' } }] });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('orders(filter) -> GET /v1/order?start&end', () => {
    const list = (filter: Record<string, unknown>, first?: number, after?: string | null, url = gateway.url) =>
      call(url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', ...filter }, ...(first === undefined ? {} : { first }), ...(after ? { after } : {}) }, backOffice);

    it("today's orders are listed newest first, with the same gateway ids on every call", async () => {
      const made = [await authorized('1.00', gateway.url), await authorized('2.00', gateway.url), await authorized('3.00', gateway.url)];
      const sent = proxy.requestsTo('GET', '/v1/order').length;
      const firstCall = nodesOf(await list({ from: today(), to: today() }, 100, null, proxied.url));
      const [query] = proxy.requestsTo('GET', '/v1/order').slice(sent);
      // `end` may be excluded at Intergiro (the seed's example range is a month, start=2000-01-01&end=2000-02-01),
      // and its days its own zone's, ahead of UTC: two days after are asked.
      const ahead = new Date(Date.parse(`${today()}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
      expect(query?.path).toBe(`/v1/order?start=${today()}&end=${ahead}`);

      const positions = made.map((order) => firstCall.findIndex((node) => node.id === order.id));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions[2]!).toBeLessThan(positions[1]!);
      expect(positions[1]!).toBeLessThan(positions[0]!);
      const created = firstCall.map((node) => node.createdAt);
      expect(created).toEqual([...created].sort().reverse());
      expect(firstCall.every((node) => node.provider === 'INTERGIRO' && GATEWAY_ID.test(node.id))).toBe(true);
      // One gateway order per Intergiro order.
      expect(new Set(firstCall.map((node) => node.providerOrderId)).size).toBe(firstCall.length);
      expect(firstCall[positions[1]!]).toMatchObject({ providerOrderId: made[1]!.providerOrderId, status: 'AUTHORIZED', total: { amount: '2.00' } });

      const secondCall = nodesOf(await list({ from: today(), to: today() }, 100));
      expect(secondCall.map((node) => [node.id, node.providerOrderId])).toEqual(firstCall.map((node) => [node.id, node.providerOrderId]));
    });

    it('an order created directly at Intergiro appears with a gateway id of its own', async () => {
      const direct = await createOrderAtIntergiro(sandbox, {
        number: 'pos-7781',
        items: [{ name: 'Espresso', price: 3.5, quantity: 2 }],
        currency: 'SEK',
        payment: { type: 'card', card: cardToken() },
      });
      const listed = nodesOf(await list({ from: today(), to: today() }, 100));
      const node = listed.find((candidate) => candidate.providerOrderId === direct.id);
      expect(node).toMatchObject({
        provider: 'INTERGIRO',
        reference: 'pos-7781',
        status: 'AUTHORIZED',
        providerStatus: 'ordered',
        total: { amount: '7.00', currency: 'SEK', minorUnits: 700 },
        items: [{ name: 'Espresso', quantity: 2, amount: { amount: '7.00' } }],
      });
      expect(node!.id).toMatch(GATEWAY_ID);
      expect(listed[0]!.providerOrderId).toBe(direct.id); // the newest

      const again = nodesOf(await list({ from: today(), to: today() }, 100)).find((candidate) => candidate.providerOrderId === direct.id);
      expect(again?.id).toBe(node!.id);
      expect(await read(node!.id)).toMatchObject({ providerOrderId: direct.id, status: 'AUTHORIZED' });
    });

    it('"from" after "to" -> BAD_USER_INPUT, Intergiro not asked', async () => {
      const sent = proxy.requestsTo('GET', '/v1/order').length;
      const error = onlyError(await list({ from: '2026-03-02', to: '2026-03-01' }, 10, null, proxied.url), 'orders');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
      expect(proxy.requestsTo('GET', '/v1/order')).toHaveLength(sent);
    });

    it('paging with first/after walks the whole list once, in order', async () => {
      const whole = nodesOf(await list({ from: today(), to: today() }, 100)).map((node) => node.id);
      expect(whole.length).toBeGreaterThan(4);
      const paged: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const answer = await list({ from: today(), to: today() }, 2, after);
        const nodes = nodesOf(answer);
        const info: { hasNextPage: boolean; endCursor: string | null } = answer.data.orders.pageInfo;
        expect(nodes.length).toBe(info.hasNextPage ? 2 : nodes.length);
        paged.push(...nodes.map((node) => node.id));
        if (!info.hasNextPage) break;
        expect(info.endCursor).toEqual(expect.any(String));
        after = info.endCursor;
      }
      expect(paged).toEqual(whole);
    });

    it('15 aliased orders fields over one range ask Intergiro once', async () => {
      const sent = proxy.requestsTo('GET', '/v1/order').length;
      const fields = Array.from({ length: 15 }, (_, i) => `l${i}: orders(filter: $filter) { nodes { id } }`).join(' ');
      const answer = await call(proxied.url, `query($filter: OrderFilter!) { ${fields} }`, { filter: { provider: 'INTERGIRO', from: today(), to: today() } }, backOffice);
      expect(answer.errors ?? []).toEqual([]);
      expect(Object.keys(answer.data ?? {})).toHaveLength(15);
      expect(proxy.requestsTo('GET', '/v1/order')).toHaveLength(sent + 1);
    });

    it("a range longer than a month asks Intergiro for 31 days ending two days past `to` (the seed's example range); the gateway's own orders answer the whole range", async () => {
      const day = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const old = makeOrder({ provider: 'INTERGIRO', owner: null, createdAt: `${day(-60)}T12:00:00.000Z`, reference: `old-${randomUUID()}` });
      await proxied.store.orders.create(old);
      const sent = proxy.requestsTo('GET', '/v1/order').length;
      const listed = nodesOf(await list({ from: day(-90), to: today() }, 100, null, proxied.url));
      expect(proxy.requestsTo('GET', '/v1/order').slice(sent).map((request) => request.path)).toEqual([`/v1/order?start=${day(-29)}&end=${day(2)}`]);
      expect(listed.some((node) => node.id === old.id)).toBe(true);
    });

    it('a shop token cannot list -> FORBIDDEN', async () => {
      const answer = await call(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO' } }, shop);
      expect(onlyError(answer, 'orders').extensions).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('callbacks at POST /webhooks/intergiro (HS256 shared secret)', () => {
    /** Posts a callback and checks the gateway's answer leaks nothing. */
    const post = async (body: string, contentType?: string, url = gateway.url) => {
      const answer = await postIntergiroCallback(url, body, contentType);
      expectNoSecrets(answer.text);
      return answer;
    };

    /** Posts each body and proves the order did not move. */
    async function expectRejected(order: OrderView, attempts: { body: string; contentType?: string; status: number }[], url = gateway.url) {
      const before = await read(order.id);
      for (const attempt of attempts) {
        expect((await post(attempt.body, attempt.contentType, url)).status, attempt.body.slice(0, 40)).toBe(attempt.status);
      }
      const after = await read(order.id);
      expect(after.status).toBe(before.status);
      expect(after.events).toEqual(before.events);
      expect(after.payments).toEqual(before.payments);
    }

    it('a forged callback (wrong key) -> 401, order unchanged', async () => {
      const order = await authorized('80.00', gateway.url);
      const wanted = chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId));
      await expectRejected(order, [{ body: await sandbox.signOrder(wanted, { key: 'wrong' }), status: 401 }]);
    });

    it('an expired callback claiming a charge -> 401, not believed: the order is read from Intergiro now (still authorized), order unchanged', async () => {
      const order = await authorized('80.00', gateway.url);
      const wanted = chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId));
      // Signed by Intergiro but past its exp: refused as any expired token; only what Intergiro answers now counts.
      await expectRejected(order, [{ body: await sandbox.signOrder(wanted, { expiresInSec: -60 }), status: 401 }]);
    });

    it('alg "none" -> 401, order unchanged', async () => {
      const order = await authorized('80.00', gateway.url);
      const wanted = chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId));
      await expectRejected(order, [{ body: unsignedToken({ ...wanted, iat: Math.floor(Date.now() / 1000) }), status: 401 }]);
    });

    it('garbage bodies -> 401, order unchanged', async () => {
      const order = await authorized('80.00', gateway.url);
      const wanted = chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId));
      const signed = await sandbox.signOrder(wanted);
      const [header, payload] = signed.split('.');
      await expectRejected(order, [
        { body: '', status: 401 },
        { body: 'hello intergiro', status: 401 },
        { body: 'a.b.c', status: 401 },
        { body: `${header}.${payload}.`, status: 401 }, // signature stripped
        { body: `${header}.${payload}.${'A'.repeat(43)}`, status: 401 }, // signature replaced
        { body: JSON.stringify(wanted), status: 401 },
      ]);
    });

    it('a genuinely signed order under the wrong content type -> rejected, order unchanged', async () => {
      const order = await authorized('80.00', gateway.url);
      const genuine = await sandbox.signOrder(chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId)));
      await expectRejected(order, [
        // Refused by the route before the body is read (the adapter's webhookContentTypes). text/plain
        // and application/octet-stream are read by their body (a plain client's labels for a token):
        // intergiro-independent-3.test.ts.
        { body: genuine, contentType: 'application/xml', status: 415 },
        { body: genuine, contentType: 'application/x-www-form-urlencoded', status: 415 },
        { body: genuine, contentType: 'application/json', status: 400 },
      ]);
    });

    it('an order posted as plain JSON (unsigned) is not believed, only re-read: what Intergiro says counts', async () => {
      const postJson = async (body: unknown) =>
        (await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
      sandbox.pauseCallbacks(true);
      try {
        // A forgery claiming a waiting link order paid: taken as "look again", and Intergiro says it still waits.
        const unpaid = await create(gateway.url, linkOrder());
        expect(await postJson({ ...requireSandboxOrder(sandbox, unpaid.providerOrderId), status: 'ordered' })).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // the re-read (pollers tick every 500 ms) came and went
        expect((await read(unpaid.id)).status).toBe('CREATED');

        // Paid on the link page (its callback held back), then the order posted unsigned: the re-read finds the payment.
        const paid = await create(gateway.url, linkOrder());
        expect((await buyerUsesLink(paid.creation.stopAction!.redirectUrl!, 'pay', { cardholderName: 'Ada Lovelace' })).status).toBe(303);
        expect(await postJson(requireSandboxOrder(sandbox, paid.providerOrderId))).toBe(200);
        await eventually(async () => (await read(paid.id)).status === 'AUTHORIZED');
        expect(await postJson({ status: 'ordered' })).toBe(400); // names no order
      } finally {
        sandbox.pauseCallbacks(false);
      }
    });

    it('a genuine callback is believed (the control for the rejections above)', async () => {
      const order = await authorized('80.00', gateway.url);
      sandbox.pauseCallbacks(true);
      try {
        // The merchant's other system charges at Intergiro; we deliver Intergiro's callback ourselves.
        await intergiroRest(sandbox, 'PATCH', '/v1/order', [{ id: order.providerOrderId, event: [{ type: 'charge' }] }]);
        const answer = await post(await sandbox.signOrder(requireSandboxOrder(sandbox, order.providerOrderId)));
        expect(answer.status).toBe(200);
        const after = await read(order.id);
        expect(after).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged', payments: [{ capturedAmount: { amount: '80.00' } }] });
        expect(after.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
      } finally {
        sandbox.pauseCallbacks(false);
      }
      // Intergiro's own delivery of the same change, once resumed, is a duplicate.
      await sandbox.callbacksIdle();
      expect((await read(order.id)).events.map((event) => event.status)).toEqual(['AUTHORIZED', 'CAPTURED']);
    });

    it('a duplicate callback (the same bytes again) changes nothing', async () => {
      const order = await create(gateway.url, linkOrder());
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay', { cardholderName: 'Ada Lovelace' });
      await sandbox.callbacksIdle();
      const before = await read(order.id);
      expect(before.status).toBe('AUTHORIZED');
      const delivered = sandbox.sentCallbacks().filter((sent) => sent.orderId === order.providerOrderId);

      sandbox.resendLastCallback(order.providerOrderId!);
      await sandbox.callbacksIdle();
      const deliveredAgain = sandbox.sentCallbacks().filter((sent) => sent.orderId === order.providerOrderId);
      expect(deliveredAgain).toHaveLength(delivered.length + 1);
      expect(deliveredAgain.at(-1)).toMatchObject({ body: delivered.at(-1)!.body, responseStatus: 200 });
      expect(await read(order.id)).toEqual(before);
    });

    it('a callback that beats the create answer is acknowledged, parked, and applied once the order is stored', async () => {
      // Intergiro answers the create (pending) and settles the order (ordered) a moment later; the
      // proxy holds the create answer back until both callbacks have been acknowledged, so the
      // gateway hears of the authorization before it has stored the order at all.
      let providerOrderId: string | undefined;
      proxy.beforeAnswer = async (request, answer) => {
        if (request.method !== 'POST' || request.path !== '/v1/order' || answer.status !== 201) return;
        providerOrderId = (JSON.parse(answer.body) as { id: string }).id;
        const id = providerOrderId;
        await eventually(async () => sandbox.sentCallbacks().some((sent) => sent.orderId === id && sent.status === 'ordered' && sent.responseStatus === 200), 1200, 10);
      };
      let order: OrderView;
      try {
        order = await create(proxied.url, cardOrder(cardToken('pending'), {}, '64.00'));
      } finally {
        proxy.beforeAnswer = null;
      }
      expect(order.providerOrderId).toBe(providerOrderId);
      expect(sandbox.sentCallbacks().filter((sent) => sent.orderId === providerOrderId).map((sent) => [sent.status, sent.responseStatus])).toEqual([
        ['pending', 200],
        ['ordered', 200],
      ]);
      // The answer to createOrder already carries the parked authorization.
      expect(order).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'ordered' });
      expect(order.events.map((event) => [event.id, event.status, event.source])).toEqual([
        ['1', 'PENDING', 'CLIENT'],
        ['2', 'AUTHORIZED', 'WEBHOOK'],
      ]);
    });

    it('a callback for an order the gateway does not know yet is acknowledged, and applied when a listing adopts the order', async () => {
      // Another system of the merchant creates an order at Intergiro with the gateway's callback URL.
      const direct = await createOrderAtIntergiro(sandbox, {
        number: 'kiosk-12',
        items: 42,
        currency: 'EUR',
        callback: `${gateway.url}/webhooks/intergiro`,
        payment: { type: 'card', card: cardToken() },
      });
      await sandbox.callbacksIdle();
      expect(sandbox.sentCallbacks().filter((sent) => sent.orderId === direct.id).map((sent) => [sent.status, sent.responseStatus])).toEqual([['ordered', 200]]);

      // A back office lists orders; while Intergiro's answer is on its way, the order is charged
      // and that callback reaches the gateway first. The listing's (older) state must not win.
      proxy.beforeAnswer = async (request) => {
        if (request.method !== 'GET' || !request.path.startsWith('/v1/order?')) return;
        await intergiroRest(sandbox, 'PATCH', '/v1/order', [{ id: direct.id, event: [{ type: 'charge' }] }]);
        await eventually(async () => sandbox.sentCallbacks().some((sent) => sent.orderId === direct.id && sent.status === 'charged' && sent.responseStatus === 200), 1200, 10);
      };
      let listed: OrderView[];
      try {
        listed = nodesOf(await call(proxied.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today(), to: today() }, first: 100 }, backOffice));
      } finally {
        proxy.beforeAnswer = null;
      }
      const node = listed.find((candidate) => candidate.providerOrderId === direct.id);
      expect(node).toMatchObject({ reference: 'kiosk-12', status: 'CAPTURED', payments: [{ capturedAmount: { amount: '42.00' } }] });
      const stored = await read(node!.id);
      expect(stored.status).toBe('CAPTURED');
      expect(stored.events.map((event) => [event.status, event.source])).toEqual([
        ['AUTHORIZED', 'RECONCILIATION'],
        ['CAPTURED', 'WEBHOOK'],
      ]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('callbacks verified through Intergiro (POST /v1/worker-order/order/verify)', () => {
    /** A gateway with neither callback secret nor JWKS, behind its own proxy. */
    let verifying: Gateway;
    let verifyProxy: RecordingProxy;
    const verifyCalls = () => verifyProxy.requestsTo('POST', '/v1/worker-order/order/verify');

    beforeAll(async () => {
      verifyProxy = await startRecordingProxy(sandbox.url);
      verifying = await startQuietGateway(env, intergiroConfig(sandbox, verifyProxy.url, 'verify-endpoint'));
    });
    afterAll(() => verifyProxy.close());

    it('a genuine callback is checked with Intergiro and applied: buyer pays -> subscriber sees AUTHORIZED', async () => {
      const order = await create(verifying.url, linkOrder());
      const watcher = watch(order.id);
      try {
        await watcher.next();
        await sandbox.callbacksIdle(); // the creation's own callback is verified first; not counted below
        const checked = verifyCalls().length;
        await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay', { cardholderName: 'Grace Hopper' });
        expect((await watcher.next()).orderStatusChanged).toMatchObject({ previousStatus: 'CREATED', status: 'AUTHORIZED', source: 'WEBHOOK' });
        await sandbox.callbacksIdle(); // the attempt is recorded once the gateway has answered it
        const delivered = sandbox.sentCallbacks().filter((sent) => sent.orderId === order.providerOrderId).at(-1);
        expect(delivered).toMatchObject({ status: 'ordered', responseStatus: 200 });
        const asked = verifyCalls().slice(checked);
        expect(asked).toHaveLength(1);
        expect(asked[0]).toMatchObject({ contentType: 'application/jwt', body: delivered!.body });
      } finally {
        await watcher.dispose();
      }
    });

    it('forged, expired, alg "none" and garbage callbacks -> 401 after asking Intergiro, order unchanged', async () => {
      const order = await authorized('33.00', verifying.url);
      const before = await read(order.id);
      const wanted = chargedVersionOf(requireSandboxOrder(sandbox, order.providerOrderId));
      const bodies = [
        await sandbox.signOrder(wanted, { key: 'wrong' }),
        await sandbox.signOrder(wanted, { expiresInSec: -60 }),
        unsignedToken(wanted),
        'garbage',
      ];
      // The order's own callbacks (its creation, its charge) are verified first; not counted below.
      await sandbox.callbacksIdle();
      const checked = verifyCalls().length;
      for (const body of bodies) {
        const answer = await postIntergiroCallback(verifying.url, body);
        expectNoSecrets(answer.text);
        expect(answer.status).toBe(401);
      }
      expect(verifyCalls().slice(checked).map((request) => request.body)).toEqual(bodies);
      const after = await read(order.id);
      expect(after.events).toEqual(before.events);
      expect(after.status).toBe('AUTHORIZED');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('callbacks signed RS256, verified with the JWKS', () => {
    let rsEnv: TestEnvironment;
    let rsSandbox: IntergiroSandbox;
    let rsGateway: Gateway;

    beforeAll(async () => {
      rsEnv = await startTestEnvironment(kind, { intergiro: { signing: { alg: 'RS256' } } });
      rsSandbox = rsEnv.intergiro;
      rsGateway = await startQuietGateway(rsEnv, intergiroConfig(rsSandbox, rsSandbox.url, 'jwks'));
    });
    afterAll(() => rsEnv?.close());

    it('buyer pays -> the RS256 callback is verified with the JWKS -> subscriber sees AUTHORIZED', async () => {
      expect(rsSandbox.jwksUrl).toBe(`${rsSandbox.url}/.well-known/jwks.json`);
      const order: OrderView = (await ok(rsGateway.url, CREATE_ORDER, { input: linkOrder('19.99') }, shop)).createOrder;
      const watcher = subscribe<{ orderStatusChanged: StatusChangeView }>(rsGateway.url, shop, WATCH_ORDER, { orderId: order.id });
      try {
        await watcher.next();
        await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay', { cardholderName: 'Ada Lovelace' });
        expect((await watcher.next()).orderStatusChanged).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
        await rsSandbox.callbacksIdle(); // the attempt is recorded once the gateway has answered it
        const delivered = rsSandbox.sentCallbacks().filter((sent) => sent.orderId === order.providerOrderId);
        expect(delivered.map((sent) => sent.responseStatus)).toEqual([200, 200]); // created (deferred), paid
        expect(decodeProtectedHeader(delivered.at(-1)!.body)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      } finally {
        await watcher.dispose();
      }
    });

    it('forged (foreign key, same kid), alg "none", HS256 and expired callbacks -> 401 (an expired one is read again at Intergiro); order unchanged', async () => {
      const created: OrderView = (await ok(rsGateway.url, CREATE_ORDER, { input: cardOrder(cardToken(), {}, '21.00') }, shop)).createOrder;
      expect(created.status).toBe('AUTHORIZED');
      const read = async () => (await ok(rsGateway.url, GET_ORDER, { id: created.id }, backOffice)).order as OrderView;
      const before = await read();
      const wanted = chargedVersionOf(requireSandboxOrder(rsSandbox, created.providerOrderId));
      // Key confusion: an HS256 token whose "secret" is the published public key.
      const jwks = (await (await fetch(rsSandbox.jwksUrl!)).json()) as { keys: { n: string }[] };
      const confused = await new SignJWT({ ...wanted })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(jwks.keys[0]!.n));
      const forged = await rsSandbox.signOrder(wanted, { key: 'wrong' });
      expect(decodeProtectedHeader(forged).kid).toBe(decodeProtectedHeader(await rsSandbox.signOrder(wanted)).kid);
      for (const body of [forged, unsignedToken(wanted), confused, 'garbage']) {
        const answer = await postIntergiroCallback(rsGateway.url, body);
        expectNoSecrets(answer.text);
        expect(answer.status).toBe(401);
      }
      // A genuine but expired one is refused and not believed either: the order is read from Intergiro (still authorized).
      const expired = await postIntergiroCallback(rsGateway.url, await rsSandbox.signOrder(wanted, { expiresInSec: -60 }));
      expect(expired.status).toBe(401);
      const after = await read();
      expect(after.events).toEqual(before.events);
      expect(after.status).toBe('AUTHORIZED');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('upstream failures', () => {
    for (const fault of ['http500', 'malformed'] as const) {
      it(`fault "${fault}" on create -> PROVIDER_UNAVAILABLE, no order stored`, async () => {
        await expectNoOrderStored(async () => {
          const countBefore = await intergiroOrderCount(sandbox);
          sandbox.fault(fault);
          const error = onlyError(await call(gateway.url, CREATE_ORDER, { input: cardOrder(cardToken()) }, shop), 'createOrder');
          expect(error.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE' });
          expect(error.message).toBe('Intergiro is unavailable or answered something unexpected');
          expect(await intergiroOrderCount(sandbox)).toBe(countBefore);
        });
      });
    }

    it('fault "timeout" on create -> PROVIDER_UNAVAILABLE within the provider timeout, no order stored', async () => {
      await expectNoOrderStored(async () => {
        sandbox.fault('timeout');
        const started = Date.now();
        const answer = await call(gateway.url, CREATE_ORDER, { input: cardOrder(cardToken()) }, shop);
        const elapsed = Date.now() - started;
        expect(onlyError(answer, 'createOrder').extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE' });
        expect(elapsed).toBeGreaterThanOrEqual(1400); // it did wait for the 1500 ms bound...
        expect(elapsed).toBeLessThan(5000); // ...and not for Intergiro
      });
    });

    it('error answers carry neither the card token nor the API key', async () => {
      const token = cardToken('3ds');
      const savedCard = { customerId: 'cus_nobody', subsequent: { reference: 'MCA1400001202', initiator: 'cardholder' } };
      const tooPrecise = await call(gateway.url, CREATE_ORDER, { input: cardOrder(token, {}, '1.001') }, shop);
      const wrongPaymentType = await call(gateway.url, CREATE_ORDER, { input: cardOrder(token, { paymentType: 'CUSTOMER', customerId: OTHER_CUSTOMER }) }, shop);
      const rejected = await call(gateway.url, CREATE_ORDER, { input: cardOrder(token, savedCard) }, shop);
      sandbox.fault('http500');
      const unavailable = await call(gateway.url, CREATE_ORDER, { input: cardOrder(token) }, shop);
      const waiting = await create(gateway.url, cardOrder(token));
      const badResult = await call(gateway.url, CONTINUE_ORDER, { input: { orderId: waiting.id, threeDS: { type: 'challenge', data: 'not-a-result' } } }, shop);
      const answers = [tooPrecise, wrongPaymentType, rejected, unavailable, badResult];
      expect(answers.map((answer) => answer.errors[0]?.extensions?.code)).toEqual([
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'PROVIDER_REJECTED',
        'PROVIDER_UNAVAILABLE',
        'PROVIDER_REJECTED',
      ]);
      for (const answer of answers) {
        expect(answer.raw).not.toContain(token);
        expect(answer.raw).not.toContain(INTERGIRO_API_KEY);
      }
    });

    it('fault "http500" on PATCH -> PROVIDER_UNAVAILABLE for the element, order unchanged', async () => {
      const order = await authorized('18.00', gateway.url);
      sandbox.fault('http500');
      const answer = await call(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
      expect(answer.data.applyOrderEvents).toEqual([null]);
      expect(answer.errors).toMatchObject([{ path: ['applyOrderEvents', 0], extensions: { code: 'PROVIDER_UNAVAILABLE' } }]);
      expect(await read(order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(requireSandboxOrder(sandbox, order.providerOrderId).status).toBe('ordered');
    });
  });
});
