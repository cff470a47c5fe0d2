import { createHash } from 'node:crypto';
import { assertNever } from '../../domain/errors.js';
import { formatMoney, money, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { unknownStatusFact } from '../../domain/provider-oddities.js';
import type { Info, Order, OrderCreation, Payment } from '../../domain/order.js';
import type { OrderStatus } from '../../domain/status.js';
import { pendingData, recordingData, type DinteroPendingMoney, type DinteroRecording, type RecordingLine } from './provider-data.js';
import { orderStatusOf, paymentStatusOf } from './status.js';
import { dinteroStatusLetters, saysFailed, saysVoided, type DinteroSession, type DinteroTransaction, type DinteroTransactionStatus, type DinteroUnknownStatus } from './wire.js';

/*
 * Dintero -> gateway: transactions, sessions and the adapter's own bookkeeping (recordings on the
 * Orders API, money operations of unknown outcome) as facts for the domain's state machine.
 * Pure functions; the status tables are in status.ts, the line numbering in lines.ts.
 */

export const authorizationRecordingId = (transactionId: string): string => `auth-${transactionId}`;

/** The seed's "Marking the order as authorized": every line with its amount. */
export function authorizationRecording(transaction: DinteroTransaction, lines: RecordingLine[], now: number): DinteroRecording {
  return {
    kind: 'authorizations',
    orderId: transaction.merchant_reference,
    body: { id: authorizationRecordingId(transaction.id), items: lines, payment_details: { payment_id: transaction.id }, success: true },
    state: 'pending',
    label: `authorization of ${formatMoney(money(transaction.currency, transaction.amount))} ${transaction.currency}`,
    firstTriedAt: now,
  };
}

/**
 * A transaction the order holds AUTHORIZED (nothing captured) that Dintero now calls FAILED or
 * DECLINED: the authorization ended without money (it ran out, a batch job ended it), in the words
 * of a Dintero whose status is the payment's outcome rather than its history. The seed asks only
 * that the status be AUTHORIZED; once it is not, and nothing was captured, nothing can be: it is
 * read as AUTHORIZATION_VOIDED. Before, the domain could not take FAILED after AUTHORIZED, so the
 * order stayed AUTHORIZED for good, every capture and cancel refused with nothing saying why.
 */
export function lapsedAsVoided(order: Pick<Order, 'status' | 'payments'>, transaction: DinteroTransaction): DinteroTransaction {
  if (order.status !== 'AUTHORIZED' || (transaction.status !== 'FAILED' && transaction.status !== 'DECLINED')) return transaction;
  const payment = order.payments.find((candidate) => candidate.id === transaction.id);
  if (!payment || payment.capturedAmount.minor > 0) return transaction;
  return { ...transaction, status: 'AUTHORIZATION_VOIDED' };
}

/** Whether the transaction was authorized at some point (its recording is then due). */
export function wasAuthorized(transaction: DinteroTransaction): boolean {
  return transaction.events.some((event) => eventKind(event.event) === 'AUTHORIZE' && !eventFailed(event) && !eventPending(event)) || (typeof transaction.status === 'string' && AUTHORIZED_ONWARDS.has(transaction.status));
}

const AUTHORIZED_ONWARDS: ReadonlySet<DinteroTransactionStatus> = new Set([
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'AUTHORIZATION_VOIDED',
]);

/** What the order counted as captured and refunded on the transaction before an operation, minor units. */
export interface MovedBefore {
  capturedMinor: number;
  refundedMinor: number;
}

/** What the order counts as captured and refunded on the transaction (see showsOperation). */
export function movedBefore(order: Order, transactionId: string): MovedBefore {
  const payment = order.payments.find((candidate) => candidate.id === transactionId);
  return { capturedMinor: payment?.capturedAmount.minor ?? 0, refundedMinor: payment?.refundedAmount.minor ?? 0 };
}

/**
 * Whether the transaction shows the money operation sent under `pending.ref`: its reference in
 * the events, or for a void the status. A transaction without a money history (see movedAmounts)
 * shows a capture or refund only by its status moving past what the order had `before`: the
 * first capture (or refund) once the status shows one, a later one only once the status says all
 * of it was captured (refunded). A later partial one cannot be told from there and stays unknown,
 * unless an event under its reference shows it: that is the operation itself, whatever the
 * amounts say. Round eleven: before, events whose amounts are absent or unreadable (a history read
 * by its status) were not asked for the reference, so a second partial refund whose answer was
 * lost stayed `dintero.outcome_unknown` though its event was there.
 */
export function showsOperation(transaction: DinteroTransaction, pending: Pick<DinteroPendingMoney, 'kind' | 'ref'>, before?: MovedBefore): boolean {
  const word = transaction.status;
  const byStatus = before !== undefined && typeof word === 'string' && !hasMoneyHistory(transaction);
  switch (pending.kind) {
    case 'captures':
      if (transaction.events.some((event) => event.capture_reference === pending.ref && !eventFailed(event) && !eventPending(event))) return true;
      return byStatus && SHOWS_CAPTURE.has(word) && (before.capturedMinor === 0 || (word === 'CAPTURED' && before.capturedMinor < transaction.amount));
    case 'refunds':
      if (transaction.events.some((event) => event.refund_reference === pending.ref && !eventFailed(event) && !eventPending(event))) return true;
      return byStatus && SHOWS_REFUND.has(word) && (before.refundedMinor === 0 || (word === 'REFUNDED' && before.refundedMinor < before.capturedMinor));
    case 'cancel':
      // Round thirteen: a word nobody listed that says the authorization was released (`VOIDED`,
      // `CANCELLED`) shows the void too, as a 2xx in that word does (asAccepted). Before, a void whose
      // answer was lost was re-read in that word as not shown: PROVIDER_UNAVAILABLE, dropped after
      // the bound, no re-read ever showing it: the order stayed AUTHORIZED while Dintero had
      // released the buyer's money. FAILED / DECLINED after the gateway's own void is the
      // authorization ended without money, as lapsedAsVoided reads it (before: PROVIDER_UNAVAILABLE
      // until the poller's next read).
      // A word that says the void failed or is under way (`VOID_FAILED`, `CANCEL_PENDING`) shows nothing.
      return word === 'AUTHORIZATION_VOIDED' || word === 'FAILED' || word === 'DECLINED' || (typeof word !== 'string' && saysReleased(word.unknown));
    default:
      return assertNever(pending.kind, 'Dintero money operation');
  }
}

/**
 * Whether a transaction read before a capture (refund) was sent already showed, by its status
 * alone, money of that kind the order does not count (captured or refunded at Dintero without the
 * gateway, e.g. in its back office). A status that moves from there proves nothing of the
 * gateway's own operation: showsOperation's "the first one once the status shows one" would count
 * the back office's money as the gateway's, whatever the gateway's call did.
 */
export function statusAhead(read: DinteroTransaction, kind: 'captures' | 'refunds', before: MovedBefore): boolean {
  const word = read.status;
  if (typeof word !== 'string' || hasMoneyHistory(read)) return false;
  return kind === 'captures' ? SHOWS_CAPTURE.has(word) && before.capturedMinor === 0 : SHOWS_REFUND.has(word) && before.refundedMinor === 0;
}

/**
 * `before` as a status-only transaction must be read against when its status was ahead of the
 * order (statusAhead): some money of the kind had moved already, so only a status that says all
 * of it moved shows the operation, and one that cannot show it is `unshown`, never `dropped`.
 */
export function baselineOf(before: MovedBefore, pending: Pick<DinteroPendingMoney, 'kind' | 'statusAhead'>): MovedBefore {
  if (!pending.statusAhead || pending.kind === 'cancel') return before;
  return pending.kind === 'captures' ? { ...before, capturedMinor: Math.max(before.capturedMinor, 1) } : { ...before, refundedMinor: Math.max(before.refundedMinor, 1) };
}

/**
 * Whether the transaction's money history shows the capture or refund sent under `pending.ref` as
 * failed (its event under that reference with `success: false`, none that succeeded): Dintero took
 * the call and the acquirer refused it, so no money moved. Before, a 2xx answer carrying such an
 * event was Dintero's yes (asAccepted): the order showed money captured or refunded that never
 * moved, and a retry with the same key found "its" event and was not sent.
 */
export function failedIn(transaction: DinteroTransaction, pending: Pick<DinteroPendingMoney, 'kind' | 'ref' | 'voidsBefore'>): boolean {
  if (pending.kind === 'cancel') return voidFailedIn(transaction, pending);
  const underRef = transaction.events.filter((event) => (pending.kind === 'captures' ? event.capture_reference : event.refund_reference) === pending.ref);
  const outcomes = underRef.filter(isOutcome);
  return outcomes.length > 0 && outcomes.every(eventFailed);
}

/**
 * Whether the transaction Dintero answered the gateway's own capture or refund with (or read back
 * after its 2xx) says, in its status word, that the operation did not go through: a word nobody
 * listed that says it failed (`CAPTURE_FAILED`, `RefundDeclined`; wire.ts saysFailed), or FAILED /
 * DECLINED, after which nothing was captured or refunded; and no event under the operation's
 * reference shows it done. A server without a money history that writes the last operation's
 * outcome in the transaction's status says a refusal so. Read in the answer only: a later re-read
 * in such a word may speak of another operation. No seed shows an answer, a status after a capture
 * or a failure. Round fourteen: before, such a 2xx was Dintero's yes (asAccepted, round nine): a
 * capture or refund the acquirer refused was answered done and counted, money Dintero never moved.
 */
export function refusedInWord(transaction: DinteroTransaction, pending: Pick<DinteroPendingMoney, 'kind' | 'ref'>, before?: DinteroTransaction | null): boolean {
  if (pending.kind === 'cancel' || showsOperation(transaction, pending)) return false;
  const word = transaction.status;
  if (before && sameWord(before.status, word)) return false;
  return typeof word === 'string' ? word === 'FAILED' || word === 'DECLINED' : saysFailed(word.unknown);
}

/**
 * Whether two reads say the same status word. Round fifteen: the transaction read before the
 * gateway's capture (refund) already in the failing word an earlier refusal left: the same word
 * after it says nothing of this one, as a server that works the status out from its last settled
 * operation writes it until this one is carried out. Before, a capture Dintero took (202) after
 * one the acquirer refused was read back in the first one's `CAPTURE_FAILED` and answered
 * PROVIDER_REJECTED, and Dintero captured it all the same: money the order never showed, and a
 * merchant who asked again had it captured twice. Such a yes counts as any 202 does (asAccepted).
 */
function sameWord(before: DinteroTransaction['status'], after: DinteroTransaction['status']): boolean {
  if (typeof before === 'string' || typeof after === 'string') return before === after;
  return dinteroStatusLetters(before.unknown) === dinteroStatusLetters(after.unknown);
}

/**
 * Whether the transaction shows the gateway's void refused: its status does not show the void
 * (showsOperation: AUTHORIZATION_VOIDED, a word that says released, FAILED / DECLINED) and either
 * says in a word nobody listed that a void failed (`VOID_FAILED`), or its history's void events
 * (`VOID`, `AUTHORIZATION_VOIDED`, `CANCEL`; wire.ts saysVoided) all say they failed (`success:
 * false`, `VOID_FAILED`, their own `status: "FAILED"`), as a capture's refusal is read (failedIn).
 * No seed shows a void, its answer or an event. Round fourteen: before, a void Dintero took (a 2xx)
 * and the acquirer refused, its answer (or the transaction read back after a 202) still AUTHORIZED,
 * was read as done (asAccepted): the order CANCELLED, final, while the buyer's money stayed
 * reserved at Dintero, and nothing could capture it or void it again; a late authorization so
 * refused was shown released (`dintero.late_authorization_voided`). Only refusals beyond those the
 * transaction showed before the void was sent are its own (voidsBefore, round fifteen).
 */
function voidFailedIn(transaction: DinteroTransaction, pending: Pick<DinteroPendingMoney, 'kind' | 'ref' | 'voidsBefore'>): boolean {
  if (showsOperation(transaction, pending)) return false;
  const before = pending.voidsBefore ?? { refusedEvents: 0, refusedWord: false };
  if (!before.refusedWord && wordSaysVoidFailed(transaction)) return true;
  // A void under way (`VOID_PENDING`) before its outcome is no outcome of its own.
  const outcomes = voidOutcomes(transaction);
  return outcomes.length > before.refusedEvents && outcomes.every(eventFailed);
}

/**
 * What a transaction read before the gateway's void already shows of earlier voids refused: their
 * failed events, and a status word that says a void failed. Voids carry no reference of the
 * gateway's (CONTRACT §8's void has no body), so a history cannot say which void an event is
 * for: only a refusal beyond these is the new void's (voidFailedIn). Round fifteen: before, after a
 * first void the acquirer refused, a second one Dintero took (202, carried out later) was read back
 * with the first one's failed event and answered PROVIDER_REJECTED: the order stayed AUTHORIZED
 * while Dintero released the buyer's money, and a lost second void was dropped at once.
 */
export function voidsBeforeOf(transaction: DinteroTransaction): NonNullable<DinteroPendingMoney['voidsBefore']> {
  return { refusedEvents: voidOutcomes(transaction).filter(eventFailed).length, refusedWord: wordSaysVoidFailed(transaction) };
}

/** A status word nobody listed that says a void failed (`VOID_FAILED`). */
function wordSaysVoidFailed(transaction: DinteroTransaction): boolean {
  const word = transaction.status;
  return typeof word !== 'string' && saysVoided(word.unknown) && saysFailed(word.unknown);
}

/** The history's void events (`VOID`, `AUTHORIZATION_VOIDED`, `CANCEL`; wire.ts saysVoided) that are outcomes, not under way. */
function voidOutcomes(transaction: DinteroTransaction): DinteroTransaction['events'] {
  return transaction.events.filter((event) => eventKind(event.event) === undefined && saysVoided(event.event) && isOutcome(event));
}

/** An event that is its operation's outcome: a pending one before it (eventPending) is none of its own, unless it says it failed. */
const isOutcome = (event: DinteroTransaction['events'][number]): boolean => !eventPending(event) || eventFailed(event);

/**
 * Whether an event says its operation failed: `success: false` (Dintero's public reference), or
 * its name (`CAPTURE_FAILED`, `RefundDeclined`), as a history of named transitions writes it with
 * no `success` field. Before, such an event under the gateway's reference was read as the
 * operation shown: a capture the acquirer refused was answered done and counted, money Dintero
 * never moved.
 */
function eventFailed(event: EventWords): boolean {
  return event.success === false || wordsOf(event).some(saysFailed);
}

/** An event's name and, where it has one, its own outcome word (`status` / `state`). */
type EventWords = { event: string; success?: boolean | undefined; status?: string | undefined; state?: string | undefined; undecided?: true | undefined };

/**
 * The words an event says its outcome in: its name, and (round seven) a `status` or `state` of its
 * own. Before, `{event: "CAPTURE", status: "FAILED"}` under the gateway's reference was the capture
 * shown: answered done and counted, money Dintero never moved.
 */
function wordsOf(event: EventWords): string[] {
  return [event.event, event.status, event.state].filter((word): word is string => typeof word === 'string').map(dinteroStatusLetters);
}

/**
 * Whether an event says its operation is still under way (`CAPTURE_PENDING`, `RefundInitiated`,
 * `status: "IN_PROGRESS"`, queued, submitted, scheduled): taken, not carried out, so not the
 * operation shown, and no money of the history. Before, such an event under the gateway's
 * reference settled a capture whose answer was lost as done at once: counted, never re-read, and
 * still counted once the acquirer refused it (money Dintero never moved). Round twelve: an
 * append-only history that writes the operation `IN_PROGRESS` when taken and its outcome as a
 * second event under the same reference had the capture counted twice once it went through (the
 * order showed 300.00 captured where Dintero held 200.00), one refused later counted with nothing
 * saying so (the order was not watched), and, with the word in the event's name
 * (`CAPTURE_IN_PROGRESS`), a second partial capture not counted at all (100.00 shown of 200.00).
 * Round nineteen: an event whose `success` is null is under way too, whatever its words.
 */
function eventPending(event: EventWords): boolean {
  // Round nineteen: `success: null` (wire.ts successUndecided) is an outcome not decided yet.
  return event.undecided === true || wordsOf(event).some(saysUnderWay);
}

/** Whether a word (its letters, wire.ts dinteroStatusLetters) says an operation is taken and not carried out. */
const saysUnderWay = (letters: string): boolean => /pend|initiat|processing|progress|requested|waiting|queued|submitted|scheduled/.test(letters);

/** A status word nobody listed that says the authorization was released, and neither that this failed nor that it is under way. */
const saysReleased = (word: string): boolean => saysVoided(word) && !saysFailed(word) && !saysUnderWay(dinteroStatusLetters(word));

/**
 * Whether the transaction's status word shows an operation of `kind` at all. A transaction whose
 * events show the gateway's capture (its reference) under a word still AUTHORIZED (a Dintero that
 * works the word out after writing the event) is read as the operation leaves it (asAccepted):
 * before, the order took the word, AUTHORIZED with money captured, and nothing re-read it.
 */
export function statusShows(transaction: DinteroTransaction, kind: DinteroPendingMoney['kind']): boolean {
  const word = transaction.status;
  // A word nobody listed shows nothing (round nine): the operation is read as it leaves the order (asAccepted).
  if (typeof word !== 'string') return false;
  if (kind === 'captures') return SHOWS_CAPTURE.has(word);
  if (kind === 'refunds') return SHOWS_REFUND.has(word);
  return word === 'AUTHORIZATION_VOIDED';
}

/**
 * A capture, refund or void Dintero said yes to (a 2xx) whose transaction does not show it yet,
 * as that operation leaves it. Neither the seed nor CONTRACT §8 says an operation is carried out
 * by the time it is answered: another Dintero may answer 202 (or the transaction unchanged) and
 * carry it out later. Its yes counts as it would in a transaction that showed it at once: the
 * status word the amounts give, and where the transaction keeps a money history, an event for
 * what that history does not already hold (a history whose events carry no reference may hold
 * it already: it is never counted twice). Before, such a yes was taken with the unchanged
 * transaction: the order stayed AUTHORIZED with nothing captured (so the same money could be
 * captured again) and never learnt otherwise.
 *
 * A status word outside CONTRACT §8's list (round nine: `SETTLED` after a capture, `VOIDED` after a
 * void, words no seed rules out) says nothing, but the yes does: the operation is read as it leaves
 * the order all the same, the word kept as written (`statusAsWritten`, shown as providerStatus).
 * Before, such a yes left the order as it was: a void answered VOIDED kept the order AUTHORIZED
 * for good, and a capture answered SETTLED showed nothing captured while Dintero held it.
 */
export function asAccepted(transaction: DinteroTransaction, operation: Pick<DinteroPendingMoney, 'kind' | 'ref'>, amountMinor: number, before: MovedBefore): DinteroTransaction {
  const written = typeof transaction.status === 'string' ? {} : { statusAsWritten: transaction.statusAsWritten ?? transaction.status.unknown };
  if (operation.kind === 'cancel') return { ...transaction, ...written, status: 'AUTHORIZATION_VOIDED' };
  const capture = operation.kind === 'captures';
  let captured = before.capturedMinor + (capture ? amountMinor : 0);
  let refunded = before.refundedMinor + (capture ? 0 : amountMinor);
  let events = transaction.events;
  if (hasMoneyHistory(transaction)) {
    captured = Math.max(captured, eventTotal(transaction, 'CAPTURE'));
    refunded = Math.max(refunded, eventTotal(transaction, 'REFUND'));
    const missing = capture ? captured - eventTotal(transaction, 'CAPTURE') : refunded - eventTotal(transaction, 'REFUND');
    if (missing > 0) {
      // Under the operation's reference unless an event under it already counts: the events under one
      // reference are counted once (eventTotal), so the missing money would then hide behind it.
      const ref = showsOperation(transaction, operation) ? undefined : operation.ref;
      events = [
        ...events,
        capture
          ? { event: 'CAPTURE', amount: missing, success: true, ...(ref ? { capture_reference: ref } : {}) }
          : { event: 'REFUND', amount: missing, success: true, ...(ref ? { refund_reference: ref } : {}) },
      ];
    }
  }
  return { ...transaction, ...written, status: statusOfAmounts(transaction.amount, captured, refunded), events };
}

/** The transaction status word that captured and refunded amounts give (for asAccepted). */
function statusOfAmounts(authorizedMinor: number, capturedMinor: number, refundedMinor: number): DinteroTransactionStatus {
  if (refundedMinor === 0) return capturedMinor >= authorizedMinor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
  if (capturedMinor < authorizedMinor) return 'PARTIALLY_CAPTURED_REFUNDED';
  return refundedMinor >= capturedMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

/**
 * Whether the transaction cannot say if a capture (refund) sent earlier under a reference of
 * this order happened: without a money history a later partial one leaves the status where the
 * first one left it (see showsOperation). Such an operation is never sent again under its
 * reference: the money may have moved.
 */
export function cannotShowLater(transaction: DinteroTransaction, kind: 'captures' | 'refunds', before: MovedBefore): boolean {
  if (typeof transaction.status !== 'string' || hasMoneyHistory(transaction)) return false;
  return kind === 'captures' ? before.capturedMinor > 0 : before.refundedMinor > 0;
}

/**
 * An event's name as one of the money words. No seed shows a transaction's events (CONTRACT §8
 * neither): the sandbox writes Dintero's reference words (AUTHORIZE, CAPTURE, REFUND), and another
 * Dintero may write them in another case or tense ("captured", "PARTIAL_CAPTURE").
 */
function eventKind(name: string): 'AUTHORIZE' | 'CAPTURE' | 'REFUND' | undefined {
  // Letters only, as status words are read (`PartialCapture`, `partial-capture`: wire.ts dinteroStatusLetters).
  const word = dinteroStatusLetters(name);
  if (word === 'authorize' || word === 'authorized' || word === 'authorization') return 'AUTHORIZE';
  if (/^(partial(ly)?)?captured?$/.test(word)) return 'CAPTURE';
  if (/^(partial(ly)?)?refund(ed)?$/.test(word)) return 'REFUND';
  return undefined;
}

/**
 * The money of `kind` the history shows moved: each operation once. Events under one reference
 * (`capture_reference` / `refund_reference`, the gateway's, one per operation) are one operation,
 * however many of them went through: an append-only history may write an operation when it is
 * taken (in a word nobody listed as under way, `ACCEPTED`) and again with its outcome. Round
 * twelve: before, each was counted, and a capture of 100.00 showed 200.00. Events without a
 * reference (a back office's) are each their own.
 */
function eventTotal(transaction: DinteroTransaction, kind: 'CAPTURE' | 'REFUND'): number {
  const byOperation = new Map<string, number>();
  let unreferenced = 0;
  for (const entry of transaction.events) {
    if (eventKind(entry.event) !== kind || eventFailed(entry) || eventPending(entry)) continue;
    const ref = kind === 'CAPTURE' ? entry.capture_reference : entry.refund_reference;
    if (ref === undefined) unreferenced += entry.amount ?? 0;
    else byOperation.set(ref, Math.max(byOperation.get(ref) ?? 0, entry.amount ?? 0));
  }
  return [...byOperation.values()].reduce((total, amount) => total + amount, unreferenced);
}

/**
 * Whether any event is a capture or a refund, each one that went through with its amount: the
 * transaction then tells its money by its events. No seed shows an event, so a Dintero may write
 * one that names what happened (and its reference) without its amount: such a history cannot say
 * how much moved, and the transaction is read by its status, as one without events is. Before, a
 * whole capture read back as CAPTURED with 0.00 captured (its event counted as nothing), and every
 * refund of it was INVALID_STATE.
 */
function hasMoneyHistory(transaction: DinteroTransaction): boolean {
  const money = transaction.events.filter((entry) => {
    const kind = eventKind(entry.event);
    return kind === 'CAPTURE' || kind === 'REFUND';
  });
  return money.length > 0 && money.every((entry) => entry.amount !== undefined || eventFailed(entry) || eventPending(entry));
}

/**
 * Whether the transaction's money history holds at least `countedMinor` of `kind` in events that
 * went through: what the order counts of that kind is all shown, references or not (a history
 * whose events carry none can never show an operation under its reference).
 */
export function historyHolds(transaction: DinteroTransaction, kind: 'captures' | 'refunds', countedMinor: number): boolean {
  return hasMoneyHistory(transaction) && eventTotal(transaction, kind === 'captures' ? 'CAPTURE' : 'REFUND') >= countedMinor;
}

/** Statuses that show a capture happened / a refund happened. */
const SHOWS_CAPTURE: ReadonlySet<DinteroTransactionStatus> = new Set(['PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);
const SHOWS_REFUND: ReadonlySet<DinteroTransactionStatus> = new Set(['PARTIALLY_CAPTURED_REFUNDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * The gateway's own capture or refund that this transaction answered: the payment as that change
 * leaves it (the domain's projection). Counted only where the transaction has no money history.
 */
export interface OwnMove {
  kind: 'captures' | 'refunds';
  capturedMinor: number;
  refundedMinor: number;
}

/**
 * What was captured and refunded. The events are the money history where they carry one (an
 * assumption, see eventKind). A transaction without any capture or refund event says it only by
 * its status: CAPTURED is the whole amount, and the gateway's own capture or refund that the
 * status shows counts as the domain projected it. A partial status whose amount neither tells
 * shows 0 here; the domain keeps the larger of what it knew and what it reads, so nothing the
 * gateway moved is forgotten.
 */
function movedAmounts(transaction: DinteroTransaction, status: DinteroTransactionStatus, own?: OwnMove, capturedKnown = 0): { captured: number; refunded: number } {
  if (hasMoneyHistory(transaction)) return { captured: eventTotal(transaction, 'CAPTURE'), refunded: eventTotal(transaction, 'REFUND') };
  let captured = status === 'CAPTURED' ? transaction.amount : 0;
  // REFUNDED is all that was captured refunded: at least what the order knows was captured. Before,
  // a whole refund made in Dintero's back office showed REFUNDED with 0.00 refunded.
  let refunded = status === 'REFUNDED' ? capturedKnown : 0;
  if (own && (own.kind === 'captures' ? SHOWS_CAPTURE : SHOWS_REFUND).has(status)) {
    captured = Math.max(captured, own.capturedMinor);
    refunded = Math.max(refunded, own.refundedMinor);
  }
  return { captured, refunded };
}

function paymentOf(transaction: DinteroTransaction, status: DinteroTransactionStatus, own?: OwnMove, capturedKnown?: number): Payment {
  const { captured, refunded } = movedAmounts(transaction, status, own, capturedKnown);
  return {
    id: transaction.id,
    method: transaction.payment_product_type ?? transaction.payment_product ?? 'dintero',
    status: paymentStatusOf(status, captured, refunded),
    amount: money(transaction.currency, transaction.amount),
    capturedAmount: money(transaction.currency, captured),
    refundedAmount: money(transaction.currency, refunded),
    providerReference: transaction.id,
  };
}

/** What the adapter still has open on an order: recordings and money operations of unknown outcome. */
export interface Bookkeeping {
  recordings: Record<string, DinteroRecording>;
  pending: Record<string, DinteroPendingMoney>;
}

/** What the order shows while something is not settled (CONTRACT Info). */
export function bookkeepingInfos({ recordings, pending }: Bookkeeping): Info[] {
  const infos: Info[] = [];
  for (const entry of Object.values(pending)) {
    if (entry.state === 'unsettled') {
      infos.push({
        code: 'dintero.outcome_unknown',
        message: `Dintero's answer to the ${entry.label} was lost; the gateway re-reads the transaction until it shows whether it happened`,
      });
    } else if (entry.state === 'refused_later') {
      infos.push({
        code: 'dintero.refused_after_accepted',
        message:
          entry.kind === 'cancel'
            ? `Dintero took the ${entry.label} and its transaction later shows the void failed: the buyer's money is still reserved at Dintero though the order is cancelled; release it at Dintero`
            : `Dintero took the ${entry.label} and its transaction later shows it failed; the gateway counted it when Dintero took it and cannot take that back: check it at Dintero`,
      });
    } else if (entry.state === 'unshown') {
      infos.push({
        code: 'dintero.outcome_unshown',
        message: `Dintero's answer to the ${entry.label} was lost, and its transaction cannot show whether it happened; it is not counted here: check it at Dintero`,
      });
    }
  }
  for (const recording of Object.values(recordings)) {
    if (recording.state === 'pending') {
      infos.push({
        code: 'dintero.recording_pending',
        message: `The ${recording.label} is not yet recorded on Dintero order ${recording.orderId}; the gateway keeps retrying`,
      });
    } else if (recording.state === 'failed') {
      infos.push({
        code: 'dintero.recording_failed',
        message: `The ${recording.label} could not be recorded on Dintero order ${recording.orderId} (${recording.reason ?? 'refused'}); the gateway stopped retrying`,
      });
    }
  }
  return infos;
}

export function creationOf(status: OrderStatus, infos: Info[]): OrderCreation {
  return { status: status === 'FAILED' ? 'FAILED' : 'COMPLETED', infos };
}

/** A short, stable digest of the bookkeeping's state, for observation keys. */
function bookkeepingState({ recordings, pending }: Bookkeeping): string {
  const state = [
    ...Object.entries(recordings).map(([id, recording]) => `${id}=${recording.state}`),
    ...Object.entries(pending).map(([ref, entry]) => `${ref}=${entry.state}`),
  ]
    .sort()
    .join(',');
  return createHash('sha256').update(state).digest('base64url').slice(0, 12);
}

export interface TransactionFactOptions {
  /** Recordings and pending operations this fact reports (merged into providerData by id). */
  updates: Partial<Bookkeeping>;
  /** Everything the order will have, for the infos; undefined leaves `creation` alone. */
  creationFrom?: Bookkeeping;
  type?: string;
  amount?: Money;
  /** The gateway's own capture or refund this transaction answers (see movedAmounts). */
  ownMove?: OwnMove;
  /**
   * What the order counts as captured on this transaction and Dintero surely moved (minor units),
   * for a transaction that says its money by its status alone (see movedAmounts).
   */
  capturedKnown?: number;
}

const noBookkeeping = (): Bookkeeping => ({ recordings: {}, pending: {} });

/**
 * A transaction as facts for the gateway. The key is the transaction's status and number of
 * events plus the bookkeeping's state: the same upstream state read twice (a callback and a poll,
 * a duplicate callback) is one fact.
 */
export function observationOfTransaction(transaction: DinteroTransaction, options: TransactionFactOptions): ProviderObservation {
  const updates = { ...noBookkeeping(), ...options.updates };
  const word = transaction.status;
  if (typeof word !== 'string') {
    // A word outside CONTRACT §8's list: the order keeps its status and shows it (CONTRACT §7);
    // the adapter's own bookkeeping still goes on.
    const fact = unknownStatusFact('DINTERO', word.unknown, transaction.merchant_reference);
    return { ...fact, providerData: { ...transactionIdData(transaction.id, word), ...recordingData(updates.recordings), ...pendingData(updates.pending) } };
  }
  const status = orderStatusOf(word);
  const known = options.creationFrom ?? updates;
  const key = [`dintero:${transaction.id}`, word, transaction.events.length, bookkeepingState(known)].join(':');
  return {
    key,
    type: options.type ?? word.toLowerCase(),
    status,
    providerStatus: transaction.statusAsWritten ?? word,
    providerOrderId: transaction.merchant_reference,
    payments: [paymentOf(transaction, word, options.ownMove, options.capturedKnown)],
    ...(options.creationFrom ? { creation: creationOf(status, bookkeepingInfos(options.creationFrom)) } : {}),
    ...(options.amount ? { amount: options.amount } : {}),
    providerData: { ...transactionIdData(transaction.id, word), ...recordingData(updates.recordings), ...pendingData(updates.pending) },
  };
}

/**
 * Where a transaction's id goes in providerData: one that ended without money (FAILED, DECLINED),
 * or says a word nobody can place (a decline in a word of its own, say), never takes the place of
 * the order's `transactionId` (provider-data.ts declinedTransactionId, unplacedTransactionId): a late
 * callback of a declined try must not send the money calls to it. The same transaction, once the
 * order's, stays so (its key is not touched).
 */
function transactionIdData(transactionId: string, word: DinteroTransactionStatus | DinteroUnknownStatus): Record<string, string> {
  if (typeof word !== 'string') return { unplacedTransactionId: transactionId };
  return word === 'FAILED' || word === 'DECLINED' ? { declinedTransactionId: transactionId } : { transactionId };
}

/**
 * A money operation whose answer was lost and that the transaction does not show (yet): the order
 * keeps its status, shows the Info, and remembers the reference for reconciliation to settle.
 */
export function observationOfUnknownOutcome(order: Pick<Order, 'status'>, transactionId: string, entry: DinteroPendingMoney, all: Bookkeeping, amount?: Money): ProviderObservation {
  return {
    key: `dintero:${transactionId}:unknown:${entry.ref}`,
    type: 'outcome_unknown',
    status: order.status,
    creation: creationOf(order.status, bookkeepingInfos(all)),
    ...(amount ? { amount } : {}),
    providerData: { transactionId, ...pendingData({ [entry.ref]: entry }) },
  };
}

/** The buyer cancelled on the checkout page: the session is cancelled, there is no transaction. */
export function observationOfCancelledSession(session: DinteroSession, dinteroOrderId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:cancelled`,
    type: 'session_cancelled',
    status: 'CANCELLED',
    providerStatus: 'SESSION_CANCELLED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'ROLLED_BACK', infos: [] },
  };
}

/** Nobody paid before the session expired (and its grace passed): Dintero will not take a payment for it any more. */
export function observationOfExpiredSession(session: DinteroSession, dinteroOrderId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:expired`,
    type: 'session_expired',
    status: 'EXPIRED',
    providerStatus: 'SESSION_EXPIRED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'FAILED', infos: [] },
  };
}

/** The order waits for the buyer on Dintero's checkout page. */
export function observationOfSession(dinteroOrderId: string, session: { id: string; url: string }, draftId: string): ProviderObservation {
  return {
    key: `dintero:session:${session.id}:created`,
    type: 'session_created',
    status: 'CREATED',
    providerStatus: 'SESSION_CREATED',
    providerOrderId: dinteroOrderId,
    creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: session.url }, infos: [] },
    providerData: { draftId, sessionId: session.id },
  };
}
