import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { OrderChangeResult } from '../../domain/provider-port.js';
import { keepingLast, readPastLag } from '../read-lag.js';
import { eventMinor, refundEventsOf } from './amounts.js';
import { rejectionDetailsOfFail } from './mapping.js';
import type { ReadBack } from './refused-batch.js';
import type { IntergiroEvent, IntergiroOrder } from './wire.js';

/**
 * Several refunds of one order in one PATCH element, echoed as sent (the seed's PATCH answer is
 * "the same changes you requested"). Intergiro carries each out on its own and records the one it
 * cannot (more than is left: a refund made at its back office meanwhile) as a failed Event on the
 * order. Taken as the echo said, both were answered done: 6.00 shown refunded where Intergiro
 * refunded 3.00 of it, and the shop told the buyer so (round seven). So the order is read back
 * (once more `secondReadMs` later where it lists dated events but not yet as many refunds since
 * the PATCH as were sent), and where it lists failed refunds dated since the PATCH went (`since`), those refunds
 * are refused (PROVIDER_REJECTED, in the fail's words) and the read is the element's fact:
 *
 * - the refunds that went are told by their amounts (the listed refunds' `items`); the rest failed,
 *   where they are as many as the failures listed;
 * - where the amounts cannot tell (events without `items`, or counts that do not add up), refunds
 *   all of one amount: the last ones failed (which of equals does not matter to the money);
 * - else which one failed cannot be told: unknown (PROVIDER_UNAVAILABLE), nothing released, the
 *   read's figures recorded (they are Intergiro's own).
 *
 * No read answering (turned away, timed out) leaves them unknown (PROVIDER_UNAVAILABLE, round
 * nineteen). A read that shows no failure (none yet, events undated or unlisted) leaves the echo's answer, as
 * a single refund's read back does (echo-read-back.ts), or `unshown` where the echo said nothing of
 * them (round eighteen: refunds left out of an echo of only the changes carried out are unknown, never done).
 */
export async function checkEchoedRefunds(
  order: Order,
  changes: OrderChange[],
  result: OrderChangeResult,
  read: (order: Order) => Promise<ReadBack | null>,
  since: (event: IntergiroEvent, found: IntergiroOrder) => boolean,
  secondReadMs: number,
  unshown: OrderChangeResult = result,
): Promise<OrderChangeResult> {
  if (!result.ok) return result;
  const asked = changes.map((change, position) => ({ change, position })).filter(({ change }) => change.type === 'REFUND');
  const newRefunds = (found: IntergiroOrder) => refundEventsOf(found).filter(({ event }) => since(event, found));
  // Read once more `secondReadMs` later where this read found nothing (a listing that lags its
  // writes may not show an order made a moment ago), or could have told (it lists dated events) and
  // does not yet; a second read that fails keeps the first.
  const couldTell = (found: IntergiroOrder) => Array.isArray(found.event) && refundEventsOf(found).every(({ event }) => typeof event.date === 'string');
  const lagging = (found: ReadBack | null) => !found || (couldTell(found.order) && newRefunds(found.order).length < asked.length);
  // Whether any read answered (found the order or not). Round nineteen: where none did (turned
  // away, timed out under load, failed), the refunds are unknown, not the echo's answer, which is
  // only the request again: taken as done, two refunds of which Intergiro refused one were both
  // shown refunded, as a single refund's read back (echo-read-back.ts unreadChange) no longer is.
  let answered = false;
  const readBack = await readPastLag(
    keepingLast(async () => {
      const found = await read(order);
      answered = true;
      return found;
    }),
    lagging,
    [secondReadMs],
  );
  if (!readBack && !answered) {
    const error = providerUnavailable('Intergiro', new Error('No read back of the refunds answered; what became of them is not known yet'));
    return { ok: false, error, observations: [], applied: changes.map(() => false) };
  }
  if (!readBack || !Array.isArray(readBack.order.event)) return unshown;
  const listed = newRefunds(readBack.order);
  const failed = listed.filter((refund) => refund.failed);
  if (!failed.length) return unshown;
  const refusedAt = whichFailed(asked, listed.filter((refund) => !refund.failed).map(({ event }) => event), failed.length, order.total.currency);
  if (!refusedAt) {
    const error = providerUnavailable('Intergiro', new Error('a refund of several in one change failed, and which one cannot be told'));
    return { ok: false, error, observations: [readBack.fact], applied: changes.map(() => false) };
  }
  const details = rejectionDetailsOfFail(failed.at(-1)?.event.error);
  return {
    ok: false,
    error: new GatewayError('PROVIDER_REJECTED', details.message, details),
    observations: [readBack.fact],
    applied: changes.map((_, position) => !refusedAt.has(position)),
  };
}

/** The positions of the asked refunds that failed, or undefined where that cannot be told. */
function whichFailed(asked: { change: OrderChange; position: number }[], went: IntergiroEvent[], failures: number, currency: string): Set<number> | undefined {
  if (failures >= asked.length) return new Set(asked.map(({ position }) => position));
  const wentAmounts = went.map((event) => {
    try {
      return event.items === undefined ? undefined : eventMinor(event.items, currency);
    } catch {
      return undefined;
    }
  });
  // Each asked refund taken by a listed one of its amount; those left are the failed ones where
  // they are as many as the failures. The listed may hold a refund made at the back office a moment
  // before the PATCH (dated within the clock margin): one of another amount takes none; one of the
  // same amount leaves too few, and the amounts do not tell.
  const left = wentAmounts.filter((amount): amount is number => amount !== undefined);
  const unmatched = asked.filter(({ change }) => {
    const at = change.amount ? left.indexOf(change.amount.minor) : -1;
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
  if (unmatched.length === failures) return new Set(unmatched.map(({ position }) => position));
  const amounts = new Set(asked.map(({ change }) => change.amount?.minor ?? 'rest'));
  if (amounts.size === 1 && !amounts.has('rest')) return new Set(asked.slice(asked.length - failures).map(({ position }) => position));
  return undefined;
}
