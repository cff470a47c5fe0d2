import { GatewayError } from '../../domain/errors.js';
import { readPastLag } from '../read-lag.js';
import { chainOf, chainStep } from './chain.js';
import type { IntershopClient } from './client.js';
import { includedPayments } from './mapping.js';
import { IntershopCreationStatus, type IntershopOrderDocument, type IntershopPaymentsDocument } from './wire.js';

/*
 * The reads that complete an ICM answer to a POST or PATCH: ICM's answer says where the order is,
 * a read (GET /orders/{id}, seed §2.3) may lag it, so such a read is asked again until it catches up.
 */

/**
 * The waits before each read again of a read that completes ICM's own answer while it is not there
 * yet or behind that answer (see readCaughtUp): a few hundred ms of lag between a node's write and
 * another's read. Four reads at most, 250 ms apart.
 */
export const CATCH_UP_WAITS_MS = [250, 250, 250];

/**
 * GET /orders/{id} right after ICM answered a POST or PATCH about that order, asked again (after
 * each of `waitsMs`, read-lag.ts readPastLag) while it answers 404 or `behindAnswer` says it is
 * behind: ICM's own answer says the order is there and where it is, so such a read is a node that
 * has not seen the change yet (seed §2.3 promises nothing of when a read shows a write). Before,
 * the first read was taken: a create answered `CONTINUE` kept no stop (its return URLs never
 * sent), and a COMPLETED answer without `included` took its payments' words from before the PSP
 * (a captured order AUTHORIZED for good). The last read is answered, whatever it says (null for 404).
 */
export function readCaughtUp(client: IntershopClient, orderId: string, behindAnswer: (read: IntershopOrderDocument) => boolean, waitsMs: readonly number[] = CATCH_UP_WAITS_MS): Promise<IntershopOrderDocument | null> {
  return readPastLag(() => client.getOrder(orderId), (read) => read === null || behindAnswer(read), waitsMs);
}

/**
 * A POST or PATCH answer whose chain says no state (`"status": "CONTINUE"`, the request's own word, while
 * ICM goes on; or another word no answer shows) is followed by one read of the order, which is
 * taken when it says where the chain is: its own `orderCreation` with a known word, or a final
 * statusCode. Otherwise the answer stands (the order keeps its status with an Info and is re-read
 * for a while). Before, the client was answered the stop before, with an unknown-word Info, until
 * the poller read the order. `fromStep`: the chain step (chain.ts chainStep) the PATCH was sent
 * at; a read still there (or before) is asked again (readCaughtUp), as one that has not seen the
 * PATCH yet, and the last read is taken all the same (a PSP's second Redirect stays at its step).
 */
export async function whereItStopped(client: IntershopClient, answer: IntershopOrderDocument, fromStep?: number, sentToPspPage = false): Promise<IntershopOrderDocument> {
  const chain = chainOf(answer.data, includedPayments(answer.data, answer.included));
  if ('creation' in chain && IntershopCreationStatus.safeParse(chain.creation.status).success) return answer;
  if ('stoppedForShop' in chain) return answer;
  try {
    const read = await readCaughtUp(client, answer.data.id, stillAt(fromStep, sentToPspPage));
    if (!read) return answer;
    const readChain = chainOf(read.data, includedPayments(read.data, read.included));
    const said = 'creation' in readChain && IntershopCreationStatus.safeParse(readChain.creation.status).success;
    return said && (read.data.orderCreation !== undefined || chainStep(readChain) === 4) ? read : answer;
  } catch (error) {
    if (error instanceof GatewayError) return answer;
    throw error;
  }
}

/**
 * The order as a read shows it, when that is past `step` of the chain (chain.ts chainStep);
 * otherwise null (also when the read fails). For a CONTINUE that ICM refused (a 4xx): seed §2.2
 * only promises a harmless CONTINUE once the chain is over, so an ICM may refuse one that answers
 * a stop it has already left (a retry after a lost answer: the URLs are set, the PSP answered).
 * The step was taken then, and the order is where the read says (before, the client was told
 * PROVIDER_REJECTED, or the first stop again, and the order stayed at a stop ICM had left).
 * A read not past the step is asked again (readCaughtUp): the refusal says ICM is elsewhere, and
 * a read from a node that has not seen the lost PATCH yet would otherwise refuse the client a
 * step ICM took (one refused for another reason costs those reads, under a second).
 */
export async function readPast(client: IntershopClient, orderId: string, step: number | undefined, sentToPspPage: boolean): Promise<IntershopOrderDocument | null> {
  if (step === undefined) return null;
  const past = (read: IntershopOrderDocument) => {
    const readStep = chainStep(chainOf(read.data, includedPayments(read.data, read.included), sentToPspPage));
    return readStep !== undefined && readStep > step;
  };
  try {
    const read = await readCaughtUp(client, orderId, (one) => !past(one));
    return read && past(read) ? read : null;
  } catch (error) {
    if (error instanceof GatewayError) return null;
    throw error;
  }
}

/**
 * The order after a CONTINUE that ICM took with a 2xx without a body (a 204: client.ts
 * continueOrder), read as ICM's answer would have said it: asked again (readCaughtUp) while the
 * read answers 404 or is still at (or before) `fromStep`, the chain step the PATCH was sent at (a
 * node that has not seen the PATCH yet, or a read lagging the writes); the last read is taken
 * all the same, null when it is still 404. Before, the first read was taken: behind the PATCH, a
 * continue with the return URLs answered the order still waiting for them (the buyer's return
 * from the PSP's page then INVALID_STATE), and one read before it showed a new order at all made
 * the continue PROVIDER_UNAVAILABLE, though ICM had taken it.
 */
export async function readAfterBodiless(client: IntershopClient, orderId: string, fromStep: number | undefined, sentToPspPage: boolean): Promise<IntershopOrderDocument | null> {
  return readCaughtUp(client, orderId, stillAt(fromStep, sentToPspPage));
}

/** Whether a read is still at (or before) `fromStep` of the chain: one that has not seen the PATCH sent there yet. */
function stillAt(fromStep: number | undefined, sentToPspPage: boolean): (read: IntershopOrderDocument) => boolean {
  return (read) => {
    const step = chainStep(chainOf(read.data, includedPayments(read.data, read.included), sentToPspPage));
    return fromStep !== undefined && step !== undefined && step <= fromStep;
  };
}

/**
 * The payments resource (method display names, amounts) for an answer about the order. It only
 * adds detail: when it cannot be read, the order's own document still counts (a create, a
 * continue or a reconcile does not fail for it), and a later read fills it in (its fact is keyed
 * apart, see mapping.ts observationKey).
 */
export async function paymentsOrNone(client: IntershopClient, orderId: string): Promise<IntershopPaymentsDocument | undefined> {
  try {
    return await client.getPayments(orderId);
  } catch (error) {
    if (error instanceof GatewayError) return undefined;
    throw error;
  }
}
