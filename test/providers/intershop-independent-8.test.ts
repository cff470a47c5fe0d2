/**
 * Round eight of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to seven did not
 * try:
 * - a placed order moving on in ICM's fulfilment before the gateway reads it again: seed §3.2.5
 *   ends at statusCode NEW ("Final state. Order was created."), but §2.3 lists every order of the
 *   user and ICM's order statuses go on (INPROGRESS, EXPORTED, DELIVERED, COMPLETED...: the
 *   Intershop PWA's order list filters by them, intershop/intershop-pwa
 *   src/app/core/models/order-list-query/order-list-query.model.ts). Against reads without the
 *   chain (round one's `readsCarryCreation: false`) or with the last answered one (round five's
 *   `readsKeepLastChain`), such a word was unknown, so an order the PSP's notification placed
 *   while the buyer was away (or while it waited for a pending payment) stayed ACTION_REQUIRED or
 *   PENDING with `provider.unknown_status` until its watch ended, and an order made elsewhere was
 *   listed without its money. The gateway lost a state change ICM had made;
 * - a Redirect stop that carries an `exitReason` too (one Java StopAction with both fields; §2.2:
 *   "The attribute states that the creation was STOPPED and why"): a word no seed names, which made
 *   the whole stop unknown, so the buyer was never given the PSP's URL and no order could be paid;
 * - `creationDate` as Jackson's JavaTimeModule writes a java.time value by default (round three
 *   tried a java.util.Date's epoch milliseconds): epoch seconds with their nanoseconds as a
 *   fraction, whole epoch seconds, or a LocalDateTime's array of fields. Whole seconds were taken
 *   for milliseconds (an order of January 1970: a creation paid in its POST whose answer was lost
 *   was not found, the retry POSTed the basket again and was refused while ICM held the money), a
 *   fraction made the date none (orders made elsewhere never listed), and the array made every
 *   answer unreadable (every create PROVIDER_UNAVAILABLE after ICM had made the order).
 * Breaks found and fixed (src/providers/intershop): chain.ts reads ICM's later order statuses
 * (INPROGRESS, EXPORTED, EXPORTFAILED, DELIVERED, NOTDELIVERABLE, RETURNED, COMPLETED,
 * MANUAL_INTERVENTION_NEEDED) as NEW is read, a placed order whose money its payments' words say
 * (the raw word stays `providerStatus`); CANCELLED and CANCELLEDANDEXPORTED stay unknown words (a
 * rollback may be spelled so, and without payment words it must not read as placed). A Redirect
 * stop's exitReason the gateway does not know is left unread: the stop's type and URL say it all.
 * dates.ts reads an epoch number below 1e11 as seconds, from there as milliseconds (1e11 ms is
 * 1973, 1e11 s the year 5138: no order's date has both readings), and a LocalDateTime's fields as
 * a zone-less wall clock; an order answer whose creationDate is of another form is read without
 * it (only lists need it).
 * Left: an order ICM cancelled after placing it (statusCode CANCELLED), read without its chain,
 * keeps the status it had, the word shown as unknown (the guard below): whether ICM spelled a
 * rollback so or cancelled a placed order, and what became of its money, only its payments' words
 * could say, and beside §3.1's payments without words nothing does. Every suite ends with the
 * harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServer, type IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-8', options);
  const { h, input, createOk, continueOk } = parts;
  const success = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  /** An order sent to the PSP: created without URLs, then given them (§2.2 then §3.2.3). */
  const atPsp = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(h.icm.addBasket(value, 'USD', how)));
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    return redirected;
  };
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, h.backOffice)).orders.nodes;
  /** An order another client (the storefront) placed at ICM, paid without a redirect: its ICM id. */
  const elsewhere = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const made = await fetch(`${h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: h.icm.addBasket(value, 'USD', { payment: 'direct', ...how }), termsAndConditionsAccepted: true }),
    });
    expect(made.status).toBe(201);
    return ((await made.json()) as { data: { id: string } }).data.id;
  };
  return { ...parts, success, atPsp, list, elsewhere };
}

describe('Intershop adapter against an independent ICM whose reads carry no chain and whose placed orders move on in its fulfilment (statusCode INPROGRESS, EXPORTED, DELIVERED: no seed shows them)', () => {
  const t = harness({ readsCarryCreation: false });

  it('a pending payment the PSP approves, then the order goes to fulfilment before the gateway reads it: AUTHORIZED by reconciliation (before: PENDING with an unknown word until the watch ended)', async () => {
    const order = await t.atPsp(81, { async: true });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING', creation: { stopAction: { reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    t.h.icm.fulfil(order.providerOrderId!, 'INPROGRESS');
    const placed = await t.readUntil(order.id, 'AUTHORIZED');
    expect(placed).toMatchObject({ providerStatus: 'INPROGRESS', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', capturedAmount: { amount: '0.00' } }] });
    expect(placed.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
  });

  it('the buyer closes the tab at the PSP page, the PSP captures and ICM exports the order: CAPTURED by reconciliation (before: ACTION_REQUIRED until the watch ended)', async () => {
    const order = await t.atPsp(82, { capture: true });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    t.h.icm.fulfil(order.providerOrderId!, 'EXPORTED');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ providerStatus: 'EXPORTED', creation: { status: 'COMPLETED' }, payments: [{ status: 'CAPTURED', capturedAmount: { amount: '82.00' } }] });
  });

  it('the PSP\'s no while the buyer is away still rolls the order back: CANCELLED', async () => {
    const order = await t.atPsp(83);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('an order made elsewhere and delivered is listed AUTHORIZED with its total; one ICM\'s back office captured at shipping CAPTURED (before: listed without its money, the word unknown)', async () => {
    const authorized = await t.elsewhere(84);
    const captured = await t.elsewhere(85);
    t.h.icm.fulfil(authorized, 'DELIVERED');
    t.h.icm.backOffice(captured, 'capture');
    t.h.icm.fulfil(captured, 'DELIVERED');
    const nodes = await t.list();
    expect(nodes.find((node) => node.providerOrderId === authorized)).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'DELIVERED', total: { amount: '84.00' } });
    expect(nodes.find((node) => node.providerOrderId === captured)).toMatchObject({ status: 'CAPTURED', providerStatus: 'DELIVERED', total: { amount: '85.00' }, payments: [{ capturedAmount: { amount: '85.00' } }] });
    for (const node of nodes) t.track(node);
  });

  it('a gateway order captured by ICM\'s back office and shipped shows through `orders` as CAPTURED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(86, 'USD', { payment: 'direct' })));
    expect(order).toMatchObject({ status: 'AUTHORIZED' });
    t.h.icm.backOffice(order.providerOrderId!, 'capture');
    t.h.icm.fulfil(order.providerOrderId!, 'COMPLETED');
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'CAPTURED', providerStatus: 'COMPLETED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '86.00' } }] });
  });

  it('guard: an order ICM cancelled after placing it (statusCode CANCELLED) is not read as placed: it keeps its status and shows the word', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(87, 'USD', { payment: 'direct' })));
    t.h.icm.fulfil(order.providerOrderId!, 'CANCELLED');
    const listed = (await t.list()).find((one) => one.id === order.id);
    expect(listed).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'CANCELLED' });
  });
});

describe('Intershop adapter against an independent ICM whose reads carry no chain, no payment words (§3.1\'s payments show none), and whose placed orders move on in fulfilment', () => {
  const t = harness({ readsCarryCreation: false, paymentWords: 'absent' });

  it('a captured order in fulfilment is AUTHORIZED, the lesser word §3.2.5 pairs with COMPLETED, never more than ICM holds', async () => {
    const order = await t.atPsp(88, { capture: true });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    t.h.icm.fulfil(order.providerOrderId!, 'INPROGRESS');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ providerStatus: 'INPROGRESS', creation: { status: 'COMPLETED' } });
  });
});

describe('Intershop adapter against an independent ICM whose reads carry the chain its last POST or PATCH answered (round five) and whose placed orders move on in fulfilment', () => {
  const t = harness({ readsKeepLastChain: true });

  it('the buyer closes the tab at the PSP page, the PSP approves and the order goes to fulfilment: AUTHORIZED by reconciliation (before: ACTION_REQUIRED at the PSP page until the watch ended)', async () => {
    const order = await t.atPsp(89);
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    t.h.icm.fulfil(order.providerOrderId!, 'INPROGRESS');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ providerStatus: 'INPROGRESS', creation: { status: 'COMPLETED' } });
  });

  it('a pending payment approved later, the order exported at once: AUTHORIZED (before: PENDING until the 24 h watch ended)', async () => {
    const order = await t.atPsp(90, { async: true });
    await t.continueOk(t.success(order));
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    t.h.icm.fulfil(order.providerOrderId!, 'EXPORTED');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ providerStatus: 'EXPORTED', creation: { status: 'COMPLETED' } });
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['a word of its own (redirect_required)', { redirectExitReason: 'redirect_required' }],
  ['a word of its own, in capitals, its reads without the PSP\'s URL', { redirectExitReason: 'REDIRECT_REQUIRED', readsOmitRedirectUrl: true }],
  ['a word of its own, the URL in both places (§3.2.3), Java nulls', { redirectExitReason: 'payment_redirect', redirectUrlTwice: true, nulls: true }],
])('Intershop adapter against an independent ICM whose Redirect stop carries an exitReason: %s', (_name, variation) => {
  const t = harness(variation);

  it('create, then the return URLs: the buyer is sent to the PSP\'s page (before: an unknown word, no URL to follow), and SUCCESS is AUTHORIZED', async () => {
    const order = await t.atPsp(91);
    expect(order.creation.stopAction?.redirectUrl).toMatch(/^http:\/\/icm-psp\.invalid:10080\/INTERSHOP\/web\/WFS\/.*ISHPayRedirect-OnlinePay/);
    expect(order.providerStatus).not.toBe(variation.redirectExitReason);
    expect(order.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });

  it('the return URLs given with the create: ACTION_REQUIRED at the PSP\'s page in the create\'s answer', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(92), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toContain('ISHPayRedirect-OnlinePay');
  });

  it('URLs set with the payment (§3.2.2): the POST answers the PSP\'s page at once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(93, 'USD', { payment: 'redirect-with-urls' })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toContain('ISHPayRedirect-OnlinePay');
  });

  it('the buyer closes the tab and the PSP notifies its yes: AUTHORIZED by reconciliation; the order at the PSP page is listed ACTION_REQUIRED meanwhile', async () => {
    const order = await t.atPsp(94);
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['epoch seconds with their fraction (Jackson\'s JavaTimeModule default for an OffsetDateTime)', { dateStyle: 'epoch-seconds' }],
  ['whole epoch seconds (the same, its nanoseconds not written)', { dateStyle: 'epoch-seconds-whole' }],
  ['an array of its fields (Jackson\'s JavaTimeModule default for a LocalDateTime, ICM\'s wall clock at +01:00)', { dateStyle: 'local-array' }],
])('Intershop adapter against an independent ICM whose creationDate is %s', (_name, variation) => {
  const t = harness(variation);
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

  it('an order is created, sent to the PSP and paid (before, with the array: every answer unreadable, PROVIDER_UNAVAILABLE after ICM made the order)', async () => {
    const order = await t.atPsp(95);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '95.00' } });
  });

  it('a creation paid in the POST itself whose answer is lost is found by its basket: one POST, AUTHORIZED (before: taken for a 1970 order or unreadable, so the retry POSTed the basket again and was refused while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(96, 'USD', { payment: 'direct' });
    const variables = t.input(basketId, { idempotencyKey: `lost-jackson-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    t.track(retried.data?.createOrder);
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED', total: { amount: '96.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });

  it('an order placed elsewhere is listed within the days around today, created about now (a zone-less wall clock within its offset) (before: skipped as unreadable, or listed as made in 1970)', async () => {
    const at = Date.now();
    const id = await t.elsewhere(97);
    const nodes = (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: day(-1), to: day(1) }, first: 100 }, t.h.backOffice)).orders.nodes;
    const found = nodes.find((node) => node.providerOrderId === id);
    expect(found).toMatchObject({ status: 'AUTHORIZED', total: { amount: '97.00' } });
    t.track(found);
    expect(Math.abs(Date.parse(found!.createdAt) - at)).toBeLessThan(65 * 60 * 1000);
  });
});

describe('Intershop adapter against an independent ICM with round eight\'s freedoms together and earlier ones (no chain on reads, Java nulls, padded words, values as strings, keys reversed, paged by 2, stop types in capitals)', () => {
  const t = harness({
    readsCarryCreation: false,
    nulls: true,
    paddedWords: true,
    valuesAsStrings: true,
    reverseKeys: true,
    listPageSize: 2,
    stopTypeCase: 'upper',
    dateStyle: 'epoch-seconds-whole',
    redirectExitReason: 'redirect_required',
  });

  it('create, URLs, the PSP\'s page, SUCCESS: AUTHORIZED; a pending payment approved and exported meanwhile: AUTHORIZED by reconciliation; an order made elsewhere and delivered is listed', async () => {
    const paid = await t.atPsp(98);
    expect(await t.continueOk(t.success(paid))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '98.00' } });
    const pending = await t.atPsp(99, { async: true });
    expect(await t.continueOk(t.success(pending))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(pending.providerOrderId!, 'paid');
    t.h.icm.fulfil(pending.providerOrderId!, 'EXPORTED');
    // The raw word, as ICM wrote it (padded).
    expect((await t.readUntil(pending.id, 'AUTHORIZED')).providerStatus?.trim()).toBe('EXPORTED');
    const id = await t.elsewhere(100);
    t.h.icm.fulfil(id, 'DELIVERED');
    const listed = (await t.list()).find((node) => node.providerOrderId === id);
    expect(listed).toMatchObject({ status: 'AUTHORIZED', total: { amount: '100.00' } });
    t.track(listed);
    expect(Math.abs(Date.parse(listed!.createdAt) - Date.now())).toBeLessThan(5 * 60 * 1000);
  });
});
