/**
 * Round twenty-eight of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to twenty-seven did
 * not try (each describe names the break it found, or says it is a guard):
 * - numbers written with an explicit `+` sign, or zero-padded (the independent ICM's new
 *   `signedNumbers`): the seed writes every amount as a JSON number (`"value": 628.34`) and says
 *   nothing of the writer; round two tried plain decimal strings, round eleven Java's doubles, round
 *   twenty-five every scalar as a string. A BigDecimal written through a java.text.DecimalFormat with
 *   a positive prefix (`+#0.00;-#0.00`, an XmlAdapter shared with an ERP export) writes `"+628.34"`,
 *   a fixed-width one `"+00000628.34"`, and the list's `info` counts and a line's quantity and
 *   position (`"+50"`, `"+2"`) the same way. Both are one number only: a sign that says positive,
 *   zeros that say nothing (no one reads a decimal amount as octal).
 * - ICM's words cased on a JVM whose default locale is Turkish (the independent ICM's new
 *   `turkishCasing`; `-Duser.language=tr`, the "Turkish I" of String#toLowerCase() and
 *   #toUpperCase() without a Locale): the seed writes ASCII words (`redirect_urls_required`,
 *   `Redirect`, `PENDING`, `AUTHORIZED`) and says nothing of how they are made; the seed's own
 *   pairs (`"status": "Pending"` beside `"statusCode": "PENDING"`, lower-case exit reasons beside
 *   upper-case enum words) show words made by case conversion. Under a Turkish locale
 *   `REDIRECT_URLS_REQUIRED.name().toLowerCase()` is `redırect_urls_requıred` (dotless `ı`), and
 *   `"Pending".toUpperCase()` is `PENDİNG` (dotted `İ`). No word of ICM's holds a letter beyond ASCII,
 *   and `ı` / `İ` are no other word's letters, so each is that one word.
 * Found (run on the adapter before the fix: 17 of 27 failed):
 * - a `+` before an amount's digits made the amount, and with it the whole answer, unreadable (the
 *   wire schema took `-?digits` only): a direct payment's create was PROVIDER_UNAVAILABLE after ICM
 *   had made the order and taken its money, every retry's search found the order and failed the same
 *   way, the buyer's return from the PSP's page too (her SUCCESS never shown AUTHORIZED), and
 *   listings skipped every order. A `+` on the list's `info` counts left the paging block unread, and
 *   on a line's quantity and position left the line without them.
 * - a lower-cased word with the dotless `ı` (`redırect_urls_requıred`, `Redırect`,
 *   `waıtıng_for_pendıng_payments`) was an unknown word: a create without return URLs had no stop
 *   the client could answer (its return URLs refused), one at the PSP's page never gave the buyer
 *   its URL (her SUCCESS and CANCEL refused), and a payment ICM was waiting on read as ACTION_REQUIRED.
 *   Upper-cased words with the dotted `İ` held already (the word comparison folds `İ`; guards).
 * Fixed (src/providers/intershop/plus-sign.ts withoutPlusSign, dotted-i.ts asciiI; wire.ts
 * IntershopMoney / ListCount and every word field, json-scalars.ts IcmQuantity / IcmPosition): one
 * `+` directly before a digit is taken off before an amount, a count, a quantity or a position is
 * read (`++1`, `+-1`, `+ 1` stay unreadable, never guessed); the Turkish `ı` / `İ` in a status,
 * a stop's type and exit reason, a payment's status, statusCode and status read as `i` / `I`
 * (never in an id: ids are opaque, round twenty-one).
 * Guards (held): zero-padded amounts and counts without a sign (`"00000628.34"`), JPY and KWD; an
 * error written with 200 OK whose `status` is `"+400"` (round twenty-three's `errorsInOk`): a basket
 * ICM does not know was PROVIDER_REJECTED before too (a status unread is found out as an unsaid one
 * is); wire.ts now reads that status through plus-sign.ts as well, so it is said, not found out.
 * Left: an info code lower-cased under a Turkish locale (`order.cancelled.ınfo`) is passed to
 * the client as written (the gateway decides nothing on it). Earlier rounds' leftovers stay as they
 * were: a listing without `from` past 200 pages (round twenty-six's it.fails) needs the listing's
 * `first` in the provider port's filter (src/domain), which this round does not change; `CST` and
 * other ambiguous zone names (round twenty-seven). Every suite ends with the harness's money check
 * (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

const LINES = 'query($id: ID!) { order(id: $id) { items { lineId quantity amount { amount } } } }';

/** The harness with today's listing, the list calls, the order's lines and the redirect results ICM received. */
function harness(options: Partial<IcmServerOptions>) {
  const t = icmHarness('-28', options);
  const listCalls = () => t.h.icm.calls.filter((call) => call.method === 'GET' && /^\/orders\/?(\?|$)/.test(call.path)).length;
  const listed = async (providerOrderId: string) => {
    const today = new Date().toISOString().slice(0, 10);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: today, to: today }, first: 100 }, t.h.backOffice);
    return list.orders.nodes.find((node) => node.providerOrderId === providerOrderId);
  };
  /** The storefront's older orders (`backlog`: three days old) listed for their day. */
  const storefrontListed = async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: day, to: day }, first: 100 }, t.h.backOffice);
    return list.orders.nodes.filter((node) => node.providerOrderId?.startsWith('old-'));
  };
  const lines = async (id: string) =>
    (await gqlOk<{ order: { items: { lineId: string | null; quantity: number | null; amount: { amount: string } }[] } }>(t.h.gateway.url, LINES, { id }, t.h.backOffice)).order.items;
  /** The buyer's redirect results with `status` ICM received for `providerOrderId`. */
  const results = (providerOrderId: string, status: string) =>
    t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(encodeURIComponent(providerOrderId)) && call.body.includes(`"${status}"`));
  return { ...t, listCalls, listed, storefrontListed, lines, results };
}

describe.each<[string, IcmServerOptions['signedNumbers']]>([
  ['a `+` sign (`"+628.34"`, `"+50"`)', 'plus'],
  ['a `+` sign, zero-padded (`"+00000628.34"`)', 'plus-zeros'],
  ['zero-padded, no sign (`"00000628.34"`; a guard)', 'zeros'],
])('an ICM writing every amount, count and quantity as a string with %s', (_name, signedNumbers) => {
  const t = harness({ signedNumbers, lineItems: { count: 2, quantity: 2, unitPriceDecimals: 2 }, backlog: 120, listPageSize: 50 });

  it('a direct payment captured in the POST is CAPTURED with its total, and its lines read', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(628.34, 'USD', { payment: 'direct', capture: true })));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '628.34', currency: 'USD' } });
    expect(await t.lines(order.id)).toEqual([
      { lineId: '1', quantity: 2, amount: { amount: '314.17' } },
      { lineId: '2', quantity: 2, amount: { amount: '314.17' } },
    ]);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a gift card beside the PSP\'s payment, given return URLs, then the buyer\'s SUCCESS (sent once): AUTHORIZED, the amounts exact', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(99.99, 'USD', { giftCard: 20 }), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } }, total: { amount: '99.99' } });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '99.99' } });
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toHaveLength(1);
  });

  it('JPY without decimals and KWD with three are exact', async () => {
    const yen = await t.createOk(t.input(t.h.icm.addBasket(12_345_678, 'JPY', { payment: 'direct', capture: true })));
    expect(yen).toMatchObject({ status: 'CAPTURED', total: { amount: '12345678', currency: 'JPY' } });
    const dinar = await t.createOk(t.input(t.h.icm.addBasket(12.345, 'KWD', { payment: 'direct' })));
    expect(dinar).toMatchObject({ status: 'AUTHORIZED', total: { amount: '12.345', currency: 'KWD' } });
  });

  it('a direct payment captured in the POST whose answer was lost: the retry under the same key finds it, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(45.5, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `r28-signed-lost-${signedNumbers}-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '45.50' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('the listing for today shows the order from the first page (the list\'s `info` read), and the storefront\'s older orders for their day', async () => {
    const made = await t.createOk(t.input(t.h.icm.addBasket(77.07, 'USD', { payment: 'direct', capture: true })));
    const before = t.listCalls();
    expect(await t.listed(made.providerOrderId!)).toMatchObject({ status: 'CAPTURED', total: { amount: '77.07' } });
    expect(t.listCalls() - before).toBeLessThanOrEqual(2);
    const older = await t.storefrontListed();
    expect(older.length).toBeGreaterThan(50);
    expect(older[0]).toMatchObject({ status: 'CAPTURED', total: { amount: '10.00' } });
  });
});

describe.each<[string, IcmServerOptions['turkishCasing']]>([
  ['words lower-cased from their enum constants (`redırect_urls_requıred`, `Redırect`)', 'lower'],
  ['words upper-cased from their display form (`PENDİNG`, `AUTHORİZED`)', 'upper'],
  ['both', 'both'],
])('an ICM on a JVM whose default locale is Turkish: %s', (_name, turkishCasing) => {
  const t = harness({ turkishCasing });

  it('a create without return URLs waits for them; given them, the buyer is sent to the PSP page; her SUCCESS (sent once) is AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(120, 'USD')));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const atPsp = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(atPsp).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(atPsp.creation?.stopAction?.redirectUrl).toMatch(/^http/);
    expect(await t.continueOk(t.back(atPsp, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '120.00' } });
    expect(t.results(order.providerOrderId!, 'SUCCESS')).toHaveLength(1);
  });

  it('the buyer\'s CANCEL is CANCELLED, no money reserved', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(121, 'USD'), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.back(order, 'CANCEL'))).toMatchObject({ status: 'CANCELLED' });
    expect(t.h.icm.held(order.providerOrderId!)?.reserved ?? false).toBe(false);
  });

  it('a direct payment captured in the POST is CAPTURED; a pending one is PENDING until the PSP settles it, then AUTHORIZED', async () => {
    const captured = await t.createOk(t.input(t.h.icm.addBasket(122, 'USD', { payment: 'direct', capture: true })));
    expect(captured).toMatchObject({ status: 'CAPTURED', total: { amount: '122.00' } });
    const pending = await t.createOk(t.input(t.h.icm.addBasket(123, 'USD', { payment: 'direct', async: true })));
    expect(pending).toMatchObject({ status: 'PENDING', creation: { stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(pending.providerOrderId!, 'paid');
    expect(await t.readUntil(pending.id, 'AUTHORIZED')).toMatchObject({ total: { amount: '123.00' } });
  });

  it('a listing for today shows a placed order with its status and total', async () => {
    const made = await t.createOk(t.input(t.h.icm.addBasket(124, 'USD', { payment: 'direct' })));
    expect(await t.listed(made.providerOrderId!)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '124.00' } });
  });
});

describe('an ICM writing its errors with 200 OK, the error\'s status through the same signed formatter (`"status": "+400"`)', () => {
  const t = harness({ signedNumbers: 'plus', errorsInOk: { methods: ['POST', 'PATCH', 'GET'], status: 'said' } });

  it('guard: a basket ICM does not know: PROVIDER_REJECTED with ICM\'s code (held before: an error whose status is unread is found out as round twenty-three\'s unsaid one)', async () => {
    const basketId = `nNunknownKAB2_r28-${Math.random()}`;
    const answer = await t.create(t.input(basketId));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'basket.not_found.error' });
  });

  it('guard: a direct payment captured in the POST is CAPTURED, its amount exact', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(2800.01, 'USD', { payment: 'direct', capture: true })));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '2800.01' } });
  });
});
