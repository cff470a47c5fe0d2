/**
 * Round twenty of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to nineteen each varied two or three of
 * the server's readings of the seed, every other option at its default; this round turns many on at
 * once (COMBINATIONS below, drawn by a seeded PRNG, so every run draws the same ones and a failing
 * test names its combination), to find where two tolerances fight or one reading assumes another
 * option's default. Drawn from (DIMENSIONS): Submit's status and answer (checkout URL, echo,
 * Location), Orders/Pay's status, answer and timing, key case, numbers as strings, SequenceType
 * spellings, ExpirationDate and created forms, status words (word, `{id,name}`, number and name,
 * other field names), nulls / blanks / purchaseId 0, omitted-or-wrapped reads, listing shapes,
 * ids and empties, a listing filed by expiry or a zone behind UTC, the amount under another key,
 * money figures in a .NET culture, CHAR(n)-padded ids and references, a Reference column cut to 20,
 * postback bodies, keys, bytes, URL query and timing, posting every change, 17-digit purchase ids,
 * request and answer charsets, a redirecting front tier, strict input checks, the token endpoint's
 * shapes, read and state lags, an existing order answered for a reference already held.
 * Faults are kept to one per flow: one lost creation answer (500, 502, 503 or a reset).
 * Flows, per combination, through GraphQL over real HTTP: a one-off order (create, the buyer sent to
 * the checkout page, read, the buyer confirms, the postback, CAPTURED for what Pei charged), capture /
 * refund / cancel (NOT_SUPPORTED: the seed has none, nothing sent), the buyer cancelling on Pei's page
 * (never captured; CANCELLED where Pei says so), an Orders/Pay (charged once, CAPTURED), and an
 * Orders/Pay or a Recurring charge whose answer was lost, retried under its idempotency key past the
 * listing lag bound (found, charged once). The harness's closing money check runs after each.
 * 14 combinations (FIXED_SEEDS), 4 to 8 options each, about 25 s here; R20_SEEDS=<from>-<to> draws
 * others (160 were run while writing this round), R20_OPTIONS=<json> runs one set of options.
 * Found (run on the adapter before this round's fix) and fixed:
 *   - a Pei posting every change as its enum's number, its making too (round eleven's
 *     postbackStatusAs `number` with postbackOnCreate): the making's `status: 1` (no purchase) took
 *     the signed postback's wordless re-read lease, and the buyer's confirmation (`status: 2` and a
 *     purchase id) posted within the interval was turned away (429); Pei posts nothing again, so
 *     where reads carry neither a word nor the purchase the paid order stayed CREATED. Now a signed
 *     postback without a word that names a purchase has a lease of its own (webhook.ts hint);
 *   - round nine's status key (`orderStatus`, `state`) with round nine's number-and-name status:
 *     `{"orderStatus": 9, "orderStatusName": "Cancelled"}` was no word (only `statusName` was read),
 *     so the buyer's Cancel went unseen until the expiry (wire.ts OTHER_STATUS_KEYS);
 *   - round seventeen's requests read as ISO-8859-1 with round nineteen's UTF-8 answers labelled
 *     ISO-8859-1: an Icelandic Reference came back misread twice (`PÃƒÂ¶ntun`), which no spelling
 *     the lost charge's search knew: its retry past the listing lag bound sent the Orders/Pay or the
 *     Recurring charge again (reference-bytes.ts misreadSpellings: each spelling misread once more);
 *   - round sixteen's no-break space between thousands (nb-NO "N2") with round nineteen's mislabel:
 *     `5Â 000,00`, every read unreadable, the paid order's postback 503 and never CAPTURED
 *     (numeric.ts withGroupMarksRead);
 *   - the seed's postback template (round one) with round seventeen's 17-digit purchase ids: the
 *     template was read with plain JSON.parse, the id past 2^53 refused (400, Pei does not post
 *     again) (webhook.ts seedTemplateFields reads long numbers as written).
 * Fixed in the independent server (test/support/independent/pei-server.ts), not the adapter: with
 *   postbackOn `everyChange`, a form postback of an unconfirmed order wrote `purchaseId=undefined`
 *   and the seed's template `"purchaseId" : undefined` (JavaScript's, no .NET sender's): now left out.
 * Not drawn: a confirmation posted under a word of Pei's own (`Greitt`): round twelve's leftover.
 * Found at the merge (combination #2014 under load): at a Pei listing only confirmed orders whose
 *   reads carry no purchase id (and a status number, no word), a lost Recurring charge Pei had not
 *   charged yet was absent from the listing, and the listing counted as one of all orders because
 *   its entries had no purchase id: the retry charged the mandate again. Now only an entry Pei's
 *   word calls unconfirmed, or one without a purchase beside others with one, says the listing
 *   holds unconfirmed orders (lost-answer.ts shownUnconfirmed); the retry is PROVIDER_UNAVAILABLE
 *   until Pei charges it (the test allows that outcome for a lost Recurring at such a Pei).
 * Left: at such a Pei, a 202-later Orders/Pay whose answer was lost was a few times not found by
 *   the retry under this machine's load (PROVIDER_UNAVAILABLE): not reproduced alone, not pinned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions, type LostAnswer } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { seededRandom } from '../support/seeded-random.js';
import { captured } from '../support/captured.js';


type Choice = [label: string, options: Partial<IndependentPeiOptions>];
/** Each dimension: the ways (other than the default) a Pei may answer one thing the seed leaves open. */
const DIMENSIONS: Record<string, Choice[]> = {
  create: [
    ['create 201', { createStatus: 201 }],
    ['create withCheckoutUrl', { createAnswer: 'withCheckoutUrl' }],
    ['create echo', { createAnswer: 'echo' }],
    ['create 201 Location', { createStatus: 201, createAnswer: 'location' }],
    ['create 303 Location relative', { createStatus: 303, createAnswer: 'location', locationAs: 'relative' }],
  ],
  pay: [
    ['pay 201 withPurchaseId', { payStatus: 201, payAnswer: 'withPurchaseId' }],
    ['pay echo', { payAnswer: 'echo' }],
    ['pay bareOrderId', { payAnswer: 'bareOrderId' }],
    ['pay wrapped', { payAnswer: 'wrapped' }],
    ['pay envelope', { payAnswer: 'envelope' }],
    ['pay none', { payAnswer: 'none' }],
    ['pay 302 Location', { payStatus: 302, payAnswer: 'location' }],
    ['pay 202 later', { payStatus: 202, payConfirms: 'later' }],
  ],
  payShows: [
    ['pay as mandate charge', { payShowsAs: 'mandateCharge' }],
    ['pay sequence ""', { paySequenceType: '' }],
    ['pay sequence Purchase', { paySequenceType: 'Purchase' }],
    ['pay expiration none', { payExpiration: 'none' }],
    ['pay expiration MinValue', { payExpiration: 'dotnetMin' }],
  ],
  keyCase: [['PascalCase', { keyCase: 'pascal' }]],
  numbers: [['numbers as strings', { numbersAs: 'string' }]],
  sequence: [
    ['sequence number', { sequenceTypeAs: 'number' }],
    ['sequence UPPER_SNAKE', { sequenceTypeAs: 'upperSnake' }],
  ],
  expiration: [
    ['expiration space', { expirationAs: 'space' }],
    ['expiration is-IS', { expirationAs: 'icelandic' }],
    ['expiration /Date()/', { expirationAs: 'msjson' }],
    ['expiration en-US', { expirationAs: 'usCulture' }],
    ['expiration local -5h', { expirationAs: 'localBehind' }],
    ['expiration dateOnly', { expirationAs: 'dateOnly' }],
    ['expiration sqlDate', { expirationAs: 'sqlDate' }],
  ],
  created: [
    ['created utc', { createdShown: 'utc' }],
    ['created local -5h', { createdShown: 'localBehind' }],
    ['created dateOnly', { createdShown: 'dateOnly' }],
    ['created sqlDate', { createdShown: 'sqlDate' }],
  ],
  status: [
    ['status words', { statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } }],
    ['status {id,name}', { statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' }, statusAs: 'object' }],
    ['orderStatus + Name', { statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' }, statusAs: 'numberAndName', statusKey: 'orderStatus' }],
    ['state words', { statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' }, statusKey: 'state' }],
  ],
  blanks: [
    ['nulls', { absentAs: 'null' }],
    ['blank strings', { blankStrings: true }],
    ['purchaseId 0', { purchaseIdWhenNone: 'zero' }],
    ['nulls, purchaseId 0', { absentAs: 'null', purchaseIdWhenNone: 'zero' }],
  ],
  readShape: [
    ['read wrapped', { readShape: 'wrapped' }],
    ['read [order]', { readShape: 'array' }],
  ],
  list: [
    ['list wrapped, none 204', { listShape: 'wrapped', listEmpty: 204 }],
    ['list envelope, none 404', { listShape: 'envelope', listEmpty: 404 }],
    ['list id key', { listIdKey: 'id' }],
    ['list summaries', { listEntries: 'summary' }],
  ],
  listDay: [
    ['list by expiry day', { listDate: 'expiration' }],
    ['list day -5h', { listDayZoneHours: -5 }],
    ['no future days', { refuseFutureDates: true }],
  ],
  amountKey: [['totalAmount', { amountKey: 'totalAmount' }]],
  money: [
    ['money 5000,00', { moneyAs: 'decimalComma' }],
    ['money 5.000', { moneyAs: 'grouped' }],
    ['money 5 000,00 nbsp', { moneyAs: 'groupedDecimal', moneyGroup: '\u00A0' }],
    ["money 5'000.00", { moneyAs: 'groupedDecimal', moneyGroup: "'" }],
    ['money 5 000 narrow nbsp', { moneyAs: 'grouped', moneyGroup: '\u202F' }],
  ],
  widths: [
    ['CHAR(50) reference', { referenceWidth: 50 }],
    ['CHAR(40) orderId', { orderIdWidth: 40 }],
    ['reference cut to 20', { referenceMaxLength: 20 }],
  ],
  postbackBody: [
    ['postback form', { postbackBody: 'form' }],
    ['postback seed template', { postbackBody: 'seedTemplate' }],
    ['postback orderId only', { postbackBody: 'orderIdOnly' }],
    ['postback PascalCase, purchaseId string, mandate null', { postbackKeys: 'pascal', postbackPurchaseIdAs: 'string', postbackMandateWhenNone: 'null' }],
    ['postback text/plain', { postbackContentType: 'text/plain; charset=utf-8' }],
  ],
  postbackBytes: [
    ['postback UTF-8 BOM', { postbackBytes: 'utf8Bom' }],
    ['postback UTF-16 labelled', { postbackBytes: 'utf16Labelled' }],
    ['postback UTF-16 BOM', { postbackBytes: 'utf16Bom' }],
  ],
  postbackUrl: [
    ['postback URL ?orderId added', { postbackUrlQuery: 'added' }],
    ['postback URL ?orderId concatenated', { postbackUrlQuery: 'concatenated' }],
  ],
  postbackTiming: [['postback before answer', { postbackTiming: 'beforeAnswer' }]],
  everyChange: [
    ['posts every change', { postbackOn: 'everyChange' }],
    ['posts every change as numbers, and the making', { postbackOn: 'everyChange', postbackStatusAs: 'number', postbackOnCreate: true }],
    // Not drawn: a confirmation posted under a word of Pei's own (`Greitt`, `Approved`): round
    // twelve's known leftover (never CAPTURED by it: held with Pei's word, as CONTRACT §7 says).
  ],
  purchaseIds: [['17-digit purchase ids', { purchaseIdPrefix: '90071992547' }]],
  requestCharset: [
    ['requests read latin1 unless labelled', { requestCharset: 'latin1UnlessLabelled' }],
    ['requests read latin1', { requestCharset: 'latin1Always' }],
  ],
  answerCharset: [
    ['answers latin1 labelled', { answerCharset: 'latin1Labelled' }],
    ['answers latin1 unlabelled', { answerCharset: 'latin1Unlabelled' }],
    ['answers latin1 labelled utf-8', { answerCharset: 'latin1LabelledUtf8' }],
    ['answers utf-8 labelled latin1', { answerCharset: 'utf8LabelledLatin1' }],
  ],
  redirect: [
    ['front tier slash 301', { redirect: { status: 301, to: 'trailingSlash', methods: 'all' } }],
    ['front tier slash 308', { redirect: { status: 308, to: 'trailingSlash', methods: 'all' } }],
    ['front tier v2 307', { redirect: { status: 307, to: 'moved', methods: 'all' } }],
    ['front tier v2 301 GET', { redirect: { status: 301, to: 'moved', methods: 'GET' } }],
  ],
  strict: [
    ['strict requests', { strictRequests: true }],
    ['strict fields', { rejectUnknownFields: true, expirationInput: 'iso', sequenceTypeInput: 'word' }],
  ],
  token: [
    ['token form, expires_in string, bearer', { tokenClientAuth: 'form', expiresIn: 'string', tokenType: 'bearer' }],
    ['token basic, no expires_in', { tokenClientAuth: 'basic', expiresIn: 'absent' }],
  ],
  lags: [
    ['read lag 300', { readLagMs: 300 }],
    ['state lag 300', { readStateLagMs: 300 }],
    ['list lag 500', { listLagMs: 500 }],
  ],
  errors: [
    ['404 body, problem errors', { notFound: '404body', errorBody: 'problem' }],
    ['410, text errors', { notFound: '410', errorBody: 'text' }],
    ['400 unknown', { notFound: '400' }],
  ],
  sameReference: [['existing order for a held reference', { sameReference: 'existingOrder' }]],
  readsOmitPurchase: [['reads without purchaseId', { readShowsPurchase: false }]],
  listOnly: [
    ['lists confirmed only', { listOnly: 'confirmed' }],
    ['list cached 300', { listCacheMs: 300 }],
  ],
  contentType: [['plain application/json', { contentType: 'application/json' }]],
};

/**
 * Pairs the generator never draws, each with why: none so far beyond what DIMENSIONS already
 * bundles (a Location answer with its 201/302/303, a status key with status words). Round
 * nineteen's known leftover (ISO-8859-1 under a windows-1250 label) is left out of answerCharset.
 */
function excluded(_labels: string[], options: Partial<IndependentPeiOptions>): boolean {
  // A narrow no-break space (U+202F) has no ISO-8859-1 byte: the server's writer puts its low byte
  // (`/`) where .NET's would put `?`. Either way no Pei writing ISO-8859-1 can write the figure.
  // The server labels a UTF-16 or BOM postback by adding `; charset=...` to postbackContentType, so a
  // set type (`text/plain; charset=utf-8`) would name two charsets: no sender writes that.
  if (options.postbackContentType !== undefined && (options.postbackBytes ?? 'utf8') !== 'utf8') return true;
  if (options.moneyGroup === '\u202F' && ['latin1Labelled', 'latin1Unlabelled', 'latin1LabelledUtf8'].includes(options.answerCharset ?? 'utf8')) return true;
  return false;
}

interface Combination {
  seed: number;
  name: string;
  options: Partial<IndependentPeiOptions>;
  lost: LostAnswer;
  lostPath: '/api/orders' | '/api/orders/pay';
}

const FIXED_SEEDS = [20_01, 20_02, 20_03, 20_04, 20_05, 20_06, 20_07, 20_08, 20_09, 20_10, 20_11, 20_12, 20_13, 20_14];
/** R20_SEEDS=<from>-<to> draws other combinations (exploring); the file's own run uses FIXED_SEEDS. */
const explore = /^(\d+)-(\d+)$/.exec(process.env['R20_SEEDS'] ?? '');
const SEEDS = explore ? Array.from({ length: Number(explore[2]) - Number(explore[1]) + 1 }, (_, index) => Number(explore[1]) + index) : FIXED_SEEDS;

function combination(seed: number): Combination {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (;;) {
    const names = Object.keys(DIMENSIONS);
    const count = 4 + Math.floor(random() * 5); // 4..8 options
    const chosen: string[] = [];
    while (chosen.length < count) {
      const name = pick(names);
      if (!chosen.includes(name)) chosen.push(name);
    }
    const picks = chosen.map((name) => pick(DIMENSIONS[name]!));
    const options = Object.assign({}, ...picks.map(([, value]) => value)) as Partial<IndependentPeiOptions>;
    const labels = picks.map(([label]) => label);
    if (excluded(labels, options)) continue;
    const lost = pick<LostAnswer>([500, 502, 503, 'reset']);
    const lostPath = pick(['/api/orders', '/api/orders/pay'] as const);
    return { seed, name: `#${seed} [${labels.join(' + ')}] lost ${lostPath === '/api/orders' ? 'Recurring' : 'Orders/Pay'} answer ${lost}`, options, lost, lostPath };
  }
}

/** R20_OPTIONS=<json> runs that one combination instead (bisecting a failure; R20_LOST=<path>:<how>). */
const only = process.env['R20_OPTIONS'];
const [onlyPath, onlyHow] = (process.env['R20_LOST'] ?? '/api/orders/pay:500').split(':');
export const COMBINATIONS: Combination[] = only
  ? [{ seed: 0, name: `only ${only} lost ${onlyPath} ${onlyHow}`, options: JSON.parse(only) as Partial<IndependentPeiOptions>, lost: (/^\d+$/.test(onlyHow!) ? Number(onlyHow) : onlyHow) as LostAnswer, lostPath: onlyPath as Combination['lostPath'] }]
  : SEEDS.map(combination);

describe('Pei adapter against an independent Pei, round twenty: many readings at once', () => {
  const harness = independentPeiHarness('-20');
  const { gatewayFor, untilAt, readAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  /** The orders Pei made whose reference ends with `tag` (however it kept or cut it). */
  const madeWith = (tag: string) => [...pei.orders.values()].filter((order) => String(order.reference ?? '').trim().endsWith(tag));
  const postsWith = (path: string, tag: string) => pei.calls.filter((call) => call.method === 'POST' && call.path === path && String((call.body as { reference?: unknown } | undefined)?.reference ?? '').endsWith(tag));

  const run = async (combo: Combination): Promise<void> => {
    const gateway = await gatewayFor(combo.options);
    try {
      // ---- a one-off order: created, the buyer sent to its page, read, paid, CAPTURED ----
      const input = oneOff();
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
      expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
      expect(order).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      expect(order.creation.stopAction?.redirectUrl).toBe(`${pei.checkoutUrl}/${order.providerOrderId}`);
      expect(pei.orders.has(order.providerOrderId!)).toBe(true);
      expect((await readAt(gateway, order.id)).status).toBe('CREATED');
      const delivery = await pei.confirm(order.providerOrderId!);
      if (delivery) expect(delivery.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.total.amount).toBe('5000');

      // ---- capture, refund, cancel: NOT_SUPPORTED, nothing sent to Pei ----
      const before = pei.calls.length;
      for (const event of [{ type: 'CAPTURE', amount: '1000' }, { type: 'REFUND', amount: '1000' }, { type: 'CANCEL' }]) {
        const answer = await gql(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [event] }] }, backOffice);
        expect(answer.errors?.[0]?.extensions?.['code']).toBe('NOT_SUPPORTED');
      }
      expect(pei.calls.slice(before).filter((call) => call.method !== 'GET')).toEqual([]);

      // ---- the buyer cancels on Pei's page: never captured; CANCELLED where Pei says so ----
      const cancelled = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.cancel(cancelled.providerOrderId!);
      // Pei says so in its reads' word, or in a postback's word (a status number is not believed: README).
      if (combo.options.statusWords || (combo.options.postbackOn === 'everyChange' && combo.options.postbackStatusAs !== 'number')) {
        expect(captured(await untilAt(gateway, cancelled.id, 'CANCELLED'))).toBe(0);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const read = await readAt(gateway, cancelled.id);
        expect(read.status).toBe('CREATED');
        expect(captured(read)).toBe(0);
      }

      // ---- an Orders/Pay: charged once, CAPTURED ----
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const bought = purchase();
      const purchased = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: bought }, merchant)).createOrder;
      expect(captured(purchased.status === 'CAPTURED' ? purchased : await untilAt(gateway, purchased.id, 'CAPTURED'))).toBe(5000);
      expect(callsTo('/api/orders/pay', String(bought['reference']))).toHaveLength(1);

      // ---- a charge whose answer is lost, retried under its key past the listing lag bound ----
      const tag = Math.random().toString(36).slice(2, 10);
      // Short enough that a Reference kept misread (two bytes a letter) and cut to 20 still ends with its tag.
      const reference = `Þæ-${tag}`;
      const lostInput = combo.lostPath === '/api/orders/pay' ? purchase({ reference, idempotencyKey: `r20-${tag}` }) : recurring({ reference, idempotencyKey: `r20-${tag}` });
      pei.loseNextAnswer(combo.lostPath, combo.lost);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: lostInput }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      // The retry's clock is 3 minutes on (createPastListingLag); a listing cached for listCacheMs of
      // real time would otherwise still be the one built before the charge (no real Pei's cache
      // outlives the 3 minutes the gateway's clock says have passed).
      await new Promise((resolve) => setTimeout(resolve, combo.options.listCacheMs ?? 0));
      const retry = await createPastListingLag(gateway.url, lostInput, merchant);
      expect(postsWith(combo.lostPath, tag)).toHaveLength(1);
      expect(madeWith(tag)).toHaveLength(1);
      // A Recurring charge Pei has not charged yet is in no listing of confirmed orders only, so its
      // lost answer stays unknown until Pei charges it (lost-answer.ts mayBeUnlisted): never sent
      // again; which of the two a run sees is the server's timing. Anything else must be found.
      if (retry.errors && combo.lostPath === '/api/orders' && combo.options.listOnly === 'confirmed') {
        expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        return;
      }
      expect(retry.errors).toBeUndefined();
      const retried = retry.data!.createOrder;
      expect(captured(retried.status === 'CAPTURED' ? retried : await untilAt(gateway, retried.id, 'CAPTURED'))).toBe(5000);
    } finally {
      await gateway.close();
    }
  };

  for (const combo of COMBINATIONS) {
    it(combo.name, () => run(combo), 30_000);
  }

  // ---- found by the combinations, pinned on their own ----

  it("the seed's postback template carrying a 17-digit purchase id: taken (200), CAPTURED", async () => {
    const gateway = await gatewayFor({ postbackBody: 'seedTemplate', purchaseIdPrefix: '90071992547', readShowsPurchase: false });
    try {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED', 3000))).toBe(5000);
    } finally {
      await gateway.close();
    }
  });

  it('a lost Recurring charge Pei has not charged yet, at a Pei listing confirmed orders only without purchase ids: unknown, never sent again', async () => {
    const gateway = await gatewayFor({ listOnly: 'confirmed', readShowsPurchase: false, recurringCharge: 'never' });
    try {
      // A confirmed order on the day's listing, its entry without a purchase id as every entry there.
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const bought = purchase();
      const paid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: bought }, merchant)).createOrder;
      await untilAt(gateway, paid.id, 'CAPTURED');
      const tag = Math.random().toString(36).slice(2, 10);
      const input = recurring({ reference: `rec-${tag}`, idempotencyKey: `r20-unlisted-${tag}` });
      pei.loseNextAnswer('/api/orders', 500);
      await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const retry = await createPastListingLag(gateway.url, input, merchant);
      // Before: the entry without a purchase id read as an unconfirmed order listed, so the absence counted and the mandate was charged again.
      expect(pei.calls.filter((call) => call.method === 'POST' && call.path === '/api/orders' && String((call.body as { reference?: unknown }).reference).endsWith(tag))).toHaveLength(1);
      expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    } finally {
      await gateway.close();
    }
  });

  // (the timing made this one intermittent among the combinations)

  describe('a Pei posting every change as its enum number, the making too, its reads without a word or the purchase', () => {
    it('the buyer confirming at once after the making: the confirmation is taken (200), CAPTURED', async () => {
      const gateway = await gatewayFor({ postbackOn: 'everyChange', postbackStatusAs: 'number', postbackOnCreate: true, readShowsPurchase: false }, { reconcileIntervalMs: 2000 });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        // The making's postback (`status: 1`, no purchase id) lands first.
        await eventually(async () => pei.postbacks.some((delivery) => delivery.url === pei.orders.get(order.providerOrderId!)!.postbackUrl));
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED', 3000))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });
});
