import { badInput, GatewayError, unauthenticated } from '../../domain/errors.js';
import type { WebhookFact, WebhookHint, WebhookRequest } from '../../domain/provider-port.js';
import { bodyFields } from '../webhook-body.js';
import { bodyAsWritten } from '../long-numbers.js';
import { postbackAsUtf8 } from './postback-text.js';
import type { PeiClient, TotalOf } from './client.js';
import type { Order } from '../../domain/order.js';
import { chargedAmountKey, confirmedKeysOf, heldPurchaseKey, observationOfOrder, postbackNotesOf, refusedPurchaseKey, type PeiReadContext } from './mapping.js';
import { mostChoosable } from '../../domain/line-choices.js';
import { chargedOfChoice, choosableTotals } from './charged-choice.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { unknownStatusFact } from '../../domain/provider-oddities.js';
import { peiIdShaped } from './order-id-shape.js';
import { vouchedOrder } from './postback-url.js';
import { READ_LAG_WAITS_MS, readWhileUnshown } from './read-back.js';
import type { PeiOrder } from './order-shape.js';
import { PeiPostback, saysUnconfirmed, type PostbackWord } from './postback-shape.js';
import { withinCallbackFields } from '../callback-fields.js';

export interface PeiWebhookOptions {
  client: PeiClient;
  /** The key of the order-signed postback URLs (postback-url.ts). */
  postbackKey: Buffer;
  /** The clock, expiry grace and checkout URL a re-read order is judged with. */
  read: () => PeiReadContext;
  /**
   * The total the gateway submitted a Pei order with, where it knows it (submitted-totals.ts, round
   * twenty-four): the re-read is read beside it, as the gateway's own reads are (an Amount `5.000`).
   */
  totalOf?: TotalOf;
  /**
   * Round twenty-five: the total the gateway order a signed postback URL names is being submitted
   * with, for a postback Pei sends before it answers the submit (submitted-totals.ts noteForOrder).
   */
  totalOfOrder?: (orderId: string) => Promise<number | undefined>;
}

/**
 * Reads `POST /webhooks/pei` (CONTRACT §5): the postback `{orderId, purchaseId, mandateId}`. It is
 * unsigned, so it is only a hint: the order is re-read from Pei (`GET /api/orders/{id}`) and only
 * what Pei answers is believed, save a First order's mandate the read leaves out
 * (withPostbackMandate). A postback that Pei does not back up (an unknown order, one that is
 * not confirmed, another purchase or mandate) is forged: UNAUTHENTICATED (401), nothing changes.
 *
 * Keys are read whatever their letter case, the purchase id as a number or a numeric string, and a
 * blank or missing purchaseId / mandateId claims nothing (the seed: "MandateId when it is
 * applicable"), so only a value that is given must agree with Pei.
 */
export function createPeiWebhookReader(options: PeiWebhookOptions) {
  return async function readPeiWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    const postback = postbackOf(request);

    // A postback to the URL the gateway signed may come a moment after Pei made the order (a
    // Recurring charge, Orders/Pay), before a read that lags the write shows it: such a read is
    // asked again for a while (readWhileUnshown) rather than the postback refused, since Pei may
    // never send it again. Any other postback is judged by one read.
    const vouched = vouchedOrder(request.query, options.postbackKey);
    // Round eleven: Pei's own postback of the order's making (`Pending`, a Pei posting every
    // change) tells nothing to act on: acknowledged without a read, and without taking the order's
    // one re-read per interval (the hint: refresh-lease.ts). Before, it took it, and the charge's
    // `Confirmed` posted a moment later (a Recurring order "will be automatically charged") was
    // turned away (429); Pei posting nothing again, a read that cannot say never showed the charge.
    if (vouched !== undefined && postback.says === 'made') return [];
    // Round twenty-four: beside the total the order was submitted with. Before, the re-read of an
    // order Pei writes `5.000` (is-IS "N0") was unreadable: its signed postback answered 503, and Pei
    // does not post again (the order waited for reconciliation's read, or stayed CREATED where Pei's
    // reads cannot say).
    // Round twenty-five: or, before Pei's answer has named its order, the one the signed URL's
    // gateway order is being submitted with. Only tells a `5.000`'s two readings apart; the read
    // is still of the order the postback names, and judged as any other.
    const total = (await options.totalOf?.(postback.orderId)) ?? (vouched !== undefined ? await options.totalOfOrder?.(vouched) : undefined);
    const read = vouched === undefined ? options.client.getOrder(postback.orderId, total) : readWhileUnshown(options.client, postback.orderId, total);
    const order = await read.catch((error: unknown) => {
      // The seed shows no answer for an unknown order: Pei refusing the read (a 400 "invalid
      // order id" as much as a 404) is Pei not vouching for the postback. Only "unavailable" is
      // worth the sender's retry (503).
      if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return null;
      throw error;
    });
    if (!order) throw unauthenticated('Pei does not know the order the postback names');
    return judge(postback, vouched, vouched !== undefined && saysPending(order) ? await readWhilePending(options.client, order, total) : order);
  };

  /**
   * A fact of what Pei shows of an order. Once the order is found, judged beside the purchases
   * Pei's signed postbacks called refused for it (round eleven, refusedPurchasesOf) or named beside
   * a word the gateway does not know (round twelve, heldPurchasesOf: postbackNotesOf): an unsigned
   * postback naming the declined attempt's purchase, beside a read that says no word, is then no
   * confirmation either.
   */
  function factOf(judged: PeiOrder, vouched?: string): WebhookFact {
    return {
      providerOrderId: judged.orderId,
      ...(vouched !== undefined ? { orderId: vouched, onlyForOrderId: vouched } : {}),
      observation: observationOfOrder(judged, options.read()),
      observationFor: (stored: Order) => observationOfOrder(judged, { ...options.read(), ...postbackNotesOf(stored) }),
    };
  }

  /**
   * Round eleven: what a postback to the URL the gateway signed says in its own word, where Pei's
   * read does not say otherwise. Round ten read the word only to refuse a confirmation; the
   * postback is Pei's, for that order (the URL is signed for it), as round ten relies on to
   * confirm an order whose read cannot say. Undefined: the word adds nothing (judged as before).
   */
  function signedWord(postback: PeiPostback, vouched: string, order: PeiOrder): WebhookFact[] | undefined {
    // The read writes a word of its own that is not Confirmed (Cancelled, Expired, Pending) and
    // the postback says the order is not confirmed: the two agree, and the read's word is taken.
    // Before, the read was "Pei saying otherwise" than a confirmation: Pei's own postback of the
    // buyer's Cancel was answered 401 as forged (and CANCELLED waited for the next re-read).
    if (order.statusWritten) {
      return typeof order.status === 'string' && order.status !== 'Confirmed' && saysUnconfirmed(postback.says) ? [factOf(order, vouched)] : undefined;
    }
    const says = postback.says;
    // The buyer pressed Cancel on Pei's page (the seed's CancelReturnUrl), and neither the read
    // nor the postback names a purchase: CANCELLED. Before, it was acknowledged and nothing
    // believed: the order waited CREATED until its expiry, then showed EXPIRED. A confirmation
    // that still comes (a Pei letting the buyer back in) is kept on the payment, as one after
    // EXPIRED is; a read or a postback naming a purchase leaves this to the judging below.
    if (says === 'cancelled' && order.purchaseId == null && postback.purchaseId === null) {
      return [factOf({ ...order, status: 'Cancelled', statusWritten: true, unknownWord: null }, vouched)];
    }
    // A charge attempt refused (`Declined` beside its purchase id, a Recurring charge or an
    // Orders/Pay): the read, saying no word, may name that purchase, which reads as confirmed.
    // Before, the postback agreeing on the purchase id confirmed it, and so did every later read:
    // CAPTURED while Pei charged nothing. Noted on the order (refusedPurchaseKey) so its reads
    // are judged without that purchase (mapping.ts observationOfOrder); status unchanged.
    // A refusal naming another purchase than the read's (posted late, after a later attempt went
    // through) is noted all the same and leaves the read's own purchase alone.
    if (says === 'refused') {
      const purchase = postback.purchaseId ?? order.purchaseId;
      return purchase == null ? undefined : [refusalOf(order, purchase, postback.status ?? '', vouched)];
    }
    // Round twelve: a word the gateway does not know beside a purchase (`Approved`, Icelandic
    // `Greitt`: a Pei's own word for the buyer's confirmation as much as for anything else) is
    // neither a confirmation nor a refusal: the order keeps its status (CONTRACT §7), Pei's word
    // shown, and the purchase is noted with it (heldPurchaseKey) so that reads without a word are
    // read as that word too (mapping.ts observationOfOrder). Before, it was a refusal: the paid
    // purchase was read away and the order EXPIRED at its date with nothing captured.
    if (says === 'unknown') {
      const purchase = postback.purchaseId ?? order.purchaseId;
      return purchase == null ? undefined : [heldBy(order, purchase, postback.status ?? '', vouched)];
    }
    return undefined;
  }

  /** The fact of a purchase Pei's signed postback named beside a word the gateway does not know: the order's status kept, its word shown, the purchase noted with it. */
  function heldBy(order: PeiOrder, purchase: string, word: string, vouched: string): WebhookFact {
    const providerData = { [heldPurchaseKey(purchase)]: word };
    const unknownWord = (): ProviderObservation => ({ ...unknownStatusFact('PEI', word, order.orderId), providerData });
    return {
      providerOrderId: order.orderId,
      orderId: vouched,
      onlyForOrderId: vouched,
      observation: unknownWord(),
      // A late word on an order already ended (a confirmed one) is noted and relabels nothing, as a late refusal is.
      observationFor: (stored: Order) =>
        stored.status === 'CREATED' || stored.status === 'PENDING'
          ? unknownWord()
          : { key: `pei:${order.orderId}:held:${purchase}`, type: 'held', status: stored.status, providerOrderId: order.orderId, providerData },
    };
  }

  /** The fact of a purchase Pei's signed postback said was refused: the order's status kept, its word shown, the purchase noted. */
  function refusalOf(order: PeiOrder, purchase: string, word: string, vouched: string): WebhookFact {
    const key = `pei:${order.orderId}:refused:${purchase}`;
    const providerData = { [refusedPurchaseKey(purchase)]: true };
    return {
      providerOrderId: order.orderId,
      orderId: vouched,
      onlyForOrderId: vouched,
      // Parked (the order not stored yet: the refusal posted before the charge's answer was
      // stored) as the charge still under way: only a charge without the buyer (Recurring,
      // Orders/Pay) is refused before its order is stored. Not judged as a read: an Orders/Pay
      // order's read may show .NET's DateTime.MinValue, which would expire it.
      observation: { key, type: 'refused', status: 'PENDING', providerStatus: word, providerOrderId: order.orderId, providerData },
      // Pei's word shown only on an order still waiting: a late refusal of an earlier attempt does not relabel a confirmed one.
      observationFor: (stored: Order) => ({
        key,
        type: 'refused',
        status: stored.status,
        ...(stored.status === 'CREATED' || stored.status === 'PENDING' ? { providerStatus: word } : {}),
        providerOrderId: order.orderId,
        providerData,
      }),
    };
  }

  function judge(postback: PeiPostback, vouched: string | undefined, order: PeiOrder): WebhookFact[] {
    const said = vouched === undefined ? undefined : signedWord(postback, vouched, order);
    if (said) return said;
    // What the postback claims must agree with what Pei's read shows. A purchaseId the read does
    // not carry (the seed shows no GET output: a purchaseId there is an assumption) is no
    // disagreement: Confirmed at Pei is what counts. Nor is a mandateId the read shows as null:
    // the seed's Order.MandateId is null unless the order is Recurring, while the postback of a
    // confirmed First order carries its new mandate ("MandateId when it is applicable"), which is
    // then taken from the postback (withPostbackMandate).
    const confirmedAsSaid =
      order.status === 'Confirmed' &&
      (postback.purchaseId === null || order.purchaseId == null || order.purchaseId === postback.purchaseId) &&
      (postback.mandateId === null || order.mandateId == null || order.mandateId === postback.mandateId);
    if (confirmedAsSaid) {
      // The mandate only from a postback to the URL the gateway signed (security probe two): the
      // gateway notes a mandate's first owner (charge-without-buyer.ts), so an unsigned postback
      // naming someone else's mandate beside the forger's own confirmed order would make them its
      // owner, free to charge it with orders:create alone.
      // Pei's own word for paid in a signed postback is written: it confirms a purchase an earlier postback called refused (a retry that went through).
      const confirmed = vouched === undefined ? order : withPostbackMandate(postback.says === 'paid' ? { ...order, statusWritten: true } : order, postback);
      return [vouched === undefined ? factOf(confirmed) : chargedAs(confirmed, postback)];
    }
    // A read that cannot say (no status word, no purchase: all the seed's Order has; or a word the
    // gateway does not know, which may be Pei's "Approved") beside a postback to the URL the gateway
    // signed for its order: the postback is Pei's, for that order, and Pei posts back only "when
    // the Order becomes confirmed". A word the gateway knows (Pending said outright, Cancelled,
    // Expired) or a purchase that disagrees is Pei saying otherwise; beside an unknown word the
    // read's purchase must be the postback's (a refused charge attempt has a purchase id too).
    const cannotSay =
      typeof order.status === 'string'
        ? !order.statusWritten && order.status === 'Pending'
        : order.purchaseId == null || (postback.purchaseId !== null && order.purchaseId === postback.purchaseId);
    if (vouched === undefined || !cannotSay) throw unauthenticated('The postback does not match the order at Pei');
    // Round ten: the seed posts "the Order ID and more", and says when Pei posts (the buyer
    // confirms), not that it posts at no other time. A Pei posting every change of the order posts
    // its word with it: the buyer pressing Cancel (`Cancelled`), a Recurring charge refused
    // (`Declined`, beside the attempt's purchase id). Such a postback to the signed URL is Pei's,
    // and says the order is *not* confirmed: it is acknowledged (200, so Pei does not send it
    // again) and nothing is believed; the order's reads decide, as before. Before, the signed URL
    // alone made it a confirmation: CAPTURED, while Pei charged nothing.
    if (saysUnconfirmed(postback.says)) return [];
    // Round eleven: a status Pei wrote that is no word (its enum's number, `"status": 3`) may say
    // anything, Cancelled as much as Confirmed; without a purchase id (which a confirmation carries:
    // the seed's Workflow, "This object includes OrderId, PurchaseId and MandateId") it is not
    // taken for one. Before, a number said nothing, so the buyer's Cancel posted as `{orderId,
    // status: 3}` made the order CAPTURED with nothing charged. With a purchase id it still confirms
    // (a declined charge's number cannot be told from it: left).
    if (postback.statusUnread && postback.purchaseId === null) return [];
    const confirmed: PeiOrder = {
      ...order,
      status: 'Confirmed',
      purchaseId: order.purchaseId ?? postback.purchaseId,
      ...(postback.says === 'paid' ? { statusWritten: true } : {}),
    };
    return [chargedAs(withPostbackMandate(confirmed, postback), postback, vouched)];
  }

  /**
   * The fact of a confirmation Pei's signed postback took (round twelve), with what that postback
   * says Pei charged where it carries an `amount` ("the Order ID and more") and the read shows the
   * Amount the order was submitted with: a Pei echoing the Order as the merchant sent it does not
   * show what the buyer chose among its items on Pei's page. Before, the gateway showed the default
   * selection's amount captured, more (or less) than Pei charged. The amount is noted for the
   * purchase (chargedAmountKey), so later reads are read with it too. A read showing another
   * amount than the one submitted shows the charge itself (round seven), and is taken as it is.
   */
  function chargedAs(judged: PeiOrder, postback: PeiPostback, vouched?: string): WebhookFact {
    const fact = factOf(judged, vouched);
    const purchase = judged.purchaseId;
    if ((postback.amount === null && postback.amountReadings === null) || purchase == null || postback.amount === judged.amount) return fact;
    return {
      ...fact,
      observationFor: (stored: Order) => {
        // Round twenty-five: an amount written `5.000` (5 or 5000 kr.) is the reading that is a total
        // the buyer could choose among the order's lines, where only one is (charged-choice.ts).
        const amount = postback.amount ?? (postback.amountReadings ? chargedOfChoice(postback.amountReadings, stored.items) : undefined);
        // The postback comes through the URL the gateway signed, so a leaked URL could claim any
        // figure: one above what the buyer could have chosen is not taken, nor (since the figure
        // now restates what a read recorded, below) one that no choice among the lines adds up to.
        if (amount === undefined || amount === judged.amount || judged.amount !== stored.total.minor || !choosable(amount, stored.items)) {
          return observationOfOrder(judged, { ...options.read(), ...postbackNotesOf(stored) });
        }
        const observation = observationOfOrder({ ...judged, amount }, { ...options.read(), ...postbackNotesOf(stored) });
        // Race (pei-charged-race.test.ts): a read of the paid order recorded before this postback
        // (the poller, an order(id) read-through) showed the Amount submitted under the same key
        // (`pei:<id>:confirmed:<purchase>`), so this fact was taken for its repeat and dropped: the
        // order stayed CAPTURED for the Amount submitted, less or more than Pei charged. The stated
        // charge is a fact of its own that restates the captured amount (captured amounts otherwise
        // only grow: 2000 could not become 1500) and covers the read's keys, so a read answered
        // before the charge was noted and recorded after it cannot raise it back.
        return {
          ...observation,
          key: `${observation.key}:charged:${amount}`,
          restatesCaptured: true,
          covers: confirmedKeysOf(judged.orderId, purchase),
          providerData: { ...observation.providerData, [chargedAmountKey(purchase)]: amount },
        };
      },
    };
  }
}

/**
 * Whether `amount` is a charge the buyer could have chosen among `items`: a total some choice makes
 * (charged-choice.ts choosableTotals), or, where there are too many to work out, at most the
 * dearest choice (mostChoosable).
 */
function choosable(amount: number, items: Order['items']): boolean {
  const totals = choosableTotals(items);
  return totals === undefined ? amount <= mostChoosable(items) : totals.has(amount);
}

/** The words of a signed postback that each have a re-read lease of their own (the hint's vouchedWord). */
const LEASED_WORDS: ReadonlySet<PostbackWord | null> = new Set<PostbackWord>(['paid', 'cancelled', 'refused', 'unknown']);

/** A read saying outright that the order still waits (`Pending` written, with or without a purchase): what a read behind the confirmation shows. */
const saysPending = (order: PeiOrder): boolean => order.statusWritten && order.status === 'Pending';

/**
 * Pei's own postback (to the URL the gateway signed) comes the moment the buyer confirms, and a
 * read served by a replica a few hundred ms behind still says Pending then (round six). Such a
 * read is asked again (READ_LAG_WAITS_MS) while it says so; before, the postback was refused as
 * forged (401) and, Pei promising no retry, the order waited for reconciliation's read. The last
 * read is judged as any other: one still Pending after 1.75 s refuses the postback as before.
 */
async function readWhilePending(client: PeiClient, first: PeiOrder, knownTotal?: number): Promise<PeiOrder> {
  let order = first;
  for (const wait of READ_LAG_WAITS_MS) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    const again = await client.getOrder(order.orderId, knownTotal).catch(() => null);
    if (again === null) return order;
    order = again;
    if (!saysPending(order)) return order;
  }
  return order;
}

/**
 * A confirmed First order's mandate where Pei's read leaves it out. The seed's Order.MandateId is
 * null unless the order is Recurring, and its postback is where a First order's new mandate is
 * given ("MandateId when it is applicable"): a read written from the seed may never show it, and
 * without it no RECURRING order can follow. It is the one thing taken from the postback, only from
 * one to the URL the gateway signed for the order, and only once the read confirms the order. A
 * mandate the read shows wins.
 */
function withPostbackMandate(order: PeiOrder, postback: PeiPostback): PeiOrder {
  // A SequenceType Pei wrote and the gateway cannot read (round fourteen: a Pay order's own word) is no First order's.
  const first = order.sequenceType === 'First' || (order.sequenceType == null && !order.sequenceTypeUnread);
  return first && order.mandateId == null && postback.mandateId !== null ? { ...order, mandateId: postback.mandateId } : order;
}

/**
 * The postback's fields. The seed calls it "a callback object sent as POST" and shows it as JSON;
 * a form-encoded one (`OrderId=...&PurchaseId=...`, as some .NET senders post) is read alike, and
 * so are two forms the seed itself suggests (seedTemplateFields, orderIdAlone). The body is only a
 * hint either way: the order it names is re-read from Pei before anything is believed.
 */
function postbackOf(posted: WebhookRequest): PeiPostback {
  // Round nineteen: in the encoding its byte order mark or its label names (a .NET sender's
  // UTF-16), as UTF-8 to the readers below (postback-text.ts).
  const request = { ...posted, body: postbackAsUtf8(posted.body, posted.headers['content-type']) };
  // A purchase id beyond 2^53 as the digits written (long-numbers.ts): a 64-bit id, not its nearest double.
  const fields = bodyFields({ ...request, body: bodyAsWritten(request.body) }) ?? seedTemplateFields(request) ?? orderIdAlone(request);
  if (!fields) throw badInput('body', 'A Pei postback is a JSON object or a form');
  // The seed template's repair (seedTemplateFields) builds its object apart from bodyFields: bounded
  // alike before any field is read (security probe 8, ../callback-fields.ts).
  withinCallbackFields(fields);
  const parsed = PeiPostback.safeParse(fields);
  if (!parsed.success) throw badInput('body', 'Not a Pei postback');
  return parsed.data;
}

/**
 * The seed's example postback is not JSON: `{ "orderId" : "...". "purchaseId" : 966127, ... }` (a
 * `.` where a `,` belongs). A Pei that fills it in as a template posts just that: read with the
 * `.` between a value and the next key taken for the comma it stands for.
 */
function seedTemplateFields(request: WebhookRequest): Record<string, unknown> | undefined {
  const text = request.body.toString('utf8').trim();
  if (!text.startsWith('{')) return undefined;
  try {
    // Round twenty: a purchase id beyond 2^53 as the digits written, as postbackOf reads a JSON body
    // (long-numbers.ts). Before, the template with such an id was refused (400) and Pei does not post again.
    const repaired = text.replace(/("|\d|null|true|false)\s*\.\s*(?=")/g, '$1, ');
    const parsed: unknown = JSON.parse(bodyAsWritten(Buffer.from(repaired, 'utf8')).toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Orders/Pay's PostbackUrl is "A URL that the Order ID will be posted to": the id alone, as a JSON string or bare text. */
function orderIdAlone(request: WebhookRequest): Record<string, unknown> | undefined {
  const text = request.body.toString('utf8').trim();
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // bare text
  }
  // Round twenty-one: base64's `+`, `/` and `=` too (order-id-shape.ts); before, such a postback was refused (400).
  return typeof value === 'string' && peiIdShaped(value, 1) ? { orderId: value } : undefined;
}

/**
 * The order a postback names (unverified), so the gateway can bound the re-reads postbacks cause;
 * and the gateway order its URL vouches for, when the MAC holds (Pei's own postback).
 */
export function createPeiWebhookHint(postbackKey: Buffer) {
  return function peiWebhookHint(request: WebhookRequest): WebhookHint | undefined {
    try {
      const vouched = vouchedOrder(request.query, postbackKey);
      const postback = postbackOf(request);
      // The making's postback to the URL the gateway signed: read by nobody (readPeiWebhook), so it takes no lease.
      if (vouched !== undefined && postback.says === 'made') return undefined;
      if (vouched === undefined) return { providerOrderId: postback.orderId };
      // Each word its own lease (paid, cancelled, refused, unknown; Expired or no word share one), so a
      // Declined and the Confirmed of the next attempt within one interval are both read. Before,
      // the second was turned away (429), and a Pei that does not post again lost it where its reads cannot say.
      // Round twenty: a postback whose status is no word (its enum's number) but which names a
      // purchase is a charge (or its refusal), leased apart from the making's (no purchase yet):
      // before, a Pei posting every change as numbers, its making too, had the making's `status: 1`
      // take the wordless lease, and the buyer's confirmation posted within the interval was turned
      // away (429); Pei posting nothing again, reads without the purchase never showed the charge.
      // One lease for any purchase id (not one per id: a leaked URL must not buy a read per id).
      const word = LEASED_WORDS.has(postback.says) ? postback.says : postback.says === null && postback.purchaseId !== null ? 'purchase' : null;
      return { providerOrderId: postback.orderId, vouchedFor: vouched, ...(word !== null ? { vouchedWord: word } : {}) };
    } catch {
      return undefined; // refused by readPeiWebhook without a call to Pei
    }
  };
}
