/**
 * Round twenty of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts): every earlier variation at once. Rounds one to
 * nineteen each varied two or three of the independent ICM's options with the others at their
 * defaults; here a seeded generator (a small PRNG, fixed seeds below) draws COMBINATIONS of the
 * options that vary how ICM answers (status codes, content types and charsets, gzip, key order,
 * extra fields, nulls / `{}` / `""`, amounts `{gross}` / strings / Java doubles, payment and
 * chain words in other cases or padded, statusCode CREATED / PENDING / no statusCode, thin or
 * bodiless or 303 answers, reads without the chain or keeping the last one, stale and lagging
 * reads, relative and doubled PSP URLs, a second Redirect (3-D Secure), a web tier that moves the
 * REST base, ICM's clock off, dates in every style, lists of ids / paged / null, rolled-back
 * orders gone (404 / 410), a failed creation answered as an error, an ICM idempotent by basket,
 * v1 request bodies, strict requests...), 4 to 8 at a time, and for each one runs a merchant's
 * flows through the gateway's GraphQL over real HTTP: create -> return URLs -> the PSP page ->
 * SUCCESS (twice with a second Redirect), a read, the back office's capture / refund / cancel
 * (NOT_SUPPORTED: ICM's order API has none), the buyer's CANCEL, a pending payment settled by the
 * PSP's notification to ICM (ICM calls nobody back: the gateway's re-reads find it), a create
 * whose answer is lost (reset, 5xx, slow or late) retried under the same key, and the listing.
 * It asserts the final statuses and amounts, that each POST and each redirect result reaches ICM
 * once, that ICM's chain went on to the PSP's outcome once per order, the contract's error codes,
 * and the harness's closing money check. The combination is printed in each describe's name.
 *
 * 16 combinations: two seeds of seven drawn (4 to 8 of 46 facets each, plus the basket's currency,
 * USD / EUR / JPY / KWD, a gift card or not, and how the lost create's answer is lost), and the two
 * pinned ones below that broke the adapter; each its own ICM and gateway, 8 flows each, about 40 s
 * on this machine. `R20_SEEDS=1,2,3 R20_COUNT=8` explores other seeds (80 more combinations, seeds 1-6 and 21-24, ran
 * clean at the end of the round).
 *
 * What the generator leaves out, and why (each a leftover an earlier round named, or answers no
 * one ICM gives together), is said in `excluded` below: a bodiless, 303 or CONTINUE answer to the
 * return URLs beside reads that show no PSP URL (rounds four, twelve, sixteen); statusCode PENDING
 * after COMPLETED beside reads without the current chain (rounds one, five); no statusCode beside
 * PENDING after COMPLETED; a stop no seed names beside a 409 for URLs sent again and chainless reads
 * (rounds fourteen, nineteen). Faults that fail a call (`turnAway`, `noList`, `loseNextAnswer` on
 * PATCH) are not drawn; one lost create answer per flow. `orderedBasket` is drawn from `placed` on
 * only, and with it the lost direct create is only checked to stay unknown, never POSTed again
 * (round nineteen's it.fails).
 *
 * Found and fixed:
 * - a CONTINUE on which the chain fails (the buyer's CANCEL), answered `400` with the rolled-back
 *   order as its body (round ten's `failedCreationStatus: 400, failedCreationBody: 'order'`), was
 *   taken for an include refused (round four's `refuseIncludeOn`, a 400 the adapter answers by
 *   asking again with fewer includes): the CANCEL reached ICM twice. Harmless at this
 *   ICM (§2.2: a CONTINUE after the end answers the final state), but a redirect result so refused
 *   would be sent again to the next step of a chain (a second Redirect's SUCCESS the buyer never
 *   gave). The new per-call count of redirect results found it. Fixed
 *   (src/providers/intershop/client.ts `call`, resend-after-400.ts `carriesOrder`): a PATCH refused
 *   with a 400 that carries the order is ICM's answer about it, not sent again.
 * - a chain that first stops for a reason no seed names (round one's `anotherStop`) at an ICM whose
 *   reads leave the PSP's URL out (round four's `readsOmitRedirectUrl`, §3.2.3 "reported back" in the
 *   PATCH answer): once ICM moved on to the PSP's page, reads said "at the PSP page" with no URL, which
 *   counts as past the unknown stop, so the URLs were not sent again (round fourteen's remedy) and the
 *   order stayed waiting for its return URLs for good (ACTION_REQUIRED, `redirect_urls_required`):
 *   the buyer never sent to pay, also for a create given its URLs and a lost create's retry. Fixed
 *   (src/providers/intershop/unsaid-stop.ts `atPspWithoutUrl`, index.ts fetchOrder): such a read
 *   has the same CONTINUE sent again, whose answer names the PSP's URL.
 * Test readings corrected on the way (not the adapter): no payment word anywhere (`honourInclude:
 * false`: §3.1's resource has none) reads a captured order AUTHORIZED, as `paymentWords: 'absent'`
 * does; a create answered by a stop no seed names keeps CREATED; JPY and KWD write zero as `0` and
 * `0.000`; the gateway's first create meets round ten's include refused after the work as an unknown
 * outcome, answered by the retry under its key.
 *
 * Left: nothing new. Earlier leftovers stay excluded (above).
 */
import { describe, expect, it } from 'vitest';
import { APPLY_EVENTS, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServerOptions } from '../support/independent/intershop-server.js';
import { seededRandom } from '../support/seeded-random.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

/** One way ICM may answer: a facet's values are alternatives (one is drawn), facets combine. */
interface Facet {
  name: string;
  values: [string, Partial<IcmServerOptions>][];
}

const FACETS: Facet[] = [
  { name: 'createStatus', values: [['POST 200', { createStatus: 200 }]] },
  { name: 'contentType', values: [['plain JSON type', { contentType: 'application/json;charset=UTF-8' }], ['no Content-Type', { contentType: '' }]] },
  { name: 'reverseKeys', values: [['keys reversed', { reverseKeys: true }]] },
  { name: 'extraFields', values: [['extra fields', { extraFields: true }]] },
  { name: 'amounts', values: [['amounts {gross}', { amounts: 'gross' }]] },
  { name: 'paymentWords', values: [['payment words capitalised', { paymentWords: 'capitalised' }], ['no payment words', { paymentWords: 'absent' }]] },
  { name: 'pendingPaymentWord', values: [['pending "AUTHORIZED (pending)"', { pendingPaymentWord: 'AUTHORIZED (pending)' }], ['pending PENDING', { pendingPaymentWord: 'PENDING' }], ['pending AUTHORIZED_PENDING', { pendingPaymentWord: 'AUTHORIZED_PENDING' }]] },
  { name: 'completedStatusCode', values: [['COMPLETED keeps PENDING', { completedStatusCode: 'PENDING' }]] },
  { name: 'readsCarryCreation', values: [['reads without the chain', { readsCarryCreation: false }], ['reads keep the last chain', { readsKeepLastChain: true }]] },
  { name: 'patchAnswer', values: [['thin PATCH', { patchAnswer: 'thin' }], ['thin PATCH, empty lists', { patchAnswer: 'thin-empty-lists' }], ['PATCH 204', { patchNoContent: true }], ['PATCH 303', { seeOther: ['PATCH'] }], ['PATCH answers CONTINUE', { patchAnswersContinue: true }]] },
  { name: 'includeOnPatch', values: [['no included on PATCH', { includeOnPatch: false }]] },
  { name: 'stopTypeCase', values: [['stop types upper case', { stopTypeCase: 'upper' }], ['stops without type', { stopTypes: false }]] },
  { name: 'redirectUrlTwice', values: [['PSP URL twice', { redirectUrlTwice: true }]] },
  { name: 'stopInfos', values: [['no stop infos', { stopInfos: false }], ['infos without message', { infoMessages: false }]] },
  { name: 'errorBody', values: [['text errors', { errorBody: 'text' }], ['empty errors', { errorBody: 'empty' }], ['int-status errors', { errorBody: 'int-status' }]] },
  { name: 'list', values: [['list of {id}', { list: 'ids' }], ['list of id strings', { list: 'id-strings' }], ['list paged by 2', { listPageSize: 2 }], ['list paged by 2, no info', { listPageSize: 2, listInfo: false }]] },
  { name: 'honourInclude', values: [['no included', { honourInclude: false }]] },
  { name: 'openTenderId', values: [['payments named open-tender', { openTenderId: true }], ['open-tender after the POST', { openTenderIdAfterPost: true }], ['resource says open-tender', { resourceOpenTenderId: true }]] },
  { name: 'nulls', values: [['nulls', { nulls: true }], ['empty objects', { emptyObjects: true }], ['empty strings', { emptyStrings: true }]] },
  { name: 'valuesAsStrings', values: [['values as strings', { valuesAsStrings: true }], ['values as Java doubles', { valuesAsStrings: 'java-double' }], ['double amounts', { doubleAmounts: true }]] },
  { name: 'paddedWords', values: [['padded words', { paddedWords: true }]] },
  { name: 'dateStyle', values: [['dates +0100', { dateStyle: 'no-colon' }], ['dates zoneless west', { dateStyle: 'no-zone-west' }], ['dates zone-id', { dateStyle: 'zone-id' }], ['dates epoch millis', { dateStyle: 'epoch-millis' }], ['dates epoch seconds', { dateStyle: 'epoch-seconds' }], ['dates local array', { dateStyle: 'local-array' }]] },
  { name: 'staleReads', values: [['one stale read', { staleReads: 1 }], ['reads lag 300 ms', { readLagMs: 300 }], ['first read 404', { readsLagCreate: 1 }]] },
  { name: 'bodyType', values: [['v1 request bodies', { bodyType: 'v1' }]] },
  { name: 'secondRedirect', values: [['a second Redirect', { secondRedirect: true }]] },
  { name: 'rolledBack', values: [['rolled back PAYMENT_CANCELED', { rolledBackStatusCode: 'PAYMENT_CANCELED' }], ['rolled back keeps PENDING', { rolledBackStatusCode: 'PENDING' }], ['rolled back gone 404', { rolledBackRead: 'not-found' }], ['rolled back gone 410', { rolledBackRead: 'not-found', goneStatus: 410 }], ['chain FAILED', { rolledBackChainWord: 'FAILED' }]] },
  { name: 'failedCreation', values: [['failure 409', { failedCreationStatus: 409 }], ['failure 400 with the order', { failedCreationStatus: 400, failedCreationBody: 'order' }]] },
  { name: 'relativeRedirectUrl', values: [['relative PSP URL', { relativeRedirectUrl: true }]] },
  { name: 'postAnswer', values: [['POST answers CONTINUE', { postAnswersContinue: true }], ['POST 201 no body', { createNoContent: true }], ['POST 303', { seeOther: ['POST'] }], ['POST 302 (PRG), Location internal', { seeOther: ['POST'], seeOtherStatus: 302, locationHost: 'internal' }]] },
  { name: 'readsOmitRedirectUrl', values: [['reads omit the PSP URL', { readsOmitRedirectUrl: true }]] },
  { name: 'openTenderFlag', values: [['no openTender flag', { openTenderFlag: false }]] },
  { name: 'redirectExitReason', values: [['Redirect with exitReason', { redirectExitReason: 'redirect_required' }]] },
  { name: 'openStatusCode', values: [['statusCode CREATED', { openStatusCode: 'CREATED' }]] },
  { name: 'statusCodeField', values: [['no statusCode', { statusCodeField: false }]] },
  { name: 'clock', values: [['clock 10 min behind', { clockOffsetMs: -600_000 }], ['clock 2 min ahead, no Date', { clockOffsetMs: 120_000, dateHeader: false }]] },
  { name: 'documentNumberAs', values: [['documentNumber long', { documentNumberAs: 'long' }]] },
  { name: 'bodyCharset', values: [['ISO-8859-1 bodies', { bodyCharset: 'iso-8859-1' }]] },
  { name: 'gzipBodies', values: [['gzip', { gzipBodies: true }]] },
  { name: 'moved', values: [['moved 308 all', { moved: { status: 308, methods: ['GET', 'POST', 'PATCH'], to: 'own' } }], ['moved 301 reads, path', { moved: { status: 301, methods: ['GET'], to: 'path' } }], ['moved 307 all', { moved: { status: 307, methods: ['GET', 'POST', 'PATCH'], to: 'own' } }]] },
  { name: 'connectionClose', values: [['Connection: close', { connectionClose: true }]] },
  { name: 'orderedBasket', values: [['basket null once placed', { orderedBasket: { as: 'null', from: 'placed' } }], ['basket "" once placed', { orderedBasket: { as: 'empty', from: 'placed' } }]] },
  { name: 'emptyListsAsNull', values: [['empty lists null', { emptyListsAsNull: true }]] },
  { name: 'strict', values: [['strict requests', { strictRequests: true }], ['strict continue', { strictContinue: true }], ['Accept not checked', { strictAccept: false }]] },
  { name: 'basketOrderedAgain', values: [['idempotent by basket', { basketOrderedAgain: 'existing-order' }]] },
  { name: 'anotherStop', values: [['another stop first', { anotherStop: 'approval_required' }]] },
  {
    name: 'includes',
    values: [
      ['unknown include refused', { unknownInclude: 'reject' }],
      ['unknown include refused after the create', { unknownInclude: 'reject-after-create' }],
      ['no include on PATCH and list', { refuseIncludeOn: ['PATCH', 'list'] }],
      ['unknown query refused', { strictQuery: true }],
    ],
  },
];

/** The basket's currency (round seven: the currency's own decimals) and whether a gift card (§3.1's limited tender) pays part. */
const CURRENCIES = ['USD', 'USD', 'EUR', 'JPY', 'KWD'] as const;

/**
 * EXCLUDED: pairs the generator does not draw together (a drawn combination with one is drawn again).
 * Each is a leftover an earlier round named (README "Known limitations"), or two answers no one ICM gives.
 */
function excluded(o: Partial<IcmServerOptions>): string | null {
  const readsNoChain = o.readsCarryCreation === false;
  const patchBodiless = o.patchNoContent === true || (o.seeOther ?? []).includes('PATCH');
  // Round twelve / sixteen leftover: a 204 or 303 to the return URLs at an ICM whose reads carry no chain (or no URL) cannot show the PSP's URL.
  if (patchBodiless && (readsNoChain || o.readsOmitRedirectUrl)) return 'bodiless PATCH and reads without the PSP URL';
  // Same for a PATCH answered CONTINUE (round four): only a read could say where the chain went.
  if (o.patchAnswersContinue && (readsNoChain || o.readsOmitRedirectUrl)) return 'PATCH CONTINUE and reads without the PSP URL';
  // Round one / five leftover: statusCode PENDING after COMPLETED read without the current chain is waiting (PENDING) for good.
  if (o.completedStatusCode === 'PENDING' && (readsNoChain || o.readsKeepLastChain)) return 'COMPLETED PENDING read without the current chain';
  // §3.2.5 writes the order status column as statusCode's words; a server without statusCode and with PENDING after COMPLETED says nothing of the step.
  if (o.statusCodeField === false && o.completedStatusCode === 'PENDING') return 'no statusCode and COMPLETED keeps PENDING';
  // Round fourteen / nineteen leftover: past a stop no seed names, URLs refused again (409) and reads without the chain cannot show the PSP's URL.
  if (o.anotherStop && o.strictContinue && readsNoChain) return 'another stop, strict continue and reads without the chain';
  return null;
}

const LOSSES = ['reset', 500, 502, 503, 'slow', 'late'] as const;
type Loss = (typeof LOSSES)[number];

interface Combination {
  name: string;
  options: Partial<IcmServerOptions>;
  loss: Loss;
  currency: string;
  giftCard: boolean;
}

function combinations(seed: number, count: number): Combination[] {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const drawn: Combination[] = [];
  while (drawn.length < count) {
    const size = 4 + Math.floor(random() * 5);
    const facets = [...FACETS].sort(() => random() - 0.5).slice(0, size);
    const chosen = facets.map((facet) => pick(facet.values));
    const options = Object.assign({}, ...chosen.map(([, value]) => value)) as Partial<IcmServerOptions>;
    const loss = pick(LOSSES);
    const currency = pick(CURRENCIES);
    const giftCard = random() < 0.3;
    if (excluded(options)) continue;
    drawn.push({ name: `${chosen.map(([label]) => label).join(' + ')} (${currency}${giftCard ? ', a gift card' : ''}, lost create: ${loss})`, options, loss, currency, giftCard });
  }
  return drawn;
}

/** A combination the generator once drew that broke the adapter, kept by its facets' labels (see FINDINGS above). */
function pinned(labels: string[], currency: string, giftCard: boolean, loss: Loss): Combination {
  const chosen = labels.map((label) => {
    const found = FACETS.flatMap((facet) => facet.values).find(([name]) => name === label);
    if (!found) throw new Error(`no facet value ${label}`);
    return found;
  });
  const options = Object.assign({}, ...chosen.map(([, value]) => value)) as Partial<IcmServerOptions>;
  return { name: `pinned: ${labels.join(' + ')} (${currency}${giftCard ? ', a gift card' : ''}, lost create: ${loss})`, options, loss, currency, giftCard };
}

const PINNED: Combination[] = [
  pinned(['reads omit the PSP URL', 'idempotent by basket', 'no included on PATCH', 'another stop first', 'COMPLETED keeps PENDING', 'gzip', 'PSP URL twice'], 'USD', true, 503),
  pinned(['reads omit the PSP URL', 'POST 201 no body', 'extra fields', 'failure 400 with the order', 'rolled back PAYMENT_CANCELED', 'ISO-8859-1 bodies', 'padded words'], 'KWD', false, 502),
];

/** Two seeds of seven combinations each, and the pinned ones; `R20_SEEDS=1,2,3 R20_COUNT=8` explores others (no pinned ones then). */
const SEEDS = process.env['R20_SEEDS'] ? process.env['R20_SEEDS'].split(',').map(Number) : [20_2001, 20_2002];
const COMBINATIONS = [...SEEDS.flatMap((seed) => combinations(seed, Number(process.env['R20_COUNT'] ?? 7))), ...(process.env['R20_SEEDS'] ? [] : PINNED)];

describe.each(COMBINATIONS.map((one, index) => [index + 1, one.name, one] as const))('round twenty #%i: %s', (index, _name, combination) => {
  const t = icmHarness(`-20-${index}`, combination.options);
  const o = combination.options;
  const base = 100 + index * 10;
  const cur = combination.currency;
  const decimals = cur === 'JPY' ? 0 : cur === 'KWD' ? 3 : 2;
  /** An amount as the gateway writes it in the basket's currency. */
  const amount = (value: number) => value.toFixed(decimals);
  /**
   * The POSTs of `basketId` ICM took in: a 415 for a plain-JSON body (`bodyType: 'v1'`), or a 400 for
   * the include `lineItems` refused before any work (`unknownInclude: 'reject'`), did nothing.
   */
  const posts = (basketId: string) =>
    t.posts(basketId).filter((call) => (o.bodyType !== 'v1' || (call.contentType ?? '').includes(ICM_V1_TYPE)) && !(o.unknownInclude === 'reject' && call.path.includes('lineItems')));
  /** At the PSP page: at once, or (`anotherStop`: an approval first, that ICM clears by itself) once a re-read finds it. */
  const atPspPage = async (order: OrderView): Promise<OrderView> => {
    if (!o.anotherStop || order.creation.stopAction?.type === 'REDIRECT') return order;
    // A stop no seed names keeps the order's status (CREATED after a create, ACTION_REQUIRED after a continue).
    expect(['CREATED', 'ACTION_REQUIRED']).toContain(order.status);
    return eventually(async () => {
      const read = await t.read(order.id);
      return read.creation.stopAction?.type === 'REDIRECT' ? read : undefined;
    });
  };
  /** The redirect results `status` ICM took in for the order. */
  const results = (providerOrderId: string, status: string) =>
    t.h.icm.calls.filter(
      (call) => call.method === 'PATCH' && call.path.startsWith(`/orders/${encodeURIComponent(providerOrderId)}`) && call.body.includes(`"status":"${status}"`) && (o.bodyType !== 'v1' || (call.contentType ?? '').includes(ICM_V1_TYPE)),
    );
  const placed = new Map<string, OrderView>();

  it('create -> return URLs -> the PSP page -> SUCCESS (a second Redirect too): AUTHORIZED, one POST, each result once, ICM moved the money once', async () => {
    const basketId = t.h.icm.addBasket(base + 1, cur, combination.giftCard ? { giftCard: 20 } : {});
    // The gateway's first create meets an include refused after the POST made the order (round ten): its outcome is unknown, the retry under the key answers it.
    const afterCreate = o.unknownInclude === 'reject-after-create';
    const variables = t.input(basketId, { idempotencyKey: `first-20-${index}-${Math.random()}` });
    const tried = await t.create(variables);
    if (!afterCreate || !codes(tried)?.includes('PROVIDER_UNAVAILABLE')) expect(tried.errors).toBeUndefined();
    const created = tried.data?.createOrder ?? (await t.createOk(variables));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: amount(base + 1), currency: cur }, creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const atPsp = await atPspPage(await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS }));
    expect(atPsp).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(atPsp.creation.stopAction?.redirectUrl).toMatch(/^https?:\/\/[^/]+\/INTERSHOP\/web\//);
    let paid = await t.continueOk(t.back(atPsp, 'SUCCESS'));
    if (o.secondRedirect) {
      expect(paid).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
      expect(paid.creation.stopAction?.redirectUrl).toContain('-3ds1');
      paid = await t.continueOk(t.back(paid, 'SUCCESS'));
    }
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 1) }, creation: { status: 'COMPLETED' } });
    // (the second POST, after the include refused after the work, is refused too: the basket is taken)
    expect(posts(basketId)).toHaveLength(afterCreate ? 2 : 1);
    expect(t.h.icm.moneyMoves.size).toBe(1);
    expect(results(created.providerOrderId!, 'SUCCESS')).toHaveLength(o.secondRedirect ? 2 : 1);
    expect(t.h.icm.moneyMoves.get(created.providerOrderId!)).toBe(1);
    expect(await t.readUntil(created.id, 'AUTHORIZED')).toMatchObject({ total: { amount: amount(base + 1) } });
    placed.set('paid', paid);
  });

  it('capture, refund and cancel are NOT_SUPPORTED (ICM has none); the order is unchanged', async () => {
    const order = placed.get('paid');
    expect(order).toBeDefined();
    const answer = await gql<{ applyOrderEvents: (OrderView | null)[] }>(
      t.h.gateway.url,
      APPLY_EVENTS,
      { input: [{ orderId: order!.id, events: [{ type: 'CAPTURE', amount: '1.00' }] }, { orderId: order!.id, events: [{ type: 'REFUND', amount: '1.00' }] }, { orderId: order!.id, events: [{ type: 'CANCEL' }] }] },
      t.h.backOffice,
    );
    expect(codes(answer)).toEqual(['NOT_SUPPORTED', 'NOT_SUPPORTED', 'NOT_SUPPORTED']);
    expect(await t.read(order!.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 1) } });
  });

  it('the buyer\'s CANCEL from the PSP page: CANCELLED, nothing captured, the chain rolled back once', async () => {
    const basketId = t.h.icm.addBasket(base + 2, cur);
    const order = await atPspPage(await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: amount(base + 2) }, creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled.payments.every((payment) => Number(payment.capturedAmount.amount) === 0)).toBe(true);
    expect(results(order.providerOrderId!, 'CANCEL')).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    expect((await t.read(order.id)).status).toBe('CANCELLED');
  });

  it('a pending payment (waiting_for_pending_payments) settled by the PSP\'s notification to ICM: the re-reads find it', async () => {
    const basketId = t.h.icm.addBasket(base + 3, cur, { payment: 'direct', async: true, capture: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: amount(base + 3) } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    // No payment word anywhere (none written, or no `included` and §3.1's resource has none): COMPLETED is read as the lesser of §3.2.5's two (AUTHORIZED).
    const settled = await t.readUntil(order.id, o.paymentWords === 'absent' || o.honourInclude === false ? 'AUTHORIZED' : 'CAPTURED');
    expect(settled).toMatchObject({ total: { amount: amount(base + 3) } });
    expect(posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the PSP tells ICM it paid while the buyer never comes back: the re-reads find it AUTHORIZED', async () => {
    const order = await atPspPage(await t.createOk(t.input(t.h.icm.addBasket(base + 4, cur), { returnUrls: RETURN_URLS })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ total: { amount: amount(base + 4) } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it(`a create given return URLs whose answer is lost (${combination.loss}), retried under the same key: at the PSP page, one POST; SUCCESS: AUTHORIZED, the money moved once`, async () => {
    const basketId = t.h.icm.addBasket(base + 5, cur);
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `lost-20-${index}-${Math.random()}` });
    const bodiless = o.createNoContent || (o.seeOther ?? []).includes('POST');
    if (bodiless || combination.loss === 'reset') t.h.icm.loseNextCreateAnswer();
    else t.h.icm.loseNextAnswer('POST', combination.loss);
    const first = await t.create(variables);
    if (first.data?.createOrder) expect(combination.loss).toBe('late');
    else expect(codes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await atPspPage(await t.createOk(variables));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: amount(base + 5) }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(posts(basketId)).toHaveLength(1);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    const done = o.secondRedirect ? await t.continueOk(t.back(paid, 'SUCCESS')) : paid;
    expect(done).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 5) } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  }, 20_000);

  it(`a create paid without a redirect (the money moved in the POST) whose answer is lost (${combination.loss}), retried under the same key: the order ICM made, never a second POST`, async () => {
    const basketId = t.h.icm.addBasket(base + 6, cur, { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-direct-20-${index}-${Math.random()}` });
    const bodiless = o.createNoContent || (o.seeOther ?? []).includes('POST');
    if (bodiless || combination.loss === 'reset') t.h.icm.loseNextCreateAnswer();
    else t.h.icm.loseNextAnswer('POST', combination.loss);
    const first = await t.create(variables);
    if (first.data?.createOrder) expect(combination.loss).toBe('late');
    else expect(codes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    const again = await t.create(variables);
    if (o.orderedBasket) {
      // Round nineteen's leftover (its it.fails): a placed order that names no basket is not tied to the lost POST; unknown, never POSTed again.
      if (!again.data?.createOrder) expect(codes(again)).toEqual(['PROVIDER_UNAVAILABLE']);
    } else {
      expect(again.data?.createOrder).toMatchObject({ status: o.paymentWords === 'absent' || o.honourInclude === false ? 'AUTHORIZED' : 'CAPTURED', total: { amount: amount(base + 6) } });
    }
    expect(posts(basketId)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.size).toBeGreaterThan(0);
  }, 20_000);

  it('the listing shows the placed order AUTHORIZED with its total', async () => {
    const order = placed.get('paid');
    expect(order).toBeDefined();
    const nodes = (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice)).orders.nodes;
    expect(nodes.find((node) => node.id === order!.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: amount(base + 1) } });
    for (const node of nodes) t.track(node);
  });
});
