/*
 * A write ICM answered `202 Accepted` (round twenty-two). The seed shows PATCH answers' bodies and
 * no status code; an ICM behind an async servlet, a JAX-RS `Response.accepted(entity)` or a gateway
 * that queues writes may answer so. RFC 9110 §15.3.3: the request "has been accepted for
 * processing, but the processing has not been completed", so whatever body comes with it is the
 * order as it was when accepted, not what the CONTINUE made of it (before, the buyer's SUCCESS was
 * answered with the PSP page she had just left, a second Redirect's first SUCCESS with the first
 * page again). Such an answer is read as a 204 is: the order read until it is past the PATCH's
 * step (read-back.ts readAfterBodiless), the last read taken all the same. Pure.
 */

const ACCEPTED = 202;

/** Whether an answer to a write says it was accepted but not carried out yet. */
export function acceptedNotDone(status: number): boolean {
  return status === ACCEPTED;
}
