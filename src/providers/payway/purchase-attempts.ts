import type { ProviderObservation } from '../../domain/observation.js';
import type { PurchaseEntry } from './purchases.js';

/*
 * An attempt to place a purchase as the purchase index keeps it, and the pure rules over a
 * reference's attempts: which an event may be about (candidatesOf), which are dropped first
 * (keptOf), and the entry an attempt gives back (entryOf). The index itself: purchases.ts.
 */

export interface Attempt extends PurchaseEntry {
  /** Payway answered without an error: the purchase exists. */
  placed: boolean;
  /** While not placed: until when (epoch ms) the attempt may still be under way. */
  placingUntil?: number;
  /** Payway's order id, once an answer named it (`complete`). */
  paywayOrderId?: string;
  /**
   * The receipt a `complete` answer named (the seed's `receipt_id`): an event naming only the
   * merchant reference and this receipt is this purchase's (see `PurchaseIndex.find`).
   */
  receiptId?: string;
  /** Payway refused it (its own error answer): no purchase, but a possible owner of a failure event until then (epoch ms). */
  refusedUntil?: number;
  /** Placed at a 3-D Secure step the gateway has not continued yet (see the header of purchases.ts). */
  awaitingStep?: boolean;
  /** perform_additional_action under way until then (epoch ms): what it answers may tell this purchase apart (see `PurchaseIndex.find`). */
  continuingUntil?: number;
  /**
   * Payway's order id as a pending or action_required answer named it (not the seed's answers,
   * an extra field): the purchase's event may name only that order. Unlike `paywayOrderId` it
   * leaves the attempt a candidate for an event naming only the reference (one Payway may still
   * send), but no longer for another Payway order's event.
   */
  announcedOrderId?: string;
  /** place_order's answer never came: the purchase may exist. */
  lost?: boolean;
  /**
   * Lost as Payway's relayed third-party failure (a 5xx with Adyen's correlation id): the
   * purchase may exist, but is a less likely owner of an event than a purchase Payway accepted
   * (see candidatesOf).
   */
  outcomeUnknown?: boolean;
  /** What the purchase's verified event said (the fact the gateway recorded from it). */
  ended?: ProviderObservation;
}

export interface AttemptRecord {
  attempts: Attempt[];
}

/** A reference reused for ever (a campaign code) keeps only its latest attempts. */
const ATTEMPTS_KEPT = 100;

/**
 * At most ATTEMPTS_KEPT attempts, dropping first those whose events matter least: ones named by
 * Payway's order (their events find them by it; ended ones first, whose events would be
 * duplicates), then ones an event naming only the reference ended, then refused ones, then ones
 * left at a 3-D Secure step, and only then a purchase still waiting for its event or whose
 * place_order answer was lost; the oldest first within each. Before, the oldest went first
 * whatever it was: under a campaign code (the seed's own example of a reference) a purchase
 * still pending was dropped once 100 later purchases had completed at once, and its event (naming
 * a Payway order no answer gave) then matched the one purchase waiting under the code at the
 * time: CAPTURED with no money moved for it, while the purchase Payway charged stayed PENDING.
 */
export function keptOf(attempts: Attempt[]): Attempt[] {
  let excess = attempts.length - ATTEMPTS_KEPT;
  if (excess <= 0) return attempts;
  const dropped = new Set<Attempt>();
  for (let rank = 0; rank < DROP_RANKS && excess > 0; rank++) {
    for (const attempt of attempts) {
      if (excess === 0) break;
      if (dropRank(attempt) === rank) {
        dropped.add(attempt);
        excess--;
      }
    }
  }
  return attempts.filter((attempt) => !dropped.has(attempt));
}

const DROP_RANKS = 6;
/** How soon keptOf drops an attempt (0 first). */
function dropRank(attempt: Attempt): number {
  // One whose place_order answer was lost is found by its event alone, through this attempt (the
  // retry with the same key, the sweep: see `PurchaseIndex.outcome`): kept longest, ended or not.
  if (attempt.lost) return 5;
  // Named by Payway's order: its events find it by that id (ended: they would be duplicates).
  if (attempt.paywayOrderId) return attempt.ended ? 0 : 1;
  // Ended by an event naming only the reference: its redelivery would match another purchase.
  if (attempt.ended) return 2;
  if (attempt.refusedUntil !== undefined) return 3;
  if (attempt.awaitingStep) return 4;
  return 5;
}

/** A purchase event's meaning, as far as telling attempts apart goes: `order_closed`, `payment_failure`. */
export type EventKind = 'completed' | 'failed';

/**
 * The attempts an event of `kind` naming Payway's order `paywayOrderId` (or none) may be about,
 * when no attempt is named by that order: those without a Payway order id (and, for an event
 * naming an order, not announced as another one). A refused attempt is never one of them, but
 * while it may own a failure event it makes a failure `doubted` (see the header of purchases.ts). For a
 * completion, an attempt still at its 3-D Secure step is left out while another can be meant:
 * it cannot have completed without the shopper's result, which goes through the gateway.
 */
export function candidatesOf(attempts: Attempt[], paywayOrderId: string | undefined, kind: EventKind): { candidates: Attempt[]; doubted: boolean } {
  // An attempt announced as another Payway order is not this one's.
  // An attempt already ended the other way is not this event's either: a failed purchase cannot
  // close, a closed one cannot fail (its own event of the same kind, delivered again, may still
  // be: it stays a candidate for that). Before, a purchase refused at 3-D Secure or closed by an
  // event naming only the reference stayed a candidate for every later event under it, so the
  // next purchase's end of the other kind matched two and was never taken (PENDING for good).
  const endedOtherwise = (attempt: Attempt): boolean => attempt.ended?.status === (kind === 'completed' ? 'FAILED' : 'CAPTURED');
  const unnamed = attempts.filter(
    (attempt) => attempt.paywayOrderId === undefined && (paywayOrderId === undefined || attempt.announcedOrderId === undefined) && !endedOtherwise(attempt),
  );
  const purchases = unnamed.filter((attempt) => attempt.refusedUntil === undefined);
  // One whose place_order Payway answered with a relayed third-party failure (outcome unknown) is
  // the event's only while no purchase Payway accepted can be meant: a client told the purchase
  // was refused may place it again under its reference. For a failure it then only makes the
  // failure doubtful, as a refused attempt does (the waiting purchase is told, not failed).
  const accepted = purchases.filter((attempt) => !attempt.outcomeUnknown);
  if (kind === 'failed') {
    const owners = accepted.length > 0 ? accepted : purchases;
    return { candidates: owners, doubted: owners.length < unnamed.length };
  }
  const past = accepted.filter((attempt) => !attempt.awaitingStep);
  return { candidates: past.length > 0 ? past : accepted.length > 0 ? accepted : purchases, doubted: false };
}

export const entryOf = (attempt: Attempt): PurchaseEntry => ({
  orderId: attempt.orderId,
  total: attempt.total,
  method: attempt.method,
  ...(attempt.totalAsStated ? { totalAsStated: true } : {}),
  ...(attempt.totalInfos?.length ? { totalInfos: attempt.totalInfos } : {}),
  ...(attempt.productCode ? { productCode: attempt.productCode } : {}),
});
