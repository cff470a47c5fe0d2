/**
 * Round five of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): what happens between the gateway's calls, and its
 * recovery paths.
 *
 * - A gateway instance that died while place_order was under way (a SIGKILL, an OOM: nothing it
 *   would have written after the call lands): Payway made the purchase, and its event comes after
 *   the attempt's placing window (a pending purchase's event may come hours later).
 * - A purchase left at a later 3-D Secure step (the challenge after the fingerprint), or whose
 *   result Payway refused before it reached Adyen, under a reference another purchase reuses;
 *   and the retry of a continue whose answer was lost, refused as a session already used.
 * - A batch of events with one in it that can never be taken.
 * - An event whose order object carries the record's own `id` beside `order_id`.
 * - An event that comes while another purchase under its reference is being continued.
 * - Not fixed (it.fails): a purchase completed at once whose reference-only order_closed comes late.
 */
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Store } from '../../src/store/types.js';
import { PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { eventually, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { actionRequired, complete, error, eventBody, hex24, pending, PERFORM_ACTION, PLACE_ORDER, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';

/**
 * A store that, once `dead()` says so, fails every call: the instance using it was killed, and
 * nothing it would have written from then on lands (its later writes are not ours to see).
 */
function dyingStore(dead: () => boolean): (inner: Store) => Store {
  const guard = <T extends object>(part: T): T =>
    new Proxy(part, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (dead() ? Promise.reject(new Error('Connection is closed.')) : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  return (inner) => ({ ...inner, orders: guard(inner.orders), kv: guard(inner.kv), schedule: guard(inner.schedule), feed: guard(inner.feed), changes: inner.changes, ping: inner.ping.bind(inner), close: inner.close.bind(inner) });
}

describe('Payway adapter against an independent implementation, round five', () => {
  const harness = independentPaywayHarness('-5');
  const { TOKEN, SECRET, input, placeOk, continueWith, read, lastPlaced } = harness;
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: IndependentPayway;
  let shop: string;
  beforeAll(() => ({ env, gateway, payway, shop } = harness.parts));

  /**
   * Places a purchase through an instance that dies while Payway holds the call (Payway makes the
   * purchase, pending), then lets the attempt's placing window pass (its gateway would have
   * recorded the answer long before: the window is the provider timeout plus 30 s, so the test
   * moves the window's end, as the clock would, instead of waiting). Answers the order id the dead
   * instance gave the purchase, and the reference it sent.
   */
  async function placeThroughDyingInstance(overrides: Record<string, unknown>): Promise<{ orderId: string; reference: string }> {
    let dead = false;
    const dying = await env.startGateway({ payway: { url: payway.url, token: TOKEN, webhookSecret: SECRET }, providerTimeoutMs: 300 }, { pollerDisabled: true, wrapStore: dyingStore(() => dead) });
    payway.answers = () => ({ ...pending(), lose: 'hang', before: async () => void (dead = true) });
    await gql(dying.url, PLACE_ADYEN_ORDER, { input: input(overrides) }, shop);
    await dying.close();
    const reference = lastPlaced().body.merchant_reference as string;
    const kv = env.newStore().kv;
    const key = `payway:purchase:${createHash('sha256').update(reference).digest('base64url')}`;
    const record = JSON.parse((await kv.get(key)) ?? 'null') as { attempts: { orderId: string; placingUntil?: number }[] } | null;
    const attempt = record?.attempts.find((candidate) => candidate.placingUntil !== undefined);
    // The dead instance left its attempt under way (else this test tests nothing).
    expect(attempt).toBeDefined();
    attempt!.placingUntil = Date.now() - 1;
    await kv.set(key, JSON.stringify(record));
    payway.answers = () => pending();
    return { orderId: attempt!.orderId, reference };
  }

  describe('an instance killed while place_order was under way', () => {
    it('Payway\'s event after the placing window still makes the purchase known: the retry with the same key answers it', async () => {
      const key = `killed-${randomUUID()}`;
      const { orderId, reference } = await placeThroughDyingInstance({ idempotencyKey: key });
      expect(reference).toBe(orderId);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-KILLED' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const placedBefore = payway.to(PLACE_ORDER).length;
      const known = await eventually(async () => (await gql<{ placeAdyenOrder: OrderView }>(gateway.url, PLACE_ADYEN_ORDER, { input: input({ idempotencyKey: key }) }, shop)).data?.placeAdyenOrder, 8000, 200);
      expect(known).toMatchObject({ id: orderId, status: 'CAPTURED', providerOrderId: 'ADEPRIMO-KILLED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placedBefore);
    }, 15_000);

    it('under a reused reference, the killed instance\'s purchase event does not settle the next purchase waiting there', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      await placeThroughDyingInstance({ merchantReference: reference });
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-KILLED-FIRST' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
    });
  });

  describe('a purchase left at a later 3-D Secure step, then another under the same reference', () => {
    it('fingerprint sent, challenge abandoned: the next purchase\'s order_closed settles the next purchase', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = (request) =>
        request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`) : actionRequired(null, { type: 'threeDS2Challenge', token: 'eyJjaGFsbGVuZ2UiOiJ5ZXMifQ' });
      const abandoned = await placeOk({ merchantReference: reference });
      expect((await continueWith(abandoned.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).data?.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED' });
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED' }] });
      expect(await read(abandoned.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    });

    it('its result refused by Payway itself (no correlation id: nothing reached Adyen), then abandoned: the next purchase\'s order_closed settles the next purchase', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`) : error(400, 'invalid_parameter', { field: 'details' }));
      const abandoned = await placeOk({ merchantReference: reference });
      expect((await continueWith(abandoned.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED' });
      expect(payway.to(PERFORM_ACTION).at(-1)).toBeDefined();
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED' });
      expect(await read(abandoned.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    });

    it('its first result\'s answer lost, the retry refused by Payway (the session already used), then Payway closes it: the completion is still this purchase\'s, not the other one\'s waiting under the reference', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const other = await placeOk({ merchantReference: reference });
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`) : { ...pending(), lose: 'reset' });
      const continued = await placeOk({ merchantReference: reference });
      expect((await continueWith(continued.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      payway.answers = () => error(409, 'session_already_used', { field: 'session_reference' });
      expect((await continueWith(continued.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' })).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED' });
      // The closing event of one of the two: it must not be taken for the other's.
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(other.id)).toMatchObject({ status: 'PENDING' });
    });
  });

  describe('a batch of events (a JSON array) with one that can never be taken', () => {
    it('an event naming only a reference two waiting purchases share does not hold up the other purchases\' events in the delivery', async () => {
      const shared = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      await placeOk({ merchantReference: shared });
      await placeOk({ merchantReference: shared });
      const alone = await placeOk();
      const aloneReference = lastPlaced().body.merchant_reference as string;
      const batch = [
        eventBody('order_closed', { merchantReference: shared }, 'flat'),
        eventBody('order_closed', { merchantReference: aloneReference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'flat'),
      ];
      // However often Payway delivers it.
      for (let delivery = 0; delivery < 2; delivery++) await sendEvent(gateway.url, batch, SECRET, 'hmac-hex');
      expect(await read(alone.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED' }] });
    });

    it('alone, or with only such events, it is still refused (400): nothing is taken', async () => {
      const shared = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const first = await placeOk({ merchantReference: shared });
      await placeOk({ merchantReference: shared });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: shared }, 'flat'), SECRET, 'hmac-hex')).toBe(400);
      expect(await sendEvent(gateway.url, [eventBody('order_closed', { merchantReference: shared }, 'flat'), { event: 'order_closed' }], SECRET, 'hmac-hex')).toBe(400);
      expect(await read(first.id)).toMatchObject({ status: 'PENDING' });
    });
  });

  describe('an event whose order carries its own record id beside the order_id place_order answered', () => {
    // place_order's `complete` names the order as `order_id` ("ADEPRIMO-123"); an event that
    // serialises Payway's order record may carry the record's own `id` (an ObjectId like the
    // receipt's) next to that `order_id`.
    it('a completed purchase\'s order_closed is that purchase\'s, not the one waiting under the same reference', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => complete({ orderId: 'ADEPRIMO-RECORD-1' });
      const completed = await placeOk({ merchantReference: reference });
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      const event = { event: 'order_closed', payload: { order: { id: hex24(), order_id: 'ADEPRIMO-RECORD-1', merchant_reference: reference }, receipt: { id: hex24() } } };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
      expect(await read(completed.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-RECORD-1' });
    });

    it('a pending purchase is settled under the order_id (the name place_order\'s answers give it), not the record\'s id', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const event = { event: 'order_closed', payload: { order: { id: hex24(), order_id: 'ADEPRIMO-RECORD-2', merchant_reference: reference } } };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-RECORD-2' });
    });
  });

  describe('an event that comes while another purchase under its reference is being continued', () => {
    // Payway delivers again what was not acknowledged (2xx): an event refused for now (503) while
    // the other purchase's perform_additional_action is under way is taken once it has answered.
    async function deliver(event: unknown): Promise<number> {
      return sendEvent(gateway.url, event, SECRET, 'hmac-hex');
    }

    it.each([
      ['completes (its answer names its order)', () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }), 'CAPTURED'],
      ['asks for the challenge (a further 3-D Secure step)', () => actionRequired(null, { type: 'threeDS2Challenge', token: 'eyJjaGFsbGVuZ2UiOiJ5ZXMifQ' }), 'ACTION_REQUIRED'],
    ] as const)('the other purchase %s: the waiting purchase\'s order_closed is taken on its redelivery', async (_name, answer, continuedStatus) => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const continuing = await placeOk({ merchantReference: reference });
      const event = eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'flat');
      const statuses: number[] = [];
      payway.answers = () => ({ ...answer(), before: async () => void statuses.push(await deliver(event)) });
      expect((await continueWith(continuing.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).data?.continueOrderCreation.status).toBe(continuedStatus);
      // Refused while the other purchase was under way; Payway's redelivery is taken.
      expect(statuses).toEqual([503]);
      expect(await deliver(event)).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED' });
    });
  });

  describe('a completed purchase\'s own order_closed, naming only the reference, delivered late', () => {
    // Found in round five, not fixed: "the events associated with a completed purchase" may come
    // for a purchase place_order answered `complete` as well, and one naming only the merchant
    // reference (no Payway order) may come late: Payway redelivering it after an outage of the
    // gateway's, or sending its events in a batch job. A purchase named by its `complete` answer is
    // no candidate for an event naming no order (so that the next purchase under a reused
    // reference is settled by its own), so such a late event is taken for the purchase waiting
    // there: CAPTURED with no money moved for it. Keeping the completed one a candidate would make
    // every later purchase's reference-only event under the reference ambiguous (PENDING for good);
    // keeping it for a while (as a refused one is kept for failures) needs a window Payway's
    // redelivery is known to keep, which nothing says. Use a reference per purchase, or none.
    // (Round seven: one that names the receipt the `complete` answer gave is told apart, see
    // payway-independent-7; this one names only the reference.)
    it.fails('a completed purchase\'s late order_closed naming only the reference does not settle the purchase waiting there', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      await placeOk({ merchantReference: reference });
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex');
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
    });
  });
});
