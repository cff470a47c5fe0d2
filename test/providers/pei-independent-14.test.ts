/**
 * Round fourteen (header written below once findings are settled).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';

const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The client's retry under its key past Pei's listing lag (createPastListingLag). The gateway's
 * reconciliation sweep (every 150 ms here) sees the clock moved on too and may adopt the lost
 * creation in the same moment: the retry then finds the order the sweep has just stored under
 * this very id and answers it unknown ("an earlier order with the same reference",
 * domain/orders/lost-creation.ts foundUnderAnotherId); the client's next retry answers it.
 */
async function retryPastLag(url: string, input: Record<string, unknown>, token: string) {
  const retry = await createPastListingLag(url, input, token);
  const raced = retry.errors?.[0]?.message.includes('shows only an earlier order with the same reference') === true;
  return raced ? createPastListingLag(url, input, token) : retry;
}

/** What the gateway shows as captured, over all of the order's payments, in whole krónur. */
const captured = (order: OrderView): number => order.payments.reduce((sum, payment) => sum + Number(payment.capturedAmount?.amount ?? 0), 0);

describe('Pei adapter against an independent Pei, round fourteen', () => {
  const harness = independentPeiHarness('-14');
  const { gatewayFor, readAt, untilAt, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let merchant: string;
  beforeAll(() => ({ pei, merchant } = harness.parts));

  describe.each([
    ['"" (a NOT NULL string column left empty)', ''],
    ['"Purchase" (a word of Pei\'s own)', 'Purchase'],
    ['3 (an enum member beyond the seed\'s three)', 3],
  ] as const)('an Orders/Pay order whose reads show its SequenceType as %s', (_name, paySequenceType) => {
    it('a purchase Pei declines (its read says Declined) is never CAPTURED', async () => {
      const gateway = await gatewayFor({ statusWords: WORDS, payConfirms: 'declined', paySequenceType });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
        if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
        else {
          expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
          expect(answer.data!.createOrder.providerStatus).toBe('Declined');
          await sleep(400);
          const read = await readAt(gateway, answer.data!.createOrder.id);
          expect(read.status).not.toBe('CAPTURED');
          expect(captured(read)).toBe(0);
        }
      } finally {
        await gateway.close();
      }
    });

    it('a purchase Pei accepts (202) and charges later, its postback lost, becomes CAPTURED from its reads', async () => {
      const gateway = await gatewayFor({ statusWords: WORDS, payStatus: 202, payConfirms: 'later', sendPostback: false, paySequenceType });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        expect(order.status).toBe('PENDING');
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('a purchase whose answer was lost is found by the retry, not charged again', async () => {
      const gateway = await gatewayFor({ paySequenceType });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `seq-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await retryPastLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
      } finally {
        await gateway.close();
      }
    });
  });

  describe.each([
    ['the day alone (a SQL `date` column: `2026-12-06`)', 'dateOnly'],
    ['that day\'s midnight (`2026-12-06T00:00:00`)', 'sqlDate'],
    ['its server\'s local time five hours behind UTC, without a zone', 'localBehind'],
    ['UTC (control)', 'utc'],
  ] as const)('a Pei whose listing shows when an order was made as %s, and lags the create', (_name, createdShown) => {
    it("an Orders/Pay under the client's reference whose answer was lost (reset), retried with its key past the listing lag: found, not charged again", async () => {
      const gateway = await gatewayFor({ createdShown, listLagMs: 1200 });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `created-${Math.random()}` });
        const reference = String(input['reference']);
        pei.loseNextAnswer('/api/orders/pay', 'reset');
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        await sleep(1300);
        const retry = await retryPastLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
        const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
      } finally {
        await gateway.close();
      }
    });

    it("a Recurring charge under the client's reference whose answer was lost (500), retried with its key past the listing lag: the mandate is not charged again", async () => {
      const gateway = await gatewayFor({ createdShown, listLagMs: 1200 });
      try {
        const input = recurring({ idempotencyKey: `created-rec-${Math.random()}` });
        const reference = String(input['reference']);
        pei.loseNextAnswer('/api/orders', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        await sleep(1300);
        const retry = await retryPastLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders', reference)).toHaveLength(1);
        const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
      } finally {
        await gateway.close();
      }
    });
  });
});
