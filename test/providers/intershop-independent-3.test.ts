/**
 * Round three of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed neither round one nor two
 * tried:
 * - `creationDate` as other Java servers write it: a ZonedDateTime with its zone's name
 *   (`+01:00[Europe/Berlin]`), a java.util.Date as Jackson's default epoch milliseconds; and a
 *   date without a zone read by a gateway whose own TZ is not UTC;
 * - §2.3's list ("like baskets", no example) paged without an `info` block, or honouring `limit`
 *   but ignoring `offset`: every order is listed, and a lost creation behind the first page is found;
 *   a list of `{id}` entries alone (no basket, no date): a lost creation is found by reading the
 *   newest entries, and only as far back as the call;
 * - `infos` whose entries have their `code` only (no `message`, or a Java null for it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINUE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServerOptions } from '../support/independent/intershop-server.js';

/** A gateway in front of an independent ICM. */
function harness(options: Partial<IcmServerOptions>) {
  const { h, input, create } = icmHarness('-3', options);
  /** Every listed INTERSHOP order, page after page. */
  const list = async (filter: Record<string, unknown> = {}) => {
    const nodes: OrderView[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      type Page = { orders: { nodes: OrderView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const answer: Page = await gqlOk<Page>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', ...filter }, first: 100, ...(after ? { after } : {}) }, h.backOffice);
      nodes.push(...answer.orders.nodes);
      if (!answer.orders.pageInfo.hasNextPage) break;
      after = answer.orders.pageInfo.endCursor;
    }
    return nodes;
  };
  /** An order another client (the storefront) placed at ICM, paid without a redirect: its ICM id. */
  const elsewhere = async (value: number) => {
    const made = await fetch(`${h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: h.icm.addBasket(value, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    expect(made.status).toBe(201);
    return ((await made.json()) as { data: { id: string } }).data.id;
  };
  return { h, input, create, list, elsewhere };
}

/** The listed order's creation time is now's, give or take a few minutes (not a zone's offset away). */
function createdAbout(order: OrderView | undefined, at: number) {
  expect(order).toBeDefined();
  expect(Math.abs(Date.parse(order!.createdAt) - at)).toBeLessThan(5 * 60 * 1000);
}

describe.each<[string, Partial<IcmServerOptions>]>([
  ['a Java ZonedDateTime with its zone\'s name (+01:00[Europe/Berlin])', { dateStyle: 'zone-id' }],
  ['epoch milliseconds (Jackson\'s default for a java.util.Date)', { dateStyle: 'epoch-millis' }],
])('Intershop adapter against an independent ICM whose creationDate is %s', (_name, variation) => {
  const t = harness(variation);

  it('an order placed at ICM by another client is listed, created today (before: skipped as unreadable, or every answer refused)', async () => {
    const at = Date.now();
    const id = await t.elsewhere(45);
    const today = new Date().toISOString().slice(0, 10);
    const listed = await t.list({ from: today, to: today });
    const found = listed.find((node) => node.providerOrderId === id);
    expect(found).toMatchObject({ status: 'AUTHORIZED', total: { amount: '45.00' } });
    createdAbout(found, at);
  });

  it('a creation whose answer is lost is found by its basket; one POST', async () => {
    const basketId = t.h.icm.addBasket(46);
    const variables = t.input(basketId, { idempotencyKey: `lost-date-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '46.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe('Intershop adapter against an independent ICM that writes UTC without a zone, read by a gateway whose own zone is UTC+14', () => {
  const t = harness({ dateStyle: 'no-zone' });
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Pacific/Kiritimati';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('an order placed at ICM by another client is listed at its time, not 14 hours earlier (before: read in the gateway\'s local zone)', async () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-14 * 60);
    const at = Date.now();
    const id = await t.elsewhere(47);
    createdAbout((await t.list()).find((node) => node.providerOrderId === id), at);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['pages its list 25 at a time without an info block', { listPageSize: 25, listInfo: false }],
  ['honours limit but ignores offset (with its info block)', { listIgnoresOffset: true }],
  ['honours limit but ignores offset, without an info block', { listIgnoresOffset: true, listInfo: false }],
])('Intershop adapter against an independent ICM that %s', (_name, variation) => {
  const t = harness(variation);

  it('a lost creation with 60 newer orders on top of it is found (one POST), and all 61 are listed once', async () => {
    const basketId = t.h.icm.addBasket(48);
    const variables = t.input(basketId, { idempotencyKey: `lost-paged-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const others: string[] = [];
    for (let i = 0; i < 60; i += 1) others.push(await t.elsewhere(1 + i));
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '48.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    const ids = (await t.list()).map((node) => node.providerOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [...others, retried.data!.createOrder.providerOrderId]) expect(ids).toContain(id);
  });
});

describe('Intershop adapter against an independent ICM whose list entries are `{id}` alone', () => {
  const t = harness({ list: 'ids' });

  it('a lost creation under newer orders is found by reading the newest entries, back to the first older than the call; one POST', async () => {
    for (let i = 0; i < 30; i += 1) await t.elsewhere(100 + i);
    const basketId = t.h.icm.addBasket(49);
    const variables = t.input(basketId, { idempotencyKey: `lost-thin-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    for (let i = 0; i < 5; i += 1) await t.elsewhere(200 + i);
    // Orders made more than the window before the call would not be read; these are all recent, so read up to the bound.
    const before = t.h.icm.calls.length;
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '49.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    // Bounded: no more than the newest 20 entries read one by one, plus the order found read whole.
    const reads = t.h.icm.calls.slice(before).filter((call) => call.method === 'GET' && /^\/orders\/[^/?]+\?/.test(call.path));
    expect(reads.length).toBeLessThanOrEqual(25);
  });

  it('more than 20 newer entries on top of a lost creation: the gateway cannot tell yet (PROVIDER_UNAVAILABLE) and sends no second POST', async () => {
    const basketId = t.h.icm.addBasket(50);
    const variables = t.input(basketId, { idempotencyKey: `lost-thin-deep-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    for (let i = 0; i < 21; i += 1) await t.elsewhere(300 + i);
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['without their message', { infoMessages: false }],
  ['with a null message (a Java serializer\'s default)', { infoMessages: false, nulls: true }],
])('Intershop adapter against an independent ICM whose infos come %s', (_name, variation) => {
  const t = harness(variation);
  const continueOk = async (variables: Record<string, unknown>) =>
    (await gqlOk<{ continueOrderCreation: OrderView }>(t.h.gateway.url, CONTINUE_ORDER, { input: variables }, t.h.shop)).continueOrderCreation;

  it('a redirect order stops for its URLs, goes to the PSP page, and the buyer\'s cancel is CANCELLED; each info shown by its code (before: every answer with an info unreadable)', async () => {
    const created = await t.create(t.input(t.h.icm.addBasket(51)));
    expect(created.errors).toBeUndefined();
    const order = created.data!.createOrder;
    expect(order).toMatchObject({
      status: 'ACTION_REQUIRED',
      creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' }, infos: [{ code: 'order.creation_stopped.info', message: 'order.creation_stopped.info' }] },
    });
    const redirected = await continueOk({ orderId: order.id, returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' } });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: [] } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK', infos: [{ code: 'order.cancelled.info', message: 'order.cancelled.info' }] } });
  });
});
