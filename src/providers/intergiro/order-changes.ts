import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { IntergiroClient } from './client.js';
import type { IntergiroChangeResponse, IntergiroEvent, IntergiroEventCreatable } from './wire.js';
import { changeOrders, retryRefusedCaptures, type CaptureWord } from './capture-word.js';
import { isFailedEvent, sameEventKind } from './amounts.js';
import { observationOfAppliedChange, rejectionDetailsOfFail, toChangeBody, toEventCreatable } from './mapping.js';
import { checkEchoedChanges, unshownLeftOut } from './echo-read-back.js';
import type { WallClockReading } from './dates.js';
import { answerRefusedBatch, type ReadBack } from './refused-batch.js';
import { UnknownChangeErrorAt200 } from './change-error-at-200.js';
import { refusalsShownAfterErrorAt200 } from './error-at-200-read-back.js';

/**
 * applyOrderChanges: one PATCH /v1/order for every order of the call (Intergiro takes several
 * orders per request), each element answered from its own echo. A refusal of the whole request
 * that held more than one event may have come after some of them were carried out: each order is
 * then read back (`read`, refused-batch.ts) before anything is answered refused. A capture or
 * cancel echoed without a `fail` is read back too (echo-read-back.ts), and captures refused one by
 * one may be the capture word's doing (capture-word.ts).
 */
export async function applyIntergiroOrderChanges(
  client: IntergiroClient,
  requests: OrderChangeRequest[],
  capture: CaptureWord = { word: 'charge' },
  read?: (order: Order) => Promise<ReadBack | null>,
): Promise<OrderChangeResult[]> {
  const body = toChangeBody(requests);
  const sentAt = Date.now();
  let answer: IntergiroChangeResponse;
  try {
    answer = await changeOrders(client, body, capture);
  } catch (error) {
    // Round twenty-four: an Error at 200 that says neither refused nor turned away: what the orders show refused is refused.
    if (read && error instanceof UnknownChangeErrorAt200) {
      return refusalsShownAfterErrorAt200(requests, error, (asked, results, leftOut) =>
        checkEchoedChanges(asked, results, read, sentAt, () => client.clockAheadMs, leftOut, () => client.wallClock),
      );
    }
    const events = body.reduce((count, { event }) => count + event.length, 0);
    if (!read || events < 2 || !(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
    return answerRefusedBatch(requests, error, read);
  }
  // Intergiro's clock against the gateway's, as its answers show it (client.ts clockAheadMs), to date its events.
  const clockAhead = () => client.clockAheadMs;
  // Its zoneless wall clock's offset as its latest creation showed it (client.ts wallClock, round nineteen).
  const wallClock = () => client.wallClock;
  const results = await answered(requests, answer, sentAt, read, clockAhead, wallClock);
  return retryRefusedCaptures(client, requests, results, capture, (retried, again) => answered(retried, again, Date.now(), read, clockAhead, wallClock));
}

/** Each element answered from its own echo in a 200's answer (and read back where the echo says nothing). */
async function answered(
  requests: OrderChangeRequest[],
  answer: IntergiroChangeResponse,
  sentAt: number,
  read?: (order: Order) => Promise<ReadBack | null>,
  clockAhead?: () => number,
  wallClock?: () => WallClockReading | undefined,
): Promise<OrderChangeResult[]> {
  const ids = requests.map(({ order }) => order.providerOrderId ?? '');
  const echoes = echoOf(answer, ids);
  // Orders the echo left out (leftOutOf): read back as if echoed, what the read shows decides.
  const leftOut = new Set<number>();
  const results = requests.map(({ order, changes }, index): OrderChangeResult => {
    let echoed = echoes[index];
    const asked = changes.map((change) => ({ ...toEventCreatable(change) }));
    if ((!echoed && leftOutOf(answer, ids, index)) || (echoed && carriedOutInPart(echoed.event, asked))) {
      echoed = { id: ids[index]!, event: asked };
      leftOut.add(index);
    }
    if (!echoed || echoed.event.length !== changes.length) {
      const error = providerUnavailable('Intergiro', new Error('PATCH answer does not match the request'));
      return { ok: false, error, observations: [], applied: changes.map(() => false) };
    }
    // Intergiro applies each event of the array on its own: a refused one is echoed as a
    // `fail` event and the others still take effect (CONTRACT §8), so all are accounted for.
    const observations: ProviderObservation[] = [];
    const applied: boolean[] = [];
    let refusal: GatewayError | undefined;
    let projected = order;
    for (const [position, change] of changes.entries()) {
      const event = echoed.event[position];
      if (!event || isFailedEvent(event)) {
        const details = rejectionDetailsOfFail(event?.error);
        refusal ??= new GatewayError('PROVIDER_REJECTED', details.message, details);
        applied.push(false);
        continue;
      }
      projected = projectOrderChange(projected, change);
      observations.push(observationOfAppliedChange(projected, change, event, position));
      applied.push(true);
    }
    return refusal ? { ok: false, error: refusal, observations, applied } : { ok: true, observations };
  });
  if (!read) return results.map((result, index) => (leftOut.has(index) ? unshownLeftOut(requests[index]!.changes.length) : result));
  return checkEchoedChanges(requests, results, read, sentAt, clockAhead, leftOut, wallClock);
}

/**
 * Whether the order `ids[index]` was left out of an echo of only the changes Intergiro carried out
 * (round sixteen's `echoCarriedOutOnly`): no element names it, and the answer names another order
 * of the request (so it is an echo of some of them, not an answer that names none). Answered
 * PROVIDER_UNAVAILABLE for that alone, a capture of an order cancelled at Intergiro, a cancel of
 * one charged there, a refund of more than it held were left pending (up to the pending bound)
 * though Intergiro had refused them and recorded so on the order (round seventeen). Such an order
 * is read back as an echoed change is (echo-read-back.ts), and its being left out is never taken
 * for "done": only a read that shows the change done answers it so.
 */
function leftOutOf(answer: IntergiroChangeResponse, ids: string[], index: number): boolean {
  const id = ids[index];
  // Round eighteen: an echo of none (`[]`), every change of the request refused. Read as an answer
  // that matches nothing, a capture of an order cancelled at Intergiro, alone in its call, was
  // PROVIDER_UNAVAILABLE (pending up to the pending bound) though Intergiro had refused it.
  if (answer.length === 0) return !!id;
  return !!id && !answer.some((element) => element.id === id) && answer.some((element) => element.id !== id && ids.includes(element.id));
}

/**
 * Whether an order's element echoes only some of the changes asked of it (round eighteen): fewer
 * events than were sent, none a failure, each of the kind of a change sent, in the order sent. An
 * echo of only the changes carried out (round sixteen) leaves a refused event out of its element:
 * of two refunds of one order, one more than Intergiro had left, the element held the other, and
 * both were PROVIDER_UNAVAILABLE (the answer "does not match the request"), the one Intergiro
 * refused left pending. Such an element is read back as a left-out order is: what the read shows
 * decides, and a change it does not show done is never taken for done.
 */
function carriedOutInPart(echoed: IntergiroEvent[], asked: IntergiroEventCreatable[]): boolean {
  if (echoed.length === 0 || echoed.length >= asked.length || echoed.some(isFailedEvent)) return false;
  let at = 0;
  for (const event of echoed) {
    while (at < asked.length && !sameEventKind(asked[at]!.type, event.type)) at++;
    if (at === asked.length) return false;
    at++;
  }
  return true;
}


/**
 * Each requested element's echo: the seed answers "the same changes you requested", so element i
 * where it names the same order; else the first element for that order not taken yet (an answer
 * in another order). Two elements for one order (two inputs of one call) each get their own;
 * before, both were answered from the first.
 */
function echoOf(answer: IntergiroChangeResponse, ids: string[]): (IntergiroChangeResponse[number] | undefined)[] {
  const taken = new Set<number>();
  const inPlace = ids.map((id, index) => (answer[index]?.id === id ? index : undefined));
  for (const index of inPlace) if (index !== undefined) taken.add(index);
  return ids.map((id, index) => {
    const own = inPlace[index];
    if (own !== undefined) return answer[own];
    const other = answer.findIndex((element, position) => element.id === id && !taken.has(position));
    // No element names the order at all: the one in its place, as before (the seed shows no id rule),
    // unless that element names another order of the request. An echo of only the changes carried
    // out (round sixteen) leaves out a refused order's element: the element in its place was the
    // other order's, so the refused order was answered from another's echo and the order whose
    // change went through from none (PROVIDER_UNAVAILABLE, a capture Intergiro made left pending).
    const inItsPlace = answer[index];
    const another = inItsPlace !== undefined && ids.includes(inItsPlace.id);
    const chosen = other >= 0 ? other : !answer.some((element) => element.id === id) && !taken.has(index) && !another ? index : -1;
    if (chosen < 0) return undefined;
    taken.add(chosen);
    return answer[chosen];
  });
}
