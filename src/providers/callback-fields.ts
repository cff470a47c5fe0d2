import { badInput } from '../domain/errors.js';

/*
 * Security probe 8: how many fields a provider's callback may hold before anything reads them.
 *
 * A callback route is open to anyone and its body is read before it is verified (Pei's postback
 * and Dintero's callback are only hints, re-read from the provider: their fields are read first to
 * know what to re-read). Those readers look each field up by its name in any spelling (fieldKey:
 * lower-cased, `_` and `-` dropped) once per name they know, so their cost grows with the fields a
 * body holds: a 256 KiB JSON object of 21,000 made-up fields held the event loop about 3 s at
 * `/webhooks/pei` (the hint and the read each parse it) and 0.7 s at `/webhooks/dintero`,
 * stalling every caller. The seeds' callbacks hold three to a dozen fields; a transaction posted as
 * a callback (Dintero, round nine) a few dozen. More than MAX_CALLBACK_FIELDS is no callback of
 * theirs: refused as one that is not (400), before any field is read. Pure.
 */

/** The most top-level fields a provider's callback body (a JSON object, form fields) may hold. */
export const MAX_CALLBACK_FIELDS = 256;

/** `fields` where it holds at most MAX_CALLBACK_FIELDS own fields; else BAD_USER_INPUT (400 at the webhook route). */
export function withinCallbackFields<T extends object | undefined>(fields: T): T {
  if (fields === undefined) return fields;
  let count = 0;
  // Counted without building the whole key list again (a for-in over own keys stops early).
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (++count > MAX_CALLBACK_FIELDS) throw badInput('body', `A callback holds at most ${MAX_CALLBACK_FIELDS} fields`);
  }
  return fields;
}
