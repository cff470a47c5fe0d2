/**
 * An independent Pei, written from /work/shared/seeds/pei-orders.txt and CONTRACT.md §8 alone (not
 * from the gateway's adapter or its sandbox), for test/providers/pei-independent.test.ts.
 *
 * What the seed shows, this server does exactly:
 * - `POST <token>` OAuth2 client credentials, form `grant_type=client_credentials` (contract §8).
 * - `POST /api/orders` with a bearer token, answering `{ "orderId": "..." }`.
 * - `GET /api/orders/{orderId}`, `GET /api/orders?merchantId&date`, `POST /api/orders/pay`.
 * - When the buyer confirms (`confirm()` here, standing for the page at gattin.pei.is/<orderId>),
 *   a POST to the order's PostbackUrl of `{orderId, purchaseId, mandateId}`.
 * - A Recurring order "will be automatically charged": confirmed without a buyer.
 *
 * What the seed leaves open (see /work/tasks/pei-seed-freedoms.md), each an option below; the
 * defaults are the plainest reading. The seed shows NO body for Get order, Get orders by date or
 * Orders/Pay, so those answers are guesses another implementer could make: the submitted Order
 * echoed back, with `orderId` and, once the buyer confirmed, the postback's `purchaseId` (and
 * `mandateId`). No status word unless `statusWords` asks for one: the seed names none.
 * There are no capture, refund or cancel endpoints: any other path is 404.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface IndependentPeiOptions {
  /** Submit order's success status (the seed shows none). */
  createStatus: 200 | 201 | 302 | 303;
  /**
   * Orders/Pay's success status. Round eighteen: 302 with createAnswer / payAnswer `location`, the
   * POST-redirect-GET as ASP.NET MVC's `RedirectToAction` answers it (302 Found, not 303).
   */
  payStatus: 200 | 201 | 202 | 302 | 303;
  /** Key spelling in every answer: the seed's JSON examples are camelCase, its tables PascalCase. */
  keyCase: 'camel' | 'pascal';
  /**
   * Submit order's answer: the seed's `{orderId}`, or that plus the CheckoutUrl its SequenceType text
   * names (`withCheckoutUrl`: `<checkoutUrl>/<orderId>`, as the seed's Workflow writes the page; round
   * eight, `withOwnCheckoutUrl`: a page of Pei's own making, `https://greidsla.pei.is/checkout?t=<token>`,
   * which the seed does not rule out: "the payment gateway which is the CheckoutUrl property in the response").
   */
  createAnswer: 'orderId' | 'withCheckoutUrl' | 'withOwnCheckoutUrl' | 'echo' | 'location';
  /**
   * Orders/Pay's answer (none shown): `{orderId}`, `{orderId, purchaseId}` or the whole order; round
   * twelve, `bareOrderId`: the order id alone as a JSON string (ASP.NET's `return Ok(order.OrderId)`;
   * the Pay table's PostbackUrl row: "A URL that the Order ID will be posted to"). Round thirteen:
   * `wrapped`, the whole order held as `{order: {...}}` (as readShape `wrapped` holds Get order's),
   * and `envelope`, `{data: {orderId, purchaseId}, errors: [], success: true}` (the .NET result
   * wrapper listShape `envelope` holds the listing in; a declined charge `success: false` with its
   * words in `errors`): a Pei wrapping one answer wraps the others.
   */
  payAnswer: 'orderId' | 'withPurchaseId' | 'echo' | 'none' | 'bareOrderId' | 'wrapped' | 'envelope' | 'location';
  /**
   * Round fifteen, with createAnswer or payAnswer `location`: no body, the order named by a
   * `Location` header (a REST `201 Created`: ASP.NET's `CreatedAtAction` to Get order; or, with
   * createStatus / payStatus 303, a POST-redirect-GET's `303 See Other` to the order), written
   * `absolute` (`<url>/api/orders/<id>`, as ASP.NET Core writes it) or `relative` (`/api/orders/<id>`).
   */
  locationAs: 'absolute' | 'relative';
  /** Orders/Pay confirms at once, or later (a postback, as its PostbackUrl row says). */
  payConfirms: 'atOnce' | 'later' | 'declined' | 'laterDeclined';
  /**
   * How an Orders/Pay order shows in reads (its input has no SequenceType or MandateId): as a
   * OneOff without a mandate, or as a charge on the buyer's stored card: Recurring, with the
   * mandate Pei charged (the merchant's "purchase access" to the buyer).
   */
  payShowsAs: 'oneOff' | 'mandateCharge';
  /** Numbers (Amount, PurchaseId, MerchantId) in answers as JSON numbers or strings. */
  numbersAs: 'number' | 'string';
  /** SequenceType echoed as the word (`OneOff`), its number (0), or as an enum named in another language's style (`ONE_OFF`). */
  sequenceTypeAs: 'word' | 'number' | 'upperSnake';
  /**
   * ExpirationDate echoed as ISO (`...T...Z`), as the table's `2018-07-31 13:33:33.337`, the way the
   * seed writes a date in its subscription example (`28.6.2015`: Icelandic culture, `31.7.2018
   * 13:33:33`), or as older ASP.NET's JSON date (`/Date(1533044013337)/`). Round nine: its date
   * without the time of day, as a Pei keeping it in a SQL `date` column answers it: the date alone
   * (`dateOnly`, `2026-12-07`) or a .NET DateTime at that midnight (`sqlDate`, `2026-12-07T00:00:00`);
   * the order still expires at the instant submitted (only the read drops the time).
   */
  expirationAs: 'iso' | 'space' | 'icelandic' | 'msjson' | 'usCulture' | 'localBehind' | 'dateOnly' | 'sqlDate';
  /**
   * Whether an order read shows the postback's `purchaseId` once confirmed. false: only the seed's
   * Order fields (and orderId) are echoed, so nothing in a read says the buyer confirmed.
   */
  readShowsPurchase: boolean;
  /** A status word in order answers (none in the seed): absent, or one of these spellings. */
  statusWords: null | { waiting: string | number; confirmed: string | number; expired: string | number };
  /** Optional fields (reference, buyer, items' optional fields, mandateId) left out of answers. */
  omitOptional: boolean;
  /** Unset fields: left out, or sent as null. */
  absentAs: 'omit' | 'null';
  /** Get orders by date: a bare array, or wrapped; and what "none" is. */
  listShape: 'array' | 'wrapped' | 'envelope';
  listEmpty: 'emptyArray' | 204 | 404;
  /** An unknown order id: 404 with nothing, 404 with a message, 400, or 410 Gone (a REST reading of an order no longer there). */
  notFound: '404empty' | '404body' | '400' | '410';
  /**
   * Orders Pei no longer keeps (the seed says nothing of how long it keeps one): none, an
   * unconfirmed order once past its ExpirationDate (purged), or also one the buyer cancelled
   * (deleted). Reads answer them as `notFound` says; listings leave them out.
   */
  forget: 'never' | 'expired';
  /**
   * Get order (the seed shows its path, no output): served, or not there at all (the route
   * missing: 404 for every id, or 405 where the path's GET is unknown but its POST is).
   */
  getOrderRoute: 'served' | 404 | 405;
  /** Content type of JSON answers. */
  contentType: string;
  /** Token endpoint: client credentials in HTTP Basic, form fields, or either. */
  tokenClientAuth: 'basic' | 'form' | 'either';
  /** `expires_in` a number, a string, or absent; `token_type` spelling. */
  expiresIn: 'number' | 'string' | 'absent';
  tokenType: string;
  /**
   * Postback body: JSON or a form; the seed's example as a template (`{ "orderId" : "...". "purchaseId" : 966127,
   * "mandateId" : "..." }`, its `.` typo and all: not JSON); or the Order ID alone, as a JSON string
   * (Orders/Pay's PostbackUrl row: "A URL that the Order ID will be posted to"). Then key
   * spelling; purchaseId a number or string; mandateId when not applicable.
   */
  postbackBody: 'json' | 'form' | 'seedTemplate' | 'orderIdOnly';
  postbackKeys: 'camel' | 'pascal';
  postbackPurchaseIdAs: 'number' | 'string';
  postbackMandateWhenNone: 'omit' | 'null' | 'empty';
  /**
   * The postback's Content-Type when not the body's own (the seed names none): e.g. `text/plain;
   * charset=utf-8`, what .NET's `new StringContent(json)` sends unless told; null sends none.
   */
  postbackContentType: string | null | undefined;
  /**
   * When a confirmation that needs no buyer (a Recurring charge, Orders/Pay) is posted back:
   * after the answer, or before it (a server that charges inside the request and posts at once).
   */
  postbackTiming: 'afterAnswer' | 'beforeAnswer';
  /** Send the postback at all (the seed promises it, but the merchant must not depend on it arriving). */
  sendPostback: boolean;
  /** Accepted ExpirationDate input forms. */
  expirationInput: 'any' | 'iso' | 'space';
  /** Accepted SequenceType input forms. */
  sequenceTypeInput: 'any' | 'word' | 'number';
  /** Reject input fields the seed's table does not name (a strict deserializer). */
  rejectUnknownFields: boolean;
  /** Error body: `{message}`, an ASP.NET problem, or plain text. */
  errorBody: 'message' | 'problem' | 'text';
  /**
   * An unconfirmed order's purchaseId in reads: as `absentAs` says, or 0 (a .NET model with a
   * non-nullable `long PurchaseId` writes its default; the seed shows no read's output).
   */
  purchaseIdWhenNone: 'asAbsent' | 'zero';
  /** Unset strings (reference, mandateId, return URLs) in reads as "" rather than left out or null. */
  blankStrings: boolean;
  /**
   * Check requests the way a strict implementation of the seed would: a JSON Content-Type on a
   * POST, and each field of the seed's tables with the type its example shows (integers where it
   * writes an integer, strings where a string, booleans where a boolean).
   */
  strictRequests: boolean;
  /**
   * An Orders/Pay order's ExpirationDate in reads (its input has none): the Order's default (a day
   * on), none at all, or .NET's DateTime.MinValue (`0001-01-01T00:00:00`, a non-nullable DateTime).
   */
  payExpiration: 'default' | 'none' | 'dotnetMin' | 'blank';
  /** Orders/Pay's refusal of a buyer the merchant has no purchase access for (the seed shows none). */
  noAccessStatus: 400 | 401 | 403;
  /**
   * Which date "Get all orders on a specific date" files an order under (the seed does not say):
   * the day it was made, or the day its ExpirationDate falls on (by default a day after it was made).
   */
  listDate: 'created' | 'expiration';
  /** Refuse (400) a listing of a day still to come, as a Pei filing orders by the day they were made might. */
  refuseFutureDates: boolean;
  /**
   * Get order's answer (the seed shows none): the order itself, wrapped as `{order: {...}}` (as a
   * listing may be wrapped), or (round seven) a list of the orders with that id, `[{...}]`, and `[]`
   * for an id it does not have (a .NET `Orders.Where(o => o.OrderId == id).ToList()`).
   */
  readShape: 'order' | 'wrapped' | 'array';
  /**
   * Round seven, a broken Pei: Get order answers this order (by id) whatever id it is asked for, as
   * a query that forgot its `WHERE OrderId = @id` would. Unset: the order asked for.
   */
  readAnswersWith: string | undefined;
  /**
   * Round seven: with statusWords, the word computed from the ExpirationDate first (`ExpirationDate
   * < now ? Expired : PurchaseId != null ? Confirmed : Pending`, a .NET property written in that
   * order): a paid order reads Expired, beside its purchase id, once past its date.
   */
  statusDateFirst: boolean;
  /** What "all orders on a specific date" lists: every order, or only confirmed ones (a merchant's purchases of the day). */
  listOnly: 'all' | 'confirmed';
  /** A Recurring order is charged on its mandate (after or before the answer, postbackTiming), or never (the card declined: it stays unconfirmed). */
  recurringCharge: 'charged' | 'never' | 'declined';
  /**
   * With recurringCharge 'declined': the charge is attempted and refused, and the order shows the
   * attempt's purchase id beside this status word (statusWords must be set for it to be written);
   * no postback, since nothing was confirmed.
   */
  declinedWord: string;
  /**
   * The key a listing entry names its order by. The seed's Order schema has no OrderId field (only
   * Submit's answer and the postback say `orderId`): an implementer echoing the Order may add it
   * as `id`.
   */
  listIdKey: 'orderId' | 'id' | 'none';
  /**
   * When the order was made, in reads (no field of the seed's Order): not shown, as UTC, or as a
   * .NET `DateTime.Now` of a server five hours behind UTC written without a zone (read as UTC: five
   * hours early). Round fourteen: the day alone, as a Pei filing its orders by the day they were
   * made ("Get all orders on a specific date") may keep it in a SQL `date` column: `dateOnly`
   * (`2026-12-06`) or a .NET DateTime at that midnight (`sqlDate`, `2026-12-06T00:00:00`).
   */
  createdShown: 'none' | 'utc' | 'localBehind' | 'dateOnly' | 'sqlDate';
  /** Listing entries: the whole order, or a summary (id, reference, created, status words) without the amount and lines. */
  listEntries: 'full' | 'summary';
  /**
   * Round five: how long after an order is made the listing shows it (a report built from a
   * replica or a search index, or a day's report cached for a while): 0 at once.
   */
  listLagMs: number;
  /** Round five: how long after an order is made Get order shows it (a read replica): until then it answers as `notFound` says. */
  readLagMs: number;
  /** Round five: how long after Orders/Pay's answer a `payConfirms: 'later'` charge is made (Pei charging the buyer's card in the background). */
  payLaterMs: number;
  /**
   * Round six: Get orders by date answers one page of this many orders (0: all), oldest first, as
   * a .NET paged result does by default; the `envelope` shape's `totalCount` counts them all. The
   * seed shows neither paging nor how to ask for the next page.
   */
  listPageSize: number;
  /**
   * Round six: the zone of the day an order is filed under in Get orders by date, in hours from
   * UTC: a .NET server filing by its own local date (DateTime.Now.Date) five hours behind UTC
   * files an order made at 02:00 UTC under the day before. 0: UTC, Iceland's time.
   */
  listDayZoneHours: number;
  /**
   * Round six: with listPageSize, where the paging is told: in the `envelope` body's totalCount
   * ('body'), or, around a bare array, in an ASP.NET-style `X-Pagination` JSON header ('header').
   */
  listPagingIn: 'body' | 'header';
  /**
   * Round six: Get orders by date answered from a report built at most this many real ms ago (a
   * day's report cached a while; 0: built fresh each time): an order confirmed since shows as it
   * was when the report was built.
   */
  listCacheMs: number;
  /**
   * Round six: Get order answered from a replica whose state lags the primary by this many ms: a
   * confirmation younger than that is not shown yet (the order shows as it was before it).
   */
  readStateLagMs: number;
  /**
   * Round seven: how long each Get order answer is held, in turn (the first read the first value,
   * the next the second, ...; once used up, none): a slow server whose answers arrive out of
   * order. The order's state is taken when the request arrives, as a server reading before it
   * writes its answer does.
   */
  readDelaysMs: number[];
  /**
   * Round eight: SubscriptionOptions as the seed's table writes them, not as its JSON example does:
   * `any` takes either; `table` takes StartDate only as "Format: dd-mm-yyyy" (a .NET
   * `DateTime.ParseExact(value, "dd-MM-yyyy")`) and Cycles only as a JSON string (the table's
   * "Cycles String", a System.Text.Json `string Cycles` refusing a number), and answers 400 naming
   * the field otherwise.
   */
  subscriptionInput: 'any' | 'table';
  /**
   * Round eight: what Submit order and Orders/Pay do with a Reference the merchant already has an
   * order under (the seed: "A reference in Order in the merchant's system"; it says nothing of
   * reuse): make a new order, or answer the order it already has (a submit idempotent by the
   * merchant's reference), making and charging nothing.
   * Round thirteen, `refused`: a Reference the merchant already has an order under is refused (409
   * Conflict, "An order with reference ... already exists.", a unique index on (MerchantId,
   * Reference)), nothing made.
   */
  sameReference: 'newOrder' | 'existingOrder' | 'refused';
  /** Round eight: with `withOwnCheckoutUrl`, the CheckoutUrl answered as this text instead (a relative path, another scheme). */
  answeredCheckoutUrl: string | undefined;
  /**
   * Round eight: with statusWords, the status as the word itself, or as the row of a status table
   * an ORM serialises with the order (`{"id": 2, "name": "Confirmed"}`, an Entity Framework
   * navigation property): the seed names no status field at all, let alone its shape.
   */
  statusAs: 'word' | 'object' | 'numberAndName';
  /**
   * Round nine: the name of the status field. The seed names no status field at all, let alone
   * what it is called: `status`, or as an implementer naming the property after its enum type or
   * its entity writes it (`orderStatus`, `state`). With statusAs `numberAndName` (round nine), the
   * field holds the status table's id and `<statusKey>Name` its word, as a DTO carrying both the
   * enum's number and its display name does (`{"status": 2, "statusName": "Confirmed"}`).
   */
  statusKey: string;
  /**
   * Round nine: the amount in order answers (reads, listings, echoes) under the Order table's
   * Name (`amount`), under the word its Description uses ("TotalAmount of purchase"): `totalAmount`,
   * or not at all (`none`: a read answering where the order stands, not what it is for).
   */
  amountKey: 'amount' | 'totalAmount' | 'none';
  /**
   * Round ten: when Pei posts back, and what. `confirmed`: as the seed's Workflow says, when the buyer
   * confirms (or a charge without the buyer goes through), `{orderId, purchaseId, mandateId}`.
   * `everyChange`: "the Order ID and more" (the PostbackUrl row), on every change of the order's
   * state, with its status word (`status`: Confirmed, Cancelled, or `declinedWord`): also when the
   * buyer presses Cancel on Pei's page (cancel()), and when a charge without the buyer (a Recurring
   * order, Orders/Pay) is attempted and declined (its attempt's purchase id beside the word), as a
   * provider posting each outcome of its automatic charge does. The seed says when Pei posts; it
   * says nowhere that it posts at no other time.
   */
  postbackOn: 'confirmed' | 'everyChange';
  /**
   * Round eleven: with postbackOn `everyChange`, the status in the postback as its word, or as its
   * enum's number (System.Text.Json's default for an enum without a JsonStringEnumConverter):
   * Pending 1, Confirmed 2, Cancelled 3, Expired 4, a declined charge 5 (POSTBACK_STATUS_NUMBERS).
   * The seed numbers no status.
   */
  postbackStatusAs: 'word' | 'number';
  /**
   * Round eleven: with postbackOn `everyChange`, the order's making is a change too: `{orderId,
   * status: "Pending"}` is posted as soon as Submit or Orders/Pay has answered, before a charge
   * without the buyer (Recurring, 50 ms on; Orders/Pay later) is made and posted.
   */
  postbackOnCreate: boolean;
  /**
   * Round ten: string columns as a SQL `CHAR(n)` / `NCHAR(n)` answers them, padded with spaces to
   * their width (the seed gives no length or type beyond "String"): the Reference in reads and
   * listings as `REF155` and 44 spaces (CHAR(50)). 0: as sent.
   */
  referenceWidth: number;
  /**
   * Round thirteen: the Reference kept to this many characters (0: whole), as a `VARCHAR(n)` column
   * narrower than what is sent keeps it where the database truncates instead of refusing (MySQL
   * outside strict mode, SQL Server with ANSI_WARNINGS off) or the model cuts it to fit
   * (`Reference[..20]`). The seed gives the Reference no length ("String", `REF1566`); the order is
   * made, and reads and listings show the Reference as kept.
   */
  referenceMaxLength: number;
  /**
   * Round thirteen: with referenceMaxLength, a longer Reference is kept cut (`truncate`), or refused
   * (`refuse`: 400, "The field Reference must be a string with a maximum length of 20.", as ASP.NET
   * answers a model whose `[StringLength(20)] string Reference` is exceeded), nothing made.
   */
  referenceTooLong: 'truncate' | 'refuse';
  /**
   * Round ten: the order id in reads and listings as a `CHAR(n)` column answers it, padded with
   * spaces to this width (0: as made). The seed's own order ids are of two lengths
   * (`fdfQQ33gdgWfgGoP642`, 19; `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf`, 32): a column as wide as the
   * longest pads the shorter. Submit's `{orderId}` answers the id as made.
   */
  orderIdWidth: number;
  /**
   * Round twelve: the URL the postback goes to. The seed: "A URL that the Order ID and more will be
   * posted to". `asGiven`: the PostbackUrl as submitted; `added`: with the order id added to its
   * query as a URI builder adds it (`&orderId=<id>` after a query the URL has); `concatenated`: as
   * string concatenation adds it (`${postbackUrl}?orderId=<id>`, a second `?`, whatever the URL holds).
   */
  postbackUrlQuery: 'asGiven' | 'added' | 'concatenated';
  /**
   * Round twelve: with postbackOn `everyChange`, the word posted for a confirmation (the seed names
   * none: "when the buyer confirms"): `Confirmed` by default, or Pei's own (`Approved`, Icelandic `Greitt`).
   */
  confirmedWord: string;
  /**
   * Round twelve: the order's `amount` in reads once the buyer chose among its items: what Pei
   * charged (round seven's reading: "TotalAmount of purchase"), or the Amount as submitted (the
   * Order echoed as the merchant sent it, the purchase kept apart).
   */
  readAmount: 'charged' | 'submitted';
  /**
   * Round twelve: the postback carries an `amount` ("the Order ID and more"): none, what Pei
   * charged, or the Amount as submitted (the Order's own field echoed).
   */
  postbackAmount: 'none' | 'charged' | 'submitted';
  /**
   * Round fourteen: what an Orders/Pay order's reads and listings show as its SequenceType. The
   * Orders/Pay input has none, and the seed types SequenceType "String" with three words (OneOff,
   * First, Recurring) for orders a buyer or a mandate pays. Unset: as payShowsAs says. Else this
   * value: `""`, a string column declared NOT NULL whose default is empty (or a .NET `string
   * SequenceType = ""`), or a word or number of Pei's own for a purchase made with the buyer's
   * purchase access (`"Purchase"`, `3`: an enum member beyond the seed's three).
   */
  paySequenceType: string | number | undefined;
  /**
   * Round fifteen: the money figures of reads and listings (the Order's Amount, its Items' UnitPrice
   * and Amount: "Numeric" in the seed's tables, no answer shown). `number`: as numbersAs says. Else
   * a string a .NET DTO with `string Amount = order.Amount.ToString(...)` writes on a server under
   * Icelandic culture (is-IS: `,` for the decimal point, `.` between thousands), of a `decimal(18,2)`
   * column: `decimalComma` (`ToString()`: `5000,00`), `grouped` (`ToString("N0")`: `5.000`), or
   * `groupedDecimal` (`ToString("N2")`: `5.000,00`).
   */
  moneyAs: 'number' | 'decimalComma' | 'grouped' | 'groupedDecimal';
  /**
   * Round sixteen: with moneyAs `grouped` ("N0") or `groupedDecimal` ("N2"), the mark between
   * thousands, as .NET writes it under the server's culture: is-IS's `.` (round fifteen), a
   * no-break space U+00A0 (nb-NO, sv-SE, fi-FI; fr-FR before ICU), a narrow no-break space U+202F
   * (fr-FR under ICU), a plain space, or de-CH's apostrophe. The decimal point is `,`, save after an
   * apostrophe (de-CH: `5'000.00`). The seed says "Numeric" and nothing of a culture.
   */
  moneyGroup: '.' | ' ' | '\u00A0' | '\u202F' | "'";
  /**
   * Round seventeen: how the bytes of a POST's body are read. `utf8`: as JSON is (RFC 8259).
   * `latin1UnlessLabelled`: in the charset its Content-Type names, else ISO-8859-1, as an ASP.NET
   * (System.Web) site configured for Icelandic (`<globalization requestEncoding="iso-8859-1">`)
   * reads a request whose type names none; `latin1Always`: ISO-8859-1 whatever the label (a
   * handler reading the stream with `Encoding.GetEncoding("iso-8859-1")`). The seed names no
   * charset for anything; a Reference `Pöntun` sent as UTF-8 is then kept as `PÃ¶ntun`.
   */
  requestCharset: 'utf8' | 'latin1UnlessLabelled' | 'latin1Always';
  /**
   * Round seventeen: the charset JSON answers are written in. `utf8`: as `contentType` says.
   * `latin1Labelled`: ISO-8859-1 bytes under `application/json; charset=iso-8859-1` (the same
   * site's `responseEncoding`); `latin1Unlabelled`: ISO-8859-1 bytes under `application/json`
   * with no charset (a handler writing its bytes itself). Icelandic letters (ð, þ, æ, ö, á) are
   * one byte each there, and never UTF-8. Round eighteen, `latin1LabelledUtf8`: ISO-8859-1 bytes
   * under `application/json; charset=utf-8` (round seventeen's leftover: a handler writing its
   * bytes in the site's `responseEncoding` while the header names the framework's default).
   * Round nineteen, `utf8LabelledLatin1`: the other way round, UTF-8 bytes under `charset=iso-8859-1`
   * (the site's `responseEncoding` naming the header while a JSON handler writes UTF-8 itself);
   * `latin1LabelledWindows1250`: ISO-8859-1 bytes under `charset=windows-1250` (a site whose
   * `responseEncoding` names another single-byte code page than the one its handler writes).
   * Round twenty-four, `utf8LabelledWindows1250`: UTF-8 bytes under `charset=windows-1250` (a JSON
   * handler writing UTF-8 itself while the header names a site's other single-byte code page).
   */
  answerCharset: 'utf8' | 'latin1Labelled' | 'latin1Unlabelled' | 'latin1LabelledUtf8' | 'utf8LabelledLatin1' | 'latin1LabelledWindows1250' | 'utf8LabelledWindows1250';
  /**
   * Round seventeen: digits written before every purchase id in answers and postbacks ('' none):
   * a .NET `long PurchaseId` from a 64-bit generator (Snowflake-style, time-based) runs past 2^53,
   * which a JSON number can hold but JavaScript's cannot. The seed shows one purchase id (966127,
   * a JSON number) and no width. `pei.writtenPurchaseId` gives the id as written.
   */
  purchaseIdPrefix: string;
  /**
   * Round eighteen: a front tier before Pei's application (IIS's URL Rewrite, ASP.NET Core's
   * rewriter, a load balancer) that answers the API's paths as the seed writes them with a redirect
   * to where they are served, before anything reaches the application (nothing made, nothing
   * charged). The seed names its URLs (`https://api.pei.is/api/orders`, a staging host) and says
   * "This API is a REST service"; it says nothing of what a request to them may be answered with
   * beyond an order. `to`: `trailingSlash`, served only with a `/` after the path (IIS's canonical
   * rule "append a trailing slash"; `/api/orders/pay` -> `/api/orders/pay/`, the query kept);
   * `moved`, served under `/api/v2/orders...` (a new version's routes, the old ones redirected);
   * `otherOrigin`, served on another host name of this server (`localhost` for `127.0.0.1`), as a
   * move to a new host is. `methods`: which requests are redirected (`GET`: reads and listings only,
   * as a rewriter matching GETs; `all`). Null: none.
   */
  redirect: null | { status: 301 | 302 | 307 | 308; to: 'trailingSlash' | 'moved' | 'otherOrigin'; methods: 'GET' | 'all' };
  /**
   * Round nineteen: the bytes the postback travels in. The seed shows the callback object as JSON
   * text and names no encoding for it; a .NET sender picks its own. `utf8`: as JSON is (RFC 8259).
   * `utf8Bom`: UTF-8 behind a byte order mark, labelled `charset=utf-8`, as .NET Framework's
   * `new StreamWriter(request.GetRequestStream(), Encoding.UTF8)` writes it (Encoding.UTF8 emits its
   * preamble). `utf16Labelled`: UTF-16LE without a mark, labelled `charset=utf-16`, as `new
   * StringContent(json, Encoding.Unicode, "application/json")` posts it. `utf16Bom`: UTF-16LE
   * behind its mark (FF FE) under `application/json` with no charset, as a `StreamWriter` with
   * `Encoding.Unicode` and a Content-Type set by hand posts it.
   */
  postbackBytes: 'utf8' | 'utf8Bom' | 'utf16Labelled' | 'utf16Bom';
  /**
   * Round twenty-one: the alphabet of the ids Pei makes (orders, and a First order's mandate). The
   * seed shows three ids of letters and digits (`fdfQQ33gdgWfgGoP642`, 19;
   * `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf` and `ZsZUibpv0WAe77sGvYrm1lu0AM52D23N`, 32: the length of 24
   * random bytes in base64) and names no alphabet. `base64url` (the default): `-` and `_`.
   * `base64`: .NET's `Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))`, 32 characters
   * with `+` and `/` (about two ids in three hold one; here every id holds both, so a test sees them).
   * `guidBase64`: `Convert.ToBase64String(Guid.NewGuid().ToByteArray())`, 22 characters, `+` and
   * `/` and the padding `==` (a common .NET short id).
   * Round twenty-three: `base64EndingSlash`, 24 random bytes in base64 whose last character is `/`
   * (one such id in 64): written raw in a `Location`, it ends the path as a trailing slash would.
   */
  idAlphabet: 'base64url' | 'base64' | 'guidBase64' | 'base64EndingSlash';
  /**
   * Round twenty-one: how a made order's id is written in a `Location` (createAnswer / payAnswer
   * `location`, a 3xx to the read): `encoded`, as ASP.NET Core's `CreatedAtAction` writes a route
   * value (`%2B`, `%2F`, `%3D`); `raw`, as `Created($"/api/orders/{order.OrderId}", null)` writes it
   * (string interpolation: the id's `/` a path separator). Same for ids of letters and digits.
   */
  locationIdAs: 'encoded' | 'raw';
  /**
   * Round twenty-three: .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`, the "no date" a
   * non-nullable `DateTime` writes) for an order's ExpirationDate and `created` (where createdShown
   * shows one), in the listing only (a summary projection that does not select those columns into
   * the DTO both answers share) or in reads and listings alike (a Pei whose read model keeps the
   * expiry nullable in its table, the seed's "Default is one day into the future" applied when the
   * order is checked, not stored). The seed types ExpirationDate "DateTime" and shows no read.
   */
  minValueDates: 'none' | 'listing' | 'everywhere';
  /**
   * Round twenty-three: every answer (the token endpoint's too) with `Connection: close`, the
   * connection closed after it, as an HTTP/1.0-minded front tier or a server with keep-alive
   * turned off answers. The seed says nothing of connections.
   */
  connectionClose: boolean;
  /**
   * Round twenty-four: a value Pei has none for written as the text `"null"` in reads and listings
   * (an unconfirmed order's purchaseId, a MandateId "not applicable", the return URLs, an
   * Orders/Pay order's SequenceType), where `absentAs` leaves it out or writes JSON's `null`. The
   * seed shows no read's output and says only that "the mandateId should be null" where it does
   * not apply: a read model serialised by hand (Java's `"\"" + value + "\""`, JavaScript's template
   * literals, a reporting view's `ISNULL(CAST(col AS varchar), 'null')`) writes the word.
   */
  nullText: boolean;
  /**
   * Round twenty-four: the postback's unset fields (an unconfirmed order's purchaseId where Pei
   * posts every change, a MandateId "not applicable") written as the text `"null"`: "the Order ID
   * and more" built by a sender writing each value as text. The seed's example shows every field
   * set.
   */
  postbackNullText: boolean;
  /**
   * Round twenty-five: the text nullText and postbackNullText write for a value Pei has none of.
   * `"null"` by default (round twenty-four); a reporting view's `ISNULL(CAST(col AS varchar),
   * 'N/A')` or `'-'`, a template's placeholder, writes another. The seed names no such text.
   */
  noValueText: string;
  /**
   * Round twenty-six: the Unicode normalisation form Pei writes its texts back in (the Reference,
   * the buyer's name, the lines' names, units and group names), in reads and listings: `asSent`
   * (as received), `NFD` (decomposed: `Po\u0308ntun`, as a store on a file system or a library
   * that decomposes, or a .NET `Normalize(NormalizationForm.FormD)` before a search column, keeps
   * it) or `NFC` (composed, the way most input methods and .NET's default write it, whatever the
   * client sent). The seed types them "String" and names no normalisation.
   */
  textForm: 'asSent' | 'NFC' | 'NFD';
  /**
   * Round twenty-seven: the media type of the answers the seed shows no body for (Get order, Get
   * orders by date, Orders/Pay's answer; Submit keeps the seed's `{orderId}`). `json`: plain JSON.
   * `hal`: HAL (`application/hal+json`, as Spring HATEOAS or a .NET HAL formatter writes): each
   * order with `_links.self` and its lines under `_embedded.items`; the listing's orders under
   * `_embedded.orders`, with Spring Data REST's `page` ({size, totalElements, totalPages, number})
   * and, on a first page of more, `_links.next`. `jsonApi`: JSON:API (`application/vnd.api+json`,
   * as JsonApiDotNetCore writes): `{data: {type: 'orders', id, attributes, links}}`, the listing
   * `{data: [...], meta: {total}, links: {self, next}}`, and every refusal as JSON:API's error
   * document (`{errors: [{status, title, detail, source: {pointer}}]}`). An empty day's HAL page
   * has no `_embedded` (Spring HATEOAS leaves it out). The seed says "This API is a REST service"
   * and names no media type, nor any error body.
   */
  mediaType: 'json' | 'hal' | 'jsonApi';
  /**
   * Round twenty-eight: with mediaType `hal` or `jsonApi` and listPageSize, the listing serves the
   * page its own format's parameters ask for (HAL / Spring Data: `page`, 0-based, and `size`;
   * JSON:API: `page[number]`, 1-based, and `page[size]`), each page linking to the one after. Off
   * (round twenty-seven): every request answers the first page, whatever it asks.
   */
  listPagesServed: boolean;
  /**
   * Round twenty-eight: how the listing's next link is written (the seed shows no paging, so no
   * link form). `path`: host-relative (`/api/orders?...`, as before); `absolute`:
   * `http://127.0.0.1:<port>/api/orders?...`; `protocolRelative`: `//127.0.0.1:<port>/api/orders?...`;
   * `query`: a query-only relative reference (`?merchantId=...`); `encoded`: the path with its
   * slashes and letters percent-encoded where RFC 3986 allows (`/api/%6Frders?...`); `otherHost`:
   * an absolute link to another host (`http://localhost:<port>/...`, a CDN or a misconfigured
   * base URL), which a client must not send its token to.
   */
  listNextLink: 'path' | 'absolute' | 'protocolRelative' | 'query' | 'encoded' | 'otherHost';
  /** Round twenty-eight: with listPagesServed, the pages after the first answer this status (0: served), a report shard down. */
  listLaterPageStatus: number;
  /**
   * Round twenty-nine: with mediaType `json` and listPageSize, the listing serves the page its
   * `page` (1-based) and `pageSize` ask for, and names the next one where more follow: `linkHeader`,
   * a bare array with an RFC 8288 `Link: <...>; rel="next"` header (beside `rel="first"`);
   * `nextPage`, `{data, totalCount, nextPage}` (an ASP.NET paged result); `next`, Django REST
   * framework's `{count, next, previous, results}`; `odataNextLink`, OData's `{value,
   * "@odata.nextLink"}`. `none` (before): round six's first page, whatever is asked. The seed shows
   * no listing output and no paging.
   */
  listNextIn: 'none' | 'linkHeader' | 'nextPage' | 'next' | 'odataNextLink';
  /**
   * Round twenty-nine: Pei's clock this many ms ahead of the gateway's (negative: behind), in the
   * `created` it writes and the day it files an order under. The seed shows no time Pei writes but
   * the ExpirationDate sent to it, and no clock.
   */
  clockSkewMs: number;
}

/**
 * How an answer is lost after the server applied the request (`hang`: never sent); `resetBefore`:
 * reset before applying anything. Round eighteen, 503: `503 Service Unavailable` with `Retry-After`
 * in its place, as a server under load (or its front tier timing the application out) answers a
 * request the application went on to apply.
 */
export type LostAnswer = 'reset' | 500 | 502 | 503 | 'resetBefore' | 'hang';

export const DEFAULT_OPTIONS: IndependentPeiOptions = {
  createStatus: 200,
  payStatus: 200,
  keyCase: 'camel',
  createAnswer: 'orderId',
  payAnswer: 'orderId',
  payConfirms: 'atOnce',
  payShowsAs: 'oneOff',
  numbersAs: 'number',
  sequenceTypeAs: 'word',
  expirationAs: 'iso',
  readShowsPurchase: true,
  statusWords: null,
  omitOptional: false,
  absentAs: 'omit',
  listShape: 'array',
  listEmpty: 'emptyArray',
  notFound: '404empty',
  contentType: 'application/json; charset=utf-8',
  tokenClientAuth: 'either',
  expiresIn: 'number',
  tokenType: 'Bearer',
  postbackBody: 'json',
  postbackKeys: 'camel',
  postbackPurchaseIdAs: 'number',
  postbackMandateWhenNone: 'omit',
  postbackContentType: undefined,
  postbackTiming: 'afterAnswer',
  sendPostback: true,
  expirationInput: 'any',
  sequenceTypeInput: 'any',
  rejectUnknownFields: false,
  errorBody: 'message',
  purchaseIdWhenNone: 'asAbsent',
  blankStrings: false,
  strictRequests: false,
  payExpiration: 'default',
  noAccessStatus: 403,
  listDate: 'created',
  refuseFutureDates: false,
  readShape: 'order',
  listOnly: 'all',
  recurringCharge: 'charged',
  declinedWord: 'Declined',
  listIdKey: 'orderId',
  listEntries: 'full',
  createdShown: 'none',
  forget: 'never',
  listLagMs: 0,
  readLagMs: 0,
  payLaterMs: 50,
  getOrderRoute: 'served',
  listPageSize: 0,
  listDayZoneHours: 0,
  listPagingIn: 'body',
  listCacheMs: 0,
  readStateLagMs: 0,
  readDelaysMs: [],
  readAnswersWith: undefined,
  statusDateFirst: false,
  subscriptionInput: 'any',
  sameReference: 'newOrder',
  answeredCheckoutUrl: undefined,
  statusAs: 'word',
  statusKey: 'status',
  amountKey: 'amount',
  postbackOn: 'confirmed',
  postbackStatusAs: 'word',
  postbackOnCreate: false,
  referenceWidth: 0,
  referenceMaxLength: 0,
  referenceTooLong: 'truncate',
  orderIdWidth: 0,
  postbackUrlQuery: 'asGiven',
  confirmedWord: 'Confirmed',
  readAmount: 'charged',
  postbackAmount: 'none',
  paySequenceType: undefined,
  moneyAs: 'number',
  moneyGroup: '.',
  locationAs: 'absolute',
  requestCharset: 'utf8',
  answerCharset: 'utf8',
  purchaseIdPrefix: '',
  redirect: null,
  postbackBytes: 'utf8',
  idAlphabet: 'base64url',
  locationIdAs: 'encoded',
  minValueDates: 'none',
  connectionClose: false,
  nullText: false,
  postbackNullText: false,
  noValueText: 'null',
  textForm: 'asSent',
  mediaType: 'json',
  listPagesServed: false,
  listNextLink: 'path',
  listLaterPageStatus: 0,
  listNextIn: 'none',
  clockSkewMs: 0,
};

/** Round eleven: the status numbers a postback writes with postbackStatusAs `number` (the seed numbers none). */
const POSTBACK_STATUS_NUMBERS: Record<string, number> = { Pending: 1, Confirmed: 2, Cancelled: 3, Expired: 4 };

const SEQUENCE_WORDS = ['OneOff', 'First', 'Recurring'] as const;
type SequenceWord = (typeof SEQUENCE_WORDS)[number];

/** The fields of the seed's Order / Orders/Pay tables (camelCase, as its JSON example). */
const ORDER_FIELDS = new Set(['merchantId', 'amount', 'reference', 'expirationDate', 'successReturnUrl', 'cancelReturnUrl', 'postbackUrl', 'sequenceType', 'mandateId', 'buyer', 'items', 'subscriptionOptions']);
const ITEM_FIELDS = new Set(['name', 'code', 'quantity', 'unit', 'unitPrice', 'amount', 'groupName', 'isOptional', 'isDefaultSelected']);
const BUYER_FIELDS = new Set(['name', 'ssn', 'email', 'mobileNumber']);

type FieldType = 'integer' | 'number' | 'string' | 'boolean';
/** The type each field has in the seed's tables and JSON example (a string may be null: .NET's reference types). */
const ORDER_TYPES: Record<string, FieldType> = {
  merchantId: 'integer', amount: 'number', reference: 'string', expirationDate: 'string', successReturnUrl: 'string', cancelReturnUrl: 'string',
  postbackUrl: 'string', sequenceType: 'string', mandateId: 'string',
};
const ITEM_TYPES: Record<string, FieldType> = {
  name: 'string', code: 'string', quantity: 'number', unit: 'string', unitPrice: 'number', amount: 'number', groupName: 'string', isOptional: 'boolean', isDefaultSelected: 'boolean',
};
const BUYER_TYPES: Record<string, FieldType> = { name: 'string', ssn: 'string', email: 'string', mobileNumber: 'string' };
const SUBSCRIPTION_TYPES: Record<string, FieldType> = { startDate: 'string', frequency: 'string', frequencyInterval: 'integer' };

function typeProblems(where: string, value: Record<string, unknown>, types: Record<string, FieldType>): string[] {
  return Object.entries(types).flatMap(([key, type]) => {
    const field = value[key];
    if (field === undefined || (field === null && type === 'string')) return [];
    const ok = type === 'integer' ? Number.isInteger(field) : type === 'number' ? typeof field === 'number' && Number.isFinite(field) : typeof field === type;
    return ok ? [] : [`${where}${key} must be ${type === 'integer' ? 'an' : 'a'} ${type}`];
  });
}

/** A strict deserializer's objections to a submitted order (strictRequests). */
function strictProblems(body: Record<string, any>): string[] {
  const objects = (value: unknown) => value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
  return [
    ...typeProblems('', body, ORDER_TYPES),
    ...(objects(body['buyer']) ? typeProblems('buyer.', body['buyer'] ?? {}, BUYER_TYPES) : ['buyer must be an object']),
    ...(Array.isArray(body['items']) ? body['items'].flatMap((item: any, index: number) => (objects(item) && item ? typeProblems(`items[${index}].`, item, ITEM_TYPES) : [`items[${index}] must be an object`])) : ['items must be an array']),
    ...(objects(body['subscriptionOptions'])
      ? [
          ...typeProblems('subscriptionOptions.', body['subscriptionOptions'] ?? {}, SUBSCRIPTION_TYPES),
          // "Cycles String" in the table, the number 5 in the JSON example: either.
          ...(body['subscriptionOptions'] && !['number', 'string', 'undefined'].includes(typeof body['subscriptionOptions'].cycles) ? ['subscriptionOptions.cycles'] : []),
        ]
      : ['subscriptionOptions must be an object']),
  ];
}

export interface StoredOrder {
  orderId: string;
  merchantId: number;
  amount: number;
  reference?: string;
  expirationDate: Date;
  successReturnUrl?: string;
  cancelReturnUrl?: string;
  postbackUrl?: string;
  sequenceType: SequenceWord;
  mandateId?: string;
  buyer?: Record<string, unknown>;
  items: Record<string, unknown>[];
  created: Date;
  purchaseId?: number;
  /** Made by Orders/Pay. */
  viaPay?: boolean;
  /** A Recurring charge attempted and declined (recurringCharge 'declined'): purchaseId is the attempt's. */
  declined?: boolean;
  /** Round six: when the order was confirmed (readStateLagMs). */
  confirmedAt?: number;
  /**
   * Round seven: what the buyer was charged, once confirmed. The order's `amount`, unless the buyer
   * chose among its optional or grouped items on the checkout page (confirm's `chosen`): then the
   * sum of the chosen items' amounts, which reads show as the order's `amount` ("TotalAmount of
   * purchase") from then on.
   */
  charged?: number;
  /** Round eight: the page token of a `withOwnCheckoutUrl` answer. */
  checkoutToken?: string;
  /** Round ten: the buyer pressed Cancel on Pei's page (cancel()). */
  cancelled?: boolean;
  /** Round ten: what each due date of its SubscriptionOptions charged after the first (chargeDueDate()). */
  dueDateCharges?: number[];
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
  /** Round twenty-eight: the Host the request named (a next link to another host must not be followed). */
  host?: string;
}

export interface PostbackDelivery {
  url: string;
  status: number;
}

export interface IndependentPei {
  url: string;
  tokenUrl: string;
  checkoutUrl: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  options: IndependentPeiOptions;
  orders: Map<string, StoredOrder>;
  calls: Call[];
  postbacks: PostbackDelivery[];
  /** Every access token issued (for the log scan after the suite). */
  issued: Set<string>;
  /** Round nine: the traceId of the last problem+json error answered (errorBody `problem`). */
  lastTraceId?: string;
  /** Buyers for whom Orders/Pay is allowed (Purchase Access). */
  purchaseAccess: Set<string>;
  /**
   * The buyer confirms on gattin.pei.is/<orderId>: the order gets a purchase, and the postback goes.
   * `chosen` (round seven): the names of the items the buyer kept (one per group, optional items
   * ticked or not); the buyer is charged their amounts' sum. `beforePostback`: awaited between
   * the charge and its postback (a postback held up in Pei's queue or on the way), so a test can
   * have the gateway read the paid order first.
   */
  confirm(orderId: string, chosen?: string[], beforePostback?: () => Promise<unknown>): Promise<PostbackDelivery | undefined>;
  /**
   * Round ten: the buyer presses Cancel on gattin.pei.is/<orderId> (the seed's CancelReturnUrl):
   * nothing is charged; reads with statusWords say `Cancelled`; with postbackOn `everyChange` the
   * cancellation is posted back.
   */
  cancel(orderId: string): Promise<PostbackDelivery | undefined>;
  /**
   * Round ten: the next due date of a confirmed subscription order (the seed's SubscriptionOptions:
   * "How many due dates there should be in the subscription") comes, and Pei charges the buyer's
   * card again on the order's mandate: a new purchase of the order's amount on the same order,
   * which reads show (its latest purchaseId) and which is posted back like the first.
   * Not counted in `charged` (the harness's closing check): the gateway has no place for it yet.
   */
  chargeDueDate(orderId: string): Promise<PostbackDelivery | undefined>;
  /**
   * The next POST to `path` is applied (order stored, charged when it charges, postback sent as
   * usual) and then its answer is lost: the connection reset, or a 5xx in its place.
   */
  loseNextAnswer(path: '/api/orders' | '/api/orders/pay', how: LostAnswer): void;
  /**
   * Round sixteen: the next `method` request (POST by default) to `path` is turned away before any work, as a
   * rate limit in front of Pei's controllers answers: `status` (429 by default) with `Retry-After`
   * and an error body in the server's `errorBody` style (ASP.NET's `{message}` by default). It is
   * recorded in `calls` like any request, and in `turnedAway`.
   */
  turnAwayNext(path: string, status?: 408 | 425 | 429, method?: 'GET' | 'POST'): void;
  /** Round sixteen: the requests turned away (method and path). */
  turnedAway: { method: string; path: string }[];
  /** Round eighteen: the requests the front tier redirected (options.redirect), with the Host they came to. */
  redirected: { method: string; path: string; host: string }[];
  /** Round eighteen: requests that came to the other host name (redirect `otherOrigin`), with the bearer token the gateway holds for PEI_URL. */
  reachedOtherOrigin: { method: string; path: string }[];
  /** Moves an order's ExpirationDate into the past. */
  expire(orderId: string): void;
  reset(options?: Partial<IndependentPeiOptions>): void;
  close(): Promise<void>;
}

function newId(alphabet: IndependentPeiOptions['idAlphabet'] = 'base64url'): string {
  if (alphabet === 'base64url') return randomBytes(24).toString('base64url').slice(0, 32);
  // Every id made holds `+` and `/`, so a test sees both; none ends in `/` (one base64 id in 64
  // does: written raw in a Location it reads as a trailing slash, round twenty-one's leftover,
  // made on purpose by `base64EndingSlash`).
  const bytes = alphabet === 'guidBase64' ? 16 : 24;
  for (;;) {
    const id = randomBytes(bytes).toString('base64');
    if (alphabet === 'base64EndingSlash') {
      if (id.endsWith('/')) return id;
      continue;
    }
    if (id.includes('+') && id.includes('/') && !id.endsWith('/')) return id;
  }
}

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Keys re-spelled for `keyCase`, deeply. */
function cased(value: unknown, keyCase: 'camel' | 'pascal'): unknown {
  if (Array.isArray(value)) return value.map((element) => cased(element, keyCase));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [keyCase === 'pascal' ? pascal(key) : key, cased(inner, keyCase)]));
  }
  return value;
}

/**
 * A request's body as text: UTF-8, or (round seventeen, requestCharset) ISO-8859-1 where the Pei
 * reads it so: always, or unless its Content-Type names a charset (then that one, UTF-8 here).
 */
function readBody(request: IncomingMessage, charset: IndependentPeiOptions['requestCharset'] = 'utf8'): Promise<string> {
  const labelled = /;\s*charset\s*=\s*"?utf-?8"?/i.test(request.headers['content-type'] ?? '');
  const latin1 = charset === 'latin1Always' || (charset === 'latin1UnlessLabelled' && !labelled);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString(latin1 ? 'latin1' : 'utf8')));
    request.on('error', reject);
  });
}

function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text);
}
function isSpaceDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text);
}

/** Icelandic culture's `31.7.2018 13:33:33` (day first, as the seed's `28.6.2015`; UTC). */
function icelandicDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCDate()}.${date.getUTCMonth() + 1}.${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** .NET's `DateTime.ToString()` under en-US culture: `7/31/2018 1:33:33 PM` (a DTO with the date as a string). */
function usCultureDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const hours = date.getUTCHours();
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 || 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** The table's `2018-07-31 13:33:33.337` (UTC, since it names no zone). */
function spaceDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export async function startIndependentPei(initial: Partial<IndependentPeiOptions> = {}): Promise<IndependentPei> {
  const clientId = 'independent-client';
  const clientSecret = randomBytes(12).toString('hex');
  const merchantId = '4';
  const tokens = new Set<string>();
  let nextPurchase = 966127;
  const losing = new Map<string, LostAnswer>();
  const turningAway = new Map<string, 408 | 425 | 429>();
  /** Round six: listings answered from a report built a while ago (listCacheMs), by query. */
  const listCache = new Map<string, { at: number; status: number; body: unknown }>();
  const pei = {} as IndependentPei;
  pei.issued = tokens;
  pei.options = { ...DEFAULT_OPTIONS, ...initial };
  pei.orders = new Map();
  pei.calls = [];
  pei.postbacks = [];
  pei.purchaseAccess = new Set();
  pei.turnedAway = [];
  pei.redirected = [];
  pei.reachedOtherOrigin = [];

  const number = (value: number): number | string => (pei.options.numbersAs === 'string' ? String(value) : value);
  /** Round fifteen: the `Location` of a made order's `201 Created` without a body (createAnswer / payAnswer `location`). */
  const locationOf = (order: StoredOrder): Record<string, string> => ({
    location: `${pei.options.locationAs === 'absolute' ? pei.url : ''}/api/orders/${pei.options.locationIdAs === 'raw' ? order.orderId : encodeURIComponent(order.orderId)}`,
  });
  /** Round fifteen: a money figure as moneyAs writes it (whole krónur here). */
  const money = (value: unknown): unknown => {
    if (typeof value !== 'number' || pei.options.moneyAs === 'number') return typeof value === 'number' ? number(value) : value;
    // Round sixteen: the culture's mark between thousands (moneyGroup), and its decimal point.
    const mark = pei.options.moneyGroup;
    const grouped = String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, mark);
    if (pei.options.moneyAs === 'decimalComma') return `${Math.trunc(value)},00`;
    return pei.options.moneyAs === 'grouped' ? grouped : `${grouped}${mark === "'" ? '.' : ','}00`;
  };
  const moneyOfItem = (item: Record<string, unknown>): Record<string, unknown> =>
    pei.options.moneyAs === 'number' ? item : { ...item, ...('unitPrice' in item ? { unitPrice: money(item['unitPrice']) } : {}), ...('amount' in item ? { amount: money(item['amount']) } : {}) };

  /** The answer to an applied POST, or its loss (loseNextAnswer). */
  function answer(response: ServerResponse, path: string, status: number, body: unknown, made?: StoredOrder, headers: Record<string, string> = {}): void {
    // Round eleven: the making posted back (postbackOnCreate), once the answer is on its way.
    if (made && pei.options.postbackOn === 'everyChange' && pei.options.postbackOnCreate && made.purchaseId === undefined) {
      setImmediate(() => void postback(made).catch(() => undefined));
    }
    const how = losing.get(path);
    if (how === undefined) return send(response, status, body, headers);
    losing.delete(path);
    if (how === 'hang') return; // no answer at all: the caller's timeout ends it
    if (how === 'reset' || how === 'resetBefore') response.socket?.destroy();
    else response.writeHead(how, { 'content-type': 'text/html', ...(how === 503 ? { 'retry-after': '1' } : {}) }).end(`<html><body>${how}</body></html>`);
  }

  /** Round seventeen: every purchase id in a written answer or postback with purchaseIdPrefix before its digits. */
  function widenedPurchaseIds(text: string): string {
    const prefix = pei.options.purchaseIdPrefix;
    return prefix === '' ? text : text.replace(/(purchaseId"?\s*[:=]\s*"?)(\d+)/gi, (_all, before: string, digits: string) => (digits === '0' ? `${before}0` : `${before}${prefix}${digits}`));
  }

  function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    if (body === undefined) {
      response.writeHead(status, headers).end();
      return;
    }
    const text = widenedPurchaseIds(JSON.stringify(cased(body, pei.options.keyCase)));
    const charset = pei.options.answerCharset;
    // Round seventeen: ISO-8859-1 bytes, labelled so or not at all.
    // Round eighteen: `latin1LabelledUtf8`, the same bytes under the default label (`charset=utf-8`).
    // Round nineteen: `utf8LabelledLatin1`, UTF-8 bytes under `charset=iso-8859-1`.
    // Round twenty-four: `utf8LabelledWindows1250`, UTF-8 bytes under `charset=windows-1250`.
    const bytes = charset === 'utf8' || charset === 'utf8LabelledLatin1' || charset === 'utf8LabelledWindows1250' ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
    const type =
      charset === 'utf8' && pei.options.mediaType !== 'json'
        ? // Round twenty-seven: JSON:API's media type takes no charset parameter.
          pei.options.mediaType === 'hal' ? 'application/hal+json; charset=utf-8' : 'application/vnd.api+json'
        : charset === 'utf8' || charset === 'latin1LabelledUtf8'
        ? pei.options.contentType
        : charset === 'latin1Labelled' || charset === 'utf8LabelledLatin1'
          ? 'application/json; charset=iso-8859-1'
          : charset === 'latin1LabelledWindows1250' || charset === 'utf8LabelledWindows1250'
            ? 'application/json; charset=windows-1250'
            : 'application/json';
    response.writeHead(status, { ...headers, 'content-type': type, 'content-length': bytes.length }).end(bytes);
  }

  function fail(response: ServerResponse, status: number, message: string): void {
    if (pei.options.mediaType === 'jsonApi') {
      // Round twenty-seven: JSON:API's error document, the field named by a JSON Pointer into the
      // request's `data` (as JsonApiDotNetCore writes a model validation error); no message member.
      const field = /^([A-Z][A-Za-z]*)\b/.exec(message)?.[1];
      const named = field && ORDER_FIELDS.has(field[0]!.toLowerCase() + field.slice(1)) ? field[0]!.toLowerCase() + field.slice(1) : undefined;
      const error = { status: String(status), title: status === 404 ? 'The requested resource does not exist.' : 'Input validation failed.', detail: message, ...(named ? { source: { pointer: `/data/attributes/${named}` } } : {}) };
      send(response, status, { errors: [error], jsonapi: { version: '1.1' } });
      return;
    }
    if (pei.options.errorBody === 'text') {
      response.writeHead(status, { 'content-type': 'text/plain' }).end(message);
    } else if (pei.options.errorBody === 'problem') {
      // ASP.NET Core's ValidationProblemDetails, with the W3C trace id it adds (round nine).
      const traceId = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
      pei.lastTraceId = traceId;
      const text = JSON.stringify({ type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1', title: 'One or more validation errors occurred.', status, errors: { Order: [message] }, traceId });
      response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' }).end(text);
    } else {
      send(response, status, { message });
    }
  }

  /**
   * Round twenty-seven: an order's fields (as view or listed writes them) as a resource of
   * mediaType: HAL's (its lines embedded, a self link) or JSON:API's resource object (its id beside
   * its attributes, not among them).
   */
  function asResource(fields: Record<string, unknown>): Record<string, unknown> {
    const { orderId, items, ...rest } = fields;
    const href = `/api/orders/${encodeURIComponent(String(orderId ?? '').trim())}`;
    if (pei.options.mediaType === 'hal') return { orderId, ...rest, _links: { self: { href } }, ...(items !== undefined ? { _embedded: { items } } : {}) };
    return { type: 'orders', id: orderId, attributes: { ...rest, ...(items !== undefined ? { items } : {}) }, links: { self: href } };
  }

  /** Round twenty-seven: one order's answer in mediaType (JSON:API's top-level document holds it as `data`). */
  function asDocument(fields: Record<string, unknown>): Record<string, unknown> {
    if (pei.options.mediaType === 'json') return fields;
    const resource = asResource(fields);
    return pei.options.mediaType === 'hal' ? resource : { data: resource, links: { self: (resource['links'] as { self: string }).self }, jsonapi: { version: '1.1' } };
  }

  /** Round twenty-seven: a listing's page in mediaType: `found` of `all`, a `next` link where more follow. */
  function asListingDocument(found: Record<string, unknown>[], all: number, search: string, page = 0): Record<string, unknown> {
    const size = pei.options.listPageSize > 0 ? pei.options.listPageSize : Math.max(all, 1);
    const self = `/api/orders${search}`;
    const more = pei.options.listPagesServed ? (page + 1) * size < all : found.length < all;
    // Round twenty-eight: with listPagesServed, the next page's own query (not the first's with more appended).
    const query = new URLSearchParams(search);
    for (const key of ['page', 'size', 'page[number]', 'page[size]']) query.delete(key);
    const base = pei.options.listPagesServed ? `?${query}` : search;
    const nextQuery = pei.options.mediaType === 'hal' ? `${base}&page=${pei.options.listPagesServed ? page + 1 : 1}&size=${size}` : `${base}&page%5Bnumber%5D=${pei.options.listPagesServed ? page + 2 : 2}&page%5Bsize%5D=${size}`;
    const origin = new URL(pei.url);
    const next = {
      path: `/api/orders${nextQuery}`,
      absolute: `${pei.url}/api/orders${nextQuery}`,
      protocolRelative: `//${origin.host}/api/orders${nextQuery}`,
      query: nextQuery,
      encoded: `/%61pi/%6Frders${nextQuery}`,
      otherHost: `http://localhost:${origin.port}/api/orders${nextQuery}`,
    }[pei.options.listNextLink];
    if (pei.options.mediaType === 'hal') {
      return {
        _links: { self: { href: self }, ...(more ? { next: { href: next } } : {}) },
        // Spring HATEOAS writes no `_embedded` for a page without content: an empty day is its links and counts.
        ...(found.length > 0 ? { _embedded: { orders: found.map(asResource) } } : {}),
        page: { size, totalElements: all, totalPages: Math.ceil(all / size), number: page },
      };
    }
    return { data: found.map(asResource), meta: { total: all }, links: { self, ...(more ? { next } : {}) }, jsonapi: { version: '1.1' } };
  }

  /** The order as this implementer would show it: the submitted Order, plus orderId and the purchase. */
  function view(order: StoredOrder, inListing = false): Record<string, unknown> {
    const o = pei.options;
    // Round twenty-three: DateTime.MinValue where this Pei has no date to write (minValueDates).
    const noDates = o.minValueDates === 'everywhere' || (o.minValueDates === 'listing' && inListing);
    const minValue = o.expirationAs === 'space' ? '0001-01-01 00:00:00' : o.expirationAs === 'msjson' ? '/Date(-62135596800000)/' : o.expirationAs === 'icelandic' ? '1.1.0001 00:00:00' : '0001-01-01T00:00:00';
    // Round twenty-four: or the text "null" (nullText).
    const optional = (value: unknown) => (o.omitOptional || value === undefined ? (o.nullText && !o.omitOptional ? o.noValueText : o.absentAs === 'null' && !o.omitOptional ? null : undefined) : value);
    const optionalString = (value: string | undefined) => (value === undefined && o.blankStrings && !o.omitOptional ? '' : optional(value));
    // Round twenty-six: texts written back in textForm's normalisation.
    const inForm = <T>(text: T): T => (typeof text === 'string' && o.textForm !== 'asSent' ? (text.normalize(o.textForm) as T) : text);
    const textsInForm = (fields: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, keys.includes(key) ? inForm(value) : value]));
    const expired = order.purchaseId === undefined && order.expirationDate.getTime() < Date.now();
    const sequence =
      order.viaPay && o.paySequenceType !== undefined
        ? o.paySequenceType
        : o.sequenceTypeAs === 'number'
        ? SEQUENCE_WORDS.indexOf(order.sequenceType)
        : o.sequenceTypeAs === 'upperSnake'
          ? order.sequenceType.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase()
          : order.sequenceType;
    const body: Record<string, unknown> = {
      orderId: o.orderIdWidth > 0 ? order.orderId.padEnd(o.orderIdWidth, ' ') : order.orderId,
      merchantId: number(order.merchantId),
      [o.amountKey]: money(o.readAmount === 'submitted' ? order.amount : (order.charged ?? order.amount)),
      reference: optionalString(order.reference === undefined || o.referenceWidth === 0 ? inForm(order.reference) : inForm(order.reference).padEnd(o.referenceWidth, ' ')),
      expirationDate: noDates
        ? minValue
        : order.viaPay && o.payExpiration === 'none'
          ? optional(undefined)
          : order.viaPay && o.payExpiration === 'blank'
            ? ''
          : order.viaPay && o.payExpiration === 'dotnetMin'
            ? o.expirationAs === 'space' ? '0001-01-01 00:00:00' : '0001-01-01T00:00:00'
            : o.expirationAs === 'space'
              ? spaceDate(order.expirationDate)
              : o.expirationAs === 'icelandic'
                ? icelandicDate(order.expirationDate)
                : o.expirationAs === 'usCulture'
                  ? usCultureDate(order.expirationDate)
                : o.expirationAs === 'localBehind'
                  ? // Round five: a .NET DateTime of the server's zone, five hours behind UTC, written without a zone.
                    new Date(order.expirationDate.getTime() - 5 * 3_600_000).toISOString().replace('Z', '')
                : o.expirationAs === 'dateOnly'
                  ? order.expirationDate.toISOString().slice(0, 10)
                : o.expirationAs === 'sqlDate'
                  ? `${order.expirationDate.toISOString().slice(0, 10)}T00:00:00`
                : o.expirationAs === 'msjson'
                  ? `/Date(${order.expirationDate.getTime()})/`
                  : order.expirationDate.toISOString(),
      successReturnUrl: optionalString(order.successReturnUrl),
      cancelReturnUrl: optionalString(order.cancelReturnUrl),
      postbackUrl: optionalString(order.postbackUrl),
      sequenceType: sequence,
      mandateId: optionalString(order.mandateId),
      buyer: optional(order.buyer === undefined ? undefined : textsInForm(order.buyer, ['name'])),
      items: order.items.map((item) => moneyOfItem(textsInForm(o.omitOptional ? { name: item['name'], amount: item['amount'] } : item, ['name', 'unit', 'groupName', 'code']))),
      created:
        noDates && o.createdShown !== 'none'
          ? minValue
          : o.createdShown === 'utc'
          ? order.created.toISOString()
          : o.createdShown === 'localBehind'
            ? new Date(order.created.getTime() - 5 * 3_600_000).toISOString().replace('Z', '')
            : o.createdShown === 'dateOnly'
              ? order.created.toISOString().slice(0, 10)
              : o.createdShown === 'sqlDate'
                ? `${order.created.toISOString().slice(0, 10)}T00:00:00`
                : undefined,
      purchaseId: !o.readShowsPurchase
        ? undefined
        : order.purchaseId !== undefined
          ? number(order.purchaseId)
          : o.purchaseIdWhenNone === 'zero'
            ? number(0)
            : o.nullText
              ? o.noValueText
            : o.absentAs === 'null'
              ? null
              : undefined,
    };
    if (o.amountKey === 'none') delete body['none'];
    if (o.statusWords) {
      const pastDate = order.expirationDate.getTime() < Date.now();
      const word = order.declined
        ? o.declinedWord
        : order.cancelled
          ? 'Cancelled'
        : o.statusDateFirst && pastDate
          ? o.statusWords.expired
          : order.purchaseId !== undefined
            ? o.statusWords.confirmed
            : expired
              ? o.statusWords.expired
              : o.statusWords.waiting;
      const id = word === o.statusWords.waiting ? 1 : word === o.statusWords.confirmed ? 2 : word === o.statusWords.expired ? 4 : 9;
      if (o.statusAs === 'object') body[o.statusKey] = { id, name: word };
      else if (o.statusAs === 'numberAndName') {
        body[o.statusKey] = id;
        body[`${o.statusKey}Name`] = word;
      } else body[o.statusKey] = word;
    }
    return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  }

  /** An order this Pei no longer keeps (forget). */
  function forgotten(order: StoredOrder): boolean {
    return pei.options.forget === 'expired' && order.purchaseId === undefined && order.expirationDate.getTime() < Date.now();
  }

  /** A listing's entry: the order as read, or a summary of it; its id under listIdKey. */
  function listed(order: StoredOrder): Record<string, unknown> {
    const { orderId, ...full } = view(order, true);
    const entry =
      pei.options.listEntries === 'summary'
        ? Object.fromEntries(Object.entries({ reference: full['reference'], status: full['status'], expirationDate: full['expirationDate'] }).filter(([, value]) => value !== undefined))
        : full;
    return pei.options.listIdKey === 'none' ? entry : { [pei.options.listIdKey]: orderId, ...entry };
  }

  async function postback(order: StoredOrder): Promise<PostbackDelivery | undefined> {
    const o = pei.options;
    if (!order.postbackUrl || !o.sendPostback) return undefined;
    const key = (name: string) => (o.postbackKeys === 'pascal' ? pascal(name) : name);
    const fields: Record<string, unknown> = {
      [key('orderId')]: order.orderId,
      [key('purchaseId')]: o.postbackPurchaseIdAs === 'string' ? String(order.purchaseId) : order.purchaseId,
    };
    if (order.mandateId) fields[key('mandateId')] = order.mandateId;
    // Round twenty-four: the unset ones as the text "null" (postbackNullText).
    else if (o.postbackNullText) fields[key('mandateId')] = o.noValueText;
    if (o.postbackNullText && order.purchaseId === undefined) fields[key('purchaseId')] = o.noValueText;
    // Round twelve: what Pei charged ("and more").
    if (o.postbackAmount !== 'none' && order.charged !== undefined) {
      const figure = o.postbackAmount === 'charged' ? order.charged : order.amount;
      // Round fifteen: the same DTO's culture writes the postback's figure as it writes the reads'.
      fields[key('amount')] = o.moneyAs === 'number' ? figure : money(figure);
    }
    // Round ten: "the Order ID and more", the order's status word with it.
    if (o.postbackOn === 'everyChange') {
      const word = order.declined ? o.declinedWord : order.cancelled ? 'Cancelled' : order.purchaseId !== undefined ? o.confirmedWord : 'Pending';
      // Round eleven: or its enum's number.
      fields[key('status')] = o.postbackStatusAs === 'number' ? (order.declined ? 5 : POSTBACK_STATUS_NUMBERS[word] ?? 0) : word;
    }
    else if (o.postbackMandateWhenNone === 'null') fields[key('mandateId')] = null;
    else if (o.postbackMandateWhenNone === 'empty') fields[key('mandateId')] = '';
    const form = o.postbackBody === 'form';
    // Round twenty: a field without a value (an unconfirmed order's purchaseId, posted with
    // postbackOn `everyChange`) is left out of every body, as JSON.stringify leaves it out of the
    // JSON one; before, the form wrote it `purchaseId=undefined` and the seed's template
    // `"purchaseId" : undefined`, which no .NET sender writes.
    for (const [name, value] of Object.entries(fields)) if (value === undefined) delete fields[name];
    const body = widenedPurchaseIds(form
      ? new URLSearchParams(Object.entries(fields).map(([name, value]) => [name, value === null ? '' : String(value)])).toString()
      : o.postbackBody === 'seedTemplate'
        ? `{ ${Object.entries(fields).map(([name, value]) => `"${name}" : ${JSON.stringify(value)}`).join(', ').replace(', ', '. ')} }`
        : o.postbackBody === 'orderIdOnly'
          ? JSON.stringify(order.orderId)
          : JSON.stringify(fields));
    const type = o.postbackContentType === undefined ? (form ? 'application/x-www-form-urlencoded' : 'application/json') : o.postbackContentType;
    // Round twelve: the order id added to the URL's query (postbackUrlQuery).
    const to = new URL(order.postbackUrl);
    if (o.postbackUrlQuery === 'added') to.searchParams.append('orderId', order.orderId);
    const target = o.postbackUrlQuery === 'concatenated' ? `${order.postbackUrl}?orderId=${order.orderId}` : o.postbackUrlQuery === 'added' ? to.toString() : order.postbackUrl;
    // Round nineteen: the bytes (postbackBytes), and the charset their label names.
    const bytesAs = o.postbackBytes;
    const bytes =
      bytesAs === 'utf8Bom'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')])
        : bytesAs === 'utf16Labelled'
          ? Buffer.from(body, 'utf16le')
          : bytesAs === 'utf16Bom'
            ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')])
            : null;
    const labelled = type === null || bytesAs === 'utf8' || bytesAs === 'utf16Bom' ? type : `${type}; charset=${bytesAs === 'utf8Bom' ? 'utf-8' : 'utf-16'}`;
    // A Blob without a type makes fetch send no Content-Type at all (a string body would be text/plain).
    const response = await fetch(target, {
      method: 'POST',
      ...(labelled === null ? {} : { headers: { 'content-type': labelled } }),
      body: bytes !== null ? new Uint8Array(bytes) : type === null ? new Blob([body]) : body,
    });
    await response.text();
    const delivery = { url: order.postbackUrl, status: response.status };
    pei.postbacks.push(delivery);
    return delivery;
  }

  function confirmNow(order: StoredOrder, chosen?: string[]): void {
    order.charged = chosen ? order.items.filter((item) => chosen.includes(String(item['name']))).reduce((sum, item) => sum + Number(item['amount'] ?? 0), 0) : order.amount;
    order.confirmedAt = Date.now();
    order.purchaseId = nextPurchase++;
    if (order.sequenceType === 'First' && !order.mandateId) order.mandateId = newId(pei.options.idAlphabet);
  }

  /** Round eight (sameReference `existingOrder`): the order the merchant already has under the submitted one's reference. */
  function heldUnder(order: StoredOrder): StoredOrder | undefined {
    if (pei.options.sameReference === 'newOrder' || order.reference === undefined) return undefined;
    return [...pei.orders.values()].find((held) => held.merchantId === order.merchantId && held.reference === order.reference);
  }

  /** Submit order's answer for `order` (createAnswer). */
  function createdAnswer(order: StoredOrder): unknown {
    const o = pei.options;
    if (o.createAnswer === 'echo') return view(order);
    if (o.createAnswer === 'withCheckoutUrl') return { orderId: order.orderId, checkoutUrl: `${pei.checkoutUrl}/${order.orderId}` };
    if (o.createAnswer === 'withOwnCheckoutUrl') {
      order.checkoutToken ??= newId();
      return { orderId: order.orderId, checkoutUrl: o.answeredCheckoutUrl ?? `https://greidsla.pei.is/checkout?t=${order.checkoutToken}` };
    }
    return { orderId: order.orderId };
  }

  /** The submitted order, checked against the seed's "Required: true" rows; a message when it fails. */
  function parseOrder(body: any, pay: boolean): StoredOrder | string {
    const o = pei.options;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The order is required.';
    if (o.rejectUnknownFields) {
      const unknown = [
        ...Object.keys(body).filter((key) => !ORDER_FIELDS.has(key)),
        ...(Array.isArray(body.items) ? body.items.flatMap((item: object) => Object.keys(item ?? {}).filter((key) => !ITEM_FIELDS.has(key))) : []),
        ...(body.buyer && typeof body.buyer === 'object' ? Object.keys(body.buyer).filter((key) => !BUYER_FIELDS.has(key)) : []),
      ];
      if (unknown.length) return `Unknown field(s): ${unknown.join(', ')}`;
    }
    if (o.strictRequests) {
      const problems = strictProblems(body);
      if (problems.length) return `The request is invalid: ${problems.join('; ')}`;
    }
    if (o.subscriptionInput === 'table' && body.subscriptionOptions && typeof body.subscriptionOptions === 'object') {
      const subscription = body.subscriptionOptions;
      if (typeof subscription.startDate !== 'string' || !/^\d{2}-\d{2}-\d{4}$/.test(subscription.startDate)) return 'SubscriptionOptions.StartDate must be a date in the format dd-mm-yyyy.';
      if (typeof subscription.cycles !== 'string') return 'The JSON value could not be converted to System.String. Path: $.subscriptionOptions.cycles';
    }
    if (!Number.isInteger(body.merchantId)) return 'MerchantId is required and must be an integer.';
    if (String(body.merchantId) !== merchantId) return 'Unknown merchant.';
    if (typeof body.amount !== 'number' || !(body.amount > 0)) return 'Amount is required and must be numeric.';
    if (!Array.isArray(body.items) || body.items.some((item: any) => typeof item?.name !== 'string' || !item.name)) return 'Items[n].Name is required.';
    let sequenceType: SequenceWord = 'OneOff';
    if (!pay) {
      const given = body.sequenceType;
      const byWord = typeof given === 'string' && (SEQUENCE_WORDS as readonly string[]).includes(given) && o.sequenceTypeInput !== 'number';
      const byNumber = typeof given === 'number' && SEQUENCE_WORDS[given] !== undefined && o.sequenceTypeInput !== 'word';
      if (!byWord && !byNumber) return 'SequenceType is required: OneOff, First or Recurring.';
      sequenceType = byWord ? (given as SequenceWord) : SEQUENCE_WORDS[given as number]!;
      if (!body.buyer || typeof body.buyer !== 'object') return 'Buyer is required.';
      if (sequenceType !== 'Recurring' && body.mandateId) return 'MandateId applies only to Recurring orders.';
      if (sequenceType === 'Recurring' && !body.mandateId) return 'MandateId is required for Recurring orders.';
    } else {
      const buyer = body.buyer ?? {};
      if (!buyer.name || !buyer.ssn || !buyer.email) return 'Buyer.Name, Buyer.Ssn and Buyer.Email are required.';
    }
    if (o.referenceTooLong === 'refuse' && o.referenceMaxLength > 0 && body.reference != null && String(body.reference).length > o.referenceMaxLength) {
      return `The field Reference must be a string with a maximum length of ${o.referenceMaxLength}.`;
    }
    let expirationDate = new Date(Date.now() + 24 * 3600_000);
    if (body.expirationDate !== undefined && body.expirationDate !== null) {
      const text = String(body.expirationDate);
      const ok = (o.expirationInput !== 'space' && isIsoDate(text)) || (o.expirationInput !== 'iso' && isSpaceDate(text));
      if (!ok) return 'ExpirationDate is not a valid date.';
      expirationDate = new Date(isSpaceDate(text) ? `${text.replace(' ', 'T')}Z` : text);
    }
    return {
      orderId: newId(o.idAlphabet),
      merchantId: body.merchantId,
      amount: body.amount,
      ...(body.reference != null ? { reference: String(body.reference).slice(0, o.referenceMaxLength > 0 ? o.referenceMaxLength : undefined) } : {}),
      expirationDate,
      ...(body.successReturnUrl ? { successReturnUrl: body.successReturnUrl } : {}),
      ...(body.cancelReturnUrl ? { cancelReturnUrl: body.cancelReturnUrl } : {}),
      ...(body.postbackUrl ? { postbackUrl: body.postbackUrl } : {}),
      sequenceType,
      ...(body.mandateId ? { mandateId: body.mandateId } : {}),
      ...(body.buyer ? { buyer: body.buyer } : {}),
      items: body.items,
      created: new Date(Date.now() + o.clockSkewMs),
    };
  }

  async function handleToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const o = pei.options;
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    const byBasic = basicId === clientId && basicSecret === clientSecret && o.tokenClientAuth !== 'form';
    const byForm = form.get('client_id') === clientId && form.get('client_secret') === clientSecret && o.tokenClientAuth !== 'basic';
    if (form.get('grant_type') !== 'client_credentials') return void send(response, 400, { error: 'unsupported_grant_type' });
    if (!byBasic && !byForm) return void send(response, 401, { error: 'invalid_client' });
    const token = randomBytes(16).toString('hex');
    tokens.add(token);
    const answer: Record<string, unknown> = { access_token: token, token_type: o.tokenType };
    if (o.expiresIn !== 'absent') answer['expires_in'] = o.expiresIn === 'string' ? '3600' : 3600;
    // OAuth2's own answer keeps its snake_case whatever keyCase the API uses.
    const text = JSON.stringify(answer);
    response.writeHead(200, { 'content-type': 'application/json' }).end(text);
  }

  /**
   * Round eighteen: the front tier (options.redirect). The URL the request is to be redirected to,
   * or, where it is where the API is served, the path the application routes it by (the seed's).
   */
  function frontTier(request: IncomingMessage, url: URL): { redirectTo: string } | { path: string } {
    const rule = pei.options.redirect;
    if (!rule || !url.pathname.startsWith('/api/')) return { path: url.pathname };
    const redirects = rule.methods === 'all' || request.method === 'GET';
    if (rule.to === 'trailingSlash') {
      if (url.pathname.endsWith('/')) return { path: url.pathname.replace(/\/+$/, '') };
      return redirects ? { redirectTo: `${url.pathname}/${url.search}` } : { path: url.pathname };
    }
    if (rule.to === 'moved') {
      if (url.pathname.startsWith('/api/v2/')) return { path: url.pathname.replace('/api/v2/', '/api/') };
      return redirects ? { redirectTo: `${pei.url}${url.pathname.replace('/api/', '/api/v2/')}${url.search}` } : { path: url.pathname };
    }
    const host = (request.headers.host ?? '').split(':')[0];
    if (host === 'localhost' || !redirects) return { path: url.pathname };
    return { redirectTo: `${pei.url.replace('127.0.0.1', 'localhost')}${url.pathname}${url.search}` };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Round twenty-eight: a path's percent-encoded unreserved characters are those characters (RFC 3986 §6.2.2.2).
    const url = new URL((request.url ?? '/').replace(/^[^?]*/, (path) => path.replace(/%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[DEde]|5[Ff]|7[Ee])/g, (code) => String.fromCharCode(parseInt(code.slice(1), 16)))), 'http://pei');
    if (request.method === 'POST' && url.pathname === '/token') return handleToken(request, response);
    const text = await readBody(request, pei.options.requestCharset);
    const routed = frontTier(request, url);
    if ('redirectTo' in routed) {
      pei.redirected.push({ method: request.method ?? '', path: url.pathname + url.search, host: request.headers.host ?? '' });
      return void response.writeHead(pei.options.redirect!.status, { location: routed.redirectTo, 'content-type': 'text/html' }).end('<html><body>Moved</body></html>');
    }
    if (routed.path !== url.pathname) url.pathname = routed.path;
    if (pei.options.redirect?.to === 'otherOrigin' && (request.headers.host ?? '').startsWith('localhost')) pei.reachedOtherOrigin.push({ method: request.method ?? '', path: url.pathname });
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return fail(response, 400, 'The request body is not valid JSON.');
    }
    pei.calls.push({ method: request.method ?? '', path: url.pathname + url.search, body, ...(request.headers.host ? { host: request.headers.host } : {}) });
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
    if (!bearer || !tokens.has(bearer[1]!)) return void response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
    const o = pei.options;
    const away = turningAway.get(`${request.method} ${url.pathname}`);
    if (away !== undefined) {
      turningAway.delete(`${request.method} ${url.pathname}`);
      pei.turnedAway.push({ method: request.method ?? '', path: url.pathname });
      response.setHeader('retry-after', '1');
      return fail(response, away, away === 429 ? 'Too Many Requests' : away === 408 ? 'Request Timeout' : 'Too Early');
    }
    if (o.strictRequests && request.method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return fail(response, 415, 'The request must be application/json.');
    }

    if (request.method === 'POST' && losing.get(url.pathname) === 'resetBefore') {
      losing.delete(url.pathname);
      return void response.socket?.destroy();
    }
    if (request.method === 'POST' && url.pathname === '/api/orders') {
      const order = parseOrder(body, false);
      if (typeof order === 'string') return fail(response, 400, order);
      const held = heldUnder(order);
      if (held && o.sameReference === 'refused') return fail(response, 409, `An order with reference ${held.reference} already exists.`);
      if (held) return answer(response, '/api/orders', o.createStatus, createdAnswer(held));
      pei.orders.set(order.orderId, order);
      if (order.sequenceType === 'Recurring' && o.recurringCharge === 'declined' && o.postbackTiming === 'beforeAnswer' && o.postbackOn === 'everyChange') {
        // Round eleven: charged and refused inside the request, the refusal posted before the answer.
        order.purchaseId = nextPurchase++;
        order.declined = true;
        await postback(order).catch(() => undefined);
      } else if (order.sequenceType === 'Recurring' && o.recurringCharge === 'declined') {
        // Charged and refused: the attempt has its purchase id, the order its word, and nothing is posted back.
        setTimeout(() => {
          order.purchaseId = nextPurchase++;
          order.declined = true;
          // Round ten: a Pei posting every outcome of its automatic charge posts the refusal too.
          if (o.postbackOn === 'everyChange') void postback(order).catch(() => undefined);
        }, 50);
      }
      if (order.sequenceType === 'Recurring' && o.recurringCharge === 'charged') {
        // "will be automatically charged": the charge and its postback, before or after the answer.
        if (o.postbackTiming === 'beforeAnswer') {
          confirmNow(order);
          await postback(order).catch(() => undefined);
        } else {
          setTimeout(() => {
            confirmNow(order);
            void postback(order).catch(() => undefined);
          }, 50);
        }
      }
      if (o.createAnswer === 'location') return answer(response, '/api/orders', o.createStatus, undefined, order, locationOf(order));
      return answer(response, '/api/orders', o.createStatus, createdAnswer(order), order);
    }
    if (request.method === 'POST' && url.pathname === '/api/orders/pay') {
      const order = parseOrder(body, true);
      if (typeof order === 'string') return fail(response, 400, order);
      const ssn = String((order.buyer as { ssn?: unknown }).ssn);
      if (!pei.purchaseAccess.has(ssn)) return fail(response, o.noAccessStatus, 'The merchant does not have purchase access for this buyer.');
      const held = heldUnder(order);
      if (held && o.sameReference === 'refused') return fail(response, 409, `An order with reference ${held.reference} already exists.`);
      if (held) return answer(response, '/api/orders/pay', o.payStatus, o.payAnswer === 'none' ? undefined : { orderId: held.orderId });
      order.viaPay = true;
      if (o.payShowsAs === 'mandateCharge') {
        order.sequenceType = 'Recurring';
        order.mandateId = `card-${ssn.slice(-4)}-${newId().slice(0, 12)}`;
      }
      pei.orders.set(order.orderId, order);
      if (o.payConfirms === 'declined') {
        // Charged and refused at once: the attempt's purchase id, the declined word, no postback.
        order.purchaseId = nextPurchase++;
        order.declined = true;
      } else if (o.payConfirms === 'atOnce') {
        confirmNow(order);
        // "A URL that the Order ID will be posted to when the Order becomes confirmed."
        if (o.postbackTiming === 'beforeAnswer') await postback(order).catch(() => undefined);
        else setTimeout(() => void postback(order).catch(() => undefined), 10);
      } else
        setTimeout(() => {
          if (o.payConfirms === 'laterDeclined') {
            // Round five: charged in the background and refused (the attempt's purchase id, declined, no postback).
            order.purchaseId = nextPurchase++;
            order.declined = true;
            if (o.postbackOn === 'everyChange') void postback(order).catch(() => undefined);
            return;
          }
          confirmNow(order);
          void postback(order).catch(() => undefined);
        }, o.payLaterMs);
      const paid =
        o.payAnswer === 'none'
          ? undefined
          : o.payAnswer === 'bareOrderId'
          ? order.orderId
          : o.payAnswer === 'echo'
          ? asDocument(view(order))
          : o.payAnswer === 'wrapped'
          ? { order: view(order) }
          : o.payAnswer === 'envelope'
          ? // The wrapper says how the charge went: a declined one (payConfirms 'declined') is `success: false` with its words.
            { data: { orderId: order.orderId, ...(order.purchaseId !== undefined ? { purchaseId: number(order.purchaseId) } : {}) }, errors: order.declined ? ['The card was declined.'] : [], success: !order.declined }
          : o.payAnswer === 'withPurchaseId' && order.purchaseId !== undefined
            ? asDocument({ orderId: order.orderId, purchaseId: number(order.purchaseId) })
            : asDocument({ orderId: order.orderId });
      if (o.payAnswer === 'location') return answer(response, '/api/orders/pay', o.payStatus, undefined, order, locationOf(order));
      return answer(response, '/api/orders/pay', o.payStatus, paid, order);
    }
    if (request.method === 'GET' && url.pathname === '/api/orders') {
      const date = url.searchParams.get('date');
      const merchant = url.searchParams.get('merchantId');
      if (!date || !merchant) return fail(response, 400, 'merchantId and date are required.');
      if (o.refuseFutureDates && date > new Date(Date.now() + o.clockSkewMs).toISOString().slice(0, 10)) return fail(response, 400, 'The date may not be in the future.');
      const cached = listCache.get(url.search);
      if (o.listCacheMs > 0 && cached && performance.now() - cached.at < o.listCacheMs) return send(response, cached.status, cached.body);
      const all = [...pei.orders.values()]
        .filter((order) => !forgotten(order) && Date.now() + o.clockSkewMs - order.created.getTime() >= o.listLagMs && String(order.merchantId) === merchant && new Date((o.listDate === 'expiration' ? order.expirationDate : order.created).getTime() + o.listDayZoneHours * 3_600_000).toISOString().slice(0, 10) === date && (o.listOnly === 'all' || order.purchaseId !== undefined))
        .map(listed);
      // Round six: one page, oldest first (the order they were made in). Round twenty-eight: with
      // listPagesServed, the page a HAL or JSON:API request asks for.
      const plainPaged = o.mediaType === 'json' && o.listNextIn !== 'none' && o.listPageSize > 0;
      const page =
        o.listPagesServed && o.mediaType !== 'json'
          ? Math.max(0, o.mediaType === 'hal' ? Number(url.searchParams.get('page') ?? 0) || 0 : (Number(url.searchParams.get('page[number]') ?? 1) || 1) - 1)
          : plainPaged
            ? Math.max(0, (Number(url.searchParams.get('page') ?? 1) || 1) - 1)
            : 0;
      const found = o.listPageSize > 0 ? all.slice(page * o.listPageSize, (page + 1) * o.listPageSize) : all;
      if (page > 0 && o.listLaterPageStatus > 0) return fail(response, o.listLaterPageStatus, 'The report is not available.');
      if (found.length === 0 && o.listEmpty !== 'emptyArray') return o.listEmpty === 204 ? send(response, 204) : fail(response, 404, 'No orders found.');
      // envelope: a .NET result wrapper, the list beside its (empty) messages and links.
      const body =
        o.mediaType !== 'json'
          ? asListingDocument(found, all.length, url.search, page)
          : o.listShape === 'wrapped' ? { orders: found } : o.listShape === 'envelope' ? { data: found, errors: [], links: [], totalCount: all.length } : found;
      if (plainPaged) {
        // Round twenty-nine: the next page named in a plain wrapper or a Link header.
        const more = (page + 1) * o.listPageSize < all.length;
        const query = new URLSearchParams(url.search);
        query.set('page', String(page + 2));
        query.set('pageSize', String(o.listPageSize));
        const next = more ? `${pei.url}/api/orders?${query}` : null;
        if (o.listNextIn === 'linkHeader') {
          const first = new URLSearchParams(query);
          first.set('page', '1');
          return send(response, 200, found, { link: [`</api/orders?${first}>; rel="first"`, ...(next ? [`</api/orders?${query}>; rel="next"`] : [])].join(', ') });
        }
        if (o.listNextIn === 'nextPage') return send(response, 200, { data: found, totalCount: all.length, nextPage: next });
        if (o.listNextIn === 'next') return send(response, 200, { count: all.length, next, previous: null, results: found });
        return send(response, 200, { value: found, ...(next ? { '@odata.nextLink': next } : {}) });
      }
      if (o.listCacheMs > 0) listCache.set(url.search, { at: performance.now(), status: 200, body: JSON.parse(JSON.stringify(body)) as unknown });
      if (o.listPageSize > 0 && o.listPagingIn === 'header') {
        const pages = Math.max(1, Math.ceil(all.length / o.listPageSize));
        const pagination = { TotalCount: all.length, PageSize: o.listPageSize, CurrentPage: 1, TotalPages: pages, HasNext: pages > 1, HasPrevious: false };
        return send(response, 200, body, { 'x-pagination': JSON.stringify(pagination) });
      }
      return send(response, 200, body);
    }
    const one = /^\/api\/orders\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && one && o.getOrderRoute !== 'served') return send(response, o.getOrderRoute);
    if (request.method === 'GET' && one) {
      const order = pei.orders.get(o.readAnswersWith ?? decodeURIComponent(one[1]!));
      if (!order || forgotten(order) || Date.now() + o.clockSkewMs - order.created.getTime() < o.readLagMs) {
        if (o.readShape === 'array') return send(response, 200, []);
        if (o.notFound === '404empty') return send(response, 404);
        return fail(response, o.notFound === '400' ? 400 : o.notFound === '410' ? 410 : 404, 'Order not found.');
      }
      // Round six: a replica behind by readStateLagMs shows a confirmation younger than that not yet.
      const shown = o.readStateLagMs > 0 && order.confirmedAt !== undefined && Date.now() - order.confirmedAt < o.readStateLagMs ? { ...order, purchaseId: undefined, confirmedAt: undefined, charged: undefined } : order;
      const body = o.readShape === 'wrapped' ? { order: view(shown) } : o.readShape === 'array' ? [view(shown)] : asDocument(view(shown));
      // Round seven: the state as it was when the request arrived, answered after this read's delay.
      const delay = o.readDelaysMs.shift();
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      return send(response, 200, body);
    }
    return send(response, 404);
  }

  const server: Server = createServer((request, response) => {
    if (pei.options.connectionClose) response.setHeader('connection', 'close');
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  pei.url = `http://127.0.0.1:${address.port}`;
  pei.tokenUrl = `${pei.url}/token`;
  pei.checkoutUrl = 'https://gattin.pei.is';
  pei.clientId = clientId;
  pei.clientSecret = clientSecret;
  pei.merchantId = merchantId;
  pei.confirm = async (orderId, chosen, beforePostback) => {
    const order = pei.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    confirmNow(order, chosen);
    await beforePostback?.();
    return postback(order);
  };
  pei.cancel = async (orderId) => {
    const order = pei.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    if (order.purchaseId !== undefined) throw new Error(`order ${orderId} is paid`);
    order.cancelled = true;
    return pei.options.postbackOn === 'everyChange' ? postback(order) : undefined;
  };
  pei.chargeDueDate = async (orderId) => {
    const order = pei.orders.get(orderId);
    if (!order || order.purchaseId === undefined) throw new Error(`order ${orderId} is not confirmed`);
    order.purchaseId = nextPurchase++;
    order.confirmedAt = Date.now();
    order.dueDateCharges = [...(order.dueDateCharges ?? []), order.amount];
    return postback(order);
  };
  pei.loseNextAnswer = (path, how) => void losing.set(path, how);
  pei.turnAwayNext = (path, status = 429, method = 'POST') => void turningAway.set(`${method} ${path}`, status);
  pei.expire = (orderId) => {
    const order = pei.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    order.expirationDate = new Date(Date.now() - 60_000);
  };
  pei.reset = (options = {}) => {
    pei.options = { ...DEFAULT_OPTIONS, ...options, readDelaysMs: [...(options.readDelaysMs ?? [])] };
    losing.clear();
    turningAway.clear();
    pei.turnedAway.length = 0;
    pei.redirected.length = 0;
    pei.reachedOtherOrigin.length = 0;
    listCache.clear();
  };
  pei.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return pei;
}
