/**
 * Round twenty-one of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). HEADER-PLACEHOLDER
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

/** The harness with the listing and an order the storefront placed (round eight's `elsewhere`). */
function harness(options: Partial<IcmServerOptions>) {
  const t = icmHarness('-21', options);
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice)).orders.nodes;
  /** An order another client (the storefront) placed at ICM, paid without a redirect: its ICM id. */
  const elsewhere = async (value: number, payment: 'direct' | 'redirect-with-urls' = 'direct') => {
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(value, 'USD', { payment }), termsAndConditionsAccepted: true }),
    });
    expect(made.status).toBe(201);
    return ((await made.json()) as { data: { id: string } }).data.id;
  };
  return { ...t, list, elsewhere };
}

describe.each<[string, Partial<IcmServerOptions>]>([
  ['standard Base64 (`+`, `/`, `=`)', { idAlphabet: 'base64' }],
  ['`%`, a space, a non-ASCII letter, `/` and `+`', { idAlphabet: 'wide' }],
  ['standard Base64, reads without the chain (round one), a list of `{id}` entries (round three)', { idAlphabet: 'base64', readsCarryCreation: false, list: 'ids' }],
])('an ICM whose ids (orders, payments, baskets) hold characters the seed\'s examples do not show: %s', (_name, variation) => {
  const t = harness(variation);

  it('a create given return URLs is at the PSP page; the buyer\'s SUCCESS: AUTHORIZED, one POST, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(211);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', providerOrderId: expect.stringMatching(/[/+ %]/), total: { amount: '211.00' }, creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '211.00' }, creation: { status: 'COMPLETED' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '211.00' } });
  });

  it('a create without return URLs is given them by the client; the buyer\'s CANCEL: CANCELLED, nothing captured', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(212)));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW' } } });
    expect(await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS })).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.every((payment) => payment.capturedAmount.amount === '0.00')).toBe(true);
  });

  it('a create paid without a redirect: CAPTURED at once, one POST, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(213, 'USD', { payment: 'direct', capture: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '213.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a payment the PSP settles after the create is learned by the re-reads: CAPTURED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(214, 'USD', { payment: 'direct', async: true, capture: true })));
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: '214.00' } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ total: { amount: '214.00' } });
  });

  it('a create paid without a redirect whose answer was lost: the retry under the same key answers the order ICM made, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(215, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r21-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '215.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('an order the storefront placed is listed with its money', async () => {
    const id = await t.elsewhere(216);
    const nodes = await t.list();
    expect(nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '216.00' } });
    for (const node of nodes) t.track(node);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['`201 Created` without a body (round twelve)', { idAlphabet: 'base64', createNoContent: true, noList: true }],
  ['`303 See Other` to the POST (round sixteen)', { idAlphabet: 'base64', seeOther: ['POST'], noList: true }],
  ['`303 See Other` naming ICM\'s own host, ids with a space and `%`', { idAlphabet: 'wide', seeOther: ['POST'], locationHost: 'internal', noList: true }],
])('a create answered with the order\'s address alone, at an ICM without a list (round four\'s `noList`) whose ids hold `/`: %s', (_name, variation) => {
  const t = harness(variation);

  it('a create paid without a redirect is the order `Location` names: CAPTURED, one POST, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(217, 'USD', { payment: 'direct', capture: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '217.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create given return URLs is at the PSP page; SUCCESS: AUTHORIZED, the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(218), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '218.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe('an ICM whose paged list (§2.3, newest first) changes while the gateway reads it page by page (pages of 3, `info` with a total)', () => {
  /** Once, before the first page past the first is written. */
  const once = (change: () => Promise<void>) => {
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await change();
    };
  };

  describe('an order before the page boundary rolled back and gone (the PSP\'s no, round one\'s `rolledBackRead: \'not-found\'`): the entries move up by one', () => {
    const t = harness({ listPageSize: 3, rolledBackRead: 'not-found' });

    it('every order the storefront placed is listed with its money, the one moved across the boundary too (before: skipped)', async () => {
      // Newest first: [e5, e4, atPsp | e3, e2, e1]; atPsp gone before the second page: [e5, e4, e3 | e2, e1].
      const placed = [await t.elsewhere(221), await t.elsewhere(222), await t.elsewhere(223)];
      const atPsp = await t.elsewhere(224, 'redirect-with-urls');
      placed.push(await t.elsewhere(225), await t.elsewhere(226));
      t.h.icm.options = { ...t.h.icm.options, onListPage: once(async () => t.h.icm.pspNotifies(atPsp, 'failed')) };
      const nodes = await t.list();
      for (const node of nodes) t.track(node);
      const listed = (id: string) => nodes.find((node) => node.providerOrderId === id);
      expect(placed.map((id) => listed(id)?.total.amount)).toEqual(['221.00', '222.00', '223.00', '225.00', '226.00']);
      expect(placed.every((id) => listed(id)?.status === 'AUTHORIZED')).toBe(true);
      // Read on the first page while it was still at the PSP page: never shown paid.
      expect(['ACTION_REQUIRED', undefined]).toContain(listed(atPsp)?.status);
    });
  });

  describe('orders the storefront places while the gateway pages: the entries move down', () => {
    const t = harness({ listPageSize: 3 });

    it('three placed (a page\'s worth) before the second page: every order is listed once, with its money (before: the listing ended at that page, the older orders missing), and those placed in the next listing', async () => {
      const placed: string[] = [];
      for (const value of [231, 232, 233, 234, 235, 236, 237]) placed.push(await t.elsewhere(value));
      t.h.icm.options = { ...t.h.icm.options, onListPage: once(async () => void placed.push(await t.elsewhere(238), await t.elsewhere(239), await t.elsewhere(240))) };
      const first = await t.list();
      for (const node of first) t.track(node);
      expect(new Set(first.map((node) => node.providerOrderId)).size).toBe(first.length);
      for (const id of placed.slice(0, 7)) expect(first.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED' });
      const next = await t.list();
      for (const node of next) t.track(node);
      expect(placed.map((id) => next.find((node) => node.providerOrderId === id)?.total.amount)).toEqual(['231.00', '232.00', '233.00', '234.00', '235.00', '236.00', '237.00', '238.00', '239.00', '240.00']);
      expect(new Set(next.map((node) => node.providerOrderId)).size).toBe(next.length);
    });

    it('a create paid without a redirect whose answer was lost while orders come in between the search\'s pages: the retry answers the order ICM made, one POST', async () => {
      t.h.icm.options = { ...t.h.icm.options, onListPage: once(async () => void (await t.elsewhere(241))) };
      const basketId = t.h.icm.addBasket(242, 'USD', { payment: 'direct', capture: true });
      const variables = t.input(basketId, { idempotencyKey: `r21-paging-lost-${Math.random()}` });
      t.h.icm.loseNextCreateAnswer();
      expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '242.00' } });
      expect(t.posts(basketId)).toHaveLength(1);
    });
  });
});
