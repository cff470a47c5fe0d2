import type { IntershopConfig } from '../../config.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { ContinueCreationInput, CreateOrderCommand, CreatedOrder, CreationAttempt, CreationLookup, ListedOrder, ProviderAdapter, ReturnUrls } from '../../domain/provider-port.js';
import { isFinal } from '../../domain/status.js';
import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { AdapterContext } from '../context.js';
import { anotherRedirect } from './another-redirect.js';
import { intershopAnsweredOrders } from './answered-orders.js';
import { intershopCapabilities } from './capabilities.js';
import { chainOf, chainStep, readChainLeft } from './chain.js';
import { leftPsp, withoutChain } from './chain-left.js';
import { IntershopClient, isElsewhere, type IntershopOrderElsewhere } from './client.js';
import { goneAfterGivingUp, voidedWhenRolledBack } from './gone-after-give-up.js';
import { knownPaymentIds } from './known-payment-ids.js';
import { listOrders } from './list-orders.js';
import { failedCreation, findCreated, whatThePostMade } from './lost-creation.js';
import { includedPayments, lastWordUnknown, orderObservation, readFromListOnly, totalsOf } from './mapping.js';
import { afterPsp, creationStep, orderStep, stepBehind } from './order-step.js';
import { marked, withPaymentWords } from './payment-words.js';
import { paymentsOrNone, readAfterBodiless, readCaughtUp, readPast, whereItStopped } from './read-back.js';
import { checkIntershopCreate, continueRequest, redirectUrlsRequest } from './request.js';
import { continueWithUrls, returnUrlsLookup } from './return-urls.js';
import { noteSentToPsp } from './sent-to-psp.js';
import { atPspWithoutUrl, keepUrlsForUnsaidStop, pastUnsaidStop, urlsToSendAgain } from './unsaid-stop.js';
import type { IntershopOrderDocument } from './wire.js';

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

export interface IntershopAdapterOptions {
  /** Clock for the polling windows (REDIRECT_WATCH_MS, PENDING_WATCH_MS). Default the system clock. */
  now?: () => Date;
}

/** Intershop ICM's order creation chain in the gateway's terms (seed intershop-icm-order-rest-v1.txt, CONTRACT §7-§8). */
export function createIntershopAdapter(config: IntershopConfig, context: AdapterContext, options: IntershopAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? (() => new Date());
  const client = new IntershopClient({ url: config.url, timeoutMs: context.timeoutMs, ...(config.authToken ? { authToken: config.authToken } : {}) });
  /**
   * What the adapter's parts share: ICM, this adapter's record of answers completed behind
   * (payment-words.ts), the notes store, and which gateway order each ICM order was made for (answered-orders.ts).
   */
  const icm = { client, wordsBehind: new WeakSet<IntershopOrderDocument>(), kv: context.kv, answered: intershopAnsweredOrders(context.kv) };

  const creationLookup = (command: CreateOrderCommand): CreationLookup => ({ basket: checkIntershopCreate(command).basketId, ...returnUrlsLookup(command.returnUrls) });

  /**
   * How long an order is re-read for its own state (needsReconciliation), 0 for not at all:
   * - placed without the PSP, its payment not reserved (an invoice, cash on delivery): ICM may
   *   still write the payment's word (status.ts completedStatus): PENDING_WATCH_MS;
   * - at the PSP (STOPPED Redirect): REDIRECT_WATCH_MS; waiting_for_pending_payments, or a stop
   *   unsaid (either of the two): PENDING_WATCH_MS.
   */
  const ownWatchMs = (order: Order): number => {
    if (order.creation.status === 'COMPLETED' && order.status === 'PENDING') return PENDING_WATCH_MS;
    if (isFinal(order.status) || order.creation.status !== 'STOPPED') return 0;
    const stop = order.creation.stopAction;
    // A stop unsaid (chain.ts stoppedForShop: an order first known from a read whose statusCode is
    // PENDING beside the table's PENDING payment, no chain): at the PSP's page or waiting for its
    // notification, which seed §3.2.5 pairs with "AUTHORIZED (pending)" and an ICM may write
    // PENDING. Only a later read tells, once ICM moves on: watched as the longer of the two.
    // Before, it was never read again: a lost create's order, paid by the PSP's notification, stayed
    // ACTION_REQUIRED for good while ICM had captured its money.
    if (!stop) return PENDING_WATCH_MS;
    if (stop.type === 'REDIRECT') return REDIRECT_WATCH_MS;
    if (stop.type === 'WORKFLOW' && stop.reason === 'waiting_for_pending_payments') return PENDING_WATCH_MS;
    return 0;
  };

  /**
   * The return URLs sent once more for an order whose answer to them was a stop the gateway does
   * not know (unsaid-stop.ts), answered as a continue is; null when ICM refuses it or answers
   * without a body (the read stands).
   */
  const sendUrlsAgain = async (order: Order, providerOrderId: string, urls: ReturnUrls): Promise<ProviderObservation | null> => {
    const request = redirectUrlsRequest(urls, 'returnUrls');
    const answered = await client.continueOrder(providerOrderId, request).catch((error: unknown) => {
      if (error instanceof GatewayError) return null;
      throw error;
    });
    if (!answered) return null;
    const document = await withPaymentWords(icm, await whereItStopped(client, answered, orderStep(order), false));
    const observation = keepUrlsForUnsaidStop(knownPaymentIds(order, marked(icm, document, orderObservation(document, await paymentsOrNone(client, providerOrderId), order.seenKeys, false))), request);
    await noteSentToPsp(context.kv, observation);
    return observation;
  };

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
      // A POST refused with a 400 that says nothing readable is told by ICM's list (client.ts
      // UnclearRefusal): the order it made is this create's answer, as a lost creation's is.
      const attempt: CreationAttempt = { orderId: command.orderId, items: command.items, since: new Date(), lookup: creationLookup(command), ...(command.reference ? { reference: command.reference } : {}) };
      const outcome: { made?: CreatedOrder } = {};
      const unclear = async (): Promise<'made' | 'failed' | 'nothing'> => {
        const made = await whatThePostMade(icm, attempt);
        // An ICM without a list cannot say: sent again as before (not sending it would refuse
        // every create of an ICM that refuses the include without a body).
        if (typeof made !== 'object') return 'nothing';
        if ('failed' in made) return 'failed';
        outcome.made = made.made;
        return 'made';
      };
      let answered: IntershopOrderDocument | IntershopOrderElsewhere;
      try {
        answered = await client.createOrder(options.basketId, options.termsAndConditionsAccepted, unclear);
      } catch (error) {
        // The refusal stands for ICM's answer; the order the list showed is the create's.
        if (outcome.made) return outcome.made;
        throw error;
      }
      // Taken with the order's address only (201 or 303 with `Location`, client.ts createOrder): the
      // order it names, read, is the POST's answer, claimed and continued as one (a read waits out a
      // node that has not seen the create yet). Before, the list was the only way to it: at an ICM
      // without a list (round four's `noList`) every such create was PROVIDER_UNAVAILABLE, and so was
      // every retry, though ICM had made the order (and, paid without a redirect, taken its money).
      if (isElsewhere(answered) && answered.orderId) answered = (await readCaughtUp(client, answered.orderId, () => false)) ?? answered;
      if (isElsewhere(answered)) {
        // Taken (2xx) without a body: ICM made an order of the basket and did not say which. The
        // list tells it as it tells a POST refused without a body (lost-creation.ts whatThePostMade:
        // the basket's order since the call, claimed for this create and sent on to the PSP with
        // its return URLs; or the basket's order rolled back since the call, a chain that failed
        // inside the POST, whose restored basket must not be POSTed again by a retry). Before,
        // every create of such an ICM was PROVIDER_UNAVAILABLE though ICM had made the order (and,
        // paid without a redirect, moved its money), and a retry under the same key that found
        // no order (a failed chain's is not taken) POSTed the basket again.
        const made = await whatThePostMade(icm, attempt);
        const found = typeof made !== 'object' ? null : 'failed' in made ? await failedCreation(icm, attempt, made.failed) : made.made;
        if (found) return found;
        // ICM's error in a 2xx, its errors saying no status (client.ts createOrder, error-in-ok.ts):
        // nothing of the basket made since the call, so it is ICM's refusal, as a 400 with that body
        // is read (without a list, whatThePostMade says `unlisted`: the outcome stays unknown).
        if (answered.refusal && made === 'nothing') throw answered.refusal;
        throw providerUnavailable('Intershop', new Error('POST /orders answered without a body, and the order it made is not listed'));
      }
      const created = answered;
      // An ICM idempotent by the basket answers a basket ordered already with that order: another
      // gateway order's, not a new one (answered-orders.ts). Claimed before anything continues it.
      await icm.answered.claim(created.data.id, command.orderId);
      const document = await withPaymentWords(icm, await continueWithUrls(client, await whereItStopped(client, created), command.returnUrls));
      const payments = await paymentsOrNone(client, document.data.id);
      const observation = keepUrlsForUnsaidStop(marked(icm, document, orderObservation(document, payments)), command.returnUrls);
      await noteSentToPsp(context.kv, observation);
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
    creationLookup,

    findCreated: (attempt) => findCreated(icm, attempt),

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      const request = continueRequest(order, input);
      if (!order.providerOrderId) throw new Error('an Intershop order always has its ICM id');
      const providerOrderId = order.providerOrderId;
      const answered = await client.continueOrder(providerOrderId, request).catch(async (error: unknown) => {
        if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
        // Refused: past the step by a read, or, for the buyer's CANCEL / FAILURE, gone (gone-after-give-up.ts; readPast has waited out a lagging node already).
        const read = (await readPast(client, providerOrderId, orderStep(order), afterPsp(order))) ?? (await goneAfterGivingUp(client, providerOrderId, request, []));
        if (!read) throw error;
        return read;
      });
      // Taken without a body: the order read past the PATCH's step; not found: rolled back for the
      // buyer's CANCEL / FAILURE (readAfterBodiless has waited out a lagging node), unknown otherwise.
      const answer = answered ?? (await readAfterBodiless(client, providerOrderId, orderStep(order), afterPsp(order))) ?? (await goneAfterGivingUp(client, providerOrderId, request, []));
      if (!answer) throw providerUnavailable('Intershop', new Error('the order continued without a body is not found'));
      const document = await withPaymentWords(icm, await whereItStopped(client, answer, orderStep(order), afterPsp(order)));
      const observed = voidedWhenRolledBack(order, knownPaymentIds(order, anotherRedirect(order, marked(icm, document, orderObservation(document, await paymentsOrNone(client, order.providerOrderId), order.seenKeys, afterPsp(order))))));
      const observation = keepUrlsForUnsaidStop(observed, request);
      await noteSentToPsp(context.kv, observation);
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
      const chain = chainOf(document.data, includedPayments(document.data, document.included), afterPsp(order));
      const readStep = chainStep(chain);
      if (stepBehind(readStep, orderStep(order))) return null;
      // Its return URLs answered with a stop the gateway does not know, and the read says nothing
      // past them, or is at the PSP's page without its URL (round twenty): the CONTINUE is sent
      // again, whose answer says where ICM went (unsaid-stop.ts).
      const urls = urlsToSendAgain(order);
      if (urls && (!pastUnsaidStop(readStep) || atPspWithoutUrl(chain))) {
        const again = await sendUrlsAgain(order, order.providerOrderId, urls);
        if (again) return again;
      }
      return knownPaymentIds(order, leftPsp(orderObservation(document, await paymentsOrNone(client, order.providerOrderId), order.seenKeys, afterPsp(order)), left));
    },

    /**
     * Re-read while ICM may still change the order without telling anyone:
     * - its latest fact came from a listing (no infos, no payments resource): one read of the
     *   order completes it, final or not (within LISTED_READ_MS);
     * - at the PSP (STOPPED Redirect): within REDIRECT_WATCH_MS;
     * - waiting_for_pending_payments, COMPLETED with its payment not reserved, or STOPPED at a stop
     *   unsaid (at the PSP's page or waiting, its reads cannot tell): within PENDING_WATCH_MS;
     * - ICM's latest answer had a word the gateway does not know (seed §2.2: the chain "may stop
     *   for another reason"; the order kept its status, the client cannot continue it): within
     *   REDIRECT_WATCH_MS, so that ICM going on by itself (to the PSP's page, to COMPLETED) is seen.
     * Nothing else: redirect_urls_required waits on the client, recurring.order on nobody.
     */
    needsReconciliation(order: Order): boolean {
      if (!order.providerOrderId) return false;
      if (readFromListOnly(order.providerData)) return idleMs(order) < LISTED_READ_MS;
      // Its payments' words from a read behind ICM's COMPLETED answer (payment-words.ts wordsBehind): read again, within the same hour.
      if (order.providerData.intershopWordsBehind === true) return idleMs(order) < LISTED_READ_MS;
      // An unknown word makes the order read for at least REDIRECT_WATCH_MS, never less than its
      // own stop's watch (before, one beside waiting_for_pending_payments cut a day to an hour: a
      // payment the PSP settled later was never learned).
      const own = ownWatchMs(order);
      if (lastWordUnknown(order.providerData) && !isFinal(order.status)) return idleMs(order) < Math.max(own, REDIRECT_WATCH_MS);
      return idleMs(order) < own;
    },

    /**
     * A listed entry naming the order's payment by another id than the order has it by (seed §2.2's
     * `lgAKAB2_...` beside §3.2.3's `open-tender`, see knownPaymentIds) is left to the order's own
     * read (fetchOrder keeps the order's id; `order(id)` reads through). The listing has no known
     * order to rename it by, and recorded, the entry's payment was merged in as a second one: an
     * order captured at ICM showed twice its total captured.
     * An entry at an earlier step of the chain than the order is left out too, as fetchOrder leaves
     * out such a read: the chain only goes forward, and a listing cannot tell the PSP's page from
     * the stop before the URLs when its entries carry no chain and the payment still says
     * `Unprocessed` (chain.ts), unless the order was noted as sent there (sent-to-psp.ts), which
     * an order sent there by its own create under statusCode CREATED was not. Recorded, such an
     * entry's stop (ACTION_REQUIRED, as the order) replaced the order's: the buyer back from the
     * PSP's page was INVALID_STATE ("needs returnUrls first"), the order never continued.
     */
    refreshesFromListing(known: Order, entry: ListedOrder): boolean {
      const creation = entry.observation.creation;
      // Only against a stop the gateway itself recorded: an order adopted from a listing starts
      // COMPLETED (src/domain/orders/list-orders.ts adoptNew) whatever its step, and is left as before.
      if (creation && known.creation.status === 'STOPPED' && stepBehind(creationStep(creation), orderStep(known))) return false;
      return knownPaymentIds(known, entry.observation) === entry.observation;
    },

    listOrders: (filter) => listOrders(icm, filter),
  };
}
