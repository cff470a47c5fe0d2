/**
 * Dintero as someone else would build it from the seed alone (dintero-orders-and-checkout.txt)
 * plus CONTRACT §8's paths, written without reading our adapter or our sandbox. Where the seed
 * leaves a thing open, an option picks one of the faithful answers (see
 * /work/tasks/dintero-seed-freedoms.md for the list and why each is open):
 *
 * - The seed shows request bodies only, never an answer. So every answer here is the least a
 *   faithful server could give (a transaction is `{id, status}` in `minimal` mode: the seed shows
 *   only "the status is AUTHORIZED"), and its status code, letter case, number-vs-string, content
 *   type and error body are options.
 * - `line_id` is a number in the Orders bodies and a string in the Checkout body: `strictLineIds`
 *   insists on each as shown.
 * - The callback carries "the session_id and its corresponding transaction": the method, where the
 *   two ids travel and which of them are there are options; the callback may never come at all.
 * - The seed has no session read; `sessionRead: 'none'` answers 404 for `GET /v1/sessions/{id}`.
 *
 * - Round four adds other stacks' status spellings (statusCase pascal/camel/kebab/spaced, wordFor),
 *   other names for the ids of a draft and a session, a relative session url, a replica that
 *   lags (readLagMs), events, a POSTed callback without a body, no void, and a draft that must
 *   name its order id rule.
 *
 * - Round five adds money moved without the gateway (outside: a back office, an expiry's void),
 *   a capture or refund taken and then failed at the acquirer (failNextAtAcquirer, at once or
 *   settleAfterMs later), and operations answered as resources of their own (operationAnswer 'operation').
 *
 * - Round ten adds refund events whose amounts are negative (refundEventSign), events whose
 *   `success` is text (eventSuccess), and an Orders API
 *   that keeps each mark's id and refuses a second one under it 409 (markIds 'conflict'), with a
 *   mark's answer lost on the way (loseNextMarkAnswer).
 *
 * - Round eleven adds a refusal in a 200 written as the flag alone (refusalsAs200Body 'flag-only',
 *   `"success": "false"` with eventSuccess 'string'), a lost 202 (loseNextAnswer with settleAfterMs),
 *   a failed operation answered as its own record (operationAnswer 'operation', status FAILED), and
 *   events timed in epoch seconds (eventTimes) or named under `type` (eventNameField).
 *
 * - Round twelve adds an operation taken and written in the events at once in a word of its own
 *   (inProgressWord: `IN_PROGRESS`, `ACCEPTED`), its outcome a second event under its reference,
 *   a token that died answered 403 rather than 401 (expiredTokenStatus), and events that write the
 *   gateway's reference as `reference` (eventReferenceField), capture and refund bodies held to
 *   CONTRACT §8's capture body (refuseUnknownOperationFields), and a transaction's merchant_reference
 *   padded as a CHAR(20) column writes it (referencePadding).
 *
 * - Round thirteen adds every 2xx answer in an envelope, `{data: <answer>, meta}` (envelope).
 *
 * - Round fourteen adds a void taken and refused by the acquirer (failNextVoidAtAcquirer: a failed
 *   VOID event, or a status word of the server's own; failNextAtAcquirer's `word` likewise for a
 *   capture or refund), the real reference's word for a refund
 *   while part is not captured, captures allowed after it (afterRefund), and a transaction's
 *   `amount` written as what is still reserved (transactionAmount).
 *
 * - Round fifteen adds a refused operation's status word kept until the next operation is carried
 *   out, not when it is taken (refusalWordKept).
 *
 * - Round sixteen adds a session read that names its transaction otherwise than `transaction_id`
 *   (sessionTransactionAs: the latest try embedded, or every try listed).
 *
 * - Round seventeen adds ids written as a .NET `long` or a Java `Long` key writes them, bare JSON
 *   numbers beyond 2^53 (longIds), and a session read that lists its tries by their ids alone
 *   (sessionTransactionAs 'transaction-ids').
 *
 * - Round eighteen adds a front tier that redirects the gateway's calls (redirect: 301, 302,
 *   307, 308 to another path, the other host, a trailing slash, or a host that is not Dintero's),
 *   and a draft and a session answered 201 with their id in a Location only (createdAs).
 *
 * - Round nineteen adds a session read's unset times written as a stack's zero value (unsetTimes:
 *   Go's `0001-01-01T00:00:00Z`, .NET's `0001-01-01T00:00:00`, the Unix epoch, MySQL's
 *   `0000-00-00 00:00:00`), a buyer's cancel on the session's page (cancelSession), and an event
 *   under way whose `success` is null until it is decided in place (undecidedSuccess), and a
 *   session whose page only its read names (sessionPageInRead).
 *
 * - Round twenty-three adds a session read's unset times written by the stack's own ToString
 *   (unsetTimes 'dotnet-invariant', 'dotnet-nb', 'dotnet-en-us', 'go-string'), and a session
 *   archived or deleted after it was read (purgeSession: 404 or 410 Gone), and refusals answered
 *   200 as a list of errors or as RFC 9457 problem details (refusalsAs200Body).
 *
 * - Round twenty-four adds a value the server has not set written as its stack's text for null
 *   (nullAsText: Python's `str(None)` "None", Java's `String.valueOf(null)` "null", Go's
 *   `fmt.Sprint(nil)` "<nil>", a JavaScript template's "undefined"), on a session read's unset
 *   times and transaction and on an undecided event's `success`; optimistic locking on the money
 *   calls (requireIfMatch: 428 without `If-Match`, 412 for a stale one, an `ETag` on every
 *   transaction answer; changeBeforeNextWrite moves money in between); and a 5xx or "come back
 *   later" answered 200 as problem details (serverErrorsAs200).
 *
 * - Round twenty-five adds callbacks delivered as a JSON list (callback.batch), held ones together.
 *
 * - Round twenty-six adds minor-unit amounts written as JSON numbers with a fraction or an exponent
 *   (amountForm: `39800.0`, `3.98E4`), and an answer to a capture, refund or void cut short after its
 *   headers (stallNextAnswer 'cut-length', 'cut-chunked', 'cut-close').
 *
 * - Round twenty-eight adds amounts with a decimal comma (readUnits 'major-decimal-comma': `"99,50"`),
 *   answers' keys in camelCase or PascalCase (answerKeys), and a batched callback's list wrapped in an
 *   object (callback.batchWrapper: `{events: [...]}`).
 *
 * Two listeners, as Dintero has two hosts: `apiUrl` (token, Orders API) and `checkoutUrl`
 * (sessions, transactions). Tokens are shared. Money is in minor units, integers only.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A random id part of `bytes` bytes in hex, every other character a letter: plain hex can hold a
 * run of 15-16 digits that passes the Luhn check, which the test-log scan (rightly) reports as a
 * card number wherever the id is logged (a provider call's path).
 */
function lettersAndDigits(bytes: number): string {
  return [...randomBytes(bytes).toString('hex')].map((char, index) => (index % 2 === 0 && /\d/.test(char) ? 'ghijklmnop'[Number(char)] : char)).join('');
}
/**
 * longIds (round seventeen): an id written as a bare JSON number of any length. JSON.stringify
 * cannot write a number beyond 2^53 exactly, so such an id goes in marked, as text, and the mark
 * and its quotes come off the written JSON.
 */
const LONG_MARK = '\u0000long:';
function jsonWithLongs(value: unknown): string {
  // Round twenty-five (timeText 'dotnet-json-date'): .NET's JSON dates escape their slashes, `"\/Date(...)\/"`.
  // Round twenty-six (amountForm): a number marked as written (`39800.0`, `3.98E4`) goes in bare.
  return JSON.stringify(value).replace(/"\\u0000long:(\d+)"/g, '$1').replace(/"\\u0000number:([0-9.E+-]+)"/g, '$1').replace(/"\/Date\((-?\d+(?:[+-]\d{4})?)\)\/"/g, '"\\/Date($1)\\/"');
}

/**
 * Round twenty-five (timeText): a session's time (`expires_at`, and `cancelled_at` once set) as
 * another stack's serialiser writes it, where the seed shows no time at all: .NET's
 * DataContractJsonSerializer / JavaScriptSerializer (ASP.NET AJAX) `\/Date(<epoch ms>)\/`, with
 * the local offset after the ms (`+0100`, which does not move the instant); Python's
 * `str(time.time())`, epoch seconds with a fraction, as text; ISO 8601 with an offset without its
 * colon (`+0100`), in lower case (`t`, `z`), with a comma before the fraction, or without seconds.
 */
export type TimeText = 'dotnet-json-date' | 'dotnet-json-date-offset' | 'python-epoch-text' | 'offset-no-colon' | 'lower-case' | 'comma-fraction' | 'no-seconds';
function timeText(at: number, form: TimeText): string {
  const iso = new Date(at).toISOString();
  switch (form) {
    case 'dotnet-json-date':
      return `/Date(${at})/`;
    case 'dotnet-json-date-offset':
      return `/Date(${at}+0100)/`;
    case 'python-epoch-text':
      return String(at / 1000 + 0.000123);
    case 'offset-no-colon':
      return `${new Date(at + 3600_000).toISOString().slice(0, 23)}+0100`;
    case 'lower-case':
      return iso.toLowerCase();
    case 'comma-fraction':
      return iso.replace('.', ',');
    case 'no-seconds':
      return `${iso.slice(0, 16)}Z`;
  }
}
/**
 * Round twenty-three (unsetTimes): the zero value of a time type written by the stack's own
 * `ToString` / `String()` rather than an ISO serialiser, as a template, a view model or a DTO of
 * strings writes it: .NET's `DateTime.MinValue.ToString()` in the invariant culture
 * (`01/01/0001 00:00:00`), in nb-NO (`01.01.0001 00:00:00`: Dintero is Norwegian) and in en-US
 * (`1/1/0001 12:00:00 AM`), and Go's `time.Time{}.String()` (`0001-01-01 00:00:00 +0000 UTC`).
 */
export type UnsetTimeText = 'dotnet-invariant' | 'dotnet-nb' | 'dotnet-en-us' | 'go-string';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * stallNextAnswer: a wait in ms (past the gateway's timeout: lost), a reset before any answer, or
 * (round twenty-six) the answer cut short after its headers, half its body sent: with its
 * Content-Length (`cut-length`), chunked (`cut-chunked`), or with neither, delimited by the
 * connection's close (`cut-close`: HTTP/1.1 without framing, the connection then closed cleanly,
 * so the half that came looks like a whole answer). A proxy or a worker that dies mid-answer; the
 * operation was carried out first. The seed shows no answer at all.
 */
export type StallHow = number | 'reset' | 'cut-length' | 'cut-chunked' | 'cut-close';
/** amountForm (round twenty-six): a number to go into the JSON as written (jsonWithLongs). */
const NUMBER_MARK = '\u0000number:';

/** contentType (round twenty-seven): each label as written in the answer's `Content-Type`. */
const MEDIA_TYPES = {
  json: 'application/json',
  charset: 'application/json; charset=utf-8',
  hal: 'application/hal+json',
  'vnd-api': 'application/vnd.api+json',
  'text-plain': 'text/plain; charset=utf-8',
  'octet-stream': 'application/octet-stream',
} as const;

/** currencyForm 'numeric' (round twenty-seven): ISO 4217 numeric codes of the currencies the tests use. */
const ISO_NUMERIC: Record<string, number> = { NOK: 578, SEK: 752, DKK: 208, EUR: 978, ISK: 352, KWD: 414 };
import type { AddressInfo } from 'node:net';

export interface IndependentDinteroOptions {
  /** Token answer: 200 or 201; `minimal` is `{access_token}` only, `stringy` has expires_in "3600" and token_type "bearer". */
  tokenStatus: 200 | 201;
  tokenShape: 'full' | 'minimal' | 'stringy';
  /** Refuse a token request whose audience is not `<apiUrl>/v1/accounts/<aid>` (the seed's shape). */
  checkAudience: boolean;
  /** Draft order answer: `id` only (order_id comes on completion), or `order_id` already too. */
  draftAnswer: 'id' | 'id+order_id';
  createStatus: 200 | 201;
  /** Complete: the order with `order_id`; the order whose `id` IS the order id; or 204 and no body. */
  completeAnswer: 'order_id' | 'id-is-order-id' | 'empty';
  /** The session answer carries its page `url`, or only `{id}`. */
  sessionUrl: boolean;
  /** `GET /v1/sessions/{id}`: offered (with transaction_id once paid), or 404 (the seed has none). */
  sessionRead: 'full' | 'none';
  strictLineIds: boolean;
  /** A transaction read: `{id, status}` only, or with amount, currency, merchant_reference, session_id, items. */
  transaction: 'minimal' | 'full';
  /**
   * Status words: as CONTRACT §8 writes them, lower, Title; or as another stack serialises an enum
   * member named after them (round four): PascalCase (`PartiallyCaptured`, .NET's enum converter),
   * camelCase (`partiallyCaptured`), kebab-case (`partially-captured`), or words with spaces
   * (`Partially captured`, a display name).
   */
  statusCase: 'upper' | 'lower' | 'title' | 'pascal' | 'camel' | 'kebab' | 'spaced';
  /** Amounts (where a transaction has them) as strings, and line ids as strings. */
  stringNumbers: boolean;
  /**
   * Capture/refund/void answer: the transaction (200), 202 with no body, or 204; or (round five)
   * the operation itself as a resource of its own, 201 `{id: <its own id>, transaction_id, amount,
   * status, capture_reference|refund_reference}`, its status the word for what it did
   * (CAPTURED / REFUNDED / AUTHORIZATION_VOIDED) whatever the transaction's now is. Round seven:
   * `operation-without-id`, the same record without an id of its own (`{transaction_id, amount,
   * status, capture_reference, created_at}`), as a server whose operations are rows keyed by their
   * transaction writes it. Round eleven: one that fails at the acquirer (failNextAtAcquirer) is
   * answered so too, its status FAILED.
   */
  operationAnswer: 'transaction' | 'accepted' | 'no-content' | 'operation' | 'operation-without-id';
  /** Marks on the order (authorizations/captures/refunds/cancel) answer this status, no body when 204. */
  markStatus: 200 | 201 | 204;
  /**
   * Answers' content type: `application/json`, with charset, or no header at all. Round
   * twenty-seven: the same JSON labelled `application/hal+json`, `application/vnd.api+json`,
   * `text/plain; charset=utf-8` or `application/octet-stream`; no seed shows an answer's media type.
   */
  contentType: 'json' | 'charset' | 'none' | 'hal' | 'vnd-api' | 'text-plain' | 'octet-stream';
  /**
   * Round twenty-seven. How a transaction read (and a transaction POSTed as its callback) writes its
   * `currency`: the letters as sent (default), in lower case (`"nok"`), or the ISO 4217 numeric code
   * as a number (`578`) or text (`"578"`). The seed writes `"currency": "NOK"` in requests only.
   */
  currencyForm?: 'alpha' | 'lower' | 'numeric' | 'numeric-string';
  errorBody: 'json' | 'text' | 'empty';
  /** The word for a payment the buyer's bank refused: both are in CONTRACT §8's list. */
  declineWord: 'FAILED' | 'DECLINED';
  /** Tokens die this long after they are issued, whatever `expires_in` said (revoked early): 401 after. */
  tokenLifetimeMs?: number;
  /**
   * Round twelve. The status a token that died (tokenLifetimeMs) is answered with: 401 (RFC 6750's
   * invalid_token, default), or 403, as many stacks answer a token they know but no longer honour
   * ("Forbidden: the token has expired"), with the error body errorBody says. The seed shows no
   * error at all, only that the client's token carries its scopes.
   */
  expiredTokenStatus?: 401 | 403;
  /**
   * Capture/refund/void processed later: the call answers 202 at once and the transaction shows the
   * operation only after this many ms (the seed says nothing of when).
   */
  settleAfterMs?: number;
  /**
   * Ids in answers as JSON numbers where they are made of digits (a NUMERIC_9 order id, a draft
   * numbered by a database sequence): the seed shows no id in any answer.
   */
  numericIds?: boolean;
  /** A new transaction can be read (GET) only once its callback was answered: the callback comes first. */
  readableAfterCallback?: boolean;
  /** The Orders API refuses every mark (400): marking records, it moves no money. */
  refuseMarks?: boolean;
  /**
   * The Orders API follows the seed's steps in order: a capture mark beyond what its order has
   * marked authorized, or a refund mark beyond what it has marked captured, is refused (409).
   */
  marksInOrder?: boolean;
  /** A profile that captures at once: a paid transaction is CAPTURED, never AUTHORIZED. */
  autoCapture?: boolean;
  /** Status words written with surrounding spaces (' AUTHORIZED '): the seed shows the word, not its padding. */
  statusPadding?: boolean;
  /**
   * The session read carries `expires_at`, this long after the session was made (negative: already
   * past), written in one of the forms a timestamp may take (no seed shows one): ISO with `Z`, the
   * same UTC clock without a zone, with fractions and no zone, with a +02:00 offset, or epoch seconds.
   * Round twenty-three: 'go-string', as Go's `time.Time.String()` writes it in Oslo's winter time
   * (`2026-12-07 13:00:00.123456789 +0100 CET`: a template or a DTO of strings, not encoding/json).
   */
  sessionExpiry?: { offsetMs: number; format: 'iso' | 'no-zone' | 'fractions-no-zone' | 'offset' | 'epoch-s' | 'go-string' };
  /**
   * Fields the server's model has but has not set are written as their zero value, as a Go
   * serialiser without omitempty does: `"order_id": ""` on a draft, `"transaction_id": ""` and
   * `"expires_at": ""` on a session nobody paid, `"url": ""` where the session has no page URL.
   */
  zeroValues?: boolean;
  /**
   * Requests checked as a careful implementation of the seed would: a body only as
   * `application/json` (415 else); a mark's items name lines of its order (by the Orders API's
   * line_id), none beyond the line's amount, an authorization all of the order; a capture's or
   * refund's items name lines of its session and add up to its `amount`; a draft's lines carry
   * `description` and `description_alias`, as the seed's does.
   */
  strictRequests?: boolean;
  /**
   * Round four. The session answer names its id as the seed names it everywhere it names it at all
   * ("with the session_id"): `{session_id, url}` instead of CONTRACT §8's `{id, url}`.
   */
  sessionIdName?: 'id' | 'session_id';
  /**
   * Round four. A draft answered with the order id generate_order_id asked for and no other id
   * (`{order_id, ...}`, no `id`): the draft is that order, and `PUT .../draft_orders/{id}/complete`
   * takes it as its `{id}`.
   */
  draftIdName?: 'id' | 'order_id';
  /**
   * Round four. `GET /v1/transactions/{id}` reads a replica this many ms behind: it shows the
   * transaction as it was then (a status the money operations since have changed), and a
   * transaction made since is not found (404). Operations answer from the primary.
   */
  readLagMs?: number;
  /** With readLagMs: only the status word lags (recomputed later, say); the events are read as they are. */
  readLagStatusOnly?: boolean;
  /**
   * Round four. A transaction read (full mode) carries its history as `events`, as Dintero's public
   * reference has it (no seed shows one): AUTHORIZE, then a CAPTURE / REFUND per operation with its
   * reference, and each event's amount through stringNumbers like every other amount.
   */
  events?: boolean;
  /**
   * Round four. A draft must say how its order id comes, as the seed's does: `options.generate_order_id`
   * (or the order's own `order_id`); 400 otherwise (the seed shows no draft without it).
   */
  requireOrderIdRule?: boolean;
  /**
   * Round four. No void: the seed shows capturing and refunding a transaction, never voiding one,
   * so `POST /v1/transactions/{id}/void` is no route here (404).
   */
  noVoid?: boolean;
  /** Round four. Status words this server writes in place of CONTRACT §8's (e.g. `{AUTHORIZED: 'PAID'}`): words the adapter never heard of. */
  wordFor?: Record<string, string>;
  /** Round four. The session's page `url` written relative to the checkout host (`/pay/<id>`), as a server that knows not its public name does. */
  sessionUrlRelative?: boolean;
  /**
   * Round six. How a transaction's `events` (events: true) write their amounts: in minor units as
   * every other amount (`minor`), or not at all (`omitted`): no seed shows an event, and a history
   * that names what happened and its reference need not repeat the amount.
   */
  eventAmounts?: 'minor' | 'omitted';
  /**
   * Round six. Amounts in reads (a transaction's amount, its items' and events') in major units, as
   * JSON numbers (`498` for 498.00 NOK, `99.5` for 99.50): the seed writes every amount it shows in
   * minor units, but shows no read at all. `major-decimal-string`: as a decimal serialiser writes
   * money, `"498.00"`. Round twenty-eight: `major-decimal-comma`, as a decimal serialiser in a
   * Norwegian culture (nb-NO) writes it, `"498,00"`, `"99,50"`.
   */
  readUnits?: 'minor' | 'major' | 'major-decimal-string' | 'major-decimal-comma';
  /**
   * Round twenty-eight. The keys of every JSON answer (and of a transaction POSTed as its callback)
   * in another style than the seed's request bodies' snake_case: `camel` (`merchantReference`,
   * System.Text.Json's and Jackson's usual policy) or `pascal` (`MerchantReference`, .NET's
   * default without a policy). The seed shows no answer at all; the token's answer (RFC 6749) is
   * left as it is.
   */
  answerKeys?: 'snake' | 'camel' | 'pascal';
  /**
   * Round twenty-nine. The money history kept in a settlement currency (an acquirer settling in EUR,
   * a ledger booking in the merchant's settlement currency, dynamic currency conversion): every
   * event written with its own `currency` and its amount converted at `rate` minor units of that
   * currency per minor unit of the order's, rounded (the transaction's own amount and currency stay
   * the session's). The seed shows no event and no transaction read at all; default: none.
   */
  eventCurrency?: { currency: string; rate: number };
  /**
   * Round twenty-nine. failNextVoidAtAcquirer with this set: the void is taken (202) and refused by
   * the acquirer this many ms later (its failed VOID event, and the word if one is armed, written
   * then); the transaction stays AUTHORIZED throughout. Without it, refused at once (round fourteen).
   */
  voidRefusedAfterMs?: number;
  /**
   * Round twenty-six. How an amount in minor units is written as a JSON number (reads, events, a
   * POSTed transaction, an operation's record): as an integer (default), with a fraction of zero
   * (`39800.0`: a Python float, Jackson's double, a decimal column with a scale), or with an
   * exponent (`3.98E4`: a serialiser writing doubles in scientific form). The seed writes every
   * amount as an integer in minor units, in requests only; it shows no answer.
   */
  amountForm?: 'integer' | 'fraction-zero' | 'exponent' | 'decimal-string';
  /**
   * Round six. How a failed capture or refund is written in the events: `success: false` (Dintero's
   * public reference), or in the event's name (`CAPTURE_FAILED`, `REFUND_FAILED`) with no `success`
   * field, as a history of named transitions does. Round seven: `status-field`, every event with a
   * `status` of its own and no `success` (`SUCCEEDED`, `FAILED`; a pending one `PENDING` under the
   * plain name), as an implementer who models each operation as a resource with a state writes it.
   */
  failedEvents?: 'success-flag' | 'event-name' | 'status-field';
  /**
   * Round six. With settleAfterMs: a capture or refund taken is in the events at once as pending
   * (`CAPTURE_PENDING` / `REFUND_PENDING`, under its reference, no `success`), its outcome added when
   * it settles; and an answer loseNextAnswer loses is lost here too.
   */
  pendingEvents?: boolean;
  /** Round seven. The events written without the references the gateway sent (`capture_reference`, `refund_reference`). */
  eventsWithoutReferences?: boolean;
  /**
   * Round twelve. With settleAfterMs: every capture or refund taken is in the events at once, under
   * its reference, in this word (`IN_PROGRESS`, `ACCEPTED`: the word an implementer gives an
   * operation it took and has not carried out), with its amount and no `success`: as the event's own
   * `status` with failedEvents 'status-field', else in its name (`CAPTURE_IN_PROGRESS`). Its outcome
   * is added as an event of its own when it settles, the first left as it was (an append-only log).
   * No seed shows an event; round six's pendingEvents wrote a failed one only, in the word PENDING.
   */
  inProgressWord?: string;
  /**
   * Round twelve. The field an event writes the reference the gateway sent in: its own
   * (`capture_reference` / `refund_reference`, default, as the request names it), or one `reference`
   * for every kind, as an implementer with one events table writes it. No seed shows an event.
   */
  eventReferenceField?: 'own' | 'reference';
  /**
   * Round twelve. Capture and refund bodies validated against the one body CONTRACT §8 shows, the
   * capture's `{amount, capture_reference, items: [{line_id, amount}]}` (the seed says only "see
   * capture transaction" / "see refund transaction"), a refund mirroring it with `refund_reference`,
   * no field beyond: one is refused 400, naming it (as refuseUnknownFields does for the seed's bodies).
   */
  refuseUnknownOperationFields?: boolean;
  /**
   * Round twelve. A transaction's `merchant_reference` written as a CHAR(20) column holds it, padded
   * with spaces to 20 characters (`"ABC123DEF           "`), as round four's statusPadding wrote
   * status words. The seed shows the reference the session is made with, never one read back.
   */
  referencePadding?: boolean;
  /**
   * Round thirteen. Every 2xx answer with a JSON body (a draft, an order, a session, a transaction,
   * an operation, a mark; not the token's, which RFC 6749 shapes) written inside an envelope,
   * `{data: <the answer>, meta: {request_id}}`, as a framework's resource layer (Laravel's API
   * resources, JSON:API-style stacks) writes every answer. The seed shows no answer at all; error
   * bodies stay as errorBody says.
   */
  envelope?: boolean;
  /**
   * Round fourteen. What a refund leaves on a transaction part of whose authorization is not
   * captured: `PARTIALLY_REFUNDED` (default; no capture after a refund), or, as CONTRACT §8's list
   * has it, `PARTIALLY_CAPTURED_REFUNDED`, the rest still reserved and capturable after the refund
   * (a capture then leaves `PARTIALLY_CAPTURED_REFUNDED` while some is still not captured, else
   * `PARTIALLY_REFUNDED` / `REFUNDED` by what was refunded). No seed shows a status after a refund.
   */
  afterRefund?: 'partially-refunded' | 'partially-captured-refunded';
  /**
   * Round fourteen. What a transaction's `amount` says: what was authorized (default, Dintero's
   * public reference), or what is still reserved and not captured (authorized less captured; 0
   * once voided), as an implementer who reads a transaction's amount as its open amount writes it.
   * The seed shows an amount only in requests.
   */
  transactionAmount?: 'authorized' | 'remaining';
  /**
   * Round fifteen. The status word a refused operation left (failNextAtAcquirer's / failNextVoidAtAcquirer's
   * `word`) stays until the next operation is carried out, not when it is taken: a server that works
   * a transaction's status out from its last settled operation. With settleAfterMs, the transaction
   * read back after the next operation's 202 still says the refusal's word. No seed shows a status
   * after an operation, or when an operation is carried out.
   */
  refusalWordKept?: boolean;
  /** Round six. The events listed newest first (a history read from a log, latest on top). */
  eventsNewestFirst?: boolean;
  /**
   * Round sixteen. How `GET /v1/sessions/{id}` names the transaction made on the session: CONTRACT
   * §8's `transaction_id` (default); `transaction`, the latest try embedded as `{id, status}` (as a
   * stack that expands a session's relation writes it); `transactions`, every try on the session as
   * `{id, status}`, oldest first (a session may take more than one try: round two), or
   * `transactions-newest-first`. The seed shows no session read at all: only that a redirect or
   * callback comes "with the session_id and its corresponding transaction".
   * Round twenty-two: `none`, a session read that names no transaction at all (a Checkout whose
   * session resource does not link the payments made on it: the transaction is learned from the
   * callback, as the seed's sentence reads).
   */
  sessionTransactionAs?: 'transaction_id' | 'transaction' | 'transactions' | 'transactions-newest-first' | 'transaction-ids' | 'none';
  /**
   * Round seventeen. Ids as a store keyed by a 64-bit integer writes them (a .NET `long`, a Java
   * `Long`, a snowflake): a draft's, a session's and a transaction's id are 19 digits, and an order
   * id a draft asks for as `NUMERIC_<n>` is n digits; each is written in every answer (and a
   * POSTed callback's transaction) as a bare JSON number, which is beyond 2^53, so a JavaScript
   * `JSON.parse` rounds it. The seed shows no id in any answer; round four's numericIds wrote ids
   * of at most 15 digits. Paths and query parameters carry the digits as they are.
   */
  longIds?: boolean;
  /**
   * Round eighteen. A front tier that redirects the gateway's calls (the seed shows hosts and paths
   * for the token and the session only, and no HTTP answer at all; a real platform's proxy moves an
   * API, canonicalises a trailing slash, or sends one host's calls to another):
   * - `path`: every call under `/v1/` on either host answered `status` with a relative Location
   *   `/dintero/v1/...` (the API moved under a prefix), where it is served;
   * - `api-host`: every call under `/v1/` on the checkout host answered `status` with an absolute
   *   Location on the API host (one front for both), where it is served;
   * - `slash`: a call's path without a trailing slash answered `status` with a relative Location
   *   of the path with one (Django's APPEND_SLASH), served there;
   * - `stranger`: answered `status` with an absolute Location on a host that is not Dintero's
   *   (`strangerSaw` counts what reaches it), which never serves it.
   * `only`: `reads` (GETs), `money` (capture / refund / void POSTs) or every call (absent). The
   * buyer's page and the callback are not redirected. Read live: a test may lift it.
   */
  /**
   * Round eighteen. How a draft and a session are answered once made: their bodies (default), or
   * as a REST framework answers a create with `201 Created` and a `Location` naming the new
   * resource (Spring's `ResponseEntity.created(uri)`, Rails' `head :created, location:`): the
   * draft with no body at all, the session with only its page (`{url}`), its id in the Location
   * alone (`<account>/shopping/draft_orders/<id>`, `/v1/sessions/<id>`, relative). The seed shows
   * no answer to either.
   */
  createdAs?: 'body' | 'location';
  /**
   * Round nineteen. How a session read writes a time it has not set (`cancelled_at` on a session
   * nobody cancelled; `expires_at` where sessionExpiry gives none): left out (default), or as the
   * zero value of the stack's time type, written where a field is never left out: Go's
   * `time.Time{}` (`0001-01-01T00:00:00Z`; encoding/json's omitempty does not leave a struct
   * out), .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`, no zone), the Unix epoch of a column
   * that keeps 0 for unset (`1970-01-01T00:00:00Z`), or MySQL's zero date (`0000-00-00
   * 00:00:00`). The seed shows no session read at all; CONTRACT §8 names `cancelled_at` "once
   * cancelled".
   */
  unsetTimes?: 'omitted' | 'go-zero' | 'dotnet-min' | 'epoch' | 'mysql-zero' | UnsetTimeText | 'dotnet-json-date';
  /**
   * Round twenty-five: every session time that is set (`expires_at` as sessionExpiry says when,
   * `cancelled_at`) written in that form (timeText above) rather than ISO 8601. With unsetTimes
   * 'dotnet-json-date', an unset one is `DateTime.MinValue` so written, `\/Date(-62135596800000)\/`.
   */
  timeText?: TimeText;
  /**
   * Round nineteen. The session read names the page the buyer pays on, HAL-style beside its own
   * link (`_links: {self: {href}, checkout: {href}}`; its `url` is still the request's echo), as a
   * REST framework that answered the create with a Location (createdAs 'location', sessionUrl
   * false: a 201 with no page at all) shows the resource the Location names. The seed shows no
   * session answer and no read; it says "see executing payment" for how the session is shown.
   */
  sessionPageInRead?: boolean;
  /** Round nineteen. With unsetTimes: on both times (default), or on `expires_at` alone (`cancelled_at` left out until set). */
  unsetTimesOn?: 'both' | 'expires_at';
  /**
   * Round nineteen. With settleAfterMs: a capture or refund taken is in the events at once under its
   * reference and its plain name, its `success` null (a nullable boolean: no outcome yet), and that
   * same event is updated in place to true or false when it settles (a row whose outcome column
   * is filled in later, not an append-only log as rounds six and twelve wrote it). No seed shows
   * an event; Dintero's public reference writes `success` on every one.
   */
  undecidedSuccess?: boolean;
  redirect?: { status: 301 | 302 | 307 | 308; to: 'path' | 'api-host' | 'slash' | 'stranger'; only?: 'reads' | 'money' };
  /**
   * Round twenty-four. A value the server has not set written as its stack's text for null, as a
   * view model, a template or a DTO of strings writes it (`str(None)` in Python, the seed's own SDK
   * language: "None"; `String.valueOf(null)` in Java, `String(null)` in JavaScript: "null"; Go's
   * `fmt.Sprint(nil)`: "<nil>"; a JavaScript template's `${undefined}`: "undefined"): on a session
   * read, `cancelled_at` of a session nobody cancelled, `expires_at` where sessionExpiry gives none
   * and `transaction_id` before anyone paid (sessionTransactionAs 'transaction_id'); on an event
   * whose outcome is not decided yet (undecidedSuccess), its `success`. The seed shows no session
   * read and no event; round two wrote unset fields as "", round nineteen as JSON null / zero times.
   */
  nullAsText?: string;
  /**
   * Round twenty-four. Optimistic locking on the money calls, as a store with a version column
   * writes it: every transaction answer carries an `ETag` (its version), and a capture, refund or
   * void without `If-Match` is refused 428 Precondition Required (RFC 6585), one whose `If-Match`
   * is not the transaction's version now 412 Precondition Failed (RFC 9110); neither is carried
   * out. The seed shows no header at all, and no answer.
   */
  requireIfMatch?: boolean;
  /**
   * Round twenty-four. With refusalsAs200 and refusalsAs200Body 'problem': a capture, refund or void
   * failNext refuses with a 5xx or a "come back later" (408, 425, 429) is answered 200 with problem
   * details whose `status` is that one (ASP.NET's `Ok(problem)` for every error), not carried out.
   */
  serverErrorsAs200?: boolean;
  /**
   * Round twenty-one. Characters a path or a query must encode, written in the middle of every
   * draft's, session's and transaction's id (`+/=` of a base64 key, a space, `%` followed by hex
   * digits, letters beyond ASCII): the seed shows no id in any answer, only `"payment_id":
   * "transaction_id"` and a profile id written with underscores, so it leaves the alphabet open.
   * Paths and the callback's query carry them percent-encoded, as a URL library writes them.
   */
  idCharacters?: string;
  /**
   * Round eight. Request bodies validated against the seed's examples with no field beyond them (a
   * schema with `additionalProperties: false`, Pydantic's `extra="forbid"`): a draft, a session or
   * a mark (authorizations / captures / refunds; cancel alike) carrying a field the seed's body
   * does not show is refused 400, naming it. The seed's own fields are all optional here.
   */
  refuseUnknownFields?: boolean;
  /**
   * Round nine. A capture, refund or void this server refuses (4xx), and a draft, completion, session or mark failNext refuses, is answered 200 with
   * `{success: false, error: {code, message}}`, as an implementer who read the seed's `"success": true`
   * as how an outcome is said writes a refusal (the seed shows no answer and no HTTP status at all).
   * A lost answer (loseNextAnswer) is still a 5xx.
   */
  refusalsAs200?: boolean;
  /**
   * Round eleven. With refusalsAs200: the refusal's body is the flag alone and a message
   * (`{success: false, message}`, no `error` object), as an implementer who read the seed's
   * `"success": true` as the whole of how an outcome is said writes it; with eventSuccess 'string'
   * the flag is the text `"false"`, as that serialiser writes every scalar. `jsend`: the JSend
   * convention's `{status: "fail", message}` (`"error"` for a 5xx), no flag at all.
   * Round twenty-three: `errors-array`, a list of errors and nothing else (`{errors: [{code,
   * message}]}`, as JSON:API and GraphQL write them, the latter always with a 200), and `problem`,
   * RFC 9457's problem details whose own `status` is the refusal's (`{type, title, status: 400,
   * detail}`: ASP.NET's `Ok(problem)`, a filter that writes ProblemDetails and leaves the 200).
   */
  refusalsAs200Body?: 'error' | 'flag-only' | 'jsend' | 'errors-array' | 'problem';
  /**
   * Round nine. Where the session answer names its checkout page: `url` (CONTRACT §8), `checkout_url`,
   * or HAL-style `_links: {checkout: {href}}` with no url field (the seed shows no session answer;
   * it only says to "see executing payment for the different methods of showing the session").
   * The page itself is served at `GET /pay/<id>` on the checkout host whatever the answer names it.
   */
  sessionUrlName?: 'url' | 'checkout_url' | '_links';
  /**
   * Round ten. The sign a refund's event writes its amount with: positive as every other amount
   * (default), or negative (`"amount": -5000`), as a ledger that writes money going back to the
   * buyer as a debit does. No seed shows an event at all.
   */
  refundEventSign?: 'positive' | 'negative';
  /**
   * Round ten. How an event writes its `success`: a JSON boolean (default), or the text `"true"` /
   * `"false"`, as a serialiser that writes every scalar as a string does (the seed's marks write
   * `"success": true`, but no seed shows an event). Round eleven: `number`, 1 / 0, as a database's
   * tinyint column writes a boolean (and a 200 refusal's flag alone, refusalsAs200Body, likewise).
   */
  eventSuccess?: 'boolean' | 'string' | 'number';
  /**
   * Round ten. What the Orders API does with a mark whose `id` (the gateway's, beyond the seed's
   * body) it has taken before on that order: takes it again (default: no id is kept, round eight's
   * known limitation), or refuses it 409 Conflict, saying it already exists, as a store with a
   * unique key on the id answers a second insert. The seed shows no answer to a mark.
   */
  markIds?: 'ignored' | 'conflict';
  /**
   * Round eleven. How an event writes when it happened: ISO 8601 text (default), or epoch seconds
   * as a JSON number (`"created_at": 1796546500`), as a server that keeps times as Unix time writes
   * them. No seed shows an event or a time.
   */
  eventTimes?: 'iso' | 'epoch-s';
  /**
   * Round eleven. The field an event names what happened in: `event` (default, Dintero's public
   * reference), or `type`, as many event models name it. No seed shows an event.
   */
  eventNameField?: 'event' | 'type';
  /** The callback: method and body, which ids it names, extra parameters, copies, delay; `none` never calls. */
  callback: {
    /**
     * `POST-query` (round four): a POST to the URL with the parameters in its query, and no body.
     * `POST-transaction` (round nine): a JSON POST whose body is the transaction itself, as a read
     * answers it (its id as `id`), with the `session_id` beside its fields ("a callback ... with the
     * session_id and its corresponding transaction", read as the transaction whole); `ids` is not used.
     */
    how: 'GET' | 'POST-json' | 'POST-form' | 'POST-query' | 'POST-transaction' | 'none';
    ids: 'both' | 'transaction' | 'session';
    extras: boolean;
    copies: number;
    delayMs: number;
    /**
     * How the parameters join the callback_url (the seed does not say): added to the URL's own query
     * (default); the URL's query replaced by them; or the URL and `?name=value&...` glued as text,
     * whatever query it had (a second `?`). Only for GET. Round twenty-one: `unencoded`, added to
     * the URL's own query as `&name=value` text with the values as they are (a template that does
     * not encode them): a `+` in an id is then read as a space, a `%2F` as a slash.
     */
    query?: 'append' | 'replace' | 'naive' | 'unencoded';
    /**
     * Round twenty-five: a JSON POST (`POST-json`, `POST-transaction`) whose body is a list of
     * callbacks, `[{...}]`, as a platform that batches its deliveries writes even one (the seed shows
     * no callback body, and names "a callback" for each payment without saying it comes alone);
     * sendHeldCallbacks then sends every held one in one delivery, to the callback_url of the first.
     */
    batch?: boolean;
    /**
     * Round twenty-eight: a batched callback's list wrapped in an object under this name
     * (`{events: [...]}`, `{data: [...]}`), beside a delivery id, as a platform's webhook envelope writes it.
     */
    batchWrapper?: string;
    /**
     * Round twenty-five: a `POST-json` callback's ids written as this server's answers write them
     * (numbers under numericIds, bare numbers beyond 2^53 under longIds), as a DTO of the store's
     * own types serialises them; the seed shows ids only as text (`"payment_id": "transaction_id"`).
     * Under numericIds its transactions are keyed by integers too, and its reads write them as numbers.
     */
    idsAsAnswered?: boolean;
  };
}

export const SEED_DEFAULTS: IndependentDinteroOptions = {
  tokenStatus: 200,
  tokenShape: 'full',
  checkAudience: false,
  draftAnswer: 'id',
  createStatus: 201,
  completeAnswer: 'order_id',
  sessionUrl: true,
  sessionRead: 'full',
  strictLineIds: false,
  transaction: 'full',
  statusCase: 'upper',
  stringNumbers: false,
  operationAnswer: 'transaction',
  markStatus: 201,
  contentType: 'json',
  errorBody: 'json',
  declineWord: 'FAILED',
  callback: { how: 'GET', ids: 'both', extras: false, copies: 1, delayMs: 20 },
};

interface DraftOrder {
  id: string;
  orderId?: string;
  body: any;
  completed: boolean;
}
interface Session {
  id: string;
  body: any;
  /** Epoch ms, from sessionExpiry as it was when the session was made. */
  expiresAt?: number;
  transactionId?: string;
  /** Round nineteen: when the buyer cancelled on the page (cancelSession), epoch ms. */
  cancelledAt?: number;
  /** Round twenty-three: the session archived or deleted (purgeSession): its read answers this status. */
  goneWith?: 404 | 410;
}
interface Transaction {
  id: string;
  sessionId: string;
  status: string;
  amount: number;
  captured: number;
  refunded: number;
  /** Epoch ms from which GET finds it (readableAfterCallback). */
  readableAt: number;
  /** events: what happened to it, oldest first. */
  events: { event: string; amount: number; success: boolean | null; capture_reference?: string; refund_reference?: string; created_at: string }[];
  /** readLagMs: each status it had, from when (the replica's view). */
  history: { at: number; status: string; events: number }[];
  /** What was agreed to so far, carried out or not (settleAfterMs): what the next operation is checked against. */
  accepted: { captured: number; refunded: number; voided: boolean };
}
export interface Received {
  host: 'api' | 'checkout';
  method: string;
  path: string;
  body: any;
  /** The status this server answered it with. */
  status?: number;
  /** When it came (epoch ms). */
  at: number;
}

export interface IndependentDintero {
  apiUrl: string;
  checkoutUrl: string;
  config: { apiUrl: string; checkoutUrl: string; accountId: string; clientId: string; clientSecret: string };
  options: IndependentDinteroOptions;
  /** Every request, oldest first. */
  received: Received[];
  /** Every callback sent: its URL, method and body. */
  callbacks: { url: string; method: string; body?: string; status: number }[];
  /** The buyer pays (or is declined) on the session's page: a transaction is made and the callback sent. */
  pay(sessionId: string, outcome?: 'authorize' | 'decline' | 'hold'): Promise<string>;
  /**
   * Round eight. A payment the buyer made that Dintero holds (`pay(..., 'hold')`: ON_HOLD, the word
   * the seed's "make sure that the status is AUTHORIZED" leaves room for; no events yet) is decided:
   * AUTHORIZED (with its AUTHORIZE event) or the decline word. No callback comes for it unless asked:
   * the seed names one callback, when "the payment is completed".
   */
  decideHeld(transactionId: string, outcome: 'authorize' | 'decline', callback?: boolean): Promise<void>;
  /** The next call to this operation answers `status` with an error body. */
  failNext(operation: 'capture' | 'refund' | 'void' | 'session' | 'draft' | 'complete' | 'authorizations' | 'captures' | 'refunds', status: number): void;
  /** The next `count` transaction reads (GET) answer `status` (the gateway's client retries a read). */
  failReads(count: number, status: number): void;
  /**
   * Round seven. The next `count` transaction reads (GET) once the next call to this money operation
   * is carried out answer `status`: the reads before it (the gateway's own) go through.
   */
  failReadsAfter(operation: 'capture' | 'refund' | 'void', count: number, status: number): void;
  /**
   * Round seven. The next calls to this money operation, one per entry, are each checked and carried
   * out at once and answered after its entry's ms (within the gateway's timeout): a slow Dintero,
   * and with a longer wait first, one that answers two calls out of order.
   */
  holdAnswers(operation: 'capture' | 'refund' | 'void', delaysMs: number[]): void;
  /** Round ten. The next mark of this kind is taken, then answered `status` (its answer lost on the way). */
  loseNextMarkAnswer(kind: 'authorizations' | 'captures' | 'refunds' | 'cancel', status: number): void;
  /** The next call to this money operation is carried out, then answered `status` (an answer lost on the way). */
  loseNextAnswer(operation: 'capture' | 'refund' | 'void', status: number): void;
  /**
   * The next call to this money operation is carried out at once, then its answer is held `ms`
   * (past the gateway's timeout: lost by timeout), or the connection is reset (`'reset'`).
   */
  stallNextAnswer(operation: 'capture' | 'refund' | 'void', how: StallHow): void;
  /** How many times each money operation was carried out on a transaction. */
  operationsOn(transactionId: string): { capture: number; refund: number; void: number };
  /**
   * Round five. Someone other than the gateway moves the money (Dintero's back office, an
   * authorization that expires and is voided by a batch job): carried out at once, no reference,
   * no callback (the seed names a callback only for the payment). Counted in operationsOn.
   * Round six: `lapse`, an authorization that ran out written with the word for a payment that
   * did not go through (declineWord: FAILED or DECLINED), as a server whose statuses are the
   * payment's outcome rather than its history would write it; nothing can be captured or voided.
   */
  outside(transactionId: string, operation: 'capture' | 'refund' | 'void' | 'lapse', amount?: number): void;
  /**
   * Round five. The next capture or refund is taken (2xx, answered as operationAnswer says) and fails
   * at the acquirer: the transaction keeps its status and money, and its events gain the operation
   * under its reference with `success: false` (events: true shows them), as a money history does.
   * Round fourteen: with `word`, carried out at once, the transaction's status reads that word (a
   * `CAPTURE_FAILED` of the server's own, or `FAILED`) until the next operation on it.
   */
  failNextAtAcquirer(operation: 'capture' | 'refund', word?: string): void;
  /**
   * Round fourteen. The next void is taken (2xx, answered as operationAnswer says) and the acquirer
   * refuses to release the authorization: the transaction keeps its status and money (the buyer's
   * money stays reserved), and with events its history gains `{event: VOID, success: false}`
   * (written as failedEvents says); with `word`, the transaction's status reads that word (a
   * `VOID_FAILED` of the server's own) until the next operation on it.
   */
  failNextVoidAtAcquirer(word?: string): void;
  /**
   * Round eight. The callbacks of the next `count` payments are held back (a delivery that failed
   * and that Dintero retries later: the seed says nothing of order or timing); sendHeldCallbacks
   * sends them, oldest first, each as the callback option says.
   */
  holdCallbacks(count: number): void;
  sendHeldCallbacks(): Promise<void>;
  transactionOf(sessionId: string): Transaction | undefined;
  /** Round eight. A transaction by its id (an order whose session had more than one try). */
  transactionById(transactionId: string): Transaction | undefined;
  /** The transaction of the session made for an order (its `merchant_reference`, the order id the gateway gave Dintero). */
  transactionFor(merchantReference: string): Transaction | undefined;
  /** The session made last (tests run one order at a time). */
  latestSessionId(): string;
  /** Round twenty-five. The callback_url the gateway gave the session (a test's own callback, sent by hand). */
  callbackUrlOf(sessionId: string): string;
  /**
   * Round nineteen. The buyer cancels on the session's page: the session gets its `cancelled_at`
   * (now, ISO 8601 in UTC) and no transaction; no callback (the seed names one for a payment).
   */
  cancelSession(sessionId: string): void;
  /**
   * Round twenty-three. The session is archived or deleted, as a Checkout that sweeps sessions past
   * their expiry (or paid ones, their transaction kept) does: its read answers 404 or 410 Gone from
   * then on. The seed shows no session read, and nothing of how long a session is kept.
   */
  purgeSession(sessionId: string, status: 404 | 410): void;
  /**
   * Round twenty-four. The next capture, refund or void that carries an `If-Match` (requireIfMatch)
   * finds the transaction changed first by `change` (Dintero's back office, between the gateway's
   * read and its write), so its `If-Match` is stale: 412, nothing carried out.
   */
  changeBeforeNextWrite(operation: 'capture' | 'refund' | 'void', change: () => void): void;
  /** Round eighteen. Requests that reached the stranger a `redirect` to `stranger` names, and whether each carried a bearer token. */
  strangerSaw: { method: string; path: string; bearer: boolean }[];
  close(): Promise<void>;
}

/** answerKeys (round twenty-eight): every key of `value`, at any depth, in that style. */
function keysStyled(value: unknown, style: IndependentDinteroOptions['answerKeys']): any {
  if (!style || style === 'snake') return value;
  if (Array.isArray(value)) return value.map((item) => keysStyled(item, style));
  if (value === null || typeof value !== 'object') return value;
  const styled = (key: string): string => {
    const camel = key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
    return style === 'pascal' ? camel.charAt(0).toUpperCase() + camel.slice(1) : camel;
  };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [styled(key), keysStyled(item, style)]));
}

function cased(status: string, letterCase: IndependentDinteroOptions['statusCase']): string {
  const parts = status.toLowerCase().split('_');
  const capital = (part: string): string => part.charAt(0).toUpperCase() + part.slice(1);
  switch (letterCase) {
    case 'upper':
      return status;
    case 'lower':
      return status.toLowerCase();
    case 'title':
      return status.charAt(0) + status.slice(1).toLowerCase();
    case 'pascal':
      return parts.map(capital).join('');
    case 'camel':
      return parts[0] + parts.slice(1).map(capital).join('');
    case 'kebab':
      return parts.join('-');
    case 'spaced':
      return capital(parts.join(' '));
  }
}

const word = (status: string, letterCase: IndependentDinteroOptions['statusCase'], padded = false): string =>
  (padded ? (text: string) => ` ${text}  ` : (text: string) => text)(cased(status, letterCase));

/** A session's expires_at in the form the option picks (sessionExpiry). */
function expiryText(at: number, format: NonNullable<IndependentDinteroOptions['sessionExpiry']>['format']): string | number {
  const iso = new Date(at).toISOString();
  if (format === 'iso') return iso;
  if (format === 'no-zone') return iso.slice(0, 19);
  if (format === 'fractions-no-zone') return `${iso.slice(0, 23)}4567`;
  if (format === 'epoch-s') return Math.floor(at / 1000);
  if (format === 'go-string') {
    const oslo = new Date(at + 3600_000).toISOString();
    return `${oslo.slice(0, 10)} ${oslo.slice(11, 23)}456789 +0100 CET`;
  }
  return `${new Date(at + 2 * 3600_000).toISOString().slice(0, 19)}+02:00`;
}

/** Round twenty-six (stallNextAnswer 'cut-*'): a 200 whose body stops half way, framed as `how` says. */
function cutShort(response: ServerResponse, how: Exclude<StallHow, number | 'reset'>, body: string): void {
  const half = body.slice(0, Math.floor(body.length / 2));
  const socket = response.socket;
  if (!socket) return;
  if (how === 'cut-close') {
    // Written on the socket itself: Node's response would frame it (a length or chunks).
    socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${half}`);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', ...(how === 'cut-length' ? { 'content-length': String(Buffer.byteLength(body)) } : {}) });
  response.write(half, () => socket.destroy());
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startIndependentDintero(overrides: Partial<IndependentDinteroOptions> = {}): Promise<IndependentDintero> {
  const options: IndependentDinteroOptions = { ...SEED_DEFAULTS, ...overrides, callback: { ...SEED_DEFAULTS.callback, ...overrides.callback } };
  const config = { accountId: 'T12345678', clientId: `client-${randomUUID()}`, clientSecret: `secret-${randomUUID()}`, apiUrl: '', checkoutUrl: '' };
  const tokens = new Set<string>();
  const drafts = new Map<string, DraftOrder>();
  const orders = new Map<string, DraftOrder>();
  const sessions = new Map<string, Session>();
  const transactions = new Map<string, Transaction>();
  const received: Received[] = [];
  const callbacks: IndependentDintero['callbacks'] = [];
  const failures = new Map<string, number>();
  const readFailures = { count: 0, status: 500 };
  const readFailuresAfter = new Map<string, { count: number; status: number }>();
  const heldAnswers = new Map<string, number[]>();
  const lostAnswers = new Map<string, number>();
  const stalledAnswers = new Map<string, StallHow>();
  const failedAtAcquirer = new Set<string>();
  /** failNextAtAcquirer's word, by operation (round fourteen). */
  const failedAtAcquirerWord = new Map<string, string>();
  /** failNextVoidAtAcquirer: armed, and the status word it writes, if any. */
  let failingVoid: { word?: string } | undefined;
  /** Transactions whose status reads a word of the server's own after a void the acquirer refused (failNextVoidAtAcquirer). */
  const statusSaid = new Map<string, string>();
  const tokenIssuedAt = new Map<string, number>();
  const operationCounts = new Map<string, { capture: number; refund: number; void: number }>();
  /** holdCallbacks: how many payments' callbacks are still to be held back, and those held. */
  const heldCallbacks = { count: 0, held: [] as Transaction[] };
  /** markIds 'conflict': the marks taken, as `<order>/<kind>/<id>`. */
  const markIdsTaken = new Set<string>();
  const lostMarkAnswers = new Map<string, number>();
  /** marksInOrder: what each order has marked so far, by kind (minor units). */
  const markedOn = new Map<string, Record<string, number>>();
  /** changeBeforeNextWrite (round twenty-four): what changes the transaction before the next conditional write, by operation. */
  const interventions = new Map<string, () => void>();
  /** requireIfMatch (round twenty-four): the transaction's version as an entity tag, changed by every change to it. */
  const etagOf = (transaction: Transaction): string =>
    `"${Buffer.from(JSON.stringify([transaction.status, transaction.captured, transaction.refunded, transaction.events.length, transaction.accepted, statusSaid.get(transaction.id) ?? ''])).toString('base64url')}"`;

  /** `enveloped`: false for the token's answer (RFC 6749's shape), which envelope leaves as it is. */
  const send = (response: ServerResponse, status: number, body?: unknown, enveloped = true): void => {
    const headers: Record<string, string> = {};
    if (body !== undefined && options.contentType !== 'none') headers['content-type'] = MEDIA_TYPES[options.contentType];
    response.writeHead(status, headers);
    // Round thirteen: every 2xx answer's JSON in an envelope (`{data: ...}`), as a framework's resource layer writes it.
    const styled = enveloped ? keysStyled(body, options.answerKeys) : body;
    const written = options.envelope && enveloped && status < 300 && styled !== undefined ? { data: styled, meta: { request_id: randomUUID() } } : styled;
    response.end(written === undefined ? undefined : jsonWithLongs(written));
  };
  const fail = (response: ServerResponse, status: number, message: string): void => {
    if (options.errorBody === 'empty') return void response.writeHead(status).end();
    if (options.errorBody === 'text') return void response.writeHead(status, { 'content-type': 'text/plain' }).end(message);
    send(response, status, { error: { code: `E${status}`, message } });
  };
  const failing = (operation: string, response: ServerResponse, refuse: (response: ServerResponse, status: number, message: string) => void = fail): boolean => {
    const status = failures.get(operation);
    if (status === undefined) return false;
    failures.delete(operation);
    refuse(response, status, `${operation} refused`);
    return true;
  };
  /** refusalsAs200Body: how a 200 says a refusal. */
  const refusalBody = (status: number, message: string): unknown => {
    switch (options.refusalsAs200Body) {
      case 'jsend':
        return { status: 'fail', message };
      case 'flag-only':
        return { success: options.eventSuccess === 'string' ? 'false' : options.eventSuccess === 'number' ? 0 : false, message };
      case 'errors-array':
        return { errors: [{ code: `E${status}`, message }] };
      case 'problem':
        return { type: 'about:blank', title: 'Request refused', status, detail: message };
      default:
        return { success: false, error: { code: `E${status}`, message } };
    }
  };
  /** refusalsAs200: a money operation's refusal as a 200 that says it did not go through. */
  const refuseOperation = (response: ServerResponse, status: number, message: string): void =>
    options.refusalsAs200 && (status < 500 || options.serverErrorsAs200) ? send(response, 200, refusalBody(status, message)) : fail(response, status, message);
  const num = (value: number): number | string => {
    if (options.readUnits === 'major-decimal-string') return (value / 100).toFixed(2);
    if (options.readUnits === 'major-decimal-comma') return (value / 100).toFixed(2).replace('.', ',');
    const written = options.readUnits === 'major' ? value / 100 : value;
    if (options.stringNumbers) return String(written);
    // Round twenty-six: an integer written with a fraction of zero or an exponent (amountForm).
    if (options.amountForm === 'fraction-zero' && Number.isInteger(written)) return `${NUMBER_MARK}${written}.0`;
    if (options.amountForm === 'exponent') return `${NUMBER_MARK}${written.toExponential().toUpperCase().replace('E+', 'E')}`;
    // Round twenty-seven: minor units as a decimal string (`"39800.0"`).
    if (options.amountForm === 'decimal-string' && Number.isInteger(written)) return `${written}.0`;
    return written;
  };
  /** currencyForm (round twenty-seven): a read's `currency` as this server writes it. */
  const currencyOut = (code: string): string | number => {
    switch (options.currencyForm) {
      case 'lower':
        return code.toLowerCase();
      case 'numeric':
        return ISO_NUMERIC[code] ?? code;
      case 'numeric-string':
        return String(ISO_NUMERIC[code] ?? code);
      default:
        return code;
    }
  };
  /** A transaction's status from its money (afterRefund says what a refund leaves while some is not captured). */
  const statusOfMoney = (transaction: Transaction): string => {
    if (transaction.refunded === 0) return transaction.captured === transaction.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    if (options.afterRefund === 'partially-captured-refunded') {
      if (transaction.captured < transaction.amount) return 'PARTIALLY_CAPTURED_REFUNDED';
      return transaction.refunded === transaction.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    }
    return transaction.refunded === transaction.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  };
  let sequence = 1000;
  /** An order id as generate_order_id asks: ALPHANUMERIC_<n> or NUMERIC_<n> (the draft's options). */
  const newOrderId = (): string => (options.numericIds ? String(100_000_000 + Math.floor(Math.random() * 900_000_000)) : randomBytes(5).toString('hex').slice(0, 9).toUpperCase());
  /** longIds: an id of 16 digits or more, written as a bare JSON number (jsonWithLongs); any other id as it is. */
  const longOut = (id: string): string => (options.longIds && /^\d{16,}$/.test(id) ? `${LONG_MARK}${id}` : id);
  /** idCharacters (round twenty-one): an id with those characters in its middle. */
  const awkward = (id: string): string => (options.idCharacters ? `${id.slice(0, 12)}${options.idCharacters}${id.slice(12)}` : id);
  const idOut = (id: string): string | number => (options.numericIds && /^\d{1,15}$/.test(id) ? Number(id) : longOut(id));
  /** longIds: a draft's, session's or transaction's id, 19 digits (never a card number: no card scheme starts with 1). */
  const longId = (): string => `1${Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join('')}`;
  /** longIds: an order id as a draft's `NUMERIC_<n>` asks (n digits, starting with 1); else as before. */
  const orderIdFor = (draft: DraftOrder): string => {
    const digits = Number(/^NUMERIC_(\d+)$/.exec(String(draft.body?.options?.generate_order_id ?? ''))?.[1] ?? 0);
    return options.longIds && digits >= 16 ? `1${Array.from({ length: digits - 1 }, () => Math.floor(Math.random() * 10)).join('')}` : newOrderId();
  };
  /** Round nineteen (unsetTimes): a time the server has not set, as its stack writes the zero value. */
  /** Round twenty-four (nullAsText): the stack's text for null in its place. */
  const unsetTime = options.nullAsText ?? ((
    {
      'go-zero': '0001-01-01T00:00:00Z',
      'dotnet-min': '0001-01-01T00:00:00',
      epoch: '1970-01-01T00:00:00Z',
      'mysql-zero': '0000-00-00 00:00:00',
      'dotnet-invariant': '01/01/0001 00:00:00',
      'dotnet-nb': '01.01.0001 00:00:00',
      'dotnet-en-us': '1/1/0001 12:00:00 AM',
      'go-string': '0001-01-01 00:00:00 +0000 UTC',
      'dotnet-json-date': '/Date(-62135596800000)/',
    } as Record<string, string | undefined>
  )[options.unsetTimes ?? 'omitted']);
  const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

  /** Items as the seed shows them: integer amounts; line_id a number (orders) or a string (checkout) when strict. */
  const badItems = (items: unknown, lineIdType: 'number' | 'string', amountField: 'amount' | 'gross_amount'): string | undefined => {
    if (!Array.isArray(items) || items.length === 0) return 'items missing';
    for (const item of items as any[]) {
      if (!isInteger(item?.[amountField])) return `items[].${amountField} must be an integer`;
      if (item.line_id === undefined) return 'items[].line_id missing';
      if (options.strictLineIds && typeof item.line_id !== lineIdType) return `items[].line_id must be a ${lineIdType}`;
    }
    return undefined;
  };

  /**
   * refuseUnknownFields: the first field of `body` the seed's example body (`shape`: each field's
   * own shape, `true` for a value) does not show, as its path; undefined when there is none.
   */
  type Shape = true | { [field: string]: Shape };
  const unknownField = (body: unknown, shape: Shape, path = ''): string | undefined => {
    if (shape === true || body === null || typeof body !== 'object') return undefined;
    for (const [field, value] of Array.isArray(body) ? body.map((entry) => ['', entry] as const) : Object.entries(body)) {
      const inner = Array.isArray(body) ? shape : shape[field];
      const at = Array.isArray(body) ? `${path}[]` : path ? `${path}.${field}` : field;
      if (inner === undefined) return at;
      const deeper = unknownField(value, inner, at);
      if (deeper) return deeper;
    }
    return undefined;
  };
  /** The seed's bodies, field by field (dintero-orders-and-checkout.txt). */
  const SEED_DRAFT: Shape = {
    options: { generate_order_id: true },
    order: { currency: true, items: { id: true, line_id: true, quantity: true, gross_amount: true, tax_lines: { amount: true, percentage: true }, description: true, description_alias: true } },
  };
  const SEED_SESSION: Shape = {
    url: { return_url: true, callback_url: true },
    order: { amount: true, currency: true, merchant_reference: true, items: { id: true, line_id: true, description: true, quantity: true, amount: true, vat_amount: true, vat: true } },
    profile_id: true,
  };
  const SEED_MARK: Shape = { items: { amount: true, line_id: true }, payment_details: { payment_id: true }, success: true };
  /** CONTRACT §8's capture body, and a refund written after it (refuseUnknownOperationFields). */
  const CONTRACT_CAPTURE: Shape = { amount: true, capture_reference: true, items: { line_id: true, amount: true } };
  const CONTRACT_REFUND: Shape = { amount: true, refund_reference: true, items: { line_id: true, amount: true } };
  const beyondSeed = (body: unknown, shape: Shape): string | undefined => (options.refuseUnknownFields ? unknownField(body, shape) : undefined);

  /** Strict: a draft's lines carry the text fields the seed's draft line shows (description and its alias). */
  const strictDraftItems = (items: any[]): string | undefined => {
    if (!options.strictRequests) return undefined;
    for (const field of ['description', 'description_alias']) {
      if (items.some((item) => typeof item[field] !== 'string' || !item[field])) return `items[].${field} missing`;
    }
    return undefined;
  };

  /** The events as eventAmounts and eventsNewestFirst write them (round six). */
  const eventsView = (transaction: Transaction): Record<string, unknown>[] => {
    const named = (entry: Transaction['events'][number]): Record<string, unknown> => {
      if (options.failedEvents === 'status-field') {
        const { success, ...rest } = entry;
        const pending = /_PENDING$/.test(entry.event);
        return { ...rest, event: entry.event.replace(/_PENDING$/, ''), status: pending ? (options.inProgressWord ?? 'PENDING') : success === false ? 'FAILED' : 'SUCCEEDED' };
      }
      if (options.inProgressWord && /_PENDING$/.test(entry.event)) return { ...entry, event: entry.event.replace(/_PENDING$/, `_${options.inProgressWord}`) };
      if (options.failedEvents !== 'event-name' || entry.success !== false) return entry;
      const { success: _success, ...rest } = entry;
      return { ...rest, event: `${entry.event}_FAILED` };
    };
    const unreferenced = (entry: Transaction['events'][number]): Transaction['events'][number] => {
      if (!options.eventsWithoutReferences && options.eventReferenceField !== 'reference') return entry;
      const { capture_reference: capture, refund_reference: refund, ...rest } = entry;
      if (options.eventsWithoutReferences) return rest;
      // Round twelve: one `reference` field whatever the kind.
      return { ...rest, ...((capture ?? refund) !== undefined ? { reference: capture ?? refund } : {}) } as Transaction['events'][number];
    };
    const written = transaction.events
      .map(unreferenced)
      .map(({ amount, ...entry }) => {
        const signed = options.refundEventSign === 'negative' && entry.event.startsWith('REFUND') ? -amount : amount;
        // Round twenty-nine (eventCurrency): the amount in the settlement currency, named beside it.
        const settled = options.eventCurrency ? Math.round(signed * options.eventCurrency.rate) : signed;
        const inCurrency = options.eventCurrency ? { currency: options.eventCurrency.currency } : {};
        const written = named(options.eventAmounts === 'omitted' ? ({ ...entry, ...inCurrency } as Transaction['events'][number]) : { ...entry, ...inCurrency, amount: num(settled) as number });
        // Round eleven: 'number', the flag as 1 / 0, as a database's tinyint column writes a boolean.
        const flagged =
          written['success'] === null && options.nullAsText !== undefined
            ? { ...written, success: options.nullAsText }
            : typeof written['success'] !== 'boolean' || !options.eventSuccess || options.eventSuccess === 'boolean'
            ? written
            : { ...written, success: options.eventSuccess === 'string' ? String(written['success']) : Number(written['success']) };
        const timed = options.eventTimes === 'epoch-s' && typeof flagged['created_at'] === 'string' ? { ...flagged, created_at: Math.floor(Date.parse(flagged['created_at']) / 1000) } : flagged;
        if (options.eventNameField !== 'type') return timed;
        const { event, ...unnamed } = timed;
        return { type: event, ...unnamed };
      });
    return options.eventsNewestFirst ? written.reverse() : written;
  };

  /** A session read's fields naming its transaction (sessionTransactionAs, round sixteen). */
  const sessionTransactionFields = (session: Session): Record<string, unknown> => {
    const as = options.sessionTransactionAs ?? 'transaction_id';
    if (as === 'none') return {};
    const brief = (transaction: Transaction) => ({ id: longOut(transaction.id), status: options.wordFor?.[transaction.status] ?? word(transaction.status, options.statusCase) });
    if (as === 'transaction_id') return session.transactionId ? { transaction_id: longOut(session.transactionId) } : options.nullAsText !== undefined ? { transaction_id: options.nullAsText } : options.zeroValues ? { transaction_id: '' } : {};
    if (as === 'transaction') {
      const latest = session.transactionId ? transactions.get(session.transactionId) : undefined;
      return latest ? { transaction: brief(latest) } : {};
    }
    const tries = [...transactions.values()].filter((transaction) => transaction.sessionId === session.id).map(brief);
    // Round seventeen: every try by its id alone, oldest first.
    if (as === 'transaction-ids') return { transactions: tries.map((entry) => entry.id) };
    return { transactions: as === 'transactions-newest-first' ? tries.reverse() : tries };
  };

  const transactionView = (transaction: Transaction): Record<string, unknown> => {
    const status = statusSaid.get(transaction.id) ?? options.wordFor?.[transaction.status] ?? word(transaction.status, options.statusCase, options.statusPadding);
    if (options.transaction === 'minimal') return { id: longOut(transaction.id), status };
    const session = sessions.get(transaction.sessionId)!;
    return {
      status,
      id: options.callback.idsAsAnswered ? idOut(transaction.id) : longOut(transaction.id),
      session_id: options.callback.idsAsAnswered ? idOut(transaction.sessionId) : longOut(transaction.sessionId),
      merchant_reference: options.referencePadding ? String(session.body.order.merchant_reference).padEnd(20) : session.body.order.merchant_reference,
      amount: num(options.transactionAmount === 'remaining' ? (transaction.status === 'AUTHORIZATION_VOIDED' ? 0 : transaction.amount - transaction.captured) : transaction.amount),
      currency: currencyOut(session.body.order.currency),
      items: (session.body.order.items as any[]).map((item) => ({ ...item, amount: num(item.amount), line_id: options.stringNumbers ? String(item.line_id) : item.line_id })),
      created_at: new Date().toISOString(),
      ...(options.events ? { events: eventsView(transaction) } : {}),
    };
  };

  /** Round twenty-five (callback.batch): the JSON object a POSTed callback sends for `transaction`, one of a batch. */
  function callbackObject(transaction: Transaction): Record<string, unknown> {
    const session = sessions.get(transaction.sessionId)!;
    if (options.callback.how === 'POST-transaction') return { ...transactionView(transaction), session_id: longOut(session.id) };
    const params: Record<string, string | number> = {};
    const id = (value: string) => (options.callback.idsAsAnswered ? idOut(value) : value);
    if (options.callback.ids !== 'session') params['transaction_id'] = id(transaction.id);
    if (options.callback.ids !== 'transaction') params['session_id'] = id(session.id);
    if (options.callback.extras) {
      params['merchant_reference'] = id(String(session.body.order.merchant_reference));
      params['time'] = new Date().toISOString();
    }
    return params;
  }

  /** Round twenty-five: the callbacks of `batch` in one JSON POST (a list), to the callback_url of the first. */
  async function sendBatch(batch: Transaction[]): Promise<void> {
    if (batch.length === 0) return;
    const target = new URL(String(sessions.get(batch[0]!.sessionId)!.body.url.callback_url));
    const list = batch.map((transaction) => keysStyled(callbackObject(transaction), options.callback.how === 'POST-transaction' ? options.answerKeys : undefined));
    // Round twenty-eight: the list wrapped in an object (batchWrapper), beside a delivery id.
    const body = jsonWithLongs(options.callback.batchWrapper ? { [options.callback.batchWrapper]: list, delivery_id: randomUUID() } : list);
    for (let copy = 0; copy < options.callback.copies; copy++) {
      await new Promise((resolve) => setTimeout(resolve, options.callback.delayMs));
      try {
        const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await answer.arrayBuffer();
        callbacks.push({ url: target.toString(), method: 'POST', body, status: answer.status });
      } catch {
        callbacks.push({ url: target.toString(), method: 'POST', body, status: 0 });
      }
    }
  }

  async function sendCallback(transaction: Transaction): Promise<void> {
    const how = options.callback.how;
    if (how === 'none') return;
    if (options.callback.batch && (how === 'POST-json' || how === 'POST-transaction')) return sendBatch([transaction]);
    const session = sessions.get(transaction.sessionId)!;
    const params: Record<string, string> = {};
    if (options.callback.ids !== 'session') params['transaction_id'] = transaction.id;
    if (options.callback.ids !== 'transaction') params['session_id'] = session.id;
    if (options.callback.extras) {
      params['merchant_reference'] = String(session.body.order.merchant_reference);
      params['time'] = new Date().toISOString();
    }
    const target = new URL(String(session.body.url.callback_url));
    for (let copy = 0; copy < options.callback.copies; copy++) {
      await new Promise((resolve) => setTimeout(resolve, options.callback.delayMs));
      try {
        if (how === 'GET' || how === 'POST-query') {
          const joined = options.callback.query ?? 'append';
          const url =
            joined === 'naive'
              ? new URL(`${target.toString()}?${new URLSearchParams(params).toString()}`)
              : joined === 'unencoded'
                ? new URL(`${target.toString()}${target.search ? '&' : '?'}${Object.entries(params).map(([name, value]) => `${name}=${value}`).join('&')}`)
                : new URL(target);
          if (joined === 'replace') url.search = '';
          if (joined !== 'naive' && joined !== 'unencoded') for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
          const method = how === 'GET' ? 'GET' : 'POST';
          const answer = await fetch(url, { method });
          await answer.arrayBuffer();
          callbacks.push({ url: url.toString(), method, status: answer.status });
        } else if (how === 'POST-transaction') {
          const body = jsonWithLongs(keysStyled({ ...transactionView(transaction), session_id: longOut(session.id) }, options.answerKeys));
          const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await answer.arrayBuffer();
          callbacks.push({ url: target.toString(), method: 'POST', body, status: answer.status });
        } else {
          const body = how === 'POST-json' ? (options.callback.idsAsAnswered ? jsonWithLongs(callbackObject(transaction)) : JSON.stringify(params)) : new URLSearchParams(params).toString();
          const contentType = how === 'POST-json' ? 'application/json' : 'application/x-www-form-urlencoded';
          const answer = await fetch(target, { method: 'POST', headers: { 'content-type': contentType }, body });
          await answer.arrayBuffer();
          callbacks.push({ url: target.toString(), method: 'POST', body, status: answer.status });
        }
      } catch {
        callbacks.push({ url: target.toString(), method: how, status: 0 });
      }
    }
  }

  /**
   * Round eighteen (redirect): where the front tier sends this call, if anywhere; and the path it
   * is served under once there (the prefix or slash the redirect added taken off).
   */
  const redirected = (host: 'api' | 'checkout', method: string, url: string): { location?: string; path: string } => {
    const [rawPath, query] = url.split('?') as [string, string | undefined];
    const search = query === undefined ? '' : `?${query}`;
    const rule = options.redirect;
    if (rawPath.startsWith('/dintero/v1/')) return { path: rawPath.slice('/dintero'.length) };
    if (rawPath.startsWith('/v1/') && rawPath.endsWith('/') && rawPath.length > 4) return { path: rawPath.slice(0, -1) };
    const money = method === 'POST' && /^\/v1\/transactions\/[^/]+\/(capture|refund|void)$/.test(rawPath);
    const applies = rule && rawPath.startsWith('/v1/') && (rule.only === undefined || (rule.only === 'reads' ? method === 'GET' : money));
    if (!rule || !applies) return { path: rawPath };
    if (rule.to === 'path') return { location: `/dintero${rawPath}${search}`, path: rawPath };
    if (rule.to === 'slash') return { location: `${rawPath}/${search}`, path: rawPath };
    if (rule.to === 'stranger') return { location: `${strangerUrl}${rawPath}${search}`, path: rawPath };
    return host === 'checkout' ? { location: `${config.apiUrl}${rawPath}${search}`, path: rawPath } : { path: rawPath };
  };

  async function handle(listener: 'api' | 'checkout', request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const front = redirected(listener, method, request.url ?? '/');
    if (front.location) {
      // The front tier answers without reading the request any further: nothing is done.
      received.push({ host: listener, method, path: front.path, body: undefined, at: Date.now(), status: options.redirect!.status });
      request.resume();
      return void response.writeHead(options.redirect!.status, { location: front.location, 'content-type': 'text/html' }).end('<html><body>Moved</body></html>');
    }
    const path = front.path;
    // api-host: the API host serves the checkout host's calls sent to it.
    const host = listener === 'api' && /^\/v1\/(sessions|transactions)/.test(path) ? 'checkout' : listener;
    const raw = await readBody(request);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return fail(response, 400, 'body is not JSON');
    }
    const entry: Received = { host, method, path, body, at: Date.now() };
    received.push(entry);
    response.on('finish', () => (entry.status = response.statusCode));
    if (options.strictRequests && raw && !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) return fail(response, 415, 'a body is application/json');
    const account = `/v1/accounts/${config.accountId}`;

    // The token: Basic client_id:client_secret, JSON {audience, grant_type}.
    if (host === 'api' && method === 'POST' && path === `${account}/auth/token`) {
      const basic = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== basic) return fail(response, 401, 'bad client credentials');
      if (body?.grant_type !== 'client_credentials') return fail(response, 400, 'grant_type');
      if (options.checkAudience && body?.audience !== `${config.apiUrl}${account}`) return fail(response, 400, 'audience');
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      tokenIssuedAt.set(token, Date.now());
      if (options.tokenShape === 'minimal') return send(response, options.tokenStatus, { access_token: token }, false);
      if (options.tokenShape === 'stringy') return send(response, options.tokenStatus, { access_token: token, token_type: 'bearer', expires_in: '3600' }, false);
      return send(response, options.tokenStatus, { access_token: token, token_type: 'Bearer', expires_in: 3600 }, false);
    }
    // The checkout page the buyer's browser opens (round nine): no token, as a browser has none.
    const page = /^\/pay\/([^/]+)$/.exec(path);
    if (host === 'checkout' && method === 'GET' && page) {
      if (!sessions.has(decodeURIComponent(page[1]!))) return fail(response, 404, 'no such session');
      return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><form method="post"><button name="action" value="pay">Pay</button></form></body></html>');
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return fail(response, 401, 'no valid bearer token');
    if (options.tokenLifetimeMs !== undefined && Date.now() - tokenIssuedAt.get(bearer)! > options.tokenLifetimeMs) {
      return fail(response, options.expiredTokenStatus ?? 401, 'the token has expired');
    }

    if (host === 'api') {
      if (method === 'POST' && path === `${account}/shopping/draft_orders`) {
        if (failing('draft', response, refuseOperation)) return;
        const unknownInDraft = beyondSeed(body, SEED_DRAFT);
        if (unknownInDraft) return fail(response, 400, `unknown field ${unknownInDraft}`);
        const problem = !body?.order?.currency ? 'order.currency missing' : (badItems(body.order.items, 'number', 'gross_amount') ?? strictDraftItems(body.order.items));
        if (problem) return fail(response, 400, problem);
        if (options.requireOrderIdRule && typeof body?.options?.generate_order_id !== 'string' && typeof body?.order?.order_id !== 'string') {
          return fail(response, 400, 'options.generate_order_id or order.order_id is required');
        }
        const draft: DraftOrder = { id: options.longIds ? longId() : options.numericIds ? String(++sequence) : awkward(randomUUID()), body, completed: false };
        if (options.draftAnswer === 'id+order_id' || options.completeAnswer === 'empty' || options.draftIdName === 'order_id') draft.orderId = orderIdFor(draft);
        if (options.draftIdName === 'order_id') draft.id = draft.orderId!;
        drafts.set(draft.id, draft);
        const orderIdField = draft.orderId ? { order_id: idOut(draft.orderId) } : options.zeroValues ? { order_id: '' } : {};
        const idField = options.draftIdName === 'order_id' ? {} : { id: idOut(draft.id) };
        if (options.createdAs === 'location') return void response.writeHead(201, { location: `${account}/shopping/draft_orders/${encodeURIComponent(draft.id)}` }).end();
        return send(response, options.createStatus, { ...idField, ...orderIdField, currency: body.order.currency, items: body.order.items });
      }
      const complete = new RegExp(`^${account}/shopping/draft_orders/([^/]+)/complete$`).exec(path);
      if (method === 'PUT' && complete) {
        const draft = drafts.get(decodeURIComponent(complete[1]!));
        if (!draft) return fail(response, 404, 'no such draft order');
        if (failing('complete', response, refuseOperation)) return;
        if (!draft.completed) {
          draft.completed = true;
          draft.orderId ??= orderIdFor(draft);
          orders.set(draft.orderId, draft);
        }
        if (options.completeAnswer === 'empty') return send(response, 204);
        if (options.completeAnswer === 'id-is-order-id') return send(response, 200, { id: idOut(draft.orderId!), currency: draft.body.order.currency });
        if (options.draftIdName === 'order_id') return send(response, 200, { order_id: idOut(draft.orderId!), currency: draft.body.order.currency });
        return send(response, 200, { id: idOut(draft.id), order_id: idOut(draft.orderId!), currency: draft.body.order.currency });
      }
      const mark = new RegExp(`^${account}/shopping/orders/([^/]+)/(authorizations|captures|refunds|cancel)$`).exec(path);
      if (method === 'POST' && mark) {
        if (!orders.has(decodeURIComponent(mark[1]!))) return fail(response, 404, 'no such order');
        if (options.refuseMarks) return fail(response, 400, 'items do not match the order');
        if (failing(mark[2]!, response, refuseOperation)) return;
        const unknownInMark = beyondSeed(body, SEED_MARK);
        if (unknownInMark) return fail(response, 400, `unknown field ${unknownInMark}`);
        if (mark[2] !== 'cancel') {
          if (typeof body?.payment_details?.payment_id !== 'string') return fail(response, 400, 'payment_details.payment_id');
          const problem = badItems(body.items, 'number', 'amount');
          if (problem) return fail(response, 400, problem);
          if (options.strictRequests) {
            const lines = new Map((orders.get(decodeURIComponent(mark[1]!))!.body.order.items as any[]).map((item) => [Number(item.line_id), item.gross_amount as number]));
            if (body.success !== true) return fail(response, 400, 'success');
            for (const item of body.items as any[]) {
              const line = lines.get(Number(item.line_id));
              if (line === undefined || item.amount > line || item.amount < 0) return fail(response, 400, `items[].line_id ${item.line_id} is not a line of the order, or its amount is beyond it`);
            }
            const sum = (body.items as any[]).reduce((total: number, item: any) => total + item.amount, 0);
            const whole = [...lines.values()].reduce((total, amount) => total + amount, 0);
            if (mark[2] === 'authorizations' && sum !== whole) return fail(response, 400, 'an authorization covers the whole order');
          }
        }
        const markKey = `${decodeURIComponent(mark[1]!)}/${mark[2]}/${String(body?.id)}`;
        if (options.markIds === 'conflict' && typeof body?.id === 'string' && markIdsTaken.has(markKey)) {
          return fail(response, 409, `a mark with id ${body.id} already exists on the order`);
        }
        if (options.marksInOrder && mark[2] !== 'cancel') {
          const marked = (markedOn.get(mark[1]!) ?? { authorizations: 0, captures: 0, refunds: 0 }) as Record<string, number>;
          const sum = (body.items as any[]).reduce((total: number, item: any) => total + Number(item.amount), 0);
          const before = mark[2] === 'captures' ? marked['authorizations']! : mark[2] === 'refunds' ? marked['captures']! : Number.POSITIVE_INFINITY;
          if (marked[mark[2]!]! + sum > before) return fail(response, 409, `the order has ${before} marked before ${mark[2]}`);
          marked[mark[2]!]! += sum;
          markedOn.set(mark[1]!, marked);
        }
        if (options.markIds === 'conflict' && typeof body?.id === 'string') markIdsTaken.add(markKey);
        const lostMark = lostMarkAnswers.get(mark[2]!);
        if (lostMark !== undefined) {
          lostMarkAnswers.delete(mark[2]!);
          return fail(response, lostMark, 'upstream timeout');
        }
        return options.markStatus === 204 ? send(response, 204) : send(response, options.markStatus, { id: randomUUID(), ...body });
      }
      return fail(response, 404, 'no such route');
    }

    // Checkout host.
    if (method === 'POST' && path === '/v1/sessions-profile') {
      if (failing('session', response, refuseOperation)) return;
      const unknownInSession = beyondSeed(body, SEED_SESSION);
      if (unknownInSession) return fail(response, 400, `unknown field ${unknownInSession}`);
      const order = body?.order;
      const problem =
        typeof body?.url?.return_url !== 'string' || typeof body?.url?.callback_url !== 'string'
          ? 'url.return_url and url.callback_url'
          : !isInteger(order?.amount) || !order?.currency || !order?.merchant_reference
            ? 'order.amount, currency, merchant_reference'
            : badItems(order.items, 'string', 'amount');
      if (problem) return fail(response, 400, problem);
      const sum = (order.items as any[]).reduce((total: number, item: any) => total + item.amount, 0);
      if (sum !== order.amount) return fail(response, 400, 'order.amount is not the sum of the items');
      if (!body.profile_id) return fail(response, 400, 'profile_id');
      const session: Session = { ...(options.sessionExpiry ? { expiresAt: Date.now() + options.sessionExpiry.offsetMs } : {}), id: options.longIds ? longId() : options.numericIds ? String(++sequence) : awkward(`T${config.accountId.slice(1)}.${lettersAndDigits(8)}`), body };
      sessions.set(session.id, session);
      const page = `${options.sessionUrlRelative ? '' : config.checkoutUrl}/pay/${encodeURIComponent(session.id)}`;
      const urlField = !options.sessionUrl
        ? options.zeroValues
          ? { url: '' }
          : {}
        : options.sessionUrlName === 'checkout_url'
          ? { checkout_url: page }
          : options.sessionUrlName === '_links'
            ? { _links: { self: { href: `${config.checkoutUrl}/v1/sessions/${encodeURIComponent(session.id)}` }, checkout: { href: page } } }
            : { url: page };
      if (options.createdAs === 'location') {
        response.setHeader('location', `/v1/sessions/${encodeURIComponent(session.id)}`);
        return send(response, 201, urlField);
      }
      return send(response, options.createStatus, { [options.sessionIdName ?? 'id']: idOut(session.id), ...urlField });
    }
    const sessionRead = /^\/v1\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && sessionRead) {
      const session = sessions.get(decodeURIComponent(sessionRead[1]!));
      if (!session || options.sessionRead === 'none') return fail(response, 404, 'not found');
      if (session.goneWith) return fail(response, session.goneWith, session.goneWith === 410 ? 'session archived' : 'not found');
      return send(response, 200, {
        id: idOut(session.id),
        ...sessionTransactionFields(session),
        order: session.body.order,
        url: session.body.url,
        ...(options.sessionPageInRead ? { _links: { self: { href: `${config.checkoutUrl}/v1/sessions/${encodeURIComponent(session.id)}` }, checkout: { href: `${config.checkoutUrl}/pay/${encodeURIComponent(session.id)}` } } } : {}),
        ...(session.expiresAt !== undefined && options.sessionExpiry
          ? { expires_at: options.timeText ? timeText(session.expiresAt, options.timeText) : expiryText(session.expiresAt, options.sessionExpiry.format) }
          : options.zeroValues
            ? { expires_at: '' }
            : unsetTime !== undefined
              ? { expires_at: unsetTime }
              : {}),
        // Round nineteen: a cancel's time, else (unsetTimes) the stack's zero value.
        ...(session.cancelledAt !== undefined ? { cancelled_at: options.timeText ? timeText(session.cancelledAt, options.timeText) : new Date(session.cancelledAt).toISOString() } : unsetTime !== undefined && options.unsetTimesOn !== 'expires_at' ? { cancelled_at: unsetTime } : {}),
      });
    }
    const transactionPath = /^\/v1\/transactions\/([^/]+)(?:\/(capture|refund|void))?$/.exec(path);
    const transaction = transactionPath ? transactions.get(decodeURIComponent(transactionPath[1]!)) : undefined;
    if (transactionPath && !transaction) return fail(response, 404, 'no such transaction');
    if (transaction && Date.now() < transaction.readableAt) return fail(response, 404, 'no such transaction');
    if (transaction && method === 'GET' && !transactionPath![2]) {
      if (readFailures.count > 0) {
        readFailures.count--;
        return fail(response, readFailures.status, 'read failed');
      }
      if (options.requireIfMatch) response.setHeader('etag', etagOf(transaction));
      if (options.readLagMs === undefined) return send(response, 200, transactionView(transaction));
      const seen = transaction.history.filter((entry) => entry.at <= Date.now() - options.readLagMs!).at(-1);
      if (!seen) return fail(response, 404, 'no such transaction');
      return send(response, 200, transactionView({ ...transaction, status: seen.status, events: options.readLagStatusOnly ? transaction.events : transaction.events.slice(0, seen.events) }));
    }
    if (transaction && method === 'POST' && transactionPath![2]) {
      const operation = transactionPath![2] as 'capture' | 'refund' | 'void';
      if (operation === 'void' && options.noVoid) return fail(response, 404, 'no such route');
      if (options.requireIfMatch) {
        // Round twenty-four: optimistic locking, as a store with a version column writes it.
        const ifMatch = request.headers['if-match'];
        const intervene = interventions.get(operation);
        if (ifMatch !== undefined && intervene) {
          interventions.delete(operation);
          intervene();
        }
        if (ifMatch === undefined) return fail(response, 428, 'If-Match required: read the transaction for its ETag');
        if (ifMatch !== etagOf(transaction)) return fail(response, 412, 'the transaction changed since the ETag given in If-Match');
      }
      if (failing(operation, response, refuseOperation)) return;
      const unknownInOperation = options.refuseUnknownOperationFields && operation !== 'void' ? unknownField(body, operation === 'capture' ? CONTRACT_CAPTURE : CONTRACT_REFUND) : undefined;
      if (unknownInOperation) return refuseOperation(response, 400, `unknown field ${unknownInOperation}`);
      const amount = body?.amount;
      /** The operation in the events as under way (`*_PENDING`, or the word inProgressWord gives it in the view), under its reference. */
      const pushUnderWay = (): void => {
        transaction.events.push({
          event: operation === 'capture' ? 'CAPTURE_PENDING' : 'REFUND_PENDING',
          amount,
          ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
          ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
          created_at: new Date().toISOString(),
        } as Transaction['events'][number]);
        transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      };
      if (options.strictRequests && operation !== 'void' && body?.items !== undefined) {
        const session = sessions.get(transaction.sessionId)!;
        const lineIds = new Set((session.body.order.items as any[]).map((item) => String(item.line_id)));
        if (!Array.isArray(body.items)) return refuseOperation(response, 400, 'items');
        for (const item of body.items as any[]) {
          if (!lineIds.has(String(item?.line_id)) || !isInteger(item?.amount)) return refuseOperation(response, 400, `items[].line_id ${item?.line_id} is not a line of the session`);
          if (options.strictLineIds && typeof item.line_id !== 'string') return refuseOperation(response, 400, 'items[].line_id must be a string');
        }
        const sum = (body.items as any[]).reduce((total: number, item: any) => total + item.amount, 0);
        if (body.items.length > 0 && sum !== amount) return refuseOperation(response, 400, `the items add up to ${sum}, not the amount ${amount}`);
      }
      /** Round nineteen (undecidedSuccess): the operation's one event, its `success` null until it settles in place. */
      let undecided: Transaction['events'][number] | undefined;
      const pushUndecided = (): void => {
        undecided = {
          event: operation === 'capture' ? 'CAPTURE' : 'REFUND',
          amount,
          success: null,
          ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
          ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
          created_at: new Date().toISOString(),
        };
        transaction.events.push(undecided);
        transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      };
      const undecidedWith = options.undecidedSuccess && options.settleAfterMs !== undefined && operation !== 'void';
      // Round five: taken, then failed at the acquirer: a failed event under its reference, nothing moved.
      if (operation !== 'void' && failedAtAcquirer.delete(operation)) {
        const failLater = (): void => {
          if (undecided) {
            undecided.success = false;
            transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
            return;
          }
          transaction.events.push({
            event: operation === 'capture' ? 'CAPTURE' : 'REFUND',
            amount,
            success: false,
            ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
            ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
            created_at: new Date().toISOString(),
          });
          transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
        };
        // Accepted now (202), failed at the acquirer settleAfterMs later.
        if (options.settleAfterMs !== undefined) {
          setTimeout(failLater, options.settleAfterMs);
          if (undecidedWith || options.pendingEvents || options.inProgressWord) {
            if (undecidedWith) pushUndecided();
            else pushUnderWay();
            const lostPending = lostAnswers.get(operation);
            if (lostPending !== undefined) {
              lostAnswers.delete(operation);
              return fail(response, lostPending, 'upstream timeout');
            }
          }
          return send(response, 202);
        }
        transaction.events.push({
          event: operation === 'capture' ? 'CAPTURE' : 'REFUND',
          amount,
          success: false,
          ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
          ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
          created_at: new Date().toISOString(),
        });
        transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
        const saidFailed = failedAtAcquirerWord.get(operation);
        failedAtAcquirerWord.delete(operation);
        if (saidFailed) statusSaid.set(transaction.id, saidFailed);
        const lostFailure = lostAnswers.get(operation);
        if (lostFailure !== undefined) {
          lostAnswers.delete(operation);
          return fail(response, lostFailure, 'upstream timeout');
        }
        if (options.operationAnswer === 'accepted') return send(response, 202);
        if (options.operationAnswer === 'no-content') return send(response, 204);
        // Round eleven: the operation as a resource of its own answers its own outcome, FAILED.
        if (options.operationAnswer === 'operation' || options.operationAnswer === 'operation-without-id') {
          return send(response, 201, {
            ...(options.operationAnswer === 'operation' ? { id: `op_${randomBytes(6).toString('hex')}` } : {}),
            transaction_id: longOut(transaction.id),
            amount: num(amount),
            status: word('FAILED', options.statusCase),
            ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
            ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
            created_at: new Date().toISOString(),
          });
        }
        return send(response, 200, transactionView(transaction));
      }
      // Round fourteen: a void taken, then refused by the acquirer: nothing released, a failed VOID event.
      if (operation === 'void' && failingVoid) {
        if (transaction.status !== 'AUTHORIZED' || transaction.accepted.captured > 0 || transaction.accepted.voided) return refuseOperation(response, 400, `cannot void a ${transaction.status} transaction`);
        const said = failingVoid.word;
        failingVoid = undefined;
        const refuse = (): void => {
          transaction.events.push({ event: 'VOID', amount: transaction.amount, success: false, created_at: new Date().toISOString() });
          if (said) statusSaid.set(transaction.id, said);
          transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
        };
        const counts = operationCounts.get(transaction.id) ?? { capture: 0, refund: 0, void: 0 };
        counts.void++;
        operationCounts.set(transaction.id, counts);
        // Round twenty-nine (voidRefusedAfterMs): taken now (202), refused by the acquirer later.
        if (options.voidRefusedAfterMs !== undefined) {
          setTimeout(refuse, options.voidRefusedAfterMs);
          return send(response, 202);
        }
        refuse();
        const lostVoid = lostAnswers.get('void');
        if (lostVoid !== undefined) {
          lostAnswers.delete('void');
          return fail(response, lostVoid, 'upstream timeout');
        }
        if (options.operationAnswer === 'accepted') return send(response, 202);
        if (options.operationAnswer === 'no-content') return send(response, 204);
        if (options.operationAnswer === 'operation' || options.operationAnswer === 'operation-without-id') {
          return send(response, 201, {
            ...(options.operationAnswer === 'operation' ? { id: `op_${randomBytes(6).toString('hex')}` } : {}),
            transaction_id: longOut(transaction.id),
            status: word('FAILED', options.statusCase),
            created_at: new Date().toISOString(),
          });
        }
        return send(response, 200, transactionView(transaction));
      }
      if (!options.refusalWordKept) statusSaid.delete(transaction.id);
      // Checked at once; carried out at once, or after settleAfterMs.
      let apply: () => void;
      const accepted = transaction.accepted;
      if (operation === 'capture') {
        const capturable = options.afterRefund === 'partially-captured-refunded' ? ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED'] : ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED'];
        const refundsFirst = options.afterRefund !== 'partially-captured-refunded' && accepted.refunded > 0;
        if (accepted.voided || refundsFirst || !capturable.includes(transaction.status)) {
          return refuseOperation(response, 400, `cannot capture a ${transaction.status} transaction`);
        }
        if (!isInteger(amount) || amount <= 0 || accepted.captured + amount > transaction.amount) return refuseOperation(response, 400, 'amount');
        accepted.captured += amount;
        apply = () => {
          if (undecided) undecided.success = true;
          else transaction.events.push({ event: 'CAPTURE', amount, success: true, ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}), created_at: new Date().toISOString() });
          transaction.captured += amount;
          transaction.status = statusOfMoney(transaction);
        };
      } else if (operation === 'refund') {
        if (!isInteger(amount) || amount <= 0 || accepted.refunded + amount > accepted.captured) return refuseOperation(response, 400, 'amount');
        accepted.refunded += amount;
        apply = () => {
          if (undecided) undecided.success = true;
          else transaction.events.push({ event: 'REFUND', amount, success: true, ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}), created_at: new Date().toISOString() });
          transaction.refunded += amount;
          transaction.status = statusOfMoney(transaction);
        };
      } else {
        if (transaction.status !== 'AUTHORIZED' || accepted.captured > 0 || accepted.voided) return refuseOperation(response, 400, `cannot void a ${transaction.status} transaction`);
        accepted.voided = true;
        apply = () => {
          transaction.status = 'AUTHORIZATION_VOIDED';
        };
      }
      const carryOut = apply;
      apply = () => {
        carryOut();
        statusSaid.delete(transaction.id); // round fifteen (refusalWordKept): once carried out
        transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      };
      const counts = operationCounts.get(transaction.id) ?? { capture: 0, refund: 0, void: 0 };
      counts[operation]++;
      operationCounts.set(transaction.id, counts);
      if (options.settleAfterMs !== undefined) {
        // Round twelve: taken, in the events at once in the word inProgressWord says, its outcome added later.
        if (undecidedWith) pushUndecided();
        else if (options.inProgressWord && operation !== 'void') {
          pushUnderWay();
        }
        setTimeout(apply, options.settleAfterMs);
        // Round eleven: taken, to be carried out later, and its 202 lost on the way (loseNextAnswer).
        const lostAccepted = lostAnswers.get(operation);
        if (lostAccepted !== undefined) {
          lostAnswers.delete(operation);
          return fail(response, lostAccepted, 'upstream timeout');
        }
        return send(response, 202);
      }
      apply();
      const armed = readFailuresAfter.get(operation);
      if (armed) {
        readFailuresAfter.delete(operation);
        Object.assign(readFailures, armed);
      }
      const lost = lostAnswers.get(operation);
      if (lost !== undefined) {
        lostAnswers.delete(operation);
        return fail(response, lost, 'upstream timeout');
      }
      const held = heldAnswers.get(operation)?.shift();
      if (held !== undefined) await new Promise((resolve) => setTimeout(resolve, held));
      const stall = stalledAnswers.get(operation);
      if (stall !== undefined) {
        stalledAnswers.delete(operation);
        if (stall === 'reset') return void response.socket?.destroy();
        if (typeof stall === 'number') await new Promise((resolve) => setTimeout(resolve, stall));
        else return cutShort(response, stall, jsonWithLongs(transactionView(transaction)));
      }
      if (options.operationAnswer === 'accepted') return send(response, 202);
      if (options.operationAnswer === 'no-content') return send(response, 204);
      if (options.operationAnswer === 'operation' || options.operationAnswer === 'operation-without-id') {
        const did = operation === 'capture' ? 'CAPTURED' : operation === 'refund' ? 'REFUNDED' : 'AUTHORIZATION_VOIDED';
        return send(response, 201, {
          ...(options.operationAnswer === 'operation' ? { id: `op_${randomBytes(6).toString('hex')}` } : {}),
          transaction_id: longOut(transaction.id),
          ...(operation !== 'void' ? { amount: num(amount) } : {}),
          status: word(did, options.statusCase),
          ...(typeof body?.capture_reference === 'string' ? { capture_reference: body.capture_reference } : {}),
          ...(typeof body?.refund_reference === 'string' ? { refund_reference: body.refund_reference } : {}),
          created_at: new Date().toISOString(),
        });
      }
      return send(response, 200, transactionView(transaction));
    }
    return fail(response, 404, 'no such route');
  }

  /** Round eighteen: a host that is not Dintero's, for a redirect to `stranger`: it only counts what reaches it. */
  const strangerSaw: IndependentDintero['strangerSaw'] = [];
  const stranger = createServer((request, response) => {
    strangerSaw.push({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0]!, bearer: /^Bearer /.test(request.headers.authorization ?? '') });
    request.resume();
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
  const strangerUrl = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
  const listen = async (host: 'api' | 'checkout'): Promise<Server> => {
    const server = createServer((request, response) => {
      handle(host, request, response).catch(() => response.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const api = await listen('api');
  const checkout = await listen('checkout');
  config.apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  config.checkoutUrl = `http://127.0.0.1:${(checkout.address() as AddressInfo).port}`;

  return {
    apiUrl: config.apiUrl,
    checkoutUrl: config.checkoutUrl,
    config,
    options,
    received,
    callbacks,
    async pay(sessionId, outcome = 'authorize') {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      if (session.cancelledAt !== undefined) throw new Error(`session ${sessionId} was cancelled`);
      const transaction: Transaction = {
        // Round twenty-five: a store keyed by integers (numericIds) whose callbacks write its ids as numbers keys its transactions so too.
        id: options.longIds ? longId() : options.numericIds && options.callback.idsAsAnswered ? String(5_000_000 + ++sequence) : awkward(`T${config.accountId.slice(1)}.${lettersAndDigits(10)}`),
        sessionId,
        status: outcome === 'hold' ? 'ON_HOLD' : outcome === 'authorize' ? (options.autoCapture ? 'CAPTURED' : 'AUTHORIZED') : options.declineWord,
        amount: session.body.order.amount,
        captured: outcome === 'authorize' && options.autoCapture ? session.body.order.amount : 0,
        refunded: 0,
        readableAt: options.readableAfterCallback ? Number.POSITIVE_INFINITY : 0,
        history: [],
        events: outcome === 'hold' ? [] : [
          { event: 'AUTHORIZE', amount: session.body.order.amount, success: outcome === 'authorize', created_at: new Date().toISOString() },
          ...(outcome === 'authorize' && options.autoCapture ? [{ event: 'CAPTURE', amount: session.body.order.amount, success: true, created_at: new Date().toISOString() }] : []),
        ],
        accepted: { captured: outcome === 'authorize' && options.autoCapture ? session.body.order.amount : 0, refunded: 0, voided: false },
      };
      transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      transactions.set(transaction.id, transaction);
      session.transactionId = transaction.id;
      if (heldCallbacks.count > 0) {
        heldCallbacks.count--;
        heldCallbacks.held.push(transaction);
      } else {
        await sendCallback(transaction);
      }
      transaction.readableAt = 0;
      return transaction.id;
    },
    async decideHeld(transactionId, outcome, callback = false) {
      const transaction = transactions.get(transactionId);
      if (!transaction || transaction.status !== 'ON_HOLD') throw new Error(`no transaction ${transactionId} on hold`);
      transaction.status = outcome === 'authorize' ? 'AUTHORIZED' : options.declineWord;
      transaction.events.push({ event: 'AUTHORIZE', amount: transaction.amount, success: outcome === 'authorize', created_at: new Date().toISOString() });
      transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      if (callback) await sendCallback(transaction);
    },
    failNext(operation, status) {
      failures.set(operation, status);
    },
    failReads(count, status) {
      readFailures.count = count;
      readFailures.status = status;
    },
    failReadsAfter(operation, count, status) {
      readFailuresAfter.set(operation, { count, status });
    },
    holdAnswers(operation, delaysMs) {
      heldAnswers.set(operation, [...delaysMs]);
    },
    loseNextMarkAnswer(kind, status) {
      lostMarkAnswers.set(kind, status);
    },
    loseNextAnswer(operation, status) {
      lostAnswers.set(operation, status);
    },
    stallNextAnswer(operation, how) {
      stalledAnswers.set(operation, how);
    },
    failNextVoidAtAcquirer(word) {
      failingVoid = word ? { word } : {};
    },
    failNextAtAcquirer(operation, word) {
      failedAtAcquirer.add(operation);
      if (word) failedAtAcquirerWord.set(operation, word);
    },
    changeBeforeNextWrite(operation, change) {
      interventions.set(operation, change);
    },
    outside(transactionId, operation, amount) {
      const transaction = transactions.get(transactionId);
      if (!transaction) throw new Error(`no transaction ${transactionId}`);
      const at = new Date().toISOString();
      if (operation === 'void' || operation === 'lapse') {
        transaction.accepted.voided = true;
        transaction.status = operation === 'void' ? 'AUTHORIZATION_VOIDED' : options.declineWord;
      } else if (operation === 'capture') {
        const moved = amount ?? transaction.amount - transaction.captured;
        transaction.accepted.captured += moved;
        transaction.captured += moved;
        transaction.events.push({ event: 'CAPTURE', amount: moved, success: true, created_at: at });
        transaction.status = transaction.captured === transaction.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
      } else {
        const moved = amount ?? transaction.captured - transaction.refunded;
        transaction.accepted.refunded += moved;
        transaction.refunded += moved;
        transaction.events.push({ event: 'REFUND', amount: moved, success: true, created_at: at });
        transaction.status = transaction.refunded === transaction.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      }
      transaction.history.push({ at: Date.now(), status: transaction.status, events: transaction.events.length });
      const counts = operationCounts.get(transaction.id) ?? { capture: 0, refund: 0, void: 0 };
      counts[operation === 'lapse' ? 'void' : operation]++;
      operationCounts.set(transaction.id, counts);
    },
    operationsOn(transactionId) {
      return operationCounts.get(transactionId) ?? { capture: 0, refund: 0, void: 0 };
    },
    transactionFor(merchantReference) {
      return [...transactions.values()].find((transaction) => sessions.get(transaction.sessionId)?.body.order.merchant_reference === merchantReference);
    },
    callbackUrlOf(sessionId) {
      return String(sessions.get(sessionId)!.body.url.callback_url);
    },
    holdCallbacks(count) {
      heldCallbacks.count = count;
    },
    async sendHeldCallbacks() {
      const held = heldCallbacks.held.splice(0);
      if (options.callback.batch && (options.callback.how === 'POST-json' || options.callback.how === 'POST-transaction')) return sendBatch(held);
      for (const transaction of held) await sendCallback(transaction);
    },
    transactionById(transactionId) {
      return transactions.get(transactionId);
    },
    transactionOf(sessionId) {
      const id = sessions.get(sessionId)?.transactionId;
      return id ? transactions.get(id) : undefined;
    },
    latestSessionId() {
      const id = [...sessions.keys()].at(-1);
      if (!id) throw new Error('no session was made');
      return id;
    },
    purgeSession(sessionId, status) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId} to purge`);
      session.goneWith = status;
    },
    cancelSession(sessionId) {
      const session = sessions.get(sessionId);
      if (!session || session.transactionId) throw new Error(`no session ${sessionId} to cancel`);
      session.cancelledAt = Date.now();
    },
    strangerSaw,
    close: async () => {
      for (const server of [api, checkout, stranger]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
