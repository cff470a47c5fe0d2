import { GatewayError } from '../../domain/errors.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { UnknownChangeErrorAt200 } from './change-error-at-200.js';

/**
 * The orders of a PATCH answered 200 with an Error whose `status` says neither refused nor turned
 * away (a word, as round eight's Intergiro writes `"status": "error"`, none, or a 5xx:
 * change-error-at-200.ts), read back for a refusal they show. The seed shows no refusal of a change
 * and no Error's fields; an implementation writing its Errors' `status` as a word answers a loop
 * stopped at a change it cannot carry out so. Left unknown (round twenty-three's leftover), a
 * capture of an order cancelled at Intergiro was PROVIDER_UNAVAILABLE and its intent pending, not
 * PROVIDER_REJECTED.
 *
 * `check` is echo-read-back.ts's read back with every order taken as left out of the echo (never
 * "done" on the answer's word), over a single change per order (of several, a refusal the read
 * shows may be of one of them, the others' outcome not told). Only a refusal the read shows is
 * answered (PROVIDER_REJECTED: the order cancelled or denied, a failed Event since the PATCH, less
 * charged than the capture asked). Everything else stays unknown with the Error, as before (its
 * intent pending until reconciliation's read or the callback shows it, never sent again): an Error
 * is no echo, and a read without events cannot show a refund done, so nothing is answered done on
 * it, nor is the read recorded (its figures could settle the intent against a back office's refund).
 */
export async function refusalsShownAfterErrorAt200(
  requests: OrderChangeRequest[],
  error: UnknownChangeErrorAt200,
  check: (requests: OrderChangeRequest[], results: OrderChangeResult[], leftOut: ReadonlySet<number>) => Promise<OrderChangeResult[]>,
): Promise<OrderChangeResult[]> {
  const unknown = (request: OrderChangeRequest): OrderChangeResult => ({ ok: false, error, observations: [], applied: request.changes.map(() => false) });
  const single = requests.flatMap((request, index) => (request.changes.length === 1 ? [index] : []));
  const asked = single.map((index) => requests[index]!);
  const taken: OrderChangeResult[] = asked.map(() => ({ ok: true, observations: [] }));
  const checked = await check(asked, taken, new Set(asked.map((_, index) => index)));
  const answers = requests.map((request) => unknown(request));
  single.forEach((index, position) => {
    const result = checked[position]!;
    const refused = !result.ok && result.error instanceof GatewayError && result.error.code === 'PROVIDER_REJECTED' && result.applied.every((applied) => !applied);
    answers[index] = refused ? result : unknown(requests[index]!);
  });
  return answers;
}
