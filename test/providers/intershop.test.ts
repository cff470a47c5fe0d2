/**
 * The Intershop ICM provider end to end: GraphQL over real HTTP and graphql-ws in front, the
 * Intershop sandbox on its own port behind, the buyer clicking through the sandbox's PSP page over
 * HTTP, on both stores.
 *
 * Which continue is wrong, and how (documented here as the contract of the adapter):
 * - a continue with neither returnUrls nor redirectResult: BAD_USER_INPUT naming the field the
 *   order's stop needs (`input.returnUrls` or `input.redirectResult`); both at once: `input`;
 * - input the current stop does not ask for (a redirect result while ICM wants return URLs, return
 *   URLs while it waits for the PSP's answer, anything while it waits for a pending payment):
 *   INVALID_STATE, nothing sent to ICM;
 * - a COMPLETED or ROLLED_BACK creation: INVALID_STATE (the core's rule).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import {
  APPLY_EVENTS,
  CONTINUE_ORDER,
  CREATE_ORDER,
  GET_ORDER,
  LIST_ORDERS,
  WATCH_ORDER,
  type OrderView,
  type StatusChangeView,
} from '../support/documents.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe, type GraphQLResponse, type Subscription } from '../support/graphql.js';
import { ICM_V1, buyerAtPsp, icmRest, newBasket, returnedParameters } from '../support/intershop.js';
import { createIntershopAdapter } from '../../src/providers/intershop/index.js';
import { startIntershopSandbox, type IntershopSandbox } from '../../src/sandboxes/intershop/index.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { makeOrder } from '../support/orders.js';

type Watch = Subscription<{ orderStatusChanged: StatusChangeView }>;

const RETURN_URLS = { success: 'https://shop.example/checkout/receipt', cancel: 'https://shop.example/checkout/payment?cancelled', failure: 'https://shop.example/checkout/payment?failed' };
/** Two lines, 24 x 25.00 + 1 x 28.34 = 628.34 USD, like the seed's basket. */
const SEED_LIKE_LINES = [
  { product: '201807171', quantity: 24, price: '25.00' },
  { product: '201807195', quantity: 1, price: '28.34' },
];

function intershopInput(basketId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, ...extra };
}

/** Everything the sandbox saw since `from` (an index into its request log). */
const requestsSince = (sandbox: IntershopSandbox, from: number) => sandbox.requests().slice(from);
/** The calls that change something (the poller's GETs of other orders come and go meanwhile). */
const writes = (calls: { method: string; path: string }[]) => calls.filter((call) => call.method !== 'GET').map((call) => `${call.method} ${call.path.split('?')[0]}`);

describe.each(STORE_KINDS)('Intershop through the gateway (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let sandbox: IntershopSandbox;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    // Two orders a list page, so that `orders` has to page through ICM's list.
    env = await startTestEnvironment(kind, { intershop: { listPageSize: 2 } });
    gateway = await env.startGateway();
    sandbox = env.sandboxes.intershop;
    shop = await tokenFor('orders:create', 'shop-intershop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const create = (input: Record<string, unknown>) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
  const createOk = async (input: Record<string, unknown>): Promise<OrderView> => (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
  const continueOrder = (input: Record<string, unknown>) => gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input }, shop);
  const continueOk = async (input: Record<string, unknown>): Promise<OrderView> => {
    const answer = await continueOrder(input);
    if (answer.errors?.length || !answer.data) throw new Error(`continue failed: ${JSON.stringify(answer.errors)}`);
    return answer.data.continueOrderCreation;
  };
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const watch = async (orderId: string): Promise<Watch> => {
    const subscription: Watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId });
    expect((await subscription.next()).orderStatusChanged.previousStatus).toBeNull();
    return subscription;
  };
  const expectNoSecrets = (answer: GraphQLResponse<unknown>) => expect(answer.raw).not.toContain(sandbox.config.authToken);

  /** An order of a fresh basket, sent straight to the PSP (createOrder carries the return URLs). */
  async function atPsp(total = '10.00', paymentMethod?: 'ISH_ONLINEPAY_SALE'): Promise<OrderView> {
    const basketId = await newBasket(sandbox, total, paymentMethod ? { paymentMethod } : {});
    const order = await createOk(intershopInput(basketId, { returnUrls: RETURN_URLS }));
    expect(order.creation.stopAction?.type).toBe('REDIRECT');
    return order;
  }

  it('the whole chain: redirect_urls_required -> returnUrls -> PSP redirect -> Pay -> SUCCESS -> AUTHORIZED, each step pushed', async () => {
    const basketId = await newBasket(sandbox, '', { lines: SEED_LIKE_LINES });
    const from = sandbox.requests().length;
    const created = await create(intershopInput(basketId, { reference: 'web-4711' }));
    expectNoSecrets(created);
    const order = created.data!.createOrder;
    expect(order).toMatchObject({
      provider: 'INTERSHOP',
      reference: 'web-4711',
      status: 'ACTION_REQUIRED',
      providerStatus: 'PENDING',
      total: { amount: '628.34', currency: 'USD', minorUnits: 62834 },
      creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required', redirectUrl: null }, infos: [{ code: 'order.creation_stopped.info' }] },
      payments: [{ method: 'ISH_ONLINEPAY', status: 'PENDING', amount: { amount: '628.34' }, capturedAmount: { amount: '0.00' } }],
    });
    expect(order.items).toEqual([
      { lineId: '1', name: '201807171', quantity: 24, amount: { amount: '600.00' } },
      { lineId: '2', name: '201807195', quantity: 1, amount: { amount: '28.34' } },
    ]);
    expect(order.providerOrderId).toBeTruthy();
    const subscription = await watch(order.id);

    const redirected = await continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    const redirectUrl = redirected.creation.stopAction!.redirectUrl!;
    expect(redirectUrl.startsWith(`${sandbox.origin}/INTERSHOP/web/`)).toBe(true);
    expect(redirectUrl).not.toContain(sandbox.config.authToken);

    const psp = await buyerAtPsp(redirectUrl, 'success');
    expect(psp.headers.get('location')!.startsWith(RETURN_URLS.success)).toBe(true);
    const paid = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
    expect(paid).toMatchObject({
      status: 'AUTHORIZED',
      providerStatus: 'NEW',
      creation: { status: 'COMPLETED', stopAction: null, infos: [] },
      payments: [{ method: 'ISH_ONLINEPAY', methodName: 'ISH Demo Online Pay', status: 'AUTHORIZED', amount: { amount: '628.34' } }],
    });

    const done = await subscription.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED');
    expect(done.orderStatusChanged).toMatchObject({ previousStatus: 'ACTION_REQUIRED', source: 'CLIENT', final: false });
    expect(subscription.messages.map((message) => message.orderStatusChanged.status)).toEqual(['ACTION_REQUIRED', 'ACTION_REQUIRED', 'AUTHORIZED']);
    expect((await read(order.id)).events.map((event) => event.type)).toEqual(['redirect_urls_required', 'redirect', 'completed']);

    // Every call carried the v1 media type and the token (without it ICM answers another shape).
    const calls = requestsSince(sandbox, from);
    expect(writes(calls)).toEqual(['POST /orders', `PATCH /orders/${order.providerOrderId}`, `PATCH /orders/${order.providerOrderId}`]);
    expect(calls.every((call) => call.accept === ICM_V1 && call.authenticated)).toBe(true);
    await subscription.dispose();
  });

  it('createOrder with returnUrls: the gateway answers redirect_urls_required itself; a sale captures the whole amount', async () => {
    const from = sandbox.requests().length;
    const order = await atPsp('49.90', 'ISH_ONLINEPAY_SALE');
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', payments: [{ method: 'ISH_ONLINEPAY_SALE', status: 'PENDING' }] });
    expect(order.events.map((event) => event.type)).toEqual(['redirect']);
    expect(writes(requestsSince(sandbox, from)).map((call) => call.split(' ')[0])).toEqual(['POST', 'PATCH']);

    const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'success');
    const paid = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
    expect(paid).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '49.90' } }] });
  });

  it.each([
    ['cancel', 'CANCEL'],
    ['failure', 'FAILURE'],
  ] as const)('PSP %s -> continue %s -> ROLLED_BACK: CANCELLED with order.cancelled.info, final; the basket can be ordered again', async (outcome, status) => {
    sandbox.pauseNotifications(true); // the shop's continue, not the PSP's notification, settles it here
    try {
      const basketId = await newBasket(sandbox, '12.00');
      const order = await createOk(intershopInput(basketId, { returnUrls: RETURN_URLS }));
      const subscription = await watch(order.id);
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, outcome);
      const expected = outcome === 'cancel' ? RETURN_URLS.cancel : RETURN_URLS.failure;
      expect(psp.headers.get('location')!.startsWith(expected)).toBe(true);

      const rolledBack = await continueOk({ orderId: order.id, redirectResult: { status, parameters: returnedParameters(psp) } });
      expect(rolledBack).toMatchObject({
        status: 'CANCELLED',
        providerStatus: 'PAYMENT_CANCELLED',
        creation: { status: 'ROLLED_BACK', infos: [{ code: 'order.cancelled.info' }] },
        payments: [{ status: 'VOIDED' }],
      });
      const last = (await subscription.waitFor((message) => message.orderStatusChanged.final)).orderStatusChanged;
      expect(last).toMatchObject({ status: 'CANCELLED', source: 'CLIENT' });
      await subscription.done;

      const again = await continueOrder({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [] } });
      expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
      // ICM restored the basket (seed §3.2.5): the buyer can submit it again.
      expect((await createOk(intershopInput(basketId))).status).toBe('ACTION_REQUIRED');
    } finally {
      sandbox.pauseNotifications(false);
    }
  });

  it.each([
    ['pending_success', 'AUTHORIZED', 'COMPLETED', undefined],
    ['pending_failure', 'CANCELLED', 'ROLLED_BACK', undefined],
    // ICM never rewrites the payment's word after §2.2's first answer: the PSP's yes completes the chain all the same.
    ['pending_success', 'AUTHORIZED', 'COMPLETED', 'Unprocessed'],
  ] as const)('pending payment (%s): PENDING, then the PSP notification settles it and the poller pushes %s, the chain %s (a payment word stuck at: %s)', async (outcome, finalStatus, creationStatus, staleWord) => {
    sandbox.pauseNotifications(true);
    let resumed = false;
    let order: OrderView | undefined;
    try {
      order = await atPsp('30.00');
      if (staleWord) sandbox.setStatusWord(order.providerOrderId!, staleWord);
      const subscription = await watch(order.id);
      const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, outcome);
      expect(psp.headers.get('location')!.startsWith(RETURN_URLS.success)).toBe(true);
      const pending = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
      expect(pending).toMatchObject({
        status: 'PENDING',
        creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' }, infos: [{ code: 'order.creation_stopped.info' }] },
        payments: [{ status: 'PENDING' }],
      });
      // Waiting on ICM, not on the client: a redirect result now is INVALID_STATE and goes nowhere.
      const from = sandbox.requests().length;
      const early = await continueOrder({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [] } });
      expect(early.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
      expect(requestsSince(sandbox, from).filter((call) => call.method === 'PATCH')).toEqual([]);

      sandbox.pauseNotifications(false);
      resumed = true;
      const settled = (await subscription.waitFor((message) => message.orderStatusChanged.status === finalStatus)).orderStatusChanged;
      expect(settled).toMatchObject({ previousStatus: 'PENDING', source: 'RECONCILIATION' });
      const stored = await read(order.id);
      expect(stored.creation.status).toBe(creationStatus);
      if (finalStatus === 'CANCELLED') expect(stored.creation.infos.map((info) => info.code)).toEqual(['order.cancelled.info']);
      else expect(stored.payments).toMatchObject([{ method: 'ISH_ONLINEPAY', status: 'AUTHORIZED', amount: { amount: '30.00' } }]);
      // The poller read the order and its payments resource (seed §3.1).
      const paths = sandbox.requests().map((call) => call.path);
      expect(paths).toContain(`/orders/${order.providerOrderId}/payments?include=paymentInstrument,paymentMethod`);
      await subscription.dispose();
    } finally {
      if (!resumed) sandbox.pauseNotifications(false);
      if (staleWord && order) sandbox.setStatusWord(order.providerOrderId!, null);
    }
  });

  it('the PSP took the money, then the shop sends CANCEL (an edited return URL): ICM keeps the PSP\'s record, the order is CAPTURED', async () => {
    const order = await atPsp('25.00', 'ISH_ONLINEPAY_SALE');
    const subscription = await watch(order.id);
    const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'success');
    const answer = await continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: returnedParameters(psp) } });
    expect(answer).toMatchObject({
      status: 'CAPTURED',
      providerStatus: 'NEW',
      creation: { status: 'COMPLETED', infos: [] },
      payments: [{ method: 'ISH_ONLINEPAY_SALE', status: 'CAPTURED', capturedAmount: { amount: '25.00' } }],
    });
    expect((await subscription.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged.final).toBe(false);
    await subscription.dispose();
  });

  it('a continue without the stop it answers: INVALID_STATE or BAD_USER_INPUT naming the field, nothing sent upstream', async () => {
    const basketId = await newBasket(sandbox, '5.00');
    const waitingForUrls = await createOk(intershopInput(basketId));
    const from = sandbox.requests().length;

    const result = await continueOrder({ orderId: waitingForUrls.id, redirectResult: { status: 'SUCCESS', parameters: [] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const neither = await continueOrder({ orderId: waitingForUrls.id });
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.returnUrls' });
    const both = await continueOrder({ orderId: waitingForUrls.id, returnUrls: RETURN_URLS, redirectResult: { status: 'SUCCESS' } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    const partial = await continueOrder({ orderId: waitingForUrls.id, returnUrls: { success: RETURN_URLS.success } });
    expect(partial.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.returnUrls.cancel' });
    const threeDS = await continueOrder({ orderId: waitingForUrls.id, threeDS: { data: 'x' } });
    expect(threeDS.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.threeDS' });

    const atRedirect = await continueOk({ orderId: waitingForUrls.id, returnUrls: RETURN_URLS });
    const urlsAgain = await continueOrder({ orderId: atRedirect.id, returnUrls: RETURN_URLS });
    expect(urlsAgain.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const nothing = await continueOrder({ orderId: atRedirect.id });
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.redirectResult' });
    // Only the one good continue went to ICM.
    expect(writes(requestsSince(sandbox, from))).toEqual([`PATCH /orders/${waitingForUrls.providerOrderId}`]);
    expect((await read(atRedirect.id)).status).toBe('ACTION_REQUIRED');
  });

  it('a SUCCESS the PSP never confirmed is ICM\'s rejection: PROVIDER_REJECTED with its code, the order unchanged', async () => {
    const order = await atPsp('8.00');
    const forged = await continueOrder({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [{ name: 'transactionID', value: '1' }] } });
    expect(forged.errors?.[0]?.extensions).toMatchObject({
      code: 'PROVIDER_REJECTED',
      providerCode: 'order.creation.redirect.not_confirmed.error',
      providerField: '$.orderCreation.redirect',
    });
    expect((await read(order.id))).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
  });

  it('bad create input is BAD_USER_INPUT before ICM is called', async () => {
    const from = sandbox.requests().length;
    const cases: [Record<string, unknown>, string][] = [
      [{ provider: 'INTERSHOP' }, 'input.intershop'],
      [intershopInput('bad\nbasket id'), 'input.intershop.basketId'],
      [intershopInput('sandbox-basket-eur', { currency: 'EUR' }), 'input.currency'],
      [intershopInput('sandbox-basket-eur', { items: [{ name: 'Not from the basket', amount: '1' }] }), 'input.items'],
      [intershopInput('sandbox-basket-eur', { amount: '39.90' }), 'input.amount'],
      [intershopInput('sandbox-basket-eur', { buyer: { email: 'a@example.com' } }), 'input.buyer'],
      [intershopInput('sandbox-basket-eur', { returnUrls: { success: RETURN_URLS.success, cancel: RETURN_URLS.cancel } }), 'input.returnUrls.failure'],
    ];
    for (const [input, field] of cases) {
      const answer = await create(input);
      expect(answer.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(writes(requestsSince(sandbox, from))).toEqual([]);
  });

  it('ICM errors are PROVIDER_REJECTED with their codes: an unknown basket, terms not accepted; no order is kept', async () => {
    const unknown = await create(intershopInput('no-such-basket'));
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'basket.not_found.error', providerField: '$.basket' });
    const basketId = await newBasket(sandbox, '3.00');
    const terms = await create({ provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: false } });
    expect(terms.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'order.terms_and_conditions.not_accepted.error' });
    expect(terms.data).toBeNull();
    // The refused checkout left the basket open.
    expect((await createOk(intershopInput(basketId))).status).toBe('ACTION_REQUIRED');
  });

  it('ICM down or unreadable is PROVIDER_UNAVAILABLE; a wrong token is ICM\'s 401, and never shown', async () => {
    const basketId = await newBasket(sandbox, '4.00');
    sandbox.fault('http500', /^POST \/orders$/);
    expect((await create(intershopInput(basketId))).errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    sandbox.fault('malformed', /^POST \/orders$/);
    expect((await create(intershopInput(basketId))).errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');

    const wrong = await env.startGateway({ intershop: { url: sandbox.url, authToken: 'not-the-token' } });
    const answer = await gql<{ createOrder: OrderView }>(wrong.url, CREATE_ORDER, { input: intershopInput(basketId) }, shop);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'authentication.token.invalid.error' });
    expect(answer.raw).not.toContain('not-the-token');
    // None of the three took the basket.
    expect((await createOk(intershopInput(basketId))).total.amount).toBe('4.00');
  });

  it('applyOrderEvents on an Intershop order answers NOT_SUPPORTED per element', async () => {
    const order = await atPsp('20.00');
    const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'success');
    await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } });
    const answer = await gql<{ applyOrderEvents: (OrderView | null)[] }>(
      gateway.url,
      APPLY_EVENTS,
      {
        input: [
          { orderId: order.id, events: [{ type: 'CAPTURE' }] },
          { orderId: order.id, events: [{ type: 'CANCEL' }] },
          // Not even possible by the domain's bounds (nothing captured): still NOT_SUPPORTED, not INVALID_STATE.
          { orderId: order.id, events: [{ type: 'REFUND', amount: '1.00' }] },
        ],
      },
      backOffice,
    );
    expect(answer.data?.applyOrderEvents).toEqual([null, null, null]);
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['applyOrderEvents', 0], 'NOT_SUPPORTED'],
      [['applyOrderEvents', 1], 'NOT_SUPPORTED'],
      [['applyOrderEvents', 2], 'NOT_SUPPORTED'],
    ]);
    expect((await read(order.id)).status).toBe('AUTHORIZED');
  });

  it('orders(filter: {provider: INTERSHOP}) lists through GET /orders, newest first, orders placed outside the gateway included', async () => {
    const first = await atPsp('1.00');
    // Another ICM client (the storefront) places an order the gateway has never seen.
    const basketId = await newBasket(sandbox, '2.00');
    const direct = await icmRest(sandbox, 'POST', '/orders', { basket: basketId, termsAndConditionsAccepted: true });
    expect(direct.status).toBe(201);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice);
    const ids = list.orders.nodes.map((node) => node.providerOrderId);
    expect(ids.indexOf(direct.json.data.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(direct.json.data.id)).toBeLessThan(ids.indexOf(first.providerOrderId));
    const adopted = list.orders.nodes.find((node) => node.providerOrderId === direct.json.data.id)!;
    expect(adopted).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '2.00', currency: 'USD' }, creation: { stopAction: { reason: 'redirect_urls_required' } } });
    // ICM answered the list in pages of two; the gateway read them all.
    expect(sandbox.requests().some((call) => call.method === 'GET' && /^\/orders\?.*[?&]offset=2(&|$)/.test(call.path))).toBe(true);
    const created = list.orders.nodes.map((node) => node.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: tomorrow } }, backOffice);
    expect(none.orders.nodes).toEqual([]);
  });
});

/**
 * Seed: "Even if the PATCH request to continue the order creation is sent after a (optional)
 * notification by the PSP already completed the process, it is not harmed or restarted." A
 * gateway without a poller has not heard of the notification, so the client's continue reaches ICM.
 */
describe.each(STORE_KINDS)('Intershop: a late CONTINUE (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway({}, { pollerDisabled: true });
    shop = await tokenFor('orders:create', 'shop-intershop');
  });
  afterAll(() => env.close());

  it('a listing that sees the rollback first: CANCELLED at once, and ICM\'s order.cancelled.info still arrives (one read of the order)', async () => {
    const sandbox = env.sandboxes.intershop;
    const backOffice = await tokenFor('orders:read', 'back-office');
    const basketId = await newBasket(sandbox, '6.00');
    const input = intershopInput(basketId, { returnUrls: RETURN_URLS });
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
    await buyerAtPsp(order.creation.stopAction!.redirectUrl!, 'cancel');
    await eventually(async () => ((sandbox.getOrder(order.providerOrderId!) as any).data.orderCreation.status === 'ROLLED_BACK' ? true : undefined));

    // This gateway has no poller: the listing is the first to see the rollback.
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice);
    expect(list.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK', infos: [] } });

    // A gateway with a poller on the same store completes the listed fact with a read of the order.
    const polling = await env.startGateway();
    const read = async () => (await gqlOk<{ order: OrderView }>(polling.url, GET_ORDER, { id: order.id }, backOffice)).order;
    // Closed after: its poller would otherwise read the next tests' orders before their late
    // CONTINUE does (a gateway that already knows the outcome answers that CONTINUE INVALID_STATE).
    const completed = await eventually(async () => {
      const current = await read();
      return current.creation.infos.length ? current : undefined;
    }).finally(() => polling.close());
    expect(completed).toMatchObject({
      status: 'CANCELLED',
      creation: { status: 'ROLLED_BACK', infos: [{ code: 'order.cancelled.info' }] },
      payments: [{ status: 'VOIDED', methodName: 'ISH Demo Online Pay' }],
    });
  });

  it.each([
    ['pending_success', 'AUTHORIZED', 'COMPLETED'],
    ['pending_failure', 'CANCELLED', 'ROLLED_BACK'],
  ] as const)('after the PSP notification (%s) the continue answers the final state; another is INVALID_STATE', async (outcome, status, creation) => {
    const sandbox = env.sandboxes.intershop;
    const basketId = await newBasket(sandbox, '17.00');
    const input = intershopInput(basketId, { returnUrls: RETURN_URLS });
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
    const psp = await buyerAtPsp(order.creation.stopAction!.redirectUrl!, outcome);
    await eventually(async () => ((sandbox.getOrder(order.providerOrderId!) as any).data.orderCreation.status === creation ? true : undefined));

    const late = await gqlOk<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: returnedParameters(psp) } } }, shop);
    expect(late.continueOrderCreation).toMatchObject({ status, creation: { status: creation } });
    expect((sandbox.getOrder(order.providerOrderId!) as any).data.orderCreation.status).toBe(creation);
    const again = await gql(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [] } } }, shop);
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
  });
});

/**
 * The adapter on its own against the sandbox: the payments resource (method names) only adds
 * detail, so a read of the order whose payments resource fails still counts, and the next read
 * that has it is not dropped as a repeat.
 */
describe('Intershop adapter: a failing payments resource does not fail a reconcile', () => {
  let sandbox: IntershopSandbox;
  beforeAll(async () => {
    sandbox = await startIntershopSandbox({ notificationMs: 50 });
  });
  afterAll(() => sandbox.close());

  it('fetchOrder answers the order without the method name, and the next read adds it under a key of its own', async () => {
    const adapter = createIntershopAdapter(sandbox.config, { publicUrl: 'http://gateway.invalid', timeoutMs: 1500, kv: createMemoryStore().kv });
    const basketId = await newBasket(sandbox, '9.00');
    const created = await adapter.createOrder({ provider: 'INTERSHOP', items: [], options: { basketId, termsAndConditionsAccepted: true }, orderId: 'ord_adapter_test' });
    const order = makeOrder({ provider: 'INTERSHOP', providerOrderId: created.providerOrderId!, status: 'ACTION_REQUIRED', seenKeys: [created.observation.key] });

    // Every attempt fails (a GET is retried): the payments resource is down, not flaky.
    const paymentsRead = new RegExp(`^GET /INTERSHOP/rest/\\S*/orders/${created.providerOrderId}/payments$`);
    sandbox.faults.inject({ kind: 'status', status: 500, only: paymentsRead, times: Infinity });
    const bare = await adapter.fetchOrder!(order);
    sandbox.faults.clear();
    expect(sandbox.faults.count(paymentsRead)).toBeGreaterThan(0);
    expect(bare).toMatchObject({ status: 'ACTION_REQUIRED', payments: [{ method: 'ISH_ONLINEPAY', amount: { currency: 'USD', minor: 900 } }] });
    expect(bare!.payments![0]!.methodName).toBeUndefined();

    const named = await adapter.fetchOrder!({ ...order, seenKeys: [...order.seenKeys, bare!.key] });
    expect(named!.payments![0]!.methodName).toBe('ISH Demo Online Pay');
    expect(named!.key).not.toBe(bare!.key);
  });
});
