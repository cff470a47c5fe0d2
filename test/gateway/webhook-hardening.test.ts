import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';
import { placeInput } from '../support/payway.js';
import { storeKeys } from '../../src/store/keys.js';

/*
 * Already covered per provider (test/providers/*): forged and unsigned callbacks (401), a
 * duplicate delivery, Payway's stale timestamp, Intergiro's wrong key / stripped signature. Here:
 * what every route shares — the size cap (also when Content-Length lies), the content types, and
 * a genuine callback captured early and replayed after the order moved on.
 */

const ROUTES = ['intergiro', 'pei', 'dintero', 'payway'] as const;
const MAX_BODY_BYTES = 256 * 1024;

/** What "nothing changed" means for an order: its status, its history and its last write. */
const stateOf = (order: OrderView) => ({ status: order.status, events: order.events, updatedAt: order.updatedAt });

/** One raw HTTP/1.1 exchange, so a request may say one Content-Length and send another. */
function rawRequest(port: number, head: string, body: Buffer | string, { endAfterBody = true } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(answer) : reject(error)));
    socket.write(head);
    socket.write(body, () => {
      if (endAfterBody) socket.end();
    });
  });
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

describe.each(STORE_KINDS)('webhook hardening (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;
  /** One waiting order per provider: hostile callbacks must leave every one of them as it was. */
  const orders: Record<string, OrderView> = {};

  const read = async (id: string): Promise<OrderView> => (await gqlOk(gateway.url, GET_ORDER, { id }, backOffice)).order as OrderView;
  const snapshot = async () => Object.fromEntries(await Promise.all(Object.entries(orders).map(async ([name, order]) => [name, stateOf(await read(order.id))])));

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    shop = await tokenFor('orders:create', `hardening-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', 'hardening-back-office');
    const create = async (input: Record<string, unknown>) => (await gqlOk(gateway.url, CREATE_ORDER, { input } as never, shop)).createOrder as OrderView;
    orders.intergiro = await create({ provider: 'INTERGIRO', currency: 'EUR', amount: '12.00', intergiro: { paymentType: 'LINK' } });
    orders.pei = await create({ provider: 'PEI', currency: 'ISK', items: [{ name: 'Lopapeysa', amount: '24900' }] });
    orders.dintero = await create(dinteroOrderInput());
    orders.payway = (await gqlOk(gateway.url, PLACE_ADYEN_ORDER, { input: placeInput('4212345678910006') } as never, shop)).placeAdyenOrder as OrderView;
  });
  afterAll(() => env.close());

  /** A body each provider would take for its order, were it sent properly. */
  async function plausibleBody(route: (typeof ROUTES)[number]): Promise<string> {
    const order = orders[route]!;
    switch (route) {
      case 'intergiro':
        // Genuinely signed by the sandbox's callback key (the route must refuse before verifying).
        return env.intergiro.signOrder({ id: order.providerOrderId, status: 'charged' } as never);
      case 'pei':
        return JSON.stringify({ orderId: order.providerOrderId, purchaseId: 966127, mandateId: null });
      case 'dintero':
        return JSON.stringify({ transaction_id: 'T00000001', session_id: 'S1' });
      case 'payway':
        return JSON.stringify({ event: 'order_closed', timestamp: new Date().toISOString(), payload: { order: { id: order.providerOrderId ?? 'x', merchant_reference: order.id } } });
    }
  }

  it.each(ROUTES)('/webhooks/%s refuses wrong content types with 415 before reading, and nothing changes', async (route) => {
    const before = await snapshot();
    const body = await plausibleBody(route);
    // Pei's postback may be JSON labelled text/plain (.NET's StringContent default; the seed names no type): read, then judged by the re-read.
    // Payway's event too (no document names its type; a plain client labels a string body so): it must still be signed.
    // Intergiro's token as well (fetch labels a string body text/plain): still verified, so a bad one is 401.
    const wrong = ['text/plain', 'application/xml', 'text/html; charset=utf-8', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded-x'].filter(
      (type) => (route !== 'pei' && route !== 'payway' && route !== 'intergiro') || type !== 'text/plain',
    );
    for (const contentType of wrong) {
      const response = await fetch(`${gateway.url}/webhooks/${route}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      expect(response.status, `${route} ${contentType}`).toBe(415);
      expect(response.headers.get('accept-post')).toBeTruthy();
      expect(await response.json()).toEqual({ error: 'Unsupported content type' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a callback that names no content type is read by its body, and judged as any other', async () => {
    // Pei's postback for an order its buyer has not confirmed: read, re-read at Pei, not believed.
    // Orders of their own: the others must stay as they are (and unthrottled) for the tests around this one.
    const create = async (input: Record<string, unknown>) => (await gqlOk(gateway.url, CREATE_ORDER, { input } as never, shop)).createOrder as OrderView;
    const waiting = await create({ provider: 'PEI', currency: 'ISK', items: [{ name: 'Lopapeysa', amount: '24900' }] });
    const postback = JSON.stringify({ orderId: waiting.providerOrderId, purchaseId: 966127, mandateId: null });
    const pei = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', body: new Blob([postback]) });
    expect(pei.status).toBe(401);
    // A body that is no postback at all: read, and refused as such.
    const garbage = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', body: new Blob(['orderId=1']) });
    expect(garbage.status).toBe(400);
    // Intergiro's signed order without a type: verified and taken.
    const order = await create({ provider: 'INTERGIRO', currency: 'EUR', amount: '9.00', intergiro: { paymentType: 'LINK' } });
    const signed = await env.intergiro.signOrder({ ...env.intergiro.getOrder(order.providerOrderId!)!, status: 'cancelled' });
    const intergiro = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', body: new Blob([signed]) });
    expect(intergiro.status).toBe(200);
    expect((await read(order.id)).status).toBe('CANCELLED');
  });

  it.each(ROUTES)('/webhooks/%s refuses an oversized body with 413 (declared, chunked, or longer than declared)', async (route) => {
    const before = await snapshot();
    const contentType = route === 'intergiro' ? 'application/jwt' : 'application/json';
    const huge = Buffer.alloc(MAX_BODY_BYTES + 1, 'a');

    // Declared too big: refused on the header, before the body (of which only a little is sent).
    const declared = await rawRequest(
      gateway.port,
      `POST /webhooks/${route} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`,
      'a'.repeat(1024),
      { endAfterBody: false },
    );
    expect(statusOf(declared)).toBe(413);

    // Chunked, no length said: reading stops at the cap.
    const chunked = await fetch(`${gateway.url}/webhooks/${route}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(huge.subarray(0, MAX_BODY_BYTES / 4));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).catch(() => null);
    // The gateway closes the connection after its answer; fetch may see the 413 or the reset.
    if (chunked) expect(chunked.status).toBe(413);

    // Says 10 bytes, sends far more: only 10 are read as this request; the rest is not a request.
    const lying = await rawRequest(gateway.port, `POST /webhooks/${route} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: 10\r\n\r\n`, huge);
    expect(statusOf(lying)).toBeGreaterThanOrEqual(400);
    expect(statusOf(lying)).toBeLessThan(500);
    expect(lying).not.toMatch(/HTTP\/1\.1 200/);

    expect(await snapshot()).toEqual(before);
  });

  it('the gateway still answers after all that', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });

  it('Intergiro: a genuine "authorized" callback replayed after the capture does not move the order back or add an event', async () => {
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '30.00', intergiro: { paymentType: 'LINK' } } } as never, shop)).createOrder as OrderView;
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay', { cardholderName: 'Ada Lovelace' });
    await env.intergiro.callbacksIdle();
    const early = env.intergiro.sentCallbacks().find((sent) => sent.orderId === order.providerOrderId && sent.status === 'ordered');
    expect(early?.responseStatus).toBe(200);
    await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] } as never, backOffice);
    await env.intergiro.callbacksIdle();
    const moved = await read(order.id);
    expect(moved.status).toBe('CAPTURED');

    const replay = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': early!.contentType }, body: early!.body });
    expect([200, 401]).toContain(replay.status);
    expect(stateOf(await read(order.id))).toEqual(stateOf(moved));
  });

  it('Dintero: the "authorized" callback replayed after the capture does not move the order back or add an event', async () => {
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() } as never, shop)).createOrder as OrderView;
    const sentBefore = env.sandboxes.dintero.sentCallbacks().length;
    await buyerOnCheckout(order.creation.stopAction!.redirectUrl!, 'pay');
    await env.sandboxes.dintero.callbacksIdle();
    // The buyer's payment's callback, as it reached the gateway (captured early).
    const early = env.sandboxes.dintero.sentCallbacks().slice(sentBefore).find((sent) => sent.responseStatus === 200);
    expect(early).toBeDefined();
    const authorized = await read(order.id);
    expect(authorized.status).toBe('AUTHORIZED');
    await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] } as never, backOffice);
    const moved = await read(order.id);
    expect(moved.status).toBe('CAPTURED');

    // Within the order's re-read lease (one interval, a minute here) a replay is throttled unread...
    expect((await fetch(early!.url)).status).toBe(429);
    // ...and once the lease has run out (moved on here, not waited for) it is read and changes nothing.
    await gateway.store.kv.delete(storeKeys.refreshLease(order.id));
    const replay = await fetch(early!.url);
    expect([200, 401]).toContain(replay.status);
    expect(stateOf(await read(order.id))).toEqual(stateOf(moved));
  });
});
