/**
 * The Intergiro sandbox, driven over real HTTP the way the gateway's adapter drives Intergiro:
 * fetch against its base URL, a node:http receiver for callbacks, jose to check signatures.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  intergiroSandboxThreeDSResult,
  startIntergiroSandbox,
  type IntergiroSandbox,
  type IntergiroSandboxError,
  type IntergiroSandboxEvent,
  type IntergiroSandboxOrder,
  type IntergiroSandboxStatus,
} from '../../src/sandboxes/intergiro/index.js';

const API_KEY = 'sk_test_intergiro_sandbox';
const SECRET = 'intergiro-callback-secret';
const secretKey = new TextEncoder().encode(SECRET);
const ORDER_ID = /^[A-Za-z0-9]{16}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BROWSER = { colorDepth: 24, java: false, locale: 'en-GB', timezone: -60, resolution: [1920, 1080] };

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  /** Accept header; JSON unless told. */
  accept?: string;
  /** Authorization header value; the right key unless told, null for none. */
  auth?: string | null;
  contentType?: string;
  redirect?: 'manual' | 'follow';
}

interface CallResult {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
  location: string | null;
}

async function call(sandbox: IntergiroSandbox, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const auth = options.auth === undefined ? `Bearer ${API_KEY}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(sandbox.url + path, { method, headers, body, redirect: options.redirect ?? 'follow' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    body: parsed,
    location: response.headers.get('location'),
  };
}

function postForm(sandbox: IntergiroSandbox, path: string, form: Record<string, string> = {}): Promise<Response> {
  return fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

async function createOrder(sandbox: IntergiroSandbox, body: Record<string, unknown>): Promise<IntergiroSandboxOrder> {
  const response = await call(sandbox, 'POST', '/v1/order', { body });
  expect(response.status, response.text).toBe(201);
  return response.body as IntergiroSandboxOrder;
}

async function patch(sandbox: IntergiroSandbox, body: unknown): Promise<CallResult> {
  return call(sandbox, 'PATCH', '/v1/order', { body });
}

function cardOrder(card: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    number: 'shop-1001',
    items: 398,
    currency: 'SEK',
    payment: { type: 'card', card, client: { browser: BROWSER } },
    ...extra,
  };
}

function eventTypes(order: IntergiroSandboxOrder | undefined): string[] {
  return (order?.event ?? []).map((event) => event.type);
}

function errorOf(result: CallResult): IntergiroSandboxError {
  return result.body as IntergiroSandboxError;
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface VerificationDetails {
  visible: boolean;
  method: string;
  url: string;
  data: { type: 'method' | 'challenge'; threeDSServerTransID: string; messageVersion: string };
}

function verificationOf(result: CallResult): { id: string; details: VerificationDetails } {
  const error = errorOf(result);
  expect(result.status).toBe(400);
  expect(error.error).toBe('verification required');
  if (error.id === undefined) throw new Error('verification error without id');
  return { id: error.id, details: error.content?.details as VerificationDetails };
}

/** The order creatable resubmitted under the order's id with the ACS's answer for `step`. */
function resubmission(
  first: Record<string, unknown>,
  id: string,
  step: VerificationDetails['data'],
  transStatus: 'Y' | 'N' = 'Y',
): Record<string, unknown> {
  const payment = first.payment as Record<string, unknown>;
  return {
    ...first,
    id,
    payment: { ...payment, verification: { type: step.type, data: intergiroSandboxThreeDSResult(step, transStatus) } },
  };
}

interface Received {
  contentType: string | undefined;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Statuses to answer with, in order; 200 once used up. */
  answers: number[];
  delayMs: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], answers: [], delayMs: 0, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.received.push({ contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const status = receiver.answers.shift() ?? 200;
      setTimeout(() => res.writeHead(status).end(), receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/intergiro`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

function statusesOf(tokens: string[]): IntergiroSandboxStatus[] {
  return tokens.map((token) => decodeJwt(token).status as IntergiroSandboxStatus);
}

function callbacksFor(sandbox: IntergiroSandbox, orderId: string) {
  return sandbox.sentCallbacks().filter((attempt) => attempt.orderId === orderId);
}

// ---------------------------------------------------------------------------------------------
// one HS256 sandbox for most scenarios
// ---------------------------------------------------------------------------------------------

let sandbox: IntergiroSandbox;
let receiver: Receiver;

beforeAll(async () => {
  sandbox = await startIntergiroSandbox({
    apiKey: API_KEY,
    signing: { alg: 'HS256', secret: SECRET },
    pendingSettleMs: 100,
    callbackRetryDelaysMs: [20, 40],
  });
  receiver = await startReceiver();
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('authentication', () => {
  it('answers 401 "not authorized" without the API key or with another one', async () => {
    const missing = await call(sandbox, 'POST', '/v1/order', { body: cardOrder('tok_visa'), auth: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ status: 401, type: 'not authorized' });

    const wrong = await call(sandbox, 'GET', '/v1/order', { auth: 'Bearer sk_live_somebody_else' });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).type).toBe('not authorized');
  });

  it('answers 404 gracely "not found" for an unknown order or endpoint', async () => {
    const unknown = await call(sandbox, 'GET', '/v1/order/AAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, type: 'not found' });
    expect((await call(sandbox, 'GET', '/v1/nothing')).status).toBe(404);
  });
});

describe('creating a card order', () => {
  it('an ordinary token is authorized: ordered, event "order", a card payment with an acquirer reference', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_visa_plain', { meta: { cart: 7 } }));
    expect(order.id).toMatch(ORDER_ID);
    expect(order.created).toMatch(ISO_DATE_TIME);
    expect(order).toMatchObject({ number: 'shop-1001', items: 398, currency: 'SEK', status: 'ordered', meta: { cart: 7 } });
    expect(eventTypes(order)).toEqual(['order']);
    expect(order.event[0]?.date).toMatch(ISO_DATE_TIME);
    expect(order.payment).toEqual({
      type: 'card',
      created: order.created,
      amount: 398,
      currency: 'SEK',
      status: 'ordered',
      reference: expect.stringMatching(/^VIS\d{10}$/),
      service: 'intergiro',
      scheme: 'visa',
      iin: '411111',
      last4: '1111',
      expires: [12, 30],
    });
    expect(sandbox.getOrder(order.id)).toEqual(order);
  });

  it('answers the Order as a signed JWT unless Accept includes application/json (create and GET)', async () => {
    const created = await call(sandbox, 'POST', '/v1/order', { body: cardOrder('tok_mastercard'), accept: '*/*' });
    expect(created.status).toBe(201);
    expect(created.contentType).toBe('application/jwt');
    const { payload, protectedHeader } = await jwtVerify(created.text, secretKey, { algorithms: ['HS256'] });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ status: 'ordered', currency: 'SEK', payment: { scheme: 'mastercard', last4: '4444' } });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
    const id = payload.id as string;

    const asJwt = await call(sandbox, 'GET', `/v1/order/${id}`, { accept: 'text/html' });
    expect(asJwt.contentType).toBe('application/jwt');
    expect(decodeJwt(asJwt.text).id).toBe(id);

    const asJson = await call(sandbox, 'GET', `/v1/order/${id}`, { accept: 'application/json, text/plain' });
    expect(asJson.status).toBe(200);
    expect(asJson.contentType).toContain('application/json');
    expect(asJson.body).toEqual(sandbox.getOrder(id));
  });

  it('with "charge": "auto" the order is charged at once (events order, charge)', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_visa', { charge: 'auto' }));
    expect(order.status).toBe('charged');
    expect(order.charge).toBe('auto');
    expect(eventTypes(order)).toEqual(['order', 'charge']);
    expect(order.event[1]).toMatchObject({ type: 'charge', items: 398 });
    expect(order.payment.status).toBe('charged');
  });

  it('adds item lines in minor units: no float drift, vat per unit, currency exponents', async () => {
    const drift = await createOrder(sandbox, {
      items: [
        { name: 'Pen', price: 0.1, quantity: 1 },
        { name: 'Ink', price: 0.2, quantity: 1 },
      ],
      currency: 'EUR',
      payment: { type: 'card', card: 'tok_visa' },
    });
    expect(drift.payment.amount).toBe(0.3);

    // 1.15 * 100 is 114.99999999999999 in floating point: it must still count as 115 cents.
    const awkward = await createOrder(sandbox, {
      items: [
        { name: 'Stamp', price: 1.15, quantity: 2 },
        { name: 'Card', price: 0.29, quantity: 1 },
      ],
      currency: 'EUR',
      payment: { type: 'card', card: 'tok_visa' },
    });
    expect(awkward.payment.amount).toBe(2.59);

    const withVat = await createOrder(sandbox, {
      items: { name: 'Shirt', price: 10, vat: 2.5, quantity: 3, unit: 'pcs' },
      currency: 'EUR',
      payment: { type: 'card', card: 'tok_visa' },
    });
    expect(withVat.payment.amount).toBe(37.5);
    expect(withVat.items).toEqual({ name: 'Shirt', price: 10, vat: 2.5, quantity: 3, unit: 'pcs' });

    const krona = await createOrder(sandbox, { items: 4990, currency: 'ISK', payment: { type: 'card', card: 'tok_visa' } });
    expect(krona.payment.amount).toBe(4990);
    const dinar = await createOrder(sandbox, { items: 1.234, currency: 'KWD', payment: { type: 'card', card: 'tok_visa' } });
    expect(dinar.payment.amount).toBe(1.234);
  });

  it.each([
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['no currency', { currency: undefined }, 'currency'],
    ['a zero amount', { items: 0 }, 'items'],
    ['a negative amount', { items: -5 }, 'items'],
    ['more decimals than EUR has', { items: 1.005, currency: 'EUR' }, 'items'],
    ['decimals in ISK', { items: 10.5, currency: 'ISK' }, 'items'],
    ['an empty item list', { items: [] }, 'items'],
    ['an item price that is a string', { items: [{ name: 'x', price: '1', quantity: 1 }] }, 'items[0].price'],
    ['an item without quantity', { items: [{ name: 'x', price: 1 }] }, 'items[0].quantity'],
    ['no payment', { payment: undefined }, 'payment'],
    ['an unknown payment type', { payment: { type: 'bitcoin' } }, 'payment.type'],
    ['a card payment without token', { payment: { type: 'card', card: '' } }, 'payment.card'],
    ['a relative callback', { callback: '/callbacks' }, 'callback'],
    ['a non-http callback', { callback: 'ftp://shop.example/cb' }, 'callback'],
    ['a charge other than auto', { charge: 'later' }, 'charge'],
    ['a numeric order number', { number: 1001 }, 'number'],
    [
      'a subsequent payment with a bad initiator',
      { customer: 'cus_sandbox_1', payment: { type: 'card', card: 'tok', subsequent: { reference: 'MCA1', initiator: 'robot' } } },
      'payment.subsequent',
    ],
    ['a defer payment without method link', { payment: { type: 'defer', method: 'email' } }, 'payment.method'],
  ])('rejects %s with 400 malformed content naming %s', async (_name, change, property) => {
    const response = await call(sandbox, 'POST', '/v1/order', { body: { ...cardOrder('tok_visa'), ...change } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 400, type: 'malformed content', content: { property } });
  });

  it('rejects a body that is not JSON', async () => {
    const response = await call(sandbox, 'POST', '/v1/order', { rawBody: '{"items": 1,' });
    expect(response.status).toBe(400);
    expect(errorOf(response).content?.property).toBe('body');
  });
});

describe('3-D Secure', () => {
  it('a "3ds" token needs one visible challenge, and the resubmission under the same id authorizes it', async () => {
    const first = cardOrder('tok_3ds_visa', { callback: receiver.url });
    const challenged = await call(sandbox, 'POST', '/v1/order', { body: first });
    const { id, details } = verificationOf(challenged);
    expect(id).toMatch(ORDER_ID);
    expect(challenged.body).toEqual({
      status: 400,
      type: 'malformed content',
      error: 'verification required',
      id,
      content: {
        property: 'card',
        type: 'Card.Creatable | Card.Token',
        description: 'verification required',
        details: {
          visible: true,
          method: 'POST',
          url: `${sandbox.url}/acs/${id}`,
          data: expect.objectContaining({
            type: 'challenge',
            threeDSServerTransID: details.data.threeDSServerTransID,
            messageVersion: '2.2.0',
          }),
        },
      },
    });
    // Waiting for 3DS the order exists as `created`, without events and without a callback.
    expect(sandbox.getOrder(id)).toMatchObject({ status: 'created', event: [] });
    expect(callbacksFor(sandbox, id)).toEqual([]);

    // The ACS page a person sees, and the string its Authenticate button produces.
    const acs = await fetch(details.url);
    const acsHtml = await acs.text();
    expect(acs.status).toBe(200);
    expect(acsHtml).toContain('Authenticate');
    expect(acsHtml).toContain('Reject');
    const authenticated = await (await postForm(sandbox, `/acs/${id}/authenticate`)).text();
    const expected = intergiroSandboxThreeDSResult(details.data, 'Y');
    expect(authenticated).toContain(expected);
    // The person reading it uses the gateway: it names the gateway's mutation, not Intergiro's wire fields.
    expect(authenticated).toMatch(/continueOrderCreation\(input: \{ orderId: "&lt;the gateway's order id&gt;",\s+threeDS: \{ type: "challenge"/);
    expect(authenticated).not.toContain('payment.verification');

    const completed = await call(sandbox, 'POST', '/v1/order', { body: resubmission(first, id, details.data) });
    expect(completed.status).toBe(201);
    const order = completed.body as IntergiroSandboxOrder;
    expect(order.id).toBe(id);
    expect(order.status).toBe('ordered');
    expect(eventTypes(order)).toEqual(['order']);
    expect(order.payment).toMatchObject({ type: 'card', status: 'ordered', reference: expect.stringMatching(/^VIS\d{10}$/) });

    await sandbox.callbacksIdle();
    expect(statusesOf(callbacksFor(sandbox, id).map((attempt) => attempt.body))).toEqual(['ordered']);

    const again = await call(sandbox, 'POST', '/v1/order', { body: resubmission(first, id, details.data) });
    expect(again.status).toBe(400);
    expect(errorOf(again).content?.property).toBe('id');
  });

  it('a "3ds2" token needs a hidden method step, then a visible challenge, all under one id', async () => {
    const first = cardOrder('tok_3ds2_visa', { charge: 'auto' });
    const method = verificationOf(await call(sandbox, 'POST', '/v1/order', { body: first }));
    expect(method.details.visible).toBe(false);
    expect(method.details.data.type).toBe('method');
    expect(method.details.url).toBe(`${sandbox.url}/acs/${method.id}`);

    // The method step needs nobody: the ACS page answers with the result at once.
    const methodPage = await (await fetch(method.details.url, { method: 'POST' })).text();
    expect(methodPage).toContain(intergiroSandboxThreeDSResult(method.details.data));

    const challenge = verificationOf(
      await call(sandbox, 'POST', '/v1/order', { body: resubmission(first, method.id, method.details.data) }),
    );
    expect(challenge.id).toBe(method.id);
    expect(challenge.details.visible).toBe(true);
    expect(challenge.details.data.type).toBe('challenge');
    expect(challenge.details.data.threeDSServerTransID).toBe(method.details.data.threeDSServerTransID);

    const completed = await call(sandbox, 'POST', '/v1/order', {
      body: resubmission(first, challenge.id, challenge.details.data),
    });
    expect(completed.status).toBe(201);
    const order = completed.body as IntergiroSandboxOrder;
    expect(order.id).toBe(method.id);
    expect(order.status).toBe('charged');
    expect(eventTypes(order)).toEqual(['order', 'charge']);
  });

  it('a challenge answered "N" denies the order', async () => {
    const first = cardOrder('tok_3ds');
    const challenge = verificationOf(await call(sandbox, 'POST', '/v1/order', { body: first }));
    const rejected = await (await postForm(sandbox, `/acs/${challenge.id}/reject`)).text();
    expect(rejected).toContain(intergiroSandboxThreeDSResult(challenge.details.data, 'N'));

    const completed = await call(sandbox, 'POST', '/v1/order', {
      body: resubmission(first, challenge.id, challenge.details.data, 'N'),
    });
    expect(completed.status).toBe(201);
    expect(completed.body).toMatchObject({ id: challenge.id, status: 'denied', event: [{ type: 'deny' }] });
  });

  it('refuses an unknown id, a result of another transaction or step, and a changed amount', async () => {
    const first = cardOrder('tok_3ds2');
    const method = verificationOf(await call(sandbox, 'POST', '/v1/order', { body: first }));
    const other = verificationOf(await call(sandbox, 'POST', '/v1/order', { body: cardOrder('tok_3ds') }));

    const propertyOf = async (body: Record<string, unknown>): Promise<string | undefined> => {
      const response = await call(sandbox, 'POST', '/v1/order', { body });
      expect(response.status).toBe(400);
      expect(errorOf(response).type).toBe('malformed content');
      return errorOf(response).content?.property;
    };

    expect(await propertyOf(resubmission(first, 'AAAAAAAAAAAAAAAA', method.details.data))).toBe('id');
    expect(await propertyOf(resubmission(first, method.id, { ...method.details.data, threeDSServerTransID: other.details.data.threeDSServerTransID }))).toBe('verification');
    expect(await propertyOf(resubmission(first, method.id, { ...method.details.data, type: 'challenge' }))).toBe('verification');
    const garbage = { ...first, id: method.id, payment: { type: 'card', card: 'tok_3ds2', verification: { type: 'method', data: 'bm90IGpzb24' } } };
    expect(await propertyOf(garbage)).toBe('verification');
    const noId = { ...resubmission(first, method.id, method.details.data), id: undefined };
    expect(await propertyOf(noId)).toBe('id');
    expect(await propertyOf({ ...resubmission(first, method.id, method.details.data), items: 399 })).toBe('items');

    // None of that moved the order on: the right answer still works, and without a verification
    // the sandbox repeats the current step.
    const repeated = verificationOf(await call(sandbox, 'POST', '/v1/order', { body: { ...first, id: method.id } }));
    expect(repeated.details.data).toEqual(method.details.data);
    const challenge = verificationOf(
      await call(sandbox, 'POST', '/v1/order', { body: resubmission(first, method.id, method.details.data) }),
    );
    expect(challenge.details.data.type).toBe('challenge');
  });

  it('intergiroSandboxThreeDSResult is base64url JSON of what the ACS answers', () => {
    const challenge = intergiroSandboxThreeDSResult({ type: 'challenge', threeDSServerTransID: 'abc' }, 'N');
    expect(JSON.parse(Buffer.from(challenge, 'base64url').toString('utf8'))).toEqual({ threeDSServerTransID: 'abc', transStatus: 'N' });
    const method = intergiroSandboxThreeDSResult({ type: 'method', threeDSServerTransID: 'abc' });
    expect(JSON.parse(Buffer.from(method, 'base64url').toString('utf8'))).toEqual({ threeDSServerTransID: 'abc' });
  });
});

describe('card outcomes', () => {
  it('a "deny" token is declined: denied, event "deny", a fresh acquirer reference each time', async () => {
    const one = await createOrder(sandbox, cardOrder('tok_deny'));
    const two = await createOrder(sandbox, cardOrder('tok_deny'));
    expect(one.status).toBe('denied');
    expect(eventTypes(one)).toEqual(['deny']);
    expect(one.payment).toMatchObject({ status: 'denied', reference: expect.stringMatching(/^VIS\d{10}$/) });
    expect(one.payment.type === 'card' && two.payment.type === 'card' && one.payment.reference !== two.payment.reference).toBe(true);
  });

  it('a "pending" token stays pending, then settles to charged, with a callback for each change', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_pending', { charge: 'auto', callback: receiver.url }));
    expect(order.status).toBe('pending');
    expect(eventTypes(order)).toEqual(['pend']);

    const settled = await waitFor(() => sandbox.getOrder(order.id)?.status === 'charged' && sandbox.getOrder(order.id));
    expect(eventTypes(settled)).toEqual(['pend', 'order', 'charge']);
    await sandbox.callbacksIdle();
    const bodies = callbacksFor(sandbox, order.id).map((attempt) => attempt.body);
    expect(statusesOf(bodies)).toEqual(['pending', 'charged']);
    const delivered = receiver.received.filter((r) => decodeJwt(r.body).id === order.id);
    expect(delivered.map((r) => r.body)).toEqual(bodies);
    for (const body of bodies) await jwtVerify(body, secretKey, { algorithms: ['HS256'] });
  });

  it('a pending order cancelled before it settles stays cancelled', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_pending'));
    const cancelled = await patch(sandbox, [{ id: order.id, event: [{ type: 'cancel' }] }]);
    expect(cancelled.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sandbox.getOrder(order.id)?.status).toBe('cancelled');
    expect(eventTypes(sandbox.getOrder(order.id))).toEqual(['pend', 'cancel']);
  });
});

describe('customer payments and saved cards', () => {
  it('a merchant-initiated order for a known customer is authorized without the buyer, paid by the saved card', async () => {
    const ordered = await createOrder(sandbox, {
      number: 'sub-7',
      items: 20,
      currency: 'EUR',
      customer: 'TjbHYXXn6yEdhLgS',
      payment: { type: 'customer' },
    });
    expect(ordered).toMatchObject({ customer: 'TjbHYXXn6yEdhLgS', status: 'ordered', payment: { type: 'card', amount: 20, status: 'ordered' } });

    const charged = await createOrder(sandbox, {
      items: 20,
      currency: 'EUR',
      customer: 'cus_sandbox_1',
      payment: { type: 'customer', charge: 'auto', schedule: [1, 15] },
    });
    expect(charged.status).toBe('charged');
    expect(eventTypes(charged)).toEqual(['order', 'charge']);
  });

  it('refuses a customer payment for an unknown or missing customer, naming "customer"', async () => {
    for (const customer of ['cus_nobody', undefined]) {
      const response = await call(sandbox, 'POST', '/v1/order', {
        body: { items: 20, currency: 'EUR', customer, payment: { type: 'customer' } },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ type: 'malformed content', content: { property: 'customer' } });
    }
  });

  it('a saved-card (subsequent) card order needs a known customer', async () => {
    const saved = { type: 'card', card: 'tok_saved', subsequent: { reference: 'MCA1400001202', initiator: 'cardholder' } };
    const order = await createOrder(sandbox, { items: 20, currency: 'EUR', customer: 'TjbHYXXn6yEdhLgS', payment: saved });
    expect(order.status).toBe('ordered');
    const unknown = await call(sandbox, 'POST', '/v1/order', {
      body: { items: 20, currency: 'EUR', customer: 'cus_nobody', payment: saved },
    });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).content?.property).toBe('customer');
  });
});

describe('payment links (defer)', () => {
  it('buyer pays on the link page -> 303 to redirectUrl, order charged, signed callback verifiable with the secret', async () => {
    const order = await createOrder(sandbox, {
      number: 'link-1',
      items: 398,
      currency: 'SEK',
      charge: 'auto',
      callback: receiver.url,
      payment: { type: 'defer', method: 'link', cardholderName: 'required', redirectUrl: 'https://shop.example/done?lang=sv' },
    });
    expect(order.status).toBe('deferred');
    expect(eventTypes(order)).toEqual(['defer']);
    expect(order.payment).toEqual({
      type: 'defer',
      method: 'link',
      created: order.created,
      status: 'created',
      service: 'defer',
      amount: 398,
      currency: 'SEK',
      link: `${sandbox.url}/link/${order.id}`,
      redirectUrl: 'https://shop.example/done?lang=sv',
      cardholderName: 'required',
    });

    const page = await fetch(`${sandbox.url}/link/${order.id}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('398.00 SEK');
    expect(html).toContain('name="cardholderName"');
    for (const action of ['pay', 'fail', 'cancel']) expect(html).toContain(`/link/${order.id}/${action}`);

    const nameless = await postForm(sandbox, `/link/${order.id}/pay`);
    expect(nameless.status).toBe(400);
    expect(sandbox.getOrder(order.id)?.status).toBe('deferred');

    const paid = await postForm(sandbox, `/link/${order.id}/pay`, { cardholderName: 'Anna Andersson' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://shop.example/done?lang=sv&order=${order.id}`);
    const after = sandbox.getOrder(order.id);
    expect(after?.status).toBe('charged');
    expect(after?.payment.status).toBe('charged');
    expect(eventTypes(after)).toEqual(['defer', 'order', 'charge']);

    await sandbox.callbacksIdle();
    const delivered = receiver.received.filter((r) => decodeJwt(r.body).id === order.id);
    expect(delivered.map((r) => r.contentType)).toEqual(['application/jwt; charset=utf-8', 'application/jwt; charset=utf-8']);
    const last = delivered.at(-1);
    if (last === undefined) throw new Error('no callback');
    const { payload } = await jwtVerify(last.body, secretKey, { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ id: order.id, status: 'charged', number: 'link-1' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);

    // A second click changes nothing.
    const twice = await postForm(sandbox, `/link/${order.id}/fail`);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('charged');
    expect(sandbox.getOrder(order.id)?.status).toBe('charged');
  });

  it('without redirectUrl the outcome shows a receipt; Fail denies, Cancel cancels, Pay without auto charge orders', async () => {
    const defer = { items: 50, currency: 'EUR', payment: { type: 'defer', method: 'link' } };
    const failed = await createOrder(sandbox, defer);
    const receipt = await postForm(sandbox, `/link/${failed.id}/fail`);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain('denied');
    expect(sandbox.getOrder(failed.id)).toMatchObject({ status: 'denied', payment: { status: 'denied' } });

    const cancelled = await createOrder(sandbox, defer);
    expect(sandbox.payLink(cancelled.id, 'cancel')).toMatchObject({ status: 'cancelled', event: [{ type: 'defer' }, { type: 'cancel' }] });

    const paid = await createOrder(sandbox, defer);
    expect(sandbox.payLink(paid.id, 'pay').status).toBe('ordered');
    expect(sandbox.payLink(paid.id, 'cancel').status).toBe('ordered');
  });
});

describe('changing orders (PATCH /v1/order)', () => {
  it('partial charge once, two partial refunds, and refunds beyond what was charged fail without changing the status', async () => {
    const order = await createOrder(sandbox, { items: 100, currency: 'EUR', payment: { type: 'card', card: 'tok_visa' } });
    const id = order.id;

    const charged = await patch(sandbox, [{ id, event: [{ type: 'charge', items: 60, reference: 'cap-1' }] }]);
    expect(charged.status).toBe(200);
    expect(charged.body).toEqual([{ id, event: [{ type: 'charge', items: 60, reference: 'cap-1', date: expect.stringMatching(ISO_DATE_TIME) }] }]);
    expect(sandbox.getOrder(id)?.status).toBe('charged');

    const chargeAgain = await patch(sandbox, [{ id, event: [{ type: 'charge', items: 40 }] }]);
    expect(chargeAgain.body).toEqual([
      {
        id,
        event: [
          {
            type: 'fail',
            original: 'charge',
            error: expect.objectContaining({ status: 409, type: 'not allowed' }),
            date: expect.stringMatching(ISO_DATE_TIME),
          },
        ],
      },
    ]);
    expect(sandbox.getOrder(id)?.status).toBe('charged');

    const refunds = await patch(sandbox, [
      {
        id,
        event: [
          { type: 'refund', items: 20 },
          { type: 'refund', items: [{ name: 'Socks', price: 10, quantity: 3 }] },
          { type: 'refund', items: 20 },
          { type: 'refund' },
        ],
      },
    ]);
    const echoed = (refunds.body as { id: string; event: IntergiroSandboxEvent[] }[])[0]?.event ?? [];
    expect(echoed.map((event) => event.type)).toEqual(['refund', 'refund', 'fail', 'refund']);
    expect(echoed[2]).toMatchObject({
      type: 'fail',
      original: 'refund',
      error: { status: 400, type: 'malformed content', content: { property: 'items' } },
    });
    expect(echoed[3]).toEqual({ type: 'refund', date: expect.stringMatching(ISO_DATE_TIME) });

    const final = sandbox.getOrder(id);
    expect(final?.status).toBe('refunded');
    expect(eventTypes(final)).toEqual(['order', 'charge', 'fail', 'refund', 'refund', 'fail', 'refund']);
    // The bare refund took what was left: 60 - 20 - 30 = 10.
    expect(final?.event.at(-1)).toMatchObject({ type: 'refund', items: 10 });

    const nothingLeft = await patch(sandbox, [{ id, event: [{ type: 'refund', items: 0.01 }] }]);
    expect(nothingLeft.body).toMatchObject([{ id, event: [{ type: 'fail', original: 'refund' }] }]);
  });

  it('refunds 0.1 then 0.2 of a 0.30 charge exactly (minor units inside)', async () => {
    const order = await createOrder(sandbox, { items: 0.3, currency: 'EUR', charge: 'auto', payment: { type: 'card', card: 'tok_visa' } });
    const response = await patch(sandbox, [{ id: order.id, event: [{ type: 'refund', items: 0.1 }, { type: 'refund', items: 0.2 }] }]);
    expect((response.body as { event: IntergiroSandboxEvent[] }[])[0]?.event.map((event) => event.type)).toEqual(['refund', 'refund']);
    expect(sandbox.getOrder(order.id)?.status).toBe('refunded');
  });

  it('one bad element never fails the others: unknown order, not-allowed cancel, and a good cancel side by side', async () => {
    const ordered = await createOrder(sandbox, cardOrder('tok_visa'));
    const charged = await createOrder(sandbox, cardOrder('tok_visa', { charge: 'auto' }));
    const response = await patch(sandbox, [
      { id: 'ZZZZZZZZZZZZZZZZ', event: [{ type: 'charge' }, { type: 'refund' }] },
      { id: ordered.id, event: [{ type: 'cancel' }] },
      { id: charged.id, event: [{ type: 'cancel' }, { type: 'settle' }, { type: 'charge', items: 500 }] },
    ]);
    expect(response.status).toBe(200);
    const [unknown, good, bad] = response.body as { id: string; event: IntergiroSandboxEvent[] }[];
    expect(unknown).toMatchObject({
      id: 'ZZZZZZZZZZZZZZZZ',
      event: [
        { type: 'fail', original: 'charge', error: { status: 404, type: 'not found' } },
        { type: 'fail', original: 'refund', error: { status: 404, type: 'not found' } },
      ],
    });
    expect(good).toEqual({ id: ordered.id, event: [{ type: 'cancel', date: expect.stringMatching(ISO_DATE_TIME) }] });
    expect(bad?.event).toMatchObject([
      { type: 'fail', original: 'cancel', error: { status: 409, type: 'not allowed' } },
      { type: 'fail', original: 'settle', error: { status: 400, content: { property: 'type' } } },
      { type: 'fail', original: 'charge', error: { status: 409 } },
    ]);
    expect(sandbox.getOrder(ordered.id)?.status).toBe('cancelled');
    expect(sandbox.getOrder(charged.id)?.status).toBe('charged');
    expect(eventTypes(sandbox.getOrder(charged.id))).toEqual(['order', 'charge', 'fail', 'fail', 'fail']);
  });

  it('a charge above the authorized amount fails; a deferred order can be cancelled', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_visa'));
    const over = await patch(sandbox, [{ id: order.id, event: [{ type: 'charge', items: 398.01 }] }]);
    expect(over.body).toMatchObject([{ event: [{ type: 'fail', error: { status: 400, content: { property: 'items' } } }] }]);
    expect(sandbox.getOrder(order.id)?.status).toBe('ordered');

    const link = await createOrder(sandbox, { items: 5, currency: 'EUR', payment: { type: 'defer', method: 'link' } });
    await patch(sandbox, [{ id: link.id, event: [{ type: 'cancel' }] }]);
    expect(sandbox.getOrder(link.id)?.status).toBe('cancelled');
    expect((await fetch(`${sandbox.url}/link/${link.id}`).then((r) => r.text()))).toContain('no longer open');
  });

  it.each([
    ['an object', { id: 'x', event: [] }],
    ['an element without id', [{ event: [{ type: 'cancel' }] }]],
    ['an element whose event is not an array', [{ id: 'x', event: { type: 'cancel' } }]],
    ['an event without type', [{ id: 'x', event: [{}] }]],
  ])('rejects %s with 400', async (_name, body) => {
    const response = await patch(sandbox, body);
    expect(response.status).toBe(400);
    expect(errorOf(response).type).toBe('malformed content');
  });

  it('every change of an order with a callback is posted, in change order', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
    await patch(sandbox, [{ id: order.id, event: [{ type: 'charge', items: 100 }, { type: 'refund', items: 30 }, { type: 'cancel' }] }]);
    await sandbox.callbacksIdle();
    const delivered = receiver.received.filter((r) => decodeJwt(r.body).id === order.id).map((r) => r.body);
    expect(statusesOf(delivered)).toEqual(['ordered', 'charged', 'refunded', 'refunded']);
    expect(eventTypes(decodeJwt(delivered[3] ?? '') as unknown as IntergiroSandboxOrder).at(-1)).toBe('fail');
  });
});

describe('verify endpoint', () => {
  it('returns the current order for a callback token it signed, and refuses forged or expired ones', async () => {
    const order = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
    await sandbox.callbacksIdle();
    const token = callbacksFor(sandbox, order.id)[0]?.body ?? '';
    await patch(sandbox, [{ id: order.id, event: [{ type: 'charge' }] }]);

    const verify = (body: string, contentType = 'application/jwt', auth?: string | null) =>
      call(sandbox, 'POST', '/v1/worker-order/order/verify', { rawBody: body, contentType, auth });

    const genuine = await verify(token);
    expect(genuine.status).toBe(200);
    expect(genuine.body).toEqual(sandbox.getOrder(order.id));
    expect((genuine.body as IntergiroSandboxOrder).status).toBe('charged');

    const forged = await verify(await sandbox.signOrder(order, { key: 'wrong' }));
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ status: 401, type: 'not authorized' });

    expect((await verify(await sandbox.signOrder(order, { expiresInSec: -60 }))).status).toBe(401);
    expect((await verify('not.a.jwt')).status).toBe(401);
    expect((await verify(token, 'text/plain')).status).toBe(400);
    expect((await verify(token, 'application/jwt', null)).status).toBe(401);
  });
});

describe('callback delivery', () => {
  it('retries a failing receiver per callbackRetryDelaysMs with the very same token', async () => {
    receiver.answers = [500, 503];
    const order = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
    await sandbox.callbacksIdle();
    const attempts = callbacksFor(sandbox, order.id);
    expect(attempts.map((attempt) => attempt.responseStatus)).toEqual([500, 503, 200]);
    expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);
    expect(attempts[0]).toMatchObject({ status: 'ordered', contentType: 'application/jwt; charset=utf-8' });
  });

  it('gives up after the last retry, and records an unreachable receiver as responseStatus null', async () => {
    receiver.answers = [500, 500, 500, 500];
    const failing = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
    await sandbox.callbacksIdle();
    expect(callbacksFor(sandbox, failing.id).map((attempt) => attempt.responseStatus)).toEqual([500, 500, 500]);
    receiver.answers = [];

    const closed = await startReceiver();
    await closed.close();
    const unreachable = await createOrder(sandbox, cardOrder('tok_visa', { callback: closed.url }));
    await sandbox.callbacksIdle();
    expect(callbacksFor(sandbox, unreachable.id).map((attempt) => attempt.responseStatus)).toEqual([null, null, null]);
  });

  it('queues callbacks while paused and sends them in order on resume; a resend is a byte-identical duplicate', async () => {
    sandbox.pauseCallbacks(true);
    const order = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
    await patch(sandbox, [{ id: order.id, event: [{ type: 'charge' }] }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const received = () => receiver.received.filter((r) => decodeJwt(r.body).id === order.id).map((r) => r.body);
    expect(received()).toEqual([]);
    expect(callbacksFor(sandbox, order.id)).toEqual([]);

    sandbox.pauseCallbacks(false);
    await sandbox.callbacksIdle();
    expect(statusesOf(received())).toEqual(['ordered', 'charged']);

    sandbox.resendLastCallback(order.id);
    await sandbox.callbacksIdle();
    const all = received();
    expect(all).toHaveLength(3);
    expect(all[2]).toBe(all[1]);
    expect(() => sandbox.resendLastCallback('AAAAAAAAAAAAAAAA')).toThrow();
  });

  it('delivers one order\'s callbacks one after another even when the receiver is slow', async () => {
    receiver.delayMs = 40;
    try {
      const order = await createOrder(sandbox, cardOrder('tok_visa', { callback: receiver.url }));
      await patch(sandbox, [{ id: order.id, event: [{ type: 'charge', items: 100 }] }]);
      await patch(sandbox, [{ id: order.id, event: [{ type: 'refund', items: 1 }] }]);
      await sandbox.callbacksIdle();
      const bodies = receiver.received.filter((r) => decodeJwt(r.body).id === order.id).map((r) => r.body);
      expect(statusesOf(bodies)).toEqual(['ordered', 'charged', 'refunded']);
    } finally {
      receiver.delayMs = 0;
    }
  });
});

describe('listing orders by date', () => {
  let clock: Date;
  let dated: IntergiroSandbox;
  const ids: string[] = [];

  beforeAll(async () => {
    clock = new Date('2024-01-01T10:00:00.000Z');
    dated = await startIntergiroSandbox({ apiKey: API_KEY, signing: { alg: 'HS256', secret: SECRET }, now: () => clock });
    for (const at of ['2024-01-01T10:00:00.000Z', '2024-01-15T23:59:59.999Z', '2024-02-01T00:00:00.000Z']) {
      clock = new Date(at);
      ids.push((await createOrder(dated, cardOrder('tok_visa'))).id);
    }
  });
  afterAll(() => dated.close());

  const listed = async (query: string): Promise<string[]> => {
    const response = await call(dated, 'GET', `/v1/order${query}`);
    expect(response.status).toBe(200);
    return (response.body as IntergiroSandboxOrder[]).map((order) => order.id);
  };

  it('lists the orders created on the days start..end inclusive (UTC), or all without a query', async () => {
    expect(await listed('?start=2024-01-01&end=2024-01-15')).toEqual([ids[0], ids[1]]);
    expect(await listed('?start=2024-01-16')).toEqual([ids[2]]);
    expect(await listed('?end=2024-01-01')).toEqual([ids[0]]);
    expect(await listed('?start=2024-02-02&end=2024-03-01')).toEqual([]);
    expect(await listed('')).toEqual(ids);
  });

  it('rejects bad dates naming start or end', async () => {
    for (const [query, property] of [
      ['?start=2024-13-01', 'start'],
      ['?start=yesterday', 'start'],
      ['?start=2024-01-01&end=2024-02-30', 'end'],
      ['?start=2024-02-01&end=2024-01-01', 'end'],
    ] as const) {
      const response = await call(dated, 'GET', `/v1/order${query}`);
      expect(response.status).toBe(400);
      expect(errorOf(response).content?.property).toBe(property);
    }
  });
});

describe('RS256 signing', () => {
  let rs: IntergiroSandbox;
  beforeAll(async () => {
    rs = await startIntergiroSandbox({ apiKey: API_KEY, signing: { alg: 'RS256' }, callbackRetryDelaysMs: [] });
  });
  afterAll(() => rs.close());

  it('publishes the public key as a JWKS with a kid, and callbacks verify through it', async () => {
    expect(rs.jwksUrl).toBe(`${rs.url}/.well-known/jwks.json`);
    const jwks = (await (await fetch(rs.jwksUrl ?? '')).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const order = await createOrder(rs, {
      items: 12.5,
      currency: 'EUR',
      callback: receiver.url,
      payment: { type: 'defer', method: 'link', redirectUrl: 'https://shop.example/thanks' },
    });
    const paid = await postForm(rs, `/link/${order.id}/pay`);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://shop.example/thanks?order=${order.id}`);
    await rs.callbacksIdle();

    const last = receiver.received.filter((r) => decodeJwt(r.body).id === order.id).at(-1);
    if (last === undefined) throw new Error('no callback');
    expect(decodeProtectedHeader(last.body)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });
    const keySet = createRemoteJWKSet(new URL(rs.jwksUrl ?? ''));
    const { payload } = await jwtVerify(last.body, keySet);
    expect(payload).toMatchObject({ id: order.id, status: 'ordered' });

    const forged = await rs.signOrder(order, { key: 'wrong' });
    expect(decodeProtectedHeader(forged).kid).toBe(jwks.keys[0]?.kid);
    await expect(jwtVerify(forged, keySet)).rejects.toThrow();

    const verify = (token: string) =>
      call(rs, 'POST', '/v1/worker-order/order/verify', { rawBody: token, contentType: 'application/jwt' });
    expect((await verify(last.body)).status).toBe(200);
    expect((await verify(forged)).status).toBe(401);
  });

  it('an HS256 sandbox has no JWKS', async () => {
    expect(sandbox.jwksUrl).toBeUndefined();
    expect((await fetch(`${sandbox.url}/.well-known/jwks.json`)).status).toBe(404);
  });
});

describe('faults', () => {
  it('http500 answers the next call with a gracely backend failure, then the API is back', async () => {
    sandbox.fault('http500');
    const failed = await call(sandbox, 'POST', '/v1/order', { body: cardOrder('tok_visa') });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: 500, type: 'backend failure' });
    expect((await call(sandbox, 'POST', '/v1/order', { body: cardOrder('tok_visa') })).status).toBe(201);
  });

  it('malformed answers 200 with a truncated JSON body', async () => {
    sandbox.fault('malformed');
    const response = await call(sandbox, 'GET', '/v1/order');
    expect(response.status).toBe(200);
    expect(response.contentType).toContain('application/json');
    expect(() => JSON.parse(response.text)).toThrow();
  });

  it('fault(null) disarms', async () => {
    sandbox.fault('http500');
    sandbox.fault(null);
    expect((await call(sandbox, 'GET', '/v1/order')).status).toBe(200);
  });

  it('timeout hangs the call past the client timeout, and close() does not wait for it', async () => {
    const hanging = await startIntergiroSandbox({ apiKey: API_KEY, signing: { alg: 'HS256', secret: SECRET } });
    hanging.fault('timeout');
    const started = Date.now();
    await expect(
      fetch(`${hanging.url}/v1/order`, { headers: { authorization: `Bearer ${API_KEY}` }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await call(hanging, 'GET', '/v1/order')).status).toBe(200);

    hanging.fault('timeout');
    const pending = fetch(`${hanging.url}/v1/order`, { headers: { authorization: `Bearer ${API_KEY}` } }).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = Date.now();
    await hanging.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
