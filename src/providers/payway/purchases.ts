import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../domain/errors.js';
import type { Money } from '../../domain/money.js';
import type { Info } from '../../domain/order.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { KeyValueStore } from '../../store/types.js';
import { candidatesOf, entryOf, keptOf, type Attempt, type AttemptRecord, type EventKind } from './purchase-attempts.js';
import { attemptsUnder, receiptRemembered } from './purchase-store-earlier.js';
import { adyenCutsOf, mayBeAdyenCut } from './adyen-reference-cut.js';
import { cutKeyOf, earlyKeyOf, keyOf, lockOf, orderKeyOf, receiptKeyOf, sameReference } from './purchase-store-keys.js';
import { PaywayPurchaseEventType } from './wire.js';

/**
 * Which gateway order a Payway purchase event is about. Payway's `pending` answer names no order,
 * so the later `order_closed` / `payment_failure` event can only be matched through what the
 * gateway sent: the purchase's `merchant_reference` (the client's, or else the gateway's own
 * order id). The adapter records every attempt to place a purchase under its reference, in the
 * store shared by every gateway instance, with the price the event does not carry:
 *
 * - `begin` before place_order: the attempt is "placing". An event may overtake place_order's
 *   answer (Payway announces a purchase the moment it exists), so a placing attempt already
 *   counts; after a while (`placingMs`) one still placing is one whose gateway died mid-call, and
 *   counts as lost (below) from then on.
 * - `placed` after a non-error answer: a purchase exists at Payway, named by its Payway order id
 *   when place_order's answer was `complete`. (One that completes later, through
 *   perform_additional_action, stays unnamed here: its order knows the id, which is what the
 *   service matches first.)
 * - `abandon` after an error answer: no purchase exists, so a corrected retry under the same
 *   reference is the reference's only purchase again. An attempt Payway itself refused (its own
 *   error body) is still kept for a while (`refusedMs`) as a possible owner of a failure event:
 *   Payway may trigger "all the events associated with a failed purchase" for it, and under a
 *   reused reference its payment_failure, naming a Payway order the gateway never heard of,
 *   matched the purchase still waiting there, which became FAILED for good. It is never the
 *   match itself (no gateway order waits for it); it only makes such a failure doubtful, so the
 *   event waits, parked under Payway's order id, and the waiting purchase stays PENDING until
 *   its own event. One that never reached Payway is forgotten at once.
 * - `continuing` before perform_additional_action: an attempt left at a 3-D Secure step (placed
 *   `awaitingStep`) cannot complete before the shopper's result reaches Payway through the
 *   gateway, so until then it is the less likely owner of a success event under a reused
 *   reference (see `find`). A redirect or other action may complete at Payway without the
 *   gateway (the shopper's bank tells Adyen), so only 3-D Secure counts. `continued` after it:
 *   the call is over, and the attempt may be at a step again (see there).
 * - `lost` after place_order's answer was lost (a reset, a timeout): the purchase may exist, and
 *   its event may come hours later (a pending one), so the attempt counts from now on as a
 *   placed one would, not only for `placingMs`.
 * - `ended` when a verified event about the attempt's purchase came: what it said, so that a
 *   creation whose answer was lost can be found (`outcome`, the adapter's findCreated) — Payway
 *   has no read-back to ask.
 *
 * A client may reuse a reference (a campaign code) for several purchases. An event is matched
 * to an attempt only when exactly one can be meant (attempts already named by another Payway
 * order id are not); when several are and one is still placing (or being continued), the event
 * is refused for now (Payway redelivers it) since the placing one may yet fail (the continued one
 * be named, or be at a step again); when several placed purchases can
 * be meant, the event matches none, so it is never applied to the wrong order (it waits, parked,
 * under Payway's order id instead).
 */
export interface PurchaseEntry {
  orderId: string;
  total: Money;
  method: string;
  /** The total is the price the client stated (Payway gave none). */
  totalAsStated?: boolean;
  /** What is said of the total besides (STATED_TOTAL_DIFFERS), for each fact of the purchase. */
  totalInfos?: Info[];
  /** The purchase's product (its one line), for an order adopted from its event. */
  productCode?: string;
}

export interface PurchaseIndexOptions {
  /** How long an attempt counts as under way before its answer is recorded. */
  placingMs: number;
  /** How long an attempt Payway refused may own a failure event. Default REFUSED_MS. */
  refusedMs?: number;
  /** Injectable clock; default the system clock. */
  now?: () => number;
  /** Injectable wait while another instance holds a reference's lock; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Pending purchases settle within days; the index outlives that comfortably. */
const KEPT_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * A refused purchase's failure events come as it is refused; an hour covers Payway redelivering
 * them after an outage of its own or of the gateway. Beyond it a failure naming an unknown Payway
 * order is the waiting purchase's again.
 */
const REFUSED_MS = 60 * 60 * 1000;

/** The lock guards one read-modify-write of a record, never a provider call. */
const LOCK_MS = 2000;
const LOCK_WAIT_MS = 10;

/** "More than one reference begins so", under a cutKeyOf key (never a reference kept there: those are longer than 80). */
const SHARED_CUT = 'shared';

/** What an event naming only Payway's order said, kept for the answer that may announce that order (see `early`). */
export interface EarlyEvent {
  event: PaywayPurchaseEventType;
  receiptId?: string;
  message?: string;
}

/**
 * The merchant_reference a purchase is placed under: the client's, or, without one (none, "", or
 * only spaces, which a Payway stripping its parameters keeps as ""), the gateway's order id, the
 * only handle a later purchase event gives back for a purchase that went pending.
 */
export function purchaseReference(clientReference: string | undefined, orderId: string): string {
  return clientReference?.trim() ? clientReference : orderId;
}

export class PurchaseIndex {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly options: PurchaseIndexOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Before place_order: the attempt may be the reference's purchase from now on. */
  async begin(reference: string, entry: PurchaseEntry): Promise<void> {
    const attempt: Attempt = { ...entry, placed: false, placingUntil: this.now() + this.options.placingMs };
    await this.update(reference, (attempts) => [...attempts.filter((other) => other.orderId !== entry.orderId), attempt]);
    await this.rememberCut(reference);
  }

  /**
   * The reference whose first 80 characters `cut` is, where an item of Adyen's notification names
   * it (adyen-reference-cut.ts, in any of its writings); null when `cut` is no such cut, when a
   * purchase was placed under `cut` itself (that one is meant), or when several references begin
   * so (no guess). Round fifteen: such an item found no purchase, was acknowledged and dropped,
   * and the purchase Adyen authorised stayed PENDING for good.
   */
  async cutFrom(cut: string): Promise<string | null> {
    const stripped = sameReference(cut);
    if (!mayBeAdyenCut(stripped)) return null;
    if (this.live(await this.attemptsOf(stripped)).length > 0) return null;
    const whole = await this.kv.get(cutKeyOf(stripped));
    return whole === null || whole === SHARED_CUT ? null : whole;
  }

  /**
   * A reference longer than Adyen keeps, under its cut (see cutFrom); another reference with the
   * same cut makes the cut shared for good (setIfAbsent, then a mark that is never undone, so
   * two instances placing at once cannot leave one of the two as the only one). Best effort: a
   * purchase is placed whatever the store says (its Payway events echo the whole reference).
   */
  private async rememberCut(reference: string): Promise<void> {
    const stripped = sameReference(reference);
    // Each writing of its cut (round twenty-eight: code points or UTF-16 units, a pair cut in two).
    for (const cut of adyenCutsOf(stripped)) {
      const key = cutKeyOf(cut);
      try {
        if (await this.kv.setIfAbsent(key, stripped, KEPT_MS)) continue;
        const kept = await this.kv.get(key);
        if (kept !== stripped) await this.kv.set(key, SHARED_CUT, KEPT_MS);
      } catch {
        // Best effort (above).
      }
    }
  }

  /**
   * After a non-error answer: the purchase exists at Payway, named `paywayOrderId` when complete,
   * or announced as `announcedOrderId` by a pending or action_required answer that names it;
   * `price`: the total the answer itself gave (Adyen's amount), for the purchase's events.
   */
  async placed(
    reference: string,
    orderId: string,
    paywayOrderId?: string,
    announcedOrderId?: string,
    awaitingStep = false,
    receiptId?: string,
    price?: Pick<PurchaseEntry, 'total' | 'totalInfos'>,
  ): Promise<void> {
    await this.update(reference, (attempts) =>
      attempts.map((attempt) => {
        if (attempt.orderId !== orderId) return attempt;
        const { placingUntil: _done, ...placed } = attempt;
        // The answer's own price (Adyen's amount) replaces what was known before the call.
        const { totalAsStated: _stated, totalInfos: _said, ...unpriced } = placed;
        const rest = price ? { ...unpriced, total: price.total, ...(price.totalInfos?.length ? { totalInfos: price.totalInfos } : {}) } : placed;
        return {
          ...rest,
          placed: true,
          ...(paywayOrderId ? { paywayOrderId } : {}),
          ...(receiptId ? { receiptId } : {}),
          ...(announcedOrderId && !paywayOrderId ? { announcedOrderId } : {}),
          ...(awaitingStep && !paywayOrderId ? { awaitingStep: true } : {}),
        };
      }),
    );
    if (announcedOrderId && !paywayOrderId) await this.remember(announcedOrderId, reference);
    if (receiptId) await this.rememberReceipt(reference, receiptId);
  }

  /**
   * A later answer (perform_additional_action's pending or action_required) named the attempt's
   * Payway order, as `placed` records it from place_order's.
   */
  async announced(reference: string, orderId: string, announcedOrderId: string): Promise<void> {
    await this.update(reference, (attempts) =>
      attempts.map((attempt) => (attempt.orderId === orderId && !attempt.paywayOrderId ? { ...attempt, announcedOrderId } : attempt)),
    );
    await this.remember(announcedOrderId, reference);
  }

  /**
   * The merchant reference of the attempt a pending or action_required answer announced Payway's
   * order `paywayOrderId` for: an event naming only that order is looked up under it.
   */
  referenceOf(paywayOrderId: string): Promise<string | null> {
    return this.kv.get(orderKeyOf(paywayOrderId));
  }

  /**
   * An event naming only Payway's order `paywayOrderId`, which no answer had announced when it
   * came: it may have overtaken the pending (or action_required) answer that announces it. Kept
   * (the first one) before the event looks for the announcement (referenceOf), as the answer's
   * announcement is recorded before it looks for this (earlyEventOf): one of the two sees the
   * other. Round ten: such an event was parked under Payway's order and applied once the order
   * was stored, without the purchase's payment (an event carries no price): the order showed
   * CAPTURED with nothing captured.
   */
  async early(paywayOrderId: string, event: EarlyEvent): Promise<void> {
    await this.kv.setIfAbsent(earlyKeyOf(paywayOrderId), JSON.stringify(event), KEPT_MS);
  }

  /** The event `early` kept for Payway's order `paywayOrderId`, if any. */
  async earlyEventOf(paywayOrderId: string): Promise<EarlyEvent | undefined> {
    const text = await this.kv.get(earlyKeyOf(paywayOrderId));
    if (!text) return undefined;
    try {
      const kept = JSON.parse(text) as EarlyEvent;
      return PaywayPurchaseEventType.safeParse(kept.event).success ? kept : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * After an error answer: no purchase was made. `refused`: Payway's own refusal, whose failure
   * events may still come (kept for REFUSED_MS, see the header); else the attempt is forgotten.
   */
  abandon(reference: string, orderId: string, refused = false): Promise<void> {
    const refusedUntil = this.now() + (this.options.refusedMs ?? REFUSED_MS);
    return this.update(reference, (attempts) =>
      refused
        ? attempts.map((attempt) => {
            if (attempt.orderId !== orderId) return attempt;
            const { placingUntil: _over, ...rest } = attempt;
            return { ...rest, placed: false, refusedUntil };
          })
        : attempts.filter((attempt) => attempt.orderId !== orderId),
    );
  }

  /**
   * Before perform_additional_action: the shopper's result is on its way to Payway, so the
   * purchase may complete from now on (even if this call's answer is lost). Not best effort: a
   * purchase still marked at its step would lose a success event to another under its reference.
   * Whether the attempt was at its step until now: only then may `atStep` put it back after a
   * refusal (a retry after a lost answer finds it unmarked, and its purchase may have completed).
   */
  async continuing(reference: string, orderId: string): Promise<boolean> {
    let wasAtStep = false;
    const continuingUntil = this.now() + this.options.placingMs;
    await this.update(reference, (attempts) =>
      attempts.map((attempt) => {
        if (attempt.orderId !== orderId) return attempt;
        wasAtStep = attempt.awaitingStep === true;
        const { awaitingStep: _continued, ...rest } = attempt;
        return { ...rest, continuingUntil };
      }),
    );
    return wasAtStep;
  }

  /**
   * After perform_additional_action, once what it answered is recorded (`named`, `announced`):
   * the call is no longer under way, and with `atStep` the purchase is at a 3-D Secure step again
   * (a challenge after the fingerprint), or still at the one it was at (Payway refused the result
   * before it reached Adyen, or the call reached nothing, and `continuing` said this call took the
   * mark: not a retry after a lost answer, which Payway may refuse as a session already used), so
   * the shopper's next result must again go through the gateway before it can complete. Before,
   * `continuing` cleared the mark for good: a purchase abandoned at its challenge, under a reused
   * reference, was a candidate for the next purchase's completion, which then matched two
   * attempts and was parked, its order PENDING. The mark is not set on an attempt Payway already
   * named (its events are its own).
   */
  continued(reference: string, orderId: string, atStep: boolean): Promise<void> {
    return this.update(reference, (attempts) =>
      attempts.map((attempt) => {
        if (attempt.orderId !== orderId) return attempt;
        const { continuingUntil: _answered, ...rest } = attempt;
        return atStep && rest.placed && !rest.paywayOrderId && !rest.ended ? { ...rest, awaitingStep: true } : rest;
      }),
    );
  }

  /**
   * After a lost answer: the purchase may exist; the attempt counts as placed (see the header).
   * `relayed`: the answer was Payway's relayed third-party failure whose outcome is unknown (an
   * Adyen timeout as a 5xx): see `outcomeUnknown`.
   */
  lost(reference: string, orderId: string, relayed = false): Promise<void> {
    return this.update(reference, (attempts) =>
      attempts.map((attempt) => {
        if (attempt.orderId !== orderId || attempt.placed) return attempt;
        const { placingUntil: _unknown, ...rest } = attempt;
        return { ...rest, placed: true, lost: true, ...(relayed ? { outcomeUnknown: true } : {}) };
      }),
    );
  }

  /**
   * A verified event about the attempt's purchase: what it said is kept (the first end only; a
   * purchase ends once), and the Payway order it named becomes the attempt's (a purchase has one
   * Payway order). Named, the attempt is no longer a candidate for another Payway order's event:
   * before, under a reference reused one purchase after another (a campaign code, the seed's own
   * example), every ended purchase stayed a candidate, so the next purchase's event matched
   * several and was parked for ever, its order PENDING. An event naming only the reference names
   * nothing, so its attempt stays a candidate (a redelivery of it must not settle the next one).
   */
  ended(reference: string, orderId: string, observation: ProviderObservation): Promise<void> {
    return this.update(reference, (attempts) =>
      attempts.map((attempt) => {
        if (attempt.orderId !== orderId || attempt.ended) return attempt;
        const paywayOrderId = attempt.paywayOrderId ?? observation.providerOrderId;
        return { ...attempt, ended: observation, ...(paywayOrderId ? { paywayOrderId } : {}) };
      }),
    );
  }

  /**
   * A later answer (perform_additional_action's `complete`) named the attempt's Payway order: as
   * for `ended`, the attempt is that order's and no other order's event is about it.
   */
  async named(reference: string, orderId: string, paywayOrderId: string, receiptId?: string): Promise<void> {
    await this.update(reference, (attempts) =>
      attempts.map((attempt) => (attempt.orderId === orderId && !attempt.paywayOrderId ? { ...attempt, paywayOrderId, ...(receiptId ? { receiptId } : {}) } : attempt)),
    );
    if (receiptId) await this.rememberReceipt(reference, receiptId);
  }

  /**
   * For a creation whose answer was lost: the attempt's entry and what its purchase's event said,
   * or undefined while no event has told (or no such attempt is known).
   */
  async outcome(reference: string, orderId: string): Promise<{ entry: PurchaseEntry; observation: ProviderObservation; paywayOrderId?: string } | undefined> {
    const attempt = this.live(await this.attemptsOf(reference)).find((candidate) => candidate.orderId === orderId && candidate.refusedUntil === undefined);
    if (!attempt?.ended) return undefined;
    const paywayOrderId = attempt.paywayOrderId ?? attempt.ended.providerOrderId;
    return { entry: entryOf(attempt), observation: attempt.ended, ...(paywayOrderId ? { paywayOrderId } : {}) };
  }

  /**
   * The one order whose purchase Payway's order `paywayOrderId` (or an event naming no order)
   * with `reference` can be, for an event of `kind`; null when none or several placed purchases
   * can. Throws (retryable) while that depends on an attempt still under way. An event naming no
   * order but the receipt a `complete` answer gave (`receiptId`) is that purchase's: before, a
   * completed purchase's late order_closed naming only its reference and receipt was taken for
   * the purchase waiting under the reference (CAPTURED with no money moved for it).
   */
  async find(reference: string, paywayOrderId: string | undefined, kind: EventKind, exact = false, receiptId?: string): Promise<PurchaseEntry | null> {
    const attempts = this.live(await this.attemptsOf(reference));
    const named =
      paywayOrderId === undefined
        ? receiptId === undefined
          ? undefined
          : attempts.find((attempt) => attempt.receiptId === receiptId)
        : (attempts.find((attempt) => attempt.paywayOrderId === paywayOrderId) ?? attempts.find((attempt) => attempt.paywayOrderId === undefined && attempt.announcedOrderId === paywayOrderId));
    if (named) return entryOf(named);
    // A completed purchase's receipt whose attempt the index no longer keeps (a campaign code's
    // latest 100 attempts): still that purchase's event, no other's.
    if (paywayOrderId === undefined && receiptId !== undefined && (await receiptRemembered(this.kv, reference, receiptId))) return null;
    // The reference came from the order's id alone (referenceOf), not from the event: only the
    // attempt that announced that order can be meant.
    if (exact) return null;
    const { candidates, doubted } = candidatesOf(attempts, paywayOrderId, kind);
    const [only] = candidates;
    if (only && candidates.length === 1 && !doubted) return entryOf(only);
    if (candidates.some((attempt) => !attempt.placed)) {
      throw new GatewayError('PROVIDER_UNAVAILABLE', 'A purchase with this merchant reference is still being placed; the event is taken once it is known');
    }
    // One being continued may be named by its answer, or be back at its step, in a moment: the
    // event is refused for now (Payway delivers it again) rather than parked for good. Before, an
    // event that came during another purchase's perform_additional_action under the reference
    // matched both and was parked, its order PENDING though the other was told apart a moment later.
    const now = this.now();
    if (candidates.some((attempt) => (attempt.continuingUntil ?? 0) > now)) {
      throw new GatewayError('PROVIDER_UNAVAILABLE', 'A purchase with this merchant reference is being continued; the event is taken once it has answered');
    }
    return null;
  }

  /**
   * The one purchase a failure naming `paywayOrderId` (an order no attempt is named by) or none
   * would be matched to, but for a refused attempt under `reference` that may own it (see the
   * header); undefined otherwise. Its order is told, not failed (observationOfUnplacedFailure).
   */
  async doubtedOwner(reference: string, paywayOrderId: string | undefined): Promise<PurchaseEntry | undefined> {
    const { candidates, doubted } = candidatesOf(this.live(await this.attemptsOf(reference)), paywayOrderId, 'failed');
    const [only] = candidates;
    return doubted && only && candidates.length === 1 && only.placed ? entryOf(only) : undefined;
  }

  /**
   * Whether an event of `kind` naming only `reference` could be about more than one attempt under
   * it (placed purchases without a Payway order id yet, or one of them and a refused attempt):
   * it cannot say which.
   */
  async ambiguous(reference: string, kind: EventKind): Promise<boolean> {
    const { candidates, doubted } = candidatesOf(this.live(await this.attemptsOf(reference)), undefined, kind);
    return candidates.length > 1 || (candidates.length === 1 && doubted);
  }

  /**
   * Whether another purchase under `reference` than `orderId`'s was paid by an answer or an event
   * naming its Payway order (so it is no candidate for a reference-only event, see candidatesOf):
   * Adyen notifies that payment too, naming only the reference, so an AUTHORISATION under it
   * may be that purchase's rather than the one still waiting (round fourteen).
   */
  async paidBeside(reference: string, orderId: string): Promise<boolean> {
    const attempts = this.live(await this.attemptsOf(reference));
    return attempts.some((attempt) => attempt.orderId !== orderId && attempt.paywayOrderId !== undefined && attempt.ended?.status !== 'FAILED');
  }

  /** A `complete` answer's receipt under `reference`, kept as long as the index (see find). */
  private async rememberReceipt(reference: string, receiptId: string): Promise<void> {
    // Best effort: the purchase is complete whatever the store says.
    await this.kv.set(receiptKeyOf(reference, receiptId), '1', KEPT_MS).catch(() => undefined);
  }

  /** Payway's order `paywayOrderId` -> the reference its attempt is kept under (see referenceOf). */
  private async remember(paywayOrderId: string, reference: string): Promise<void> {
    await this.kv.set(orderKeyOf(paywayOrderId), reference, KEPT_MS);
  }

  private async update(reference: string, change: (attempts: Attempt[]) => Attempt[]): Promise<void> {
    const release = await this.lock(reference);
    try {
      const key = keyOf(reference);
      const { attempts: kept, earlierHeld } = await attemptsUnder(this.kv, reference);
      const attempts = keptOf(change(this.live(kept)));
      if (attempts.length) await this.kv.set(key, JSON.stringify({ attempts } satisfies AttemptRecord), KEPT_MS);
      else await this.kv.delete(key);
      // Attempts kept under a key of before round twenty-six are under today's now (purchase-store-earlier.ts).
      for (const earlier of earlierHeld) await this.kv.delete(earlier);
    } finally {
      await release();
    }
  }

  /**
   * Two gateway instances may record attempts under one reference at the same moment; the store
   * has no compare-and-set, so a short lease serialises the read-modify-write. A holder that died
   * loses it after LOCK_MS.
   */
  private async lock(reference: string): Promise<() => Promise<void>> {
    const key = lockOf(reference);
    const token = randomUUID();
    const deadline = this.now() + LOCK_MS * 2;
    while (!(await this.kv.setIfAbsent(key, token, LOCK_MS))) {
      if (this.now() > deadline) throw new GatewayError('PROVIDER_UNAVAILABLE', 'The purchase index is busy');
      await this.sleep(LOCK_WAIT_MS);
    }
    return async () => {
      await this.kv.deleteIfEquals(key, token);
    };
  }

  /**
   * Attempts that still count: placed ones, placing ones within their time, refused ones within
   * theirs; and, as lost, placing ones past their time. Nothing but the death of the instance
   * that placed one (or its store failing after the call) leaves an attempt placing past the
   * provider timeout: the call may have reached Payway, so the purchase may exist, and its event
   * (a pending one's, hours later) must still find it, as after a lost answer. Before, such an
   * attempt stopped counting: its event found no attempt under its own reference, so the
   * purchase was never made known (the retry and the sweep answered "unknown" until the intent
   * ran out), and under a reused reference it matched the next purchase waiting there, which
   * took another purchase's end (CAPTURED or FAILED) as its own.
   */
  private live(attempts: Attempt[]): Attempt[] {
    const now = this.now();
    return attempts.flatMap((attempt) => {
      if (attempt.placed || (attempt.placingUntil ?? 0) > now || (attempt.refusedUntil ?? 0) > now) return [attempt];
      if (attempt.placingUntil === undefined) return [];
      const { placingUntil: _over, ...rest } = attempt;
      return [{ ...rest, placed: true, lost: true }];
    });
  }

  /** `reference`'s attempts, also those kept under a key of before round twenty-six (purchase-store-earlier.ts). */
  private async attemptsOf(reference: string): Promise<Attempt[]> {
    return (await attemptsUnder(this.kv, reference)).attempts;
  }
}
