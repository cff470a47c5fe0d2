import { GatewayError, providerUnavailable, providerUnreached } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import { callProvider, parseWire, refusesWithoutBody, turnedAway, type ProviderResponse } from '../http.js';
import { pathSegment } from '../path-segment.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';
import { namedCharset } from '../body-text.js';
import { asTableWrites, rejectionOf } from './mapping.js';
import type { SharedToken } from '../shared-token.js';
import { createPeiAccessTokens } from './tokens.js';
import { locatedOrderId, locatedOrderIds } from './location.js';
import { redirectStep, type AllowedTarget } from '../redirects.js';
import { headersLeaveOut, listedOrderId, listingLeavesOut, PeiListedOrder, PeiOrderList } from './listing-shape.js';
import { peiOrderAt, type PeiOrder } from './order-shape.js';
import { inPlainJson, plainDocument } from './media-documents.js';
import { MAX_LISTING_PAGES, nextPageUrl } from './listing-pages.js';
import { PeiError, PeiPaid, PeiSubmitted, type PeiOrderRequest, type PeiPayRequest } from './wire.js';

export interface PeiClientOptions {
  /** Base URL as the seed writes it, e.g. https://api.pei.is (paths start /api/orders). */
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  kv: KeyValueStore;
}

const PROVIDER = 'Pei';

/** One day of Pei's listing as read: see PeiClient.listingOn. */
export interface PeiListing {
  orders: PeiOrder[];
  unreadable: unknown[];
  /** The answer says it holds only part of the day (a page of more: listingLeavesOut). */
  partial: boolean;
  /** The single-byte charset its label named (PeiOrder.answeredIn), for what its unreadable entries name. */
  answeredIn?: string;
}

/**
 * `order` with the single-byte charset the answer showing it was decoded in, as its label named it
 * (round twenty-four, PeiOrder.answeredIn): a lost charge's search spells its Reference as that
 * label reads it. Before, the label was not carried, and every single-byte charset's spelling was tried.
 */
function answeredIn(order: PeiOrder, response: ProviderResponse): PeiOrder {
  const charset = namedCharset(response.contentType)?.encoding;
  return charset ? { ...order, answeredIn: charset } : order;
}

/** An answer with the URL it came from, after any redirect followed (a listing's relative next link is resolved against it). */
type AnsweredResponse = ProviderResponse & { answeredFrom: string };

/** The total the gateway submitted a Pei order with, where it knows it (submitted-totals.ts). */
export type TotalOf = (peiOrderId: string) => Promise<number | undefined>;

/**
 * The totals known for the listing's entries that are not readable alone (round twenty-four), by
 * entry: only those are looked up, one store read each.
 */
async function totalsOfUnread(entries: readonly unknown[], totalOf: TotalOf): Promise<Map<unknown, number>> {
  const unread = entries.flatMap((entry) => {
    const id = PeiListedOrder.safeParse(entry).success ? null : listedOrderId(entry);
    return id ? [{ entry, id }] : [];
  });
  const totals = await Promise.all(unread.map(async ({ entry, id }) => [entry, await totalOf(id)] as const));
  return new Map(totals.flatMap(([entry, total]) => (total === undefined ? [] : [[entry, total] as const])));
}

/**
 * PEI_URL as the API's base (CONTRACT §8: `https://api.pei.is`). The seed gives its environments
 * as "URL endpoint https://externalapistaging.pei.is/api/orders" and "https://api.pei.is/api/orders":
 * a PEI_URL copied from it, ending in `/api/orders` (or `/api`), names the same base.
 */
export function apiBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api(?:\/orders)?$/i, '');
}

/** A 2xx that carries nothing: no body (204), or JSON `null`. The seed shows neither read's output. */
const answersNothing = (response: ProviderResponse): boolean => {
  const text = response.text.trim();
  return text === '' || text === 'null';
};

/** Get order's answer that names no order: nothing (answersNothing), or an empty list (a Pei answering the orders with that id as a list, round seven). */
const showsNoOrder = (response: ProviderResponse): boolean => answersNothing(response) || /^\[\s*\]$/.test(response.text.trim());

/**
 * A POST answered `303 See Other` to an order's read (round fifteen): the POST-redirect-GET of a
 * REST service, "done: the result is there", the order it made. Round eighteen: also `302 Found`
 * (ASP.NET MVC's `RedirectToAction`) or `301` to it: a location naming an order the request did
 * not name is one the server made. A 307 or 308 ("send the same request there") is followed or
 * not by the shared policy (../redirects.ts; not followed, it sent nothing: send), never read as a
 * result. A 301 or 302 to anything but an order, and not followed, is PROVIDER_UNAVAILABLE
 * (expectOk). Before, a 303 (round fifteen) and a 302
 * (round eighteen) to the order were that too: the purchase Pei had made was looked for in the
 * day's listing as a lost answer's, and where the listing did not show it yet createOrder failed
 * while the buyer was charged.
 */
const seesOther = (response: ProviderResponse): boolean => [301, 302, 303].includes(response.status) && locatedOrderId(response.headers) !== undefined;

/**
 * Where Pei's front tier may send a call with the bearer token: the same origin, or the same host
 * moved from http to https on the default ports (an HTTPS-only front tier). No host PEI_URL does
 * not name.
 */
const sameServer: AllowedTarget = (to, from) =>
  from.origin === to.origin || (from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && from.port === '' && to.port === '');


/** Pei refusing a request as invalid (400, 422): it did nothing with it. */
const refusedAsInvalid = (error: unknown): boolean =>
  error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && ['400', '422'].includes(String(error.details.providerCode));

/** A refusal whose words (message or field) name the ExpirationDate. */
const namesExpiration = (error: unknown): boolean =>
  error instanceof GatewayError && /expir/i.test(`${error.message} ${String(error.details.providerField ?? '')}`);

/** What Pei answers a read of an order it does not have (or no longer keeps). */
const NOT_SHOWN = new Set([400, 404, 410]);

/*
 * Round twenty-seven: every answer an order, a listing or an error is read from is read as plain
 * JSON first (media-documents.ts plainDocument): a Pei answering in HAL or JSON:API (the seed names
 * no media type) is read as one answering plain JSON.
 */
const PEI_SUBMITTED = inPlainJson(PeiSubmitted);
const PEI_PAID = inPlainJson(PeiPaid);
const PEI_ORDER_LIST = inPlainJson(PeiOrderList);
const PEI_ERROR = inPlainJson(PeiError);

/** Whether an answer carries Pei's error body with a message. */
const saysWhy = (response: ProviderResponse): boolean => {
  try {
    const error = parseWire(PROVIDER, PEI_ERROR, response.text);
    // A problem's `detail` is its words too; its `title` alone ("Unauthorized") is only the status's name.
    return Boolean((error.message ?? error.detail)?.trim());
  } catch {
    return false;
  }
};

/** Pei's order REST calls, typed with its wire shapes, authenticated with a shared bearer token. */
export class PeiClient {
  private readonly tokens: SharedToken;

  constructor(private readonly options: PeiClientOptions) {
    this.tokens = createPeiAccessTokens(options);
    this.options = { ...options, url: apiBase(options.url) };
  }

  /**
   * Submit order's answer: the order's id, and the CheckoutUrl where Pei names one (null otherwise).
   * An order Pei refuses as invalid (400, 422) is submitted once more with its ExpirationDate and
   * SubscriptionOptions as the seed's tables write them (asTableWrites, round eight): the seed's
   * JSON example and its tables disagree on their forms, and a Pei whose model follows the tables
   * refused every subscription order, or every order. Only where the refusal may be about them: the
   * order has SubscriptionOptions (a refusal without words may be theirs), or Pei's words name the
   * ExpirationDate (every order has one: any other refusal is not asked twice). A refused submit made
   * nothing (and charged nothing), so the second is no second order. Refused again, Pei's words to
   * the first stand (the gateway's own forms; a model validated as a whole names every field it
   * refuses in both).
   */
  async submitOrder(order: PeiOrderRequest): Promise<PeiSubmitted> {
    try {
      return await this.submitOnce(order);
    } catch (error) {
      const asTable = asTableWrites(order);
      if (!asTable || !refusedAsInvalid(error) || !(order.subscriptionOptions || namesExpiration(error))) throw error;
      return this.submitOnce(asTable).catch((again: unknown) => {
        throw refusedAsInvalid(again) ? error : again;
      });
    }
  }

  private async submitOnce(order: PeiOrderRequest): Promise<PeiSubmitted> {
    const response = await this.call('POST', '/api/orders', JSON.stringify(order));
    if (!seesOther(response)) this.expectOk(response);
    return parseWire(PROVIDER, PEI_SUBMITTED, await this.madeAnswer(response));
  }

  /**
   * Orders/Pay's answer, and whether it was 202 Accepted: taken, not done (HTTP's "accepted for
   * processing, not completed"), so the answer alone does not say the buyer was charged.
   */
  async payForBuyer(order: PeiPayRequest): Promise<PeiPaid & { accepted: boolean }> {
    const response = await this.call('POST', '/api/orders/pay', JSON.stringify(order));
    if (!seesOther(response)) this.expectOk(response);
    return { ...parseWire(PROVIDER, PEI_PAID, await this.madeAnswer(response)), accepted: response.status === 202 };
  }

  /**
   * A POST's 2xx answer as text to read: its body, or, where it carries nothing (answersNothing), the
   * order its `Location` header names, as `{orderId}` (a 201 Created without a body: location.ts).
   * Also a redirect's to the made order (seesOther), whose body is no answer of Pei's.
   */
  private async madeAnswer(response: ProviderResponse): Promise<string> {
    const located = answersNothing(response) || seesOther(response) ? await this.locatedOrder(response) : undefined;
    return located === undefined ? response.text : JSON.stringify({ orderId: located });
  }

  /**
   * The order a `Location` names; where it may name two (a path ending in `/`: the id's own, or a
   * trailing slash, locatedOrderIds), the one Pei shows, asked in turn (a read changes nothing).
   * Where Pei shows neither yet (a read lagging the write), the first, as before: read back again
   * by the caller.
   */
  private async locatedOrder(response: ProviderResponse): Promise<string | undefined> {
    const candidates = locatedOrderIds(response.headers);
    if (candidates.length < 2) return candidates[0];
    for (const candidate of candidates) {
      if (await this.getOrder(candidate).catch(() => null)) return candidate;
    }
    return candidates[0];
  }

  /**
   * Null when Pei does not show the order: a 404, a 410 Gone or a 400 ("no such order id": the
   * seed shows no answer for an order Pei does not have, and the path is all the request
   * carries), or a 2xx with nothing in it (204, an empty body, `null`), which is how ASP.NET
   * answers an action that found nothing to return.
   *
   * `knownTotal`: the total the gateway submitted the order with, where the caller knows it (round
   * nineteen): it reads an Amount written `5.000` that the answer alone leaves unread (order-shape.ts
   * peiOrderAt, numeric.ts marksByTotal).
   */
  async getOrder(orderId: string, knownTotal?: number): Promise<PeiOrder | null> {
    const response = await this.call('GET', `/api/orders/${pathSegment(orderId, 'orderId')}`);
    if (NOT_SHOWN.has(response.status)) return null;
    this.expectOk(response);
    if (showsNoOrder(response)) return null;
    const order = answeredIn(parseWire(PROVIDER, inPlainJson(peiOrderAt(orderId, knownTotal)), response.text), response);
    // Another order than the one asked for (a list of one that is not this one) is no read of it:
    // taken as this order's, its confirmation would be another order's money. Compared without
    // letter case or padding: a Pei that keeps ids case-insensitively may echo them otherwise.
    if (order.orderId.trim().toLowerCase() !== orderId.trim().toLowerCase()) throw providerUnavailable(PROVIDER, new Error('Pei answered a read of one order with another'));
    return order;
  }

  /**
   * The merchant's orders of one day (YYYY-MM-DD). An entry that is not a readable order is
   * skipped (reported: logged and counted), so one odd order never fails the listing; a body
   * that is not a list at all still does.
   */
  async ordersOn(merchantId: number, day: string, totalOf?: TotalOf): Promise<PeiOrder[]> {
    return (await this.listingOn(merchantId, day, totalOf)).orders;
  }

  /**
   * ordersOn's orders, the entries it skipped as they came (for a lost answer's search, which
   * must not take "not readable" for "not there": listingEntryHints says what such an entry names),
   * and whether the answer says it is one page of more (listingLeavesOut: nor is "not on this page"
   * "not there").
   *
   * `totalOf` (round twenty-four): the total the gateway submitted a listed order with, where it
   * knows it (submitted-totals.ts): an entry unreadable alone (an Amount `5.000`) is read beside it
   * as the order's own read is (peiOrderAt), rather than skipped.
   */
  async listingOn(merchantId: number, day: string, totalOf?: TotalOf): Promise<PeiListing> {
    const query = new URLSearchParams({ merchantId: String(merchantId), date: day });
    const path = `/api/orders?${query}`;
    const first = await this.listingPage(path, totalOf);
    if (first === null) return { orders: [], unreadable: [], partial: false };
    // Round twenty-eight: a HAL or JSON:API page naming its next one (listing-pages.ts nextPageUrl) is
    // followed, on the same server only (the request carries the gateway's token), at most
    // MAX_LISTING_PAGES pages, and never to a page already read: where the walk stops with a next
    // page named, the day is still one page of more (partial), so a lost charge's search stays unsure.
    const orders = new Map(first.orders.map((order) => [order.orderId, order]));
    const unreadable = [...first.unreadable];
    const seen = new Set([first.answeredFrom]);
    let entries = first.entries;
    let page = first;
    for (let pages = 1; page.next !== undefined && pages < MAX_LISTING_PAGES; pages++) {
      const next = page.next;
      if (seen.has(next.href) || !sameServer(next, new URL(page.answeredFrom))) break;
      seen.add(next.href);
      // A later page that fails (a 5xx, a refusal) leaves the day partial, as one not fetched: it
      // does not fail the pages read (orders(filter) still shows them, as before round twenty-eight).
      const answered = await this.listingPage(path, totalOf, next.href).catch((error: unknown) => {
        if (error instanceof GatewayError) return null;
        throw error;
      });
      if (answered === null) break;
      const before = orders.size + unreadable.length;
      for (const order of answered.orders) if (!orders.has(order.orderId)) orders.set(order.orderId, order);
      unreadable.push(...answered.unreadable);
      entries += answered.entries;
      page = answered;
      // A page adding nothing (a server answering the first page whatever is asked): no further.
      if (orders.size + unreadable.length === before) break;
    }
    const partial = page.next !== undefined || listingLeavesOut(page.plain, entries) || headersLeaveOut(page.headers, entries);
    return { orders: [...orders.values()], unreadable, partial, ...(first.answeredIn ? { answeredIn: first.answeredIn } : {}) };
  }

  /**
   * One page of the listing (`at`: a next link's URL, else the first page's path): its orders,
   * skipped entries, plain document, headers and next link; null where it says the day is empty.
   */
  private async listingPage(path: string, totalOf: TotalOf | undefined, at?: string) {
    const response = await this.call('GET', path, undefined, at);
    // The seed shows no output for this listing: a day without orders may also be a 404 ("no
    // orders found"), as ASP.NET's NotFound() for an empty result answers; it is not a refusal.
    if (response.status === 404) return null;
    this.expectOk(response);
    // A day without orders may come as nothing at all (ASP.NET answers a null list 204).
    if (answersNothing(response)) return null;
    const unreadable: unknown[] = [];
    const entries = parseWire(PROVIDER, PEI_ORDER_LIST, response.text);
    const totals = totalOf ? await totalsOfUnread(entries, totalOf) : new Map<unknown, number>();
    const orders = readEachEntry('PEI', entries, (entry) => {
      try {
        const total = totals.get(entry);
        return answeredIn(total === undefined ? PeiListedOrder.parse(entry) : peiOrderAt(listedOrderId(entry)!, total).parse(entry), response);
      } catch (error) {
        unreadable.push(entry);
        throw error;
      }
    });
    const json = JSON.parse(response.text) as unknown;
    const charset = namedCharset(response.contentType)?.encoding;
    return {
      orders,
      unreadable,
      entries: entries.length,
      plain: plainDocument(json),
      headers: response.headers,
      next: nextPageUrl(json, response.answeredFrom, response.headers),
      answeredFrom: response.answeredFrom,
      ...(charset ? { answeredIn: charset } : {}),
    };
  }

  /**
   * One API call with the shared token. A 401 means the token expired or was revoked before its
   * time: drop it, fetch a new one and try once more. Retrying is safe because Pei refused the
   * first request before doing anything with it.
   */
  private async call(method: 'GET' | 'POST', path: string, body?: string, at: string = `${this.options.url}${path}`): Promise<AnsweredResponse> {
    let token = await this.tokens.get();
    let response = await this.send(method, at, token, body);
    if (response.status !== 401) return response;
    await this.tokens.invalidate(token);
    token = await this.tokens.get();
    response = await this.send(method, at, token, body);
    if (response.status === 401) {
      // A fresh token refused again, with Pei's words: Pei refusing what was asked, not the token
      // (the seed shows no refusal of Orders/Pay for a buyer without purchase access: an ASP.NET
      // `Unauthorized("...")` answers 401). expectOk makes it PROVIDER_REJECTED with those words.
      if (method === 'POST' && saysWhy(response)) return response;
      throw providerUnavailable(PROVIDER, new Error('Pei refused a freshly issued token'));
    }
    return response;
  }

  /**
   * One call, following the redirects of Pei's front tier by the shared policy (../redirects.ts,
   * round eighteen) to the same server only (sameServer); its answer's whole numbers beyond 2^53
   * kept as the digits written (long-numbers.ts). A POST's 307 / 308 not followed (another host,
   * past the hops) was not carried out: PROVIDER_UNAVAILABLE saying nothing was sent, so the retry
   * under the same key sends it at once instead of looking for a charge Pei never made. A read's
   * redirect not followed stays PROVIDER_UNAVAILABLE that may have been sent: a read runs inside a
   * charge's flow (a lost answer's search), whose failure must not read as the charge unsent. Any
   * other redirect (a POST's 301 / 302 / 303 elsewhere) is read by the caller (seesOther, expectOk).
   */
  private async send(method: 'GET' | 'POST', at: string, token: string, body?: string): Promise<AnsweredResponse> {
    let url = at;
    const path = new URL(at).pathname;
    for (let hops = 0; ; hops++) {
      const response = await this.sendOnce(method, url, token, body);
      const step = redirectStep(response.status, method, response.headers?.['location'], url, sameServer, hops);
      if (step.kind === 'unfollowed') throw (method === 'GET' ? providerUnavailable : providerUnreached)(PROVIDER, new Error(`${method} ${path}: ${step.why}, not followed`));
      if (step.kind === 'follow') {
        url = step.url;
        continue;
      }
      const text = wholeNumbersAsWritten(response.text);
      return { ...response, text, answeredFrom: url };
    }
  }

  private sendOnce(method: 'GET' | 'POST', url: string, token: string, body?: string): Promise<ProviderResponse> {
    return callProvider(PROVIDER, url, {
      method,
      timeoutMs: this.options.timeoutMs,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        // The charset named (round seventeen): JSON is UTF-8 (RFC 8259), but an ASP.NET site set up
        // for Icelandic reads a body whose type names none in ISO-8859-1 (`requestEncoding`), so a
        // client's Reference `Pöntun` was kept as `PÃ¶ntun`, and a charge whose answer was lost was
        // not found under it: the client's retry charged the buyer again.
        ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  }

  /**
   * A 2xx, or PROVIDER_REJECTED with Pei's words. No seed shows Pei's error body (ASP.NET's
   * `BadRequest()` sends none at all), so a 4xx without a readable one is still a refusal, coded
   * by its HTTP status; only "come back later" (408, 425, 429) and a 3xx are PROVIDER_UNAVAILABLE.
   *
   * "Come back later" is PROVIDER_UNAVAILABLE whatever its body, and says nothing was taken
   * (notSent): a rate limit or a request timeout turns the request away before Pei's controllers
   * do anything with it. Round sixteen: with an error body in ASP.NET's shapes (`{message}`, a
   * problem) it was read as Pei's refusal, so a buyer's Orders/Pay or a mandate's Recurring charge
   * turned away was answered "refused" and its retry under the same key refused again unsent.
   */
  private expectOk(response: ProviderResponse): void {
    if (response.status >= 200 && response.status < 300) return;
    const away = turnedAway(PROVIDER, response.status);
    if (away) throw away;
    let error: PeiError;
    try {
      error = parseWire(PROVIDER, PEI_ERROR, response.text);
    } catch {
      // Pei's 403 is its refusal of a buyer without purchase access, not of the gateway's token.
      if (!refusesWithoutBody(response.status)) {
        throw providerUnavailable(PROVIDER, new Error(`HTTP ${response.status} without a Pei error body`));
      }
      error = {};
    }
    const { message, ...details } = rejectionOf(response.status, error);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }
}
