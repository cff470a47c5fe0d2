import { statusLetters } from '../status-spelling.js';
import { IntershopCreationStatus, IntershopExitReason, IntershopStopType, type IntershopOrderCreationWords, type IntershopOrderData, type IntershopOrderPayment } from './wire.js';

/*
 * Where an ICM answer stands in the creation chain. Seed §2.2 and §3.2.1-§3.2.4 show
 * `orderCreation` in the answers of POST and PATCH; §2.3's GET of one order and the list entries
 * have no example at all, so an implementation may leave it out there. Such an answer is read by
 * the columns seed §3.2.5's table gives beside each state of the chain: the order's `statusCode`
 * and its payments' words. Pure.
 */

/**
 * - `creation`: the chain's words, as the answer has them or as its statusCode and payments give them;
 * - `stoppedForShop`: stopped at one of the two stops that wait on the shop (its return URLs, or the
 *   buyer at the PSP's page), both ACTION_REQUIRED; which one, and the PSP's URL, the answer does not say;
 * - `unknown`: a word the gateway does not know, or nothing to read the chain by.
 */
export type ChainReading = { creation: IntershopOrderCreationWords } | { stoppedForShop: true } | { unknown: string };

/**
 * A payment the PSP authorized or captured: §3.2.5 writes it "AUTHORIZED (pending)" / "CAPTURED
 * (pending)" while ICM waits for the PSP's notification, and beside a PENDING order it can mean
 * nothing else, marked or not; marked as a Java enum constant marks it too (`AUTHORIZED_PENDING`).
 */
const PAID = /^(?:authorized|captured)(?:\s*\(\s*pending\s*\)|[\s_-]*pending)?$/i;
/**
 * Whether a payment word is PAID's, tested on the word trimmed: blanks around it matched by the
 * pattern itself (`\s*` beside `[\s_-]*`) backtracked polynomially over a long run of them in an
 * answer's word (security probe 6).
 */
const isPaidWord = (word: string): boolean => PAID.test(word.trim());
/** The chain's words that end it (seed §3.2.5). */
const FINAL_CHAIN: ReadonlySet<string> = new Set(['COMPLETED', 'ROLLED_BACK']);
/** The chain's words an answer may carry (CONTRACT §8; CONTINUE is a request's). */
const KNOWN_CHAIN: ReadonlySet<string> = new Set(IntershopCreationStatus.options);
/** A payment taken without any pending mark: beside an Unprocessed one, a limited tender (gift card) taken at checkout (see chainWords). */
const TAKEN = /^\s*(authorized|captured)\s*$/i;
/** §2.2's payment word before the shop gave its return URLs. */
const UNPROCESSED = /^\s*unprocessed\s*$/i;
/** §3.2.5's payment word of a rolled-back chain (and of no other row), its parts together or apart. */
const VOIDED = /^\s*authorization[\s_-]*voided\s*$/i;

/**
 * The answer's own `orderCreation` when it has one (unless it has not ended and the statusCode
 * says the order has: see below); otherwise by §3.2.5's "Order Status" column
 * (in any letter case) and the words of the payments the chain waits on (see chainWords):
 * - NEW: COMPLETED ("Final state. Order was created."); PAYMENT_CANCELLED: ROLLED_BACK;
 * - PENDING with every such payment authorized or captured: STOPPED, waiting_for_pending_payments;
 * - PENDING with every such payment AUTHORIZATIONVOIDED: ROLLED_BACK. §3.2.5 pairs that word with
 *   ROLLED_BACK only; an ICM that leaves statusCode PENDING after the chain ended (§3.2.4's
 *   COMPLETED answer does) says the rollback by the payment alone (before, such an order stayed at
 *   the PSP page or waiting until its watch ended, never CANCELLED);
 * - PENDING with every such payment Unprocessed (§2.2's first answer): STOPPED,
 *   redirect_urls_required; but not once the order is known to have gone past it (`afterPsp`:
 *   the seed shows "Unprocessed" only before the URLs and no word at the PSP's page, so an ICM may
 *   leave it until the PSP answers, and a chain never goes back to wanting the URLs);
 * - PENDING otherwise (the table's PENDING payment, or no payment word): `stoppedForShop`.
 * A missing or other statusCode is unknown: the order keeps its status (CONTRACT §7).
 */
export function chainOf(data: IntershopOrderData, payments: readonly IntershopOrderPayment[], afterPsp = false): ChainReading {
  // "Payment cancelled" (the seed's display `status` beside it) is PAYMENT_CANCELLED too, and so is
  // PAYMENT_CANCELED: §3.2.5's own note spells it so ("the user canceled the payment"). Compared
  // by its letters (status-spelling.ts): the same table runs AUTHORIZATIONVOIDED together, so
  // PAYMENTCANCELLED is the same word (before, an unknown one: such an order rolled back while
  // the buyer was away stayed at the PSP page).
  const code = statusCodeOf(orderStatusWord(data));
  if (data.orderCreation) {
    const creation = canonicalWords(data.orderCreation);
    // A STOPPED chain that does not say why (no stopAction, or a Workflow stop without its
    // exitReason; every example in the seed has them) is read like a chainless answer when its
    // statusCode says PENDING; otherwise the answer is unreadable (mapping.ts), as before.
    // A chain not ended beside a statusCode that says the order ended (NEW: "Final state. Order
    // was created."; PAYMENT_CANCELLED: rolled back) is read by that statusCode: seed §2.2 calls
    // `orderCreation` "the current state of the triggered creation process", a request's, so a
    // read may carry the chain the last POST or PATCH left, while the PSP's notification went on
    // without a request (§3.2.4: "the order creation continues") and moved only the order's
    // statusCode and payments. §3.2.5 pairs every stop with PENDING. Before, such an order stayed
    // at the PSP page or waiting until its watch ended, though ICM had placed or cancelled it.
    const ended = code === 'NEW' || code === 'PAYMENT_CANCELLED';
    // A chain word the gateway does not know (`FAILED`: §2.2 runs the chain "until the order
    // creation is completed successfully (or if it fails)" and names no word for the failure)
    // beside statusCode PENDING and every waited-on payment AUTHORIZATIONVOIDED, the word §3.2.5
    // pairs with ROLLED_BACK alone, is read by those columns: rolled back. Before, it stayed an
    // unknown word: a declined or cancelled creation kept ACTION_REQUIRED (a create, CREATED) for
    // good, beside a voided payment and a restored basket.
    const voidedOnly = !KNOWN_CHAIN.has(creation.status) && code === 'PENDING' && allVoided(chainWords(payments));
    if (!(stopUnsaid(creation) && code === 'PENDING') && !(ended && !FINAL_CHAIN.has(creation.status)) && !voidedOnly) return { creation };
  }
  switch (code) {
    case 'NEW':
      return { creation: { status: 'COMPLETED' } };
    case 'PAYMENT_CANCELLED':
      return { creation: { status: 'ROLLED_BACK' } };
    case 'PENDING': {
      const words = chainWords(payments);
      if (allVoided(words)) return { creation: { status: 'ROLLED_BACK' } };
      if (words.length && words.every(isPaidWord)) {
        return { creation: { status: 'STOPPED', stopAction: { type: 'Workflow', exitReason: 'waiting_for_pending_payments' } } };
      }
      if (!afterPsp && words.length && words.every((word) => UNPROCESSED.test(word))) {
        return { creation: { status: 'STOPPED', stopAction: { type: 'Workflow', exitReason: 'redirect_urls_required' } } };
      }
      return { stoppedForShop: true };
    }
    case undefined:
    case '':
      return { unknown: 'an order without orderCreation or statusCode' };
    default:
      return { unknown: orderStatusWord(data) ?? '' };
  }
}

/**
 * Whether a read's (GET of one order, or a list entry's) STOPPED chain is one the order has left,
 * by seed §3.2.5's table: its statusCode PENDING and every payment the chain waits on (chainWords)
 * AUTHORIZATIONVOIDED, a word the table pairs with ROLLED_BACK alone; or, at the PSP's page or
 * before the return URLs (both rows pair a PENDING payment), every such payment authorized or
 * captured. Seed §2.2 calls `orderCreation` "the current state of the triggered creation
 * process", a request's: an ICM may show on its reads the chain its last POST or PATCH answered,
 * while the PSP's notification moved only the payments (§3.2.4: "the order creation continues")
 * and, where statusCode stays PENDING after the chain ended (§3.2.4's COMPLETED answer), nothing
 * else says so. Such a read is then read without its chain (chainOf): the voided ones ROLLED_BACK,
 * the paid ones waiting_for_pending_payments (PENDING, not yet AUTHORIZED: the conservative
 * reading of a PENDING order whose PSP payment is paid). Before, the order stayed at the PSP page
 * until its watch ended, though ICM had cancelled or placed it. Only for reads: a POST or PATCH
 * answer's chain is current.
 */
export function readChainLeft(data: IntershopOrderData, payments: readonly IntershopOrderPayment[]): boolean {
  if (!data.orderCreation || statusCodeOf(orderStatusWord(data)) !== 'PENDING') return false;
  const creation = canonicalWords(data.orderCreation);
  if (creation.status !== 'STOPPED') return false;
  const words = chainWords(payments);
  if (!words.length) return false;
  if (words.every((word) => VOIDED.test(word))) return true;
  const stop = creation.stopAction;
  const beforePsp = stop?.type === 'Redirect' || (stop?.type === 'Workflow' && stop.exitReason === 'redirect_urls_required');
  return beforePsp && words.every(isPaidWord);
}

/**
 * §3.2.5's "Order Status" words by their letters; another word as it is (unknown to the gateway).
 * CREATED, the first of CONTRACT §8's order statusCodes ("CREATED, PENDING, NEW, ..."), comes
 * before NEW: an order not placed yet, read as PENDING is (the chain from its payments' words; the
 * raw word stays the order's providerStatus). An ICM may write it where the seed's examples write
 * PENDING (before the URLs, at the PSP's page, waiting for the PSP), and keep it after a rollback
 * that its voided payment says. Before, it was an unknown word: read without the chain, an order
 * the PSP declined while the buyer was away stayed at the PSP page until its watch ended, and a
 * basket restored by such a rollback and ordered again was "several orders of one basket".
 */
const ORDER_STATUS_CODES: Readonly<Record<string, string>> = {
  new: 'NEW',
  created: 'PENDING',
  pending: 'PENDING',
  paymentcancelled: 'PAYMENT_CANCELLED',
  paymentcanceled: 'PAYMENT_CANCELLED',
};

/**
 * ICM's order statuses after NEW, by their letters: the order was placed and its fulfilment has
 * gone on (the Intershop PWA's order list filters by them: INPROGRESS, EXPORTED, EXPORTFAILED,
 * DELIVERED, NOTDELIVERABLE, RETURNED, COMPLETED, MANUAL_INTERVENTION_NEEDED). Seed §3.2.5 ends
 * at NEW ("Final state. Order was created."), but §2.3 lists every order of the user, and ICM
 * moves a placed order on (an export job, the back office) whenever it likes, also before the
 * gateway reads it again. Each is read as NEW: placed, its money as its payments' words say (the
 * raw word stays the order's providerStatus). Before, such a word was unknown: an order the PSP's
 * notification placed while the buyer was away, or while ICM waited for a pending payment, stayed
 * at the PSP page or PENDING until its watch ended, and an order made elsewhere was listed without
 * its money. CANCELLED and CANCELLEDANDEXPORTED are not among them: an ICM may spell a rollback
 * so, and beside payments without words they must not read as placed (they stay unknown words).
 */
const PLACED_CODES: ReadonlySet<string> = new Set(['inprogress', 'exported', 'exportfailed', 'delivered', 'notdeliverable', 'returned', 'completed', 'manualinterventionneeded']);

/**
 * The order's status word: its `statusCode`, or, for an order that has none, its `status` (round
 * thirteen). §2.2 writes both (`"status": "Pending"`, `"statusCode": "PENDING"`), and §3.2.5's
 * table heads the column of NEW / PAYMENT_CANCELLED / PENDING "Order Status": an ICM may say it in
 * `status` alone, in either form (compared by its letters, statusCodeOf: "Payment cancelled" is
 * PAYMENT_CANCELLED). Before, such an order read without the chain had no status word at all:
 * the PSP's yes or no while the buyer was away, or a pending payment settled later, was never
 * learned (ACTION_REQUIRED or PENDING until the watch ended), and the retry of a lost create
 * answer did not show a captured order CAPTURED. A `status` in another language ("Neu") stays an
 * unknown word, as a missing one was.
 */
export function orderStatusWord(data: { statusCode?: string | undefined; status?: string | undefined }): string | undefined {
  if (data.statusCode !== undefined && data.statusCode.trim() !== '') return data.statusCode;
  return data.status !== undefined && data.status.trim() !== '' ? data.status : data.statusCode;
}

function statusCodeOf(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  const letters = statusLetters(word);
  if (PLACED_CODES.has(letters)) return 'NEW';
  return ORDER_STATUS_CODES[letters] ?? word.trim();
}

/**
 * The status words of the payments the chain waits on. Seed §3.1: an order is paid by limited
 * tenders (gift cards) and one open tender (the PSP's, `openTender: true` in §2.2), which the
 * redirect and the notification are about; a gift card taken at checkout says nothing about the
 * PSP. Without any open tender flag every payment counts, except that payments already taken
 * (plainly AUTHORIZED or CAPTURED) beside ones still Unprocessed are limited tenders taken at
 * checkout: the chain waits on the Unprocessed ones (round thirteen; §3.1's payments carry no
 * `openTender`). Before, such a gift card made the stop unreadable: an order found by a read (a
 * lost create answer, a create answered without a body) was STOPPED with no stop, its return
 * URLs never sent, and it could not be paid. Payments without a word are left out.
 */
function chainWords(payments: readonly IntershopOrderPayment[]): string[] {
  const open = payments.filter((payment) => payment.openTender === true);
  const words = (open.length ? open : payments).flatMap((payment) => (payment.status === undefined ? [] : [payment.status]));
  if (open.length) return words;
  const unprocessed = words.filter((word) => UNPROCESSED.test(word));
  return unprocessed.length && words.every((word) => UNPROCESSED.test(word) || TAKEN.test(word)) ? unprocessed : words;
}

/** Whether there are payment words and every one is AUTHORIZATIONVOIDED (§3.2.5 pairs it with ROLLED_BACK only). */
function allVoided(words: readonly string[]): boolean {
  return words.length > 0 && words.every((word) => VOIDED.test(word));
}

function stopUnsaid(creation: IntershopOrderCreationWords): boolean {
  if (creation.status !== 'STOPPED') return false;
  const stop = creation.stopAction;
  return !stop || (stop.type === 'Workflow' && !stop.exitReason);
}

/**
 * The chain's words as CONTRACT §8 spells them when an answer spells them in another letter case
 * ("Completed", "REDIRECT"): the seed fixes no case by rule (it writes the order's `status` and
 * `statusCode` two ways). A word that is none of them stays as it is (unknown to the gateway).
 */
function canonicalWords(creation: IntershopOrderCreationWords): IntershopOrderCreationWords {
  const stop = creation.stopAction;
  const type = stop ? canonical(IntershopStopType.options, stop.type) : undefined;
  const exitReason = stop?.exitReason !== undefined ? canonical(IntershopExitReason.options, stop.exitReason) : undefined;
  // A Redirect stop is said by its type and URL (§3.2.5's row names no ExitReason for it); one that
  // carries an exitReason too (one Java StopAction with both fields, the reason the chain stopped
  // at the PSP's page: `redirect_required`) has a word there the gateway need not know. Before,
  // that word made the whole stop unknown: the buyer was never given the PSP's URL.
  const readReason = exitReason !== undefined && !(type === 'Redirect' && !IntershopExitReason.safeParse(exitReason).success);
  return {
    ...creation,
    status: canonical(IntershopCreationStatus.options, creation.status),
    ...(stop
      ? {
          stopAction: {
            ...withoutExitReason(stop),
            type: type ?? stop.type,
            ...(readReason ? { exitReason } : {}),
          },
        }
      : {}),
  };
}

function withoutExitReason<T extends { exitReason?: string | undefined }>(stop: T): Omit<T, 'exitReason'> {
  const { exitReason: _reason, ...rest } = stop;
  return rest;
}

/**
 * Compared without letter case and without the separators between a word's parts: a Java enum
 * constant cannot hold CONTRACT §8's `recurring.order`, so an ICM may write `RECURRING_ORDER`
 * (before, an unknown word: the order stayed where it was with an Info); no two known words differ
 * only in those.
 */
function canonical(known: readonly string[], word: string): string {
  const wanted = statusLetters(word);
  return known.find((candidate) => statusLetters(candidate) === wanted) ?? word;
}

/**
 * How far along the chain an answer is, for telling an older answer from a newer one: the chain
 * only goes forward (URLs wanted, another stop, the PSP's page, waiting for its notification, then
 * placed or rolled back). Undefined when the reading does not say which step.
 */
export function chainStep(chain: ChainReading): number | undefined {
  if (!('creation' in chain)) return undefined;
  const { status, stopAction } = chain.creation;
  if (status === 'COMPLETED' || status === 'ROLLED_BACK') return 4;
  if (status !== 'STOPPED' || !stopAction) return undefined;
  if (stopAction.type === 'Redirect') return 2;
  if (stopAction.type !== 'Workflow') return undefined;
  if (stopAction.exitReason === 'redirect_urls_required') return 0;
  if (stopAction.exitReason === 'waiting_for_pending_payments') return 3;
  return 1;
}
