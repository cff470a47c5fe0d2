/**
 * Round twenty-seven of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to twenty-six did
 * not try (each describe names the break it found, or says it is a guard):
 * - `creationDate` as a date in words (the independent ICM's new `dateStyle: 'java-date'`,
 *   `'java-date-utc'`, `'java-date-cst'`, `'rfc1123'`): the seed writes `2019-11-13T14:27:06+01:00`
 *   and names no serializer; rounds two to twenty-five tried ISO forms, epoch numbers and Jackson's
 *   arrays. A JSON writer that does not know a java.util.Date stringifies it (`Date#toString()`:
 *   `Wed Nov 13 14:27:06 CET 2019`, in the JVM's zone by its short name), and one set to
 *   DateTimeFormatter.RFC_1123_DATE_TIME writes `Wed, 13 Nov 2019 13:27:06 GMT`. Either was no
 *   date: every order made outside the gateway (the storefront's) was left out of listings (`orders`
 *   for INTERSHOP showed only the gateway's own, from its store), and a listing from a day read every
 *   page of ICM's list (it never met an order it could place before that day: 5 pages for 200 older
 *   orders; past 200 pages it fails PROVIDER_UNAVAILABLE, round twenty-six).
 * Fixed (src/providers/intershop/java-date-text.ts, dates.ts icmInstant): both forms are read when
 * the zone names one offset (UTC / GMT / UT, `+0100`, Europe's WET / WEST, CET / CEST, MET / MEST,
 * EET / EEST) and the weekday is the date's own.
 * - every `currency` and `purchaseCurrency` written as ISO 4217's number (the independent ICM's new
 *   `currencyAs`): `840` as a JSON number (a java.util.Currency written by its `getNumericCode()`),
 *   or the three digits `"840"`, `"036"`; the seed writes `"USD"` and says nothing of the type. A
 *   number was no string to the wire schema, three digits no currency to the money reader: every
 *   answer carrying an amount was unreadable, so every create was PROVIDER_UNAVAILABLE after ICM had
 *   made the order (paid without a redirect: its money taken), every retry's search found the order
 *   and failed the same way, the buyer's return from the PSP's page too (her SUCCESS never shown
 *   AUTHORIZED), and listings skipped every order.
 * Fixed (src/providers/intershop/currency-code.ts icmCurrency, wire.ts IntershopMoney /
 * purchaseCurrency, mapping.ts freeOrderTotal): a currency is ISO's letters in any case or ISO's
 * number (a published table, each number one currency), for the currencies a shop sells in; a
 * number not in the table (ISO's 999, XXX "no currency") stays no currency and the amount
 * unreadable, never guessed (a guard below).
 * Guards (held): currencies in lower case (`"usd"`, `"jpy"`) were read already (wire.ts upper-cases).
 * Left (an it.fails below): a date whose zone's short name is ambiguous (Java writes `CST` for
 * Asia/Shanghai as for America/Chicago; `IST`, `EST`...) is no date: an order made outside the
 * gateway so dated is still left out of listings (the gateway's own are listed, and a lost create is
 * found all the same: its search takes an unreadable date as recent).
 * A leap second (`23:59:60`) is not read (no Java writer makes one). Earlier rounds' leftovers (the
 * 202 / 204 / 303 to the return URLs at an ICM whose reads carry no chain; a lost create at an ICM
 * whose orders name no basket; a listing without `info` shifted twice; a read answered 200 with an
 * error naming no status; a listing without `from` past 200 pages) stay as they were: nothing this
 * round adds tells them without a guess. Every suite ends with the harness's money check (no order
 * shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

/** The harness with today's listing, the list calls and the redirect results ICM received. */
function harness(options: Partial<IcmServerOptions>) {
  const t = icmHarness('-27', options);
  const listCalls = () => t.h.icm.calls.filter((call) => call.method === 'GET' && /^\/orders\/?(\?|$)/.test(call.path)).length;
  const listed = async (providerOrderId: string) => {
    const today = new Date().toISOString().slice(0, 10);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: today, to: today }, first: 100 }, t.h.backOffice);
    return list.orders.nodes.find((node) => node.providerOrderId === providerOrderId);
  };
  /** The buyer's redirect results with `status` ICM received for `providerOrderId`. */
  const results = (providerOrderId: string, status: string) =>
    t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(encodeURIComponent(providerOrderId)) && call.body.includes(`"${status}"`));
  /** The storefront's older orders (`backlog`: three days old) listed for their day. */
  const storefrontListed = async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: day, to: day }, first: 100 }, t.h.backOffice);
    return list.orders.nodes.filter((node) => node.providerOrderId?.startsWith('old-'));
  };
  return { ...t, listCalls, listed, storefrontListed, results };
}

describe.each<[string, IcmServerOptions['dateStyle']]>([
  ['java.util.Date#toString() in Europe/Berlin (`Mon Dec 07 17:40:00 CET 2026`)', 'java-date'],
  ['java.util.Date#toString() at UTC (`Mon Dec 07 16:40:00 UTC 2026`)', 'java-date-utc'],
  ['RFC 1123 (`Mon, 7 Dec 2026 16:40:00 GMT`)', 'rfc1123'],
])('an ICM writing creationDate in words: %s, paging its list by 50 after 200 older orders', (_name, dateStyle) => {
  const t = harness({ dateStyle, backlog: 200, listPageSize: 50 });

  it('a direct payment captured in the POST is listed for today, CAPTURED with its total, from the first page', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(60, 'USD', { payment: 'direct', capture: true })));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '60.00', currency: 'USD' } });
    const before = t.listCalls();
    expect(await t.listed(order.providerOrderId!)).toMatchObject({ status: 'CAPTURED', total: { amount: '60.00', currency: 'USD' } });
    expect(t.listCalls() - before).toBeLessThanOrEqual(2);
  });

  it('the storefront\'s older orders (made outside the gateway) are listed for their day, CAPTURED with their totals', async () => {
    const listed = await t.storefrontListed();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]).toMatchObject({ providerOrderId: 'old-0.AAAFuFztdhmTy', status: 'CAPTURED', total: { amount: '10.00', currency: 'USD' } });
  });

  it('a create given return URLs, the buyer\'s SUCCESS (sent once), then the listing: AUTHORIZED throughout', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(61, 'USD'), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '61.00' } });
    expect(await t.listed(order.providerOrderId!)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '61.00' } });
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('guard: a direct payment captured in the POST whose answer was lost: the retry under the same key finds it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(62, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r27-date-lost-${dateStyle}-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '62.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe('an ICM writing creationDate as java.util.Date#toString() in Asia/Shanghai, whose short name Java writes `CST` (also America/Chicago\'s)', () => {
  const t = harness({ dateStyle: 'java-date-cst', backlog: 20 });

  it('guard: a direct payment captured in the POST whose answer was lost: the retry finds it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(70, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r27-cst-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '70.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('guard: the gateway\'s own order is listed for today all the same, CAPTURED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(71, 'USD', { payment: 'direct', capture: true })));
    expect(await t.listed(order.providerOrderId!)).toMatchObject({ status: 'CAPTURED', total: { amount: '71.00' } });
  });

  // Left: `CST` names two offsets (+08:00, -06:00); the date is none rather than a guess, so an
  // order made outside the gateway is left out of listings.
  it.fails('the storefront\'s older orders are listed for their day', async () => {
    expect((await t.storefrontListed()).length).toBeGreaterThan(0);
  });
});

describe.each<[string, IcmServerOptions['currencyAs'], string, number, string]>([
  ['ISO 4217\'s number as a JSON number (`840`)', 'numeric', 'USD', 100, '100.00'],
  ['ISO 4217\'s number as a JSON number, JPY (`392`, no decimals)', 'numeric', 'JPY', 15000, '15000'],
  ['ISO 4217\'s three digits as a string, KWD (`"414"`, three decimals)', 'numeric-string', 'KWD', 12.345, '12.345'],
  ['ISO 4217\'s three digits as a string with a leading zero, AUD (`"036"`)', 'numeric-string', 'AUD', 99.5, '99.50'],
  ['guard: lower case (`"usd"`)', 'lower', 'USD', 101, '101.00'],
])('an ICM writing every currency as %s', (_name, currencyAs, currency, value, shown) => {
  const t = harness({ currencyAs });

  it('a direct payment captured in the POST is CAPTURED with its total in ISO\'s letters, and listed so', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(value, currency, { payment: 'direct', capture: true })));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: shown, currency } });
    expect(order.payments.map((payment) => payment.capturedAmount.amount)).toEqual([shown]);
    expect(await t.listed(order.providerOrderId!)).toMatchObject({ status: 'CAPTURED', total: { amount: shown, currency } });
  });

  it('a create given return URLs, then the buyer\'s SUCCESS: AUTHORIZED, the result sent once, the chain moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(value, currency), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: shown, currency }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: shown, currency } });
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: shown, currency } });
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a direct payment whose answer was lost: the retry under the same key finds it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(value, currency, { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r27-currency-lost-${currencyAs}-${currency}-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: shown, currency } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('a free order (a promotion, no payment) is placed with a zero total in its purchaseCurrency', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(0, currency, { free: true })));
    expect(order).toMatchObject({ total: { currency } });
    expect(Number(order.total.amount)).toBe(0);
  });
});

describe('guard: an ICM writing ISO\'s 999 (XXX, "no currency") for every currency', () => {
  const t = harness({ currencyAs: 'numeric-unknown' });

  it('a direct payment captured in the POST is PROVIDER_UNAVAILABLE (no amount guessed), and its retry under the same key neither guesses nor POSTs again', async () => {
    const basketId = t.h.icm.addBasket(80, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r27-xxx-${Math.random()}` });
    const first = await t.create(variables);
    expect(codes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(first.data?.createOrder ?? null).toBeNull();
    const retry = await t.create(variables);
    expect(codes(retry)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.posts(basketId)).toHaveLength(1);
  });
});
