import { jsonOrUndefined } from '../http.js';
import { idText } from './json-scalars.js';
import { IntershopErrors } from './wire.js';

/*
 * Whether a POST /orders that ICM refused with 400 may be sent again with the seed's includes
 * (client.ts call). The adapter asks for `lineItems` too, a name no seed shows, and an ICM may
 * refuse it; but a 400 is not promised to mean "nothing was made": the seed shows no error at all,
 * and a creation chain that fails inside the POST (§2.2: "until the order creation is completed
 * successfully (or if it fails)") may be answered with one, after ICM rolled the order back and
 * restored the basket (§3.2.5). Pure: each reads the answers' bodies only.
 */

/** An include name, or the parameter itself, in ICM's words. */
const ABOUT_INCLUDE = /include|line[\s_-]*items/i;

/**
 * Whether ICM's 400 may be the refusal of the include asked for: its error body (CONTRACT §8)
 * names `include` or `lineItems` in a code, message or path, or there is no readable body to
 * say otherwise (a bodiless or plain-text 400, as before). An answer carrying an order, or a
 * readable refusal of anything else
 * (`order.creation.failed`, a basket refused) is ICM's answer to the create: sending the basket
 * again would order a restored basket a second time and send the buyer's payment to the PSP again.
 */
export function mayRefuseInclude(text: string): boolean {
  // An answer carrying an order (its `data.id`, a rolled-back chain) speaks of one ICM made.
  if (carriesOrder(text)) return false;
  const errors = readErrors(text);
  if (!errors) return true;
  return errors.errors.some((error) =>
    [error.code, error.message, ...(error.paths ?? []), ...(error.causes ?? []).flatMap((cause) => [cause.code, cause.message, ...(cause.paths ?? [])])].some(
      (words) => typeof words === 'string' && ABOUT_INCLUDE.test(words),
    ),
  );
}

/**
 * Whether ICM's 400 says nothing the gateway can read: no ICM error body and no order (empty, plain
 * text, another JSON). Such a refusal may be the include's, before or after ICM made the order, or
 * a creation that failed in the chain: only ICM's list can tell (lost-creation.ts whatThePostMade),
 * so a POST refused so is not sent again before it is read.
 */
export function saysNothing(text: string): boolean {
  return !carriesOrder(text) && !readErrors(text);
}

/**
 * Whether two refusals are the same one: by ICM's first error code when both bodies have one, else
 * by their text. A POST sent again after a 400 and refused for another reason (the basket is taken
 * now) may have been made by the first: its outcome is then unknown, never a refusal.
 */
export function sameRefusal(first: string, second: string): boolean {
  const a = readErrors(first)?.errors[0]?.code;
  const b = readErrors(second)?.errors[0]?.code;
  return a !== undefined && b !== undefined ? a === b : first.trim() === second.trim();
}

/**
 * Whether ICM's answer carries an order (its `data.id`): ICM's own answer to the request about that
 * order, whatever its status says, never a refusal of the include asked for (client.ts call: a PATCH
 * so answered is not sent again).
 */
export function carriesOrder(text: string): boolean {
  const body = jsonOrUndefined(text);
  if (typeof body !== 'object' || body === null) return false;
  const data: unknown = (body as { data?: unknown }).data;
  // An id written as a JSON number (json-scalars.ts; round twenty-five) is an order's id too: before,
  // the buyer's CANCEL so answered was taken for an include refused and sent to ICM a second time.
  return typeof data === 'object' && data !== null && idText((data as { id?: unknown }).id) !== undefined;
}

function readErrors(text: string): IntershopErrors | undefined {
  const parsed = IntershopErrors.safeParse(jsonOrUndefined(text, { nullsAbsent: true }));
  return parsed.success ? parsed.data : undefined;
}
