import { GatewayError, invalidState, providerUnavailable } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { IntergiroClient } from './client.js';
import type { IntergiroChangeResponse, IntergiroEventCreatable } from './wire.js';
import { isFailEvent } from './amounts.js';
import { observationOfAppliedChange, toEventCreatable } from './mapping.js';
import { answerRefusedBatch, type ReadBack } from './refused-batch.js';

/**
 * The Event Creatable's word for a capture. The seed shows none: its verbs are "capture, refund or
 * cancel" (Change an order), its callbacks tell of orders "charged"; CONTRACT §8 names `charge`.
 * An Intergiro that took the seed's verb refuses `charge` as an unknown type, so the adapter
 * remembers the word that was last taken (one per adapter, i.e. per Intergiro).
 */
export interface CaptureWord {
  word: 'charge' | 'capture';
}

/** The body with every capture's event under `word`. */
const withCaptureWord = (body: { id: string; event: IntergiroEventCreatable[] }[], word: CaptureWord['word']) =>
  body.map(({ id, event }) => ({ id, event: event.map((one) => (one.type === 'charge' || one.type === 'capture' ? { ...one, type: word } : one)) }));

/**
 * PATCH /v1/order of captures alone, refused as a whole under one word, tried once under the other.
 * Only a refusal of the whole request (a 4xx Error; a change Intergiro takes and cannot carry out
 * is answered 200 with a `fail` event) is retried, and only where the body holds nothing but
 * captures, so the money still moves once; an unavailable Intergiro (5xx, reset, timeout) is not. Where both words are refused
 * the first refusal stands (the order's own reason, as the gateway always said it).
 */
async function changeOrders(client: IntergiroClient, body: { id: string; event: IntergiroEventCreatable[] }[], capture: CaptureWord): Promise<IntergiroChangeResponse> {
  const first = capture.word;
  // Only a body of captures alone is sent again. The seed shows no refusal of a change: an
  // Intergiro that applies the elements one by one and answers 400 at the first it cannot carry
  // out has applied those before it, and a refund or cancel among them went twice. A capture sent
  // again is refused by the order's state (one charge per order) if the first one was taken.
  const capturesOnly = body.every(({ event }) => event.every((one) => one.type === 'charge' || one.type === 'capture'));
  try {
    return await client.changeOrders(withCaptureWord(body, first));
  } catch (error) {
    if (!capturesOnly || !(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
    const other = first === 'charge' ? 'capture' : 'charge';
    let answer: IntergiroChangeResponse;
    try {
      answer = await client.changeOrders(withCaptureWord(body, other));
    } catch (retried) {
      if (retried instanceof GatewayError && retried.code === 'PROVIDER_REJECTED') throw error;
      throw retried;
    }
    capture.word = other;
    return answer;
  }
}

/**
 * applyOrderChanges: one PATCH /v1/order for every order of the call (Intergiro takes several
 * orders per request), each element answered from its own echo. A refusal of the whole request
 * that held more than one event may have come after some of them were carried out: each order is
 * then read back (`read`, refused-batch.ts) before anything is answered refused.
 */
export async function applyIntergiroOrderChanges(
  client: IntergiroClient,
  requests: OrderChangeRequest[],
  capture: CaptureWord = { word: 'charge' },
  read?: (order: Order) => Promise<ReadBack | null>,
): Promise<OrderChangeResult[]> {
  const body = requests.map(({ order, changes }) => {
    if (!order.providerOrderId) throw invalidState('The order has no Intergiro id yet');
    return { id: order.providerOrderId, event: changes.map(toEventCreatable) };
  });
  let answer: IntergiroChangeResponse;
  try {
    answer = await changeOrders(client, body, capture);
  } catch (error) {
    const events = body.reduce((count, { event }) => count + event.length, 0);
    if (!read || events < 2 || !(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
    return answerRefusedBatch(requests, error, read);
  }
  const echoes = echoOf(answer, body.map(({ id }) => id));
  return requests.map(({ order, changes }, index): OrderChangeResult => {
    const echoed = echoes[index];
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
      if (!event || isFailEvent(event.type)) {
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
    // No element names the order at all: the one in its place, as before (the seed shows no id rule).
    const chosen = other >= 0 ? other : !answer.some((element) => element.id === id) && !taken.has(index) ? index : -1;
    if (chosen < 0) return undefined;
    taken.add(chosen);
    return answer[chosen];
  });
}

function rejectionDetailsOfFail(error: unknown): { message: string; providerCode: string; providerField?: string } {
  const parsed = error && typeof error === 'object' ? (error as { type?: unknown; error?: unknown; content?: { property?: unknown } }) : {};
  const code = typeof parsed.type === 'string' ? parsed.type : 'fail';
  const field = typeof parsed.content?.property === 'string' ? parsed.content.property : undefined;
  const reason = typeof parsed.error === 'string' ? parsed.error : code;
  return { message: `Intergiro refused the change: ${reason}`, providerCode: code, ...(field ? { providerField: field } : {}) };
}
