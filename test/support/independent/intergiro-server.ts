/**
 * An Intergiro written by someone else, from the seed (`/work/shared/seeds/intergiro-orders.txt`)
 * alone: the four endpoints it shows and nothing more, with an option for each thing the seed
 * leaves open (listed in `/work/tasks/intergiro-seed-freedoms.md`).
 *
 * What it serves, and why:
 * - `POST /v1/order`: an Order Creatable (items, currency, payment card | customer | defer, maybe
 *   customer, number, charge "auto", callback, and `id` only when resubmitting after an error).
 *   Answers the Order (200 or 201). A card whose token is `tok_3ds` first answers a "verification
 *   required" error with the order's id (the seed: "an Error will be returned together with the id
 *   of the order"); resubmitting an Order Creatable with that id completes it. `tok_declined` is
 *   refused (as an Error with the id, or as an order `denied`).
 * - `PATCH /v1/order`: `[{id, event: [...]}]`; answers 200 with the same changes (the seed: "the
 *   same changes you requested"), never the order. Event types `charge` (or `capture`), `refund`,
 *   `cancel`; `items` of an event is a number (the amount) or absent (everything).
 * - `GET /v1/order?start=&end=`: an array of orders created in that date range. There is no
 *   `GET /v1/order/<id>`: the seed shows none (404 like any unknown path).
 * - `POST /v1/worker-order/order/verify`: the JWT in, the order as JSON out (401 for a bad one).
 * - Callbacks: the order as an HS256 JWT (`application/jwt`), payload the order at the top level
 *   plus `merchant` (as the seed's example JWT shows), POSTed to the order's `callback`.
 * - Without `application/json` in Accept, an Order (create, list) is answered as a signed JWT.
 * - The order status words are lower case: created, ordered, charged, refunded, cancelled, denied
 *   (the seed shows none but payment.status "created"; the contract's §8 names them). The seed's
 *   "canceled" (one l) is an option, as is another letter case.
 * Not shown by the seed, so not here: any paging (but round thirteen's `listPageSize`), a `Location` header, `GET /v1/order/<id>`.
 * Round four's options: the words of an unpaid link, an authorized and a charged order
 * (`linkStatus`, `orderedWord`, `chargedWord`), verify at the prose's path (`verifyPath`), a PATCH
 * loop that stops at the first event it cannot carry out (`patchRefusal`), Errors answered 200
 * (`errorsAt200`), an order waiting for 3-D Secure kept, listed and called back
 * (`verificationCallback`), and the seed's `Content-Type` required on GETs (`contentTypeOnGet`).
 * Round five's: a failed change recorded the seed's way (`failedEventAs`), reads that lag the writes
 * (`readLagMs`), the listing's days in its own zone (`listDayOffsetMs`), a payment link left open
 * after a declined card (`linkStaysOpenAfterDecline`) or paid with only its payment's word moving
 * (`linkPaidOnPaymentOnly`), and a back-office charge of part of an order (`chargeBehind(id, minor)`).
 * Round six's: a back-office refund of part of an order (`refundBehind(id, minor)`), events named in
 * the seed's Callbacks tense (`eventsInPastTense`), one event as an object and none as "" (`eventShape`).
 * Round seven's: its figures in thousandths for a currency of three decimals (`amountScale`), each
 * PATCH answered late or out of order (`patchAnswerDelaysMs`), events recorded without their amounts
 * (`eventsWithoutAmounts`).
 * Round eight's: a listing of a month at most (`listMaxDays`), charge "auto" carried out after the
 * answer (`autoChargeDelayMs`), one order per merchant `number` (`numberOnce`: 409 with the holder's
 * id), a declined card's order kept for a resubmission under its id (`declinedKept`), and its
 * Errors' `status` written as a word (`errorStatusAs`), its events dated in epoch milliseconds (`eventDatesAs`).
 * Round nine's: its Errors as a field `error` beside the order's `id` (`errorShape`), and a listing
 * whose dates select orders by their last change, not their creation (`listBy`).
 * Round ten's: the order's `status` as a status list, the amount standing in each word it reached
 * (`statusAs`), and refunds recorded with negative amounts (`refundsRecordedNegative`).
 * Round eleven's: a status list's amounts as the order's amount, not money moved (`statusAs`
 * `word-amount`, `reached`), and `created` written as a JSON number (`createdFormat` `epoch-ms`, `epoch-s`).
 * Round twelve's: a status list of only the words in which money stands (`statusAs` `standing`), and
 * the word `refunded` only once all that was charged is refunded (`refundedWord` `whole`).
 * Round thirteen's: a listing of pages (`listPageSize`), its paging said by a `Link` header or only
 * by `X-Total-Count` (`listPaging`), oldest or newest first (`listNewestFirst`); charges and refunds
 * declined by the acquirer (`chargesDeclined`, `refundsDeclined`), late with `patchDelayMs`.
 * Round fourteen's: its own clock off the gateway's by a few seconds (`clockOffsetMs`), callback
 * tokens that carry iat / nbf / exp by it (`callbackClaims` `timed`), and its events dated as its
 * zone's wall clock without a zone (`eventDatesAs` `local-behind`).
 * Round fifteen's: a merchant-initiated order stopped for "verification required" (`customerVerification`).
 * Round sixteen's: a request turned away by its rate limit before anything is done (`throttleNext`,
 * answered as `throttleAnswer` says), and a PATCH echo of only the changes it carried out (`echoCarriedOutOnly`).
 * Round seventeen's: the `Retry-After` its rate limit answers with (`throttleRetryAfter`).
 * Round eighteen's: a front tier that redirects the seed's paths (`frontRedirect`).
 * Round nineteen's: a listing answered late under load, its first byte after the gateway's bound
 * (`slowListingMs`), every time written as a zone's wall clock across its daylight-saving change
 * (`wallClockZone`), and a callback delivered twice at once (`callbacks` `twice-at-once`).
 * Round twenty-one's: a paged listing's `Link` misbehaving on its last page (`listNextLink`), orders
 * made while the gateway pages (`onListPage`), a creation dropped before it reaches Intergiro
 * (`loseNext` `dropped`), the echo's dates in its zone's wall clock (`datedEchoAs`).
 * Round twenty-two's: a cache in front of the listing that answers a copy for a while, with `Age`
 * (`listCacheMs`; its hits counted in `cacheHits`, not in `requests`).
 * Round twenty-three's: the PATCH's Errors answered 200 (`patchErrorsAt200`), no keep-alive
 * (`connectionClose`), and the listing cache's copies without `Age` (`listCacheWithoutAge`).
 * Round twenty-four's: the PATCH's Errors with their `status` as a word or left out (`patchErrorStatusAs`).
 * Round twenty-five's: ids as JSON numbers (`idsAs`).
 * Round twenty-seven's: times in a platform's default format with a zone abbreviation (`timesAs`),
 * and currencies as ISO 4217 numeric codes (`currencyAs`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, jwtVerify } from 'jose';
import { createHmac } from 'node:crypto';

export interface IntergiroServerOptions {
  /** The one API key it takes (`Authorization: Bearer <key>`). */
  apiKey: string;
  /** The HS256 secret its callbacks are signed with. */
  callbackSecret: string;
  /** Create's success status: the seed says only "the response will be an Order". Default 200. */
  createStatus?: 200 | 201;
  /** Leave `status` and `event` out of a create answer, as the seed's customer-order answer does. */
  createAnswerWithoutStatus?: boolean;
  /** Letter case of the status words; default lower, as the seed writes `created`. */
  statusCase?: 'lower' | 'upper' | 'capital';
  /** `canceled` as the seed's Callbacks prose spells it, or `cancelled` (default). */
  cancelSpelling?: 'cancelled' | 'canceled';
  /**
   * `payment.amount` as a number (default) or a string (the seed quotes "<Amount of payment>").
   * Round twenty-eight, as a string in every amount it writes (the payment's, its events', a status
   * list's): `signed`, with a `+` before every amount not below zero (`"+20.00"`, `"+0.00"`), as
   * printf's `%+.2f` or a ledger's DecimalFormat with a positive prefix writes it; `zero-padded`,
   * padded with leading zeros to a fixed width (`"0020.00"`), as a fixed-width record (`%07.2f`) does.
   */
  amountAs?: 'number' | 'string' | 'signed' | 'zero-padded';
  /** `items` in an answer: as it was sent (default) or the total as a number. */
  itemsInAnswer?: 'as-sent' | 'number';
  /** The answers' content type; null sends none. Default `application/json`. */
  contentType?: string | null;
  /** The "verification required" error: the contract's §8 body (default) or the seed's bare minimum. */
  verificationError?: 'detailed' | 'minimal' | 'message';
  /** Its HTTP status; default 400. */
  errorStatus?: number;
  /** A declined card: an Error with the order id (default), or an Order with status `denied`. */
  decline?: 'error' | 'denied';
  /** The listing's `end` day counts (default) or is exclusive. */
  listEndExclusive?: boolean;
  /** The listing answers 400 without start and end. */
  listRequiresDates?: boolean;
  /** PATCH changes the order now (default) or this many ms after answering. */
  patchDelayMs?: number;
  /**
   * When a change sends a callback: never, after the answer (default), before it, or after it and
   * once more (a retry whose 2xx was lost). Round nineteen's `twice-at-once`: after it, two
   * deliveries of the same token at the same moment (two workers of its delivery queue picking the
   * same job, as an at-least-once queue does when a lease runs out): the seed says nothing of how
   * often a callback comes.
   */
  callbacks?: 'none' | 'after' | 'before' | 'twice' | 'twice-at-once';
  /**
   * Claims beside the order in a callback JWT: none (default) or iat/iss/sub; round fourteen's
   * `timed`: iat, nbf and exp (an hour) by its own clock (`clockOffsetMs`), as JWT libraries set them.
   */
  callbackClaims?: 'none' | 'registered' | 'timed';
  /**
   * Round fourteen. Its own clock is this many ms ahead of the gateway's (behind, negative): every
   * time it writes (an order's `created`, its events' `date`, a callback's claims) is by it. The
   * seed names no clock; two hosts' clocks agree only as far as their time sync holds.
   */
  clockOffsetMs?: number;
  /**
   * Round twenty-nine. Its answers carry no `Date` header (a proxy or serverless front that strips
   * it, or a server with `sendDate` off): the seed shows no header at all, so nothing but the times
   * it writes in its bodies shows its clock. Default: `Date` by its own clock, as any HTTP server.
   */
  withoutDateHeader?: boolean;
  /**
   * Round twenty-nine. Its events' amounts (and the payment's "<Amount of payment>") written in the
   * currency it settles in, converted at `rate` and named in the event's own `currency` (dynamic
   * currency conversion, a settlement currency): the seed shows no event and quotes the payment's
   * "currency": "<Currency of payment>" beside the order's "<Currency of order>", two fields.
   */
  settlementCurrency?: { currency: string; rate: number };
  /** The callback JWT's payload: the whole order (default) or only `id` and `merchant`, as far as the seed's example token can be read. */
  callbackPayload?: 'order' | 'id-only';
  /** The callback's content type; default `application/jwt`. */
  callbackContentType?: string;
  /**
   * The event `type` taken for a capture: `charge` (default, §8) or also `capture`. Round three:
   * `['capture']` alone is the seed's own verb ("In order to capture, refund or cancel an order");
   * a strict server then refuses `charge` (400) as any unknown event type.
   */
  captureWords?: string[];
  /** Listed orders without `status` (the shape of the customer-order answer); their events stay. */
  listWithoutStatus?: boolean;
  /** What a path the seed does not show answers (`GET /v1/order/<id>`): JSON 404 (default), an HTML 404, 405, 400, or the listing (a router matching the prefix). */
  unknownPath?: 'json-404' | 'html-404' | 405 | 400 | 'listing';
  /** What verify answers for a JWT it did not sign: 401 (default), 400, 403 or 422. */
  verifyRefusal?: number;
  /** `created` as UTC with milliseconds (default), in another offset without them ("<datetime of order>"), with microseconds, or without any zone (UTC meant). */
  createdFormat?: 'utc' | 'offset' | 'micro' | 'no-zone' | 'local-behind' | 'epoch-ms' | 'epoch-s';
  /** `customer` in answers as the id sent (default) or as contact information (an object). */
  customerAs?: 'id' | 'object';
  /** How many "verification required" rounds a 3-D Secure card takes (a method step, then a challenge); default 1. */
  verificationRounds?: number;
  /**
   * Round two. A strict implementation of the seed: it refuses (400, recorded in `refused`) a
   * request without the seed's headers (Bearer key, `Content-Type: application/json` on a body,
   * `application/jwt` to verify), an Order Creatable with a field the seed does not name or of
   * another type than it shows, an Event Creatable other than charge / refund / cancel with an
   * amount, a listing without `start` and `end` as YYYY-MM-DD.
   */
  strict?: boolean;
  /** The status word with spaces around it (" charged "), as a padded column would write it. */
  statusPadding?: boolean;
  /** Listed orders without their `payment` (a summary: the seed shows no listed order), which the adapter cannot read. */
  listWithoutPayment?: boolean;
  /** Listed orders without the merchant's `number` (only the verify answer of the seed shows it): left out, or as `unsetAs` writes unset fields. */
  listWithoutNumber?: boolean;
  /** How the unset optional fields (number, customer, charge, an empty event list) are written: left out (default), null, or "". */
  unsetAs?: 'absent' | 'null' | 'empty';
  /**
   * Round four. The order's status word while its payment link is not paid (the seed shows only
   * `payment.status: "created"`; the order's is "<Status of order>"): `created` (default), or
   * another word an implementer may pick for "waiting for the buyer" (`pending`, `unpaid`...).
   */
  linkStatus?: string;
  /**
   * Round four. Where verify is served: the seed's request line (`/v1/worker-order/order/verify`,
   * default) or its prose ("use the /worker-order/order/verify endpoint"); the other path is a 404.
   */
  verifyPath?: '/v1/worker-order/order/verify' | '/worker-order/order/verify';
  /**
   * Round four. An event it cannot carry out (an unknown type, a state that does not allow it):
   * a `fail` event in a 200 (default, CONTRACT §8), or a 400 for the whole PATCH sent when it
   * meets that event, the elements before it already applied (a plain loop that stops there).
   */
  patchRefusal?: 'fail-event' | 'stop-midway';
  /** Its orders shown without their events (the seed writes them only as "<Order events>"). */
  readsWithoutEvents?: boolean;
  /** The PATCH echo dates each event, whatever became of it (a failure is told only on the order). */
  datedEcho?: boolean;
  /**
   * Round twenty-one. With `datedEcho` and `wallClockZone`: the echo's dates as that zone's wall
   * clock without a zone, as it writes every other time (default: UTC, as before).
   */
  datedEchoAs?: 'wall-clock';
  /** Round four. The status word of an authorized order: `ordered` (default, §8) or another (the seed speaks of "the authorization creation"). */
  orderedWord?: string;
  /** Round four. The status word after a capture: `charged` (default, §8) or `captured` (the seed's verb, past tense). */
  chargedWord?: string;
  /**
   * Round four. Every request must say `Content-Type: application/json` but verify's, GETs too (the
   * seed's listing request shows it, with no body): a GET without it is 415.
   */
  contentTypeOnGet?: boolean;
  /**
   * Round four. An order stopped for 3-D Secure exists at Intergiro (the Error carries its id): it
   * is kept under this status word (`pending`: waiting for the step; `created`), listed, and called
   * back when the Error is answered (CONTRACT §8: a callback when an order is created).
   */
  verificationCallback?: string;
  /** Round four. How a PATCH taken is answered: 200 with the echo (default, the seed), 202 with it, 204, or 200 with an empty body. */
  patchAnswer?: 200 | 202 | 204 | 'empty' | 'orders';
  /** Round four. A card or customer order's `payment` as an object (default) or as its id, a string, as the seed's answers write "<Card payment>" in quotes. */
  cardPaymentAs?: 'object' | 'id';
  /** Round four. Errors of POST /v1/order answered 200 (the seed names no status for an Error). */
  errorsAt200?: boolean;
  /**
   * Round five. How an event it could not carry out is recorded on the order. The seed: "the order
   * will be updated with the successful or failed Event" (Callbacks); it shows no event. `fail`
   * (default): CONTRACT §8's `{type: "fail", original, error}`; `failed`: the same in the seed's
   * word (`{type: "failed", original, error}`); `status`: the Event asked for, marked
   * `status: "failed"`; `error`: the Event asked for, carrying the Error; `success`: the Event asked
   * for with `success: false`.
   */
  failedEventAs?: 'fail' | 'failed' | 'status' | 'error' | 'success';
  /**
   * Round five. Its reads (the listing, verify) show each order as it stood this many ms before (a
   * read replica behind the primary): an order created less long ago is not listed yet.
   */
  readLagMs?: number;
  /**
   * Round five. The listing's `start` / `end` days are days of its own zone, this many ms ahead of
   * UTC (the seed names no zone; an Intergiro in Stockholm counts Stockholm's days), not UTC's.
   */
  listDayOffsetMs?: number;
  /**
   * Round five. A card declined on the payment link's page is recorded as a `deny` event, and the
   * link stays open for another card: the order and its payment keep their word (`created`).
   */
  linkStaysOpenAfterDecline?: boolean;
  /**
   * Round five. A payment link paid keeps the order's own word (`created`): only its payment's
   * `status` moves (`charged`, `ordered`), the one status the seed shows for a link.
   */
  linkPaidOnPaymentOnly?: boolean;
  /**
   * Round six. The events it records on an order are named in the seed's Callbacks tense ("charged,
   * refunded or canceled"): `charged`, `refunded`, `canceled` (the seed's spelling), `ordered`,
   * instead of CONTRACT §8's verbs. A failed one keeps the word asked for in its `original`.
   */
  eventsInPastTense?: boolean;
  /**
   * Round six. The order's `event` as the seed's defer answer writes it, `"event": "<Order events>"`,
   * a placeholder in quotes like `"payment": "<Card payment>"`: its one event as an object (not in
   * an array), and none as "" (`single-or-blank`).
   */
  eventShape?: 'single-or-blank';
  /**
   * Round seven. How many of its own units make one major unit (default 100): its figures
   * (`charged`, `refunded`, `chargeBehind`'s minor units) are counted in them. 1000 keeps a
   * currency of three decimals (KWD, BHD) exact; a currency of none (JPY) is counted in hundredths.
   */
  amountScale?: number;
  /**
   * Round seven. Each PATCH, in the order they arrive, is carried out at once and answered this many
   * ms later (the next PATCH's delay is the next entry; past the list, at once): a slow answer, and
   * two PATCHes answered in the other order than they were carried out.
   */
  patchAnswerDelaysMs?: number[];
  /**
   * Round seven. The events it records on an order carry no amount (`{type, date}`): the seed shows
   * no event, and one recorded as the change it was rather than the Event Creatable sent is as faithful.
   */
  eventsWithoutAmounts?: boolean;
  /**
   * Round eight. The listing refuses (400) a range of more than this many days from `start` to
   * `end`. The seed "highly recommends" the dates "to optimize behaviour" and shows a month
   * (start=2000-01-01&end=2000-02-01, 31 days apart): an implementation may take no more than that.
   */
  listMaxDays?: number;
  /**
   * Round eight. `charge: "auto"` (the seed: `// optional`, nothing more) carried out this many ms
   * after the creation, as a job of its own: the order is answered `ordered` (its `order` event
   * only), then charged, and called back as `callbacks` says.
   */
  autoChargeDelayMs?: number;
  /**
   * Round eight. One order per merchant `number`: an Order Creatable without `id` whose `number` an
   * order already carries is refused, 409, with that order's id (the seed: "an Error will be
   * returned together with the id of the order"; "Include the id from the error response in the
   * request body for all following calls to the order-create endpoint, concerning the same order");
   * or (`answer`) answered with that order as it stands, a creation made idempotent by its number.
   */
  numberOnce?: boolean | 'answer';
  /**
   * Round eight. A declined card's order is kept `denied` under the id its Error carries, and an
   * Order Creatable resubmitted with that id (another card) authorizes it, as the seed's
   * "following calls ... concerning the same order" do.
   */
  declinedKept?: boolean;
  /**
   * Round eight. The `status` of its Errors of POST /v1/order written as a word (`"error"`), not
   * the HTTP status: the seed shows no Error body, only that one comes "together with the id of the order".
   */
  errorStatusAs?: 'word';
  /**
   * Round eight. Its events' `date` as a JSON number, milliseconds since the epoch (`Date.now()`):
   * the seed shows no event ("<Order events>"), so not how an event is dated either. Round
   * fourteen's `local-behind`: as round six's `createdFormat` of that name, its own zone's wall
   * clock (five hours behind UTC) without a zone, as one serialiser writes every time it has.
   */
  eventDatesAs?: 'epoch-ms' | 'local-behind';
  /**
   * Round nine. Its Errors written as the seed's sentence reads, "an Error will be returned together
   * with the id of the order": the Error (`{status, type, error, content}`) as a field `error` beside
   * the order's `id`, not its fields spread beside it (`nested`).
   */
  errorShape?: 'nested';
  /**
   * Round nine. The listing's `start` / `end` select orders by the day of their last change (their
   * last event's date, else `created`), not of their creation: the seed "highly recommends the date
   * queries" and names no date they apply to; a listing of what changed in a range is what a
   * merchant's reconciliation wants.
   */
  listBy?: 'changed';
  /**
   * Round ten. The order's `status` as a status list, each word it has reached with the amount that
   * stands in it (`{"ordered": 0, "charged": 7.5, "refunded": 5}`), not one word: the seed writes it
   * `"status": "<Status of order>"`, a placeholder in quotes as `"payment": "<Card payment>"` is, and
   * the payment is an object. The words and their spelling are as `word` writes them.
   * Round eleven, two other readings of a list's amounts, neither of them money that moved:
   * `word-amount`, the order's one word with the order's amount (`{"refunded": 20}` after a refund
   * of 5.00); `reached`, each word the order reached with the order's amount in it
   * (`{"ordered": 20, "charged": 20, "refunded": 20}`).
   * Round twelve: `standing`, the list of round ten without the words in which nothing stands
   * (a list kept as a map of the money in each word, a word dropped once it holds none): one word
   * where only one holds money (`{"charged": 12.34}` after a charge of part of the order,
   * `{"refunded": 12.34}` once all of it is refunded).
   */
  statusAs?: 'list' | 'word-amount' | 'reached' | 'standing';
  /**
   * Round ten. The refunds it records on an order carry their amount as a negative number (money
   * going back, as a ledger writes it: `{type: "refund", items: -5}`), the charges a positive one;
   * the PATCH echo is still "the same changes you requested". The seed shows no event ("<Order events>").
   */
  refundsRecordedNegative?: boolean;
  /**
   * Round twelve. The order's word after a refund of part of what was charged: `refunded` (default)
   * or, `whole`, still `charged` (money is still charged on it), `refunded` only once all of it is
   * refunded. The seed names the words only in "such as being charged, refunded or canceled".
   */
  refundedWord?: 'whole';
  /**
   * Round thirteen. The listing answers at most this many orders per request, oldest first (or
   * newest first: `listNewestFirst`); `?page=<n>` (from 1) asks for another. The seed says only
   * "The response will be an array of orders" and "highly recommends" the dates "to optimize
   * behaviour": a listing kept short by a page size is as plausible as one kept short by dates.
   * Its array stays bare; that it is one page of more is said in a header (`listPaging`).
   */
  listPageSize?: number;
  /**
   * Round thirteen. How a page of more says so: a `Link` header to the next page (`rel="next"`,
   * default), or only `X-Total-Count` (how many the range holds), as bare-array APIs page.
   */
  listPaging?: 'link' | 'total-count';
  /** Round thirteen. The listing's pages newest first (default oldest first, as the orders were made). */
  listNewestFirst?: boolean;
  /**
   * Round twenty-one. How the `Link` of a paged listing (`listPageSize`, `listPaging` 'link') misbehaves
   * on its last page, as paginators do (the seed shows no paging at all): a `rel="next"` back to page
   * one (`back-to-first`, a cursor that wraps), to the last page itself (`to-itself`, a page number
   * clamped to the last), or a next link on every page, those past the end answered `[]` (`past-end`).
   * Default: the last page names no next page. Round twenty-two: `back-to-second`, back to page two
   * (a cursor ring whose head is not the first page, a page number wrapped modulo the pages past one).
   */
  listNextLink?: 'back-to-first' | 'to-itself' | 'past-end' | 'back-to-second' | 'back-early';
  /**
   * Round twenty-six. `X-Total-Count` (how many the range holds) sent beside the `Link` of a paged
   * listing, as many bare-array APIs send both. With `listNextLink` `back-early`, page two's
   * `rel="next"` (and every later page's) leads back to page one though more pages follow (a cursor
   * ring cut short, a page number wrapped modulo the wrong count): pages past two are never linked.
   */
  listTotalCount?: boolean;
  /**
   * Round twenty-one. Called as each listing page is answered (its number, from 1): a test makes
   * orders there, as other shops' checkouts land while the gateway pages (newest first they push the
   * orders already listed onto the next page).
   */
  onListPage?: (page: number) => Promise<void> | void;
  /**
   * Round thirteen. Every charge is declined by the acquirer (an authorization it no longer
   * honours): recorded as a failed Event (`failedEventAs`), the order staying `ordered`. With
   * `patchDelayMs` the decline comes that long after the PATCH's echo, as the seed's Callbacks
   * tell it: "the order will be updated with the successful or failed Event".
   */
  chargesDeclined?: boolean;
  /** Round thirteen. Every refund is refused (its acquirer's answer), recorded as a failed Event, as `chargesDeclined` does charges. */
  refundsDeclined?: boolean;
  /**
   * Round fifteen. A merchant-initiated order (`payment: {type: "customer"}`) first answers
   * "verification required" with its id, as a card needing 3-D Secure does: the seed's "Whenever a
   * verification required error is returned, 3D Secure needs to be performed" names no payment
   * type, and an issuer may ask for the cardholder on a saved card the merchant charges. The seed's
   * way through is its saved-card flow: the payment method converted into a Card Payment Creatable
   * (<intergiro-payment-update>) and the Order Creatable resubmitted with that payment and the id.
   */
  customerVerification?: boolean;
  /**
   * Round sixteen. How a request its rate limit turns away (`throttleNext`) is answered: 429 with
   * `Retry-After: 1` and its own Error (`error`, default: `{status: 429, type: "too many requests",
   * error}`, as every other Error it answers; with `errorsAt200`, a creation's answered 200), or with
   * an API gateway's `{message: "Too Many Requests"}` in front of it (`message`); or another "come
   * back later" status (408, 425) with its Error. The seed shows no limit, but "highly recommends"
   * the listing's dates "to optimize behaviour": a platform that guards its resources throttles.
   */
  throttleAnswer?: 'error' | 'message' | 408 | 425;
  /**
   * Round sixteen. The PATCH echo holds only the changes it carried out: a failed event is left out
   * of its element, an element whose events all failed is left out (the failure recorded on the
   * order as `failedEventAs` says). The seed: "You should get a 200 response with the same changes
   * you requested" (the changes made, as an implementer may read "the same changes").
   */
  echoCarriedOutOnly?: boolean;
  /**
   * Round seventeen. The `Retry-After` of a request its rate limit turns away (`throttleNext`):
   * seconds as a string (default `'1'`), an HTTP date (`'date'`: that many seconds on, `seconds`),
   * or none (`null`). RFC 9110 allows either form; the seed shows no limit at all.
   */
  throttleRetryAfter?: string | null | { date: number };
  /**
   * Round eighteen. Its front tier (a load balancer, a framework's router) redirects requests of
   * the seed's paths before anything is done: `status` with a `Location` to `to`. `trailing-slash`:
   * the same path with a trailing slash (relative `Location`, query kept), which it then serves (a
   * router with strict trailing slashes, as Express's `strict`, Django's APPEND_SLASH or Spring's
   * do); `moved`: another path prefix on the same host (`/api/v1/...`, served); an origin
   * (`http://host:port`): the same path on another host (the test's recorder). `methods`: the
   * methods so redirected (default all). The seed shows the host and paths of its requests and
   * nothing of the tier in front of them; a 307 / 308 keeps the method and body (RFC 9110 15.4.8,
   * 15.4.9), a 301 / 302 may be followed as a GET.
   */
  frontRedirect?: { status: 301 | 302 | 307 | 308; to: 'trailing-slash' | 'moved' | string; methods?: ('GET' | 'POST' | 'PATCH')[] };
  /**
   * Round nineteen. The listing (`GET /v1/order`) answers this many ms late, nothing written before
   * (a slow first byte: a listing of a busy merchant's range under load). The seed shows no answer
   * time for any request and "highly recommends" the dates "to optimize behaviour". Settable
   * between requests (`server.options`).
   */
  slowListingMs?: number;
  /**
   * Round nineteen. Every time it writes (an order's `created`, its events' `date`) as this IANA
   * zone's wall clock without a zone (`2026-10-20T12:00:00`), its offset what the zone's is at that
   * instant: across a daylight-saving change (Europe/Stockholm: +02:00 in summer, +01:00 after the
   * last Sunday of October) two of its times are written in two offsets. Rounds six and fourteen
   * wrote a fixed offset; the seed names no zone ("<datetime of order>"), and a Swedish platform
   * writing its local time keeps its zone's rules.
   */
  wallClockZone?: string;
  /**
   * Round twenty-two. A cache in front of the listing (a CDN, an API gateway's response cache)
   * keeps each `GET /v1/order` answer (per URL, key and Accept) this many ms and answers a copy
   * meanwhile, as RFC 9111 has a shared cache answer: the stored status, headers (its original
   * `Date`) and body, with `Age` (whole seconds it has held it) and `Cache-Control: max-age`; the
   * request never reaches Intergiro. The seed shows no caching header and no answer's freshness;
   * it "highly recommends" the dates "to optimize behaviour". Settable between requests.
   */
  listCacheMs?: number;
  /**
   * Round twenty-three. The Errors of `PATCH /v1/order` answered HTTP 200 with the Error as the body
   * (`{status: 400, type, error}`; its rate limit's `{status: 429, ...}` too), as round four's
   * `errorsAt200` does for the creation: the seed shows the PATCH's "200 response with the same
   * changes you requested" and no refusal of a change at all, and a framework that never sets a
   * status answers every body 200. Its refusals here: the strict server's, `stop-midway`'s, a body
   * that is no array, and `throttleNext('PATCH')`.
   */
  patchErrorsAt200?: boolean;
  /**
   * Round twenty-three. Every answer carries `Connection: close` and its connection is closed after
   * it (a server without keep-alive, as an HTTP/1.0 front or a proxy configured so answers): the
   * seed shows nothing of the connection.
   */
  connectionClose?: boolean;
  /**
   * Round twenty-three. The listing cache (`listCacheMs`) answers its copies without `Age`, its
   * stored headers as they were (their `Date` the original's), as a reverse proxy's cache that
   * does not add one answers (nginx's proxy_cache), against RFC 9111 §5.1.
   */
  listCacheWithoutAge?: boolean;
  /**
   * Round twenty-four. The `status` of the PATCH's Errors (its refusals, its rate limit's) written
   * as a word (`"error"`, as round eight's `errorStatusAs` writes the creation's) or left out
   * (`none`): the seed shows no Error body for any request, only that one comes "together with the
   * id of the order". With `patchErrorsAt200`, nothing in the answer is a number that says refused.
   */
  patchErrorStatusAs?: 'word' | 'none';
  /**
   * Round twenty-five. Its ids as JSON numbers: the seed quotes every placeholder
   * (`"id": "<Identifier of order in Intergiro's system>"`, as it quotes `"items": "<numer or item
   * information ...>"`, a number in its own examples), so an implementation keying its orders by a
   * database sequence writes `"id": 100001` (and a customer's id so), and takes the id back as a
   * number or as its digits (a SQL driver casts `'100001'` to a bigint). `number`: ids within 2^53;
   * `unsafe-number`: ids above it (a 64-bit snowflake), which JSON.parse cannot read exactly. Written
   * as numbers in every JSON answer (and, within 2^53, in the callback's token).
   */
  idsAs?: 'number' | 'unsafe-number';
  /**
   * Round twenty-seven. Every time it writes (`created`, its events' `date`) as its platform's
   * default formatter writes Stockholm's time: Go's `time.Time.String()` (`go`: "2026-12-07
   * 17:36:51.123 +0100 CET", with the monotonic reading Go appends to a `time.Now()` value,
   * `go-monotonic`: "... CET m=+12.345678901"), or strftime's `%Y-%m-%d %H:%M:%S %Z` (`strftime`:
   * "2026-12-07 17:36:51 CET", the zone's abbreviation and no offset). The seed writes only
   * "<datetime of order>" and shows no event. Round twenty-eight: PHP's `Y-m-d H:i:s e`
   * (`zone-name`: "2026-12-07 17:36:51 Europe/Stockholm", the IANA zone's name and no offset), and
   * Java's `ZonedDateTime.toString()` (`java-zoned`: "2026-12-07T17:36:51.123+01:00[Europe/Stockholm]").
   */
  timesAs?: 'go' | 'go-monotonic' | 'strftime' | 'zone-name' | 'java-zoned';
  /**
   * Round twenty-seven. The order's (and its payment's) `currency` as its ISO 4217 numeric code,
   * as an acquiring core speaking ISO 8583 keeps it (EUR `"978"`, SEK `"752"`, or the JSON number
   * `978`): the seed writes "<Currency of order>" in its answers and shows "EUR" only in a request.
   */
  currencyAs?: 'numeric-text' | 'numeric';
}

/** Round twenty-seven (`currencyAs`): ISO 4217 numeric codes of the currencies the rounds use. */
const NUMERIC_CURRENCY: Record<string, string> = { EUR: '978', SEK: '752', NOK: '578', DKK: '208', JPY: '392', KWD: '414', ISK: '352', USD: '840', GBP: '826' };

/** Round twenty-seven (`timesAs`): an ISO instant as Stockholm's time in a platform's default format. */
function platformTime(format: NonNullable<IntergiroServerOptions['timesAs']>, iso: string): string {
  const instant = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const wall = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
  const offsetHours = Math.round((Date.parse(`${wall.replace(' ', 'T')}Z`) - Math.floor(instant.getTime() / 1000) * 1000) / 3_600_000);
  const abbreviation = offsetHours === 2 ? 'CEST' : 'CET';
  if (format === 'strftime') return `${wall} ${abbreviation}`;
  if (format === 'zone-name') return `${wall} Europe/Stockholm`;
  // Java's ISO_ZONED_DATE_TIME: the fraction as LocalTime#toString writes it (3, 6 or 9 digits, none where zero).
  const javaMs = instant.getUTCMilliseconds();
  if (format === 'java-zoned') return `${wall.replace(' ', 'T')}${javaMs ? `.${String(javaMs).padStart(3, '0')}` : ''}+0${offsetHours}:00[Europe/Stockholm]`;
  // Go trims a fraction's trailing zeros (format "2006-01-02 15:04:05.999999999 -0700 MST").
  const ms = instant.getUTCMilliseconds();
  const fraction = ms ? `.${String(ms).padStart(3, '0').replace(/0+$/, '')}` : '';
  return `${wall}${fraction} +0${offsetHours}00 ${abbreviation}${format === 'go-monotonic' ? ' m=+12.345678901' : ''}`;
}

interface StoredOrder {
  id: string;
  number?: unknown;
  created: string;
  customer?: unknown;
  callback?: string;
  items: unknown;
  currency: string;
  charge?: string;
  payment: Record<string, unknown>;
  status: string;
  event: Record<string, unknown>[];
  /** Minor units. */
  amount: number;
  charged: number;
  refunded: number;
}

export interface IntergiroServer {
  url: string;
  /** Every request seen, as `METHOD path` with the parsed body (for assertions on what was sent). */
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: unknown }[];
  /** Callbacks it sent and the status each got (and the token, to post it again out of order). */
  callbacksSent: { orderId: string; status: number; token?: string }[];
  /** Requests a strict server refused, with why (round two). */
  refused: { method: string; path: string; why: string }[];
  /**
   * The next request of this method (and path) is carried out, and then its answer is lost: the
   * connection is reset, or this status answered instead. Round twenty-one: `dropped`, the connection
   * reset before the request reaches Intergiro (nothing carried out).
   */
  loseNext(method: 'POST' | 'PATCH' | 'GET', how: 'reset' | 'dropped' | number, path?: string): void;
  /** Answers still to be lost (loseNext) that no request took yet are forgotten (a test's faults do not outlive it). */
  forgetLosses(): void;
  /** Round sixteen. The next request of this method (and path) is turned away by the rate limit, nothing done (`throttleAnswer`); counted in `throttled`. */
  throttleNext(method: 'POST' | 'PATCH' | 'GET', path?: string): void;
  /** Requests turned away by the rate limit (round sixteen). */
  throttled: { method: string; path: string }[];
  /** Round eighteen. Requests its front tier redirected (`frontRedirect`), nothing done; not in `requests`. */
  redirectsSent: { method: string; path: string }[];
  /** Round twenty-two. Listings its cache answered (`listCacheMs`), with the `Age` it gave; not in `requests`. */
  cacheHits: { path: string; age: number }[];
  /** Round twenty-two. Empties the listing cache (`listCacheMs`): as its entries expire. */
  purgeListCache(): void;
  /** The buyer's card is declined on the payment link page: the order is `denied` (a callback tells it). */
  declineLink(id: string): Promise<void>;
  order(id: string): StoredOrder | undefined;
  /** The buyer pays a payment link (`defer`) order: charged (charge auto) or ordered. */
  payLink(id: string): Promise<void>;
  /** Cancels an order at Intergiro itself (its back office), telling nobody. */
  /** Round twenty-one. An order another shop's checkout made (a card authorized, 20.00 EUR), not through the gateway; its id. */
  madeElsewhere(): string;
  cancelBehind(id: string): void;
  /** Charges an authorized order at Intergiro itself (its back office), telling nobody: whole, or `minorUnits` of it (round five; its event then carries them). */
  chargeBehind(id: string, minorUnits?: number): void;
  /** Round six. Refunds `minorUnits` of a charged order at Intergiro itself (its back office), telling nobody: a `refund` event carrying them (round twelve: not with `eventsWithoutAmounts`). */
  refundBehind(id: string, minorUnits: number): void;
  /** Sets an order's created time (to test date ranges). */
  setCreated(id: string, created: string): void;
  options: IntergiroServerOptions;
  close(): Promise<void>;
}

/** An amount in major units as the server's own units (`scale` of them to one major unit: amountScale). */
const minor = (value: unknown, scale = 100): number => {
  const number = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Math.round(number * scale);
};

/** "number or item information or array of items objects": a number, one item or an array of items. */
function itemsTotal(items: unknown, scale = 100): number {
  if (typeof items === 'number' || typeof items === 'string') return minor(items, scale);
  const list = Array.isArray(items) ? items : items && typeof items === 'object' ? [items] : [];
  return list.reduce((sum: number, item: Record<string, unknown>) => sum + minor(item['price'], scale) * Number(item['quantity'] ?? 1), 0);
}

/** A time as "2026-12-04T23:10:05+02:00": another offset, no milliseconds. */
function inOffset(date: Date): string {
  const shifted = new Date(date.getTime() + 2 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+02:00`;
}

/** "<datetime of order>" as the options write it. */
function createdIn(format: IntergiroServerOptions['createdFormat'], date: Date): string {
  if (format === 'offset') return inOffset(date);
  if (format === 'micro') return date.toISOString().replace(/Z$/, '417Z');
  if (format === 'no-zone') return date.toISOString().slice(0, 19);
  // Round six: its own zone's wall clock, five hours behind UTC, without a zone (as "<datetime of order>" allows).
  if (format === 'local-behind') return new Date(date.getTime() - 5 * 3_600_000).toISOString().slice(0, 19);
  return date.toISOString();
}

const CREATABLE_FIELDS = new Set(['id', 'number', 'items', 'currency', 'charge', 'customer', 'callback', 'payment']);
const PAYMENT_FIELDS: Record<string, Set<string>> = {
  card: new Set(['type', 'card', 'client', 'subsequent']),
  customer: new Set(['type']),
  defer: new Set(['type', 'method', 'cardholderName', 'redirectUrl']),
};
const isDay = (value: string | null): boolean => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Why a strict implementation refuses this Order Creatable, or undefined (the seed's fields and types only). */
function strictCreatableProblem(body: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(body).filter((key) => !CREATABLE_FIELDS.has(key));
  if (unknown.length) return `unknown fields ${unknown.join(',')}`;
  if (typeof body['currency'] !== 'string' || !/^[A-Z]{3}$/.test(body['currency'])) return 'currency';
  const items = body['items'];
  const item = (entry: unknown) =>
    !!entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>)['name'] === 'string' && typeof (entry as Record<string, unknown>)['price'] === 'number' && ['number', 'undefined'].includes(typeof (entry as Record<string, unknown>)['quantity']);
  if (!(typeof items === 'number' || (Array.isArray(items) && items.length && items.every(item)))) return 'items';
  if (body['number'] !== undefined && typeof body['number'] !== 'string' && typeof body['number'] !== 'number') return 'number';
  if (body['charge'] !== undefined && body['charge'] !== 'auto') return 'charge';
  if (body['customer'] !== undefined && typeof body['customer'] !== 'string') return 'customer';
  if (body['callback'] !== undefined && (typeof body['callback'] !== 'string' || !/^https?:\/\//.test(body['callback']))) return 'callback';
  const payment = body['payment'] as Record<string, unknown>;
  const allowed = PAYMENT_FIELDS[String(payment['type'])];
  if (!allowed) return 'payment.type';
  const extra = Object.keys(payment).filter((key) => !allowed.has(key));
  if (extra.length) return `unknown payment fields ${extra.join(',')}`;
  if (payment['type'] === 'defer' && payment['method'] !== 'link') return 'payment.method';
  if (payment['cardholderName'] !== undefined && payment['cardholderName'] !== 'required') return 'payment.cardholderName';
  const subsequent = payment['subsequent'] as Record<string, unknown> | undefined;
  if (subsequent !== undefined && (typeof subsequent['reference'] !== 'string' || typeof subsequent['initiator'] !== 'string')) return 'payment.subsequent';
  return undefined;
}

/** Why a strict implementation refuses this PATCH body, or undefined. */
function strictChangeProblem(body: unknown, captureWords: string[] = ['charge']): string | undefined {
  if (!Array.isArray(body) || !body.length) return 'array expected';
  for (const entry of body as Record<string, unknown>[]) {
    if (!entry || typeof entry['id'] !== 'string' || !Array.isArray(entry['event']) || !entry['event'].length) return 'id and event';
    const keys = Object.keys(entry).filter((key) => key !== 'id' && key !== 'event');
    if (keys.length) return `unknown fields ${keys.join(',')}`;
    for (const event of entry['event'] as Record<string, unknown>[]) {
      if (![...captureWords, 'refund', 'cancel'].includes(String(event['type']))) return `event type ${String(event['type'])}`;
      if (event['items'] !== undefined && (typeof event['items'] !== 'number' || event['items'] <= 0)) return 'event items';
      if (event['type'] === 'cancel' && event['items'] !== undefined) return 'cancel with items';
    }
  }
  return undefined;
}

export async function startIntergiroServer(options: IntergiroServerOptions): Promise<IntergiroServer> {
  /** Its own clock (round fourteen: `clockOffsetMs` off the gateway's), for every time it writes. */
  const ownClock = () => new Date(Date.now() + (options.clockOffsetMs ?? 0));
  const createdNow = () => createdIn(options.createdFormat, ownClock());
  const refused: IntergiroServer['refused'] = [];
  const losses: { method: string; path?: string; how: 'reset' | 'dropped' | number }[] = [];
  /** Whether this request's answer is to be lost (and how), taken from the queue. */
  const lossFor = (method: string, path: string) => {
    const index = losses.findIndex((loss) => loss.method === method && (!loss.path || loss.path === path));
    return index < 0 ? undefined : losses.splice(index, 1)[0]!.how;
  };
  /** Round sixteen: requests to turn away (throttleNext), and those turned away. */
  const throttles: { method: string; path?: string }[] = [];
  const throttled: IntergiroServer['throttled'] = [];
  const redirectsSent: IntergiroServer['redirectsSent'] = [];
  const orders = new Map<string, StoredOrder>();
  /** Ids handed out with a "verification required" error, waiting for the resubmission. */
  const awaitingVerification = new Map<string, number>();
  const requests: IntergiroServer['requests'] = [];
  const callbacksSent: IntergiroServer['callbacksSent'] = [];
  const secret = new TextEncoder().encode(options.callbackSecret);
  let sequence = 0;
  const newId = () =>
    options.idsAs === 'number'
      ? String(100_000 + ++sequence * 7)
      : options.idsAs === 'unsafe-number'
        ? (1_796_656_800_123_456_789n + BigInt(++sequence * 7)).toString()
        : `ind${(++sequence).toString().padStart(4, '0')}${Math.random().toString(36).slice(2, 11)}`.slice(0, 16);
  /** Round twenty-five (idsAs): an id (or customer id) of digits written as a JSON number, exactly as stored. */
  const idsAsNumbers = (text: string): string =>
    options.idsAs ? text.replace(/"(id|customer)":"(\d{1,20})"/g, '"$1":$2') : text;

  const word = (status: string): string => {
    const charged = status === 'charged' && options.chargedWord ? options.chargedWord : status === 'ordered' && options.orderedWord ? options.orderedWord : status;
    const spelled = charged === 'cancelled' && options.cancelSpelling === 'canceled' ? 'canceled' : charged;
    if (options.statusCase === 'upper') return spelled.toUpperCase();
    if (options.statusCase === 'capital') return spelled[0]!.toUpperCase() + spelled.slice(1);
    return spelled;
  };
  /** An event's type as recorded (eventsInPastTense). */
  const recorded = (type: string): string =>
    !options.eventsInPastTense ? type : ({ charge: 'charged', capture: 'charged', refund: 'refunded', cancel: 'canceled', order: 'ordered' } as Record<string, string>)[type] ?? type;
  const scale = options.amountScale ?? 100;
  const decimals = Math.round(Math.log10(scale));
  const money = (minorUnits: number): number | string => {
    const text = (minorUnits / scale).toFixed(decimals);
    // Round twenty-eight: a `+` before an amount not below zero, or leading zeros to a fixed width.
    if (options.amountAs === 'signed') return `+${text}`;
    if (options.amountAs === 'zero-padded') return text.padStart(decimals + 5, '0');
    return options.amountAs === 'string' ? text : minorUnits / scale;
  };
  /** An amount that may be negative (refundsRecordedNegative) as `money` writes it. */
  const signedMoney = (minorUnits: number): number | string =>
    minorUnits < 0 ? (options.amountAs && options.amountAs !== 'number' ? `-${String(money(-minorUnits)).replace(/^\+/, '')}` : -(money(-minorUnits) as number)) : money(minorUnits);

  /** Round twelve (refundedWord): `refunded`, or `charged` while part of the charge is left. */
  const wordAfterRefund = (order: StoredOrder): string => (options.refundedWord === 'whole' && order.refunded < order.charged ? 'charged' : 'refunded');
  /** An optional field: its value, or (unset) left out, null or "" as `unsetAs` says. */
  const optional = (name: string, value: unknown): Record<string, unknown> =>
    value !== undefined ? { [name]: value } : options.unsetAs === 'null' ? { [name]: null } : options.unsetAs === 'empty' ? { [name]: '' } : {};
  /** Round nineteen (wallClockZone): an ISO time as its zone's wall clock at that instant, without a zone. */
  const zoned = options.wallClockZone
    ? new Intl.DateTimeFormat('sv-SE', { timeZone: options.wallClockZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    : undefined;
  const wallClock = (time: unknown): unknown => (zoned && typeof time === 'string' ? zoned.format(new Date(time)).replace(' ', 'T') : time);
  /** Round twenty-seven (currencyAs): the currency as its ISO 4217 numeric code, as text or a JSON number. */
  const currencyShown = (code: string): unknown => {
    const numeric = options.currencyAs ? NUMERIC_CURRENCY[code] : undefined;
    return numeric === undefined ? code : options.currencyAs === 'numeric' ? Number(numeric) : numeric;
  };
  /** The order as this implementation shows it. */
  const settlementCurrency = options.settlementCurrency;
  /** Round twenty-nine: an amount as written in the settlement currency (two decimals). */
  const settle = (amount: unknown): unknown => {
    const figure = Number(amount);
    return settlementCurrency && Number.isFinite(figure) ? Math.round(figure * settlementCurrency.rate * 100) / 100 : amount;
  };
  const view = (order: StoredOrder, forCreate = false): Record<string, unknown> => {
    const shown: Record<string, unknown> = {
      id: order.id,
      ...optional('number', order.number),
      // Round eleven: "<datetime of order>" as a JSON number, epoch milliseconds or seconds (its own clock's Date.now()).
      created: options.timesAs
        ? platformTime(options.timesAs, order.created)
        : options.createdFormat === 'epoch-ms' ? Date.parse(order.created) : options.createdFormat === 'epoch-s' ? Math.floor(Date.parse(order.created) / 1000) : wallClock(order.created),
      ...optional('customer', order.customer === undefined ? undefined : options.customerAs === 'object' ? { id: order.customer, name: 'Jane Doe', email: 'jane@example.com' } : order.customer),
      ...(order.callback ? { callback: order.callback } : {}),
      items: options.itemsInAnswer === 'number' ? money(order.amount) : order.items,
      currency: currencyShown(order.currency),
      ...optional('charge', order.charge),
      // "payment": "<Card payment>" (the seed's customer-order and verify answers): one may write the card payment as its id.
      payment: options.cardPaymentAs === 'id' && order.payment['type'] !== 'defer'
        ? `pay_${order.id}`
        : settlementCurrency
          ? { ...order.payment, amount: settle(money(order.amount)), currency: settlementCurrency.currency }
          : { ...order.payment, amount: money(order.amount), currency: currencyShown(order.currency) },
    };
    // Without a status: left out, or (unsetAs) written as null or "".
    const noStatus = options.unsetAs === 'null' ? { status: null } : options.unsetAs === 'empty' ? { status: '' } : {};
    if (forCreate && options.createAnswerWithoutStatus) return { ...shown, ...noStatus };
    // Round fourteen (`local-behind`): its events dated as round six's `created` is, its own zone's wall clock without a zone.
    const dated = (date: string): unknown => (options.eventDatesAs === 'epoch-ms' ? Date.parse(date) : createdIn('local-behind', new Date(date)));
    const timesAs = options.timesAs;
    const events = timesAs
      ? order.event.map((event) => (typeof event['date'] === 'string' ? { ...event, date: platformTime(timesAs, event['date']) } : event))
      : !options.eventDatesAs && !zoned ? order.event : order.event.map((event) => (typeof event['date'] === 'string' ? { ...event, date: zoned ? wallClock(event['date']) : dated(event['date']) } : event));
    // Round twenty-nine (settlementCurrency): each amount converted and named in its own `currency`.
    const settled = settlementCurrency ? events.map((one) => (one['items'] === undefined ? one : { ...one, items: settle(one['items']), currency: settlementCurrency.currency })) : events;
    const listed = settled.length || options.unsetAs !== 'null' ? settled : null;
    const event = options.eventShape !== 'single-or-blank' ? listed : settled.length === 0 ? '' : settled.length === 1 ? settled[0] : settled;
    if (options.readsWithoutEvents) return { ...shown, status: statusShown(order) };
    return { ...shown, event, status: statusShown(order) };
  };
  /** The order's `status` as it writes it: one word (padded: statusPadding), or its status list (statusAs). */
  const statusShown = (order: StoredOrder): unknown => {
    if (options.statusAs === 'word-amount') return { [word(order.status)]: money(order.amount) };
    if (options.statusAs === 'reached') {
      const reached = order.status === 'refunded' ? ['ordered', 'charged', 'refunded'] : order.status === 'charged' ? ['ordered', 'charged'] : [order.status];
      return Object.fromEntries(reached.map((one) => [word(one), money(order.amount)]));
    }
    if (options.statusAs !== 'list' && options.statusAs !== 'standing') return options.statusPadding ? ` ${word(order.status)} ` : word(order.status);
    const list = standingIn(order);
    // Round twelve (standing): only the words in which money stands.
    return options.statusAs === 'list' ? list : Object.fromEntries(Object.entries(list).filter(([, amount]) => Number(amount) !== 0));
  };
  /** Round ten: each word reached, with the amount standing in it (what is charged and not refunded stays `charged`). */
  const standingIn = (order: StoredOrder): Record<string, unknown> => {
    if (order.status === 'charged') return { [word('ordered')]: money(0), [word('charged')]: money(order.charged) };
    if (order.status === 'refunded') return { [word('ordered')]: money(0), [word('charged')]: money(order.charged - order.refunded), [word('refunded')]: money(order.refunded) };
    return { [word(order.status)]: money(order.amount) };
  };

  /** What each order was, and since when (readLagMs): its reads show the last state older than the lag. */
  const history = new Map<string, { at: number; state: StoredOrder }[]>();
  const remember = () => {
    if (!options.readLagMs) return;
    const now = Date.now();
    for (const order of orders.values()) {
      const states = history.get(order.id) ?? [];
      const copy = structuredClone(order);
      if (JSON.stringify(states.at(-1)?.state) !== JSON.stringify(copy)) states.push({ at: now, state: copy });
      history.set(order.id, states);
    }
  };
  /** The order as a read shows it now (readLagMs); undefined: not shown yet. */
  const asRead = (order: StoredOrder): StoredOrder | undefined => {
    if (!options.readLagMs) return order;
    const cutoff = Date.now() - options.readLagMs;
    return (history.get(order.id) ?? []).filter((entry) => entry.at <= cutoff).at(-1)?.state;
  };

  /** Answers lost (loseNext): the response marked here is reset or answered with another status instead. */
  const lost = new WeakMap<ServerResponse, 'reset' | number>();
  /** Round thirteen: a listing page's paging headers (listPageSize). */
  const pageHeaders = new WeakMap<ServerResponse, Record<string, string>>();
  /** Round twenty-two (listCacheMs): the cache's copies, by URL, key and Accept. */
  const listCache = new Map<string, { at: number; status: number; headers: Record<string, string>; body: string }>();
  const cacheHits: { path: string; age: number }[] = [];
  const send = (response: ServerResponse, status: number, body: unknown, contentType = options.contentType === undefined ? 'application/json' : options.contentType) => {
    remember();
    const loss = lost.get(response);
    if (loss === 'reset') return void response.socket?.destroy();
    if (loss !== undefined) {
      response.writeHead(loss, { 'content-type': 'text/html' });
      return void response.end('<html><body>Bad Gateway</body></html>');
    }
    const text = typeof body === 'string' ? body : idsAsNumbers(JSON.stringify(body));
    // Round fourteen: `Date` by its own clock (clockOffsetMs), as an HTTP server writes it (whole seconds).
    // Round twenty-nine (withoutDateHeader): no `Date` at all (node's own one turned off too).
    if (options.withoutDateHeader) response.sendDate = false;
    response.writeHead(status, { ...(options.withoutDateHeader ? {} : { date: ownClock().toUTCString() }), ...(contentType ? { 'content-type': contentType } : {}), ...pageHeaders.get(response) });
    response.end(text);
  };
  const signed = async (payload: Record<string, unknown>) => {
    const jwt = new SignJWT({ ...payload, merchant: 'test' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
    if (options.callbackClaims === 'registered') jwt.setIssuedAt().setIssuer('intergiro').setSubject(String(payload['id']));
    // Round fourteen: issued, valid from and until by its own clock (`clockOffsetMs`), as a JWT library sets them.
    if (options.callbackClaims === 'timed') {
      const issued = Math.floor(ownClock().getTime() / 1000);
      jwt.setIssuedAt(issued).setNotBefore(issued).setExpirationTime(issued + 3600);
    }
    const token = await jwt.sign(secret);
    if (!options.idsAs) return token;
    // Round twenty-five (idsAs): the claims' ids as JSON numbers, exactly (above 2^53 too), signed again.
    const [header, body] = token.split('.') as [string, string];
    const claims = Buffer.from(idsAsNumbers(Buffer.from(body, 'base64url').toString('utf8'))).toString('base64url');
    return `${header}.${claims}.${createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url')}`;
  };
  /** "Including application/json in the Accept header will return the Order as a JSON, otherwise ... a signed JWT." */
  const answerOrder = async (request: IncomingMessage, response: ServerResponse, status: number, body: Record<string, unknown> | Record<string, unknown>[]) => {
    if ((request.headers.accept ?? '').includes('application/json')) return send(response, status, body);
    return send(response, status, await signed(Array.isArray(body) ? { list: body } : body), 'application/jwt');
  };

  const callback = async (order: StoredOrder) => {
    if (!order.callback || options.callbacks === 'none') return;
    const body = await signed(options.callbackPayload === 'id-only' ? { id: order.id } : view(order));
    if (options.callbacks === 'twice-at-once') {
      const deliver = async () => {
        try {
          const answer = await fetch(order.callback!, { method: 'POST', headers: { 'content-type': options.callbackContentType ?? 'application/jwt' }, body });
          await answer.arrayBuffer();
          callbacksSent.push({ orderId: order.id, status: answer.status, token: body });
        } catch {
          callbacksSent.push({ orderId: order.id, status: 0, token: body });
        }
      };
      await Promise.all([deliver(), deliver()]);
      return;
    }
    for (let sent = 0; sent < (options.callbacks === 'twice' ? 2 : 1); sent++) {
      try {
        const answer = await fetch(order.callback, { method: 'POST', headers: { 'content-type': options.callbackContentType ?? 'application/jwt' }, body });
        await answer.arrayBuffer();
        callbacksSent.push({ orderId: order.id, status: answer.status, token: body });
      } catch {
        callbacksSent.push({ orderId: order.id, status: 0, token: body });
      }
    }
  };
  /** Sends the callback before or after `answer`, as configured. */
  const withCallback = async (order: StoredOrder, answer: () => Promise<void> | void) => {
    if (options.callbacks === 'before') {
      await callback(order);
      await answer();
    } else {
      await answer();
      void callback(order);
    }
  };

  /** Round twenty-four: a PATCH Error's `status` as `patchErrorStatusAs` writes it (a word, or none). */
  const patchErrorBody = (body: Record<string, unknown>): Record<string, unknown> => {
    if (options.patchErrorStatusAs === 'word') return { ...body, status: 'error' };
    if (options.patchErrorStatusAs === 'none') return Object.fromEntries(Object.entries(body).filter(([field]) => field !== 'status'));
    return body;
  };

  const errorBody = (id: string, error: string, details?: Record<string, unknown>): Record<string, unknown> => {
    if (options.verificationError === 'minimal') return { id, error };
    if (options.verificationError === 'message') return { id, message: error[0]!.toUpperCase() + error.slice(1) };
    const status = options.errorStatusAs === 'word' ? 'error' : (options.errorStatus ?? 400);
    const body = { status, type: 'malformed content', error, ...(details ? { content: { property: 'card', details } } : {}) };
    return options.errorShape === 'nested' ? { id, error: body } : { ...body, id };
  };

  /** Round eight: charge "auto" carried out autoChargeDelayMs after the order was authorized, then called back. */
  const chargeLater = (order: StoredOrder) => {
    setTimeout(() => {
      if (order.status !== 'ordered') return;
      order.status = 'charged';
      order.charged = order.amount;
      order.payment = order.payment['type'] === 'defer' ? { ...order.payment, status: 'charged' } : order.payment;
      order.event.push({ type: recorded('charge'), items: money(order.amount), date: ownClock().toISOString() });
      remember();
      void callback(order);
    }, options.autoChargeDelayMs).unref();
  };

  const create = async (request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>) => {
    const payment = body['payment'] as Record<string, unknown> | undefined;
    const problem =
      body['items'] === undefined ? 'items' : typeof body['currency'] !== 'string' ? 'currency' : !payment || typeof payment !== 'object' ? 'payment' : undefined;
    if (problem) return send(response, 400, { status: 400, type: 'malformed content', error: `${problem} missing` });
    const type = payment!['type'];
    if (type === 'card' && typeof payment!['card'] !== 'string') return send(response, 400, { status: 400, type: 'malformed content', error: 'card missing' });
    if (type === 'customer' && typeof body['customer'] !== 'string') return send(response, 400, { status: 400, type: 'malformed content', error: 'customer missing' });
    if (type !== 'card' && type !== 'customer' && type !== 'defer') return send(response, 400, { status: 400, type: 'malformed content', error: 'payment type' });
    const strictProblem = options.strict ? strictCreatableProblem(body) : undefined;
    if (strictProblem) {
      refused.push({ method: 'POST', path: '/v1/order', why: strictProblem });
      return send(response, 400, { status: 400, type: 'malformed content', error: strictProblem });
    }
    // "The id field in an Order Creatable should never be populated with any id other than the id received from the order endpoint."
    // Round twenty-five (idsAs): an id taken back as a number or as its digits.
    const given = options.idsAs && typeof body['id'] === 'number' ? String(body['id']) : body['id'];
    if (options.numberOnce && given === undefined && body['number'] !== undefined) {
      const holder = [...orders.values()].find((order) => order.number !== undefined && String(order.number) === String(body['number']));
      if (holder && options.numberOnce === 'answer') return answerOrder(request, response, options.createStatus ?? 200, view(holder, true));
      const taken = { status: options.errorStatusAs === 'word' ? 'error' : 409, type: 'duplicate', error: 'number already used' };
      if (holder) return send(response, 409, options.errorShape === 'nested' ? { id: holder.id, error: taken } : { ...taken, id: holder.id });
    }
    const resumesDeclined = options.declinedKept && typeof given === 'string' && orders.get(given)?.status === 'denied';
    if (given !== undefined && (typeof given !== 'string' || (!awaitingVerification.has(given) && !resumesDeclined))) {
      return send(response, 400, { status: 400, type: 'malformed content', error: 'unknown id' });
    }
    const id = (given as string | undefined) ?? newId();
    const round = given ? (awaitingVerification.get(given) ?? 0) : 0;
    const customerStep = type === 'customer' && !!options.customerVerification && round < 1;
    if ((type === 'card' && payment!['card'] === 'tok_3ds' && round < (options.verificationRounds ?? 1)) || customerStep) {
      awaitingVerification.set(id, round + 1);
      const step = round === 0 ? 'method' : 'challenge';
      const details = { visible: step === 'challenge', method: 'POST', url: `${server.url}/3ds/${step}`, data: { type: step, threeDSServerTransID: `tx-${id}` } };
      if (options.verificationCallback) {
        // The order exists (it has an id) and waits for its step: kept, listed, and called back as such.
        const now = createdNow();
        const waiting: StoredOrder = {
          id,
          ...(body['number'] !== undefined ? { number: body['number'] } : {}),
          created: orders.get(id)?.created ?? now,
          ...(body['customer'] !== undefined ? { customer: body['customer'] } : {}),
          ...(typeof body['callback'] === 'string' ? { callback: body['callback'] } : {}),
          items: body['items'],
          currency: body['currency'] as string,
          payment: { type, created: now },
          status: options.verificationCallback,
          event: [],
          amount: itemsTotal(body['items'], scale),
          charged: 0,
          refunded: 0,
        };
        orders.set(id, waiting);
        return withCallback(waiting, () => send(response, options.errorsAt200 ? 200 : (options.errorStatus ?? 400), errorBody(id, 'verification required', details)));
      }
      return send(response, options.errorsAt200 ? 200 : (options.errorStatus ?? 400), errorBody(id, 'verification required', details));
    }
    awaitingVerification.delete(id);
    const declined = type === 'card' && payment!['card'] === 'tok_declined';
    const amount = itemsTotal(body['items'], scale);
    const now = createdNow();
    if (declined && options.decline !== 'denied') {
      if (options.declinedKept) {
        const kept: StoredOrder = {
          id,
          ...(body['number'] !== undefined ? { number: body['number'] } : {}),
          created: now,
          ...(typeof body['callback'] === 'string' ? { callback: body['callback'] } : {}),
          items: body['items'],
          currency: body['currency'] as string,
          payment: { type, created: now },
          status: 'denied',
          event: [{ type: 'deny', date: now }],
          amount,
          charged: 0,
          refunded: 0,
        };
        orders.set(id, kept);
      }
      return send(response, options.errorsAt200 ? 200 : (options.errorStatus ?? 400), errorBody(id, 'card declined'));
    }
    const charge = body['charge'] === 'auto' ? 'auto' : undefined;
    // Round eight: an automatic charge carried out later (autoChargeDelayMs), the order answered authorized.
    const chargesLater = !!charge && type !== 'defer' && !declined && options.autoChargeDelayMs !== undefined;
    const chargedNow = !!charge && !chargesLater;
    const status = declined ? 'denied' : type === 'defer' ? (options.linkStatus ?? 'created') : chargedNow ? 'charged' : 'ordered';
    const order: StoredOrder = {
      id,
      ...(body['number'] !== undefined ? { number: body['number'] } : {}),
      created: now,
      ...(body['customer'] !== undefined ? { customer: body['customer'] } : {}),
      ...(typeof body['callback'] === 'string' ? { callback: body['callback'] } : {}),
      items: body['items'],
      currency: body['currency'] as string,
      ...(charge ? { charge } : {}),
      payment:
        type === 'defer'
          ? { type: 'defer', method: 'link', created: now, status: 'created', service: 'defer', link: `${server.url}/pay/${id}` }
          : // "<Card payment>": the seed shows none of its fields but what every payment has.
            { type, created: now },
      status,
      event: type === 'defer' ? [] : [{ type: declined ? 'deny' : recorded('order'), date: now }, ...(chargedNow ? [{ type: recorded('charge'), items: money(amount), date: now }] : [])],
      amount,
      charged: chargedNow && !declined ? amount : 0,
      refunded: 0,
    };
    orders.set(id, order);
    if (chargesLater) chargeLater(order);
    await withCallback(order, () => answerOrder(request, response, options.createStatus ?? 200, view(order, true)));
  };

  /** The Event recorded for one it could not carry out (failedEventAs). */
  const failedEvent = (type: string): Record<string, unknown> => {
    const date = ownClock().toISOString();
    const error = { status: 400, type: 'malformed content' };
    switch (options.failedEventAs) {
      case 'failed':
        return { type: 'failed', original: type, error, date };
      case 'status':
        return { type, status: 'failed', date };
      case 'error':
        return { type, error, date };
      case 'success':
        return { type, success: false, date };
      default:
        return { type: 'fail', original: type, error, date };
    }
  };

  /** One Event Creatable on one order; false when the order's state does not allow it (a failed event). */
  const change = (order: StoredOrder, event: Record<string, unknown>): boolean => {
    const type = String(event['type']);
    const now = ownClock().toISOString();
    const asked = event['items'] === undefined ? undefined : itemsTotal(event['items'], scale);
    const captureWords = options.captureWords ?? ['charge'];
    const refundedBefore = order.refunded;
    if (captureWords.includes(type)) {
      if (order.status !== 'ordered' || options.chargesDeclined) return false;
      order.charged = asked ?? order.amount;
      order.status = 'charged';
    } else if (type === 'refund') {
      if ((order.status !== 'charged' && order.status !== 'paid' && order.status !== 'refunded') || options.refundsDeclined) return false;
      const amount = asked ?? order.charged - order.refunded;
      if (amount > order.charged - order.refunded) return false;
      order.refunded += amount;
      order.status = wordAfterRefund(order);
    } else if (type === 'cancel') {
      if (![options.linkStatus ?? 'created', 'created', 'pending', 'ordered'].includes(order.status)) return false;
      order.status = 'cancelled';
    } else {
      return false;
    }
    // Round ten: a refund recorded with its amount negative (refundsRecordedNegative), the whole rest written out.
    const recordedAmount = type === 'refund' && options.refundsRecordedNegative ? -(asked ?? order.refunded - refundedBefore) : asked;
    if (options.eventsWithoutAmounts) order.event.push({ type: recorded(type), date: now });
    else order.event.push({ ...event, type: recorded(type), ...(recordedAmount !== undefined ? { items: signedMoney(recordedAmount) } : {}), date: now });
    return true;
  };

  /** How many PATCHes came so far (patchAnswerDelaysMs). */
  let patchesSeen = 0;
  const patch = async (response: ServerResponse, body: unknown) => {
    // Round twenty-three (patchErrorsAt200): its refusals of a change answered 200, the Error as the body.
    const refusedWith = options.patchErrorsAt200 ? 200 : 400;
    const strictProblem = options.strict ? strictChangeProblem(body, options.captureWords) : undefined;
    if (strictProblem) {
      refused.push({ method: 'PATCH', path: '/v1/order', why: strictProblem });
      return send(response, refusedWith, patchErrorBody({ status: 400, type: 'malformed content', error: strictProblem }));
    }
    if (!Array.isArray(body)) return send(response, refusedWith, patchErrorBody({ status: 400, type: 'malformed content', error: 'array expected' }));
    const touched: StoredOrder[] = [];
    /** Round sixteen (echoCarriedOutOnly): each element's events it carried out. */
    const carriedOut: { id: unknown; event: Record<string, unknown>[] }[] = [];
    /** The event it stopped at (stop-midway), the ones before it applied. */
    let stoppedAt: string | undefined;
    const apply = () => {
      for (const entry of body as Record<string, unknown>[]) {
        const order = orders.get(String(entry['id']));
        if (!order) continue;
        const done: Record<string, unknown>[] = [];
        carriedOut.push({ id: entry['id'], event: done });
        for (const event of (entry['event'] as Record<string, unknown>[]) ?? []) {
          if (change(order, event)) {
            done.push(event);
            continue;
          }
          if (options.patchRefusal === 'stop-midway') {
            stoppedAt = `cannot ${String(event['type'])} order ${order.id}`;
            return;
          }
          order.event.push(failedEvent(String(event['type'])));
        }
        touched.push(order);
      }
    };
    if (!options.patchDelayMs) apply();
    if (stoppedAt) {
      refused.push({ method: 'PATCH', path: '/v1/order', why: stoppedAt });
      return send(response, refusedWith, patchErrorBody({ status: 400, type: 'malformed content', error: stoppedAt }));
    }
    const answer = () => {
      if (options.patchAnswer === 204) return void response.writeHead(204).end();
      if (options.patchAnswer === 'empty') return send(response, 200, '', null);
      // Round twelve: each order changed, as it stands now (its whole event list), in place of the echo.
      if (options.patchAnswer === 'orders') return send(response, 200, touched.map((order) => view(order)));
      if (options.echoCarriedOutOnly) return send(response, options.patchAnswer ?? 200, carriedOut.filter((element) => element.event.length > 0));
      if (options.datedEcho) {
        const date = options.datedEchoAs === 'wall-clock' ? wallClock(ownClock().toISOString()) : ownClock().toISOString();
        return send(response, options.patchAnswer ?? 200, (body as { id: string; event: object[] }[]).map(({ id, event }) => ({ id, event: event.map((one) => ({ ...one, date })) })));
      }
      return send(response, options.patchAnswer ?? 200, body);
    };
    if (options.patchDelayMs) {
      answer();
      setTimeout(() => {
        apply();
        remember();
        for (const order of touched) void callback(order);
      }, options.patchDelayMs);
      return;
    }
    const answerDelay = options.patchAnswerDelaysMs?.[patchesSeen++] ?? 0;
    if (options.callbacks === 'before') for (const order of touched) await callback(order);
    if (answerDelay) {
      remember();
      await new Promise((resolve) => setTimeout(resolve, answerDelay));
    }
    answer();
    if (options.callbacks !== 'before') for (const order of touched) void callback(order);
  };

  const list = async (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => {
    const start = query.get('start');
    const end = query.get('end');
    if (options.strict && (!isDay(start) || !isDay(end))) refused.push({ method: 'GET', path: '/v1/order', why: 'start and end as YYYY-MM-DD' });
    if ((options.listRequiresDates || options.strict) && (!isDay(start) || !isDay(end))) return send(response, 400, { status: 400, type: 'malformed content', error: 'start and end required' });
    if (options.listMaxDays !== undefined && isDay(start) && isDay(end) && (Date.parse(end!) - Date.parse(start!)) / 86_400_000 > options.listMaxDays) {
      refused.push({ method: 'GET', path: '/v1/order', why: `range ${start}..${end} longer than ${options.listMaxDays} days` });
      return send(response, 400, { status: 400, type: 'malformed content', error: 'range too long' });
    }
    // Its own times mean UTC, with or without a zone written; its days are its zone's (listDayOffsetMs).
    const day = (created: string) =>
      new Date(new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(created) ? created : `${created}Z`).getTime() + (options.listDayOffsetMs ?? 0)).toISOString().slice(0, 10);
    // Round nine (listBy 'changed'): the day of its last change, where an event dates it.
    const dated = (order: StoredOrder): string => {
      const last = order.event.at(-1)?.['date'];
      return options.listBy === 'changed' && typeof last === 'string' ? last : order.created;
    };
    // Round nineteen (slowListingMs): nothing written until then.
    if (options.slowListingMs) await new Promise((resolve) => setTimeout(resolve, options.slowListingMs));
    const found = [...orders.values()].flatMap((order) => asRead(order) ?? []).filter(
      (order) => (!start || day(dated(order)) >= start) && (!end || (options.listEndExclusive ? day(dated(order)) < end : day(dated(order)) <= end)),
    );
    // Round thirteen (listPageSize): one page of the range, its paging said in a header.
    const ordered = options.listNewestFirst ? [...found].reverse() : found;
    const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
    const size = options.listPageSize ?? ordered.length;
    const paged = options.listPageSize ? ordered.slice((page - 1) * size, page * size) : ordered;
    if (options.listPageSize && options.listPaging === 'total-count') pageHeaders.set(response, { 'x-total-count': String(ordered.length) });
    else if (options.listPageSize && (page * size < ordered.length || options.listNextLink)) {
      // Round twenty-one (listNextLink): the last page's link back to the first, to itself, or on past the end.
      const last = page * size >= ordered.length;
      const wrapped = { 'back-to-first': 1, 'back-to-second': Math.min(2, page), 'to-itself': page, 'past-end': page + 1, 'back-early': 1 }[options.listNextLink ?? 'to-itself'];
      // Round twenty-six (back-early): from page two on, back to page one whether or not more follow.
      const target = options.listNextLink === 'back-early' && page >= 2 ? 1 : !last ? page + 1 : wrapped;
      const next = new URLSearchParams(query);
      next.set('page', String(target));
      pageHeaders.set(response, { link: `</v1/order?${next.toString()}>; rel="next"` });
    }
    // Round twenty-six (listTotalCount): how many the range holds, beside the Link.
    if (options.listPageSize && options.listTotalCount && options.listPaging !== 'total-count') pageHeaders.set(response, { ...pageHeaders.get(response), 'x-total-count': String(ordered.length) });
    // Round twenty-one (onListPage): orders made after this page was cut and before it is answered.
    await options.onListPage?.(page);
    const shown = paged.map((order) => view(order));
    if (options.listWithoutPayment) for (const order of shown) delete order['payment'];
    if (options.listWithoutNumber) {
      for (const order of shown) {
        delete order['number'];
        Object.assign(order, optional('number', undefined));
      }
    }
    if (options.listWithoutStatus) {
      for (const order of shown) {
        delete order['status'];
        if (options.unsetAs === 'null') order['status'] = null;
        if (options.unsetAs === 'empty') order['status'] = '';
      }
    }
    await answerOrder(request, response, 200, shown);
  };

  const verify = async (response: ServerResponse, jwt: string) => {
    try {
      const { payload } = await jwtVerify(jwt.trim(), secret);
      // Round twenty-five (idsAs): the id read from the claims' text, exactly (jose's JSON.parse rounds one above 2^53).
      const exactId = /"id":(\d+)/.exec(Buffer.from(jwt.trim().split('.')[1] ?? '', 'base64url').toString('utf8'))?.[1];
      const order = orders.get(options.idsAs && exactId ? exactId : String(payload['id']));
      if (!order) return send(response, 404, { status: 404, type: 'not found' });
      return send(response, 200, view(order));
    } catch {
      return send(response, options.verifyRefusal ?? 401, { status: options.verifyRefusal ?? 401, type: 'not authorized' });
    }
  };

  const http: Server = createServer((request, response) => {
    // Round twenty-three (connectionClose): no keep-alive, every answer closes its connection.
    if (options.connectionClose) response.shouldKeepAlive = false;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const url = new URL(request.url ?? '/', 'http://intergiro.invalid');
        let body: unknown = text;
        if ((request.headers['content-type'] ?? '').includes('json') && text) {
          try {
            body = JSON.parse(text);
          } catch {
            return send(response, 400, { status: 400, type: 'malformed content' });
          }
        }
        // Round eighteen (frontRedirect): its front tier redirects the seed's paths before anything is done.
        const front = options.frontRedirect;
        if (front && (!front.methods || front.methods.includes(request.method as 'GET'))) {
          const moved = url.pathname.startsWith('/api/');
          const slashed = url.pathname.length > 1 && url.pathname.endsWith('/');
          const redirected = front.to === 'trailing-slash' ? slashed : front.to === 'moved' ? moved : false;
          if (!redirected) {
            redirectsSent.push({ method: request.method ?? '', path: url.pathname + url.search });
            const location =
              front.to === 'trailing-slash' ? `${url.pathname}/${url.search}` : front.to === 'moved' ? `/api${url.pathname}${url.search}` : `${front.to}${url.pathname}${url.search}`;
            response.writeHead(front.status, { date: ownClock().toUTCString(), location, 'content-type': 'text/plain; charset=utf-8' });
            return void response.end(`Redirecting to ${location}`);
          }
        }
        // Round twenty-two (listCacheMs): a cache in front answers the listing from its copy, Intergiro never asked.
        if (options.listCacheMs && request.method === 'GET' && url.pathname === '/v1/order') {
          const key = `${url.pathname}${url.search} ${request.headers.authorization ?? ''} ${request.headers.accept ?? ''}`;
          const maxAge = `public, max-age=${Math.floor(options.listCacheMs / 1000)}`;
          const kept = listCache.get(key);
          if (kept && Date.now() - kept.at < options.listCacheMs) {
            const age = Math.floor((Date.now() - kept.at) / 1000);
            cacheHits.push({ path: url.pathname + url.search, age });
            // Round twenty-three (listCacheWithoutAge): a cache that adds no `Age` (nginx's proxy_cache does not).
            response.writeHead(kept.status, { ...kept.headers, ...(options.listCacheWithoutAge ? {} : { age: String(age) }), 'cache-control': maxAge, 'x-cache': 'HIT' });
            return void response.end(kept.body);
          }
          // A miss: what Intergiro answers is kept (a 200 only) as it goes out.
          const writeHead = response.writeHead.bind(response) as (status: number, headers: Record<string, string>) => ServerResponse;
          const end = response.end.bind(response) as (body?: string) => ServerResponse;
          let head: { status: number; headers: Record<string, string> } | undefined;
          (response as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => {
            head = { status, headers };
            return writeHead(status, { ...headers, 'cache-control': maxAge, 'x-cache': 'MISS' });
          };
          (response as unknown as { end: typeof end }).end = (body) => {
            if (head?.status === 200 && typeof body === 'string') listCache.set(key, { at: Date.now(), ...head, body });
            return end(body);
          };
        }
        if (front?.to === 'trailing-slash' && url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.slice(0, -1);
        if (front?.to === 'moved' && url.pathname.startsWith('/api/')) url.pathname = url.pathname.slice(4);
        requests.push({ method: request.method ?? '', path: url.pathname + url.search, headers: request.headers, body });
        if (request.method === 'GET' && url.pathname.startsWith('/pay/')) return send(response, 200, '<html>pay</html>', 'text/html');
        if (request.headers.authorization !== `Bearer ${options.apiKey}`) return send(response, 401, { status: 401, type: 'not authorized' });
        const route = `${request.method} ${url.pathname}`;
        if (options.contentTypeOnGet && request.method === 'GET' && (request.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/json') {
          refused.push({ method: 'GET', path: url.pathname, why: 'content type' });
          return send(response, 415, { status: 415, type: 'malformed content', error: 'content type application/json required' });
        }
        if (options.strict) {
          const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
          const wanted = route.endsWith('/worker-order/order/verify') ? 'application/jwt' : request.method === 'GET' ? undefined : 'application/json';
          const problem = wanted && type !== wanted ? `content type ${type || 'none'}` : wanted && !text ? 'no body' : undefined;
          if (problem) {
            refused.push({ method: request.method ?? '', path: url.pathname, why: problem });
            return send(response, 400, { status: 400, type: 'malformed content', error: problem });
          }
        }
        const throttle = throttles.findIndex((one) => one.method === request.method && (!one.path || one.path === url.pathname));
        if (throttle >= 0) {
          throttles.splice(throttle, 1);
          throttled.push({ method: request.method ?? '', path: url.pathname });
          const how = options.throttleAnswer ?? 'error';
          const status = typeof how === 'number' ? how : 429;
          const atCreate = (route === 'POST /v1/order' && options.errorsAt200) || (route === 'PATCH /v1/order' && options.patchErrorsAt200);
          const body = how === 'message' ? { message: 'Too Many Requests' } : { status, type: status === 429 ? 'too many requests' : 'try again later', error: status === 429 ? 'rate limit exceeded' : 'request not taken' };
          const retryAfter = options.throttleRetryAfter === undefined ? '1' : options.throttleRetryAfter;
          if (retryAfter !== null) pageHeaders.set(response, { 'retry-after': typeof retryAfter === 'string' ? retryAfter : new Date(Date.now() + (options.clockOffsetMs ?? 0) + retryAfter.date * 1000).toUTCString() });
          return send(response, atCreate && how !== 'message' ? 200 : status, route === 'PATCH /v1/order' && how !== 'message' ? patchErrorBody(body) : body);
        }
        const loss = lossFor(request.method ?? '', url.pathname);
        // Round twenty-one: a front tier that drops the connection before the request reaches Intergiro (nothing carried out).
        if (loss === 'dropped') return void response.socket?.destroy();
        if (loss !== undefined) lost.set(response, loss);
        if (route === 'POST /v1/order') return create(request, response, body as Record<string, unknown>);
        if (route === 'PATCH /v1/order') return patch(response, body);
        if (route === 'GET /v1/order') return list(request, response, url.searchParams);
        if (route === `POST ${options.verifyPath ?? '/v1/worker-order/order/verify'}`) return verify(response, text);
        if (options.unknownPath === 'listing' && request.method === 'GET' && url.pathname.startsWith('/v1/order/')) return list(request, response, new URLSearchParams());
        if (options.unknownPath === 'html-404') return send(response, 404, '<html><body>Not Found</body></html>', 'text/html');
        if (typeof options.unknownPath === 'number') return send(response, options.unknownPath, { status: options.unknownPath, type: 'malformed content' });
        return send(response, 404, { status: 404, type: 'not found' });
      })().catch((error: unknown) => {
        if (!response.headersSent) send(response, 500, { status: 500, type: 'unknown error', error: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: IntergiroServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests,
    callbacksSent,
    refused,
    options,
    loseNext(method, how, path) {
      losses.push({ method, how, ...(path ? { path } : {}) });
    },
    forgetLosses() {
      losses.length = 0;
    },
    throttleNext(method, path) {
      throttles.push({ method, ...(path ? { path } : {}) });
    },
    throttled,
    redirectsSent,
    cacheHits,
    purgeListCache() {
      listCache.clear();
    },
    async declineLink(id) {
      const order = orders.get(id);
      if (!order || order.status !== (options.linkStatus ?? 'created')) throw new Error(`no unpaid link order ${id}`);
      order.event.push({ type: 'deny', date: ownClock().toISOString() });
      // The link stays open for another card: the order and its payment keep their word.
      if (!options.linkStaysOpenAfterDecline) {
        order.payment = { ...order.payment, status: 'denied' };
        order.status = 'denied';
      }
      remember();
      await callback(order);
    },
    order: (id) => orders.get(id),
    async payLink(id) {
      const order = orders.get(id);
      if (!order || order.status !== (options.linkStatus ?? 'created')) throw new Error(`no unpaid link order ${id}`);
      const now = ownClock().toISOString();
      const later = !!order.charge && options.autoChargeDelayMs !== undefined;
      order.payment = { ...order.payment, status: order.charge && !later ? 'charged' : 'ordered' };
      order.event.push({ type: 'order', date: now });
      if (later) {
        order.status = 'ordered';
        remember();
        chargeLater(order);
        return callback(order);
      }
      if (order.charge) {
        order.event.push({ type: 'charge', items: money(order.amount), date: now });
        order.charged = order.amount;
      }
      if (!options.linkPaidOnPaymentOnly) order.status = order.charge ? 'charged' : 'ordered';
      remember();
      await callback(order);
    },
    madeElsewhere() {
      const id = newId();
      const now = createdNow();
      orders.set(id, { id, number: `elsewhere-${id}`, created: now, items: 20, currency: 'EUR', payment: { type: 'card', created: now }, status: 'ordered', event: [{ type: recorded('order'), date: now }], amount: 2000, charged: 0, refunded: 0 });
      remember();
      return id;
    },
    cancelBehind(id) {
      const order = orders.get(id);
      if (!order) throw new Error(`no order ${id}`);
      order.status = 'cancelled';
      order.event.push({ type: recorded('cancel'), date: ownClock().toISOString() });
      remember();
    },
    chargeBehind(id, minorUnits) {
      const order = orders.get(id);
      if (!order) throw new Error(`no order ${id}`);
      order.status = 'charged';
      order.charged = minorUnits ?? order.amount;
      order.event.push({ type: recorded('charge'), ...(minorUnits !== undefined ? { items: money(minorUnits) } : {}), date: ownClock().toISOString() });
      remember();
    },
    refundBehind(id, minorUnits) {
      const order = orders.get(id);
      if (!order || order.charged - order.refunded < minorUnits) throw new Error(`cannot refund ${minorUnits} of order ${id}`);
      order.refunded += minorUnits;
      order.status = wordAfterRefund(order);
      // Round twelve: recorded as its own changes are (eventsWithoutAmounts), without the amount.
      const items = options.eventsWithoutAmounts ? {} : { items: signedMoney(options.refundsRecordedNegative ? -minorUnits : minorUnits) };
      order.event.push({ type: recorded('refund'), ...items, date: ownClock().toISOString() });
      remember();
    },
    setCreated(id, created) {
      const order = orders.get(id);
      if (order) order.created = created;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
