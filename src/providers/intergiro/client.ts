import { GatewayError, providerUnavailable, providerUnreached } from '../../domain/errors.js';
import { callProvider, comesBackLater, jsonOrUndefined, parseWire, refusesWithoutBody, turnedAway, type ProviderResponse } from '../http.js';
import { pathSegment } from '../path-segment.js';
import {
  IntergiroChangeResponse,
  IntergiroError,
  IntergiroOrder,
  IntergiroOrderList,
  liftNestedError,
  type IntergiroEventCreatable,
  type IntergiroOrderCreatable,
} from './wire.js';
import { rejectionDetails } from './mapping.js';
import { copyWrittenBy, firstPageStill, madeNoEarlierThan, nextPageUrl, pageIds, pagingOf, walkStep } from './listing-pages.js';
import { redirectStep } from '../redirects.js';
import { countsMoreThan, headerText, type ResponseHeaders } from '../listing-headers.js';
import { clockAheadByCreated } from './created-clock.js';
import { clockAheadOf, wallClockOffsetNear, wallClockOffsetOfEcho, type WallClockReading } from './dates.js';
import { MAX_READ_WAIT_MS, retryAfterMs } from './retry-after.js';
import { changeErrorAt200, UnknownChangeErrorAt200 } from './change-error-at-200.js';
import { idText } from './ids.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';

export interface IntergiroClientOptions {
  /** Base URL as the seed writes it, e.g. https://merchant.intergiro.com (paths start /v1/). */
  url: string;
  /** Private API key, sent as `Authorization: Bearer`. */
  apiKey: string;
  timeoutMs: number;
}

/** What POST /v1/order answered: an order, or the error (3-D Secure is an error with an id). */
export type CreateResult = { ok: true; order: IntergiroOrder } | { ok: false; error: IntergiroError };

const PROVIDER = 'Intergiro';
/** How Intergiro refuses the gateway's own key. */
const OWN_KEY_REFUSED = [401, 403];
/** How a server answers a path it does not serve (or, at verify, a token whose order it does not know). */
const NO_SUCH_PATH = [404, 405];
/** How many pages of one listing are asked at most (a `Link` that never ends is not followed for ever). */
const MAX_LISTING_PAGES = 20;

/** Intergiro's order REST calls, typed with its wire shapes. */
export class IntergiroClient {
  constructor(private readonly options: IntergiroClientOptions) {}

  async createOrder(creatable: IntergiroOrderCreatable): Promise<CreateResult> {
    const sentAt = Date.now();
    const response = await this.call('POST', '/v1/order', JSON.stringify(creatable));
    if (response.status >= 200 && response.status < 300) {
      const error = errorAnsweredOk(response.text);
      // An Error answered 2xx (round four: the seed names no HTTP status for an Error) whose own
      // status says "come back later" took nothing, as a 429 does (http.ts turnedAway, round
      // sixteen: read as a refusal, a throttled card creation told the shop the payment was refused).
      const away = error?.status === undefined ? undefined : turnedAway(PROVIDER, error.status);
      if (away) throw away;
      if (error) return { ok: false, error };
      const order = parseWire(PROVIDER, IntergiroOrder, response.text);
      this.readWallClock(order.created, sentAt, Date.now());
      return { ok: true, order };
    }
    return { ok: false, error: this.errorOf(response) };
  }

  /**
   * Null when this read does not find the order: Intergiro does not know it (404), or does not have
   * the endpoint at all (`GET /v1/order/{id}` is its public API, not the seed's), so the caller
   * looks for it in the seed's listing. No seed says how an Intergiro without it answers: any 4xx
   * but "come back later" (404, 405, a 400 for a path it cannot read, a 403 as API gateways answer
   * an unknown route), a 501, or a 2xx that is not an order (the listing, a page) is taken so. The
   * listing then answers for the order, and a key truly refused is refused there too.
   */
  async getOrder(id: string): Promise<IntergiroOrder | null> {
    const response = await this.read('GET', `${this.options.url}/v1/order/${pathSegment(id, 'id')}`);
    if (response.status === 501 || refusesWithoutBody(response.status)) return null;
    this.expectOk(response);
    const order = IntergiroOrder.safeParse(jsonOrUndefined(response.text));
    return order.success ? order.data : null;
  }

  /** The listing's entries, unread: the adapter reads each (one it cannot read is skipped). All its pages that can be asked (listOrderPages). */
  async listOrders(range: { start?: string; end?: string }): Promise<unknown[]> {
    return (await this.listOrderPages(range)).entries;
  }

  /**
   * The listing's entries over its pages, whether they are all of the range (`complete`), and the
   * earliest instant its oldest page may have been made (`asOf`, gateway clock: a cache's copy is
   * older than the request, listing-pages.ts madeNoEarlierThan). The seed shows one array and no
   * paging; an Intergiro that pages it says so in a header (listing-pages.ts): a `Link` to the next
   * page is followed (up to MAX_LISTING_PAGES), a page of more that names no next page this gateway
   * may ask (only `X-Total-Count`) is not complete. A link back to a page already asked ends it: the
   * paginator named it after every shift the walk met (round twenty-one for the first page and the
   * one just read, twenty-two for any). A page that repeats one read, or `[]`, ends it as
   * listing-pages.ts walkStep says (round twenty-two: a repeat is told from a shift by the first page
   * asked again).
   */
  async listOrderPages(range: { start?: string; end?: string }): Promise<{ entries: unknown[]; complete: boolean; asOf: number }> {
    const query = new URLSearchParams(Object.entries(range).filter((entry): entry is [string, string] => !!entry[1]));
    let url: string | undefined = `${this.options.url}/v1/order${query.size ? `?${query}` : ''}`;
    const asked: string[] = [];
    /** The ids of each page read (listing-pages.ts walkStep tells a link that came back by them). */
    const pages: (string[] | undefined)[] = [];
    const entries: unknown[] = [];
    let asOf = Number.POSITIVE_INFINITY;
    const page = async (at: string) => {
      const sentAt = Date.now();
      const clockBefore = this.clockRead ? this.clockAheadMs : undefined;
      const response = await this.read('GET', at);
      this.expectOk(response);
      asOf = Math.min(asOf, madeNoEarlierThan(response.headers, sentAt));
      // Round twenty-three: a copy without `Age` told by its `Date`, which then says nothing of Intergiro's clock now.
      // Only against a clock an earlier answer read: Intergiro's clock behind, unread, is no copy.
      const copy = clockBefore !== undefined && headerText(response.headers, 'age').trim() === '' ? copyWrittenBy(response.headers, sentAt, clockBefore) : undefined;
      if (copy !== undefined) {
        asOf = Math.min(asOf, copy);
        this.clockAheadMs = clockBefore!;
      }
      return { response, page: parseWire(PROVIDER, IntergiroOrderList, response.text) };
    };
    /** The last page's headers: its `X-Total-Count`, where it sends one, bounds a walk that ended by coming back. */
    let lastHeaders: ResponseHeaders = {};
    // Round twenty-six: a walk that ends by coming back (a link to a page asked, a page read again,
    // `[]`) is whole only where no `X-Total-Count` says the range holds more than it carried. A
    // paginator whose `rel="next"` loops back before its last page ends the walk so too, and was
    // read as every page read: a lost creation on a page never reached was "surely absent" and its
    // retry created, and charged, it again. Unknown now, never "not there".
    const ended = (whole: boolean) => ({ entries, complete: whole && !countsMoreThan(lastHeaders, entries.length), asOf });
    while (url && asked.length < MAX_LISTING_PAGES) {
      if (asked.includes(url)) return ended(true);
      asked.push(url);
      const got = await page(url);
      const step = pages.length ? walkStep(got.page, pages) : 'next';
      // Round twenty-two: a page read before, again: a wrap where the first page still holds what it
      // held (nothing landed at its head), a shift (not whole) where it does not.
      if (step === 'came-back') return ended(firstPageStill((await page(asked[0]!)).page, pages[0]));
      if (step !== 'next') return ended(step === 'whole');
      lastHeaders = got.response.headers;
      entries.push(...got.page);
      pages.push(pageIds(got.page));
      const paging = pagingOf(got.response.headers, entries.length, url, this.options.url);
      if (!paging.more) return { entries, complete: true, asOf };
      url = paging.next;
    }
    return { entries, complete: false, asOf };
  }

  async changeOrders(changes: { id: string; event: IntergiroEventCreatable[] }[]): Promise<IntergiroChangeResponse> {
    const sentAt = Date.now();
    const response = await this.call('PATCH', '/v1/order', JSON.stringify(changes));
    const receivedAt = Date.now();
    this.expectOk(response);
    // Taken without the echo the seed shows (a 204, an empty 200): the changes requested are what
    // it took, as an echo would say; their outcome comes with the callback either way. Read as an
    // unreadable answer, a capture Intergiro took was PROVIDER_UNAVAILABLE to the back office.
    if (response.text.trim() === '') return changes.map(({ id, event }) => ({ id, event: event.map((one) => ({ ...one })) }));
    // Round twenty-three: an Error answered 200 in place of the echo is read as that Error at its own status.
    const error = errorAnsweredOk(response.text);
    if (error) {
      const said = changeErrorAt200(error);
      if (said === 'turned-away') throw turnedAway(PROVIDER, error.status!)!;
      if (said === 'refused') {
        const { message, ...details } = rejectionDetails(error);
        throw new GatewayError('PROVIDER_REJECTED', message, details);
      }
      // Round twenty-four: neither refused nor turned away (a word, no status, a 5xx): unknown, as
      // before, but carrying the Error for a read back of what it refused (order-changes.ts).
      throw new UnknownChangeErrorAt200(error);
    }
    const orders = ordersAsChanges(jsonOrUndefined(response.text), changes);
    if (!orders) {
      const echo = parseWire(PROVIDER, IntergiroChangeResponse, response.text);
      // Round twenty-one: a dated echo shows the wall clock's offset now, as a creation's answer does.
      const dates = echo.flatMap((element) => element.event.flatMap((event) => (typeof event.date === 'string' ? [event.date] : [])));
      const offsetMs = wallClockOffsetOfEcho(dates, sentAt, receivedAt);
      if (offsetMs !== undefined) this.wallClock = { offsetMs, at: receivedAt };
      return echo;
    }
    const read = IntergiroChangeResponse.safeParse(orders);
    if (!read.success) throw providerUnavailable(PROVIDER, read.error);
    return read.data;
  }

  /**
   * The seed's verification endpoint: the full order if Intergiro signed the token, else null. The
   * seed shows no refusal: any 4xx but "come back later" (408, 425, 429) is one (a 400, 401, 403,
   * 404 for an order it does not know, 422), so a forged callback is refused (401), not retried (503).
   */
  async verifyOrderToken(token: string): Promise<IntergiroOrder | null> {
    const [first, other] = this.verifyPaths;
    let response = await this.read('POST', `${this.options.url}${first}`, token, 'application/jwt');
    if (NO_SUCH_PATH.includes(response.status)) {
      // Not there (or the order unknown there): the seed's other spelling of the path is asked once.
      const retried = await this.read('POST', `${this.options.url}${other}`, token, 'application/jwt');
      if (retried.status >= 200 && retried.status < 300) this.verifyPaths = [other, first];
      if (!NO_SUCH_PATH.includes(retried.status)) response = retried;
    }
    if (refusesWithoutBody(response.status)) return null;
    this.expectOk(response);
    return parseWire(PROVIDER, IntergiroOrder, response.text);
  }

  /**
   * Where verify is, the one that last answered first. The seed writes it twice: "use the
   * /worker-order/order/verify endpoint" (prose) and `POST /v1/worker-order/order/verify` (its
   * request). An Intergiro serving only the prose's path answered the other 404, and every genuine
   * callback was refused as forged when the gateway checks them there (no secret, no JWKS).
   */
  private verifyPaths: [string, string] = ['/v1/worker-order/order/verify', '/worker-order/order/verify'];

  private call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: string, contentType = 'application/json'): Promise<ProviderResponse> {
    return this.callUrl(method, `${this.options.url}${path}`, body, contentType);
  }

  /**
   * How far Intergiro's clock was ahead of the gateway's (ms; behind: negative) by the `Date` header
   * of the last answer that carried one (dates.ts clockAheadOf), for dating its events against the
   * gateway's own times (echo-read-back.ts datedSince); 0 until an answer says otherwise. Until a
   * `Date` is read, a creation answer's zoned `created` sets it (created-clock.ts, round twenty-nine).
   */
  clockAheadMs = 0;

  /** Whether an answer's `Date` has set clockAheadMs yet (0 until then is an assumption, not a reading). */
  private clockRead = false;

  /**
   * Round nineteen: the offset of the wall clock Intergiro writes its zoneless times in, as its
   * latest creation answer showed it (its `created`, written while the call was out), or since
   * round twenty-one its latest dated PATCH echo (dates.ts wallClockOffsetOfEcho), and when;
   * undefined until one shows it. A zone's offset moves with its daylight saving, so an order's own
   * `created` says what it was when the order was made, not what it is now (dates.ts wallClockOffsetFor).
   */
  wallClock: WallClockReading | undefined;

  private readWallClock(created: string, sentAt: number, receivedAt: number): void {
    // Round twenty-nine: with no `Date` read yet (none sent), Intergiro's clock as its zoned `created` shows it.
    const ahead = this.clockRead ? undefined : clockAheadByCreated(created, sentAt, receivedAt);
    if (ahead !== undefined) this.clockAheadMs = ahead;
    const offsetMs = wallClockOffsetNear(created, sentAt);
    // Only where the whole call agrees to the quarter hour (a slow answer straddling one would not).
    if (offsetMs === undefined || offsetMs !== wallClockOffsetNear(created, receivedAt)) return;
    this.wallClock = { offsetMs, at: receivedAt };
  }

  /**
   * A read (a GET, or verify: neither takes anything nor moves money), asked once more where
   * Intergiro turned it away ("come back later": 408, 425, 429) saying when in `Retry-After`, at
   * most MAX_READ_WAIT_MS away (retry-after.ts). The seed shows no limit; round sixteen's Intergiro
   * throttles and says when. Answered PROVIDER_UNAVAILABLE at once (round seventeen), a lost
   * creation's retry whose search was throttled left the shop without the order Intergiro had made
   * (and authorized); a capture of an order cancelled at Intergiro whose read back was throttled
   * stood on its echo, CAPTURED with nothing charged; a callback checked through a throttled verify
   * was answered 503. A write is never asked again here (round sixteen: the client's retry under
   * its key does that), nor a read a second time (a platform still throttling is unavailable).
   */
  private async read(method: 'GET' | 'POST', url: string, body?: string, contentType?: string): Promise<ProviderResponse> {
    const response = await this.callUrl(method, url, body, contentType);
    if (!comesBackLater(response.status)) return response;
    const wait = retryAfterMs(response.headers, Date.now(), this.clockAheadMs);
    if (wait === undefined || wait > MAX_READ_WAIT_MS) return response;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return this.callUrl(method, url, body, contentType);
  }

  /**
   * One request, its front tier's redirects followed by the shared policy (../redirects.ts, round
   * eighteen), only to Intergiro's own origin and path prefix (listing-pages.ts nextPageUrl: the
   * API key goes with the request). One not followed that says the request was not carried out (a
   * 307 / 308, or a read's redirect, to another host or past MAX_REDIRECTS) is PROVIDER_UNAVAILABLE
   * saying nothing was taken, so the retry under the same key sends it once; any other redirect
   * (a 301 / 302 / 303 to a write) is read as before (errorOf: PROVIDER_UNAVAILABLE, an unknown
   * outcome).
   */
  private async callUrl(method: 'GET' | 'POST' | 'PATCH', url: string, body?: string, contentType = 'application/json'): Promise<ProviderResponse> {
    const intergiros = (target: URL) => nextPageUrl(target.href, target.href, this.options.url) !== undefined;
    let target = url;
    for (let hops = 0; ; hops++) {
      const sentAt = Date.now();
      const response = await this.send(method, target, body, contentType);
      const ahead = clockAheadOf(response.headers, sentAt, Date.now());
      if (ahead !== undefined) [this.clockAheadMs, this.clockRead] = [ahead, true];
      const step = redirectStep(response.status, method, response.headers?.['location'], target, intergiros, hops);
      if (step.kind === 'answer') return response;
      if (step.kind === 'unfollowed') throw providerUnreached(PROVIDER, new Error(`${step.why}, not followed`));
      target = step.url;
    }
  }

  /**
   * One request as sent. Its answer's text keeps an id above 2^53 exactly (../long-numbers.ts, round
   * twenty-five): every read of it (an order, the listing, an Error's id, the PATCH's echo) parses
   * this text, and JSON.parse would round `"id": 1796656800123456789` to another order's digits.
   */
  private async send(method: 'GET' | 'POST' | 'PATCH', url: string, body: string | undefined, contentType: string): Promise<ProviderResponse> {
    const response = await this.request(method, url, body, contentType);
    return { ...response, text: wholeNumbersAsWritten(response.text) };
  }

  private request(method: 'GET' | 'POST' | 'PATCH', url: string, body: string | undefined, contentType: string): Promise<ProviderResponse> {
    return callProvider(PROVIDER, url, {
      method,
      timeoutMs: this.options.timeoutMs,
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        // Without it Intergiro answers with the order as a signed JWT (seed, first line).
        accept: 'application/json',
        // On a GET too, with no body: the seed's listing request shows it, as every request of the
        // seed does, and an Intergiro checking it on every request refused the reads without it (415).
        'content-type': contentType,
      },
      ...(body !== undefined ? { body } : {}),
    });
  }

  /**
   * The Error of a non-2xx answer. The seed shows no Error body: a 4xx without a readable one is
   * still a refusal, its HTTP status standing in for the Error's (PROVIDER_REJECTED). A 3xx, the
   * gateway's own key refused (401, 403) and "come back later" (408, 425, 429) without one are
   * PROVIDER_UNAVAILABLE. A "come back later" (408, 425, 429) is thrown as PROVIDER_UNAVAILABLE
   * whatever its body (http.ts turnedAway): Intergiro took nothing, and refused nothing.
   */
  private errorOf(response: ProviderResponse): IntergiroError {
    // Round sixteen: whatever its body (Intergiro's Error, an API gateway's `{message}`); read as
    // Intergiro's Error, a throttled refund was refused and a capture sent again at once under the
    // other capture word (capture-word.ts).
    const away = turnedAway(PROVIDER, response.status);
    if (away) throw away;
    try {
      const error = IntergiroError.parse(liftNestedError(JSON.parse(response.text)));
      return { ...error, status: error.status ?? response.status };
    } catch {
      if (refusesWithoutBody(response.status, OWN_KEY_REFUSED)) return { status: response.status };
      throw providerUnavailable(PROVIDER, new Error(`HTTP ${response.status} without an Intergiro error body`));
    }
  }

  private expectOk(response: ProviderResponse): void {
    if (response.status >= 200 && response.status < 300) return;
    const error = this.errorOf(response);
    const { message, ...details } = rejectionDetails(error);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }
}

/**
 * An Error answered with a 2xx: "On success, the response will be an Order, otherwise an Error will
 * be returned together with the id of the order" names no HTTP status for the Error, and an
 * implementation may answer it 200. It is a body that is no order (no `created`, no `items`, none
 * wrapped) and says what went wrong: `error` in words, or `message` beside a `type` or a 4xx `status`. Its own `status`, if any, is kept; none
 * stands in for it (a 200 would read as no refusal). Read as an order it was unreadable
 * (PROVIDER_UNAVAILABLE), and a card waiting for 3-D Secure was never stopped for it.
 */
function errorAnsweredOk(text: string): IntergiroError | undefined {
  // An Error nested beside the order's id ({id, error: {...}}) says its words as any other (wire.ts liftNestedError).
  const json = liftNestedError(jsonOrUndefined(text));
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const fields = json as Record<string, unknown>;
  if ('created' in fields || 'items' in fields) return undefined;
  // An order wrapped in something ({message: "created", order: {...}}) is a success, never an Error:
  // read as a refusal, the order it made would be made again by the retry.
  const wrapsOrder = Object.values(fields).some((value) => !!value && typeof value === 'object' && ('created' in value || 'items' in value));
  if (wrapsOrder) return undefined;
  const words = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  const status = Number(fields['status']);
  const said = words(fields['error']) || (words(fields['message']) && (words(fields['type']) || (status >= 400 && status < 500)));
  if (!said) return undefined;
  const error = IntergiroError.safeParse(json);
  return error.success ? error.data : undefined;
}

/**
 * A PATCH answered with the orders it changed, as they stand now (each an Order: its `created`,
 * `items`, `currency`, `payment` and its whole event list), in place of the seed's "same changes
 * you requested": each such element read as the changes asked of that order, as an answer without
 * the echo is (their outcome is read back, echo-read-back.ts). The seed's element `{id, event}` is
 * an Order's shape cut short, and an implementation may answer the order whole; its events, all of
 * the order's, were read as the echo and matched none of the request: every capture, refund and
 * cancel Intergiro carried out was PROVIDER_UNAVAILABLE (round twelve). Undefined where no element
 * is an order (the answer is read as it came).
 */
function ordersAsChanges(answer: unknown, changes: { id: string; event: IntergiroEventCreatable[] }[]): unknown[] | undefined {
  if (!Array.isArray(answer) || !answer.some((element) => IntergiroOrder.safeParse(element).success)) return undefined;
  const taken = new Set<number>();
  const asked = (id: unknown) => {
    const index = changes.findIndex((change, position) => change.id === idText(id) && !taken.has(position));
    if (index < 0) return undefined;
    taken.add(index);
    return changes[index]!.event.map((one) => ({ ...one }));
  };
  return answer.map((element: unknown) => {
    if (!IntergiroOrder.safeParse(element).success) return element;
    const order = element as { id: unknown };
    return { id: idText(order.id) ?? order.id, event: asked(order.id) ?? [] };
  });
}
