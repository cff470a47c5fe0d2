import { GatewayError } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import { chainOf, chainStep, orderStatusWord } from './chain.js';
import type { IntershopClient } from './client.js';
import { includedPayments, withoutPspUrl } from './mapping.js';
import { stepBehind } from './order-step.js';
import { CATCH_UP_WAITS_MS, readCaughtUp } from './read-back.js';
import type { IntershopOrderDocument } from './wire.js';

/** What an answer is completed with: ICM, and the adapter's own record of the answers it completed behind. */
export interface IntershopReads {
  readonly client: IntershopClient;
  /**
   * The documents withPaymentWords completed with payment words from before the answer (a read
   * behind it for longer than readCaughtUp asks, or none): their facts carry `intershopWordsBehind`
   * (marked), and such an order is read again (needsReconciliation). Before, a COMPLETED answer
   * without `included` from an ICM whose reads lag more than a second kept the words of a read
   * from before the PSP: a captured order AUTHORIZED for good (a placed order is not re-read).
   */
  readonly wordsBehind: WeakSet<IntershopOrderDocument>;
}

/**
 * Seed §3.2.3/§3.2.4 show PATCH answers without `included`, so without the payments' status
 * words: a COMPLETED chain would then read as unpaid (PENDING).
 * Seed §2.3: GET /orders/{id} answers the order "together with the requested includes", so an
 * answer that names payments it does not include is completed by that read (when it fails, the
 * answer stands as it is).
 */
export async function withPaymentWords({ client, wordsBehind }: IntershopReads, document: IntershopOrderDocument): Promise<IntershopOrderDocument> {
  const completed = await completedWithWords(client, document);
  // A COMPLETED answer whose payments' words came from no read, or from one still behind it: the
  // words are from before the PSP (or none), so the order is read again (see wordsBehind).
  const answered = chainOf(document.data, includedPayments(document.data, document.included));
  if (completed.behind && 'creation' in answered && answered.creation.status === 'COMPLETED') wordsBehind.add(completed.document);
  return completed.document;
}

/** The fact of `document`, marked `intershopWordsBehind` when withPaymentWords completed it with words behind its answer (see wordsBehind). */
export function marked({ wordsBehind }: Pick<IntershopReads, 'wordsBehind'>, document: IntershopOrderDocument, observation: ProviderObservation): ProviderObservation {
  return wordsBehind.has(document) ? { ...observation, providerData: { ...observation.providerData, intershopWordsBehind: true } } : observation;
}

/** withPaymentWords' work; `behind`: the words are not from a read that caught up with the answer. */
async function completedWithWords(client: IntershopClient, document: IntershopOrderDocument): Promise<{ document: IntershopOrderDocument; behind: boolean }> {
  const included = document.included?.payments;
  // An answer that names no payments at all (§2.2's PATCH answer elides all but `orderCreation`)
  // is read too: before, a COMPLETED one kept no payment word (AUTHORIZED, its payment PENDING,
  // for good, whatever ICM's word was). So is one that names an empty list: every ICM order is
  // paid by at least its open tender (§3.1), so `"payments": []` is a list the answer did not
  // fill in (a Java DTO's empty default); before, a COMPLETED one was AUTHORIZED with no payment
  // word, a captured order for good.
  const named = document.data.payments;
  if (named?.length && named.every((id) => included?.[id])) return { document, behind: false };
  try {
    // A read behind the answer is asked again: by its own chain, or, without one, when its
    // statusCode is not the answer's (an ICM that keeps PENDING after COMPLETED, §3.2.4, has
    // reads that look behind for good). A rolled-back order's payments are voided whatever their
    // words: read once (ICM may have removed it, seed §3.2.5 "the basket restored").
    const answered = chainOf(document.data, includedPayments(document.data, document.included));
    const over = 'creation' in answered && answered.creation.status === 'ROLLED_BACK';
    const lagging = (one: IntershopOrderDocument) => behind(one, document) && (one.data.orderCreation !== undefined || (codeOf(document) !== undefined && codeOf(one) !== codeOf(document)));
    const read = await readCaughtUp(client, document.data.id, lagging, over ? [] : CATCH_UP_WAITS_MS);
    if (!read) return { document, behind: true };
    // A GET without the chain (chain.ts), or one behind the answer it completes (served by a node
    // that has not seen the PATCH yet: it would send the buyer back a step): the answer's chain
    // stands (the PSP's URL is only there), the read adds the payments.
    // A read at the PSP's page without its URL (mapping.ts withoutPspUrl) does not stand for an
    // answer that has the URL: the answer's chain stands.
    const urlless = (one: IntershopOrderDocument) => {
      const chain = chainOf(one.data, includedPayments(one.data, one.included));
      return 'creation' in chain && withoutPspUrl(chain.creation);
    };
    const loses = urlless(read) && !urlless(document);
    if (!document.data.orderCreation || (read.data.orderCreation && !behind(read, document) && !loses)) return { document: read, behind: lagging(read) };
    const merged: IntershopOrderDocument = {
      ...read,
      data: { ...read.data, orderCreation: document.data.orderCreation, ...(document.data.statusCode !== undefined ? { statusCode: document.data.statusCode } : {}), ...(document.data.status !== undefined ? { status: document.data.status } : {}) },
      ...(document.infos ? { infos: document.infos } : {}),
    };
    return { document: merged, behind: lagging(read) };
  } catch (error) {
    if (error instanceof GatewayError) return { document, behind: true };
    throw error;
  }
}

/** A document's statusCode as compared (letter case and spaces aside); undefined when it has none. */
function codeOf(document: IntershopOrderDocument): string | undefined {
  return orderStatusWord(document.data)?.trim().toUpperCase();
}

/** Whether `read` is an earlier step of the chain than `answer` (chain.ts chainStep). */
function behind(read: IntershopOrderDocument, answer: IntershopOrderDocument): boolean {
  const step = (document: IntershopOrderDocument) => chainStep(chainOf(document.data, includedPayments(document.data, document.included)));
  return stepBehind(step(read), step(answer));
}
