import { assertNever, providerUnavailable } from '../../domain/errors.js';
import { currencyExponent } from '../../domain/currencies.js';
import { parseMoney, sum, zero, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { cleanWord, reportProviderOddity, UNKNOWN_STATUS_INFO, unknownStatusFact } from '../../domain/provider-oddities.js';
import type { LineItem, OrderCreation, Payment, StopAction } from '../../domain/order.js';
import type { OrderStatus } from '../../domain/status.js';
import { statusLetters } from '../status-spelling.js';
import { chainOf, orderStatusWord } from './chain.js';
import { loneUnmatched } from './lone-unmatched.js';
import { paymentAmountInOrderCurrency } from './settlement-currency.js';
import { decidingPaymentWord, factType, orderStatusOf, paymentStatusOf, paymentStatusOfOrder } from './status.js';
import {
  IntershopCreationStatus,
  IntershopOrderCreation,
  IntershopPaymentStatus,
  IntershopStopType,
  type IntershopErrors,
  type IntershopLineItem,
  type IntershopMoney,
  type IntershopOrderData,
  type IntershopOrderDocument,
  type IntershopOrderPayment,
  type IntershopPaymentsDocument,
} from './wire.js';

/*
 * Intershop -> gateway: ICM's documents as domain facts (observations), money, totals, lines and
 * errors. Pure. The status words themselves are mapped in status.ts.
 */

/** What `included` may carry for one or several orders. */
type Included = IntershopOrderDocument['included'];

const PROVIDER = 'Intershop';

/**
 * A JSON number's decimal, as written. An ICM that keeps `value` a Java double and computes with it
 * (the open tender is the basket's value less a gift card's: 59.97 - 19.99) writes binary
 * floating point's error too (`Double.toString`: 39.980000000000004); within a few units of the
 * last place of a value with the currency's decimals, that value is meant. Anything farther off
 * (39.985 for USD) is left as written, and refused as before.
 */
function withoutDoubleNoise(value: number, currency: string): string {
  const written = String(value);
  const exponent = currencyExponent(currency.trim().toUpperCase());
  if (exponent === undefined || !Number.isFinite(value)) return written;
  const meant = value.toFixed(exponent);
  const ulps = Math.abs(value - Number(meant)) / (Number.EPSILON * Math.max(1, Math.abs(value)));
  return ulps <= 8 ? meant : written;
}

/**
 * A value written as a string: a plain decimal within the currency's decimals is taken exactly, as
 * written. Any other is a Java double as `Double.toString` writes it (Jackson's
 * WRITE_NUMBERS_AS_STRINGS writes every number so): its binary noise (`"39.980000000000004"`, the
 * open tender beside a gift card computed as doubles) and its scientific notation from 10^7 up
 * (`"1.23456789E7"`) are read as a JSON number is (withoutDoubleNoise). Before, the first was
 * refused and the second unreadable: the create PROVIDER_UNAVAILABLE after ICM had taken the
 * money, and every later read of the order too.
 */
function fromWireString(value: string, currency: string): string {
  const written = value.trim();
  const exponent = currencyExponent(currency.trim().toUpperCase());
  const plain = /^-?\d+(?:\.(\d+))?$/.exec(written);
  if (exponent === undefined || (plain && (plain[1] ?? '').replace(/0+$/, '').length <= exponent)) return written;
  const double = Number(written);
  return Number.isFinite(double) ? withoutDoubleNoise(double, currency) : written;
}

/** Where a fact was read: which of ICM's answers it carries (see observationKey). */
export type IntershopReadDetail = 'list' | 'order';

/**
 * ICM amounts are major-unit JSON numbers, i.e. doubles by the time JSON.parse is done. String()
 * writes the shortest decimal that reads back as the same double, which is the decimal ICM wrote
 * (628.34 -> "628.34"); that string is then parsed exactly, never scaled as a float (a value sent
 * as a numeric string is parsed as it is). An amount
 * with more decimals than its currency has (or one so large or small that it is written with an
 * exponent) is malformed.
 */
export function fromWireMoney(money: IntershopMoney): Money {
  const decimal = typeof money.value === 'number' ? withoutDoubleNoise(money.value, money.currency) : fromWireString(money.value, money.currency);
  try {
    return parseMoney(decimal, money.currency);
  } catch (error) {
    throw providerUnavailable(PROVIDER, new Error(`amount ${decimal} is not a ${money.currency} amount`, { cause: error }));
  }
}

function stopActionOf(creation: IntershopOrderCreation): StopAction | undefined {
  const stop = creation.stopAction;
  if (creation.status !== 'STOPPED' || !stop) return undefined;
  switch (stop.type) {
    case 'Redirect': {
      // Seed §3.2.3 writes the PSP's URL in the chain's `redirect` block as well as in the
      // stopAction, §2.2 in the stopAction only: an answer may carry it in either.
      const redirectUrl = stop.redirectUrl ?? creation.redirect?.redirectUrl;
      if (!redirectUrl) throw providerUnavailable(PROVIDER, new Error('a Redirect stop without a redirectUrl'));
      return { type: 'REDIRECT', redirectUrl };
    }
    case 'Workflow':
      return { type: 'WORKFLOW', ...(stop.exitReason ? { reason: stop.exitReason } : {}) };
    default:
      return assertNever(stop.type, 'ICM stop action type');
  }
}

function creationOf(infos: IntershopOrderDocument['infos'], creation: IntershopOrderCreation): OrderCreation {
  const stopAction = stopActionOf(creation);
  return {
    status: creation.status,
    ...(stopAction ? { stopAction } : {}),
    infos: (infos ?? []).map(({ code, message }) => ({ code, message })),
  };
}

/** The order's payments as `included.payments` has them, in the order's order; unknown ids are left out. */
export function includedPayments(data: IntershopOrderData, included: Included): IntershopOrderPayment[] {
  return (data.payments ?? []).flatMap((id) => {
    const payment = included?.payments?.[id];
    return payment ? [payment] : [];
  });
}

/**
 * The order's payments: as `included.payments` has them, and, for one it does not include (an
 * answer that ignores `include`, as §3.2.4's PATCH answer shows), as the payments resource (seed
 * §3.1) lists it, without a status word (the chain then says how far it got). Unknown ids are
 * left out; an order answer that names no payments takes the resource's.
 */
function orderPayments(data: IntershopOrderData, included: Included, resource: IntershopPaymentsDocument | undefined): IntershopOrderPayment[] {
  const listed = (entry: IntershopPaymentsDocument['data'][number]): IntershopOrderPayment => ({
    id: entry.id,
    paymentMethod: entry.paymentMethod,
    ...(entry.paymentInstrument ? { paymentInstrument: entry.paymentInstrument } : {}),
    totalAmount: entry.totalAmount,
    baseAmount: entry.baseAmount,
    paymentCosts: entry.paymentCosts,
  });
  if (!data.payments) return (resource?.data ?? []).map(listed);
  const entries = resourceEntries(data.payments, resource);
  return data.payments.flatMap((id) => {
    const payment = included?.payments?.[id];
    if (payment) return [payment];
    const entry = entries.get(id);
    return entry ? [{ ...listed(entry), id }] : [];
  });
}

type ResourceEntry = IntershopPaymentsDocument['data'][number];

/**
 * The payments resource's entry for each of the order's payment ids. By id; and when exactly one
 * of the order's ids is not in the resource and exactly one entry of the resource is not among
 * the order's ids, those two are the same payment (lone-unmatched.ts): seed §3.1's only example
 * names the open tender `open-tender`, §2.2's order names it by an id (`lgAKAB2_...`), and an ICM
 * may do both for one order. Before, that payment was left out: an order whose answers include no
 * payments had no total (every create failed) or, beside a gift card, the gift card's amount as
 * its total.
 */
function resourceEntries(ids: readonly string[], resource: IntershopPaymentsDocument | undefined): Map<string, ResourceEntry> {
  const entries = new Map<string, ResourceEntry>();
  if (!resource) return entries;
  for (const id of ids) {
    const entry = resource.data.find((candidate) => candidate.id === id);
    if (entry) entries.set(id, entry);
  }
  const pair = loneUnmatched(ids, (id) => id, resource.data, (entry) => entry.id);
  if (pair) entries.set(...pair);
  return entries;
}

/**
 * The order's payments. Status comes from the order's `included.payments` (the payments resource
 * has none); amount and method name from GET /orders/{id}/payments when it was read. `chain`: how
 * the creation chain stands (the payments' words count only once it is COMPLETED, see below).
 */
function paymentsOf(payments: KnownPayment[], orderStatus: OrderStatus, chain: IntershopCreationStatus | undefined, orderCurrency: string | undefined, resource?: IntershopPaymentsDocument): Payment[] {
  const entries = resourceEntries(payments.map((payment) => payment.id), resource);
  return payments.map((payment) => {
    const listed = entries.get(payment.id);
    const methodName = listed ? resource?.included?.paymentMethod?.[listed.paymentMethod]?.displayName : undefined;
    // In the order's currency, never the PSP's settlement currency (settlement-currency.ts).
    const amount = paymentAmountInOrderCurrency(listed ?? payment, orderCurrency, fromWireMoney);
    // While ICM waits for the PSP's notification the payment is "AUTHORIZED (pending)" (seed
    // §3.2.5): not money the gateway may count on yet, as a rollback may still come. So is every
    // payment of a chain not yet COMPLETED (stopped, or a stop unsaid): a gift card (§3.1's limited
    // tender) CAPTURED at checkout is voided when the chain rolls back ("the basket restored");
    // shown CAPTURED before, it stayed CAPTURED on the CANCELLED order (a payment never moves back
    // from CAPTURED), money ICM had given back. A payment without a status word got as far as its
    // order (seed §3.2.5's rows pair them). A rolled back chain undid its payments, whatever word
    // an answer left on them (§3.2.5: AUTHORIZATIONVOIDED): a cancelled order never shows a payment
    // still pending or authorized.
    const placed = chain === 'COMPLETED';
    const rolledBack = chain === 'ROLLED_BACK';
    const status = rolledBack ? 'VOIDED' : !placed || orderStatus === 'PENDING' ? 'PENDING' : payment.status ? paymentStatusOf(payment.status) : paymentStatusOfOrder(orderStatus);
    return {
      id: payment.id,
      method: listed?.paymentMethod ?? payment.paymentMethod,
      ...(methodName ? { methodName } : {}),
      status,
      amount,
      capturedAmount: status === 'CAPTURED' ? amount : zero(amount.currency),
      refundedAmount: zero(amount.currency),
    };
  });
}

/**
 * The state an ICM document describes, as a key: the chain's state and every payment's status
 * word (a gift card's as much as the PSP payment's, seed §3.1).
 */
function stateKey(data: IntershopOrderData, creation: IntershopOrderCreation | undefined, payments: KnownPayment[]): string {
  const stop = creation?.stopAction;
  const words = payments.map((payment) => `${payment.id}=${payment.unknownWord ?? payment.status ?? '-'}`).join(',');
  const chain = creation ? `${creation.status}:${stop?.type ?? '-'}:${stop?.exitReason ?? '-'}` : `${orderStatusWord(data) ?? '-'}:?:?`;
  return `intershop:${data.id}:${chain}:${words || '-'}`;
}

/**
 * The fact's key. A listing (GET /orders) carries neither the order's `infos` nor the payments
 * resource; a read of the order itself carries both (the payments resource when it could be read).
 * - A listing is keyed by the state alone.
 * - A read of the order takes the same key when nothing has yet: a listing of that state later is
 *   then the same fact and changes nothing (it would only drop the infos).
 * - When that key was taken already (a listing got there first, or a read whose payments resource
 *   failed), the read is news: it carries what the other could not (`order.cancelled.info`, the
 *   method's name), so it gets a key of its own, marked `:p` when the payments resource was read.
 *   Reading the same again is then the same fact.
 */
function observationKey(base: string, detail: IntershopReadDetail, paymentsRead: boolean, seenKeys: readonly string[]): string {
  if (detail === 'list' || !seenKeys.includes(base)) return base;
  return `${base}:${paymentsRead ? 'p' : 'o'}`;
}

/**
 * A payment whose status word the gateway knows, or that has none; `unknownWord`: the word it had,
 * which the gateway does not know, where the chain alone decides the order (see chainDecides).
 */
type KnownPayment = IntershopOrderPayment & { status: IntershopPaymentStatus | undefined; unknownWord?: string };

/**
 * Whether the chain says the order's status whatever its payments' words (status.ts orderStatusOf):
 * rolled back, or stopped for a stop the gateway knows. Only a COMPLETED chain needs a payment
 * word (how far the money got), and a chain read from the words (chain.ts) needs them all.
 */
function chainDecides(creation: IntershopOrderCreation | undefined): boolean {
  if (creation?.status === 'ROLLED_BACK') return true;
  const stop = creation?.status === 'STOPPED' ? creation.stopAction : undefined;
  return stop?.type === 'Redirect' || (stop?.type === 'Workflow' && stop.exitReason !== undefined);
}

/**
 * A payment status word in any letter case: the seed writes them two ways ("Unprocessed" in
 * §2.2's answer, AUTHORIZED / CAPTURED / AUTHORIZATIONVOIDED in §3.2.5's table), so the case is
 * not a fixed part of the word.
 */
const BRACKETED_PENDING = '(PENDING)';

function paymentWord(word: string): IntershopPaymentStatus | undefined {
  const upper = word.trim().toUpperCase();
  // §3.2.5's table writes the payment of an order waiting_for_pending_payments as "AUTHORIZED
  // (pending)" / "CAPTURED (pending)": a known word marked pending is not money yet, so PENDING.
  // A Java enum constant cannot hold the brackets: AUTHORIZED_PENDING (or AuthorizedPending) is
  // the same mark. Before, it was an unknown word: an Info on every waiting order, and its watch
  // cut from PENDING_WATCH_MS to REDIRECT_WATCH_MS.
  // The bracketed mark is cut off rather than matched by `^(.+?)\s*\(PENDING\)$`, which backtracks
  // quadratically over a long run of blanks in an answer's word (security probe 6).
  const marked = upper.length > BRACKETED_PENDING.length && upper.endsWith(BRACKETED_PENDING) ? upper.slice(0, -BRACKETED_PENDING.length).trimEnd() : undefined;
  if (marked !== undefined) return marked && knownPaymentWord(marked) ? 'PENDING' : undefined;
  const pending = /^(AUTHORIZED|CAPTURED)[\s_-]*PENDING$/.exec(upper);
  if (pending) return knownPaymentWord(pending[1]!) ? 'PENDING' : undefined;
  return knownPaymentWord(upper);
}

/**
 * The table's words run together where a heading would split them (AUTHORIZATIONVOIDED), so
 * "AUTHORIZATION_VOIDED" or "Authorization voided" is the same word: compared without case,
 * spaces, "_" or "-".
 */
function knownPaymentWord(word: string): IntershopPaymentStatus | undefined {
  const wanted = statusLetters(word);
  return IntershopPaymentStatus.options.find((known) => statusLetters(known) === wanted);
}

/**
 * The order's chain and payments with words the gateway knows, or the first word it does not. A
 * `creation` of undefined: stopped at a stop that waits on the shop, which one unsaid (see chainOf).
 */
function knownWords(data: IntershopOrderData, payments: IntershopOrderPayment[], afterPsp: boolean): { creation: IntershopOrderCreation | undefined; payments: KnownPayment[] } | { unknown: string } {
  const chain = chainOf(data, payments, afterPsp);
  if ('unknown' in chain) return chain;
  let creation: IntershopOrderCreation | undefined;
  if ('creation' in chain) {
    const parsed = IntershopOrderCreation.safeParse(chain.creation);
    if (!parsed.success) {
      const { status, stopAction } = chain.creation;
      if (!IntershopCreationStatus.safeParse(status).success) return { unknown: status };
      if (stopAction && !IntershopStopType.safeParse(stopAction.type).success) return { unknown: stopAction.type };
      return { unknown: stopAction?.exitReason ?? status };
    }
    creation = parsed.data;
  }
  const known: KnownPayment[] = [];
  for (const payment of payments) {
    const word = payment.status === undefined ? undefined : paymentWord(payment.status);
    if (payment.status !== undefined && !word) {
      // A payment word no seed shows ("FAILED" on a rolled-back payment, which had nothing to
      // void; "OPEN" before the PSP) where the chain decides alone: the payment is read as
      // having no word (as far as its order got), and the word reported. Before, it made the
      // whole answer unknown: a rolled-back order never became CANCELLED, and a create whose
      // chain stopped for the URLs kept no stop and could not be continued. Beside a COMPLETED
      // chain the word says how far the money got, so it stays unknown there: never read as paid.
      if (!chainDecides(creation)) return { unknown: payment.status };
      reportProviderOddity({ kind: 'unknown_status', provider: 'INTERSHOP', word: cleanWord(payment.status), order: data.id });
      known.push({ ...payment, status: undefined, unknownWord: cleanWord(payment.status) });
      continue;
    }
    known.push({ ...payment, status: word });
  }
  return { creation, payments: known };
}

/** Payment words from before the PSP answered: §2.2's first word, and the table's word while at the PSP's page. */
const BEFORE_PSP: readonly (IntershopPaymentStatus | undefined)[] = ['Unprocessed', 'PENDING'];

/**
 * Payments as a COMPLETED chain that the PSP completed has them. §3.2.5 pairs COMPLETED with
 * AUTHORIZED or CAPTURED only; a word from before the PSP's yes that an answer still carries
 * ("Unprocessed" as §2.2 wrote it, "PENDING" as at the PSP's page: ICM may never rewrite it) is
 * stale, and read as no word (the payment got as far as its order). Without the PSP (an invoice,
 * cash on delivery) the word stands: placed, money not reserved (status.ts completedStatus).
 */
function withoutStaleWords(creation: IntershopOrderCreation | undefined, payments: KnownPayment[], afterPsp: boolean): KnownPayment[] {
  if (!afterPsp || creation?.status !== 'COMPLETED') return payments;
  return payments.map((payment) => (BEFORE_PSP.includes(payment.status) ? { ...payment, status: undefined } : payment));
}

function observe(
  data: IntershopOrderData,
  included: Included,
  read:
    | { detail: 'list'; afterPsp: boolean }
    | { detail: 'order'; infos: IntershopOrderDocument['infos']; payments: IntershopPaymentsDocument | undefined; seenKeys: readonly string[]; afterPsp: boolean },
): ProviderObservation {
  const words = knownWords(data, orderPayments(data, included, read.detail === 'order' ? read.payments : undefined), read.afterPsp);
  // A word outside the seed's: the order keeps its status and shows it (CONTRACT §7).
  if ('unknown' in words) return { ...unknownStatusFact('INTERSHOP', words.unknown, data.id), providerData: { intershopRead: read.detail, intershopUnknownWord: true } };
  const creation = words.creation;
  const payments = withoutStaleWords(creation, words.payments, read.detail === 'order' && read.afterPsp);
  // Stopped for the shop, the stop unsaid (chainOf): ACTION_REQUIRED at either stop. The fact then
  // carries no creation, so an order the gateway knows keeps its own stop and the PSP's URL.
  const status = creation ? orderStatusOf(creation, decidingPaymentWord(payments)) : 'ACTION_REQUIRED';
  // At the PSP's page without its URL: shown like a stop unsaid (below).
  const shownCreation = creation && !withoutPspUrl(creation) ? creation : undefined;
  const resource = read.detail === 'order' ? read.payments : undefined;
  // A payment word the gateway does not know beside a chain that decides alone (knownWords): shown
  // as CONTRACT §7 shows any unknown word (the raw word, the Info), the order re-read for a while.
  const unknownWord = words.payments.find((payment) => payment.unknownWord !== undefined)?.unknownWord;
  const shown = shownCreation ? creationOf(read.detail === 'order' ? read.infos : undefined, shownCreation) : undefined;
  return {
    // Keyed by the words as ICM wrote them: a listing of this same state is the same fact.
    key: observationKey(stateKey(data, creation, words.payments), read.detail, resource !== undefined, read.detail === 'order' ? read.seenKeys : []),
    type: creation ? factType(creation) : 'stopped',
    status,
    ...(unknownWord !== undefined ? { providerStatus: unknownWord } : orderStatusWord(data) ? { providerStatus: orderStatusWord(data) } : {}),
    providerOrderId: data.id,
    payments: paymentsOf(payments, status, creation?.status, orderCurrencyOf(data), resource),
    ...(shown ? { creation: unknownWord === undefined ? shown : { ...shown, infos: [...shown.infos, unknownPaymentWordInfo(unknownWord)] } } : {}),
    // A listed fact lacks ICM's infos and the payments resource: the adapter reads such an order once more (needsReconciliation).
    providerData: { intershopRead: read.detail, intershopUnknownWord: unknownWord !== undefined },
  };
}

/**
 * Whether the chain is stopped at the PSP's page with its URL in neither place (seed §3.2.3 makes
 * the URL for the PATCH that asks for the redirect; a read may carry the chain without it). Such an
 * answer says ACTION_REQUIRED at the Redirect stop and nothing the client can follow: its fact
 * carries no creation, so an order keeps the stop and the URL it has (before, every such read was
 * unreadable: a continue whose answer was completed by one failed after ICM went on, and such an
 * order made elsewhere was never listed).
 */
export function withoutPspUrl(creation: { status: string; stopAction?: { type: string; redirectUrl?: string | undefined } | undefined; redirect?: { redirectUrl?: string | undefined } | undefined }): boolean {
  return creation.status === 'STOPPED' && creation.stopAction?.type === 'Redirect' && !creation.stopAction.redirectUrl && !creation.redirect?.redirectUrl;
}

/**
 * CONTRACT §7's Info for a payment word the gateway does not know where the creation chain alone
 * says the order's status (the chain's word is known, so the status is the chain's, not kept).
 */
function unknownPaymentWordInfo(word: string): { code: string; message: string } {
  return { code: UNKNOWN_STATUS_INFO, message: `Intershop reported the payment status "${word}", which the gateway does not know; the order's status follows its creation chain` };
}

/**
 * One ICM order answer (POST, PATCH or GET /orders/{id}) as a fact, with the payments resource
 * when it was read. `seenKeys` are the order's (none for a new order); `afterPsp`: the order had
 * reached the PSP before this answer (see withoutStaleWords).
 */
export function orderObservation(
  document: IntershopOrderDocument,
  payments: IntershopPaymentsDocument | undefined,
  seenKeys: readonly string[] = [],
  afterPsp = false,
): ProviderObservation {
  return observe(document.data, document.included, { detail: 'order', infos: document.infos, payments, seenKeys, afterPsp });
}

/**
 * One entry of GET /orders as a fact: the list has the state, but no infos and no payments
 * resource. `afterPsp`: the gateway sent this order to the PSP's page (see chainOf).
 */
export function listedObservation(data: IntershopOrderData, included: Included, afterPsp = false): ProviderObservation {
  return observe(data, included, { detail: 'list', afterPsp });
}

/**
 * Whether ICM's latest answer about the order had a word the gateway does not know (the order kept
 * its status): seed §2.2 says the chain "may stop for another reason", which ICM may clear itself.
 */
export function lastWordUnknown(providerData: Record<string, unknown>): boolean {
  return providerData.intershopUnknownWord === true;
}

/** Whether the order's latest fact came from a listing (it lacks ICM's infos and the payments resource). */
export function readFromListOnly(providerData: Record<string, unknown>): boolean {
  return providerData.intershopRead === 'list';
}

/**
 * The order's total and lines, which come from ICM (the basket) and not from the client. Only the
 * POST answer and list entries are read for them: seed §3.2.3/§3.2.4's PATCH answers elide
 * `totals`. Where `totals.grandTotal` is missing all the same, the payments' `totalAmount`s add
 * up to what the buyer pays (seed §2.2: the open tender's totalAmount is the order's total): the
 * included ones, or the payments resource's (seed §3.1) for an answer that includes none.
 */
export function totalsOf(data: IntershopOrderData, included: Included, resource?: IntershopPaymentsDocument): { total: Money; items: LineItem[] } {
  const grand = data.totals?.grandTotal;
  const total = grand ? fromWireMoney(grand) : paymentsTotal(data, included, resource);
  const items = (data.lineItems ?? []).flatMap((id, index) => {
    const line = included?.lineItems?.[id];
    const item = line ? lineItemOf(line, index) : undefined;
    return item ? [item] : [];
  });
  return { total, items };
}

/**
 * A line's amount when it is one of its currency (fromWireMoney), else undefined. A line's figures
 * are what the basket shows, not money the order moves (its total comes from `totals` or the
 * payments): one that is no amount of the currency leaves the line without it rather than the whole
 * answer unreadable, and is never rounded into one (round twenty-six: a B2B price list's unit price
 * at four decimals, `11.1133` USD, made the create PROVIDER_UNAVAILABLE after ICM had made the order
 * and, paid without a redirect, taken its money; every read of it failed the same way).
 */
function lineAmount(money: IntershopMoney | undefined): Money | undefined {
  if (!money) return undefined;
  try {
    return fromWireMoney(money);
  } catch {
    return undefined;
  }
}

/**
 * The order's currency: its `purchaseCurrency` (seed §2.2), else its `totals.grandTotal`'s; undefined
 * when neither is readable (the payments' own currencies are then read as before).
 */
function orderCurrencyOf(data: IntershopOrderData): string | undefined {
  const said = data.purchaseCurrency ?? data.totals?.grandTotal?.currency;
  return said !== undefined && currencyExponent(said) !== undefined ? said : undefined;
}

/** The payments' amounts added up: the included ones, or else the payments resource's (seed §3.1). */
function paymentsTotal(data: IntershopOrderData, included: Included, resource: IntershopPaymentsDocument | undefined): Money {
  const amounts = orderPayments(data, included, resource).map((payment) => paymentAmountInOrderCurrency(payment, orderCurrencyOf(data), fromWireMoney));
  const [first] = amounts;
  if (!first) {
    const free = freeOrderTotal(data, resource);
    if (free) return free;
    throw providerUnavailable(PROVIDER, new Error('an order answer with neither totals.grandTotal nor payments'));
  }
  try {
    return sum(first.currency, amounts);
  } catch (error) {
    throw providerUnavailable(PROVIDER, new Error('the payments of one order are in different currencies', { cause: error }));
  }
}

/**
 * The total of an order that nothing pays: zero in its `purchaseCurrency` (seed §2.2), when the
 * order names no payment and the payments resource (seed §3.1: "the list of (limited and open
 * tender) payments used to pay the order") was read and lists none either. A basket a promotion
 * makes free is placed with no payment at all, and the seed elides `totals`: before, such an order
 * had no readable total, so its create was PROVIDER_UNAVAILABLE though ICM had placed it, every
 * retry's search found it and failed the same way, and listings skipped it. Only the resource's own
 * empty list says "none": an answer's empty `payments` may be a list it did not fill in (round
 * six), and a resource that could not be read says nothing (undefined: unreadable, as before).
 */
function freeOrderTotal(data: IntershopOrderData, resource: IntershopPaymentsDocument | undefined): Money | undefined {
  if (!resource || resource.data.length > 0 || (data.payments?.length ?? 0) > 0) return undefined;
  const currency = data.purchaseCurrency;
  return currency && currencyExponent(currency) !== undefined ? zero(currency) : undefined;
}

/** One line of the order; undefined (left out, as a line of another shape is) when its total is no amount of its currency. */
function lineItemOf(line: IntershopLineItem, index: number): LineItem | undefined {
  const unitPrice = lineAmount(line.pricing.singleBasePrice);
  const amount = lineAmount(line.pricing.total);
  if (!amount) return undefined;
  const quantity = line.quantity?.value;
  return {
    lineId: String(line.position ?? index + 1),
    // ICM's v1 line item names its product by SKU only.
    code: line.product,
    name: line.product,
    ...(quantity !== undefined ? { quantity } : {}),
    ...(line.quantity?.unit ? { unit: line.quantity.unit } : {}),
    ...(unitPrice ? { unitPrice } : {}),
    amount,
  };
}

/** The closed error set: ICM's first error becomes PROVIDER_REJECTED details. */
export function rejectionDetails(errors: IntershopErrors): { providerCode: string; providerField?: string; message: string } {
  const [first] = errors.errors;
  if (!first) throw new Error('unreachable: the schema requires one error');
  const path = first.paths?.[0] ?? first.causes?.find((cause) => cause.paths?.length)?.paths?.[0];
  return {
    providerCode: first.code,
    ...(path ? { providerField: path } : {}),
    message: `Intershop rejected the request: ${first.message ?? first.code} (${first.code})`,
  };
}
