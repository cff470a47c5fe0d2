/**
 * Round three against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for readings of the seed neither round one nor two tried:
 * - the callback's content type: the seed writes "(content-type: application/jwt)", but an
 *   implementation that posts the token as a plain string (fetch with a string body and no header
 *   labels it `text/plain;charset=UTF-8`) or as bytes (`application/octet-stream`) is just as
 *   plausible; the signature, not the label, decides whether it is believed.
 * The gateway re-reads waiting orders only rarely here (reconcileIntervalMs is long), so an order
 * that moves moved because its callback was read.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { startIntergiroServer, type IntergiroServer } from '../support/independent/intergiro-server.js';
import { INTERGIRO_TEST_BROWSER, postIntergiroCallback } from '../support/intergiro.js';
import { recordSecrets } from '../support/test-logs.js';
import { intergiroSecrets, useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const { apiKey: API_KEY, callbackSecret: CALLBACK_SECRET } = intergiroSecrets('-3');
const RETURN_URLS = { success: 'https://shop.example/ok' };

type Variation = IntergiroVariation;
const useIndependentIntergiro = (variation: Variation) => useRound('-3', variation);

/** Labels a faithful implementation may put on the token it posts. */
const CALLBACK_LABELS: [string, Variation][] = [
  ['text/plain;charset=UTF-8 (fetch with a string body and no header)', { callbackContentType: 'text/plain;charset=UTF-8' }],
  ['application/octet-stream (the token sent as bytes)', { callbackContentType: 'application/octet-stream' }],
  ['text/plain, checked through verify (no secret at the gateway)', { callbackContentType: 'text/plain', gatewayWithoutSecret: true }],
];

describe.each(CALLBACK_LABELS)('Intergiro, round three: callbacks labelled %s', (_name, variation) => {
  const { context, createOk, read, settlesAt } = useIndependentIntergiro(variation);

  it('a payment link paid by the buyer: its callback is taken (2xx) and the order is CAPTURED without a re-read', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    expect(order.status).toBe('CREATED');
    await context.server.payLink(order.providerOrderId!);
    // payLink awaits its callback; the creation's (sent unawaited) may come too: each was taken.
    const sent = context.server.callbacksSent.filter((callback) => callback.orderId === order.providerOrderId);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.map((callback) => callback.status)).toEqual(sent.map(() => 200));
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });

  it('a forged token with the same label is refused (401) and changes nothing', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    const forged = await new SignJWT({ id: order.providerOrderId, status: 'charged', merchant: 'test' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('not-the-callback-secret'));
    const answer = await postIntergiroCallback(context.gateway.url, forged, variation.callbackContentType!);
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain(CALLBACK_SECRET);
    expect((await read(order.id)).status).toBe('CREATED');
  });
});

/**
 * A payment link nobody pays. The seed shows no expiry for it (no word, no date), so an Intergiro
 * from the seed keeps it `created` for ever; the gateway re-read it (a listing per read, there is
 * no GET by id in the seed) every few minutes for as long as the gateway ran. It now watches a
 * link for LINK_WATCH_MS after its creation and then leaves it to its callback (which still moves
 * it). The gateway's clock is set back past the window for the creation (its createdAt).
 */
describe('Intergiro, round three: a payment link nobody pays is not re-read for ever', () => {
  const context = {} as { env: TestEnvironment; server: IntergiroServer; old: Gateway; shop: string; backOffice: string };
  const weeksAgo = () => new Date(Date.now() - 8 * 86_400_000);
  beforeAll(async () => {
    context.env = await startTestEnvironment('memory');
    recordSecrets([API_KEY, CALLBACK_SECRET]);
    context.server = await startIntergiroServer({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET, callbacks: 'none' });
    const intergiro = { url: context.server.url, apiKey: API_KEY, callbackSecret: CALLBACK_SECRET };
    context.old = await context.env.startGateway({ intergiro, reconcileIntervalMs: 100, reconcileCallbackGraceMs: 100, providerTimeoutMs: 400 }, { now: weeksAgo });
    context.shop = await tokenFor('orders:create', 'independent-intergiro-shop-3b');
    context.backOffice = await tokenFor('orders:read orders:manage', 'independent-intergiro-back-office-3b');
  });
  afterAll(async () => {
    await context.env?.close();
    await context.server?.close();
  });
  const createLink = async (gateway: Gateway): Promise<OrderView> =>
    (
      await gqlOk<{ createOrder: OrderView }>(
        gateway.url,
        CREATE_ORDER,
        { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'LINK' }, returnUrls: RETURN_URLS } },
        context.shop,
      )
    ).createOrder;
  const listings = () => context.server.requests.filter((request) => request.method === 'GET').length;

  it('a link made more than a week ago is not read again; its callback still moves it', async () => {
    const order = await createLink(context.old);
    expect(order.status).toBe('CREATED');
    const before = listings();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(listings() - before).toBe(0);
    // Paid at last, and Intergiro says so: believed as ever.
    context.server.options.callbacks = 'after';
    await context.server.payLink(order.providerOrderId!);
    await eventually(async () => {
      const read = (await gqlOk<{ order: OrderView }>(context.old.url, GET_ORDER, { id: order.id }, context.backOffice)).order;
      return read.status === 'AUTHORIZED' ? read : undefined;
    }, 4000);
    context.server.options.callbacks = 'none';
  });
});

/**
 * The Event Creatable's type words are not in the seed. Its verbs are "capture, refund or cancel"
 * (Change an order) and its callbacks tell of orders "charged, refunded or canceled"; the gateway
 * sends `charge` (CONTRACT §8). An implementation that took the seed's verbs (`capture`, `refund`,
 * `cancel`) and refuses an unknown type with a 400, as a strict one does, refused every capture.
 */
describe('Intergiro, round three: an Intergiro whose capture event is `capture` (the seed\'s verb), strict', () => {
  const { context, createOk, read, settlesAt } = useIndependentIntergiro({ strict: true, captureWords: ['capture'] });
  const apply = (orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(context.gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, context.backOffice);
  const sentTypes = (providerOrderId: string) =>
    context.server.requests
      .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
      .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((entry) => entry.id === providerOrderId))
      .flatMap((entry) => entry.event.map((event) => event.type));

  it('a capture is refused as `charge`, then sent once as `capture`: CAPTURED, charged once; the next capture goes as `capture` at once', async () => {
    const first = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(first.id, 'AUTHORIZED');
    const captured = await apply(first.id, [{ type: 'CAPTURE', amount: '12.00' }]);
    expect(captured.errors).toBeUndefined();
    expect(sentTypes(first.providerOrderId!)).toEqual(['charge', 'capture']);
    expect(context.server.order(first.providerOrderId!)).toMatchObject({ status: 'charged', charged: 1200 });
    expect((await settlesAt(first.id, 'PARTIALLY_CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '12.00' } });

    const second = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(second.id, 'AUTHORIZED');
    expect((await apply(second.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
    expect(sentTypes(second.providerOrderId!)).toEqual(['capture']);
    await settlesAt(second.id, 'CAPTURED');
    // Refunds and cancels were never in doubt.
    expect((await apply(second.id, [{ type: 'REFUND' }])).errors).toBeUndefined();
    await settlesAt(second.id, 'REFUNDED');
    expect((await read(first.id)).status).toBe('PARTIALLY_CAPTURED');
  });

  it('an Intergiro that takes neither word: the capture is refused (PROVIDER_REJECTED) after one call under each, nothing charged, still AUTHORIZED', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(order.id, 'AUTHORIZED');
    const words = context.server.options.captureWords;
    context.server.options.captureWords = ['settle'];
    try {
      const refused = await apply(order.id, [{ type: 'CAPTURE' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      // The first refusal stands: the word the gateway knew best was refused first.
      expect(refused.errors?.[0]?.message).toContain('event type capture');
    } finally {
      context.server.options.captureWords = words;
    }
    expect(sentTypes(order.providerOrderId!)).toEqual(['capture', 'charge']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
    expect((await read(order.id)).status).toBe('AUTHORIZED');
  });
});
