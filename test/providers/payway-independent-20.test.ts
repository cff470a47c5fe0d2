/**
 * Round twenty of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): every earlier variation at once. Nineteen rounds
 * each varied two or three things with the server's other options at their defaults; this one
 * draws 20 combinations from a seeded PRNG (mulberry32, seed 202026: the same ones on every
 * run), each turning on 4 to 8 of the 36 options in OPTIONS, plus the 5 PINNED combinations that
 * found this round's fights (25 in all, about 25 s with 12 s of tests on this machine). For each, through
 * GraphQL over real HTTP: a purchase complete at once; 3-D Secure (or Adyen's Pending with a
 * Swish QR code) continued through perform_additional_action, with a challenge after the
 * fingerprint where drawn; a pending purchase closed by its event (or by the event overtaking
 * the answer), another failed by its event; capture, refund and cancel (NOT_SUPPORTED: Payway
 * has none, nothing reaches it); where drawn, one refusal retried under its key; a creation whose
 * answer is lost (a reset, Payway's 503, a proxy's 502), retried under the same key, settled by
 * its event. Asserted: statuses, totals and captured amounts (Adyen's amount in the answer, else
 * the priced period, else the stated price), each place_order / perform_additional_action
 * reaching the server exactly once, the contract's error codes, and the harness's money check.
 * The options: the answers' content type, message left out, extra fields, reversed order, the
 * status word's spelling, a non-200 status, long ids as numbers, small ids as numbers, `status`
 * written twice, the action as JSON text, Payway's order on a pending answer, Adyen's amount
 * (minor units, decimal text, major units), payment_methods priced (minor, a float, decimal text)
 * or absent, the URI regex, Adyen's details check, sessions checked, `Connection: close`, a 103
 * Early Hints, the drop-in's whole state.data, the event's shape (five of Payway's, Adyen's
 * notification, a form), its name's spelling (`payment_success` too), Adyen's merchantReference
 * as Payway's order, its signing (ten schemes, Adyen's own HMAC where none is drawn), its label,
 * a batch, gzip, ISO-8859-1 (labelled or not), another JSON spelling signed, a byte order mark
 * (signed or added after signing), a redelivery, and the merchant reference's kind (spaces
 * around, an URL, digits echoed as a number, longer than Adyen's 80, Nordic letters). Excluded
 * (excluded(), with why): pairs no writer makes or that cannot both be said of one text, and a
 * 100 Continue (round nineteen's it.fails, shared code).
 *
 * - A byte order mark before an event's JSON (round two: "taken", signed over its bytes) beside
 *   another JSON spelling signed (round sixteen / seventeen): otherJsonSpellings parsed the body
 *   with the mark, which JSON.parse refuses, so it offered no other spelling, and the event was
 *   401 on every delivery (the purchase Payway charged PENDING for good). Also a mark the writer
 *   adds after the sender signed its serialised text (.NET's StreamWriter in Encoding.UTF8),
 *   alone: 401. Fixed (event-json-spellings.ts): the spellings are looked for after the mark, as
 *   signed with it and without it; only texts parsing to the same value count.
 * - Adyen's notification proved by Adyen's own HMAC of each item (round fourteen) written with a
 *   byte order mark: adyenSignedText's JSON.parse refused it, 401 on every delivery. Fixed
 *   (event-adyen-hmac.ts): the mark is dropped before parsing, as every other reader drops it.
 * - `status` written twice (round nineteen) where one of the two is the status word in another
 *   spelling (round two's ` complete `, or `COMPLETE`): taken for two values, so the `complete`
 *   answer was unreadable (PROVIDER_UNAVAILABLE for a purchase Payway completed, kept as a lost
 *   answer) and a 3-D Secure step never reached the shopper. Fixed (json-members-twice.ts takes
 *   an `alike`; client.ts sameStatusWord): two spellings of one word are that word; two words
 *   (`pending`, `complete`) still conflict.
 *
 * Looked at and holding in several hundred more drawn combinations (twelve other seeds, 60 to 100
 * each, run while the options were added; not kept: the file stays fast): every
 * other pair. Left as it was: the README's known limitations; round eleven's, fourteen's,
 * sixteen's and nineteen's it.fails. No combination is left as an it.fails.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';
import { seededRandom } from '../support/seeded-random.js';
import {
  actionRequired,
  adyenNotification,
  adyenSigned,
  asciiJson,
  complete,
  eventBatch,
  eventBody,
  gsonJson,
  pending,
  PERFORM_ACTION,
  PLACE_ORDER,
  railsJson,
  sendEventBytes,
  turnedAway,
  type Answer,
  type EventBatch,
  type EventShape,
  type EventSigning,
  type IndependentPayway,
  type IndependentPaywayOptions,
  type ItemShape,
} from '../support/independent/payway-server.js';

/**
 * What this round draws from: each option is how Payway answers (its purchase answers, its
 * events, its front tier), each one a variation an earlier round found and fixed (or held) alone.
 * An option with `choices` is turned on with one of them.
 */
const OPTIONS = {
  // Payway's purchase answers (place_order and perform_additional_action).
  contentType: { round: 1, choices: [null, 'application/JSON', 'application/json; charset=utf-8', 'text/plain'] },
  omitMessage: { round: 1 },
  extraFields: { round: 1 },
  reverse: { round: 1 },
  statusWord: { round: 2, choices: ['upper', 'spaced', 'capitalised'] },
  httpStatus: { round: 13 },
  longIds: { round: 17 },
  // `status` written twice: the same text, or the seed's spelling first beside the item's own.
  memberTwice: { round: 19, choices: ['same', 'seed-spelling'] },
  actionAsText: { round: 13 },
  orderOnPending: { round: 4 },
  // Adyen's amount in the answer: minor units, a BigDecimal's text (round twelve), major units as text.
  adyenAmount: { round: 11, choices: ['minor', 'decimal-text', 'major-text'] },
  // How the creation's answer is lost: a reset, Payway's 503 with Retry-After, a proxy's 502 page (round eighteen).
  lostAs: { round: 18, choices: ['reset', '503-payway', '502-proxy'] },
  smallNumericIds: { round: 2 },
  // Adyen's Pending with its action (Swish's QR code) in place of action_required (round thirteen).
  pendingAction: { round: 13 },
  // A challenge after the fingerprint, in the same session, before the purchase completes.
  challenge: { round: 10 },
  // The server and its front tier.
  priced: { round: 8, choices: ['minor', 'major-float', 'decimal-text', 'absent'] },
  // One refusal (the one fault besides the lost answer): Payway's error body as the seed writes it, in `item`, or as a list.
  refusal: { round: 8, choices: ['plain', 'in-item', 'errors-list'] },
  uriRegex: { round: 3 },
  adyenDetails: { round: 8 },
  sessionsChecked: { round: 17 },
  connectionClose: { round: 18 },
  earlyHints: { round: 19 },
  // The shopper's 3-D Secure result as the drop-in gives it: its whole state.data.
  dropInState: { round: 8 },
  // Payway's events.
  eventShape: { round: 4, choices: ['nested-data', 'item-like', 'in-item', 'in-data', 'data-object', 'adyen', 'form'] },
  eventName: { round: 2, choices: ['OrderClosed', 'order.closed', 'ORDER_CLOSED', 'payment_success'] },
  adyenByOrder: { round: 15 },
  overtake: { round: 10 },
  redeliver: { round: 17 },
  // A byte order mark before the JSON: in the signed bytes, or added by the writer after signing.
  bom: { round: 2, choices: ['signed', 'unsigned'] },
  signing: {
    round: 16,
    choices: ['hmac-base64-timestamped', 'bearer-secret', 'hmac-hex-timestamped-ruby', 'hmac-hex-timestamped-http-date', 'hmac-hex-timestamped-float', 'hmac-hex-timestamped-stockholm-local', 'sha512-hex', 'sha1-prefixed', 'rails-token', 'basic-secret-user'],
  },
  eventLabel: { round: 2, choices: ['text/plain', null, 'application/json; charset=utf-8'] },
  batch: { round: 12, choices: ['array', 'items', 'events', 'data'] },
  gzip: { round: 17 },
  latin1: { round: 18, choices: ['labelled', 'unlabelled'] },
  otherSpelling: { round: 16, choices: ['rails', 'gson', 'ascii'] },
  reference: { round: 8, choices: ['spaced', 'url', 'digits', 'long', 'nordic'] },
} as const satisfies Record<string, { round: number; choices?: readonly unknown[] }>;

type OptionName = keyof typeof OPTIONS;
type Combination = Partial<{ [K in OptionName]: (typeof OPTIONS)[K] extends { choices: readonly (infer C)[] } ? C : true }>;

/**
 * Pairs this round does not draw together, and why. Each is a pair no real Payway sends, or one
 * whose parts cannot both be said of one text.
 */
function excluded(combination: Combination): string | undefined {
  const on = (name: OptionName) => combination[name] !== undefined;
  // Adyen's notification is a list of its own, signed by Adyen's scheme or Payway's: not batched again.
  if (combination.eventShape === 'adyen' && on('batch')) return 'adyen+batch';
  // A Latin-1 body is the bytes of a text that has characters outside ASCII: the Nordic reference.
  if (on('latin1') && on('reference') && combination.reference !== 'nordic') return 'latin1+reference';
  // Another spelling of the signed JSON is only another text where the body holds what it
  // escapes: the ascii one non-ASCII letters, Rails' and Gson's `&` (an URL).
  if (on('otherSpelling') && on('latin1')) return 'otherSpelling+latin1';
  // A form is fields, not JSON text: no batch of it, no other JSON spelling signed; a BOM is JSON's.
  if (combination.eventShape === 'form' && (on('batch') || on('otherSpelling') || on('bom'))) return 'form+json-only';
  // Adyen's notification names no Payway event: its name spelled otherwise is no option of it.
  if (combination.eventShape === 'adyen' && on('eventName')) return 'adyen+eventName';
  // Adyen's merchantReference as Payway's order only where Payway's answer named one (round fifteen).
  if (on('adyenByOrder') && (combination.eventShape !== 'adyen' || !on('orderOnPending'))) return 'adyenByOrder alone';
  // Long ids are long; small numeric ids are small: one writer writes one kind.
  if (on('longIds') && on('smallNumericIds')) return 'longIds+smallNumericIds';
  // An Adyen Pending carrying a challenge after a fingerprint is no Adyen flow.
  if (on('pendingAction') && on('challenge')) return 'pendingAction+challenge';
  // A byte order mark has no Latin-1 bytes.
  if (on('bom') && on('latin1')) return 'bom+latin1';
  return undefined;
}

/** Draws `count` combinations of 4 to 8 options from a fixed seed, skipping excluded pairs. */
function combinations(seed: number, count: number): Combination[] {
  const random = seededRandom(seed);
  const names = Object.keys(OPTIONS) as OptionName[];
  const drawn: Combination[] = [];
  while (drawn.length < count) {
    const size = 4 + Math.floor(random() * 5);
    const pool = [...names];
    const combination: Record<string, unknown> = {};
    for (let index = 0; index < size; index += 1) {
      const [name] = pool.splice(Math.floor(random() * pool.length), 1) as [OptionName];
      const option = OPTIONS[name] as { choices?: readonly unknown[] };
      combination[name] = option.choices ? option.choices[Math.floor(random() * option.choices.length)] : true;
    }
    const typed = combination as Combination;
    // The reference an otherSpelling needs, so the signed text differs from the posted one.
    if (typed.otherSpelling === 'ascii') typed.reference = 'nordic';
    else if (typed.otherSpelling) typed.reference = 'url';
    if (typed.latin1) typed.reference = 'nordic';
    if (!excluded(typed)) drawn.push(typed);
  }
  return drawn;
}

const SEED = 20_2026;
const COMBINATIONS = 20;

/**
 * The combinations that found this round's fights, kept whatever the seed draws (the generator's
 * draw moved as options were added).
 */
const PINNED: Combination[] = [
  // A byte order mark in the signed bytes and a Rails spelling signed: 401 (event-json-spellings.ts).
  { bom: 'signed', eventName: 'payment_success', signing: 'hmac-hex-timestamped-http-date', otherSpelling: 'rails', connectionClose: true, priced: 'major-float', reference: 'url' },
  // A byte order mark added by the writer after signing, alone: 401 (event-json-spellings.ts).
  { contentType: null, bom: 'unsigned', actionAsText: true, eventName: 'order.closed', signing: 'hmac-hex-timestamped-float' },
  // Adyen's own HMAC of each item, the notification written with a byte order mark: 401 (event-adyen-hmac.ts).
  { connectionClose: true, reverse: true, dropInState: true, eventShape: 'adyen', bom: 'signed', sessionsChecked: true },
  // `status` written twice, the seed's word beside the item's spaced one: PROVIDER_UNAVAILABLE (client.ts, json-members-twice.ts).
  { statusWord: 'spaced', sessionsChecked: true, memberTwice: 'seed-spelling', adyenAmount: 'minor', reference: 'nordic', batch: 'array', longIds: true },
  { challenge: true, statusWord: 'upper', adyenDetails: true, memberTwice: 'seed-spelling', reference: 'url', omitMessage: true, otherSpelling: 'gson', httpStatus: true },
];

const named = (combination: Combination): string =>
  Object.entries(combination)
    .map(([name, value]) => (value === true ? name : `${name}=${String(value)}`))
    .join(' ');

describe('Payway adapter against an independent implementation, round twenty: options combined', () => {
  const harness = independentPaywayHarness('-20');
  const { SECRET, TOKEN, placeOk, read, continueWith } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  let backOffice: string;
  beforeAll(() => ({ gateway, payway, backOffice } = harness.parts));

  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];
  const money = (order: OrderView) => ({
    status: order.status,
    total: `${order.total.amount} ${order.total.currency}`,
    captured: order.payments.map((payment) => payment.capturedAmount?.amount ?? '0.00'),
  });

  /** One purchase's ids, as a Payway writing long ids writes them (digits beyond 2^53). */
  const ids = (c: Combination) => {
    const digits = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    const small = () => String(1000 + Math.floor(Math.random() * 9_000_000));
    if (c.smallNumericIds) return { orderId: small(), receiptId: small(), session: small() };
    return c.longIds ? { orderId: digits(), receiptId: digits(), session: digits() } : { orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}`, receiptId: randomUUID().replace(/-/g, '').slice(0, 24), session: `s-${randomUUID()}` };
  };

  /** A merchant reference of the combination's kind, and the one an event echoes. */
  const referenceOf = (c: Combination) => {
    const tail = randomUUID().slice(0, 8);
    switch (c.reference) {
      case 'spaced':
        return { sent: `  campaign-${tail}  `, echoed: `campaign-${tail}` };
      case 'url':
        return { sent: `https://adeprimokuriren.se/artikel/${tail}?utm_source=facebook&utm_medium=cpc`, echoed: `https://adeprimokuriren.se/artikel/${tail}?utm_source=facebook&utm_medium=cpc` };
      case 'digits': {
        const number = String(100_000 + Math.floor(Math.random() * 800_000));
        return { sent: number, echoed: number, asNumber: true };
      }
      case 'long': {
        const long = `https://adeprimokuriren.se/nyheter/2026/12/07/${tail}/en-mycket-lang-rubrik-om-vinterns-erbjudanden?utm_campaign=vinter`;
        return { sent: long, echoed: long };
      }
      case 'nordic':
        return { sent: `vårkampanj-Ångermanland-${tail}`, echoed: `vårkampanj-Ångermanland-${tail}` };
      default:
        return { sent: `campaign-${tail}`, echoed: `campaign-${tail}` };
    }
  };

  /** The total each purchase should show: Adyen's amount in the answer, else the priced period, else the stated price. */
  const adyenAmountOf = (c: Combination) => ({ currency: 'SEK', value: c.adyenAmount === 'decimal-text' ? '13900.0' : c.adyenAmount === 'major-text' ? '139.00' : 13_900 });
  const PERIOD_PRICE = { currency: 'SEK', value: 12_900 };
  const expectedTotal = (c: Combination, answered: boolean) => (c.adyenAmount && answered ? '139.00' : c.priced && c.priced !== 'absent' ? '129.00' : '149.00');

  /** The server options the combination turns on (strict as the harness's, always). */
  const serverOptions = (c: Combination): IndependentPaywayOptions => ({
    token: TOKEN,
    strict: true,
    ...(c.priced === 'absent' ? { paymentMethods: 'absent' as const } : {}),
    ...(c.priced && c.priced !== 'absent' ? { paymentMethods: 'priced', periodPrice: PERIOD_PRICE, ...(c.priced === 'major-float' ? { periodPriceText: '129.0' } : c.priced === 'decimal-text' ? { periodPriceText: '"12900.0"' } : {}) } : {}),
    ...(c.uriRegex ? { uriRegex: true } : {}),
    ...(c.adyenDetails ? { adyenDetails: true } : {}),
    ...(c.sessionsChecked ? { sessionsChecked: true } : {}),
    ...(c.connectionClose ? { connectionClose: true } : {}),
    ...(c.earlyHints ? { informational: 'early-hints' as const } : {}),
  });

  /** A purchase answer (complete(), pending(), actionRequired()) as the combination writes it. */
  const answered = (c: Combination, build: (shape: ItemShape) => Answer, kind: 'complete' | 'pending' | 'action_required'): Answer => {
    const word = c.statusWord === 'upper' ? kind.toUpperCase() : c.statusWord === 'spaced' ? ` ${kind} ` : c.statusWord === 'capitalised' ? kind.charAt(0).toUpperCase() + kind.slice(1) : undefined;
    const shape: ItemShape = {
      ...(c.omitMessage ? { omitMessage: true } : {}),
      ...(c.extraFields ? { extraItem: { created_at: new Date().toISOString(), psp_reference: '8836183820127562' }, extraTop: { meta: { version: '4.2.0' } } } : {}),
      ...(c.reverse ? { reverse: true } : {}),
      ...(word ? { statusWord: word } : {}),
      ...(c.adyenAmount ? { extraItem: { ...(c.extraFields ? { created_at: new Date().toISOString() } : {}), amount: adyenAmountOf(c) } } : {}),
    };
    if (c.contentType !== undefined) shape.contentType = c.contentType;
    let answer = build(shape);
    const item = (answer.body as { item: Record<string, unknown> }).item;
    if (c.actionAsText && item['action']) item['action'] = JSON.stringify(item['action']);
    if (c.httpStatus) answer = { ...answer, status: kind === 'action_required' ? 402 : 409 };
    let text = JSON.stringify(answer.body);
    if (c.memberTwice) text = text.replace('"item":{', `"item":{"status":${JSON.stringify(c.memberTwice === 'same' ? item['status'] : kind)},`);
    if (c.longIds) text = text.replace(/"(\d{16,})"/g, '$1');
    if (c.smallNumericIds) text = text.replace(/"(order_id|receipt_id|session_reference)":"(\d+)"/g, '"$1":$2');
    return { ...answer, text };
  };

  /** The event's name as the combination spells it. */
  const spelled = (c: Combination, name: 'order_closed' | 'payment_failure'): string => {
    if (c.eventName === undefined) return name;
    if (c.eventName === 'payment_success') return name === 'order_closed' ? 'payment_success' : name;
    const words = name.split('_');
    if (c.eventName === 'OrderClosed') return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
    if (c.eventName === 'order.closed') return words.join('.');
    return name.toUpperCase();
  };

  /** `text` as form fields percent-encoded in `charset`'s bytes. */
  const formOf = (fields: Record<string, string>, charset: 'utf8' | 'latin1') =>
    Object.entries(fields)
      .map(([key, value]) => `${key}=${[...Buffer.from(value, charset)].map((byte) => (/[A-Za-z0-9\-_.*]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('')}`)
      .join('&');

  /** Posts one event of the combination's kind, signed as it says; the gateway's status (each delivery's, when redelivered). */
  const sendEvent = async (c: Combination, name: 'order_closed' | 'payment_failure', facts: { reference: ReturnType<typeof referenceOf>; orderId?: string }, total: string): Promise<number> => {
    let body: unknown;
    let signing = (c.signing ?? 'hmac-hex') as EventSigning;
    const headers: Record<string, string> = {};
    let contentType: string | null = c.eventLabel === undefined ? 'application/json' : c.eventLabel;
    let text: string;
    let signedText: string;
    let bytes: Buffer;
    if (c.eventShape === 'form') {
      const fields = { event: spelled(c, name), merchant_reference: facts.reference.echoed, ...(facts.orderId ? { order_id: facts.orderId } : {}), occurred_at: new Date().toISOString() };
      text = Object.entries(fields).map(([key, value]) => `${key}=${value}`).join('&');
      signedText = formOf(fields, c.latin1 ? 'latin1' : 'utf8');
      bytes = Buffer.from(signedText, 'latin1');
      contentType = c.latin1 === 'labelled' ? 'application/x-www-form-urlencoded; charset=ISO-8859-1' : 'application/x-www-form-urlencoded';
    } else {
      if (c.eventShape === 'adyen') {
        const value = Math.round(Number(total) * 100);
        const merchantReference = c.adyenByOrder && facts.orderId ? facts.orderId : facts.reference.echoed.slice(0, 80);
        body = adyenNotification([{ eventCode: 'AUTHORISATION', success: name === 'order_closed', merchantReference, value }]);
        if (c.signing === undefined) {
          // Adyen's own HMAC of each item, no header.
          body = adyenSigned(body, SECRET);
          signing = 'none';
        }
      } else {
        body = eventBody(name, { merchantReference: facts.reference.echoed, ...(facts.orderId ? { orderId: facts.orderId } : {}) }, (c.eventShape ?? 'flat') as EventShape);
        if (c.eventName) body = JSON.parse(JSON.stringify(body).split(`"${name}"`).join(JSON.stringify(spelled(c, name))));
        if (c.batch) body = eventBatch([body], c.batch as EventBatch);
      }
      text = JSON.stringify(body);
      signedText = text;
      if (c.otherSpelling === 'rails') signedText = railsJson(body);
      if (c.otherSpelling === 'gson') signedText = gsonJson(body);
      if (c.otherSpelling === 'ascii') signedText = asciiJson(body);
      const numbers = (value: string) => {
        let out = c.longIds ? value.replace(/"(\d{16,})"/g, '$1') : value;
        if (c.smallNumericIds) out = out.replace(/"(order_id|orderId)":"(\d+)"/g, '"$1":$2');
        if (facts.reference.asNumber) out = out.split(JSON.stringify(facts.reference.echoed)).join(facts.reference.echoed);
        return out;
      };
      text = numbers(text);
      signedText = numbers(signedText);
      if (c.bom) text = `\uFEFF${text}`;
      if (c.bom === 'signed') signedText = `\uFEFF${signedText}`;
      bytes = c.latin1 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
      if (c.latin1 === 'labelled') contentType = 'text/plain; charset=ISO-8859-1';
      if (c.latin1 === 'unlabelled') contentType = 'application/json';
    }
    const signed: Buffer | string = c.latin1 || c.eventShape === 'form' ? bytes : signedText;
    if (c.gzip) {
      bytes = gzipSync(bytes);
      headers['content-encoding'] = 'gzip';
    }
    const status = await sendEventBytes(gateway.url, bytes, text, SECRET, signing, contentType, signed, headers);
    if (!c.redeliver) return status;
    const again = await sendEventBytes(gateway.url, bytes, text, SECRET, signing, contentType, signed, headers);
    return Math.max(status, again);
  };

  const drawn = [...PINNED, ...combinations(SEED, COMBINATIONS)];
  const known = new Map<string, string>([
    // Filled in as combinations are found to be left: named(combination) → why.
  ]);

  describe.each(drawn.map((combination, index) => [index + 1, named(combination), combination] as const))('combination %i: %s', (_index, label, c) => {
    const test = known.has(label) ? it.fails : it;

    test('complete, 3-D Secure then complete, pending then its events, back office refused, a lost creation retried: each money call once, the money as Payway moved it', async () => {
      payway.options = serverOptions(c);
      const total = expectedTotal(c, true);

      // 1. Complete at once.
      const first = ids(c);
      const ref1 = referenceOf(c);
      payway.answers = () => answered(c, (shape) => complete({ orderId: first.orderId, receiptId: first.receiptId }, shape), 'complete');
      const placedBefore = payway.to(PLACE_ORDER).length;
      const done = await placeOk({ merchantReference: ref1.sent });
      expect(money(done)).toEqual({ status: 'CAPTURED', total: `${total} SEK`, captured: [total] });
      expect(done.providerOrderId).toBe(first.orderId);
      expect(payway.to(PLACE_ORDER)).toHaveLength(placedBefore + 1);
      expect(money(await read(done.id))).toEqual(money(done));

      // 2. 3-D Secure, then complete through perform_additional_action.
      const second = ids(c);
      const ref2 = referenceOf(c);
      const firstStep = c.pendingAction
        ? answered(c, (shape) => pending({ ...shape, extraItem: { ...shape.extraItem, session_reference: second.session, action: { type: 'qrCode', paymentMethodType: 'swish', qrCodeData: 'D/2TNkzWf6GrjcyE4i8D', url: 'https://test.adyen.com/hpp/generateQRCodeUrl' } } }), 'pending')
        : answered(c, (shape) => actionRequired(second.session, {}, shape), 'action_required');
      let performs = 0;
      payway.answers = (request) => {
        if (request.path === PLACE_ORDER) return firstStep;
        performs += 1;
        if (c.challenge && performs === 1) return answered(c, (shape) => actionRequired(null, { type: 'threeDS2Challenge', token: 'eyJjaGFsbGVuZ2UiOiJ5ZXMifQ' }, shape), 'action_required');
        return answered(c, (shape) => complete({ orderId: second.orderId, receiptId: second.receiptId }, shape), 'complete');
      };
      const step = await placeOk({ merchantReference: ref2.sent });
      expect(step.status).toBe('ACTION_REQUIRED');
      expect(step.creation.stopAction?.threeDS).toMatchObject({ type: c.pendingAction ? 'qrCode' : 'threeDS2Fingerprint', sessionReference: second.session });
      const performedBefore = payway.to(PERFORM_ACTION).length;
      const details = { threeDSResult: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' };
      const asGiven = (result: Record<string, unknown>) => (c.dropInState ? { details: result, paymentData: 'Ab02b4c0!BQABAgCW5sxB4e' } : result);
      if (c.challenge) {
        const challenged = await continueWith(step.id, asGiven({ threeDSResult: 'fingerprint-done' }));
        expect(challenged.errors).toBeUndefined();
        expect(challenged.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'threeDS2Challenge' } } } });
      }
      const continued = await continueWith(step.id, asGiven(details));
      expect(continued.errors).toBeUndefined();
      expect(money(continued.data!.continueOrderCreation)).toEqual({ status: 'CAPTURED', total: `${total} SEK`, captured: [total] });
      expect(payway.to(PERFORM_ACTION)).toHaveLength(performedBefore + (c.challenge ? 2 : 1));
      expect(payway.to(PERFORM_ACTION).map((request) => request.body.session_reference).slice(performedBefore)).toEqual(c.challenge ? [second.session, second.session] : [second.session]);
      expect(payway.to(PERFORM_ACTION).at(-1)!.body).toMatchObject({ session_reference: second.session, details });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placedBefore + 2);

      // 3. Pending, then order_closed.
      const third = ids(c);
      const ref3 = referenceOf(c);
      const closing = () => sendEvent(c, 'order_closed', { reference: ref3, ...(c.orderOnPending ? { orderId: third.orderId } : {}) }, total);
      let overtaking: number | undefined;
      payway.answers = () => ({
        ...answered(c, (shape) => pending({ ...shape, extraItem: { ...shape.extraItem, ...(c.orderOnPending ? { order_id: third.orderId } : {}) } }), 'pending'),
        // The event overtaking the answer (round one's race): sent while Payway has not answered yet.
        ...(c.overtake ? { before: async () => void (overtaking = await closing()) } : {}),
      });
      const waiting = await placeOk({ merchantReference: ref3.sent });
      if (c.overtake) expect(overtaking).toBeLessThan(300);
      else {
        expect(money(waiting)).toEqual({ status: 'PENDING', total: `${total} SEK`, captured: ['0.00'] });
        expect(await closing()).toBeLessThan(300);
      }
      expect(money(await read(waiting.id))).toEqual({ status: 'CAPTURED', total: `${total} SEK`, captured: [total] });

      // 4. Pending, then payment_failure.
      const fourth = ids(c);
      const ref4 = referenceOf(c);
      payway.answers = () => answered(c, (shape) => pending({ ...shape, extraItem: { ...shape.extraItem, ...(c.orderOnPending ? { order_id: fourth.orderId } : {}) } }), 'pending');
      const failing = await placeOk({ merchantReference: ref4.sent });
      expect(failing.status).toBe('PENDING');
      expect(await sendEvent(c, 'payment_failure', { reference: ref4, ...(c.orderOnPending ? { orderId: fourth.orderId } : {}) }, total)).toBeLessThan(300);
      expect(money(await read(failing.id))).toEqual({ status: 'FAILED', total: `${total} SEK`, captured: ['0.00'] });

      // 5. Capture, refund and cancel: Payway has none; nothing reaches it.
      const since = payway.requests.length;
      for (const type of ['CAPTURE', 'REFUND', 'CANCEL']) {
        const result = await gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: done.id, events: [{ type, ...(type === 'CANCEL' ? {} : { amount: '1.00' }) }] }] }, backOffice);
        expect(codeOf(result)).toBe('NOT_SUPPORTED');
      }
      expect(payway.requests).toHaveLength(since);

      // 6. A refusal (4xx, Payway's error body): nothing placed, so the retry with the same key places it once.
      if (c.refusal) {
        const refusedKey = `r20-refused-${randomUUID()}`;
        const ref = referenceOf(c);
        const status = c.refusal === 'plain' ? 400 : c.refusal === 'in-item' ? 422 : 429;
        const message = { code: 'invalid_card', field: null, message: 'The card was not accepted.' };
        const body = c.refusal === 'plain' ? message : c.refusal === 'in-item' ? { item: message } : { errors: [message] };
        payway.answers = () => ({ status, body, contentType: c.contentType === undefined ? 'application/JSON' : c.contentType });
        const refusedBefore = payway.to(PLACE_ORDER).length;
        const refused = await harness.place({ idempotencyKey: refusedKey, merchantReference: ref.sent });
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'invalid_card' });
        payway.answers = () => answered(c, (shape) => complete({}, shape), 'complete');
        const retried = await harness.place({ idempotencyKey: refusedKey, merchantReference: ref.sent });
        expect(retried.errors).toBeUndefined();
        expect(money(retried.data!.placeAdyenOrder)).toEqual({ status: 'CAPTURED', total: `${total} SEK`, captured: [total] });
        expect(payway.to(PLACE_ORDER)).toHaveLength(refusedBefore + 2);
      }

      // 7. A creation whose answer is lost, retried under the same key, settled by its event.
      const key = `r20-lost-${randomUUID()}`;
      const ref6 = referenceOf(c);
      payway.answers = () =>
        c.lostAs === '503-payway'
          ? turnedAway(503, { body: 'payway' })
          : c.lostAs === '502-proxy'
            ? { ...turnedAway(503, { body: 'proxy' }), status: 502 }
            : { ...answered(c, (shape) => pending(shape), 'pending'), lose: 'reset' };
      expect(codeOf(await harness.place({ idempotencyKey: key, merchantReference: ref6.sent }))).toBe('PROVIDER_UNAVAILABLE');
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => answered(c, (shape) => complete({}, shape), 'complete');
      expect(codeOf(await harness.place({ idempotencyKey: key, merchantReference: ref6.sent }))).toBe('PROVIDER_UNAVAILABLE');
      const lostTotal = expectedTotal(c, false);
      expect(await sendEvent(c, 'order_closed', { reference: ref6 }, lostTotal)).toBeLessThan(300);
      const settled = await eventually(async () => (await harness.place({ idempotencyKey: key, merchantReference: ref6.sent })).data?.placeAdyenOrder, 5000);
      expect(money(settled)).toEqual({ status: 'CAPTURED', total: `${lostTotal} SEK`, captured: [lostTotal] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });
  });
});
