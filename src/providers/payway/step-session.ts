import { isNoValueText } from '../no-value-text.js';

/**
 * The session an answer's step goes on in: the one it names, except that a name spelling "no
 * value" (`"null"`, `"None"`: `src/providers/no-value-text.ts`, round twenty-four) yields to the
 * session the answer belongs to (perform_additional_action's, whose further action may leave its
 * session out: CONTRACT §8 only says it answers "like place_order"). Where the answer belongs to
 * none (place_order's first action) such a name is kept as written, as before: the step is shown,
 * and a Payway that needs no session to go on (Adyen's details name the payment) still takes its
 * result; treating it as none would make the answer unreadable. Payway's other ids (order, receipt,
 * correlation id) and an error's `field` so written are none (wire.ts, event-shape.ts); a merchant
 * reference is the client's own text and is never read so.
 */
export function sessionGoneOnIn(named: string | undefined, answered: string | undefined): string | undefined {
  if (named !== undefined && answered !== undefined && isNoValueText(named)) return answered;
  return named ?? answered;
}
