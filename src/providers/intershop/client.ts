import { GatewayError, providerAnswered, providerUnavailable, providerUnreached } from '../../domain/errors.js';
import { callProvider, parseWire, refusesWithoutBody, turnedAway, type ProviderResponse } from '../http.js';
import { headerText } from '../listing-headers.js';
import { onOrigins, redirectStep } from '../redirects.js';
import { icmClockBehindMs } from './icm-clock.js';
import { idText } from './json-scalars.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';
import { pathSegment } from '../path-segment.js';
import { rejectionDetails } from './mapping.js';
import { orderIdAt } from './order-location.js';
import { nullCollectionAsEmpty } from './null-collection.js';
import { acceptedNotDone } from './accepted-not-done.js';
import { asksForCondition, CONDITIONAL_TRIES, entityTag } from './conditional-write.js';
import { errorInOk } from './error-in-ok.js';
import { inNewestFirstOrder, reachesBefore } from './newest-first.js';
import { MAX_MOVED_DOWN, nextPageOffset, readPastWithoutTotal, readToTotal, steppedBack, stillToRead, totalShrunk } from './page-overlap.js';
import { carriesOrder, mayRefuseInclude, sameRefusal, saysNothing } from './resend-after-400.js';
import {
  IntershopContinueDocument,
  IntershopErrors,
  IntershopOrderDocument,
  IntershopOrderListDocument,
  IntershopPaymentsDocument,
  type IntershopContinueRequest,
} from './wire.js';

export interface IntershopClientOptions {
  /** The site's REST base up to `/-` (paths below are relative to it). */
  url: string;
  /** Sent as ICM's `authentication-token` header when set. */
  authToken?: string;
  timeoutMs: number;
}

/** Seed §2.1: without it ICM answers the legacy API, whose shapes are not these. */
const ORDER_V1 = 'application/vnd.intershop.order.v1+json';
/** What a request body is labelled with first (see IntershopClient.send). */
const JSON_TYPE = 'application/json';
/** The includes seed §2.2 shows (POST /orders?include=...): the payments, with their methods and instruments. */
const SEED_INCLUDES = 'payments,payments.paymentInstrument,payments.paymentMethod';
/**
 * What every order answer asks to include, so one call gives status, items and payments. No seed
 * shows `lineItems` as an include name (only the ids in `data.lineItems`), so an ICM that refuses
 * it (400) is asked again with the seed's own includes (see IntershopClient.call).
 */
const ORDER_INCLUDES = `include=lineItems,${SEED_INCLUDES}`;
/** How ICM refuses the gateway's own authentication-token (its configuration, not the caller's request). */
const OWN_CREDENTIALS_REFUSED = [401];
const PROVIDER = 'Intershop';
/**
 * ICM's answers are read with `null` as absent: the seed leaves out a field a state has none of
 * (`{"status": "COMPLETED"}`, a Redirect stop without `exitReason`), and ICM is a Java server,
 * whose serializer writes such a field as `null` unless told otherwise.
 */
const ICM_JSON = { nullsAbsent: true };
/** How many orders one list page asks for; ICM may answer fewer (its own limit), the paging follows `info`. */
const LIST_PAGE_SIZE = 50;
/** Bound on the pages of one listing (LIST_PAGE_SIZE x this orders at the requested size). */
const MAX_LIST_PAGES = 200;

/** Whether the list's entries read so far are all its caller will look at (list-orders.ts, listed-enough.ts). */
export type ListedEnough = (data: readonly unknown[], included: IntershopOrderListDocument['included']) => boolean;

/** Every page of GET /orders, joined. */
export interface IntershopListedOrders {
  data: IntershopOrderListDocument['data'];
  included: IntershopOrderListDocument['included'];
  /** ICM has no list (GET /orders answered 404 or 405): `data` is empty because nothing could be listed. */
  unlisted?: true;
  /** At most how far ICM's clock was behind the gateway's, as the list's `Date` headers say (icm-clock.ts); 0 when they say nothing of it. */
  icmClockBehindMs: number;
}

/** How an ICM without the list (seed §2.3 describes it in prose only) answers GET /orders. */
const NO_LIST = [404, 405];
/** How ICM answers a read of an order it does not have (see IntershopClient.getOrder). */
const NOT_THERE = [404, 410];
/**
 * `303 See Other` (RFC 9110 §15.4.4): the request was carried out and its answer is the resource
 * `Location` names (POST/Redirect/GET), here the order; the seed shows the order in the answer.
 */
const SEE_OTHER = 303;
/**
 * 301 / 302 answered to a POST or PATCH and not followed (../redirects.ts): POST/Redirect/GET as a
 * Java servlet's `sendRedirect` writes it when its `Location` names the order (createOrder,
 * continueOrder), else an unknown outcome.
 */
const foundElsewhere = (status: number): boolean => status === 301 || status === 302;

/**
 * A POST /orders that ICM took without saying the order in its body: `201` (or any 2xx) without a
 * body, or `303 See Other`; `orderId` is the order its `Location` names (order-location.ts), when
 * it names one.
 */
export interface IntershopOrderElsewhere {
  elsewhere: true;
  orderId?: string;
  /**
   * ICM's error written with a 2xx whose errors say no status (error-in-ok.ts): its refusal, which
   * stands once the list shows the POST made nothing (index.ts createOrder). Whether ICM refused the
   * basket, failed the chain or failed after the work, only the list tells.
   */
  refusal?: GatewayError;
}

/** Whether a create's answer is an IntershopOrderElsewhere (an order document's fields are open, so `in` cannot tell). */
export function isElsewhere(answer: IntershopOrderDocument | IntershopOrderElsewhere): answer is IntershopOrderElsewhere {
  return (answer as Partial<IntershopOrderElsewhere>).elsewhere === true;
}

/**
 * The page size an answer to GET /orders without `offset` / `limit` says it was cut to: its `info`
 * names a `limit` that its entries fill and a `total` beyond them. Undefined for a whole list.
 */
function ownPage(text: string): number | undefined {
  try {
    const list = parseWire(PROVIDER, IntershopOrderListDocument, nullCollectionAsEmpty(text), ICM_JSON);
    const { limit, total } = list.info ?? {};
    return limit !== undefined && limit > 0 && total !== undefined && total > list.data.length && list.data.length === limit ? limit : undefined;
  } catch {
    return undefined;
  }
}

/** The `included` sections of two pages, id by id. */
function mergeIncluded(a: IntershopOrderListDocument['included'], b: IntershopOrderListDocument['included']): IntershopOrderListDocument['included'] {
  if (!a || !b) return a ?? b;
  const merged: Record<string, unknown> = { ...a };
  for (const [section, entries] of Object.entries(b)) {
    const previous = merged[section];
    merged[section] = isRecord(previous) && isRecord(entries) ? { ...previous, ...entries } : entries;
  }
  return merged as IntershopOrderListDocument['included'];
}

/** A list entry's `id`, or, for one without, the entry as written (the same entry on two pages is then seen once). */
function idOf(entry: unknown): string {
  const id = isRecord(entry) ? idText(entry.id) : undefined;
  return id !== undefined ? `id:${id}` : `entry:${JSON.stringify(entry)}`;
}

/**
 * An order (or list entry) with the PSP page's URL as the client can follow it. The seed writes it
 * absolute (`http://<server>/INTERSHOP/web/WFS/...`, on ICM's own web host), leaving the host to
 * the server; one behind a proxy that does not know its public name may write the path alone,
 * which is resolved against INTERSHOP_URL (before, the client got a path where the contract
 * promises an absolute URL). An absolute URL, and anything that is no order, is left as written.
 */
function absoluteRedirects<T>(data: T, base: string): T {
  if (!isRecord(data) || !isRecord(data.orderCreation)) return data;
  const creation = data.orderCreation;
  const absolute = (block: unknown): unknown => {
    if (!isRecord(block) || typeof block.redirectUrl !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(block.redirectUrl)) return block;
    return { ...block, redirectUrl: resolved(block.redirectUrl, base) };
  };
  return { ...data, orderCreation: { ...creation, stopAction: absolute(creation.stopAction), redirect: absolute(creation.redirect) } } as T;
}

/** `url` (a path, or one without a scheme) read against ICM's REST base; as written when that makes no URL. */
function resolved(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/**
 * What a POST refused with a 400 that says nothing readable did, as the adapter finds out
 * (lost-creation.ts whatThePostMade): `made` the order (the include refused after the work: not
 * sent again, later calls leave `lineItems` out), `failed` in the chain (not sent again: the basket
 * is restored, a second POST would order it again), or `nothing` (sent again with the seed's includes).
 */
export type UnclearRefusal = () => Promise<'made' | 'failed' | 'nothing'>;

/** The requests an ICM may take without any `include` (see IntershopClient.call). */
type IncludeFree = 'PATCH' | 'list';

/** `path` without its `include` parameter. */
function withoutInclude(path: string): string {
  const [route, query = ''] = path.split('?', 2);
  const rest = query.split('&').filter((parameter) => parameter && !parameter.startsWith('include='));
  return rest.length ? `${route}?${rest.join('&')}` : `${route}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Intershop ICM's order REST calls (v1), typed with its wire shapes. */
export class IntershopClient {
  constructor(private readonly options: IntershopClientOptions) {}

  /**
   * Elsewhere: ICM took the POST without the order in its body (see below). `unclear` is asked what
   * the POST did when ICM refused it with a 400 that says nothing readable (resend-after-400.ts
   * saysNothing), before it is sent again (see call); without it, it is sent again.
   */
  async createOrder(basket: string, termsAndConditionsAccepted: boolean, unclear?: UnclearRefusal): Promise<IntershopOrderDocument | IntershopOrderElsewhere> {
    const response = await this.call('POST', `/orders?${ORDER_INCLUDES}`, { basket, termsAndConditionsAccepted }, unclear);
    // A 307 / 308 not followed (another host, too many hops) was thrown by sendAs as sent nothing.
    // ICM made the order and pointed to it (303 See Other, whatever its body; a 301 / 302 naming an
    // order, as a servlet's `sendRedirect` writes POST/Redirect/GET, round eighteen), or said nothing
    // of it (a 201 without a body, as REST's create answers with a `Location` the seed does not
    // show): the order `Location` names, if any, else the caller finds it (index.ts createOrder).
    // Before, a 303 (and a 302) was an unreadable answer: every create PROVIDER_UNAVAILABLE though
    // ICM had made the order. A 301 / 302 naming no order (the web tier moving `/orders`) stays
    // unreadable: whether ICM acted is not said.
    const seeOther = response.status === SEE_OTHER || (foundElsewhere(response.status) && orderIdAt(headerText(response.headers, 'location')) !== undefined);
    // ICM's error in a 2xx, its errors saying no status (error-in-ok.ts; round twenty-three): the
    // POST may have made the order, failed its chain or been refused; the caller reads the list as
    // for a POST taken without a body, and the refusal stands when it shows nothing made. Before, it
    // was unreadable: PROVIDER_UNAVAILABLE, and a failed chain's retry POSTed the restored basket again.
    if (errorInOk(response.status, response.text) === 'unsaid') return { elsewhere: true, refusal: this.refusalOf(response) };
    // Turned away to come back later, the POST itself: ICM took nothing (see expectOk).
    if (!seeOther) this.expectOk(response, true);
    if (seeOther || !response.text.trim()) {
      const orderId = orderIdAt(headerText(response.headers, 'location'));
      return { elsewhere: true, ...(orderId ? { orderId } : {}) };
    }
    return this.withAbsoluteUrls(parseWire(PROVIDER, IntershopOrderDocument, response.text, ICM_JSON));
  }

  /**
   * Null: ICM took the CONTINUE with a 2xx without a body (a 204). The seed shows PATCH answers
   * with the order, but such an answer did continue the chain all the same: the caller reads the
   * order (read-back.ts readAfterBodiless, seed §2.3).
   */
  async continueOrder(id: string, body: IntershopContinueRequest): Promise<IntershopOrderDocument | null> {
    const response = await this.patch(id, `/orders/${pathSegment(id, 'orderId')}?${ORDER_INCLUDES}`, body);
    // Taken and pointed to the order (303 See Other, or a 301 / 302 naming this order: a servlet's
    // POST/Redirect/GET, round eighteen): read as a 204 is, the order's id is known. Before, the
    // continue was PROVIDER_UNAVAILABLE though ICM had gone on with the chain.
    if (response.status === SEE_OTHER) return null;
    if (foundElsewhere(response.status) && orderIdAt(headerText(response.headers, 'location')) === id) return null;
    this.expectOk(response);
    // Accepted, not carried out yet (202, whatever its body: accepted-not-done.ts; round twenty-two):
    // read as a 204 is, past the PATCH's step. Before, its body (the order as it was when accepted)
    // was taken for the outcome: the buyer's SUCCESS answered with the PSP page she had just left.
    // ICM's error in a 2xx whose errors say no status (error-in-ok.ts; round twenty-three): its
    // refusal, as a 4xx with that body is read (index.ts continueOrderCreation reads the order past
    // the PATCH's step first: a chain failed on it, or ICM failing after the work, shows there; a
    // CANCEL whose order is gone is the rollback). Not a 204's reading: a CONTINUE refused before any
    // work would be answered with the order as it stands, the buyer's SUCCESS never said to ICM.
    // Before, it was unreadable: the buyer's CANCEL PROVIDER_UNAVAILABLE, the order left at the PSP's page.
    if (errorInOk(response.status, response.text) === 'unsaid') throw this.refusalOf(response);
    if (acceptedNotDone(response.status) || !response.text.trim()) return null;
    const answer = parseWire(PROVIDER, IntershopContinueDocument, response.text, ICM_JSON);
    return this.withAbsoluteUrls({ ...answer, data: { ...answer.data, id: answer.data.id ?? id } });
  }

  /**
   * Null when ICM does not know the order: 404, or 410 Gone. An ICM whose rolled-back orders are
   * gone (the Intershop PWA: "the order doesn't exist any more") may say so with the status HTTP
   * has for it (round fourteen). Before, a 410 was a refusal (PROVIDER_REJECTED): the buyer's
   * CANCEL or FAILURE read after a 204 or a refused PATCH failed, and the order stayed at the PSP
   * page for good, a rollback ICM had acknowledged never shown (read-back.ts, gone-after-give-up.ts).
   */
  async getOrder(id: string): Promise<IntershopOrderDocument | null> {
    const response = await this.call('GET', `/orders/${pathSegment(id, 'orderId')}?${ORDER_INCLUDES}`);
    if (NOT_THERE.includes(response.status)) return null;
    this.expectOk(response);
    return this.withAbsoluteUrls(parseWire(PROVIDER, IntershopOrderDocument, response.text, ICM_JSON));
  }

  /**
   * A PATCH, made conditional when ICM asks for it (conditional-write.ts; round twenty-four): a
   * `428` or `412` says it was not carried out, so it is sent again with the `ETag` a read of the
   * order gives, at most CONDITIONAL_TRIES times in all; once ICM has asked, later PATCHes read the
   * tag first. Without a tag to send (no `ETag` on the read, the read refused) ICM's refusal stands
   * as before. Before, every continue of such an ICM was PROVIDER_REJECTED.
   */
  private async patch(id: string, path: string, body: unknown): Promise<ProviderResponse> {
    let tag = this.conditionalPatches ? await this.currentTag(id) : undefined;
    for (let tries = 1; ; tries += 1) {
      const response = await this.call('PATCH', path, body, undefined, tag);
      if (!asksForCondition(response.status) || tries >= CONDITIONAL_TRIES) return response;
      const current = await this.currentTag(id);
      if (current === undefined) return response;
      this.conditionalPatches = true;
      tag = current;
    }
  }

  /** The order's current entity tag, as a read of it says (undefined when it says none). */
  private async currentTag(id: string): Promise<string | undefined> {
    const response = await this.call('GET', `/orders/${pathSegment(id, 'orderId')}?${ORDER_INCLUDES}`);
    if (response.status < 200 || response.status >= 300) return undefined;
    return entityTag(headerText(response.headers, 'etag'));
  }

  /** Seed §3.1: the payments with their methods' display names. */
  async getPayments(id: string): Promise<IntershopPaymentsDocument> {
    const response = await this.call('GET', `/orders/${pathSegment(id, 'orderId')}/payments?include=paymentInstrument,paymentMethod`);
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopPaymentsDocument, nullCollectionAsEmpty(response.text), ICM_JSON);
  }

  /**
   * Seed §2.3: the user's orders, newest first. Seed §2.3 shows no list, so its paging is not
   * promised: this pages with `offset`/`limit` while pages bring orders not seen before, and stops
   * at `info.total` when ICM says it, at an empty page, or at a page with nothing new.
   * - An ICM that pages without an `info` block (or with one that says no total) is read page by
   *   page all the same (before, its first page was taken for the whole list).
   * - An ICM that answers the whole list whatever is asked costs one more call: the second page
   *   brings nothing new.
   * - An ICM that ignores `offset` but honours `limit` answers its first page again: it is then
   *   asked from the start with a larger `limit` each time, until an answer is shorter than asked
   *   or brings nothing new (before, only its first page was ever listed).
   * Bounded, so an ICM that keeps answering new pages cannot keep the gateway reading.
   * `since` (the gateway's clock, ms): only orders made since then are wanted, so the pages end once
   * one reaches an order made before it (newest-first.ts: §2.3's order), read on ICM's clock as its
   * `Date` headers show it so far (round twenty-six).
   */
  async listOrders(wanted: { since?: number; enough?: ListedEnough } = {}): Promise<IntershopListedOrders> {
    // ICM's clock as its answers' `Date` says (icm-clock.ts): a lost creation's search widens its
    // window by how far behind it is (lost-creation.ts; round seventeen).
    let behind = 0;
    const get = async (path: string): Promise<ProviderResponse> => {
      const response = await this.call('GET', path);
      behind = Math.max(behind, icmClockBehindMs(headerText(response.headers, 'date'), Date.now()));
      return response;
    };
    const since = wanted.since;
    const list = await this.listPages(get, since === undefined ? undefined : () => since - behind, wanted.enough);
    return { ...list, icmClockBehindMs: behind };
  }

  /** listOrders' pages, each asked with `get`. */
  private async listPages(get: (path: string) => Promise<ProviderResponse>, since?: () => number, enough?: ListedEnough): Promise<Omit<IntershopListedOrders, 'icmClockBehindMs'>> {
    if (this.pagingRefused) return this.wholeList(await get(`/orders?${ORDER_INCLUDES}`));
    const data: IntershopOrderListDocument['data'] = [];
    const ids = new Set<unknown>();
    let included: IntershopOrderListDocument['included'];
    let offset = 0;
    let limit = this.ownPageLimit ?? LIST_PAGE_SIZE;
    let growing = false;
    let movedDown = 0;
    let lastTotal: number | undefined;
    let largestPage = 0;
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      let response = await get(`/orders?${ORDER_INCLUDES}&offset=${offset}&limit=${limit}`);
      // An ICM without the list: nothing listed, said so (the caller decides what that means).
      if (page === 0 && NO_LIST.includes(response.status)) return { data: [], included: undefined, unlisted: true };
      if (page === 0 && response.status === 400) {
        // Seed §2.3 shows no paging: an ICM may refuse `offset` / `limit` as parameters it does not
        // know. The list is then asked without them, as the whole list, now and later (before,
        // every listing and every search for a lost creation was PROVIDER_REJECTED).
        const whole = await get(`/orders?${ORDER_INCLUDES}`);
        if (whole.status >= 200 && whole.status < 300) {
          const own = ownPage(whole.text);
          if (own === undefined) {
            this.pagingRefused = true;
            return this.wholeList(whole);
          }
          // Not the whole list: ICM's own first page, its `info` saying its `limit` and a `total`
          // beyond it. ICM refused the gateway's `limit` (one above its largest page, a validated
          // parameter), not paging: the pages go on at its own limit, now and later (before, its
          // first page was taken for the whole list, for good: older orders were never listed).
          this.ownPageLimit = own;
          limit = own;
          response = whole;
        }
      }
      // A later page refused at ICM's own limit: the pages read so far are the list, as an ICM
      // that does not page answers its first (before this paging, that was all it listed).
      if (page > 0 && response.status === 400 && this.ownPageLimit !== undefined) return { data, included };
      this.expectOk(response);
      const list = this.withAbsoluteEntries(parseWire(PROVIDER, IntershopOrderListDocument, nullCollectionAsEmpty(response.text), ICM_JSON));
      included = mergeIncluded(included, list.included);
      const fresh = list.data.filter((entry) => !ids.has(idOf(entry)));
      for (const entry of fresh) ids.add(idOf(entry));
      data.push(...fresh);
      // ICM's `total` went down since the page before: entries gone meanwhile may have moved older
      // ones up past the overlap, so this page is asked again stepped back by as many (page-overlap.ts
      // steppedBack; round twenty-two). Before, two gone before the boundary hid the entry moved
      // across by two, and the count reached `total` without it.
      const shrunk = growing ? 0 : totalShrunk(lastTotal, list.info?.total);
      lastTotal = list.info?.total;
      if (shrunk > 0 && offset > 0) {
        offset = steppedBack(offset, shrunk);
        continue;
      }
      // Read back to the orders wanted (newest-first.ts; round twenty-six): every later page is older.
      // Only where every entry read so far is in that order: an ICM sorting otherwise is read on.
      if (since && reachesBefore(list.data, since()) && inNewestFirstOrder(data)) return { data, included };
      // As many entries as the caller will look at (listed-enough.ts; round twenty-nine): later pages only add after them.
      if (enough?.(data, included)) return { data, included };
      // Read to the end by ICM's `total` (counted and reached: page-overlap.ts; round twenty-one).
      if (!list.data.length || readToTotal(list.info?.total, ids.size, offset, list.data.length)) return { data, included };
      // Only orders read already, while ICM's `total` says there are more, or a full page of them
      // from an ICM that says no `total` (round twenty-two): orders came in on top since the page
      // before (every entry moved down by as many), so the next page is asked before the end is
      // taken, twice at most (page-overlap.ts; round twenty-one).
      largestPage = Math.max(largestPage, list.data.length);
      const maybeMovedDown = stillToRead(list.info?.total, ids.size) ? movedDown < MAX_MOVED_DOWN : readPastWithoutTotal(list.info?.total, list.data.length, largestPage, movedDown);
      if (!fresh.length && !growing && maybeMovedDown) {
        movedDown += 1;
        offset = nextPageOffset(offset, list.data.length);
        continue;
      }
      if (fresh.length) movedDown = 0;
      if (!fresh.length) {
        // The same orders again: the end, unless a full page came back (ICM ignored `offset`).
        if (growing || list.data.length < limit) return { data, included };
        growing = true;
      } else if (growing && list.data.length < limit) {
        return { data, included };
      }
      if (growing) {
        offset = 0;
        limit = data.length + LIST_PAGE_SIZE;
      } else {
        // From the last entry read (page-overlap.ts): an order gone from the list meanwhile moves the
        // entries up by one, and the one moved across the boundary is read all the same (before,
        // `offset += length` skipped it: an order ICM had was missing from `orders`).
        offset = nextPageOffset(offset, list.data.length);
      }
    }
    throw providerUnavailable(PROVIDER, new Error(`GET /orders did not end within ${MAX_LIST_PAGES} pages`));
  }

  /** The document with its PSP URLs absolute (see absoluteRedirects). */
  private withAbsoluteUrls(document: IntershopOrderDocument): IntershopOrderDocument {
    return { ...document, data: absoluteRedirects(document.data, this.options.url) };
  }

  /** A list page with its entries' PSP URLs absolute (see absoluteRedirects). */
  private withAbsoluteEntries(list: IntershopOrderListDocument): IntershopOrderListDocument {
    return { ...list, data: list.data.map((entry) => absoluteRedirects(entry, this.options.url)) };
  }

  /** GET /orders asked without `offset` / `limit`: the one answer is the whole list, each order once. */
  private wholeList(response: ProviderResponse): Omit<IntershopListedOrders, 'icmClockBehindMs'> {
    if (NO_LIST.includes(response.status)) return { data: [], included: undefined, unlisted: true };
    this.expectOk(response);
    const list = this.withAbsoluteEntries(parseWire(PROVIDER, IntershopOrderListDocument, nullCollectionAsEmpty(response.text), ICM_JSON));
    const byId = new Map<string, unknown>();
    for (const entry of list.data) if (!byId.has(idOf(entry))) byId.set(idOf(entry), entry);
    return { data: [...byId.values()], included: list.included };
  }

  /** Set once ICM refused the list's `offset` / `limit` (400) and answered without them: later listings leave them out. */
  private pagingRefused = false;
  /** ICM's own page size, once it refused the gateway's `limit` and paged by its own (see listOrders): later listings ask for it. */
  private ownPageLimit: number | undefined;
  /** Set once ICM answered a request without `lineItems` after refusing it with: later calls leave it out at once. */
  private lineItemsRefused = false;
  /** The requests ICM took only without any `include` (see call): later ones leave it out at once. */
  private readonly includeRefused = new Set<IncludeFree>();
  /** Set once ICM asked for a conditional PATCH (see patch): later PATCHes read the order's tag first. */
  private conditionalPatches = false;
  /** The type request bodies are labelled with: `application/json` until ICM refuses it (see send). */
  private bodyType: string = JSON_TYPE;

  /**
   * One call. A 400 refuses the request itself; a GET or PATCH sent again after one moves nothing
   * twice (§2.2: a CONTINUE is "not harmed or restarted"), and a POST is sent again only for a
   * refusal that may be its include's (resend-after-400.ts; ICM takes a basket once):
   * - a call that asked to include `lineItems` (a name no seed shows) is asked again with the
   *   seed's includes only;
   * - a PATCH, or the list, refused with those too is asked once more without `include`: the seed
   *   shows neither with one (`PATCH /orders/<orderID>`, answers without `included`; §2.3's list in
   *   prose), so an ICM may take none there (before, every continue of such an ICM was
   *   PROVIDER_REJECTED, and so was every listing). A PATCH answer without the payments is
   *   completed by a read of the order (payment-words.ts withPaymentWords); list entries take their
   *   total from the payments resource;
   * - a PATCH refused with a 400 that carries the order is not asked again (ICM answered about the
   *   order: the chain failed on it; round twenty).
   */
  private async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, unclear?: UnclearRefusal, ifMatch?: string): Promise<ProviderResponse> {
    const kind: IncludeFree | undefined = method === 'PATCH' ? 'PATCH' : method === 'GET' && path.startsWith('/orders?') ? 'list' : undefined;
    if (kind && this.includeRefused.has(kind)) return this.send(method, withoutInclude(path), body, ifMatch);
    const seedOnly = path.replace(ORDER_INCLUDES, `include=${SEED_INCLUDES}`);
    const asked = this.lineItemsRefused ? seedOnly : path;
    // A read refused with ICM's error in a 2xx that says no status (error-in-ok.ts) is asked again
    // as after a 400: a GET moves nothing, and it may be the include's refusal (round twenty-three;
    // before, every read of an ICM that refuses `lineItems` so was unreadable, for good).
    const refused = (answer: ProviderResponse) => answer.status === 400 || (method === 'GET' && errorInOk(answer.status, answer.text) === 'unsaid');
    const taken = (answer: ProviderResponse) => answer.status >= 200 && answer.status < 300 && errorInOk(answer.status, answer.text) === undefined;
    let response = await this.send(method, asked, body, ifMatch);
    if (!refused(response)) return response;
    // A PATCH refused with a 400 that carries the order (round twenty: a CONTINUE on which the chain
    // failed, answered with the rolled-back order, `failedCreationBody: 'order'`) is ICM's answer about
    // that order, not its include's refusal: not sent again. Before, the buyer's CANCEL or FAILURE
    // reached ICM twice (and a redirect result the next step of a chain would have taken as its own).
    if (method === 'PATCH' && carriesOrder(response.text)) return response;
    if (asked.includes(ORDER_INCLUDES)) {
      // A POST is the one request that makes something, and a 400 is not promised to mean it made
      // nothing (resend-after-400.ts): it is sent again only for a refusal that may be the
      // include's. Before, a creation that failed in ICM's chain (the order rolled back, the basket
      // restored) was POSTed again: a second order, the buyer's payment at the PSP a second time.
      if (method === 'POST' && !mayRefuseInclude(response.text)) return response;
      // A 400 that says nothing readable may come after ICM made the order (the include refused
      // as its answer was written) or rolled it back (a chain failed inside the POST): ICM's list
      // says which before the basket is sent again (UnclearRefusal). Before, it was sent again:
      // a failed chain's restored basket was ordered twice, the PSP asked twice.
      if (method === 'POST' && unclear && saysNothing(response.text)) {
        const outcome = await unclear();
        if (outcome === 'made') this.lineItemsRefused = true;
        if (outcome !== 'nothing') return response;
      }
      const first = response;
      response = await this.send(method, seedOnly, body, ifMatch);
      if (taken(response)) this.lineItemsRefused = true;
      // Refused again, for another reason (the basket is taken now): the first POST may have made
      // the order before refusing its include (an ICM resolving includes while it writes the
      // answer). Its outcome is unknown, so the retry looks for the order (lost-creation.ts).
      // Before, the create was PROVIDER_REJECTED while ICM held the order and its money.
      if (method === 'POST' && response.status >= 400 && response.status < 500 && !sameRefusal(first.text, response.text)) {
        this.lineItemsRefused = true;
        throw providerUnavailable(PROVIDER, new Error(`POST /orders refused its include (HTTP 400), then refused again without it (HTTP ${response.status}): the first may have made the order`));
      }
      if (!refused(response)) return response;
    }
    if (!kind || !seedOnly.includes(SEED_INCLUDES)) return response;
    const bare = await this.send(method, withoutInclude(path), body, ifMatch);
    if (taken(bare)) this.includeRefused.add(kind);
    return bare;
  }

  /**
   * One request. Seed §2.1 versions the API by media type and shows only the `Accept` a v1 client
   * sets; what a request body is labelled is not shown. `application/json` is sent first; an ICM
   * that refuses it (415: it took nothing, so sending again moves nothing twice) is sent the body
   * once more as the v1 type, and later bodies go that way at once (before, every create and
   * continue of such an ICM was PROVIDER_REJECTED).
   */
  private async send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, ifMatch?: string): Promise<ProviderResponse> {
    const type = this.bodyType;
    const response = await this.sendAs(method, path, body, type, ifMatch);
    if (body === undefined || response.status !== 415) return response;
    const other = type === JSON_TYPE ? ORDER_V1 : JSON_TYPE;
    const again = await this.sendAs(method, path, body, other, ifMatch);
    if (again.status !== 415) this.bodyType = other;
    return again;
  }

  /**
   * One request, following the web tier's redirects by the shared policy (../redirects.ts) on
   * INTERSHOP_URL's own origin only (the authentication-token is never sent to a host an answer
   * names; the seed's own answers name ICM's internal host, `jrwilms01:10080`). Each hop is its own
   * call (its own time bound). A 307 / 308 to the POST /orders not followed (another origin, past
   * the hops) was not carried out: PROVIDER_UNAVAILABLE that sent nothing, so a retry under the same
   * key POSTs at once (before, the retry searched ICM's list, found nothing and stayed
   * PROVIDER_UNAVAILABLE for a basket ICM had never been sent). A PATCH's or a read's not followed
   * stays PROVIDER_UNAVAILABLE that may have been sent: they run inside a create's flow after the
   * POST made the order, whose failure must not read as the create unsent. Any other redirect (a
   * 301 / 302 / 303 to a write) is the caller's (createOrder, continueOrder).
   */
  private async sendAs(method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, bodyType: string, ifMatch?: string): Promise<ProviderResponse> {
    const icm = onOrigins(this.options.url);
    let url = `${this.options.url}${path}`;
    for (let hops = 0; ; hops += 1) {
      const response = await callProvider(PROVIDER, url, {
        method,
        timeoutMs: this.options.timeoutMs,
        headers: {
          accept: ORDER_V1,
          ...(this.options.authToken ? { 'authentication-token': this.options.authToken } : {}),
          ...(body !== undefined ? { 'content-type': bodyType } : {}),
          // A PATCH made conditional (see patch): the version of the order it was made from.
          ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const step = redirectStep(response.status, method, response.headers?.['location'], url, icm, hops);
      // Ids beyond 2^53 written as bare JSON numbers (a Java `Long` key; round twenty-five) kept as
      // their digits before anything parses the text: `JSON.parse` would round one into another
      // order's id (json-scalars.ts). An amount that long is no amount any reading takes.
      if (step.kind === 'answer') return asStatusSaid({ ...response, text: wholeNumbersAsWritten(response.text) });
      if (step.kind === 'unfollowed') throw (method === 'POST' ? providerUnreached : providerUnavailable)(PROVIDER, new Error(`${method} ${path}: ${step.why}, not followed`));
      url = step.url;
    }
  }

  /**
   * A 4xx is ICM talking (PROVIDER_REJECTED): with its error body (CONTRACT §8), its code; the seed
   * shows no error at all, so a refusal with another body, or none, is still one, coded by its
   * HTTP status (before, it was PROVIDER_UNAVAILABLE: a refused basket looked like ICM being down).
   * A 3xx, a 5xx, "come back later" and a refused token without the body are unreadable.
   *
   * "Come back later" (429 Too Many Requests, 408, 425: comesBackLater) is PROVIDER_UNAVAILABLE
   * with or without ICM's error body: the request was turned away before it was taken (RFC 6585),
   * nothing is refused for good. Before, with ICM's body it was PROVIDER_REJECTED: a create turned
   * away by a rate limit was a definite "no", and so was the buyer's return from the PSP's page (a
   * shop tells her the payment failed while the PSP holds her money and ICM waits for the return).
   * `sentNothing`: the answer is the one request of the operation that could have changed anything
   * (the POST /orders itself), so "turned away" says ICM made nothing (a retry creates at once);
   * for any other request (a read after a PATCH, the list after a POST) it says nothing of what
   * came before, and the outcome stays unknown.
   */
  private expectOk(response: ProviderResponse, sentNothing = false): void {
    if (response.status >= 200 && response.status < 300) return;
    throw this.refusalOf(response, sentNothing);
  }

  /** What a 4xx, 5xx or 3xx answer says to the caller (see expectOk), or a 2xx carrying ICM's error (error-in-ok.ts). */
  private refusalOf(response: ProviderResponse, sentNothing = false): GatewayError {
    const away = turnedAway(PROVIDER, response.status, sentNothing);
    if (away) return away;
    let errors: IntershopErrors;
    try {
      errors = parseWire(PROVIDER, IntershopErrors, response.text, ICM_JSON);
    } catch {
      if (refusesWithoutBody(response.status, OWN_CREDENTIALS_REFUSED)) {
        return new GatewayError('PROVIDER_REJECTED', `Intershop rejected the request: HTTP ${response.status}`, { providerCode: String(response.status) });
      }
      return providerUnavailable(PROVIDER, new Error(`HTTP ${response.status} without an ICM error body`));
    }
    const { message, ...details } = rejectionDetails(errors);
    return new GatewayError('PROVIDER_REJECTED', message, details);
  }
}

/**
 * An answer as the status ICM's error says, when a 2xx carries ICM's error body and no order and
 * its error says a 4xx or 5xx (error-in-ok.ts; round twenty-three): every caller then reads it as
 * it reads that status. Any other answer as it came.
 */
function asStatusSaid(response: ProviderResponse): ProviderResponse {
  const said = errorInOk(response.status, response.text);
  if (typeof said !== 'number') return response;
  // A 5xx is read as the shared client reads one it is answered with (../http.ts): ICM's own answer,
  // done with the request, its outcome unknown (a proxy's 502 / 504 says not even that).
  const cause = new Error(`HTTP ${said}, written in its error body of a ${response.status} answer`);
  if (said >= 500) throw (said === 502 || said === 504 ? providerUnavailable : providerAnswered)(PROVIDER, cause);
  return { ...response, status: said };
}
