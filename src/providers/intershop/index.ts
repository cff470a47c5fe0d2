import { createHash } from 'node:crypto';
import type { IntershopConfig } from '../../config.js';
import { GatewayError } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type {
  ContinueCreationInput,
  CreateOrderCommand,
  CreatedOrder,
  CreationAttempt,
  CreationLookup,
  ListedOrder,
  ProviderAdapter,
  ProviderListFilter,
  ReturnUrls,
} from '../../domain/provider-port.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import { isFinal } from '../../domain/status.js';
import type { AdapterContext } from '../context.js';
import { readPastLag } from '../read-lag.js';
import { intershopCapabilities } from './capabilities.js';
import { chainOf, chainStep, readChainLeft } from './chain.js';
import { icmInstant } from './dates.js';
import { loneUnmatched } from './lone-unmatched.js';
import { IntershopClient, type IntershopListedOrders } from './client.js';
import { includedPayments, lastWordUnknown, listedObservation, orderObservation, readFromListOnly, totalsOf, withoutPspUrl } from './mapping.js';
import { checkIntershopCreate, continueRequest, redirectUrlsRequest } from './request.js';
import { IntershopCreationStatus, IntershopListedOrderData, IntershopListedOrderRef, IntershopOrderData, type IntershopOrderDocument, type IntershopPaymentsDocument } from './wire.js';

/**
 * How long an order stays re-read while its buyer is at the PSP. A PSP notification can finish
 * the order at ICM without the shop ever continuing (the buyer closed the tab); ICM tells nobody,
 * so the gateway looks. An abandoned checkout stops being read after this.
 */
export const REDIRECT_WATCH_MS = 60 * 60 * 1000;
/**
 * How long an order waiting_for_pending_payments stays re-read. Only the PSP's notification
 * settles it (seed §3.2.4); a PSP that never sends one must not keep the gateway polling forever.
 * Asynchronous methods (bank transfer, pay later) settle within hours, so a day covers them.
 */
export const PENDING_WATCH_MS = 24 * 60 * 60 * 1000;
/** How long the gateway tries to complete a fact it only has from a listing (one full read). */
export const LISTED_READ_MS = 60 * 60 * 1000;

/**
 * How long the gateway remembers that it sent an order to the PSP's page (see sentToPsp): a
 * listing without the chain cannot tell that stop from the one before the URLs.
 */
const SENT_TO_PSP_MS = 7 * 24 * 60 * 60 * 1000;

/** How long before the call an order found for a lost creation may have been made (ICM's clock against ours). */
const LOST_CREATION_WINDOW_MS = 5 * 60 * 1000;
/**
 * How long after its call a creation may be missing from GET /orders though ICM made it: seed §2.3
 * promises nothing of when the list shows a new order, and a list served by another node (or a
 * search index) lags the writes by a moment. Not found sooner, the list is asked once more when
 * this has passed (findCreated).
 */
const LISTING_LAG_MS = 1500;
/** How many list entries without their basket a lost creation's search reads one by one (newest first). */
const MAX_THIN_READS = 20;
/** How many list entries without their creationDate one listing reads one by one (newest first). */
const MAX_LISTED_READS = 50;
/** How many list entries without a readable total one listing reads the payments resource for (newest first). */
const MAX_LISTED_RESOURCE_READS = 50;
/** The farthest any zone's wall clock is from UTC (UTC+14): a date without a zone may be that far off. */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;
/**
 * The waits before each read again of a read that completes ICM's own answer while it is not there
 * yet or behind that answer (see readCaughtUp): a few hundred ms of lag between a node's write and
 * another's read. Four reads at most, 250 ms apart.
 */
const CATCH_UP_WAITS_MS = [250, 250, 250];

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface IntershopAdapterOptions {
  /** Clock for the polling windows (REDIRECT_WATCH_MS, PENDING_WATCH_MS). Default the system clock. */
  now?: () => Date;
}

/** Intershop ICM's order creation chain in the gateway's terms (seed intershop-icm-order-rest-v1.txt, CONTRACT §7-§8). */
export function createIntershopAdapter(config: IntershopConfig, context: AdapterContext, options: IntershopAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? (() => new Date());
  const client = new IntershopClient({ url: config.url, timeoutMs: context.timeoutMs, ...(config.authToken ? { authToken: config.authToken } : {}) });

  /**
   * The order exists at ICM once POST /orders answered: a failing follow-up PATCH must not lose it.
   * A PATCH whose answer was lost (PROVIDER_UNAVAILABLE: reset, 5xx, timeout) may have been taken,
   * and ICM then waits at the PSP's page, which only a PATCH answer shows (a read may carry no
   * chain): it is sent once more, which seed §2.2's end makes harmless (a CONTINUE after the chain
   * went on answers its state, "not harmed or restarted"). When ICM refuses it, or the second is
   * lost too, the client is told the first stop (redirect_urls_required) and continues itself.
   */
  async function continueWithUrls(document: IntershopOrderDocument, returnUrls: ReturnUrls | undefined): Promise<IntershopOrderDocument> {
    const chain = chainOf(document.data, includedPayments(document.data, document.included));
    const stop = 'creation' in chain ? chain.creation.stopAction : undefined;
    if (!returnUrls || stop?.exitReason !== 'redirect_urls_required') return document;
    const request = redirectUrlsRequest(returnUrls, 'input.returnUrls');
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      try {
        return await whereItStopped(await client.continueOrder(document.data.id, request), 0);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        if (error.code !== 'PROVIDER_UNAVAILABLE') return (await readPast(document.data.id, 0, false)) ?? document;
      }
    }
    return document;
  }

  /**
   * GET /orders/{id} right after ICM answered a POST or PATCH about that order, asked again (after
   * each of `waitsMs`, read-lag.ts readPastLag) while it answers 404 or `behindAnswer` says it is
   * behind: ICM's own answer says the order is there and where it is, so such a read is a node that
   * has not seen the change yet (seed §2.3 promises nothing of when a read shows a write). Before,
   * the first read was taken: a create answered `CONTINUE` kept no stop (its return URLs never
   * sent), and a COMPLETED answer without `included` took its payments' words from before the PSP
   * (a captured order AUTHORIZED for good). The last read is answered, whatever it says (null for 404).
   */
  function readCaughtUp(orderId: string, behindAnswer: (read: IntershopOrderDocument) => boolean, waitsMs: readonly number[] = CATCH_UP_WAITS_MS): Promise<IntershopOrderDocument | null> {
    return readPastLag(() => client.getOrder(orderId), (read) => read === null || behindAnswer(read), waitsMs);
  }

  /**
   * A POST or PATCH answer whose chain says no state (`"status": "CONTINUE"`, the request's own word, while
   * ICM goes on; or another word no answer shows) is followed by one read of the order, which is
   * taken when it says where the chain is: its own `orderCreation` with a known word, or a final
   * statusCode. Otherwise the answer stands (the order keeps its status with an Info and is re-read
   * for a while). Before, the client was answered the stop before, with an unknown-word Info, until
   * the poller read the order. `fromStep`: the chain step (chain.ts chainStep) the PATCH was sent
   * at; a read still there (or before) is asked again (readCaughtUp), as one that has not seen the
   * PATCH yet, and the last read is taken all the same (a PSP's second Redirect stays at its step).
   */
  async function whereItStopped(answer: IntershopOrderDocument, fromStep?: number, sentToPspPage = false): Promise<IntershopOrderDocument> {
    const chain = chainOf(answer.data, includedPayments(answer.data, answer.included));
    if ('creation' in chain && IntershopCreationStatus.safeParse(chain.creation.status).success) return answer;
    if ('stoppedForShop' in chain) return answer;
    try {
      const stillThere = (read: IntershopOrderDocument) => {
        const step = chainStep(chainOf(read.data, includedPayments(read.data, read.included), sentToPspPage));
        return fromStep !== undefined && step !== undefined && step <= fromStep;
      };
      const read = await readCaughtUp(answer.data.id, stillThere);
      if (!read) return answer;
      const readChain = chainOf(read.data, includedPayments(read.data, read.included));
      const said = 'creation' in readChain && IntershopCreationStatus.safeParse(readChain.creation.status).success;
      return said && (read.data.orderCreation !== undefined || chainStep(readChain) === 4) ? read : answer;
    } catch (error) {
      if (error instanceof GatewayError) return answer;
      throw error;
    }
  }

  /**
   * The order as a read shows it, when that is past `step` of the chain (chain.ts chainStep);
   * otherwise null (also when the read fails). For a CONTINUE that ICM refused (a 4xx): seed §2.2
   * only promises a harmless CONTINUE once the chain is over, so an ICM may refuse one that answers
   * a stop it has already left (a retry after a lost answer: the URLs are set, the PSP answered).
   * The step was taken then, and the order is where the read says (before, the client was told
   * PROVIDER_REJECTED, or the first stop again, and the order stayed at a stop ICM had left).
   * A read not past the step is asked again (readCaughtUp): the refusal says ICM is elsewhere, and
   * a read from a node that has not seen the lost PATCH yet would otherwise refuse the client a
   * step ICM took (one refused for another reason costs those reads, under a second).
   */
  async function readPast(orderId: string, step: number | undefined, sentToPspPage: boolean): Promise<IntershopOrderDocument | null> {
    if (step === undefined) return null;
    const past = (read: IntershopOrderDocument) => {
      const readStep = chainStep(chainOf(read.data, includedPayments(read.data, read.included), sentToPspPage));
      return readStep !== undefined && readStep > step;
    };
    try {
      const read = await readCaughtUp(orderId, (one) => !past(one));
      return read && past(read) ? read : null;
    } catch (error) {
      if (error instanceof GatewayError) return null;
      throw error;
    }
  }

  /**
   * Seed §3.2.3/§3.2.4 show PATCH answers without `included`, so without the payments' status
   * words: a COMPLETED chain would then read as unpaid (PENDING).
   * Seed §2.3: GET /orders/{id} answers the order "together with the requested includes", so an
   * answer that names payments it does not include is completed by that read (when it fails, the
   * answer stands as it is).
   */
  async function withPaymentWords(document: IntershopOrderDocument): Promise<IntershopOrderDocument> {
    const completed = await completedWithWords(document);
    // A COMPLETED answer whose payments' words came from no read, or from one still behind it: the
    // words are from before the PSP (or none), so the order is read again (see wordsBehind).
    const answered = chainOf(document.data, includedPayments(document.data, document.included));
    if (completed.behind && 'creation' in answered && answered.creation.status === 'COMPLETED') wordsBehind.add(completed.document);
    return completed.document;
  }

  /**
   * The documents withPaymentWords completed with payment words from before the answer (a read
   * behind it for longer than readCaughtUp asks, or none): their facts carry `intershopWordsBehind`
   * (marked), and such an order is read again (needsReconciliation). Before, a COMPLETED answer
   * without `included` from an ICM whose reads lag more than a second kept the words of a read
   * from before the PSP: a captured order AUTHORIZED for good (a placed order is not re-read).
   */
  const wordsBehind = new WeakSet<IntershopOrderDocument>();
  const marked = (document: IntershopOrderDocument, observation: ProviderObservation): ProviderObservation =>
    wordsBehind.has(document) ? { ...observation, providerData: { ...observation.providerData, intershopWordsBehind: true } } : observation;

  /** withPaymentWords' work; `behind`: the words are not from a read that caught up with the answer. */
  async function completedWithWords(document: IntershopOrderDocument): Promise<{ document: IntershopOrderDocument; behind: boolean }> {
    const included = document.included?.payments;
    // An answer that names no payments at all (§2.2's PATCH answer elides all but `orderCreation`)
    // is read too: before, a COMPLETED one kept no payment word (AUTHORIZED, its payment PENDING,
    // for good, whatever ICM's word was). So is one that names an empty list: every ICM order is
    // paid by at least its open tender (§3.1), so `"payments": []` is a list the answer did not
    // fill in (a Java DTO's empty default); before, a COMPLETED one was AUTHORIZED with no payment
    // word, a captured order for good.
    const named = document.data.payments;
    if (named?.length && named.every((id) => included?.[id])) return { document, behind: false };
    try {
      // A read behind the answer is asked again: by its own chain, or, without one, when its
      // statusCode is not the answer's (an ICM that keeps PENDING after COMPLETED, §3.2.4, has
      // reads that look behind for good). A rolled-back order's payments are voided whatever their
      // words: read once (ICM may have removed it, seed §3.2.5 "the basket restored").
      const answered = chainOf(document.data, includedPayments(document.data, document.included));
      const over = 'creation' in answered && answered.creation.status === 'ROLLED_BACK';
      const lagging = (one: IntershopOrderDocument) => behind(one, document) && (one.data.orderCreation !== undefined || (codeOf(document) !== undefined && codeOf(one) !== codeOf(document)));
      const read = await readCaughtUp(document.data.id, lagging, over ? [] : CATCH_UP_WAITS_MS);
      if (!read) return { document, behind: true };
      // A GET without the chain (chain.ts), or one behind the answer it completes (served by a node
      // that has not seen the PATCH yet: it would send the buyer back a step): the answer's chain
      // stands (the PSP's URL is only there), the read adds the payments.
      // A read at the PSP's page without its URL (mapping.ts withoutPspUrl) does not stand for an
      // answer that has the URL: the answer's chain stands.
      const urlless = (one: IntershopOrderDocument) => {
        const chain = chainOf(one.data, includedPayments(one.data, one.included));
        return 'creation' in chain && withoutPspUrl(chain.creation);
      };
      const loses = urlless(read) && !urlless(document);
      if (!document.data.orderCreation || (read.data.orderCreation && !behind(read, document) && !loses)) return { document: read, behind: lagging(read) };
      const merged: IntershopOrderDocument = {
        ...read,
        data: { ...read.data, orderCreation: document.data.orderCreation, ...(document.data.statusCode !== undefined ? { statusCode: document.data.statusCode } : {}) },
        ...(document.infos ? { infos: document.infos } : {}),
      };
      return { document: merged, behind: lagging(read) };
    } catch (error) {
      if (error instanceof GatewayError) return { document, behind: true };
      throw error;
    }
  }

  /**
   * The payments resource (method display names, amounts) for an answer about the order. It only
   * adds detail: when it cannot be read, the order's own document still counts (a create, a
   * continue or a reconcile does not fail for it), and a later read fills it in (its fact is keyed
   * apart, see mapping.ts observationKey).
   */
  async function paymentsOrNone(orderId: string): Promise<IntershopPaymentsDocument | undefined> {
    try {
      return await client.getPayments(orderId);
    } catch (error) {
      if (error instanceof GatewayError) return undefined;
      throw error;
    }
  }

  /**
   * Whether the order had reached the PSP before this answer (at its page, or ICM waiting on its
   * notification): a COMPLETED chain then is the PSP's yes, whatever payment word from before it an
   * answer still carries (mapping.ts withoutStaleWords).
   */
  const afterPsp = (order: Order): boolean => {
    const stop = order.creation.stopAction;
    return stop?.type === 'REDIRECT' || (stop?.type === 'WORKFLOW' && stop.reason === 'waiting_for_pending_payments');
  };

  /**
   * Seed §2.3 shows no list entry: one without `orderCreation`, its payment still "Unprocessed"
   * (the word §2.2 shows before the URLs; an ICM may keep it until the PSP answers), reads as
   * waiting for the URLs. For an order the gateway itself sent to the PSP's page that is no way
   * back: such orders are noted (shared by every instance) when an answer stops at the Redirect,
   * and a listing reads them as past the URLs (chain.ts). Best effort: a note that cannot be
   * written or read leaves the listing as it was.
   */
  const sentToPspKey = (providerOrderId: string) => `intershop:sent-to-psp:${providerOrderId}`;
  async function noteSentToPsp(observation: ProviderObservation): Promise<void> {
    if (observation.creation?.stopAction?.type !== 'REDIRECT' || !observation.providerOrderId) return;
    await context.kv.set(sentToPspKey(observation.providerOrderId), '1', SENT_TO_PSP_MS).catch(() => undefined);
  }
  /** The observation, once noted (noteSentToPsp). */
  async function noted(observation: ProviderObservation): Promise<ProviderObservation> {
    await noteSentToPsp(observation);
    return observation;
  }
  async function sentToPsp(data: IntershopListedOrderData): Promise<boolean> {
    // Only a chainless PENDING entry is read by its payment words (chain.ts); nothing else is looked up.
    if (data.orderCreation || data.statusCode?.trim().toUpperCase() !== 'PENDING') return false;
    return (await context.kv.get(sentToPspKey(data.id)).catch(() => null)) !== null;
  }

  /**
   * The orders of `basket` among list entries that do not say their basket, each read (GET
   * /orders/{id}), newest first (seed §2.3's order): reading stops at the order of the basket, or at
   * the first order made before the call; at most MAX_THIN_READS are read, and when that is not far enough back the
   * gateway cannot tell (PROVIDER_UNAVAILABLE: the creation stays unknown, nothing is sent again)
   * rather than saying the call made nothing.
   */
  async function thinMatches(
    refs: { ref: { id: string; creationDate?: string | number | undefined }; entry: unknown }[],
    basket: string,
    recent: (date: string | number | undefined) => boolean,
  ): Promise<{ ref: { id: string }; entry: unknown }[]> {
    let read = 0;
    for (const { ref } of refs) {
      if (ref.creationDate !== undefined && !recent(ref.creationDate)) return [];
      if (read === MAX_THIN_READS) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists orders without their basket, more than the gateway reads one by one');
      read += 1;
      const document = await client.getOrder(ref.id);
      // Listed but not found (a node that has not seen the create yet): it may be the one, so the
      // gateway cannot tell yet rather than saying the call made nothing.
      if (!document) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists an order it does not find yet');
      if (!recent(document.data.creationDate)) return [];
      // ICM takes a basket once (a rolled-back order's restored basket aside): the first is the one.
      if (document.data.basket === basket && !rolledBack(document.data, document.included)) return [{ ref: { id: ref.id }, entry: document.data }];
    }
    return [];
  }

  /**
   * The list's entries, each with the `included` its figures are read with. Seed §2.3 shows no
   * entry, and a list of `{id}` (or of ids) is faithful: an entry without its `creationDate` is
   * read itself (GET /orders/{id}, "the details of the single order"), newest first, for up to
   * MAX_LISTED_READS entries per listing; the rest are skipped as before (before, every entry of
   * such a list was skipped, and no order made outside the gateway was ever listed). A read that
   * fails leaves the entry as it was (skipped). So is an entry naming a payment id another entry
   * names too (see includedFor), within the same budget; beyond it such an entry is read without
   * the list's `included`.
   */
  async function withOrdersRead(list: IntershopListedOrders): Promise<{ entry: unknown; included: IntershopListedOrders['included'] }[]> {
    const rows: { entry: unknown; included: IntershopListedOrders['included'] }[] = [];
    const shared = sharedPaymentIds(list.data);
    let reads = 0;
    for (const entry of list.data) {
      const ref = IntershopListedOrderRef.safeParse(entry);
      const own = includedFor(entry, list.included, shared);
      if (!ref.success || (ref.data.creationDate !== undefined && own === list.included) || reads >= MAX_LISTED_READS) {
        rows.push({ entry, included: own });
        continue;
      }
      reads += 1;
      const read = await client.getOrder(ref.data.id).catch((error: unknown) => {
        if (error instanceof GatewayError) return null;
        throw error;
      });
      rows.push(read ? { entry: read.data, included: read.included } : { entry, included: own });
    }
    return rows;
  }

  /** findCreated's one look at the list (see findCreated). */
  async function findListed(attempt: CreationAttempt): Promise<CreatedOrder | null> {
    const basket = attempt.lookup.basket;
    if (typeof basket !== 'string') return null;
    const earliest = attempt.since.getTime() - LOST_CREATION_WINDOW_MS;
    const list = await client.listOrders();
    // No list to look in: the creation's outcome cannot be told (never "absent": that would create again).
    if (list.unlisted) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop has no order list to find the order in');
    const recent = (date: string | number | undefined): boolean => {
      const created = icmInstant(date);
      return !created || created.ms + (created.zoned ? 0 : MAX_ZONE_OFFSET_MS) >= earliest;
    };
    const refs = readEachEntry('INTERSHOP', list.data, (entry) => ({ ref: IntershopListedOrderRef.parse(entry), entry }));
    const shared = sharedPaymentIds(list.data);
    const matches = refs.filter(({ ref, entry }) => ref.basket === basket && recent(ref.creationDate) && !rolledBack(entry, includedFor(entry, list.included, shared)));
    if (!matches.length) matches.push(...(await thinMatches(refs.filter(({ ref }) => ref.basket === undefined), basket, recent)));
    const [only, ...others] = [...new Map(matches.map((match) => [match.ref.id, match])).values()];
    if (others.length) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop shows several orders of one basket');
    if (!only) return null;
    const read = await client.getOrder(only.ref.id);
    // Listed but not found: a node that has not seen the create yet. The order is there (the list
    // says so), so the creation is not "absent" (before, a retry then POSTed the basket again).
    if (!read) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists the order but does not find it yet');
    // The create asked for the PSP's page (returnUrls): the order found is given them, as the first attempt would have.
    const document = await withPaymentWords(await continueWithUrls(read, returnUrlsOf(attempt.lookup)));
    // The total from the order's own answer when it has totals, else from a list entry that has them, else the payments.
    const listed = IntershopOrderData.safeParse(only.entry);
    const fromList = !document.data.totals && listed.success && listed.data.totals;
    const payments = await paymentsOrNone(only.ref.id);
    return {
      providerOrderId: only.ref.id,
      ...(attempt.reference ? { reference: attempt.reference } : {}),
      ...totalsOf(fromList ? listed.data : document.data, fromList ? includedFor(only.entry, list.included, shared) : document.included, payments),
      observation: await noted(marked(document, orderObservation(document, payments))),
    };
  }

  /** How long ago the order last changed, by the adapter's clock. */
  const idleMs = (order: Order): number => now().getTime() - Date.parse(order.updatedAt);

  return {
    provider: 'INTERSHOP',
    capabilities: intershopCapabilities,

    validateCreate(command) {
      checkIntershopCreate(command);
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const options = checkIntershopCreate(command);
      const created = await client.createOrder(options.basketId, options.termsAndConditionsAccepted);
      const document = await withPaymentWords(await continueWithUrls(await whereItStopped(created), command.returnUrls));
      const payments = await paymentsOrNone(document.data.id);
      const observation = marked(document, orderObservation(document, payments));
      await noteSentToPsp(observation);
      return {
        providerOrderId: document.data.id,
        ...(command.reference ? { reference: command.reference } : {}),
        // The POST answer has the totals; the PATCH answer does not (seed §3.2.3). A POST answer
        // without totals or includes takes the payments from the order's read, or the payments resource.
        ...totalsOf(created.data, created.included ?? document.included, payments),
        observation,
      };
    },

    /**
     * The basket finds the order (findCreated); the return URLs, when the client gave them, let
     * the order found be sent on to the PSP's page as the lost answer would have been.
     */
    creationLookup: (command) => ({ basket: checkIntershopCreate(command).basketId, ...returnUrlsLookup(command.returnUrls) }),

    /**
     * The order a lost creation made: ICM makes one order of one basket (a second POST with it is
     * refused, the basket is taken), so it is the order of the user's list (seed §2.3) whose
     * `basket` is ours, made since shortly before the call; then read whole, as a create answers.
     * Entries without `basket` (seed §2.3 shows no entry: a list of `{id}` alone is faithful) are
     * read one by one, newest first, as far back as the call (thinMatches); before, such a list
     * found nothing, and once the call had settled the sweep took the order ICM made as never made.
     * - A creationDate without a zone (every seed date has one) is ICM's own wall clock, whose zone
     *   the gateway does not know: it counts if it is that recent in any zone.
     * - A rolled-back order "restores the basket" (seed §3.2.5), which may then be ordered again:
     *   the rolled-back order of the same basket is not the one the lost call made.
     */
    async findCreated(attempt: CreationAttempt): Promise<CreatedOrder | null> {
      // Not listed (yet): asked once more once a list that lags ICM's writes must show it. Before, a
      // POST that ICM answered with a 500 of its own after placing the order (the gateway takes such
      // an answer as done with the request) was "surely absent" to a retry made at once: the basket
      // was POSTed again, ICM refused it (the basket is taken), and the client was told
      // PROVIDER_REJECTED for an order whose money ICM holds.
      const found = await findListed(attempt);
      const wait = attempt.since.getTime() + LISTING_LAG_MS - Date.now();
      if (found || wait <= 0) return found;
      await pause(wait);
      return findListed(attempt);
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      const request = continueRequest(order, input);
      if (!order.providerOrderId) throw new Error('an Intershop order always has its ICM id');
      const providerOrderId = order.providerOrderId;
      const answer = await client.continueOrder(providerOrderId, request).catch(async (error: unknown) => {
        if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
        const read = await readPast(providerOrderId, orderStep(order), afterPsp(order));
        if (!read) throw error;
        return read;
      });
      const document = await withPaymentWords(await whereItStopped(answer, orderStep(order), afterPsp(order)));
      const observation = knownPaymentIds(order, anotherRedirect(order, marked(document, orderObservation(document, await paymentsOrNone(order.providerOrderId), order.seenKeys, afterPsp(order)))));
      await noteSentToPsp(observation);
      return observation;
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      const answered = await client.getOrder(order.providerOrderId);
      if (!answered) return null;
      const left = readChainLeft(answered.data, includedPayments(answered.data, answered.included));
      const document = left ? { ...answered, data: withoutChain(answered.data) } : answered;
      // The chain only goes forward: a read at an earlier step than the gateway already saw (served
      // by a node that has not seen the latest PATCH yet) says nothing new; the order is read again later.
      if (stepBehind(chainStep(chainOf(document.data, includedPayments(document.data, document.included), afterPsp(order))), orderStep(order))) return null;
      return knownPaymentIds(order, leftPsp(orderObservation(document, await paymentsOrNone(order.providerOrderId), order.seenKeys, afterPsp(order)), left));
    },

    /**
     * Re-read while ICM may still change the order without telling anyone:
     * - its latest fact came from a listing (no infos, no payments resource): one read of the
     *   order completes it, final or not (within LISTED_READ_MS);
     * - at the PSP (STOPPED Redirect): within REDIRECT_WATCH_MS;
     * - waiting_for_pending_payments, or COMPLETED with its payment not reserved: within PENDING_WATCH_MS;
     * - ICM's latest answer had a word the gateway does not know (seed §2.2: the chain "may stop
     *   for another reason"; the order kept its status, the client cannot continue it): within
     *   REDIRECT_WATCH_MS, so that ICM going on by itself (to the PSP's page, to COMPLETED) is seen.
     * Nothing else: redirect_urls_required waits on the client, recurring.order on nobody.
     */
    needsReconciliation(order: Order): boolean {
      if (!order.providerOrderId) return false;
      if (readFromListOnly(order.providerData)) return idleMs(order) < LISTED_READ_MS;
      // Its payments' words from a read behind ICM's COMPLETED answer (see wordsBehind): read again, within the same hour.
      if (order.providerData.intershopWordsBehind === true) return idleMs(order) < LISTED_READ_MS;
      if (lastWordUnknown(order.providerData) && !isFinal(order.status)) return idleMs(order) < REDIRECT_WATCH_MS;
      // Placed without the PSP, its payment not reserved (an invoice, cash on delivery): ICM may
      // still write the payment's word (status.ts completedStatus), so it is read for a while.
      if (order.creation.status === 'COMPLETED' && order.status === 'PENDING') return idleMs(order) < PENDING_WATCH_MS;
      if (isFinal(order.status) || order.creation.status !== 'STOPPED') return false;
      const stop = order.creation.stopAction;
      if (stop?.type === 'REDIRECT') return idleMs(order) < REDIRECT_WATCH_MS;
      if (stop?.type === 'WORKFLOW' && stop.reason === 'waiting_for_pending_payments') return idleMs(order) < PENDING_WATCH_MS;
      return false;
    },

    /**
     * A listed entry naming the order's payment by another id than the order has it by (seed §2.2's
     * `lgAKAB2_...` beside §3.2.3's `open-tender`, see knownPaymentIds) is left to the order's own
     * read (fetchOrder keeps the order's id; `order(id)` reads through). The listing has no known
     * order to rename it by, and recorded, the entry's payment was merged in as a second one: an
     * order captured at ICM showed twice its total captured.
     */
    refreshesFromListing(known: Order, entry: ListedOrder): boolean {
      return knownPaymentIds(known, entry.observation) === entry.observation;
    },

    async listOrders(filter: ProviderListFilter): Promise<ListedOrder[]> {
      const list = await client.listOrders();
      // Seed §2.3 describes the list in prose only: an ICM without it (404 / 405) lists nothing, and
      // `orders` answers the gateway's own orders (before, `orders` for INTERSHOP failed as a whole).
      if (list.unlisted) return [];
      const seen = new Set<string>();
      const full = await withOrdersRead(list);
      // Each entry on its own: one ICM cannot read (a field missing, a date that is none) is skipped and reported.
      const entries = full.flatMap(({ entry, included }) =>
        readEachEntry('INTERSHOP', [entry], (one) => {
          const data = IntershopListedOrderData.parse(one);
          const created = icmInstant(data.creationDate);
          if (!created) throw new Error('unreachable: IntershopListedOrderData checks the date');
          return { data, included, createdAt: new Date(created.ms).toISOString() };
        }),
      );
      const looked = await Promise.all(entries.map(async ({ data }) => ((await sentToPsp(data)) ? [data.id] : [])));
      const past = new Set(looked.flat());
      const wanted = entries
        .filter(({ data }) => {
          // Pages are read one after another while orders come in on top: one may show up twice.
          if (seen.has(data.id)) return false;
          seen.add(data.id);
          return true;
        })
        .filter(({ createdAt }) => inRange(createdAt.slice(0, 10), filter));
      const listed: ListedOrder[] = [];
      let resourceReads = 0;
      for (const { data, included, createdAt } of wanted) {
        // An entry with neither totals nor included payments (the seed elides totals; an ICM may
        // honour `include` on no list) has its amounts only in the payments resource (seed §3.1):
        // read for a bounded number of entries, the rest skipped as before (before, every entry
        // of such an ICM was skipped, and no order made elsewhere was ever listed).
        const needsResource = !hasTotal(data, included) && resourceReads < MAX_LISTED_RESOURCE_READS;
        if (needsResource) resourceReads += 1;
        const payments = needsResource ? await paymentsOrNone(data.id) : undefined;
        listed.push(
          ...readEachEntry('INTERSHOP', [data], (one) => {
            const left = readChainLeft(one, includedPayments(one, included));
            const observation = leftPsp(listedObservation(left ? withoutChain(one) : one, included, past.has(one.id)), left);
            return { providerOrderId: one.id, createdAt, status: observation.status, observation, ...totalsOf(one, included, payments) };
          }),
        );
      }
      return listed;
    },
  };
}

/**
 * The answer to a continue that stops at the PSP's page again, with another URL than the order's
 * (seed §2.2: the chain "may stop for another reason"; a PSP may want a second visit, a 3-D Secure
 * step, after the buyer's first return): a new stop, though its words are the first one's. A fact's
 * key is the chain's words (mapping.ts stateKey), so once the first stop was read (its answer, a
 * re-read) the second was "already applied" and the client kept the old URL; such an answer is
 * keyed by its URL as well. Only a continue's answer: a re-read of the same stop whose URL ICM
 * writes anew each time (session ids) must not be news every time.
 */
function anotherRedirect(order: Order, observation: ProviderObservation): ProviderObservation {
  const stop = observation.creation?.stopAction;
  if (stop?.type !== 'REDIRECT' || !stop.redirectUrl || !order.seenKeys.includes(observation.key)) return observation;
  const previous = order.creation.stopAction;
  if (previous?.type === 'REDIRECT' && previous.redirectUrl === stop.redirectUrl) return observation;
  return { ...observation, key: `${observation.key}:redirect:${createHash('sha256').update(stop.redirectUrl).digest('hex').slice(0, 16)}` };
}

/**
 * The observation's payments under the ids the order already has them by. Seed §2.2's POST answer
 * names the open tender by an id (`lgAKAB2_...`), §3.2.3's and §3.2.4's PATCH answers name it
 * `open-tender`: an ICM may do both for one order. Payments merge by id (a payment's status never
 * moves back), so before, such an order gained a second payment of the full amount beside the
 * first, which stayed PENDING for good: its payments added up to twice its total. When exactly one
 * payment of the answer is new to the order and exactly one of the order's is not in the answer,
 * with the same amount, they are the same payment (lone-unmatched.ts, as mapping.ts resourceEntries
 * matches the payments resource's), and it keeps the id the gateway shows.
 */
function knownPaymentIds(order: Order, observation: ProviderObservation): ProviderObservation {
  const payments = observation.payments;
  if (!payments?.length || !order.payments.length) return observation;
  const idOf = (payment: { id: string }) => payment.id;
  const pair = loneUnmatched(payments, idOf, order.payments, idOf);
  if (!pair) return observation;
  const [renamed, kept] = pair;
  // Both sides carry an amount here (the payments resource's side does not in resourceEntries):
  // a payment of another amount is another payment.
  if (renamed.amount.currency !== kept.amount.currency || renamed.amount.minor !== kept.amount.minor) return observation;
  return { ...observation, payments: payments.map((payment) => (payment === renamed ? { ...payment, id: kept.id } : payment)) };
}

/**
 * The payment ids that more than one list entry names. A list carries one `included` for all its
 * orders, keyed by payment id, and seed §3.2.3 names an order's open tender `open-tender`: an ICM
 * that names every order's so (or reuses any id) has one `included.payments` entry for all of
 * them, some other order's.
 */
function sharedPaymentIds(entries: readonly unknown[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const entry of entries) {
    const data = IntershopOrderData.safeParse(entry);
    for (const id of new Set(data.success ? (data.data.payments ?? []) : [])) {
      if (seen.has(id)) shared.add(id);
      seen.add(id);
    }
  }
  return shared;
}

/**
 * The list's `included` as one entry reads it: without its `payments` when the entry names a
 * payment id another entry names too (sharedPaymentIds). Before, such an entry took another
 * order's payment, word and amount: an authorized order listed beside a captured one was CAPTURED
 * with the other's amount, and an order made elsewhere was adopted with another's total.
 */
function includedFor(entry: unknown, included: IntershopListedOrders['included'], shared: ReadonlySet<string>): IntershopListedOrders['included'] {
  if (!included?.payments || !shared.size) return included;
  const data = IntershopOrderData.safeParse(entry);
  if (!data.success || !(data.data.payments ?? []).some((id) => shared.has(id))) return included;
  const { payments: _ambiguous, ...rest } = included;
  return rest;
}

/** Whether a list entry's total can be read from the listing alone (mapping.ts totalsOf). */
function hasTotal(data: IntershopOrderData, included: IntershopListedOrders['included']): boolean {
  try {
    totalsOf(data, included);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a list entry is an order ICM rolled back (its basket restored); an entry it cannot tell
 * of is not. Its payments count (chain.ts: a voided open tender beside statusCode PENDING is a
 * rollback), so that a rolled-back order an ICM leaves PENDING is not taken for the basket's new one.
 */
function rolledBack(entry: unknown, included: IntershopListedOrders['included']): boolean {
  const data = IntershopOrderData.safeParse(entry);
  if (!data.success) return false;
  // A read: a STOPPED chain its voided payments say it has left is read without it (chain.ts
  // readChainLeft). Before, an ICM whose reads keep the last answered chain showed the declined
  // order at the PSP page, and a lost creation of the restored basket found two orders for good.
  const payments = includedPayments(data.data, included);
  const chain = chainOf(readChainLeft(data.data, payments) ? withoutChain(data.data) : data.data, payments);
  return 'creation' in chain && chain.creation.status === 'ROLLED_BACK';
}

/** A read's order without the chain it has left (chain.ts readChainLeft): chainOf then reads its statusCode and payments. */
function withoutChain<T extends IntershopOrderData>(data: T): T {
  const { orderCreation: _left, ...rest } = data;
  return rest as T;
}

/**
 * A fact from a read whose chain the order had left (`left`), marked: read as waiting on the PSP's
 * notification, such an order may still have its buyer come back from the PSP's page, whose return
 * is then still sent (request.ts waitingFor; ICM answers it with the chain's state, seed §2.2's
 * end). Before that mark the return was INVALID_STATE, and an ICM whose reads keep the PSP page's
 * chain left the order PENDING until its watch ended, though ICM had placed it.
 */
function leftPsp(observation: ProviderObservation, left: boolean): ProviderObservation {
  return left ? { ...observation, providerData: { ...observation.providerData, intershopChainLeftByRead: true } } : observation;
}

/** A document's statusCode as compared (letter case and spaces aside); undefined when it has none. */
function codeOf(document: IntershopOrderDocument): string | undefined {
  return document.data.statusCode?.trim().toUpperCase();
}

/** Whether `read` is an earlier step of the chain than `answer` (chain.ts chainStep). */
function behind(read: IntershopOrderDocument, answer: IntershopOrderDocument): boolean {
  const step = (document: IntershopOrderDocument) => chainStep(chainOf(document.data, includedPayments(document.data, document.included)));
  return stepBehind(step(read), step(answer));
}

function stepBehind(step: number | undefined, than: number | undefined): boolean {
  return step !== undefined && than !== undefined && step < than;
}

/** The order's chain step as the gateway last recorded it, on chain.ts chainStep's scale. */
function orderStep(order: Order): number | undefined {
  const { status, stopAction } = order.creation;
  if (status === 'COMPLETED' || status === 'ROLLED_BACK') return 4;
  if (status !== 'STOPPED' || !stopAction) return undefined;
  if (stopAction.type === 'REDIRECT') return 2;
  if (stopAction.type !== 'WORKFLOW') return undefined;
  if (stopAction.reason === 'redirect_urls_required') return 0;
  if (stopAction.reason === 'waiting_for_pending_payments') return 3;
  return 1;
}

/** The client's return URLs as a creation's intent keeps them (flat JSON); nothing when it gave none. */
function returnUrlsLookup(urls: ReturnUrls | undefined): Record<string, string> {
  if (!urls?.success || !urls.cancel || !urls.failure) return {};
  return { successUrl: urls.success, cancelUrl: urls.cancel, failureUrl: urls.failure };
}

/** The return URLs a creation's intent kept (returnUrlsLookup), or none. */
function returnUrlsOf(lookup: CreationLookup): ReturnUrls | undefined {
  const { successUrl, cancelUrl, failureUrl } = lookup;
  if (typeof successUrl !== 'string' || typeof cancelUrl !== 'string' || typeof failureUrl !== 'string') return undefined;
  return { success: successUrl, cancel: cancelUrl, failure: failureUrl };
}

/** `from` / `to` are calendar days (UTC), both inclusive; ICM's list has no date filter of its own. */
function inRange(day: string, filter: ProviderListFilter): boolean {
  return (!filter.from || day >= filter.from.slice(0, 10)) && (!filter.to || day <= filter.to.slice(0, 10));
}
