/**
 * The Pei sandbox, driven over real HTTP the way the gateway's adapter drives Pei: the token
 * endpoint, the REST API, the checkout page a buyer clicks through, and a node:http receiver for
 * postbacks. The sandbox's clock is injected, so expiry is tested without waiting.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPeiSandbox, type PeiSandbox, type PeiSandboxPostback } from '../../src/sandboxes/pei/index.js';
import { buyerOnPei, peiAccessToken, peiRest } from '../support/pei.js';

const SSN_WITH_ACCESS = '0102882849';
const SSN_WITHOUT_ACCESS = '1203894569';
const ORDER_ID = /^[A-Za-z0-9]{32}$/;
const HOUR = 60 * 60 * 1000;

let sandbox: PeiSandbox;
let clock = Date.now();
let receiver: ReturnType<typeof createServer>;
let postbackUrl: string;
const received: PeiSandboxPostback[] = [];
/** How many of the next postbacks the receiver answers 503 (so the sandbox retries). */
let failNext = 0;

beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(text) as PeiSandboxPostback);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  postbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/postback`;
  sandbox = await startPeiSandbox({
    clientId: 'shop-client',
    clientSecret: 'shop-secret',
    merchantId: '4',
    purchaseAccess: [SSN_WITH_ACCESS],
    recurringChargeMs: 50,
    postbackRetryDelaysMs: [20, 20],
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
  failNext = 0;
});

/** The seed's example input, made valid for today (its dates are in 2018) and pointed at the receiver. */
function seedExample(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantId: 4,
    buyer: { name: 'John Johnson', ssn: '0000000009', email: 'example@example.com', mobileNumber: '1234567' },
    amount: 15000,
    reference: 'REF155',
    expirationDate: new Date(clock + HOUR).toISOString(),
    subscriptionOptions: { startDate: '2016-05-12', frequencyInterval: 2, frequency: 'Week', cycles: 5 },
    sequenceType: 'OneOff',
    successReturnUrl: 'http://www.zombo.com/',
    cancelReturnUrl: 'http://www.google.com/',
    postbackUrl,
    items: [{ code: 'SUB555', name: 'TV subscription', quantity: 1, unit: 'stk.', unitPrice: 5000, amount: 5000 }],
    ...overrides,
  };
}

async function submit(body: Record<string, unknown>): Promise<string> {
  const answer = await peiRest(sandbox, 'POST', '/api/orders', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.orderId as string;
}

const checkoutOf = (orderId: string) => `${sandbox.config.checkoutUrl}/${orderId}`;

async function postbackFor(orderId: string): Promise<PeiSandboxPostback> {
  await sandbox.postbacksIdle();
  const found = received.find((postback) => postback.orderId === orderId);
  if (!found) throw new Error(`no postback for ${orderId}`);
  return found;
}

describe('token endpoint (OAuth2 client credentials)', () => {
  it('issues a bearer token to the client authenticated with HTTP Basic', async () => {
    const response = await fetch(sandbox.config.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('shop-client:shop-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=externalapi',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
  });

  it('also takes the client in form fields', async () => {
    const response = await fetch(sandbox.config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=shop-client&client_secret=shop-secret',
    });
    expect(response.status).toBe(200);
  });

  it('refuses a wrong secret (invalid_client) and another grant (unsupported_grant_type)', async () => {
    const wrong = await fetch(sandbox.config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=shop-client&client_secret=nope',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const grant = await fetch(sandbox.config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=shop-client&client_secret=shop-secret',
    });
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('counts token requests, and a revoked token is refused with 401 and WWW-Authenticate', async () => {
    const before = sandbox.tokenRequests();
    const token = await peiAccessToken(sandbox);
    expect(sandbox.tokenRequests()).toBe(before + 1);
    expect((await peiRest(sandbox, 'GET', '/api/orders/unknown', undefined, token)).status).toBe(404);
    sandbox.revokeTokens();
    const refused = await peiRest(sandbox, 'GET', '/api/orders/unknown', undefined, token);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ message: 'Authorization has been denied for this request.' });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await peiRest(sandbox, 'GET', '/api/orders/unknown', undefined, null)).status).toBe(401);
  });

  it('a token expires after expires_in', async () => {
    const token = await peiAccessToken(sandbox);
    clock += 3601 * 1000;
    try {
      expect((await peiRest(sandbox, 'GET', '/api/orders/unknown', undefined, token)).status).toBe(401);
    } finally {
      clock -= 3601 * 1000;
    }
  });
});

describe('submit order (POST /api/orders)', () => {
  it("takes the seed's example and answers {orderId}; GET answers it back with its status", async () => {
    const orderId = await submit(seedExample());
    expect(orderId).toMatch(ORDER_ID);
    const order = (await peiRest(sandbox, 'GET', `/api/orders/${orderId}`)).body;
    expect(order).toMatchObject({
      orderId,
      merchantId: 4,
      amount: 15000,
      reference: 'REF155',
      status: 'Pending',
      sequenceType: 'OneOff',
      mandateId: null,
      purchaseId: null,
      postbackUrl,
      buyer: { name: 'John Johnson', ssn: '0000000009', email: 'example@example.com', mobileNumber: '1234567' },
      items: [{ code: 'SUB555', name: 'TV subscription', quantity: 1, unit: 'stk.', unitPrice: 5000, amount: 5000, groupName: null }],
      subscriptionOptions: { startDate: '2016-05-12', frequencyInterval: 2, frequency: 'Week', cycles: 5 },
    });
  });

  it('binds property names whatever their letter case, and SequenceType from its number', async () => {
    const orderId = await submit({
      MerchantId: 4,
      Amount: 990,
      SequenceType: 1,
      Buyer: {},
      Items: [{ Name: 'Helicopter', Amount: 990 }],
    });
    const order = sandbox.getOrder(orderId);
    expect(order).toMatchObject({ amount: 990, sequenceType: 'First', items: [{ name: 'Helicopter', amount: 990 }] });
  });

  it('defaults ExpirationDate to one day ahead', async () => {
    const body = seedExample();
    delete body.expirationDate;
    const order = sandbox.getOrder(await submit(body));
    expect(Date.parse(order!.expirationDate) - clock).toBe(24 * HOUR);
  });

  it('reports every missing required field at once, in the Web API error shape', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders', {});
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('The request is invalid.');
    expect(Object.keys(answer.body.modelState).sort()).toEqual(['order.amount', 'order.buyer', 'order.items', 'order.merchantId', 'order.sequenceType']);
  });

  it.each([
    ['a mandateId on a OneOff order', { mandateId: 'abc' }, 'order.mandateId'],
    ['a Recurring order without mandateId', { sequenceType: 'Recurring' }, 'order.mandateId'],
    ['an item without a name', { items: [{ amount: 5 }] }, 'order.items[0].name'],
    ['a decimal ISK amount', { amount: 9990.5 }, 'order.amount'],
    ['an expiration date in the past', { expirationDate: new Date(Date.now() - HOUR).toISOString() }, 'order.expirationDate'],
    ['a relative postback URL', { postbackUrl: '/confirm' }, 'order.postbackUrl'],
    ['a subscription without frequency', { subscriptionOptions: { startDate: '28.6.2015', frequencyInterval: 1, cycles: '7' } }, 'order.subscriptionOptions.frequency'],
    [
      'two default-selected items in one group',
      {
        items: [
          { name: 'Small', amount: 100, groupName: 'Size', isDefaultSelected: true },
          { name: 'Large', amount: 200, groupName: 'Size', isDefaultSelected: true },
        ],
      },
      'order.items[1].isDefaultSelected',
    ],
  ])('refuses %s', async (_case, overrides, key) => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders', seedExample(overrides));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.modelState)).toEqual([key]);
  });

  it('refuses a malformed kennitala without repeating it', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders', seedExample({ buyer: { ssn: '12345-678' } }));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.modelState)).toEqual(['order.buyer.ssn']);
    expect(JSON.stringify(answer.body)).not.toContain('12345-678');
  });

  it("one default-selected item per group is fine, and optional items don't count", async () => {
    await submit(
      seedExample({
        items: [
          { name: 'Small', amount: 100, groupName: 'Size', isDefaultSelected: true },
          { name: 'Large', amount: 200, groupName: 'Size' },
          { name: 'Gift wrap', amount: 50, isOptional: true, isDefaultSelected: true },
          { name: 'Card', amount: 10, isOptional: true, isDefaultSelected: true },
        ],
      }),
    );
  });

  it("another merchant's id is 403, another merchant's order 404", async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders', seedExample({ merchantId: 5 }));
    expect(answer.status).toBe(403);
    expect((await peiRest(sandbox, 'GET', '/api/orders/NoSuchOrder')).status).toBe(404);
  });

  it('answers a 500 and a malformed body when a fault is armed, then works again', async () => {
    sandbox.fault('http500');
    expect((await peiRest(sandbox, 'GET', '/api/orders/x')).status).toBe(500);
    sandbox.fault('malformed');
    const response = await fetch(`${sandbox.url}/api/orders/x`, { headers: { authorization: `Bearer ${await peiAccessToken(sandbox)}` } });
    expect(await response.text()).toBe('{"orderId":"sandboxfault');
    expect((await peiRest(sandbox, 'GET', '/api/orders/x')).status).toBe(404);
  });
});

describe('the answer lost after the request was carried out', () => {
  it('"lost" carries the submit out, then drops the connection without an answer', async () => {
    const token = await peiAccessToken(sandbox);
    const reference = `LOST-${clock}`;
    sandbox.fault('lost');
    await expect(
      fetch(`${sandbox.url}/api/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(seedExample({ reference })),
      }),
    ).rejects.toThrow();
    const day = new Date(clock).toISOString().slice(0, 10);
    const listed = (await peiRest(sandbox, 'GET', `/api/orders?merchantId=4&date=${day}`)).body as { reference: string }[];
    expect(listed.filter((order) => order.reference === reference)).toHaveLength(1);
  });
});

describe("the seed's zone-less DateTime", () => {
  it('an ExpirationDate without a zone is Icelandic time, i.e. UTC', async () => {
    const at = new Date(clock + 2 * HOUR);
    const seedFormat = at.toISOString().replace('T', ' ').replace('Z', '');
    const order = sandbox.getOrder(await submit(seedExample({ expirationDate: seedFormat })));
    expect(order?.expirationDate).toBe(at.toISOString());
  });
});

describe('the wire style options', () => {
  it('dateFormat "seed", enumFormat "number" and payAnswer "orderId" write orders and Orders/Pay that way', async () => {
    const styled = await startPeiSandbox({ dateFormat: 'seed', enumFormat: 'number', payAnswer: 'orderId', now: () => new Date(clock) });
    try {
      const submitted = await peiRest(styled, 'POST', '/api/orders', seedExample({ sequenceType: 'First' }));
      const orderId = submitted.body.orderId as string;
      const read = (await peiRest(styled, 'GET', `/api/orders/${orderId}`)).body;
      expect(read).toMatchObject({ status: 0, sequenceType: 1, created: new Date(clock).toISOString().replace('T', ' ').replace('Z', ''), confirmed: null });
      expect(read.expirationDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      const paid = await peiRest(styled, 'POST', '/api/orders/pay', {
        merchantId: 4,
        amount: 100,
        buyer: { name: 'Jón', ssn: SSN_WITH_ACCESS, email: 'jon@example.com' },
        items: [{ name: 'x', amount: 100 }],
      });
      expect(Object.keys(paid.body)).toEqual(['orderId']);
      expect((await peiRest(styled, 'GET', `/api/orders/${paid.body.orderId}`)).body).toMatchObject({ status: 1, sequenceType: 0, purchaseId: expect.any(Number) });
    } finally {
      await styled.close();
    }
  });
});

describe('checkout page and postback', () => {
  it('the buyer sees the order with the kennitala masked, confirms, is sent to SuccessReturnUrl, and the postback follows', async () => {
    const orderId = await submit(seedExample({ buyer: { name: 'Jón', ssn: '0102882849' } }));
    const page = await (await fetch(checkoutOf(orderId))).text();
    expect(page).toContain('******2849');
    expect(page).not.toContain('0102882849');
    expect(page).toContain('15000 ISK');

    const answer = await buyerOnPei(checkoutOf(orderId), 'confirm');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('http://www.zombo.com/');
    const order = sandbox.getOrder(orderId)!;
    expect(order).toMatchObject({ status: 'Confirmed', purchaseId: expect.any(Number), mandateId: null });
    expect(await postbackFor(orderId)).toEqual({ orderId, purchaseId: order.purchaseId, mandateId: null });
  });

  it('without SuccessReturnUrl the buyer gets a receipt page', async () => {
    const orderId = await submit(seedExample({ successReturnUrl: null }));
    const answer = await buyerOnPei(checkoutOf(orderId), 'confirm');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Confirmed');
  });

  it('retries a postback the receiver did not take', async () => {
    const orderId = await submit(seedExample());
    failNext = 2;
    await buyerOnPei(checkoutOf(orderId), 'confirm');
    await sandbox.postbacksIdle();
    const attempts = sandbox.postbacks().filter((attempt) => attempt.body.orderId === orderId);
    expect(attempts.map((attempt) => attempt.responseStatus)).toEqual([503, 503, 200]);
  });

  it('cancel is offered only with a CancelReturnUrl; it sends the buyer there and posts nothing', async () => {
    const without = await submit(seedExample({ cancelReturnUrl: null }));
    await expect(buyerOnPei(checkoutOf(without), 'cancel')).rejects.toThrow(/no cancel button/);
    const refused = await fetch(`${checkoutOf(without)}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(refused.status).toBe(409);
    expect(sandbox.getOrder(without)?.status).toBe('Pending');

    const orderId = await submit(seedExample());
    const answer = await buyerOnPei(checkoutOf(orderId), 'cancel');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('http://www.google.com/');
    expect(sandbox.getOrder(orderId)?.status).toBe('Cancelled');
    await sandbox.postbacksIdle();
    expect(received.some((postback) => postback.orderId === orderId)).toBe(false);
    // A decided order cannot be decided again.
    expect((await fetch(`${checkoutOf(orderId)}/confirm`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
  });

  it('an order past its ExpirationDate stays Pending in the API and can no longer be confirmed', async () => {
    const orderId = await submit(seedExample({ expirationDate: new Date(clock + 1000).toISOString() }));
    clock += 2000;
    try {
      expect(await (await fetch(checkoutOf(orderId))).text()).toContain('This order has expired.');
      expect((await fetch(`${checkoutOf(orderId)}/confirm`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
      expect((await peiRest(sandbox, 'GET', `/api/orders/${orderId}`)).body.status).toBe('Pending');
    } finally {
      clock -= 2000;
    }
  });
});

describe('recurring orders', () => {
  it('a confirmed First order yields a mandate; a Recurring order on it is charged by itself', async () => {
    const first = await submit(seedExample({ sequenceType: 'First' }));
    await buyerOnPei(checkoutOf(first), 'confirm');
    const mandateId = sandbox.getOrder(first)!.mandateId;
    expect(mandateId).toMatch(ORDER_ID);
    expect((await postbackFor(first)).mandateId).toBe(mandateId);

    const recurring = await submit(seedExample({ sequenceType: 'Recurring', mandateId, amount: 4000 }));
    expect(sandbox.getOrder(recurring)?.status).toBe('Pending');
    // No checkout page for a Recurring order: nobody is asked.
    expect(await (await fetch(checkoutOf(recurring))).text()).toContain('no longer open');
    const postback = await (async () => {
      for (let i = 0; i < 200; i++) {
        await sandbox.postbacksIdle();
        const found = received.find((candidate) => candidate.orderId === recurring);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the recurring order was never charged');
    })();
    expect(postback).toEqual({ orderId: recurring, purchaseId: sandbox.getOrder(recurring)!.purchaseId, mandateId });
    expect(sandbox.getOrder(recurring)?.status).toBe('Confirmed');
  });

  it('a Recurring order on an unknown mandate is refused', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders', seedExample({ sequenceType: 'Recurring', mandateId: 'NoSuchMandate' }));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.modelState)).toEqual(['order.mandateId']);
  });
});

describe('purchase for a buyer (POST /api/orders/pay)', () => {
  const pay = (ssn: string, buyer: Record<string, unknown> = {}) => ({
    merchantId: 4,
    amount: 9990,
    reference: 'REF1566',
    postbackUrl,
    buyer: { name: 'John Johnson', ssn, email: 'someemail@somedomain.com', ...buyer },
    items: [{ name: 'Helicopter', quantity: 3, unitPrice: 3330, amount: 9990 }],
  });

  it('creates the order confirmed for a buyer the merchant has access for, and posts it back', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders/pay', pay(SSN_WITH_ACCESS));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ orderId: expect.stringMatching(ORDER_ID), purchaseId: expect.any(Number) });
    expect(sandbox.getOrder(answer.body.orderId)).toMatchObject({ status: 'Confirmed', purchaseId: answer.body.purchaseId, sequenceType: 'OneOff' });
    expect(await postbackFor(answer.body.orderId)).toEqual({ orderId: answer.body.orderId, purchaseId: answer.body.purchaseId, mandateId: null });
  });

  it('refuses a buyer without purchase access (403)', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders/pay', pay(SSN_WITHOUT_ACCESS));
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/purchase access/);
  });

  it('requires the buyer name, ssn and email', async () => {
    const answer = await peiRest(sandbox, 'POST', '/api/orders/pay', pay(SSN_WITH_ACCESS, { name: null, email: undefined }));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.modelState).sort()).toEqual(['order.buyer.email', 'order.buyer.name']);
  });
});

describe('orders by date (GET /api/orders?merchantId&date)', () => {
  it("lists the merchant's orders of that day only", async () => {
    const orderId = await submit(seedExample({ reference: 'LIST-1' }));
    const today = new Date(clock).toISOString().slice(0, 10);
    const listed = await peiRest(sandbox, 'GET', `/api/orders?merchantId=4&date=${today}`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((order: { orderId: string }) => order.orderId)).toContain(orderId);
    expect((await peiRest(sandbox, 'GET', '/api/orders?merchantId=4&date=2016-01-20')).body).toEqual([]);
  });

  it('needs both parameters, and only the own merchant', async () => {
    expect((await peiRest(sandbox, 'GET', '/api/orders?merchantId=4')).status).toBe(400);
    expect((await peiRest(sandbox, 'GET', '/api/orders?date=2016-01-20')).status).toBe(400);
    expect((await peiRest(sandbox, 'GET', '/api/orders?merchantId=5&date=2016-01-20')).status).toBe(403);
  });
});
