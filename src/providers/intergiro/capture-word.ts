import { GatewayError } from '../../domain/errors.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { IntergiroClient } from './client.js';
import { toChangeBody } from './mapping.js';
import type { IntergiroChangeBody, IntergiroChangeResponse } from './wire.js';

/**
 * The Event Creatable's word for a capture. The seed shows none: its verbs are "capture, refund or
 * cancel" (Change an order), its callbacks tell of orders "charged"; CONTRACT §8 names `charge`.
 * An Intergiro that took the seed's verb refuses `charge` as an unknown type, so the adapter
 * remembers the word that was last taken (one per adapter, i.e. per Intergiro).
 */
export interface CaptureWord {
  word: 'charge' | 'capture';
  /** A capture under `word` went through since the gateway started: a refused one is then not the word's doing. */
  taken?: boolean;
}

const otherWord = (word: CaptureWord['word']): CaptureWord['word'] => (word === 'charge' ? 'capture' : 'charge');
const isCaptureWord = (type: string): boolean => type === 'charge' || type === 'capture';

/** The body with every capture's event under `word`. */
const withCaptureWord = (body: IntergiroChangeBody, word: CaptureWord['word']) =>
  body.map(({ id, event }) => ({ id, event: event.map((one) => (isCaptureWord(one.type) ? { ...one, type: word } : one)) }));

/**
 * PATCH /v1/order of captures alone, refused as a whole under one word, tried once under the other.
 * Only a refusal of the whole request (a 4xx Error) is retried here, and only where the body holds
 * nothing but captures, so the money still moves once; an unavailable Intergiro (5xx, reset,
 * timeout) is not. Where both words are refused the first refusal stands (the order's own reason,
 * as the gateway always said it). Captures refused one by one: retryRefusedCaptures.
 */
export async function changeOrders(client: IntergiroClient, body: IntergiroChangeBody, capture: CaptureWord): Promise<IntergiroChangeResponse> {
  const first = capture.word;
  // Only a body of captures alone is sent again. The seed shows no refusal of a change: an
  // Intergiro that applies the elements one by one and answers 400 at the first it cannot carry
  // out has applied those before it, and a refund or cancel among them went twice. A capture sent
  // again is refused by the order's state (one charge per order) if the first one was taken.
  const capturesOnly = body.every(({ event }) => event.every((one) => isCaptureWord(one.type)));
  try {
    return await client.changeOrders(withCaptureWord(body, first));
  } catch (error) {
    if (!capturesOnly || !(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') throw error;
    const other = otherWord(first);
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
 * Elements of captures alone that Intergiro took and refused one by one (a `fail` echoed, or read
 * back after the echo, echo-read-back.ts) while no capture has gone through
 * under the word in use: an Intergiro that takes only the other word records the capture as a
 * failed event of an unknown type. They are sent once more under the other word, as a PATCH of
 * captures refused as a whole is (changeOrders); nothing was charged (one charge per order, and
 * the answer said this one failed), so nothing moves twice. Taken, the other word is used from
 * then on; refused again, the first refusal stands; unanswered, the outcome is unknown (the error).
 */
export async function retryRefusedCaptures(
  client: IntergiroClient,
  requests: OrderChangeRequest[],
  results: OrderChangeResult[],
  capture: CaptureWord,
  answered: (requests: OrderChangeRequest[], answer: IntergiroChangeResponse) => Promise<OrderChangeResult[]>,
): Promise<OrderChangeResult[]> {
  const capturing = (index: number) => requests[index]!.changes.some((change) => change.type === 'CAPTURE');
  if (results.some((result, index) => result.ok && capturing(index))) capture.taken = true;
  if (capture.taken) return results;
  const refused = results.flatMap((result, index) =>
    !result.ok && result.error instanceof GatewayError && result.error.code === 'PROVIDER_REJECTED' && requests[index]!.changes.every((change) => change.type === 'CAPTURE') ? [index] : [],
  );
  if (!refused.length) return results;
  // Each carrying what the read of its refusal listed (its failed charge under the first word), so
  // that a read back of the retry that lags is not taken for a failure of the retry (echo-read-back.ts).
  const retried = refused.map((index) => withReadKnown(requests[index]!, results[index]!));
  const other = otherWord(capture.word);
  const body = withCaptureWord(toChangeBody(retried), other);
  let again: OrderChangeResult[];
  try {
    again = await answered(retried, await client.changeOrders(body));
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return results;
    again = retried.map(({ changes }) => ({ ok: false, error: error instanceof Error ? error : new Error(String(error)), observations: [], applied: changes.map(() => false) }));
  }
  const merged = [...results];
  refused.forEach((index, position) => {
    const answer = again[position];
    if (answer && (answer.ok || !(answer.error instanceof GatewayError) || answer.error.code !== 'PROVIDER_REJECTED')) merged[index] = answer;
  });
  if (again.some((answer) => answer.ok)) Object.assign(capture, { word: other, taken: true });
  return merged;
}

/** The request with what its answer's last read said of the order (providerData) merged in, as recording it would. */
function withReadKnown(request: OrderChangeRequest, result: OrderChangeResult): OrderChangeRequest {
  const known = result.observations.at(-1)?.providerData;
  return known ? { ...request, order: { ...request.order, providerData: { ...request.order.providerData, ...known } } } : request;
}
