/**
 * Round two of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Round one (pei-independent.test.ts) varied one
 * freedom at a time on the happy paths; this one takes:
 *   - money moving once when Pei applies an Orders/Pay or a Recurring charge and its answer is
 *     lost (a reset connection, a 5xx), with the client's retry, two clients at once, and the
 *     postback before or after the lost answer: counted at the server, asserted through GraphQL;
 *   - .NET's defaults where the seed shows no read output: an unconfirmed order read with
 *     `purchaseId: 0` (a non-nullable long) and "" for unset strings;
 *   - freedoms combined (PascalCase, numbers as strings, 201, status words with spaces, ...);
 *   - a strict server: JSON Content-Type, each field of the seed's tables with its example's type;
 *   - postbacks duplicated and out of order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions, type LostAnswer } from '../support/independent/pei-server.js';
import { independentPeiHarness } from '../support/independent/pei-harness.js';

const SSN = '0102882849';

function oneOff(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    reference: `ind2-${Math.random().toString(36).slice(2, 10)}`,
    items: [{ code: 'SUB555', name: 'TV subscription', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }],
    buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: SSN, phone: '1234567' },
    returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel' },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    pei: { sequenceType: 'ONE_OFF' },
    ...overrides,
  };
}

function purchase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return oneOff({ returnUrls: null, expiresAt: null, pei: { purchaseForBuyer: true }, ...overrides });
}

describe('Pei adapter against an independent Pei, round two', () => {
  const harness = independentPeiHarness('-2');
  const { gatewayFor, readAt, untilAt, callsTo } = harness;
  let env: TestEnvironment;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ env, pei, shop, merchant, backOffice } = harness.parts));

  // ---- .NET defaults where the seed shows no read --------------------------------------------

  const DEFAULTS: [string, Partial<IndependentPeiOptions>][] = [
    ['purchaseId 0 for an unconfirmed order (a non-nullable long)', { purchaseIdWhenNone: 'zero' }],
    ['"" for unset strings (mandateId, ...)', { blankStrings: true }],
    ['both, PascalCase, numbers as strings, 201, no charset', { purchaseIdWhenNone: 'zero', blankStrings: true, keyCase: 'pascal', numbersAs: 'string', createStatus: 201, payStatus: 201, contentType: 'application/json' }],
  ];

  describe.each(DEFAULTS)('reads with %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('a waiting order stays CREATED on every re-read; the buyer confirming makes it CAPTURED with its purchase', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      // Several reconcile intervals and a read-through.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const waiting = await readAt(gateway, order.id);
      expect(waiting).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED' } });
      expect(waiting.payments[0]?.capturedAmount?.amount ?? '0').toBe('0');

      await pei.confirm(order.providerOrderId!);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments[0]?.providerReference).toBe(String(pei.orders.get(order.providerOrderId!)!.purchaseId));
    });

    it('a forged postback for a waiting order (to the bare URL) changes nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const answer = await fetch(`${gateway.url}/webhooks/pei`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: order.providerOrderId, purchaseId: 0 }),
      });
      expect([401, 429]).toContain(answer.status);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
    });

    it.each(['reset', 500] as const)('an Orders/Pay whose answer is lost (%s) is found, not charged again on the retry', async (how) => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      const id = first.data?.createOrder.id ?? retry.data?.createOrder.id;
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder.id).toBe(id);
      await untilAt(gateway, id!, 'CAPTURED');
    });
  });

  // ---- money moves once ------------------------------------------------------------------------

  const LOSSES: [string, Partial<IndependentPeiOptions>, LostAnswer][] = [
    ['reset, the plainest Pei', {}, 'reset'],
    ['502 from a proxy in front of Pei', {}, 502],
    ['500 after the charge, the postback before the answer', { postbackTiming: 'beforeAnswer' }, 500],
    ['reset, PascalCase answers with numbers as strings, reads without purchase', { keyCase: 'pascal', numbersAs: 'string', readShowsPurchase: false }, 'reset'],
    ['reset, no postback at all', { sendPostback: false }, 'reset'],
    ['no answer at all (the gateway\'s timeout), PascalCase', { keyCase: 'pascal' }, 'hang'],
    ['502, status words with spaces around them', { statusWords: { waiting: ' Pending ', confirmed: ' Confirmed ', expired: ' Expired ' } }, 502],
  ];

  describe.each(LOSSES)('a lost answer: %s', (_name, variation, how) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay: the buyer is charged once, whatever the client retries; the order ends CAPTURED', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      // The first answer: the order (found at Pei after the loss) or PROVIDER_UNAVAILABLE, never a second charge.
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retries = await Promise.all([1, 2].map(() => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)));
      const later = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(later.errors).toBeUndefined();
      const id = later.data!.createOrder.id;
      for (const answer of [first, ...retries]) if (!answer.errors) expect(answer.data!.createOrder.id).toBe(id);
      const paid = await untilAt(gateway, id, 'CAPTURED');
      expect(paid.providerOrderId).toBe([...pei.orders.values()].find((order) => order.reference === input['reference'])!.orderId);
    });

    it('Orders/Pay without an idempotency key: the lost answer is still found, so the client sees the charge', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase();
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(first.errors).toBeUndefined();
      await untilAt(gateway, first.data!.createOrder.id, 'CAPTURED');
    });

    it('a Recurring charge: the mandate is charged once; the order ends CAPTURED', async () => {
      const input = oneOff({ returnUrls: null, idempotencyKey: `rec-${Math.random()}`, pei: { sequenceType: 'RECURRING', mandateId: `mandate-${Math.random().toString(36).slice(2)}` } });
      pei.loseNextAnswer('/api/orders', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      if (!first.errors) expect(retry.data!.createOrder.id).toBe(first.data!.createOrder.id);
      // Without a postback and with reads that carry no purchase, Pei never says it charged.
      if (variation.sendPostback !== false || variation.readShowsPurchase !== false) await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
    });
  });

  const LATER: [string, Partial<IndependentPeiOptions>][] = [
    ['a day on', {}],
    ['none', { payExpiration: 'none' }],
    ['"" (a string field nobody set)', { payExpiration: 'blank' }],
    ['.NET\'s DateTime.MinValue', { payExpiration: 'dotnetMin' }],
    ['.NET\'s DateTime.MinValue as the table writes dates, purchaseId 0', { payExpiration: 'dotnetMin', expirationAs: 'space', purchaseIdWhenNone: 'zero' }],
    ['.NET\'s DateTime.MinValue, with status words', { payExpiration: 'dotnetMin', statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } }],
  ];

  describe.each(LATER)('Orders/Pay confirmed later (202), its read showing as expiration %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ payStatus: 202, payConfirms: 'later', ...variation });
    });
    afterAll(() => gateway?.close());

    it('answered: never EXPIRED nor sent to a checkout page; CAPTURED once Pei confirms', async () => {
      pei.purchaseAccess.add(SSN);
      const created = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      expect(created.createOrder.status).not.toBe('EXPIRED');
      expect(created.createOrder.creation.stopAction?.type).not.toBe('REDIRECT');
      await untilAt(gateway, created.createOrder.id, 'CAPTURED');
    });

    it.each(['reset', 500] as const)('its answer lost (%s): charged once, never EXPIRED, CAPTURED once Pei confirms', async (how) => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `later-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      for (const answer of [first, retry]) {
        if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        else {
          expect(answer.data!.createOrder.status).not.toBe('EXPIRED');
          // Orders/Pay has no checkout page: Pei charges the buyer itself.
          expect(answer.data!.createOrder.creation.stopAction?.type).not.toBe('REDIRECT');
        }
      }
      const id = first.data?.createOrder.id ?? retry.data?.createOrder.id;
      expect(id).toBeDefined();
      const paid = await untilAt(gateway, id!, 'CAPTURED');
      expect(paid.events.map((event) => event.status)).not.toContain('EXPIRED');
    });
  });

  describe('reads that leave the reference out', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ omitOptional: true });
    });
    afterAll(() => gateway?.close());

    it.each(['reset', 500] as const)('an Orders/Pay whose answer is lost (%s) cannot be told from another: the retry does not charge again', async (how) => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `noref-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      for (const answer of [first, retry]) if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    });
  });

  describe('the whole life of an order', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ keyCase: 'pascal', numbersAs: 'string', expirationAs: 'space', absentAs: 'null' });
    });
    afterAll(() => gateway?.close());

    it('a ONE_OFF submit whose answer is lost (500): the retry with its key adopts the one order Pei made', async () => {
      const input = oneOff({ idempotencyKey: `lost-one-off-${Math.random()}` });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      const made = [...pei.orders.values()].find((order) => order.reference === input['reference'])!;
      expect(retry.createOrder).toMatchObject({ providerOrderId: made.orderId, status: 'CREATED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: `${pei.checkoutUrl}/${made.orderId}` } } });
      await pei.confirm(made.orderId);
      await untilAt(gateway, retry.createOrder.id, 'CAPTURED');
    });

    it('an order the gateway called EXPIRED that Pei still let the buyer confirm: EXPIRED stays (final, CONTRACT), but the money shows', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const stored = pei.orders.get(order.providerOrderId!)!;
      // Past the gateway's grace (EXPIRY_GRACE_MS, 2 minutes) by its clock.
      stored.expirationDate = new Date(Date.now() - 10 * 60_000);
      await untilAt(gateway, order.id, 'EXPIRED');
      const delivery = await pei.confirm(stored.orderId);
      expect(delivery?.status).toBeLessThan(300);
      // The confirmation is not lost: it is in the history with its amount and on the payment,
      // for the merchant to refund by hand (a final status is never left, CONTRACT "Semantics").
      const late = await eventually(async () => {
        const read = await readAt(gateway, order.id);
        return read.events.some((event) => event.type === 'confirmed') ? read : undefined;
      });
      expect(late.status).toBe('EXPIRED');
      expect(late.events.at(-1)).toMatchObject({ type: 'confirmed', amount: { amount: '5000' }, source: 'WEBHOOK' });
      expect(late.payments[0]).toMatchObject({ capturedAmount: { amount: '5000' }, providerReference: String(stored.purchaseId) });
    });
  });

  describe.each([400, 401, 403] as const)('Orders/Pay refused (no purchase access) with %s', (status) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ noAccessStatus: status });
    });
    afterAll(() => gateway?.close());

    it('is PROVIDER_REJECTED with Pei\'s words, creates no order, and the token keeps working', async () => {
      pei.purchaseAccess.delete('1203894569');
      const input = purchase({ buyer: { name: 'Anna', email: 'anna@example.is', nationalId: '1203894569' } });
      const issuedBefore = pei.issued.size;
      const refused = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(refused.errors?.[0]?.message).toContain('purchase access');
      expect(JSON.stringify(refused)).not.toContain('1203894569');
      expect([...pei.orders.values()].some((order) => order.reference === input['reference'])).toBe(false);
      pei.purchaseAccess.add(SSN);
      await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      // At most the one token a refusal made the gateway doubt.
      expect(pei.issued.size - issuedBefore).toBeLessThanOrEqual(1);
    });
  });

  const WORDS: [string, Partial<IndependentPeiOptions>][] = [
    ['Open / Paid / Expired', { statusWords: { waiting: 'Open', confirmed: 'Paid', expired: 'Expired' } }],
    ['Pending / Completed / Expired, reads without the purchase', { statusWords: { waiting: 'Pending', confirmed: 'Completed', expired: 'Expired' }, readShowsPurchase: false }],
    ['New / Purchased / Expired, reads without the purchase', { statusWords: { waiting: 'New', confirmed: 'Purchased', expired: 'Expired' }, readShowsPurchase: false }],
  ];

  describe.each(WORDS)('status words the gateway does not know: %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('the buyer confirming (its postback) makes the order CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBeLessThan(300);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.providerStatus).toBe(variation.statusWords!.confirmed);
    });

    it.runIf(variation.readShowsPurchase !== false)('a confirmation whose postback never comes: the purchase in the read makes it CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      pei.options.sendPostback = false;
      await pei.confirm(order.providerOrderId!);
      pei.options.sendPostback = true;
      await untilAt(gateway, order.id, 'CAPTURED');
    });

    it('a forged postback (to the bare URL) for a waiting order changes nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const answer = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order.providerOrderId, purchaseId: 5 }) });
      expect([401, 429]).toContain(answer.status);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
    });
  });

  const COMBOS: [string, Partial<IndependentPeiOptions>][] = [
    [
      'PascalCase, numbers as strings, 201, JSON labelled text/plain, a wrapped listing, 404 for none, nulls, space dates, SequenceType numbers',
      { keyCase: 'pascal', numbersAs: 'string', createStatus: 201, payStatus: 201, contentType: 'text/plain; charset=utf-8', listShape: 'wrapped', listEmpty: 404, absentAs: 'null', expirationAs: 'space', sequenceTypeAs: 'number' },
    ],
    [
      'Orders/Pay answering 202 with no body, confirming later; problem+json answers; status words in capitals with spaces',
      { payStatus: 202, payAnswer: 'none', payConfirms: 'later', contentType: 'application/problem+json', statusWords: { waiting: ' PENDING', confirmed: 'CONFIRMED ', expired: ' EXPIRED ' } },
    ],
    [
      'Orders/Pay answering 200 with no body; a form postback in PascalCase without a Content-Type; purchaseId 0 and "" in reads; token by Basic only',
      { payAnswer: 'none', postbackBody: 'form', postbackKeys: 'pascal', postbackContentType: null, purchaseIdWhenNone: 'zero', blankStrings: true, tokenClientAuth: 'basic', expiresIn: 'absent' },
    ],
  ];

  describe.each(COMBOS)('freedoms together: %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('ONE_OFF: CREATED with the checkout page, CAPTURED by the postback; another CAPTURED by reconciliation', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: `${pei.checkoutUrl}/${order.providerOrderId}` } } });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');

      const quiet = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      pei.options.sendPostback = false;
      await pei.confirm(quiet.providerOrderId!);
      pei.options.sendPostback = true;
      await untilAt(gateway, quiet.id, 'CAPTURED');
    });

    it('Orders/Pay: CAPTURED once Pei confirms, charged once; lost (500) and retried: still once', async () => {
      pei.purchaseAccess.add(SSN);
      const plain = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      expect(plain.createOrder.creation.stopAction?.type).not.toBe('REDIRECT');
      await untilAt(gateway, plain.createOrder.id, 'CAPTURED');

      const input = purchase({ idempotencyKey: `combo-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      const id = first.data?.createOrder.id ?? retry.data?.createOrder.id;
      expect(id).toBeDefined();
      await untilAt(gateway, id!, 'CAPTURED');
    });

    it('a FIRST order then a RECURRING charge on its mandate', async () => {
      const first = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST' } }) }, shop)).createOrder;
      await pei.confirm(first.providerOrderId!);
      const mandateId = pei.orders.get(first.providerOrderId!)!.mandateId!;
      const paid = await untilAt(gateway, first.id, 'CAPTURED');
      expect(paid.payments[0]?.mandateId).toBe(mandateId);
      const next = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ returnUrls: null, pei: { sequenceType: 'RECURRING', mandateId } }) }, shop)).createOrder;
      expect(['PENDING', 'CAPTURED']).toContain(next.status);
      await untilAt(gateway, next.id, 'CAPTURED');
    });
  });

  describe('a reference used twice (a merchant billing "SUB-42" every month)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({});
    });
    afterAll(() => gateway?.close());

    it('an Orders/Pay that never reached Pei is not taken for the earlier one with the same reference and amount', async () => {
      pei.purchaseAccess.add(SSN);
      const reference = `SUB-${Math.random().toString(36).slice(2, 8)}`;
      const earlier = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase({ reference }) }, merchant);
      await untilAt(gateway, earlier.createOrder.id, 'CAPTURED');

      pei.loseNextAnswer('/api/orders/pay', 'resetBefore');
      const second = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase({ reference }) }, merchant);
      // The second was reset before Pei applied it: Pei holds one order with this reference.
      expect([...pei.orders.values()].filter((order) => order.reference === reference)).toHaveLength(1);
      // Not paid: the buyer was charged once, for the earlier order.
      if (!second.errors) {
        expect(second.data!.createOrder.providerOrderId).not.toBe(earlier.createOrder.providerOrderId);
        expect(second.data!.createOrder.status).not.toBe('CAPTURED');
      } else expect(second.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    });

    it('the same with an idempotency key: its retries never take the earlier order for this one', async () => {
      pei.purchaseAccess.add(SSN);
      const reference = `SUB-${Math.random().toString(36).slice(2, 8)}`;
      const earlier = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase({ reference }) }, merchant);
      await untilAt(gateway, earlier.createOrder.id, 'CAPTURED');
      const input = purchase({ reference, idempotencyKey: `reuse-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 'resetBefore');
      const answers = [await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)];
      answers.push(await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant));
      await new Promise((resolve) => setTimeout(resolve, 400)); // the reconciliation sweep's turns
      answers.push(await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant));
      for (const answer of answers) {
        if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        else expect(answer.data!.createOrder.providerOrderId).not.toBe(earlier.createOrder.providerOrderId);
      }
      expect([...pei.orders.values()].filter((order) => order.reference === reference).length).toBeLessThanOrEqual(2);
    });
  });

  describe('a long day at Pei', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ omitOptional: true });
    });
    afterAll(() => gateway?.close());

    it('150 orders made outside the gateway, read without `created` (all dated by their day): paged through once each, none twice', async () => {
      const made = new Set<string>();
      const day = `${new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)}T12:00:00Z`;
      for (let index = 0; index < 150; index++) {
        const orderId = `outside${String(index).padStart(3, '0')}${Math.random().toString(36).slice(2, 8)}`;
        // Filed under a day of their own (ten days ago): the gateway adopts at most ADOPT_PER_QUERY (200) per query.
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 1000 + index, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: `Item ${index}` }], created: new Date(day) });
        made.add(orderId);
      }
      const today = day.slice(0, 10);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: { orders: { nodes: OrderView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gqlOk(
          gateway.url,
          LIST_ORDERS,
          { filter: { provider: 'PEI', from: today, to: today }, first: 40, ...(after ? { after } : {}) },
          backOffice,
        );
        seen.push(...page.orders.nodes.map((node) => node.providerOrderId!).filter((id) => made.has(id)));
        after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 50);
      expect(new Set(seen).size).toBe(150);
      expect(seen).toHaveLength(150);
    });
  });

  describe('two back-office clients at once', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({});
    });
    afterAll(() => gateway?.close());

    it('the same refund from two clients, with and without one idempotency key: NOT_SUPPORTED each, nothing sent to Pei', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');
      const before = pei.calls.length;
      const keyed = { type: 'REFUND', amount: '1000', idempotencyKey: `refund-${Math.random()}` };
      const answers = await Promise.all(
        [keyed, keyed, { type: 'REFUND', amount: '1000' }, { type: 'CANCEL' }].map((event) => gql(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [event] }] }, backOffice)),
      );
      for (const answer of answers) expect(answer.errors?.[0]?.extensions?.['code']).toBe('NOT_SUPPORTED');
      expect(pei.calls.slice(before).filter((call) => call.method !== 'GET')).toEqual([]);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CAPTURED' });
    });
  });

  describe('two clients at once', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ keyCase: 'pascal', payStatus: 201, payAnswer: 'withPurchaseId' });
    });
    afterAll(() => gateway?.close());

    it('the same Orders/Pay with one key at two gateway instances, its first answer lost (reset): one charge, one order', async () => {
      pei.purchaseAccess.add(SSN);
      const other = await env.startGateway({
        pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
        reconcileIntervalMs: 150,
      });
      try {
        const input = purchase({ idempotencyKey: `two-instances-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 'reset');
        const answers = await Promise.all([gateway, other, gateway, other].map((at) => gql<{ createOrder: OrderView }>(at.url, CREATE_ORDER, { input }, merchant)));
        const later = await gql<{ createOrder: OrderView }>(other.url, CREATE_ORDER, { input }, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        const ids = new Set([...answers, later].filter((answer) => !answer.errors).map((answer) => answer.data!.createOrder.id));
        expect(ids.size).toBe(1);
        await untilAt(other, [...ids][0]!, 'CAPTURED');
      } finally {
        await other.close();
      }
    });

    it('the same Orders/Pay with one idempotency key from two clients: one charge, one order', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `twice-${Math.random()}` });
      const answers = await Promise.all([1, 2, 3].map(() => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)));
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      const ids = new Set(answers.filter((answer) => !answer.errors).map((answer) => answer.data!.createOrder.id));
      expect(ids.size).toBe(1);
      for (const answer of answers) if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toMatch(/CONFLICT|PROVIDER_UNAVAILABLE|IDEMPOTENCY/);
      await untilAt(gateway, [...ids][0]!, 'CAPTURED');
    });
  });

  // ---- postbacks duplicated and out of order -------------------------------------------------

  describe('postbacks twice and late', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackKeys: 'pascal', postbackPurchaseIdAs: 'string' });
    });
    afterAll(() => gateway?.close());

    it('the same postback three times, one after the order was reconciled: one CAPTURED event', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const stored = pei.orders.get(order.providerOrderId!)!;
      pei.options.sendPostback = false;
      await pei.confirm(stored.orderId);
      pei.options.sendPostback = true;
      await untilAt(gateway, order.id, 'CAPTURED');
      const again = await Promise.all([1, 2, 3].map(() => fetch(stored.postbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ OrderId: stored.orderId, PurchaseId: String(stored.purchaseId) }) })));
      for (const answer of again) expect([200, 202, 204, 429]).toContain(answer.status);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const final = await readAt(gateway, order.id);
      expect(final.status).toBe('CAPTURED');
      expect(final.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });
  });

  // ---- a strict Pei --------------------------------------------------------------------------

  describe('a strict Pei (JSON Content-Type, the seed\'s field types, unknown fields refused, ISO dates, words)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ strictRequests: true, rejectUnknownFields: true, expirationInput: 'iso', sequenceTypeInput: 'word' });
    });
    afterAll(() => gateway?.close());

    it('takes every kind of order the gateway sends: ONE_OFF, FIRST with a subscription and groups, RECURRING, Orders/Pay', async () => {
      const items = [
        { name: 'Helicopter', code: 'H1', quantity: 1.5, unit: 'Kg.', unitPrice: '1000', amount: '1500', group: 'Flying vehicles', selected: true },
        { name: 'Glider', amount: '2000', group: 'Flying vehicles' },
        { name: 'Insurance', amount: '300', optional: true, selected: false },
      ];
      const one = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items, buyer: null, returnUrls: null, expiresAt: null, reference: null }) }, shop);
      expect(one.errors).toBeUndefined();
      const subscription = { startDate: '2027-01-05', frequency: 'WEEK', frequencyInterval: 2, cycles: 5 };
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST', subscription } }) }, shop);
      expect(first.errors).toBeUndefined();
      await pei.confirm(first.data!.createOrder.providerOrderId!);
      const mandateId = pei.orders.get(first.data!.createOrder.providerOrderId!)!.mandateId!;
      const next = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ returnUrls: null, pei: { sequenceType: 'RECURRING', mandateId } }) }, shop);
      expect(next.errors).toBeUndefined();
      pei.purchaseAccess.add(SSN);
      const paid = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase({ buyer: { name: 'Jón Jónsson', email: 'jon@example.is', nationalId: '010288-2849' } }) }, merchant);
      expect(paid.errors).toBeUndefined();
      await untilAt(gateway, next.data!.createOrder.id, 'CAPTURED');
      await untilAt(gateway, paid.data!.createOrder.id, 'CAPTURED');
    });
  });
});
