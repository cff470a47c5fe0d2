import { money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { GatewayError } from '../../domain/errors.js';
import type { Info, Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import { boundTransactions } from './binding.js';
import type { DinteroDeps } from './deps.js';
import { orderLines, type LineMovement } from './lines.js';
import { outsideCaptureRecording } from './money-change.js';
import {
  asAccepted,
  baselineOf,
  authorizationRecording,
  cannotShowLater,
  failedIn,
  historyHolds,
  lapsedAsVoided,
  observationOfCancelledSession,
  observationOfExpiredSession,
  observationOfTransaction,
  showsOperation,
  statusShows,
  wasAuthorized,
  type Bookkeeping,
  movedBefore,
  type OwnMove,
} from './mapping.js';
import { dataOf, transactionToRead, type DinteroPendingMoney, type DinteroRecording } from './provider-data.js';
import { MARK_RANK, waitsForEarlierMark } from './recorder.js';
import type { DinteroTransaction } from './wire.js';

/**
 * A session past its `expires_at` is not EXPIRED at once: a buyer who started paying just before
 * (a wallet app, a 3-D Secure step) may still be authorized, and the transaction shows on the
 * session only then. EXPIRED is final, so the gateway waits this long before saying it.
 */
export const EXPIRY_GRACE_MS = 10 * 60 * 1000;

/**
 * How long a capture, refund or void whose answer was lost is looked for in the transaction.
 * Dintero finishes or drops an operation well within this; after it, it is taken as not done.
 */
export const UNKNOWN_OUTCOME_BOUND_MS = 10 * 60 * 1000;

/**
 * How long after an order ended without money (FAILED: the buyer was declined; EXPIRED) its session
 * is still looked at for a later transaction. The seed never says a session takes one attempt only,
 * so a buyer declined may pay on a second try on the same page; a final order cannot take that
 * authorization, so it is voided (fetchDinteroOrder). Bounded, since the poller reads every such
 * order each interval while it lasts.
 */
export const LATE_PAYMENT_WATCH_MS = 30 * 60 * 1000;

const WAITING_ON_BUYER = new Set(['CREATED', 'ACTION_REQUIRED', 'PENDING']);
/** Orders that ended while their session may still take a payment. */
const ENDED_WITH_SESSION_OPEN = new Set(['FAILED', 'EXPIRED']);
/** Final statuses an order reaches before any money is reserved (domain/status.ts canTransition). */
const ENDED_BEFORE_MONEY = new Set(['FAILED', 'EXPIRED', 'CANCELLED']);
const AUTHORIZED_ONWARDS = new Set(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * fetchOrder: the session (while there is no transaction yet), then the transaction. Retries what
 * is pending (never the money operation), settles what is unknown, and records an authorization
 * nobody did.
 */
export async function fetchDinteroOrder(deps: Pick<DinteroDeps, 'client' | 'now' | 'recorder' | 'calledBack' | 'sessionExpiries'>, order: Order): Promise<ProviderObservation | null> {
  const { client, recorder } = deps;
  const data = dataOf(order);
  let transactionId = transactionToRead(data);
  if (watchesForLatePayment(order, deps.now())) {
    // The transaction the order knows (declined) is not the session's last: read the session. With
    // `{id, status}` transactions nothing else ties the second try to this order; before, the
    // order, final, was never re-read, and the buyer's money stayed reserved at Dintero.
    const later = (await client.getSession(data.sessionId!))?.transaction_id;
    if (!later || later === transactionId) return null;
    transactionId = later;
  } else if (!transactionId) {
    if (!data.sessionId || !order.providerOrderId) return null;
    const session = await client.getSession(data.sessionId);
    // Its expiry kept for a session Dintero may sweep away later (round twenty-three, goneSessionExpired).
    if (session?.expires_at !== undefined) await deps.sessionExpiries.keep(data.sessionId, session.expires_at);
    if (!session) {
      // No session read (the seed shows none): a transaction a callback named before Dintero could
      // read it (round twenty-one), where its read now names this order itself.
      const calledBack = await calledBackTransaction(deps, order.providerOrderId, data.sessionId);
      if (!calledBack) return goneSessionExpired(deps, data.sessionId, order.providerOrderId);
      transactionId = calledBack;
    } else if (!session.transaction_id) {
      // A session read that names no transaction (round twenty-two: a Checkout whose session does
      // not link its payments; the seed shows no session read) is read as none is: a transaction a
      // callback named before Dintero could read it, where its read names this order itself, is
      // the order's. Before, the kept id was read only where the session read was missing (404),
      // so here the paid order stayed CREATED, then EXPIRED with the buyer's money reserved.
      const calledBack = await calledBackTransaction(deps, order.providerOrderId, data.sessionId);
      if (calledBack) transactionId = calledBack;
      else {
        if (session.cancelled_at) return observationOfCancelledSession(session, order.providerOrderId);
        const expired = session.expires_at !== undefined && session.expires_at + EXPIRY_GRACE_MS <= deps.now();
        return expired ? observationOfExpiredSession(session, order.providerOrderId) : null; // else the buyer may still pay
      }
    } else {
      transactionId = session.transaction_id;
    }
  }
  const bound = boundTransactions(client, order);
  const read = await bound.getTransaction(transactionId);
  if (!read) return null;
  const transaction = lapsedAsVoided(order, read);
  const shownVoided = order.payments.some((payment) => payment.id === transaction.id && payment.status === 'VOIDED');
  if (ENDED_BEFORE_MONEY.has(order.status) && transaction.status === 'AUTHORIZED' && !shownVoided) {
    // Money reserved for an order the gateway already ended (a buyer declined who paid on a second
    // try in the same session; a payment after EXPIRED): a final status is final (CONTRACT), so the
    // order can never take it, nor a CANCEL. It is released at Dintero, once it is seen; not where
    // the order already counts it voided (its own void, which Dintero may carry out later).
    // The fact keeps the order's status (a stale one would be dropped whole, payment and all).
    // Dintero's yes counts at once, as for the gateway's own void (mapping.ts asAccepted).
    if (order.creation.infos.some((info) => info.code === UNRELEASED && info.message.includes(transaction.id))) return null;
    const release = { kind: 'cancel' as const, ref: `cancel-${transaction.id}` };
    let answered;
    try {
      answered = await bound.void(transaction.id);
      // Taken, then refused by the acquirer (mapping.ts failedIn, round fourteen): a refusal too.
      // Before, it was shown released (`dintero.late_authorization_voided`) with the money reserved.
      if (failedIn(answered, release)) throw new GatewayError('PROVIDER_REJECTED', 'Dintero rejected the request: its transaction shows the void failed', { providerCode: 'FAILED' });
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
      // Dintero refuses the void (the seed shows none: a Dintero without one answers 404). Before,
      // the order stayed as it was, silent, while the buyer's money stayed reserved, and the void
      // was asked again every turn for half an hour. Now the order shows the authorization and says
      // it must be released at Dintero; the void is not asked again.
      return lateAuthorizationFact(order, observationOfTransaction(transaction, { updates: {}, type: 'late_authorization_unreleased' }), {
        code: UNRELEASED,
        message: `Dintero authorized transaction ${transaction.id} after the order was ${order.status}, and refused to void it (${error.message}); release the buyer's money at Dintero`,
      });
    }
    const shown = asAccepted(answered, release, 0, movedBefore(order, transaction.id));
    const voided = observationOfTransaction(shown, { updates: {}, type: 'late_authorization_voided' });
    return lateAuthorizationFact(order, voided, {
      code: 'dintero.late_authorization_voided',
      message: `Dintero authorized transaction ${transaction.id} after the order was ${order.status}; the gateway voided it, so the buyer's money is released`,
    });
  }
  const at = deps.now();
  const recordings: Record<string, DinteroRecording> = {};
  // Pending marks in the seed's order; one waits while an earlier one is still pending (recorder.ts).
  const stillPending: DinteroRecording[] = [];
  const send = async (recording: DinteroRecording): Promise<DinteroRecording> => {
    const next = waitsForEarlierMark(recording.kind, stillPending) ? recording : await recorder.record(recording);
    if (next.state === 'pending') stillPending.push(next);
    return next;
  };
  // The authorization mark nobody made, first, as the seed orders the marks.
  if (wasAuthorized(transaction)) {
    const authorization = authorizationRecording(transaction, orderLines(order), at);
    if (!data.recordings[authorization.body.id]) recordings[authorization.body.id] = await send(authorization);
  }
  const unsent = Object.entries(data.recordings).filter(([, recording]) => recording.state === 'pending');
  for (const [id, recording] of unsent.sort(([, a], [, b]) => MARK_RANK[a.kind] - MARK_RANK[b.kind])) {
    const next = await send(recording);
    if (next.state !== 'pending') recordings[id] = next;
  }
  const pending: Record<string, DinteroPendingMoney> = {};
  // The order as the operations found here leave it: what a transaction without events credits.
  let counted = order;
  let ownMove: OwnMove | undefined;
  // The transaction as the operations found here leave it: one found by its event under a status
  // word that does not show it yet (a Dintero that works the word out later) counts as it leaves
  // it (mapping.ts statusShows); before, the order took the word and stayed AUTHORIZED.
  let shown = transaction;
  for (const [ref, entry] of Object.entries(data.pending)) {
    // Counted on Dintero's yes (money-change.ts watchedAfterYes): only its outcome is looked for.
    if (entry.state === 'accepted') {
      const moved = movedBefore(order, transaction.id);
      const shownAll = entry.kind !== 'cancel' && historyHolds(transaction, entry.kind, entry.kind === 'captures' ? moved.capturedMinor : moved.refundedMinor);
      const outcome = failedIn(transaction, entry) ? 'refused_later' : showsOperation(transaction, entry) || shownAll || at - entry.since >= UNKNOWN_OUTCOME_BOUND_MS ? 'counted' : undefined;
      if (outcome) pending[ref] = { ...entry, state: outcome };
      continue;
    }
    if (entry.state !== 'unsettled') continue;
    const moved = movedBefore(counted, transaction.id);
    if (showsOperation(transaction, entry, baselineOf(moved, entry))) {
      if (!statusShows(shown, entry.kind)) shown = asAccepted(shown, entry, entry.amount, moved);
      pending[ref] = { ...entry, state: 'counted' };
      if (entry.kind !== 'cancel') {
        counted = projectOrderChange(counted, { type: entry.kind === 'captures' ? 'CAPTURE' : 'REFUND', amount: money(transaction.currency, entry.amount) });
        const payment = counted.payments.find((candidate) => candidate.id === transaction.id);
        if (payment) ownMove = { kind: entry.kind, capturedMinor: payment.capturedAmount.minor, refundedMinor: payment.refundedAmount.minor };
      }
      // Round thirteen: money captured without the gateway is marked captured before a refund found
      // here is marked, as it is for a refund answered at once (money-change.ts); before, a profile
      // that captures at once had the refund mark refused by an Orders API keeping the seed's order.
      if (entry.kind === 'refunds') {
        const outside = outsideCaptureRecording(order, transaction.id, movementsIn(recordings), movedBefore(counted, transaction.id), at);
        if (outside) recordings[outside.body.id] = await send(outside);
      }
      const items = entry.kind === 'cancel' ? orderLines(order) : entry.lines;
      recordings[ref] = await send({
        kind: entry.kind,
        orderId: transaction.merchant_reference,
        body: { id: ref, items, payment_details: { payment_id: transaction.id }, success: true },
        state: 'pending',
        label: entry.label,
        firstTriedAt: at,
      });
    } else if (failedIn(transaction, entry)) {
      pending[ref] = { ...entry, state: 'dropped' }; // taken, then refused by the acquirer: not done
    } else if (at - entry.since >= UNKNOWN_OUTCOME_BOUND_MS) {
      const unshown = entry.kind !== 'cancel' && cannotShowLater(transaction, entry.kind, baselineOf(movedBefore(counted, transaction.id), entry));
      pending[ref] = { ...entry, state: unshown ? 'unshown' : 'dropped' };
    }
  }
  // What the order counted on Dintero's yes (money-change.ts watchedAfterYes) under a status word
  // that shows none of it (the operation not carried out yet, or refused): read as the order counts
  // it, or the whole fact is a stale re-read the domain drops, the refusal's Info with it.
  for (const entry of Object.values({ ...data.pending, ...pending })) {
    // Round twenty-nine: a void counted on Dintero's yes too (the order CANCELLED): read as voided, or
    // the fact would say AUTHORIZED on a CANCELLED order and be dropped, the refusal's Info with it.
    if ((entry.state === 'accepted' || entry.state === 'refused_later') && !statusShows(shown, entry.kind)) {
      shown = asAccepted(shown, entry, 0, movedBefore(counted, transaction.id));
    }
  }
  for (const [ref, entry] of Object.entries(data.pending)) {
    const settled = settledByWholeCapture(shown, entry, { ...data.recordings, ...recordings });
    if (settled === 'happened') {
      pending[ref] = { ...entry, state: 'counted' };
      recordings[ref] = await send({
        kind: 'captures',
        orderId: transaction.merchant_reference,
        body: { id: ref, items: entry.lines, payment_details: { payment_id: transaction.id }, success: true },
        state: 'pending',
        label: entry.label,
        firstTriedAt: at,
      });
    } else if (settled === 'not-done') {
      pending[ref] = { ...entry, state: 'dropped' };
    }
  }
  const all: Bookkeeping = { recordings: { ...data.recordings, ...recordings }, pending: { ...data.pending, ...pending } };
  // Not what the order counted on a yes the acquirer then refused (money Dintero never moved).
  const refusedLater = Object.values(all.pending)
    .filter((entry) => entry.state === 'refused_later' && entry.kind === 'captures')
    .reduce((total, entry) => total + entry.amount, 0);
  const capturedKnown = Math.max(0, movedBefore(counted, transaction.id).capturedMinor - refusedLater);
  const fact = observationOfTransaction(shown, { updates: { recordings, pending }, creationFrom: all, capturedKnown, ...(ownMove ? { ownMove } : {}) });
  // A fact that corrects what the order shows (a late, stale one overwrote it) must not be
  // mistaken for one already applied: the order's version makes its key new.
  const changed = Object.keys(recordings).length > 0 || Object.keys(pending).length > 0;
  const corrects = changed || JSON.stringify(fact.creation) !== JSON.stringify(order.creation);
  return corrects ? { ...fact, key: `${fact.key}:v${order.version}` } : fact;
}

/**
 * An `unshown` capture (its answer lost, a later partial one on a status-only transaction) once the
 * status says the whole amount is captured: the figure no longer depends on it (CAPTURED is all of
 * it), and what the gateway's own capture marks leave to the whole says whether it moved: exactly
 * its amount ('happened': counted and marked, so the Orders API holds what Dintero holds), nothing
 * ('not-done': all of it is what the gateway counted). Anything else is left unshown. Before, the
 * order said "it is not counted here: check it at Dintero" for good, under a figure already right,
 * and the Orders API had less marked captured than Dintero held.
 */
function settledByWholeCapture(transaction: DinteroTransaction, entry: DinteroPendingMoney, recordings: Record<string, DinteroRecording>): 'happened' | 'not-done' | undefined {
  if (entry.state !== 'unshown' || entry.kind !== 'captures' || transaction.status !== 'CAPTURED') return undefined;
  const marked = Object.values(recordings)
    .filter((recording) => recording.kind === 'captures' && recording.state !== 'failed')
    .reduce((total, recording) => total + recording.body.items.reduce((sum, item) => sum + item.amount, 0), 0);
  const gap = transaction.amount - marked;
  if (gap === entry.amount) return 'happened';
  return gap === 0 ? 'not-done' : undefined;
}

/** An order whose status says all is captured while a capture of it is `unshown` (see settledByWholeCapture). */
function hasUnshownCaptureUnderWhole(order: Order): boolean {
  return order.status === 'CAPTURED' && Object.values(dataOf(order).pending).some((entry) => entry.state === 'unshown' && entry.kind === 'captures');
}

/** The money the marks made in this reconciliation move, by id, as the next change's journal would hold it. */
function movementsIn(recordings: Record<string, DinteroRecording>): Record<string, LineMovement> {
  const movements: Record<string, LineMovement> = {};
  for (const [id, recording] of Object.entries(recordings)) {
    if (recording.kind === 'captures' || recording.kind === 'refunds') movements[id] = { kind: recording.kind, items: recording.body.items };
  }
  return movements;
}

/**
 * A session Dintero no longer knows (404, 410 Gone) whose expiry an earlier read showed, past it
 * and its grace, nobody's payment named by a callback: EXPIRED, as that read would now say (round
 * twenty-three: a Checkout that sweeps sessions past their expiry; before, the order nobody paid
 * stayed CREATED for good). A session gone whose expiry no read showed says nothing (a Dintero
 * without the session read at all): the order keeps waiting, as before.
 */
async function goneSessionExpired(deps: Pick<DinteroDeps, 'now' | 'sessionExpiries'>, sessionId: string, dinteroOrderId: string): Promise<ProviderObservation | null> {
  const expiresAt = await deps.sessionExpiries.get(sessionId);
  if (expiresAt === undefined || expiresAt + EXPIRY_GRACE_MS > deps.now()) return null;
  return observationOfExpiredSession({ id: sessionId }, dinteroOrderId);
}

/**
 * The transaction a callback named for the order before Dintero could read it
 * (called-back-transactions.ts), read now. A callback is unsigned and its ids unverified, so a read
 * counts only where the transaction names this order itself (its `merchant_reference`; and its
 * session, where it names one, the order's): never completed from the order as binding.ts does for
 * a transaction the gateway reached through the order's own session. A try that ended without money
 * (FAILED, DECLINED) is taken only where no other does: the buyer may have paid on a second try.
 */
async function calledBackTransaction(deps: Pick<DinteroDeps, 'client' | 'calledBack'>, dinteroOrderId: string, sessionId: string): Promise<string | undefined> {
  const ids = await deps.calledBack.get(dinteroOrderId);
  let declined: string | undefined;
  for (const id of ids) {
    const read = await deps.client.getTransaction(id).catch(() => null);
    if (!read || read.merchant_reference !== dinteroOrderId) continue;
    if (read.session_id !== undefined && read.session_id !== sessionId) continue;
    if (read.status === 'FAILED' || read.status === 'DECLINED') declined ??= id;
    else return id;
  }
  return declined;
}

/** A late authorization Dintero refused to void (fetchDinteroOrder): a person must release it. */
const UNRELEASED = 'dintero.late_authorization_unreleased';

/** The fact about a late authorization keeps the order's (final) status and adds its Info. */
function lateAuthorizationFact(order: Order, fact: ProviderObservation, info: Info): ProviderObservation {
  return { ...fact, status: order.status, creation: { ...order.creation, infos: [...order.creation.infos.filter((known) => known.code !== info.code), info] } };
}

/**
 * Re-read while the buyer may still pay, while a money operation's outcome is unknown or its
 * recording pending, while an authorization is not recorded, and while a creation stopped with
 * a transaction already there.
 */
export function dinteroNeedsReconciliation(order: Order, now: number = Date.now()): boolean {
  const data = dataOf(order);
  if (WAITING_ON_BUYER.has(order.status)) return Boolean(data.sessionId || transactionToRead(data));
  if (watchesForLatePayment(order, now)) return true;
  // An authorization that came after the order ended (see fetchDinteroOrder): re-read to release it.
  // Not once Dintero refused that void: the order says so, and a person releases it.
  if (ENDED_BEFORE_MONEY.has(order.status) && order.payments.some((payment) => payment.status === 'AUTHORIZED')) {
    return Boolean(data.transactionId) && !order.creation.infos.some((info) => info.code === UNRELEASED);
  }
  if (Object.values(data.pending).some((entry) => entry.state === 'unsettled' || entry.state === 'accepted')) return true;
  if (hasUnshownCaptureUnderWhole(order)) return true;
  const recordings = Object.values(data.recordings);
  if (recordings.some((recording) => recording.state === 'pending')) return true;
  if (AUTHORIZED_ONWARDS.has(order.status) && !recordings.some((recording) => recording.kind === 'authorizations')) return true;
  return order.creation.status === 'STOPPED' && Boolean(transactionToRead(data));
}

/**
 * An order that ended without money (FAILED, EXPIRED), not long ago, whose session the gateway
 * made: the buyer may still pay on it (LATE_PAYMENT_WATCH_MS). Not once a payment other than a
 * refused one shows (a late authorization found, and voided or being voided: the rule above
 * for ENDED_BEFORE_MONEY takes it from there), nor while a money operation or recording waits.
 */
function watchesForLatePayment(order: Order, now: number): boolean {
  const data = dataOf(order);
  if (!ENDED_WITH_SESSION_OPEN.has(order.status) || !data.sessionId) return false;
  if (order.payments.some((payment) => payment.status !== 'FAILED')) return false;
  if (Object.values(data.pending).some((entry) => entry.state === 'unsettled')) return false;
  if (Object.values(data.recordings).some((recording) => recording.state === 'pending')) return false;
  const ended = Date.parse(order.updatedAt);
  return Number.isFinite(ended) && now - ended < LATE_PAYMENT_WATCH_MS;
}

