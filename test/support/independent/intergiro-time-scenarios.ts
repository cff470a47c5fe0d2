import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../documents.js';
import { gql } from '../graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../intergiro.js';
import { intergiroSecrets, useIndependentIntergiro, type IntergiroVariation } from './intergiro-harness.js';

const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const creationsOf = (requests: { method: string; path: string; body: unknown }[], reference: string) =>
  requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { number?: string }).number === reference);

/**
 * The paths where Intergiro's dates decide money or a listing, run under each way of writing its
 * times that a round varies (rounds twenty-seven and twenty-eight): a refund the acquirer refuses
 * (a failure counts only where dated since the PATCH), two refunds in one call the second of which
 * is refused, `orders(filter)` adopting an order made at Intergiro today, and a lost creation's
 * search. `round` is the harness' round suffix (`-27`), `roundName` the suites' label.
 */
export function describeDatedPaths(round: string, roundName: string, timeForms: [string, IntergiroVariation][]): void {
  const useRound = (variation: IntergiroVariation) => useIndependentIntergiro(round, variation);

  describe.each(timeForms)(`Intergiro, round ${roundName}: every time as %s, a refund refused`, (_name, times) => {
    const { context, createOk, apply, read } = useRound({ ...times, refundsDeclined: true, callbacks: 'none' });

    it('is refused, and the order shows nothing refunded', async () => {
      const order = await createOk({ ...CARD, charge: true });
      expect(order.status).toBe('CAPTURED');
      const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
      expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
      expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
      expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '0.00' } });
    }, 15_000);
  });

  describe.each(timeForms)(`Intergiro, round ${roundName}: every time as %s, two refunds in one call, the second more than its back office left`, (_name, times) => {
    const { context, createOk, apply, read } = useRound({ ...times, callbacks: 'none' });

    it('the second is refused; the order shows what Intergiro refunded', async () => {
      const order = await createOk({ ...CARD, charge: true });
      context.server.refundBehind(order.providerOrderId!, 1500);
      const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }, { type: 'REFUND', amount: '4.00' }] }]);
      expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 1700 });
      expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
      expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '17.00' } });
    }, 15_000);
  });

  describe.each(timeForms)(`Intergiro, round ${roundName}: every time as %s, listings`, (_name, times) => {
    const { context, create, createOk } = useRound({ ...times, callbacks: 'none' });

    it('orders(filter) adopts an order made at Intergiro today, on its own day', async () => {
      const answer = await fetch(`${context.server.url}/v1/order`, {
        method: 'POST',
        headers: { authorization: `Bearer ${intergiroSecrets(round).apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ number: `elsewhere-${Date.now()}`, items: 7.5, currency: 'EUR', payment: { type: 'card', card: 'tok_ok' } }),
      });
      const id = ((await answer.json()) as { id: string }).id;
      const today = new Date().toISOString().slice(0, 10);
      const listed = await gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO' }, first: 100 }, context.backOffice);
      expect(listed.errors).toBeUndefined();
      const adopted = listed.data!.orders.nodes.find((node) => node.providerOrderId === id);
      expect(adopted).toMatchObject({ status: 'AUTHORIZED', total: { amount: '7.50' } });
      expect(adopted!.createdAt.slice(0, 10)).toBe(today);
    });

    it('a creation answered 500 and retried under its key is made (and charged) once', async () => {
      await createOk(CARD);
      const reference = `r${round.slice(1)}-${Math.random().toString(36).slice(2, 8)}`;
      const idempotencyKey = `lost-${reference}`;
      context.server.loseNext('POST', 500, '/v1/order');
      expect(codes((await create({ ...CARD, charge: true }, { reference, idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
      context.server.forgetLosses();
      const retried = await create({ ...CARD, charge: true }, { reference, idempotencyKey });
      expect(creationsOf(context.server.requests, reference)).toHaveLength(1);
      expect(retried.errors).toBeUndefined();
      expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ number: reference, charged: 2000 });
    });
  });
}
