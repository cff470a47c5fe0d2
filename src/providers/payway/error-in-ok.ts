import { wholeNumbersAsWritten } from '../long-numbers.js';
import { PaywayError } from './wire.js';

/**
 * Payway's error body answered with a 2xx (round twenty-three). The seed says an error "will have
 * an HTTP status code ranging between 400-500" and shows only its body; a framework that never
 * sets the status of an error it renders (a Rails `render json: error` without `status:`, a .NET
 * action returning `Ok(error)`, an API gateway mapping every integration answer to 200) sends that
 * body under 200: bare, under `item` as the seed wraps its answers (with a status word of its own,
 * `status: "error"`), under `error` beside `success: false`, or listed under `errors` (wire.ts
 * firstErrorMessage reads them all, as it does under a 4xx). Found: such a body was no purchase
 * answer, so place_order's refusal was PROVIDER_UNAVAILABLE kept as a lost answer (the client
 * never got Payway's code and field, and the retry with the same idempotency key was
 * PROVIDER_UNAVAILABLE for a day though nothing was placed and no event would ever come), or,
 * under `item` with a word of its own, an order kept CREATED for good; a 3-D Secure result
 * refused (`payment_refused`) left the purchase ACTION_REQUIRED.
 *
 * Only a body that is none of the seed's three answers is read so (client.ts purchaseAnswer):
 * a `complete`, `pending` or `action_required` beside an error (`errors: []`, a failed receipt
 * mail) is the purchase as its word says, since the money may have moved. A body without Payway's
 * `code` says nothing of what happened (`{success: false}` alone): it stays an unreadable answer,
 * kept as a lost one; so does a code of digits only under a 2xx (`{code: 200, message: "OK"}`,
 * `{code: 0}`: an envelope's success code, not one of Payway's words). Members written twice are read as any error body is (the last one: round
 * nineteen keeps a correlation id written twice).
 */
export function paywayErrorIn(text: string): PaywayError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(wholeNumbersAsWritten(text));
  } catch {
    return undefined;
  }
  if (wordWithoutCode(json)) return undefined;
  const error = PaywayError.safeParse(json);
  return error.success && !/^\d+$/.test(error.data.code) ? error.data : undefined;
}

/**
 * Whether `json` is a purchase answer with a status word the gateway does not know and no error
 * code of its own in `item` (`{code: 0, message: "success", item: {status: "received"}}`): an
 * envelope's code beside it is no refusal, and the purchase may exist at Payway, so the word is
 * kept as CONTRACT §7 says (the order waits for its event), as before. An `item` carrying both
 * a word and Payway's `code` (`{item: {status: "error", code, message}}`) is the error.
 */
function wordWithoutCode(json: unknown): boolean {
  if (!isObject(json) || !isObject(json.item)) return false;
  return typeof json.item.status === 'string' && json.item.code == null;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The HTTP status such an error counts as (refusals.ts outcomeUnknown). A 200 says nothing of
 * whether Payway would have answered a 4xx or a 5xx, so it is read as the status under which
 * more counts as unknown: a third-party error (its correlation id, or Adyen's pspReference)
 * leaves the payment's outcome unknown, as a relayed Adyen timeout does, and the retry with the
 * same key places nothing until the purchase's event; an error without one, or one that ends the
 * purchase (`payment_refused`, Adyen's `Refused`), made nothing, as under any status.
 */
export const STATUS_OF_ERROR_IN_OK = 500;
