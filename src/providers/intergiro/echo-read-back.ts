import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import { keepingLast, readPastLag } from '../read-lag.js';
import { formatMoney } from '../../domain/money.js';
import { failedCancelOf, failedChargeOf, failedRefundOf, itemsTotal, listFigures, moneyEventsOf, refundEventsOf, showsNoRefundYet, statusWordOf, type FailedEvents } from './amounts.js';
import { intergiroSpelling } from './status-words.js';
import type { IntergiroEvent, IntergiroOrder } from './wire.js';
import { intergiroTime, namesZone, wallClockOffsetFor, type WallClockReading } from './dates.js';
import { rejectionDetailsOfFail } from './mapping.js';
import type { ReadBack } from './refused-batch.js';
import { checkEchoedRefunds } from './refunds-read-back.js';
import { withReadOfEarlierUnknown } from './earlier-unknown-changes.js';

/**
 * A capture or cancel Intergiro echoed without a `fail` is checked by reading the order back. The
 * seed's PATCH answer is "the same changes you requested", dated or not, so an echo says nothing
 * of the outcome: an Intergiro may take the PATCH, record a change it cannot carry out as a `fail`
 * event on the order (CONTRACT §8: it "leaves the status as it was") and tell it only by callback.
 * Taken as done, a capture of an order cancelled at Intergiro itself was answered CAPTURED (and a
 * cancel of one it had charged CANCELLED, final), and the callback could not move it back (a
 * status never moves backwards). Where the read shows the failed charge and no charge that went through, the capture
 * is refused (PROVIDER_REJECTED, in the fail's words), and so is a refund of the same element
 * (nothing was charged to refund); where it shows a failed cancel and the order not cancelled, the
 * cancel is. The read is then the element's fact. A read that shows neither the change nor its
 * failure (reads that lag the writes by a moment, or a change carried out just after its answer) is
 * made once more SECOND_READ_MS later: taken at once, a capture of an order cancelled at Intergiro a
 * moment before, read as it was before the cancel, was answered CAPTURED with nothing charged. A
 * second read that still shows neither, where it would (it lists events or carries a status word),
 * is Intergiro still at work: the outcome is unknown (PROVIDER_UNAVAILABLE, the intent pending
 * until a read or the callback shows it; stillAtWork, round thirteen). A read that says nothing
 * either way (no events, no word) or does not find the order leaves the echo's answer; where no read
 * answered at all (turned away, timed out, failed: rounds eighteen and nineteen) the change is
 * unknown, its intent pending (unreadChange); a change refused there
 * that Intergiro still carries out is told by its callback, and sent again it is refused by the
 * order's state (one charge, one cancel).
 *
 * A refund is read back too, but refused only on a failure the read shows explicitly
 * (failedRefundOf: more failed refunds than the order's reads listed before, the last refund
 * listed a failed one), confirmed by a second read SECOND_READ_MS later: a refund the reads do not
 * show (one Intergiro carries out after answering, a read that lags) is never refused, as refused
 * its retry would refund twice; where both reads list the order's events and show nothing of it,
 * it is unknown where they list refunds at all (stillAtWork: pending, never sent again under its
 * key), else the echo's answer. Not read back, a refund of more than Intergiro's back
 * office had left was answered done, its amount shown refunded for good where Intergiro refunded
 * none of it (round six).
 */
/** How long after a read back that shows no outcome yet the order is read once more (ms). */
const SECOND_READ_MS = 750;

/** Words that show an order charged (amounts.ts SHOWS_CHARGE). */
const CHARGED_WORDS: ReadonlySet<string> = new Set(['charged', 'paid', 'refunded', 'settled', 'synchronized']);

/** Words of an order that ended without a charge: a cancel or a denial only follows created / pending / ordered, and is final. */
const ENDED_UNCHARGED: ReadonlySet<string> = new Set(['cancelled', 'denied']);

/**
 * The word of an order a read shows ended without a charge (`cancelled`, `denied`, and no charge
 * among its events), or undefined: a capture sent after it cannot have gone through, whether or not
 * the read lists the failed Event. Round ten: an Intergiro whose reads carry no events (the seed
 * shows `event` only as "<Order events>") showed a capture of an order its back office had cancelled
 * only by the word `cancelled`; the echo stood, and the order was CAPTURED with nothing charged.
 */
function endedUncharged(order: IntergiroOrder): string | undefined {
  const word = intergiroSpelling(statusWordOf(order));
  return ENDED_UNCHARGED.has(word) && !moneyEventsOf(order).charges ? word : undefined;
}

/**
 * Where a read without a failed charge shows, by its status list's figures (amounts.ts
 * listFigures), the order charged less than a capture asked (`askedMinor`) and nothing refunded:
 * the amount charged, else undefined. Intergiro charges an order once, and a capture it carried
 * out shows at least what it asked (a refund since would show as refunded): that charge is another
 * (its back office's, in part), and the capture was refused. Round eleven: at an Intergiro whose
 * reads carry no events the refusal showed nowhere but there; the echo stood, and the order was
 * CAPTURED with 20.00 where Intergiro held 12.34, the rest open to a refund through the gateway.
 */
function chargedLess(order: IntergiroOrder, askedMinor: number): number | undefined {
  const listed = listFigures(order, itemsTotal(order.items, order.currency));
  // The most the list can mean was charged (its charge words' amounts together), so that a capture
  // that went through, its money standing in several words, is never taken for refused.
  return listed && listed.refunded === 0 && listed.captured > 0 && listed.capturedAtMost < askedMinor ? listed.capturedAtMost : undefined;
}

/**
 * Whether a read shows what became of the capture (a charge, by its events or its word, or a failed
 * charge) and of the cancel (the order cancelled, or a failed cancel) the PATCH asked for.
 */
function showsOutcome(order: IntergiroOrder, capturing: boolean, cancelling: boolean, seen: Partial<FailedEvents>): boolean {
  const word = intergiroSpelling(statusWordOf(order));
  const charged = moneyEventsOf(order).charges || CHARGED_WORDS.has(word) || failedChargeOf(order, seen.charges) !== undefined || endedUncharged(order) !== undefined;
  const cancelled = word === 'cancelled' || failedCancelOf(order, seen.cancels) !== undefined;
  return (!capturing || charged) && (!cancelling || cancelled);
}

export async function checkEchoedChanges(
  requests: OrderChangeRequest[],
  results: OrderChangeResult[],
  read: (order: Order) => Promise<ReadBack | null>,
  sentAt: number = Date.now(),
  clockAhead: () => number = () => 0,
  leftOut: ReadonlySet<number> = new Set(),
  wallClock: () => WallClockReading | undefined = () => undefined,
): Promise<OrderChangeResult[]> {
  /**
   * A failed refund of `found` dated since the PATCH went, by Intergiro's clock as its answers show
   * it and its wall clock as last read (the order's `created`, or a later creation's: dates.ts
   * wallClockOffsetFor; see datedSince).
   */
  const sincePatchOf = (order: Order) => (event: IntergiroEvent, found: IntergiroOrder) =>
    datedSince(event, sentAt, clockAhead(), wallClockOffsetFor(found.created, Date.parse(order.createdAt), wallClock()));
  return Promise.all(
    results.map(async (result, index): Promise<OrderChangeResult> => {
      const { order, changes } = requests[index]!;
      // Left out of an echo of only the changes carried out (order-changes.ts leftOutOf): never
      // "done" on the echo's word; what the read back shows decides, and a read showing nothing is unknown.
      const omitted = leftOut.has(index);
      const capturing = changes.some((change) => change.type === 'CAPTURE');
      const cancelling = changes.some((change) => change.type === 'CANCEL');
      // One refund in the element: a failure then names it (of two, which one failed is not said).
      const refunds = changes.filter((change) => change.type === 'REFUND');
      const refunding = refunds.length === 1;
      // Several refunds and nothing else: refunds-read-back.ts tells which of them failed. Left out
      // (round eighteen: all of them, or some of them within the element), a read that shows no
      // failure leaves them unknown, not done; beside a capture or cancel they stay unknown.
      if (refunds.length > 1 && omitted && (capturing || cancelling)) return unshownLeftOut(changes.length);
      if (refunds.length > 1 && !capturing && !cancelling) {
        return checkEchoedRefunds(order, changes, result, read, sincePatchOf(order), SECOND_READ_MS, omitted ? unshownLeftOut(changes.length) : result);
      }
      if (!result.ok) return result;
      if (!(capturing || cancelling || refunding)) return omitted ? unshownLeftOut(changes.length) : result;
      // Failures the order's reads listed before this PATCH are not its own (a read that lags may show nothing newer).
      const seen = (order.providerData['failedEvents'] ?? {}) as Partial<FailedEvents>;
      const changeUnshown = (found: IntergiroOrder) => (capturing || cancelling) && !showsOutcome(found, capturing, cancelling, seen);
      const refundUnshown = (found: IntergiroOrder) => refunding && showsNoRefundYet(found, seen, refunds[0]?.amount);
      const noOutcome = (found: IntergiroOrder) => changeUnshown(found) || refundUnshown(found);
      // A read that shows neither done nor failed yet (a read that lags the write, or a change
      // carried out just after the answer) is made once more, a moment later; what that read shows
      // (if any: one that fails keeps the first) decides. `shown`: the reads that answered, in turn.
      const shown: ReadBack[] = [];
      /**
       * A read that answered nothing: turned away (its Retry-After too far off to wait for: client.ts
       * read), timed out, reset, or unreadable. Not a read that shows nothing (null: the order not
       * found), which leaves the echo's answer.
       */
      let unread = false;
      /** Whether the first read did not find the order and a later one did (the one in `shown` is then the second's). */
      let foundOnlyLate = false;
      let reads = 0;
      const readShown = async () => {
        try {
          const found = await read(order);
          reads += 1;
          if (found) shown.push(found);
          if (found && reads > 1 && shown.length === 1) foundOnlyLate = true;
          return found;
        } catch (error) {
          unread = true;
          throw error;
        }
      };
      // Round twenty: a read that does not find the order (an order Intergiro made, its id in hand)
      // is a read that lags too (a replica behind the primary lists an order made a moment ago only
      // later), and is made once more as one that shows nothing yet is. Taken as "nothing to show",
      // a refund Intergiro refused on a payment link paid a moment before was answered done (20.00
      // shown refunded, none refunded there) wherever its reads lag the writes. A read that failed
      // is not made again (round seventeen: a platform turning reads away is unavailable).
      let readBack = await readPastLag(keepingLast(readShown), (found) => (found === null ? !unread : noOutcome(found.order)), [SECOND_READ_MS]);
      const [first, second] = shown;
      /** A refund's failure a second read showed where the first showed nothing of it (or did not find the order): this PATCH's, no confirming read. */
      const refundFailureNew = refunding && first !== undefined && (second !== undefined ? showsNoRefundYet(first.order, seen, refunds[0]?.amount) : foundOnlyLate);
      // No read answered (round eighteen, round seventeen's leftover: a read turned away for longer
      // than a call is held, MAX_READ_WAIT_MS; round nineteen: one that timed out, a listing under
      // load answering after the gateway's bound, or failed otherwise): the change is unknown, not
      // what the echo says, which is only the request again. Standing on the echo, a capture of an
      // order cancelled at Intergiro was CAPTURED with nothing charged, for good (a status never
      // moves backwards); a cancel of an order charged there CANCELLED (final) with 20.00 held; a
      // refund of more than was left answered done. A GET moves no money, so whether the failed
      // read reached Intergiro says nothing of the change either way.
      if (!readBack && unread) return unreadChange(changes.length);
      if (!readBack) return omitted ? unshownLeftOut(changes.length) : result;
      const failedCharge = capturing ? failedChargeOf(readBack.order, seen.charges) : undefined;
      const failedCancel = cancelling ? failedCancelOf(readBack.order, seen.cancels) : undefined;
      let failedRefund = refunding && !failedCharge ? failedRefundOf(readBack.order, seen.refunds) : undefined;
      if (failedRefund && !refundFailureNew) {
        // Confirmed a moment later: a failure `seen` missed, read before the refund that went after it shows.
        await new Promise((resolve) => setTimeout(resolve, SECOND_READ_MS));
        const again = await read(order).catch(() => null);
        failedRefund = again ? failedRefundOf(again.order, seen.refunds) : undefined;
        if (again && failedRefund) readBack = again;
      }
      // Refused only on a failure dated since the PATCH went: see datedSince.
      if (failedRefund && !sincePatchOf(order)(failedRefund, readBack.order)) failedRefund = undefined;
      // A capture (without a cancel of its own in the element) of an order the read shows ended uncharged, its failure listed or not.
      const capture = changes.find((change) => change.type === 'CAPTURE');
      const chargedBefore = capture && !cancelling && !failedCharge && readBack.order.currency === order.total.currency ? chargedLess(readBack.order, capture.amount?.minor ?? order.total.minor) : undefined;
      const ended =
        capturing && !cancelling && !failedCharge
          ? (endedUncharged(readBack.order) ?? (chargedBefore !== undefined ? `charged ${formatMoney({ currency: order.total.currency, minor: chargedBefore })} ${order.total.currency} already` : undefined))
          : undefined;
      const failed = failedCharge ?? failedCancel ?? failedRefund;
      // Still neither done nor failed, on a read that would show either: Intergiro has the change
      // and not its outcome yet (the acquirer's answer comes later, told by callback). Unknown,
      // its intent kept pending until a read or the callback shows it (see stillAtWork).
      // A refund counts only where the reads list refunds at all: an Intergiro may list the charge
      // and never a refund (the word `refunded` its only sign), and its refunds would all be unknown.
      const atWork = (found: IntergiroOrder) => changeUnshown(found) || (refundEventsOf(found).length > 0 && refundUnshown(found));
      if (!failed && !ended && stillAtWork(readBack.order, atWork)) {
        const error = providerUnavailable('Intergiro', new Error('Intergiro took the change and does not show its outcome yet'));
        return { ok: false, error, observations: [readBack.fact], applied: changes.map(() => false) };
      }
      if (!failed && !ended) {
        if (omitted && noOutcome(readBack.order)) return unshownLeftOut(changes.length);
        // Round twenty-six: an earlier capture or refund of the order still pending, what the read shows counts too.
        return withReadOfEarlierUnknown(order, result, readBack.fact);
      }
      const details = failed
        ? rejectionDetailsOfFail(failed.error)
        : { message: `Intergiro refused the change: the order is ${ended}`, providerCode: chargedBefore !== undefined ? 'charged' : ended! };
      const refused = (change: OrderChange) =>
        ((failedCharge !== undefined || ended !== undefined) && (change.type === 'CAPTURE' || change.type === 'REFUND')) ||
        (failedCancel !== undefined && change.type === 'CANCEL') ||
        (failedRefund !== undefined && change.type === 'REFUND');
      return {
        ok: false,
        error: new GatewayError('PROVIDER_REJECTED', details.message, details),
        observations: [readBack.fact],
        applied: changes.map((change) => !refused(change)),
      };
    }),
  );
}

/** A change no read back answered for (turned away, timed out, failed): unknown, its intent pending until a read or the callback shows it (never sent again). */
function unreadChange(changes: number): OrderChangeResult {
  const error = providerUnavailable('Intergiro', new Error('No read back of the change answered; what became of it is not known yet'));
  return { ok: false, error, observations: [], applied: Array.from({ length: changes }, () => false) };
}

/** An order left out of the PATCH's echo whose outcome no read showed: unknown, its intent pending until a read does (never sent again). */
export function unshownLeftOut(changes: number): OrderChangeResult {
  const error = providerUnavailable('Intergiro', new Error('Intergiro left the order out of its answer and no read shows what became of its change'));
  return { ok: false, error, observations: [], applied: Array.from({ length: changes }, () => false) };
}

/**
 * Whether a read back made twice (at once and SECOND_READ_MS later) still shows nothing of the
 * change (`noOutcome`: no charge, no cancel, no refund, and no failure of them) where it would show
 * either: it lists the order's events, or carries a status word. The seed's PATCH answer is "the
 * same changes you requested" and its Callbacks say "the order will be updated with the successful
 * or failed Event" (CONTRACT §8: "When an operation failed, an Error is posted"): the echo is
 * Intergiro taking the request, and the acquirer's answer may come seconds later. Taken as done, a
 * capture the acquirer declined after both reads was CAPTURED with 20.00 for good (a status never
 * moves backwards), nothing charged; a refund refused after them was answered done (round
 * thirteen). A read that says nothing either way (no events, no word) leaves the echo's answer.
 */
function stillAtWork(order: IntergiroOrder, noOutcome: (order: IntergiroOrder) => boolean): boolean {
  const says = Array.isArray(order.event) || (typeof order.status === 'string' && order.status.trim() !== '');
  return says && noOutcome(order);
}

/** How far apart Intergiro's clock and the gateway's may be for an event's date to be believed (ms). */
const CLOCK_MARGIN_MS = 2000;

/**
 * Whether a failed refund is dated between the PATCH's sending and now (within CLOCK_MARGIN_MS).
 * The count of failed refunds the order's earlier reads listed may be behind: a refund refused in
 * its own PATCH answer leaves no read. Behind a read that lags, that earlier failure, listed last,
 * was taken for this PATCH's, the refund that went through answered refused, its key released,
 * and the retry refunded twice. Without a date, or with one outside that span (a wall clock
 * written without its zone), the echo's answer stands: a refund shown done that was not is the
 * lesser harm. The date is Intergiro's clock's, so it is set back by how far that clock is ahead of
 * the gateway's (`clockAheadMs`, from its answers' `Date` header: dates.ts clockAheadOf). Read
 * against the gateway's clock alone, an Intergiro whose clock was 5 s ahead or behind dated every
 * refused refund outside the span: the refund was answered done (5.00 shown refunded, final where
 * it was all) where Intergiro refunded nothing (round fourteen). So was every one dated by an
 * Intergiro writing its own zone's wall clock without a zone (as round six's `created`): such a
 * date is read in the zone its order's `created` shows (`wallClockMs`, dates.ts wallClockOffsetOf).
 */
function datedSince(event: IntergiroEvent, sentAt: number, clockAheadMs = 0, wallClockMs = 0): boolean {
  if (typeof event.date !== 'string') return false;
  // The date as the gateway's clock would have written it (in UTC, where it names no zone).
  const at = intergiroTime(event.date) - (namesZone(event.date) ? 0 : wallClockMs) - clockAheadMs;
  return Number.isFinite(at) && at >= sentAt - CLOCK_MARGIN_MS && at <= Date.now() + CLOCK_MARGIN_MS;
}
