import { createHash, randomUUID } from 'node:crypto';
import { GatewayError, surelyNotSent } from '../../domain/errors.js';
import { formatMoney, money, type Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange, type OrderChange } from '../../domain/order-events.js';
import { boundTransactions, type BoundTransactions } from './binding.js';
import { DinteroCallNotSent } from './client.js';
import type { DinteroDeps } from './deps.js';
import { linesFor, orderLines, unaccountedCaptureLines, type LineMovement } from './lines.js';
import { asAccepted, baselineOf, cannotShowLater, failedIn, observationOfTransaction, observationOfUnknownOutcome, movedBefore, refusedInWord, showsOperation, statusAhead, statusShows, voidsBeforeOf, type Bookkeeping, type MovedBefore, type OwnMove } from './mapping.js';
import type { MovementJournal } from './movement-journal.js';
import { unshownRetryRefusal } from '../../domain/orders/pending-operations.js';
import { dataOf, type DinteroPendingMoney, type DinteroRecording } from './provider-data.js';
import { waitsForEarlierMark } from './recorder.js';
import type { DinteroTransaction } from './wire.js';

/** What one capture / refund / cancel left: the fact to record, and the error when its outcome is unknown. */
export interface ChangeOutcome {
  observation: ProviderObservation;
  unknown?: GatewayError;
}

type Moved = { known: true; transaction: DinteroTransaction } | { known: false; transaction: DinteroTransaction | null; error: GatewayError };

/** The money operation of one change: what was sent (or found already done) and what Dintero said. */
interface MoneyMove {
  kind: DinteroPendingMoney['kind'];
  /** A void's: the refusals of earlier voids the transaction showed before it was sent (mapping.ts voidsBeforeOf). */
  voidsBefore?: DinteroPendingMoney['voidsBefore'];
  ref: string;
  lines: { line_id: number; amount: number }[];
  moved: Moved;
  /** The transaction read before sending already showed money of this kind the order did not count (mapping.ts statusAhead). */
  statusAhead?: true;
}

/**
 * One capture / refund / cancel on an order whose change lease the domain holds: the money operation,
 * then its recording on the Orders API order.
 */
export async function applyMoneyChange(
  deps: Pick<DinteroDeps, 'client' | 'now' | 'recorder'>,
  order: Order,
  transactionId: string,
  change: OrderChange,
  journal: MovementJournal,
  journaled: Record<string, LineMovement>,
): Promise<ChangeOutcome> {
  const book = dataOf(order);
  const sentAt = deps.now();
  const before = movedBefore(order, transactionId);
  const { kind, ref, lines, moved, statusAhead: ahead, voidsBefore } =
    change.type === 'CANCEL'
      ? await voidAuthorization(boundTransactions(deps.client, order), order, transactionId)
      : await captureOrRefund(boundTransactions(deps.client, order), order, transactionId, change, journal, journaled);
  const described = describe(change);

  if (!moved.known) {
    const entry: DinteroPendingMoney = { ref, kind, amount: change.amount?.minor ?? 0, lines, label: described, since: sentAt, state: 'unsettled', ...(ahead ? { statusAhead: true } : {}), ...(voidsBefore ? { voidsBefore } : {}) };
    const all: Bookkeeping = { recordings: book.recordings, pending: { ...book.pending, [ref]: entry } };
    const observation = moved.transaction
      ? observationOfTransaction(moved.transaction, { updates: { pending: { [ref]: entry } }, creationFrom: all, type: 'outcome_unknown', ...(change.amount ? { amount: change.amount } : {}) })
      : observationOfUnknownOutcome(order, transactionId, entry, all, change.amount);
    return { observation, unknown: moved.error };
  }

  const unsent: DinteroRecording = {
    kind,
    orderId: order.providerOrderId ?? '',
    body: { id: ref, items: lines, payment_details: { payment_id: transactionId }, success: true },
    state: 'pending',
    label: described,
    firstTriedAt: sentAt,
  };
  // An earlier mark still pending: this one waits for it (recorder.ts COMES_AFTER); reconciliation sends both.
  // Money the gateway did not capture (a profile that captures at once) is marked captured before
  // its refund is marked, as the seed orders the marks (outsideCaptureRecording).
  const outside = kind === 'refunds' ? outsideCaptureRecording(order, transactionId, journaled, before, sentAt) : undefined;
  const added: Record<string, DinteroRecording> = outside ? { [outside.body.id]: await deps.recorder.recordAfterMoney(outside) } : {};
  const earlier = [...Object.values(book.recordings), ...Object.values(added)];
  added[ref] = waitsForEarlierMark(kind, earlier) ? unsent : await deps.recorder.recordAfterMoney(unsent);
  // Dintero said yes; a transaction that does not show it yet is read as the operation leaves it.
  const shows = showsOperation(moved.transaction, { kind, ref }, before) && statusShows(moved.transaction, kind);
  const shown = shows ? moved.transaction : asAccepted(moved.transaction, { kind, ref }, change.amount?.minor ?? 0, before);
  const watched = watchedAfterYes(moved.transaction, { kind, ref }, shows, { amount: change.amount?.minor ?? 0, lines, label: described, since: sentAt, ...(voidsBefore ? { voidsBefore } : {}) });
  const all: Bookkeeping = { recordings: { ...book.recordings, ...added }, pending: { ...book.pending, ...watched } };
  const observation = observationOfTransaction(shown, {
    updates: { recordings: added, pending: watched },
    creationFrom: all,
    type: change.type === 'CAPTURE' ? 'captured' : change.type === 'REFUND' ? 'refunded' : 'voided',
    ...(change.amount ? { amount: change.amount } : {}),
    ...ownMoveOf(order, transactionId, change),
  });
  return { observation };
}

/**
 * A capture or refund Dintero said yes to (2xx) whose transaction does not show it under its
 * reference yet, where the transaction keeps a history (events) that can show its outcome later:
 * kept `accepted`, so reconciliation re-reads the transaction until the history shows it, and says
 * so if it shows it failed (reconcile.ts). It is counted at once all the same (asAccepted: a yes
 * is a yes, and the same money must not be captured twice); the domain never lowers a figure, so
 * before, a capture taken (202) and then refused by the acquirer showed as captured for good, with
 * nothing saying otherwise and nothing re-reading the order.
 */
function watchedAfterYes(
  transaction: DinteroTransaction,
  operation: Pick<DinteroPendingMoney, 'kind' | 'ref'>,
  shows: boolean,
  entry: Pick<DinteroPendingMoney, 'amount' | 'lines' | 'label' | 'since' | 'voidsBefore'>,
): Record<string, DinteroPendingMoney> {
  if (shows) return {};
  // Round twenty-nine: a void Dintero took (a 202) whose transaction does not show it voided yet is
  // watched too, with or without a history (a refusal shows as a failed VOID event or a failing
  // word: mapping.ts failedIn, beyond the voids the read before it showed, voidsBefore). The order is
  // CANCELLED on the yes as before (what a cancel promises is unchanged, and the domain has no way
  // back from it); if the acquirer refuses the void later the order says so
  // (`dintero.refused_after_accepted`, the buyer's money still reserved). Before, such a void was
  // never looked at again: the order was CANCELLED with nothing telling anyone the money was held.
  if (operation.kind === 'cancel') return { [operation.ref]: { ref: operation.ref, kind: operation.kind, ...entry, state: 'accepted' } };
  if (transaction.events.length === 0) return {};
  if (showsOperation(transaction, operation)) return {}; // its event is there (a status word that lags it): settled
  return { [operation.ref]: { ref: operation.ref, kind: operation.kind, ...entry, state: 'accepted' } };
}

/** The payment as this capture or refund leaves it, for a transaction that shows no money history. */
function ownMoveOf(order: Order, transactionId: string, change: OrderChange): { ownMove?: OwnMove } {
  if (change.type === 'CANCEL') return {};
  const payment = projectOrderChange(order, change).payments.find((candidate) => candidate.id === transactionId);
  if (!payment) return {};
  return { ownMove: { kind: change.type === 'CAPTURE' ? 'captures' : 'refunds', capturedMinor: payment.capturedAmount.minor, refundedMinor: payment.refundedAmount.minor } };
}

async function captureOrRefund(
  client: BoundTransactions,
  order: Order,
  transactionId: string,
  change: OrderChange,
  journal: MovementJournal,
  journaled: Record<string, LineMovement>,
): Promise<MoneyMove> {
  const capture = change.type === 'CAPTURE';
  const kind = capture ? 'captures' : 'refunds';
  // With an idempotency key the reference is the same on every retry of this change, and a
  // retry first looks for it in the transaction: a gateway that died after Dintero moved the
  // money, before anything was stored, must not move it a second time. (Without a key
  // nothing can tell a retry from a new request.)
  const ref = change.requestKey ? `${capture ? 'cap' : 'ref'}-${stableReference(transactionId, change.requestKey)}` : `${capture ? 'cap' : 'ref'}-${randomUUID()}`;
  const before = movedBefore(order, transactionId);
  // Without a key the lines are chosen first: a change the lines refuse (INVALID_STATE) reaches nobody.
  const unkeyedLines = change.requestKey ? undefined : linesFor(order, movementsOf(dataOf(order), journaled), change, before);
  const earlier = change.requestKey ? await client.getTransaction(transactionId).catch(readBeforeFailed) : await unkeyedReadBefore(client, transactionId, kind, before);
  // A status can show someone else's capture as well as ours: it is only asked about a reference
  // this order sent before, never about a first attempt (which would then not be sent at all).
  const sentBefore = Boolean(dataOf(order).pending[ref] ?? journaled[ref]);
  const done = earlier && showsOperation(earlier, { kind, ref }, sentBefore ? before : undefined) ? earlier : null;
  // Sent before, and the transaction cannot show whether it happened: never sent again (the domain's rule, pending-operations.ts).
  if (!done && sentBefore && earlier && cannotShowLater(earlier, kind, before)) throw unshownRetryRefusal('Dintero', change.type);
  const alreadyJournaled = done ? journaled[ref] : undefined;
  const chosen = unkeyedLines ?? (alreadyJournaled ? { orders: alreadyJournaled.items, checkout: [] } : linesFor(order, movementsOf(dataOf(order), journaled), change, before));
  const lines = chosen.orders;
  const amount = change.amount?.minor ?? 0;
  // Money of this kind moved at Dintero without the gateway: a lost answer is not read off the status.
  const ahead = !done && earlier !== null && statusAhead(earlier, kind, before);
  const moved: Moved = done
    ? { known: true, transaction: done }
    : await moveMoney(
        client,
        transactionId,
        { kind, ref },
        baselineOf(before, { kind, statusAhead: ahead }),
        () =>
          capture
            ? client.capture(transactionId, { amount, capture_reference: ref, items: chosen.checkout })
            : client.refund(transactionId, { amount, refund_reference: ref, ...(change.reason ? { reason: change.reason } : {}), items: chosen.checkout }),
        (reread) => refusedInWord(reread, { kind, ref }, earlier),
      );
  // Taken, then refused by the acquirer (mapping.ts failedIn; or said in the answer's status word,
  // refusedInWord, round fourteen): nothing moved, nothing is journaled.
  if (moved.known && (failedIn(moved.transaction, { kind, ref }) || refusedInWord(moved.transaction, { kind, ref }, earlier))) {
    throw new GatewayError('PROVIDER_REJECTED', `Dintero rejected the request: its transaction shows the ${capture ? 'capture' : 'refund'} failed`, { providerCode: 'FAILED' });
  }
  // The next change of the order counts this money too, whatever its order snapshot says.
  const movement: LineMovement = { kind, items: lines };
  journaled[ref] = movement;
  await journal.add(ref, movement).catch(() => undefined);
  return { kind, ref, lines, moved, ...(ahead ? { statusAhead: true as const } : {}) };
}

/**
 * A keyed capture's (refund's) read before sending failed: the operation was not sent, and is not.
 * Said so (DinteroCallNotSent: surely not sent), or the domain takes the failure for an outcome
 * Dintero may have carried out. Round ten: a Dintero whose reads fail while its writes work (reads
 * served apart, their replica down: the seed shows no read at all) had the capture answered
 * PROVIDER_UNAVAILABLE with its amount kept reserved, and every retry under its key refused
 * unsent for ten minutes, though Dintero was never asked; a refusal of the read stays a refusal.
 */
function readBeforeFailed(error: unknown): never {
  throw new DinteroCallNotSent(error);
}

/**
 * The transaction read before an unkeyed capture (refund) where the order counts none of that
 * kind yet: a status that already shows some (a back office's) must not be taken, if this call's
 * answer is lost, for this call's money (statusAhead). Before, an unkeyed change was sent unread,
 * and a lost answer's re-read on an {id, status} transaction (PARTIALLY_CAPTURED from a back
 * office's 50.00) was counted as the gateway's 400.00. Where the order already counts some, the
 * status cannot be ahead (statusAhead), so nothing is read. A read that fails sends as before.
 */
async function unkeyedReadBefore(client: BoundTransactions, transactionId: string, kind: 'captures' | 'refunds', before: MovedBefore): Promise<DinteroTransaction | null> {
  if ((kind === 'captures' ? before.capturedMinor : before.refundedMinor) > 0) return null;
  return client.getTransaction(transactionId).catch(() => null);
}

/**
 * The void, after a read of the transaction: voids carry no reference, so a refusal an earlier void
 * left in the history (round fourteen's failed VOID event, or a `VOID_FAILED` word) must be told
 * from this one's (mapping.ts voidsBeforeOf, round fifteen). A read that fails sends the void as
 * before, every refusal then read as this one's.
 */
async function voidAuthorization(client: BoundTransactions, order: Order, transactionId: string): Promise<MoneyMove> {
  const kind = 'cancel';
  const ref = `cancel-${transactionId}`;
  const earlier = await client.getTransaction(transactionId).catch(() => null);
  const voidsBefore = earlier ? voidsBeforeOf(earlier) : undefined;
  const moved = await moveMoney(client, transactionId, { kind, ref }, movedBefore(order, transactionId), () => client.void(transactionId));
  // Taken, then refused by the acquirer (mapping.ts failedIn, round fourteen): nothing was released.
  if (moved.known && failedIn(moved.transaction, { kind, ref, voidsBefore })) {
    throw new GatewayError('PROVIDER_REJECTED', 'Dintero rejected the request: its transaction shows the void failed', { providerCode: 'FAILED' });
  }
  return { kind, ref, lines: orderLines(order), moved, ...(voidsBefore ? { voidsBefore } : {}) };
}

/**
 * A capture, refund or void whose answer was lost (a timeout, a reset, a 5xx) may still have
 * happened at Dintero. The transaction is read once more: if it shows the operation (its
 * reference; for a void, AUTHORIZATION_VOIDED) it happened. Otherwise the outcome is unknown
 * (Dintero may still be processing it): not "failed", or a retry would move the money twice.
 *
 * `refusedIn`: whether that re-read says the operation was refused, as the transaction read back
 * after a 202 would say it (the caller then answers the refusal). Round sixteen: a capture or
 * refund the acquirer refused, said only in the status word (`CAPTURE_FAILED`, round fourteen),
 * whose answer was lost, was re-read in that word and kept `dintero.outcome_unknown`, looked for
 * until the ten-minute bound (its amount held back all that time), though the re-read, made under
 * the same change lease right after the call, is as good as the read-back of a 202: only a word
 * the read before the call did not already say (mapping.ts refusedInWord) is the call's.
 */
async function moveMoney(
  client: BoundTransactions,
  transactionId: string,
  operation: Pick<DinteroPendingMoney, 'kind' | 'ref'>,
  before: MovedBefore,
  call: () => Promise<DinteroTransaction>,
  refusedIn: (reread: DinteroTransaction) => boolean = () => false,
): Promise<Moved> {
  try {
    return { known: true, transaction: await call() };
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_UNAVAILABLE' || surelyNotSent(error)) throw error;
    const reread = await client.getTransaction(transactionId).catch(() => null);
    if (reread && (showsOperation(reread, operation, before) || refusedIn(reread))) return { known: true, transaction: reread };
    return { known: false, transaction: reread, error };
  }
}

/** Every capture / refund that may have happened on the order, recorded or not, by id. */
function movementsOf(book: Bookkeeping, journaled: Record<string, LineMovement>): LineMovement[] {
  const movements = new Map<string, LineMovement>();
  // Neither counted: an unshown one may have moved, but the order's figures do not count it either.
  const dropped = new Set(Object.values(book.pending).filter((entry) => entry.state === 'dropped' || entry.state === 'unshown').map((entry) => entry.ref));
  for (const [id, movement] of Object.entries(journaled)) if (!dropped.has(id)) movements.set(id, movement);
  for (const [id, recording] of Object.entries(book.recordings)) {
    if (recording.kind === 'captures' || recording.kind === 'refunds') movements.set(id, { kind: recording.kind, items: recording.body.items });
  }
  for (const entry of Object.values(book.pending)) {
    if (entry.state === 'unsettled' && entry.kind !== 'cancel') movements.set(entry.ref, { kind: entry.kind, items: entry.lines });
  }
  return [...movements.values()];
}

/** How the change is named on the order's infos: "capture of 10.00 NOK", "cancellation". */
function describe(change: OrderChange): string {
  const verb = change.type === 'CAPTURE' ? 'capture' : change.type === 'REFUND' ? 'refund' : 'cancellation';
  const amount: Money | undefined = change.amount;
  return amount ? `${verb} of ${formatMoney(amount)} ${amount.currency}` : verb;
}

/** A capture / refund reference that depends only on the transaction and the change's request key. */
function stableReference(transactionId: string, requestKey: string): string {
  return createHash('sha256').update(`${transactionId}\n${requestKey}`).digest('hex').slice(0, 32);
}

/**
 * The seed's "Marking the order as captured" for money the gateway did not capture itself (a
 * profile that captures at once, Dintero's back office): what the order shows captured beyond the
 * captures the gateway made or may have made (movementsOf), on the lines linesFor put it on, made
 * when a refund is marked (under the order's change lease, so no capture of the gateway's own is
 * in flight). Before, such an order was marked authorized only, and an Orders API that takes marks
 * in the seed's order refused every refund mark (nothing marked captured), for good. Round
 * thirteen: only money captured wholly outside the gateway was marked so; part of it captured in
 * the back office (read in the answer to the gateway's own capture) was not, and a refund beyond
 * what the gateway had captured itself was refused there: `dintero.recording_failed`, the Orders
 * API holding less captured than Dintero. Each such mark has an id of its own (the first keeps
 * round three's), so a later one is no replay of it.
 */
export function outsideCaptureRecording(order: Order, transactionId: string, journaled: Record<string, LineMovement>, before: MovedBefore, at: number): DinteroRecording | undefined {
  const book = dataOf(order);
  if (!order.providerOrderId || before.capturedMinor <= 0) return undefined;
  const items = unaccountedCaptureLines(order, movementsOf(book, journaled), before.capturedMinor);
  const amount = items.reduce((total, line) => total + line.amount, 0);
  if (amount <= 0) return undefined;
  const first = `capture-${transactionId}-outside`;
  const earlier = Object.keys(book.recordings).filter((id) => id === first || id.startsWith(`${first}-`)).length;
  return {
    kind: 'captures',
    orderId: order.providerOrderId,
    body: { id: earlier === 0 ? first : `${first}-${earlier + 1}`, items, payment_details: { payment_id: transactionId }, success: true },
    state: 'pending',
    label: `capture of ${formatMoney(money(order.total.currency, amount))} ${order.total.currency} (not made by the gateway)`,
    firstTriedAt: at,
  };
}
