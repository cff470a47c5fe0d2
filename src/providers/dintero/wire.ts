import { z } from 'zod';
import { TokenExpiresIn } from '../shared-token.js';
import { fieldsByKey } from '../field-names.js';
import { statusLetters } from '../status-spelling.js';
import { blankAsAbsent, idFromPath, isUnset, nullFieldsAbsent } from '../wire-nulls.js';
import { parseDinteroTime, unsetTime } from './dates.js';
import { isNoValueText } from '../no-value-text.js';
import { currencyLetters } from './currency-codes.js';
import { decimalCommaAsPoint } from './decimal-comma.js';

/*
 * Dintero's JSON shapes (seed dintero-orders-and-checkout.txt, CONTRACT §8). Only this folder sees
 * them. Objects are loose: Dintero adds fields over time and an unknown field must not break us.
 * Amounts are integers in minor units. Reads of a session or a transaction (no seed shows one) take a
 * null field as absent, and one without its own `id` as the one its path names.
 */

const minor = z.number().int().nonnegative();

/**
 * An amount in a read (a transaction, its items and events): minor units as a number, or as a
 * string of digits (a serialiser that writes amounts as strings; no seed shows a read). Before, an
 * event's `"amount": "10000"` made the whole transaction unreadable: every callback and re-read
 * was PROVIDER_UNAVAILABLE and a paid order stayed CREATED.
 */
const readMinor = z.union([minor, z.string().regex(/^\s*\d{1,15}\s*$/).transform(Number)]).pipe(minor);

/**
 * An amount written as a decimal string, `"99.50"` (major units) or `"39800.0"` (minor units with a
 * fraction of zero), as a serialiser writing a decimal column as text writes it; no seed shows a
 * read. Read as the figure it writes, its fraction kept, for binding.ts inMinorUnits to tell its
 * units against the order's total, exactly as a JSON number `99.5` or `39800.0` is (round
 * twenty-six): never rounded. At most 13 digits before the point and 6 after, so that the double
 * holds it within wholeMinor's millionth. Round twenty-seven: before, such an amount was none, so a
 * transaction written so was read by its status alone: 20.00 captured in Dintero's back office
 * beside the gateway's 30.00 showed 30.00 captured, and a transaction POSTed as its callback at a
 * Dintero without the session read was not believed (the paid order stayed CREATED).
 */
const decimalText = z
  .string()
  // Round twenty-eight: a decimal comma (`"99,50"`) as its point (decimal-comma.ts), never `"1,500"`.
  .transform(decimalCommaAsPoint)
  .pipe(z.string().regex(/^\s*\d{1,13}\.\d{1,6}\s*$/))
  .transform(Number);

/**
 * An amount in a transaction read as written, its fraction kept: minor units (readMinor), or a JSON
 * number with a fraction. Round twenty-six: a Dintero writing its reads in major units (round six)
 * writes 99.50 NOK as `99.5`; before, such a figure was none while the whole ones beside it were
 * read (a partial capture's `50` was 0.50, the authorization's `99.5` none, so nothing said the
 * units): the order showed 0.50 captured where Dintero held 50.00. The figure is read as money only
 * by binding.ts inMinorUnits, which tells the units against the order's total and leaves no amount
 * that is not a whole number of minor units (wholeMinorOnly): never a guess. A `39800.0` is 39800
 * (JSON.parse drops a zero fraction).
 */
const readFigure = z.union([readMinor, z.number().nonnegative(), decimalText]);

/**
 * An id in an answer: a string, or a whole number read as its digits. No answer of the seed shows
 * an id, and one made of digits (a NUMERIC_9 order id, a draft or session numbered by a sequence)
 * may well be written as a JSON number; before, such an answer made createOrder PROVIDER_UNAVAILABLE.
 */
const WireId = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);

/**
 * An id an answer may leave unset. Unset may be absent, null (nullFieldsAbsent) or, from a
 * serialiser that writes every field's zero value (Go without omitempty), an empty string: a
 * draft's `"order_id": ""` before completion, an unpaid session's `"transaction_id": ""`. All
 * three are absent here; before, the empty string failed the whole answer (every createOrder
 * PROVIDER_UNAVAILABLE once the draft was made; an unpaid session unreadable). Round twenty-four:
 * a stack's text for null (no-value-text.ts: "None", "null", "<nil>") is unset too; before, an unpaid
 * session's `"transaction_id": "None"` named a transaction "None", read (404) on every poller turn.
 */
const UnsetId = blankAsAbsent(z.preprocess((value) => (isNoValueText(value) ? undefined : value), WireId.optional()));

/** The token answer (CONTRACT §8; the seed shows only the request): `expires_in` may be missing, see TokenExpiresIn. */
export const DinteroAccessToken = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: TokenExpiresIn,
});
export type DinteroAccessToken = z.infer<typeof DinteroAccessToken>;

export const DinteroError = z.looseObject({
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    errors: z.array(z.looseObject({ path: z.string().optional(), message: z.string().optional() })).optional(),
  }),
});
export type DinteroError = z.infer<typeof DinteroError>;

/**
 * `{id}` from an answer that names its id `id` or, as the seed's own words name it, `<other>`
 * (a draft's `order_id`, a session's `session_id`). Where both are there, `id` is the id.
 */
function idOr<T extends z.ZodType>(other: string, schema: T) {
  return z.preprocess((json) => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
    const fields = json as Record<string, unknown>;
    return isUnset(fields['id']) && !isUnset(fields[other]) ? { ...fields, id: fields[other] } : json;
  }, schema);
}

const draftOrderShape = { id: WireId, order_id: UnsetId, status: z.string().optional() };

/**
 * A draft order (its `id` is what `complete` is called with). No answer is shown anywhere: a
 * field written as null (a draft's `"order_id": null` before it is completed) is absent. A draft
 * that names only the `order_id` generate_order_id asked for (no other id: the seed shows none)
 * is that order, completed under it; before, such an answer made createOrder PROVIDER_UNAVAILABLE.
 */
export const DinteroOrder = nullFieldsAbsent(idOr('order_id', z.looseObject(draftOrderShape)));
export type DinteroOrder = z.infer<typeof DinteroOrder>;

/**
 * What `complete` answers, where it answers a body: the order, which names its id as `order_id`
 * (CONTRACT §8 "assigns order_id") or as its own `id`. Neither is required here: which one Dintero's
 * order id is, is decided with the draft's answer (create-order.ts dinteroOrderIdOf).
 */
export const DinteroCompletedOrder = nullFieldsAbsent(z.looseObject({ id: UnsetId, order_id: UnsetId }));
export type DinteroCompletedOrder = z.infer<typeof DinteroCompletedOrder>;

/** Names a session answer may give its checkout page instead of `url` (fieldKey spelling). */
const PAGE_FIELDS = ['checkouturl', 'sessionurl', 'paymenturl', 'pageurl', 'redirecturl', 'viewurl', 'href'];
/** Link relations (HAL `_links`, a `links` list) that name the page a buyer pays on; never `self`. */
const PAGE_RELATION = /checkout|pay|view|redirect|page/i;

/**
 * A session answer whose page is not a `url` string, with the page as `url` (round nine). The
 * seed shows no session answer ("see executing payment for the different methods of showing the
 * session"), so another Dintero may name its page `checkout_url`, `redirect_url`, ..., or give it
 * as a link (`_links: {checkout: {href}}`, `links: [{rel, href}]`). Before, such an answer got
 * the fallback page `<checkout>/v1/view/<id>`, which that Dintero need not serve: the buyer was
 * sent to a page that is not there, and the order could never be paid. A `url` object (the
 * session's return and callback URLs echoed) is no page.
 */
function withPageAsUrl(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const fields = json as Record<string, unknown>;
  if (typeof fields['url'] === 'string' && fields['url'].trim() !== '') return json;
  const byKey = fieldsByKey(Object.entries(fields));
  const named = PAGE_FIELDS.map((name) => byKey.get(name)).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  // `_links` and `links` are one key here (fieldKey drops the underscore).
  const page = named ?? linkedPage(byKey.get('links'));
  return page ? { ...fields, url: page } : json;
}

/** The page among links: `{<relation>: {href}}` or `[{rel, href}]`, by relation (PAGE_RELATION). */
function linkedPage(links: unknown): string | undefined {
  const hrefOf = (link: unknown): string | undefined => {
    const href = link !== null && typeof link === 'object' ? (link as { href?: unknown }).href : link;
    return typeof href === 'string' && href.trim() !== '' ? href : undefined;
  };
  if (Array.isArray(links)) {
    const found = links.find((link) => link !== null && typeof link === 'object' && PAGE_RELATION.test(String((link as { rel?: unknown }).rel ?? '')));
    return hrefOf(found);
  }
  if (links === null || typeof links !== 'object') return undefined;
  const relation = Object.keys(links).find((name) => PAGE_RELATION.test(name));
  return relation ? hrefOf((links as Record<string, unknown>)[relation]) : undefined;
}

/**
 * CONTRACT §8: `POST /sessions-profile` answers `{id, url}`; a `url` missing or not a string is left
 * to the client (createSession), one named otherwise is read as it (withPageAsUrl). The seed names a session's id only as `session_id` ("a redirect or
 * callback ... with the session_id"), so an answer naming it so is as good; before, it made
 * createOrder PROVIDER_UNAVAILABLE with the draft already completed.
 */
export const DinteroSessionCreated = nullFieldsAbsent(
  idOr('session_id', z.preprocess(withPageAsUrl, z.looseObject({ id: WireId, url: z.string().min(1).optional().catch(undefined) }))),
);
export type DinteroSessionCreated = z.infer<typeof DinteroSessionCreated>;

/**
 * The page a session read names, where the create's answer named none (client.ts pageInSessionRead,
 * round nineteen): under the names a create's answer may use (withPageAsUrl), never the read's
 * `url` object (the request's `return_url` / `callback_url` echoed).
 */
export const DinteroSessionPage = nullFieldsAbsent(z.preprocess(withPageAsUrl, z.looseObject({ url: z.string().min(1).optional().catch(undefined) })));

/**
 * A session as `GET /v1/sessions/{id}` answers it (CONTRACT §8; no seed shows it). Only what
 * reconciliation reads is checked: an expiry time of no form dates.ts knows is read as none (the
 * order then waits as if it had none) rather than hiding the session's `transaction_id`.
 */
export const DinteroSession = nullFieldsAbsent(
  z.looseObject({
    id: WireId,
    transaction_id: UnsetId,
    /**
     * Any value but false, 0, "" or a stack's zero time (dates.ts unsetTime: Go's
     * `0001-01-01T00:00:00Z`, the Unix epoch, MySQL's `0000-00-00 00:00:00`), or a stack's text
     * for null ("None", "null": no-value-text.ts), is a cancel: only whether a time is there counts.
     */
    cancelled_at: z
      .unknown()
      .transform((value) => (unsetTime(value) ? undefined : value))
      .optional(),
    /** Epoch ms (dates.ts: a time without a zone is UTC, epoch seconds are read too). */
    expires_at: z.unknown().transform(parseDinteroTime).optional().catch(undefined),
  }),
);
export type DinteroSession = z.infer<typeof DinteroSession>;
/** `GET /v1/sessions/{id}`'s answer. */
export const dinteroSessionAt = (id: string) => idFromPath(id, DinteroSession);

/** CONTRACT §8's transaction statuses; Dintero's letter case is not to be relied on. */
export const DINTERO_TRANSACTION_STATUSES = [
  'INITIATED',
  'ON_HOLD',
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'AUTHORIZATION_VOIDED',
  'DECLINED',
  'FAILED',
  'UNKNOWN',
] as const;
export type DinteroTransactionStatus = (typeof DINTERO_TRANSACTION_STATUSES)[number];
/** A status word outside CONTRACT §8's list, kept as Dintero wrote it (CONTRACT §7: the order keeps its status). */
export interface DinteroUnknownStatus {
  unknown: string;
}
/**
 * A word as compared with CONTRACT §8's: its letters and digits only (status-spelling.ts), British `-is-` read as `-iz-`.
 * An implementer whose stack writes an enum by its member's name spells `PARTIALLY_CAPTURED` as
 * `PartiallyCaptured` (.NET), `partiallyCaptured` or `partially-captured`; upper-casing alone read
 * those as unknown words (a partial capture or a void left the order where it was). No two of
 * §8's words have the same letters.
 */
export const dinteroStatusLetters = (word: string): string => statusLetters(word).replace(/authoris/g, 'authoriz');

/**
 * Whether an outcome word says an operation failed (`FAILED`, `Declined`, `REJECTED`, `error`), in any
 * case or word separation: an event's name or own status (mapping.ts eventFailed), or the status of
 * an operation answered as a record of its own (client.ts operationRefused).
 */
export const saysFailed = (word: string): boolean => /fail|declin|reject|error/.test(dinteroStatusLetters(word));
/**
 * Whether a status word nobody listed speaks of an authorization released (`VOIDED`, `Cancelled`,
 * `AUTHORIZATION_REVERSED`, `released`): read only where the gateway's own void was sent and its
 * answer lost, and only where the word says neither failed nor under way (mapping.ts
 * showsOperation, saysReleased), never as a status of its own (CONTRACT §7 keeps the order's
 * status on such a word).
 */
export const saysVoided = (word: string): boolean => /void|cancel|revers|releas/.test(dinteroStatusLetters(word));
const STATUS_BY_LETTERS = new Map<string, DinteroTransactionStatus>(DINTERO_TRANSACTION_STATUSES.map((status) => [dinteroStatusLetters(status), status]));

/** A transaction's status in any letter case or word separation; an unknown word is kept, never an error or a default. */
export const DinteroTransactionStatusWord = z.string().transform(
  (word): DinteroTransactionStatus | DinteroUnknownStatus => STATUS_BY_LETTERS.get(dinteroStatusLetters(word)) ?? { unknown: word },
);

/**
 * An event's amount: as readMinor, and a negative one as its size. A ledger writes money going back
 * to the buyer as a debit (`"amount": -5000` on a REFUND); the event's name says which way the money
 * went, never its sign. No seed shows an event. Round ten: before, one such amount made the whole
 * history unreadable (read as none), so the transaction was read by its status alone: a later
 * partial refund whose answer was lost could not be found by its reference (PROVIDER_UNAVAILABLE,
 * `dintero.outcome_unknown`, then not counted), and a refund the acquirer refused was counted as
 * done, money Dintero never moved.
 */
const eventMinor = z
  // Round twenty-seven: a decimal string (`"-50.00"`, `"10000.0"`) as decimalText reads one.
  // Round twenty-eight: a decimal comma (`"-50,00"`) as its point (decimal-comma.ts).
  .union([
    z.number(),
    z.string().regex(/^\s*-?\d{1,15}\s*$/).transform(Number),
    z.string().transform(decimalCommaAsPoint).pipe(z.string().regex(/^\s*-?\d{1,13}\.\d{1,6}\s*$/)).transform(Number),
  ])
  .transform((amount) => Math.abs(amount))
  // Round twenty-six: a fraction is kept for binding.ts inMinorUnits (readFigure), never read as minor units.
  .pipe(z.number().nonnegative());

/**
 * A `success` flag, an event's or an answer's (client.ts refusalIn2xx): a boolean, or the text
 * `"true"` / `"false"` (any case) from a serialiser that writes every scalar as a string, or 1 / 0. No seed
 * shows an event or an answer; the seed's marks write `"success": true`. Round ten: before, such a
 * field made an event's whole history unreadable (read as none): a capture or refund the acquirer
 * refused, its failed event under the gateway's reference, was answered done and counted, money
 * Dintero never moved. Round eleven: an answer's flag is read by the same rule.
 */
export const successFlag = z.union([
  z.boolean(),
  // 1 / 0, as a database's tinyint column writes a boolean (round eleven: before, an unreadable history).
  z.literal(1).transform(() => true),
  z.literal(0).transform(() => false),
  z
    .string()
    .transform((text) => text.trim().toLowerCase())
    .pipe(z.enum(['true', 'false']))
    .transform((text) => text === 'true'),
]);

/**
 * An event that names what happened under `type` and has no `event` (as many event models name
 * it; no seed shows an event) is read as named so. Round eleven: before, one such event made the
 * whole history unreadable (read as none): a capture the acquirer refused was answered done and
 * counted, and a second partial refund whose answer was lost was not found by its reference.
 */
function eventNamedType(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const { event, type } = json as { event?: unknown; type?: unknown };
  return typeof event !== 'string' && typeof type === 'string' ? { ...json, event: type } : json;
}

/**
 * An event that writes the reference the capture or refund was sent with as one `reference` field,
 * whatever its kind (as an implementer with one events table writes it; no seed shows an event), and
 * neither `capture_reference` nor `refund_reference`, is read as carrying it under both: the
 * gateway's references say their own kind (`cap-…`, `ref-…`), and the money is read by the event's
 * name (mapping.ts eventKind), so a capture's reference can never be taken for a refund's. Round
 * twelve: before, such a history showed no reference at all: a capture or refund the acquirer refused,
 * answered at once with its failed event, was Dintero's yes and counted (money Dintero never moved),
 * and a second partial capture whose answer was lost stayed `dintero.outcome_unknown`, its event there.
 */
function eventReferenceAsOwn(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const { reference, capture_reference, refund_reference } = json as { reference?: unknown; capture_reference?: unknown; refund_reference?: unknown };
  if (typeof reference !== 'string' || capture_reference != null || refund_reference != null) return json;
  return { ...json, capture_reference: reference, refund_reference: reference };
}

/**
 * An event whose `success` is written null: a nullable outcome not decided yet (a row whose outcome
 * column is filled in once the acquirer answers), kept as `undecided` before null fields are read
 * as absent. An absent `success` says nothing either way (the event's words decide, as before); a
 * null one says "no outcome yet". No seed shows an event. Round nineteen: before, the null was read
 * as absent, so a capture or refund taken (202) and written `{event: CAPTURE, success: null}` at
 * once was the operation shown: one the acquirer refused later was counted with nothing saying so
 * (the order not watched), and one whose 202 was lost was answered done and counted, then still
 * counted once the acquirer refused it (money Dintero never moved).
 */
function successUndecided(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const { success } = json as { success?: unknown };
  // Round twenty-four: null as its stack writes it in text ("None", "null": no-value-text.ts) is null
  // too. Before, it was no flag, so the event, and with it the whole history, was unreadable.
  return success === null || isNoValueText(success) ? { ...json, success: null, undecided: true } : json;
}

export const DinteroTransactionEvent = z.preprocess((json) => eventReferenceAsOwn(eventNamedType(successUndecided(json))), nullFieldsAbsent(
  z.looseObject({
    event: z.string(),
    success: successFlag.optional(),
    /**
     * An amount in another form (a money object; before round twenty-seven a decimal string, `"100.00"`, too) is none: the history
     * is then read by its status, as one without amounts (mapping.ts movedAmounts), its references and
     * outcomes still read. Round eleven: before, one such amount made the whole history unreadable: a
     * capture the acquirer refused was answered done and counted, money Dintero never moved.
     */
    amount: eventMinor.optional().catch(undefined),
    /**
     * Nothing reads it; kept only as written. A time in another form (epoch seconds as a number,
     * round eleven) is none, not an unreadable event: before, it made the whole history unreadable.
     */
    created_at: z.string().optional().catch(undefined),
    /** The reference the capture or refund was sent with (how a lost answer is found again). */
    capture_reference: z.string().optional(),
    refund_reference: z.string().optional(),
    /**
     * An event's own outcome word where it has one instead of `success` (`status: "FAILED"`,
     * `state: "pending"`), as an implementer who models each operation as a resource with a state
     * writes it; no seed shows an event. Read as its name is (mapping.ts eventFailed / eventPending).
     */
    status: z.string().optional().catch(undefined),
    state: z.string().optional().catch(undefined),
    /**
     * The currency the event's amount is in, where it names one (round twenty-nine: a history kept in
     * a settlement currency): ISO letters in any case or its numeric code; any other text or number
     * is `?`, a currency that is not the order's. binding.ts drops the amount of an event in another
     * currency than its transaction's (event-currency.ts). No seed shows an event.
     */
    currency: z.preprocess(currencyLetters, z.string().regex(/^[A-Z]{3}$/)).optional().catch('?'),
    /** `success` written null (successUndecided): the outcome is not decided yet, read as under way (mapping.ts eventPending). */
    undecided: z.literal(true).optional().catch(undefined),
  }),
));

/**
 * A transaction as Dintero answers it. No seed shows one (the seed only says to "poll the current
 * status of the transaction"): its order (`merchant_reference`), `amount` and `currency` come from
 * Dintero's public reference and may be missing (or unreadable) in another Dintero. Such a read
 * is completed from the order the gateway knows it belongs to (binding.ts), never believed alone.
 * Its amounts may still carry a fraction (readFigure): binding.ts reads them in minor units
 * (inMinorUnits, wholeMinorOnly) before anything counts them.
 */
export const DinteroTransactionRead = nullFieldsAbsent(z.looseObject({
  id: WireId,
  session_id: UnsetId,
  /**
   * Read without the spaces around it: the gateway's references have none, and a Dintero that keeps
   * the reference in a CHAR(n) column writes it padded (`"ABC123DEF           "`; no seed shows one
   * read back). Round twelve: before, such a transaction named another order, so no callback or
   * re-read was believed and the paid order stayed CREATED.
   */
  merchant_reference: z.string().trim().min(1).optional().catch(undefined),
  amount: readFigure.optional().catch(undefined),
  /**
   * Round twenty-seven: letters in any case (`"nok"`), or the ISO 4217 numeric code (`578`, `"578"`)
   * read as its letters (currency-codes.ts); before, a numeric code was none, so a transaction POSTed
   * as its callback did not say its currency and was not believed alone: at a Dintero without the
   * session read the paid order stayed CREATED.
   */
  currency: z
    .preprocess(currencyLetters, z.string().regex(/^[A-Z]{3}$/))
    .optional()
    .catch(undefined),
  status: DinteroTransactionStatusWord,
  payment_product: z.string().optional(),
  payment_product_type: z.string().optional(),
  /** Our gateway order id, as the session was created with it. */
  merchant_reference_2: z.string().trim().optional(),
  /**
   * The seed writes line_id both ways (`1` in the Orders API bodies, `"1"` in the Checkout one), so
   * a transaction's items may carry either; it is read as the Checkout string the line tables use.
   * No seed shows a transaction's items, and they only spare a callback the order's own lines for
   * the authorization's recording (webhook.ts): items of another shape are read as none, and
   * reconciliation records from the order.
   */
  items: z
    .array(nullFieldsAbsent(z.looseObject({ line_id: z.union([z.string(), z.number().transform(String)]), amount: readFigure })))
    .optional()
    .catch(undefined),
  /**
   * Its money history (Dintero's public reference; no seed shows one). A list the adapter cannot
   * read (an event of another shape) is read as none: the transaction then says its money by its
   * status, as one without events does (mapping.ts movedAmounts), rather than not at all.
   */
  events: z.array(DinteroTransactionEvent).default([]).catch([]),
}));
export type DinteroTransactionRead = z.infer<typeof DinteroTransactionRead>;
/**
 * A transaction with its order, amount and currency known (as read, or from its order: binding.ts).
 * `statusAsWritten`: the word Dintero wrote where the adapter read the status from the gateway's own
 * operation instead (mapping.ts asAccepted: a word nobody listed after Dintero's yes).
 */
export type DinteroTransaction = DinteroTransactionRead & { merchant_reference: string; amount: number; currency: string; statusAsWritten?: string };
/** `GET /v1/transactions/{id}`'s answer, and a capture's, refund's or void's on that path. */
export const dinteroTransactionAt = (id: string) => idFromPath(id, DinteroTransactionRead);

// ---- what we send ----------------------------------------------------------------------------

export interface DinteroTaxLine {
  amount: number;
  percentage: number;
}

export interface DinteroDraftOrderRequest {
  options: { generate_order_id: string };
  order: {
    currency: string;
    merchant_reference?: string;
    items: {
      id: string;
      line_id: number;
      quantity: number;
      gross_amount: number;
      tax_lines?: DinteroTaxLine[];
      description: string;
      description_alias: string;
    }[];
  };
}

export interface DinteroCheckoutItem {
  id: string;
  line_id: string;
  description: string;
  quantity: number;
  amount: number;
  vat_amount?: number;
  vat?: number;
}

export interface DinteroSessionRequest {
  url: { return_url: string; callback_url: string };
  order: {
    amount: number;
    currency: string;
    merchant_reference: string;
    /** Not in the seed's session (request.ts sessionAsSeedShows). */
    merchant_reference_2?: string;
    vat_amount?: number;
    items: DinteroCheckoutItem[];
  };
  profile_id: string;
}

/** Capture and refund bodies (`capture_reference` / `refund_reference` + `reason`). */
export interface DinteroMoneyOperation {
  amount: number;
  items: { line_id: string; amount: number }[];
  capture_reference?: string;
  refund_reference?: string;
  reason?: string;
}

/** The body of `.../authorizations | captures | refunds | cancel` on the Orders API (seed). */
export interface DinteroRecordingBody {
  /** Deterministic per recording, so a resend is a replay at Dintero (sandbox header). */
  id: string;
  items: { amount: number; line_id: number }[];
  payment_details: { payment_id: string };
  success: true;
}
