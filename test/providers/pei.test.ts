/**
 * The Pei provider end to end: GraphQL over real HTTP and graphql-ws in front, the Pei sandbox
 * (token endpoint, REST API, checkout page) on its own port behind, postbacks over real HTTP in
 * between, on both stores.
 *
 * Two gateways share each environment's store: `gateway` runs the reconciliation poller, `quiet`
 * does not, so a test on `quiet` proves what the postback (or a read) alone does. Every response
 * is checked for the client secret, access tokens and unmasked kennitölur.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { APPLY_EVENTS, WATCH_ORDER, type StatusChangeView } from '../support/documents.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type GatewayOptions, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, secretCheckedGraphQL, subscribe, type AnswerData, type GraphQLError, type Subscription } from '../support/graphql.js';
import { buyerOnPei, peiAccessToken, peiRest, postPeiPostback } from '../support/pei.js';
import { untilAdmitted } from '../support/webhook-retry.js';
import { storeKeys } from '../../src/store/keys.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { EXPIRY_GRACE_MS } from '../../src/providers/pei/mapping.js';
import type { PeiSandbox } from '../../src/sandboxes/pei/index.js';
import { today } from '../support/test-time.js';

// ---------------------------------------------------------------------------------------------
// Documents and helpers
// ---------------------------------------------------------------------------------------------

const PEI_ORDER_FIELDS = /* GraphQL */ `
  fragment PeiOrderFields on Order {
    id provider providerOrderId reference status providerStatus
    total { amount currency minorUnits }
    items { lineId code name quantity unit unitPrice { amount } amount { amount } }
    payments { id method status amount { amount } capturedAmount { amount } providerReference mandateId }
    creation { status stopAction { type redirectUrl } }
    events { id type status source }
  }
`;
const CREATE = `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { ...PeiOrderFields } } ${PEI_ORDER_FIELDS}`;
const GET = `query Get($id: ID!) { order(id: $id) { ...PeiOrderFields } } ${PEI_ORDER_FIELDS}`;
const LIST = `query List($filter: OrderFilter!) { orders(filter: $filter, first: 100) { nodes { ...PeiOrderFields } } } ${PEI_ORDER_FIELDS}`;

/** The seed's example kennitala; the sandbox gives the merchant purchase access for it. */
const SSN_WITH_ACCESS = '0102882849';
const SSN_WITHOUT_ACCESS = '1203894569';
const SUCCESS_URL = 'https://shop.example/pei/done';
const CANCEL_URL = 'https://shop.example/pei/cancelled';

type Watch = Subscription<{ orderStatusChanged: StatusChangeView }>;

/** The gateway's own `/webhooks/pei` (its PUBLIC_URL says localhost where the test reaches 127.0.0.1). */
/** The gateway's Pei postback route, naming the order and a MAC of it (postback-url.ts). */
const postbackUrlOf = (gateway: Gateway, orderId: string) =>
  expect.stringMatching(new RegExp(`^http://localhost:${new URL(gateway.url).port}/webhooks/pei\\?order=${orderId}&sig=[\\w-]{43}$`));
/**
 * Who recorded the capture of an order confirmed before its postback was posted by hand: the
 * postback (answered 200: read, checked against GET, agreed), or, a moment before it under load,
 * `gateway`'s poller on the same store as `quiet`. Which one won is a race, not the contract; the
 * events say it was captured once either way.
 */
const CAPTURED_ONCE_BY = expect.stringMatching(/^(WEBHOOK|RECONCILIATION)$/);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

function oneOff(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    reference: `pei-${Math.random().toString(36).slice(2, 10)}`,
    items: [{ code: 'SUB555', name: 'TV subscription', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }],
    buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: SSN_WITH_ACCESS, phone: '1234567' },
    returnUrls: { success: SUCCESS_URL, cancel: CANCEL_URL },
    pei: { sequenceType: 'ONE_OFF' },
    ...overrides,
  };
}

describe.each(STORE_KINDS)('Pei through the gateway (%s store)', (kind) => {
  let env: TestEnvironment;
  let pei: PeiSandbox;
  let gateway: Gateway;
  let quiet: Gateway;
  let shop: string;
  /** The merchant's systems: a purchase for a buyer (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;
  const secrets: string[] = [];

  /** Requests whose raw JSON must hold no credential and no whole kennitala. */
  const checked = secretCheckedGraphQL(() => [...secrets, SSN_WITH_ACCESS, SSN_WITHOUT_ACCESS]);
  const call = checked.call;
  const ok = (url: string, query: string, variables: Record<string, unknown>, token = shop) => checked.ok(url, query, variables, token);
  /** The one error of a createOrder that must fail, with nothing stored. */
  async function createFails(input: Record<string, unknown>, token = shop): Promise<GraphQLError> {
    const response = await call(gateway.url, CREATE, { input }, token);
    expect(response.data?.createOrder ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    return response.errors![0]!;
  }
  const create = async (input: Record<string, unknown>, url = gateway.url) => (await ok(url, CREATE, { input })).createOrder;
  /** Created by the merchant's systems, not the shop's browser (read back with the back office's token). */
  const createAsMerchant = async (input: Record<string, unknown>) => (await ok(gateway.url, CREATE, { input }, merchant)).createOrder;
  const watch = (order: { id: string }, url = gateway.url): Watch => subscribe(url, shop, WATCH_ORDER, { orderId: order.id });
  const untilFinalOr = (w: Watch, status: string) => w.waitFor((m) => m.orderStatusChanged.status === status || m.orderStatusChanged.final);
  /** How many orders the sandbox holds for today, asked over its own API. */
  const ordersAtPei = async () => (await peiRest(pei, 'GET', `/api/orders?merchantId=4&date=${today()}`)).body.length as number;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    pei = env.sandboxes.pei;
    gateway = await env.startGateway();
    quiet = await env.startGateway({}, { pollerDisabled: true });
    shop = await tokenFor('orders:create', 'pei-shop');
    merchant = await tokenFor('orders:create orders:manage', 'pei-merchant');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
    secrets.push(pei.config.clientSecret, await peiAccessToken(pei));
  });
  afterAll(() => env.close());

  // ---- creation ------------------------------------------------------------------------------

  it('createOrder sends every field of the seed and answers CREATED, STOPPED, REDIRECT to the checkout page', async () => {
    const input = oneOff({
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      items: [
        { code: 'S', name: 'Small box', amount: '1000', group: 'Size', selected: true },
        { code: 'L', name: 'Large box', amount: '1500', group: 'Size' },
        { name: 'Gift wrap', amount: '300', optional: true, selected: false },
      ],
      pei: { sequenceType: 'ONE_OFF', subscription: { startDate: '2026-01-01', frequency: 'MONTH', frequencyInterval: 1, cycles: 12 } },
    });
    const order = await create(input);
    expect(order).toMatchObject({
      provider: 'PEI',
      status: 'CREATED',
      providerStatus: 'Pending',
      reference: input.reference,
      // The default selection: the Small box; not the Large box (its alternative) nor the unselected gift wrap.
      total: { amount: '1000', currency: 'ISK', minorUnits: 1000 },
      creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: `${pei.config.checkoutUrl}/${order.providerOrderId}` } },
    });
    const sent = pei.getOrder(order.providerOrderId)!;
    expect(sent).toMatchObject({
      merchantId: 4,
      amount: 1000,
      reference: input.reference,
      expirationDate: input.expiresAt,
      successReturnUrl: SUCCESS_URL,
      cancelReturnUrl: CANCEL_URL,
      postbackUrl: postbackUrlOf(gateway, order.id),
      sequenceType: 'OneOff',
      mandateId: null,
      buyer: { name: 'John Johnson', ssn: SSN_WITH_ACCESS, email: 'john@example.com', mobileNumber: '1234567' },
      items: [
        { code: 'S', name: 'Small box', amount: 1000, groupName: 'Size', isDefaultSelected: true, isOptional: false },
        { code: 'L', name: 'Large box', amount: 1500, groupName: 'Size', isDefaultSelected: false },
        { name: 'Gift wrap', amount: 300, groupName: null, isOptional: true, isDefaultSelected: false },
      ],
      subscriptionOptions: { startDate: '2026-01-01', frequency: 'Month', frequencyInterval: 1, cycles: 12 },
    });
  });

  it('without expiresAt the order expires one day ahead', async () => {
    const before = Date.now();
    const order = await create(oneOff());
    const expires = Date.parse(pei.getOrder(order.providerOrderId)!.expirationDate);
    expect(expires).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 86_400_000);
  });

  // ---- the buyer on Pei's page ----------------------------------------------------------------

  it('buyer confirms on Pei -> the postback moves the order to CAPTURED, purchaseId as the payment reference', async () => {
    const order = await create(oneOff(), quiet.url);
    const w = watch(order, quiet.url);
    expect((await w.next()).orderStatusChanged).toMatchObject({ status: 'CREATED', previousStatus: null });
    const page = await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    expect(page.headers.get('location')).toBe(SUCCESS_URL);

    const paid = (await w.waitFor((m) => m.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged;
    // The poller of `quiet` is off, but `gateway`'s (same store) is not: under load its re-read may
    // record the capture a moment before the postback's re-read does, and the postback then changes
    // nothing. Which one won is a race, not the contract: the postback taken at its first delivery
    // (2xx: read, checked against Pei, agreed), and the capture recorded once.
    await pei.postbacksIdle();
    expect(pei.postbacks().filter((attempt) => attempt.body.orderId === order.providerOrderId)[0]?.responseStatus).toBe(200);
    expect(paid).toMatchObject({ previousStatus: 'CREATED', final: false, order: { providerStatus: 'Confirmed' } });
    expect(['WEBHOOK', 'RECONCILIATION']).toContain(paid.source);
    const stored = (await ok(quiet.url, GET, { id: order.id })).order;
    const purchaseId = pei.getOrder(order.providerOrderId)!.purchaseId;
    expect(stored).toMatchObject({
      status: 'CAPTURED',
      creation: { status: 'COMPLETED', stopAction: null },
      payments: [{ method: 'pei', status: 'CAPTURED', capturedAmount: { amount: '5000' }, providerReference: String(purchaseId), mandateId: null }],
    });
    await w.dispose();
  });

  it('a duplicate postback is acknowledged and changes nothing', async () => {
    const order = await create(oneOff(), quiet.url);
    await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    await pei.postbacksIdle();
    const once = (await ok(quiet.url, GET, { id: order.id })).order;
    expect(once.status).toBe('CAPTURED');
    await pei.resendPostback(order.providerOrderId);
    await pei.postbacksIdle();
    const attempts = pei.postbacks().filter((attempt) => attempt.body.orderId === order.providerOrderId);
    // Within the order's re-read lease the copy is throttled (429), and Pei's retry after it is acknowledged.
    expect(attempts[0]?.responseStatus).toBe(200);
    expect(attempts.at(-1)?.responseStatus).toBe(200);
    expect(attempts.slice(1, -1).every((attempt) => attempt.responseStatus === 429)).toBe(true);
    expect((await ok(quiet.url, GET, { id: order.id })).order.events).toEqual(once.events);
  });

  it('a forged postback for an unconfirmed order is refused (401) and changes nothing', async () => {
    const order = await create(oneOff(), quiet.url);
    const forged = await postPeiPostback(quiet.url, { orderId: order.providerOrderId, purchaseId: 966999, mandateId: null });
    expect(forged.status).toBe(401);
    expect(await untilAdmitted(async () => (await postPeiPostback(quiet.url, { orderId: 'NoSuchOrderAtPei', purchaseId: 1, mandateId: null })).status)).toBe(401);
    expect((await postPeiPostback(quiet.url, 'not json')).status).toBe(400);
    const after = (await ok(quiet.url, GET, { id: order.id })).order;
    expect(after).toMatchObject({ status: 'CREATED', payments: [{ providerReference: null }] });
    expect(after.events).toHaveLength(1);
    expect(pei.getOrder(order.providerOrderId)?.status).toBe('Pending');
  });

  /** The buyer confirms on Pei's page, but Pei's postback is lost (the gateway hears nothing). */
  async function confirmWithoutPostback(order: { creation: { stopAction: { redirectUrl: string } } }): Promise<void> {
    pei.setPostbacksEnabled(false);
    try {
      await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    } finally {
      pei.setPostbacksEnabled(true);
    }
  }

  it('a postback naming another purchase than Pei confirmed is refused too', async () => {
    const order = await create(oneOff(), quiet.url);
    await confirmWithoutPostback(order);
    const real = pei.getOrder(order.providerOrderId)!.purchaseId!;
    expect((await postPeiPostback(quiet.url, { orderId: order.providerOrderId, purchaseId: real + 1000, mandateId: null })).status).toBe(401);
    // The forged one took the order's re-read lease: the genuine one is let in once it ends, as Pei retries.
    expect(await untilAdmitted(async () => (await postPeiPostback(quiet.url, { orderId: order.providerOrderId, purchaseId: real, mandateId: null })).status)).toBe(200);
  });

  it('buyer cancels on Pei (no postback) -> the poller re-reads the order -> CANCELLED, final', async () => {
    const order = await create(oneOff());
    const w = watch(order);
    await w.next();
    const page = await buyerOnPei(order.creation.stopAction.redirectUrl, 'cancel');
    expect(page.headers.get('location')).toBe(CANCEL_URL);
    const last = (await untilFinalOr(w, 'CANCELLED')).orderStatusChanged;
    expect(last).toMatchObject({ status: 'CANCELLED', source: 'RECONCILIATION', final: true, order: { providerStatus: 'Cancelled' } });
    await w.done;
  });

  it('a lost postback: order(id) re-reads a waiting order, and the confirmation is not lost', async () => {
    const order = await create(oneOff(), quiet.url);
    await confirmWithoutPostback(order);
    const read = (await ok(quiet.url, GET, { id: order.id })).order;
    expect(read).toMatchObject({ status: 'CAPTURED', events: [{ status: 'CREATED' }, { status: 'CAPTURED', source: 'RECONCILIATION' }] });
  });

  it('many clients reading a waiting order cause one upstream read per interval, not one each', async () => {
    const proxy = await startRecordingProxy(pei.url);
    const reader = await env.startGateway({ pei: { ...pei.config, url: proxy.url }, reconcileIntervalMs: 60_000 }, { pollerDisabled: true });
    try {
      const order = await create(oneOff(), reader.url);
      const reads = await Promise.all(Array.from({ length: 20 }, () => ok(reader.url, GET, { id: order.id })));
      expect(reads.every((read) => read.order.status === 'CREATED')).toBe(true);
      expect(proxy.requestsTo('GET', `/api/orders/${order.providerOrderId}`)).toHaveLength(1);
    } finally {
      await reader.close();
      await proxy.close();
    }
  });

  // ---- recurring -----------------------------------------------------------------------------

  it('a FIRST order yields a mandate; a RECURRING order on it is charged without the buyer and reaches CAPTURED by itself', async () => {
    const first = await create(oneOff({ pei: { sequenceType: 'FIRST' } }));
    await buyerOnPei(first.creation.stopAction.redirectUrl, 'confirm');
    const confirmed = await eventually(async () => {
      const read = (await ok(gateway.url, GET, { id: first.id })).order;
      return read.status === 'CAPTURED' ? read : undefined;
    });
    const mandateId = confirmed.payments[0].mandateId;
    expect(mandateId).toBe(pei.getOrder(first.providerOrderId)!.mandateId);
    expect(mandateId).toEqual(expect.any(String));

    const recurring = await create({
      provider: 'PEI',
      currency: 'ISK',
      reference: 'month-2',
      items: [{ name: 'TV subscription, month 2', amount: '5000' }],
      pei: { sequenceType: 'RECURRING', mandateId },
    });
    expect(recurring).toMatchObject({ status: 'PENDING', creation: { status: 'COMPLETED', stopAction: null }, payments: [{ mandateId }] });
    expect(pei.getOrder(recurring.providerOrderId)).toMatchObject({ sequenceType: 'Recurring', mandateId });
    const w = watch(recurring);
    const charged = (await w.waitFor((m) => m.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged;
    expect(['WEBHOOK', 'RECONCILIATION']).toContain(charged.source);
    const read = (await ok(gateway.url, GET, { id: recurring.id })).order;
    expect(read.payments[0]).toMatchObject({ status: 'CAPTURED', mandateId, providerReference: String(pei.getOrder(recurring.providerOrderId)!.purchaseId) });
    await w.dispose();
  });

  // ---- purchase for a buyer ------------------------------------------------------------------

  it('purchaseForBuyer with purchase access -> Orders/Pay, CAPTURED at once', async () => {
    const order = await createAsMerchant({
      provider: 'PEI',
      currency: 'ISK',
      reference: 'pay-1',
      items: [{ name: 'Helicopter', quantity: 3, unitPrice: '3330', amount: '9990' }],
      buyer: { name: 'John Johnson', nationalId: '010288-2849', email: 'john@example.com' },
      pei: { purchaseForBuyer: true },
    });
    const atPei = pei.getOrder(order.providerOrderId)!;
    expect(atPei).toMatchObject({ status: 'Confirmed', amount: 9990, buyer: { ssn: SSN_WITH_ACCESS }, postbackUrl: postbackUrlOf(gateway, order.id) });
    expect(order).toMatchObject({
      status: 'CAPTURED',
      creation: { status: 'COMPLETED' },
      payments: [{ status: 'CAPTURED', providerReference: String(atPei.purchaseId) }],
    });
    // The postback that follows is the same fact: nothing more happens.
    await pei.postbacksIdle();
    expect((await ok(gateway.url, GET, { id: order.id }, backOffice)).order.events).toEqual(order.events);
  });

  it('purchaseForBuyer for a buyer without purchase access is PROVIDER_REJECTED, the kennitala masked', async () => {
    const before = await ordersAtPei();
    const error = await createFails({
      provider: 'PEI',
      currency: 'ISK',
      items: [{ name: 'Helicopter', amount: '9990' }],
      buyer: { name: 'Jane Doe', nationalId: SSN_WITHOUT_ACCESS, email: 'jane@example.com' },
      pei: { purchaseForBuyer: true },
    }, merchant);
    expect(error.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: '403' });
    expect(error.message).toContain('purchase access');
    expect(error.message).toContain('******4569');
    expect(await ordersAtPei()).toBe(before);
  });

  it('Orders/Pay carried out but its answer lost: the purchase is found by its reference, CAPTURED, not charged twice', async () => {
    const before = await ordersAtPei();
    pei.fault('lost', /^POST \/api\/orders\/pay$/);
    const order = await createAsMerchant({
      provider: 'PEI',
      currency: 'ISK',
      items: [{ name: 'Helicopter', amount: '9990' }],
      buyer: { name: 'John Johnson', nationalId: SSN_WITH_ACCESS, email: 'john@example.com' },
      pei: { purchaseForBuyer: true },
    });
    expect(await ordersAtPei()).toBe(before + 1);
    const atPei = pei.getOrder(order.providerOrderId)!;
    // No client reference: the gateway's own order id was Pei's Reference, and found it again.
    expect(atPei).toMatchObject({ reference: order.id, status: 'Confirmed', amount: 9990 });
    expect(order).toMatchObject({ status: 'CAPTURED', reference: null, payments: [{ status: 'CAPTURED', providerReference: String(atPei.purchaseId) }] });
  });

  it('Orders/Pay refused with a 500 (not carried out) is still PROVIDER_UNAVAILABLE, with nothing at Pei', async () => {
    const before = await ordersAtPei();
    pei.fault('http500', /^POST \/api\/orders\/pay$/);
    const error = await createFails({
      provider: 'PEI',
      currency: 'ISK',
      reference: 'pay-500',
      items: [{ name: 'Helicopter', amount: '9990' }],
      buyer: { name: 'John Johnson', nationalId: SSN_WITH_ACCESS, email: 'john@example.com' },
      pei: { purchaseForBuyer: true },
    }, merchant);
    expect(error.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect(await ordersAtPei()).toBe(before);
  });

  it('a RECURRING submit carried out but its answer lost is found and followed to CAPTURED', async () => {
    const first = await create(oneOff({ pei: { sequenceType: 'FIRST' } }));
    await buyerOnPei(first.creation.stopAction.redirectUrl, 'confirm');
    // The shop learns the mandate from the gateway (its own FIRST order), as a browser must: the
    // gateway lets this token charge it once it has seen the mandate issued on that order.
    const mandateId = await eventually(async () => (await ok(gateway.url, GET, { id: first.id })).order.payments[0]?.mandateId);
    expect(mandateId).toBe(pei.getOrder(first.providerOrderId)!.mandateId);
    const reference = `month-lost-${Math.random().toString(36).slice(2, 8)}`;
    pei.fault('lost', /^POST \/api\/orders$/);
    const recurring = await create({ provider: 'PEI', currency: 'ISK', reference, items: [{ name: 'Month 2', amount: '5000' }], pei: { sequenceType: 'RECURRING', mandateId } });
    expect(recurring.providerOrderId).toEqual(expect.any(String));
    expect(pei.getOrder(recurring.providerOrderId)).toMatchObject({ reference, sequenceType: 'Recurring', mandateId });
    const charged = await eventually(async () => {
      const read = (await ok(gateway.url, GET, { id: recurring.id })).order;
      return read.status === 'CAPTURED' ? read : undefined;
    });
    expect(charged.payments[0]).toMatchObject({ mandateId, providerReference: String(pei.getOrder(recurring.providerOrderId)!.purchaseId) });
  });

  it('a postback in other letter cases, with a string purchaseId and a blank mandateId, is checked against GET and applied', async () => {
    const order = await create(oneOff(), quiet.url);
    await confirmWithoutPostback(order);
    const real = pei.getOrder(order.providerOrderId)!.purchaseId!;
    expect((await postPeiPostback(quiet.url, { OrderId: order.providerOrderId, PurchaseId: String(real + 1000), MandateId: '' })).status).toBe(401);
    expect(await untilAdmitted(async () => (await postPeiPostback(quiet.url, { OrderId: 'NoSuchOrderAtPei', PurchaseId: String(real) })).status)).toBe(401);
    // The forged one took the order's re-read lease; as if its interval had passed (moved on, not waited for):
    await quiet.store.kv.delete(storeKeys.refreshLease(order.id));
    expect((await postPeiPostback(quiet.url, { OrderId: order.providerOrderId, PurchaseId: String(real), MandateId: '' })).status).toBe(200);
    const after = await quiet.store.orders.get(order.id);
    // Read from the store: a GraphQL read would re-read Pei itself (CAPTURED_ONCE_BY).
    expect(after).toMatchObject({ status: 'CAPTURED', events: [{ status: 'CREATED' }, { status: 'CAPTURED', source: CAPTURED_ONCE_BY }] });
  });

  it('a form-encoded postback (OrderId=...&PurchaseId=...) is read like the JSON one, and checked against GET alike', async () => {
    const order = await create(oneOff(), quiet.url);
    await confirmWithoutPostback(order);
    const real = pei.getOrder(order.providerOrderId)!.purchaseId!;
    const postForm = async (fields: Record<string, string>) =>
      (await fetch(`${quiet.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })).status;
    expect(await postForm({ OrderId: order.providerOrderId, PurchaseId: String(real + 1000) })).toBe(401);
    await quiet.store.kv.delete(storeKeys.refreshLease(order.id));
    expect(await postForm({ OrderId: order.providerOrderId, PurchaseId: String(real) })).toBe(200);
    expect(await quiet.store.orders.get(order.id)).toMatchObject({ status: 'CAPTURED', events: [{ status: 'CREATED' }, { status: 'CAPTURED', source: CAPTURED_ONCE_BY }] });
    // Neither JSON nor declared a form: refused as before.
    expect((await postPeiPostback(quiet.url, `OrderId=${order.providerOrderId}`)).status).toBe(400);
  });

  it('a postback in snake_case (order_id, purchase_id) is read like the seed\'s OrderId / PurchaseId', async () => {
    const order = await create(oneOff(), quiet.url);
    await confirmWithoutPostback(order);
    const real = pei.getOrder(order.providerOrderId)!.purchaseId!;
    expect((await postPeiPostback(quiet.url, { order_id: order.providerOrderId, purchase_id: real, mandate_id: null })).status).toBe(200);
    expect(await quiet.store.orders.get(order.id)).toMatchObject({ status: 'CAPTURED', events: [{ status: 'CREATED' }, { status: 'CAPTURED', source: CAPTURED_ONCE_BY }] });
  });

  // ---- expiry ----------------------------------------------------------------------------------

  it('an order still unconfirmed after its expiresAt and the grace becomes EXPIRED through reconciliation', async () => {
    // Time is moved, not waited for: the gateway's and the sandbox's clocks both read Date.
    const expiresAt = Date.now() + 10 * 60_000;
    const order = await create(oneOff({ expiresAt: new Date(expiresAt).toISOString() }));
    const w = watch(order);
    expect((await w.next()).orderStatusChanged.status).toBe('CREATED');
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      vi.setSystemTime(expiresAt + EXPIRY_GRACE_MS + 1000);
      const last = (await untilFinalOr(w, 'EXPIRED')).orderStatusChanged;
      expect(last).toMatchObject({ status: 'EXPIRED', source: 'RECONCILIATION', final: true, previousStatus: 'CREATED' });
      // The buyer is too late now.
      expect((await fetch(`${order.creation.stopAction.redirectUrl}/confirm`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
    await w.done;
  });

  // ---- listing -------------------------------------------------------------------------------

  it('orders(filter: {provider: PEI, from, to}) lists by date, adopting orders made outside the gateway', async () => {
    const mine = await create(oneOff());
    const elsewhere = (
      await peiRest(pei, 'POST', '/api/orders', { merchantId: 4, amount: 777, reference: 'made-at-pei', sequenceType: 'OneOff', buyer: {}, items: [{ name: 'Kaffi', amount: 777 }] })
    ).body.orderId as string;
    const nodes: AnswerData[] = (await ok(gateway.url, LIST, { filter: { provider: 'PEI', from: daysAgo(2), to: today() } }, backOffice)).orders.nodes;
    expect(nodes.find((node) => node.id === mine.id)).toMatchObject({ providerOrderId: mine.providerOrderId, status: 'CREATED' });
    const adopted = nodes.find((node) => node.providerOrderId === elsewhere);
    expect(adopted).toMatchObject({ reference: 'made-at-pei', status: 'CREATED', total: { amount: '777', currency: 'ISK' }, items: [{ name: 'Kaffi' }] });
    expect(adopted.id).toMatch(/^ord_/);
    // Listed again: the same gateway id.
    const again: AnswerData[] = (await ok(gateway.url, LIST, { filter: { provider: 'PEI' } }, backOffice)).orders.nodes;
    expect(again.find((node) => node.providerOrderId === elsewhere)?.id).toBe(adopted.id);
    expect((await ok(gateway.url, LIST, { filter: { provider: 'PEI', from: '2016-01-20', to: '2016-01-20' } }, backOffice)).orders.nodes).toEqual([]);
  });

  // ---- listing: how often Pei is asked ---------------------------------------------------------

  /** One query of `orders` fields, one per filter (aliased l0, l1, ...). */
  const aliasedLists = (filters: Record<string, unknown>[]) => ({
    query: `query(${filters.map((_, i) => `$f${i}: OrderFilter!`).join(', ')}) { ${filters.map((_, i) => `l${i}: orders(filter: $f${i}) { nodes { id providerOrderId } }`).join(' ')} }`,
    variables: Object.fromEntries(filters.map((filter, i) => [`f${i}`, filter])),
  });
  interface BehindProxy {
    proxy: RecordingProxy;
    reader: Gateway;
    /** Pei's listing calls so far (GET /api/orders?merchantId&date, one per day). */
    dayListings: () => number;
  }
  /** Runs `test` on a gateway whose Pei calls pass a recording proxy, without a poller (only the listings under test call Pei). */
  async function behindProxy(test: (parts: BehindProxy) => Promise<void>, overrides: Partial<Config> = {}, options: GatewayOptions = {}): Promise<void> {
    const proxy = await startRecordingProxy(pei.url);
    const reader = await env.startGateway({ pei: { ...pei.config, url: proxy.url }, ...overrides }, { pollerDisabled: true, ...options });
    try {
      await test({ proxy, reader, dayListings: () => proxy.requestsTo('GET', '/api/orders').length });
    } finally {
      await reader.close();
      await proxy.close();
    }
  }
  const madeAtPei = async (reference: string) =>
    (await peiRest(pei, 'POST', '/api/orders', { merchantId: 4, amount: 500, reference, sequenceType: 'OneOff', buyer: {}, items: [{ name: 'Kleina', amount: 500 }] })).body.orderId as string;

  it('15 aliased orders fields over the same 31 days ask Pei for each day once, not once per field', async () => {
    await behindProxy(async ({ reader, dayListings }) => {
      const elsewhere = await madeAtPei('aliased-listing');
      // The tester's request: every provider (no `provider`), 31 days, 15 aliases.
      const { query, variables } = aliasedLists(Array.from({ length: 15 }, () => ({ from: daysAgo(30), to: today() })));
      const data = await ok(reader.url, query, variables, backOffice);
      expect(dayListings()).toBe(31);
      // Every field answers, and all of them the same order (adopted once).
      const ids = Object.values(data as Record<string, { nodes: AnswerData[] }>).map((field) => field.nodes.find((node) => node.providerOrderId === elsewhere)?.id);
      expect(ids).toHaveLength(15);
      expect(new Set(ids)).toEqual(new Set([expect.stringMatching(/^ord_/)]));
    });
  });

  it('requests asking for the same range while a listing is under way share it (single flight)', async () => {
    await behindProxy(async ({ proxy, reader, dayListings }) => {
      // The first day's answer waits, so every request arrives while the listing is under way.
      let held = false;
      proxy.beforeAnswer = async (request) => {
        if (held || !request.path.startsWith('/api/orders?')) return;
        held = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
      };
      const filter = { provider: 'PEI', from: daysAgo(30), to: today() };
      const answers = await Promise.all(Array.from({ length: 3 }, () => ok(reader.url, LIST, { filter }, backOffice)));
      expect(answers.every((answer) => Array.isArray(answer.orders.nodes))).toBe(true);
      expect(dayListings()).toBe(31);
    });
  });

  it('within LISTING_SHARE_MS the same range is answered from the listing taken; after it, Pei is asked again and shows what changed', async () => {
    let ahead = 0;
    await behindProxy(async ({ reader, dayListings }) => {
      const filter = { provider: 'PEI', from: daysAgo(2), to: today() };
      await ok(reader.url, LIST, { filter }, backOffice);
      expect(dayListings()).toBe(3);
      const elsewhere = await madeAtPei('shared-listing');
      // A few seconds of staleness, stated: the order made at Pei meanwhile is not adopted yet.
      const soon: AnswerData[] = (await ok(reader.url, LIST, { filter }, backOffice)).orders.nodes;
      expect(dayListings()).toBe(3);
      expect(soon.some((node) => node.providerOrderId === elsewhere)).toBe(false);
      // Another range is another listing.
      await ok(reader.url, LIST, { filter: { ...filter, from: daysAgo(1) } }, backOffice);
      expect(dayListings()).toBe(5);
      ahead = 5000;
      const later: AnswerData[] = (await ok(reader.url, LIST, { filter }, backOffice)).orders.nodes;
      expect(dayListings()).toBe(8);
      expect(later.find((node) => node.providerOrderId === elsewhere)).toMatchObject({ reference: 'shared-listing', status: 'CREATED' });
    }, { listingShareMs: 5000 }, { now: () => new Date(Date.now() + ahead) });
  });

  it('one operation asks Pei for at most 3 ranges; its further orders fields answer from the gateway\'s own orders', async () => {
    await behindProxy(async ({ reader, dayListings }) => {
      const mine = await create(oneOff(), reader.url);
      const { query, variables } = aliasedLists([0, 1, 2, 3, 4].map((days) => ({ provider: 'PEI', from: daysAgo(days), to: today() })));
      const data = (await ok(reader.url, query, variables, backOffice)) as Record<string, { nodes: AnswerData[] }>;
      // 1 + 2 + 3 days for the first three ranges; the 4th and 5th (4 and 5 days) ask nothing.
      expect(dayListings()).toBe(6);
      for (const field of Object.values(data)) expect(field.nodes.some((node) => node.id === mine.id)).toBe(true);
    });
  });

  it('a listing of more than 31 days is BAD_USER_INPUT', async () => {
    const response = await call(gateway.url, LIST, { filter: { provider: 'PEI', from: daysAgo(31), to: today() } }, backOffice);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const thirtyOne = await call(gateway.url, LIST, { filter: { provider: 'PEI', from: daysAgo(30), to: today() } }, backOffice);
    expect(thirtyOne.errors).toEqual([]);
  });

  // ---- bad input -----------------------------------------------------------------------------

  it.each([
    ['9990.5 ISK (no minor units)', { items: [{ name: 'Half', amount: '9990.5' }] }, 'input.items.0.amount'],
    ['a currency other than ISK', { currency: 'EUR', items: [{ name: 'x', amount: '10.00' }] }, 'input.currency'],
    ['no items', { items: null, amount: '5000' }, 'input.items'],
    ['RECURRING without a mandate', { pei: { sequenceType: 'RECURRING' } }, 'input.pei.mandateId'],
    ['a mandate on a ONE_OFF order', { pei: { sequenceType: 'ONE_OFF', mandateId: 'abc' } }, 'input.pei.mandateId'],
    [
      'two default-selected items in one group',
      { items: [{ name: 'S', amount: '1', group: 'Size', selected: true }, { name: 'L', amount: '2', group: 'Size', selected: true }] },
      'input.items.1.selected',
    ],
    ['an expiry in the past', { expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'input.expiresAt'],
    ['a malformed national id', { buyer: { nationalId: '12345-678' } }, 'input.buyer.nationalId'],
    ['a failure return URL', { returnUrls: { success: SUCCESS_URL, failure: 'https://shop.example/f' } }, 'input.returnUrls.failure'],
    ['purchaseForBuyer without the buyer email', { buyer: { name: 'Jón', nationalId: SSN_WITH_ACCESS }, returnUrls: null, pei: { purchaseForBuyer: true } }, 'input.buyer.email'],
    ['purchaseForBuyer with a FIRST sequence', { returnUrls: null, pei: { purchaseForBuyer: true, sequenceType: 'FIRST' } }, 'input.pei.sequenceType'],
  ])('%s is BAD_USER_INPUT before Pei is called', async (_case, overrides, field) => {
    const before = await ordersAtPei();
    const error = await createFails(oneOff(overrides));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(error.message).not.toContain('12345-678');
    expect(await ordersAtPei()).toBe(before);
  });

  it('applyOrderEvents on a Pei order answers NOT_SUPPORTED for that element alone', async () => {
    const order = await create(oneOff());
    const response = await call(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CANCEL' }] }, { orderId: 'ord_unknown', events: [{ type: 'CAPTURE' }] }] }, backOffice);
    expect(response.data?.applyOrderEvents).toEqual([null, null]);
    const codes = Object.fromEntries((response.errors ?? []).map((error) => [error.path?.[1], error.extensions?.code]));
    expect(codes).toEqual({ 0: 'NOT_SUPPORTED', 1: 'NOT_FOUND' });
  });

  // ---- tokens and provider failures --------------------------------------------------------

  it('a token revoked early is refreshed once, and the new one is shared by every gateway instance', async () => {
    await create(oneOff()); // a token is cached
    pei.revokeTokens();
    const before = pei.tokenRequests();
    expect((await create(oneOff(), gateway.url)).status).toBe('CREATED'); // 401 -> one refresh -> retried
    expect((await create(oneOff(), quiet.url)).status).toBe('CREATED'); // the other instance: the stored token
    expect((await ok(quiet.url, GET, { id: (await create(oneOff(), quiet.url)).id })).order.status).toBe('CREATED');
    expect(pei.tokenRequests()).toBe(before + 1);
  });

  it('an unknown client is PROVIDER_UNAVAILABLE, and no secret is told', async () => {
    const misconfigured = await env.startGateway({ pei: { ...pei.config, clientId: 'someone-else', clientSecret: 'wrong-secret-31337' } }, { pollerDisabled: true });
    secrets.push('wrong-secret-31337');
    const response = await call(misconfigured.url, CREATE, { input: oneOff() }, shop);
    expect(response.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it.each(['http500', 'malformed'] as const)('Pei answering %s is PROVIDER_UNAVAILABLE', async (fault) => {
    pei.fault(fault, /^POST \/api\/orders$/);
    const error = await createFails(oneOff());
    expect(error.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('the Pei order as stored keeps no kennitala', async () => {
    const order = await create(oneOff({ pei: { sequenceType: 'FIRST' } }));
    await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    await eventually(async () => (await ok(gateway.url, GET, { id: order.id })).order.status === 'CAPTURED');
    const stored = await env.newStore().orders.get(order.id);
    // The mandate, and the ExpirationDate the order was submitted with (for an order Pei no longer shows).
    expect(stored?.providerData).toEqual({ mandateId: pei.getOrder(order.providerOrderId)!.mandateId, expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(JSON.stringify(stored)).not.toContain(SSN_WITH_ACCESS);
  });
});

describe('what the gateway logs about Pei', () => {
  let env: TestEnvironment;
  const lines: string[] = [];
  afterAll(() => env.close());

  it('holds no kennitala, client secret or access token, even when things fail', async () => {
    env = await startTestEnvironment('memory');
    const gateway = await env.startGateway({}, { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) });
    const pei = env.sandboxes.pei;
    // The merchant's systems (a purchase for a buyer needs orders:manage): every call reaches Pei.
    const merchant = await tokenFor('orders:create orders:manage', 'pei-merchant');
    const pay = (nationalId: string) => ({
      provider: 'PEI',
      currency: 'ISK',
      items: [{ name: 'x', amount: '100' }],
      buyer: { name: 'Jane', nationalId, email: 'jane@example.com' },
      pei: { purchaseForBuyer: true },
    });
    await gql(gateway.url, CREATE, { input: pay(SSN_WITHOUT_ACCESS) }, merchant);
    await gql(gateway.url, CREATE, { input: pay('98765-4321') }, merchant);
    await gql(gateway.url, CREATE, { input: pay(SSN_WITH_ACCESS) }, merchant);
    pei.fault('http500', /^POST \/api\/orders\/pay$/);
    await gql(gateway.url, CREATE, { input: pay(SSN_WITH_ACCESS) }, merchant);
    await postPeiPostback(gateway.url, { orderId: 'forged', purchaseId: 1, mandateId: null });
    // The postback's re-read fails, every retry of it too: logged as a failed webhook, answered 503.
    // Until the read of unknown ids that 'forged' took frees (one interval), a hint for another
    // unknown id is answered 401 unread (security probe 4): sent again, as a provider would.
    pei.faults.inject({ kind: 'status', status: 500, only: /^GET \/api\/orders\/any$/, times: Infinity });
    const deadline = Date.now() + 5000;
    let status = await untilAdmitted(async () => (await postPeiPostback(gateway.url, { orderId: 'any', purchaseId: 1, mandateId: null })).status);
    while (status === 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await untilAdmitted(async () => (await postPeiPostback(gateway.url, { orderId: 'any', purchaseId: 1, mandateId: null })).status);
    }
    expect(status).toBe(503);
    pei.faults.clear();
    await pei.postbacksIdle();

    expect(lines.some((line) => line.includes('"webhook rejected"') && line.includes('PEI'))).toBe(true);
    expect(lines.some((line) => line.includes('"webhook failed"') && line.includes('PEI'))).toBe(true);
    const all = lines.join('\n');
    for (const secret of [SSN_WITH_ACCESS, SSN_WITHOUT_ACCESS, '98765-4321', pei.config.clientSecret, await peiAccessToken(pei)]) {
      expect(all).not.toContain(secret);
    }
  });
});

/**
 * Pei written the other ways the seed allows: DateTimes as its zone-less `2018-07-31 13:33:33.337`,
 * enums as numbers, Orders/Pay answering `{orderId}` alone; and Pei's clock 90 s behind the
 * gateway's, so a buyer can still confirm after the gateway's clock passed the expiry.
 */
describe.each(STORE_KINDS)('Pei in its other wire style, its clock behind ours (%s store)', (kind) => {
  const PEI_LAG_MS = 90_000;
  let env: TestEnvironment;
  let pei: PeiSandbox;
  let quiet: Gateway;
  let shop: string;
  /** The merchant's systems: a purchase for a buyer (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;

  const ok = (query: string, variables: Record<string, unknown>, token = shop) => gqlOk(quiet.url, query, variables, token);
  const create = async (input: Record<string, unknown>, token = shop) => (await ok(CREATE, { input }, token)).createOrder;
  const read = async (id: string) => (await ok(GET, { id })).order;

  beforeAll(async () => {
    env = await startTestEnvironment(kind, {
      // Date.now at each call, so a test that moves the clock moves Pei's too, PEI_LAG_MS behind.
      pei: { dateFormat: 'seed', enumFormat: 'number', payAnswer: 'orderId', now: () => new Date(Date.now() - PEI_LAG_MS) },
    });
    pei = env.sandboxes.pei;
    quiet = await env.startGateway({}, { pollerDisabled: true });
    shop = await tokenFor('orders:create', 'pei-shop');
    merchant = await tokenFor('orders:create orders:manage', 'pei-merchant');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  it("reads the seed's DateTimes and numeric enums: a confirmed order is CAPTURED, listed with its date", async () => {
    const createdFrom = new Date().toISOString().slice(0, 10);
    const order = await create(oneOff());
    const raw = await peiRest(pei, 'GET', `/api/orders/${order.providerOrderId}`);
    expect(raw.body).toMatchObject({ status: 0, sequenceType: 0, expirationDate: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/) });
    await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    const paid = await eventually(async () => {
      const now = await read(order.id);
      return now.status === 'CAPTURED' ? now : undefined;
    });
    expect(paid).toMatchObject({ providerStatus: 'Confirmed', payments: [{ providerReference: String(pei.getOrder(order.providerOrderId)!.purchaseId) }] });
    // Pei's day (its clock runs 90 s behind) and the gateway's, which differ just after midnight UTC.
    const days = [pei.getOrder(order.providerOrderId)!.created.slice(0, 10), createdFrom, new Date().toISOString().slice(0, 10)].sort();
    const listed = await ok(`query L($filter: OrderFilter!) { orders(filter: $filter, first: 100) { nodes { id status createdAt } } }`, { filter: { provider: 'PEI', from: days[0], to: days.at(-1) } }, backOffice);
    expect(listed.orders.nodes).toContainEqual({ id: order.id, status: 'CAPTURED', createdAt: expect.any(String) });
  });

  it('Orders/Pay answering {orderId} alone: the order is read back for its purchase id', async () => {
    const order = await create({
      provider: 'PEI',
      currency: 'ISK',
      items: [{ name: 'Helicopter', amount: '9990' }],
      buyer: { name: 'John Johnson', nationalId: SSN_WITH_ACCESS, email: 'john@example.com' },
      pei: { purchaseForBuyer: true },
    }, merchant);
    expect(order).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', providerReference: String(pei.getOrder(order.providerOrderId)!.purchaseId) }] });
  });

  it("a buyer confirming on Pei after the gateway's clock passed the expiry (within the grace) is CAPTURED; later it is EXPIRED", async () => {
    const expiresAt = Date.now() + 10 * 60_000;
    const edge = await create(oneOff({ expiresAt: new Date(expiresAt).toISOString() }));
    const late = await create(oneOff({ expiresAt: new Date(expiresAt).toISOString() }));
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      // The gateway is 60 s past the expiry; Pei, 90 s behind, still 30 s before it.
      vi.setSystemTime(expiresAt + 60_000);
      expect((await read(edge.id)).status).toBe('CREATED'); // re-read from Pei: Pending, inside the grace
      expect((await buyerOnPei(edge.creation.stopAction.redirectUrl, 'confirm')).status).toBe(303);
      await eventually(async () => (await read(edge.id)).status === 'CAPTURED');

      vi.setSystemTime(expiresAt + EXPIRY_GRACE_MS + 1000);
      expect(await read(late.id)).toMatchObject({ status: 'EXPIRED', events: [{ status: 'CREATED' }, { status: 'EXPIRED', source: 'RECONCILIATION' }] });
      expect((await fetch(`${late.creation.stopAction.redirectUrl}/confirm`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
  });
});
