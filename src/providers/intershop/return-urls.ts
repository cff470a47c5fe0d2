import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { CreationLookup, ReturnUrls } from '../../domain/provider-port.js';
import { chainOf } from './chain.js';
import type { IntershopClient } from './client.js';
import { includedPayments } from './mapping.js';
import { readAfterBodiless, readPast, whereItStopped } from './read-back.js';
import { redirectUrlsRequest } from './request.js';
import type { IntershopOrderDocument } from './wire.js';

/**
 * The order exists at ICM once POST /orders answered: a failing follow-up PATCH must not lose it.
 * A PATCH whose answer was lost (PROVIDER_UNAVAILABLE: reset, 5xx, timeout) may have been taken,
 * and ICM then waits at the PSP's page, which only a PATCH answer shows (a read may carry no
 * chain): it is sent once more, which seed §2.2's end makes harmless (a CONTINUE after the chain
 * went on answers its state, "not harmed or restarted"). When ICM refuses it, or the second is
 * lost too, the client is told the first stop (redirect_urls_required) and continues itself.
 */
export async function continueWithUrls(client: IntershopClient, document: IntershopOrderDocument, returnUrls: ReturnUrls | undefined): Promise<IntershopOrderDocument> {
  if (!returnUrls || !wantsUrlsOrMaySay(document)) return document;
  const request = redirectUrlsRequest(returnUrls, 'input.returnUrls');
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      const answer = (await client.continueOrder(document.data.id, request)) ?? (await readAfterBodiless(client, document.data.id, 0, false));
      if (!answer) throw providerUnavailable('Intershop', new Error('the order continued without a body is not found'));
      return await whereItStopped(client, answer, 0);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      if (error.code !== 'PROVIDER_UNAVAILABLE') return (await readPast(client, document.data.id, 0, false)) ?? document;
    }
  }
  return document;
}

/**
 * Whether the order's answer waits for the return URLs (redirect_urls_required), or stops at one of
 * the two stops that wait on the shop without saying which (chain.ts stoppedForShop: no chain, its
 * statusCode PENDING beside the payment word §3.2.5's table itself writes at both stops, PENDING,
 * where §2.2's example writes `Unprocessed`). Only a read says the latter (a lost or bodiless
 * create's order found in the list, at an ICM whose reads carry no chain); a PATCH answer carries
 * the chain. The URLs are sent to it too: at the URLs' stop they are what ICM waits for, and
 * anywhere else a CONTINUE is harmless (seed §2.2's end: "not harmed or restarted. All steps of the
 * chain are checked and the final state returned"; one refused stands for nothing, the read stays).
 * Before, such an order was ACTION_REQUIRED with no stop, its URLs never sent and the client's own
 * refused (INVALID_STATE): ICM waited for them for good, its basket taken, the order never paid.
 */
function wantsUrlsOrMaySay(document: IntershopOrderDocument): boolean {
  const chain = chainOf(document.data, includedPayments(document.data, document.included));
  if ('stoppedForShop' in chain) return true;
  return 'creation' in chain && chain.creation.stopAction?.exitReason === 'redirect_urls_required';
}

/** The client's return URLs as a creation's intent keeps them (flat JSON); nothing when it gave none. */
export function returnUrlsLookup(urls: ReturnUrls | undefined): Record<string, string> {
  if (!urls?.success || !urls.cancel || !urls.failure) return {};
  return { successUrl: urls.success, cancelUrl: urls.cancel, failureUrl: urls.failure };
}

/** The return URLs a creation's intent kept (returnUrlsLookup), or none. */
export function returnUrlsOf(lookup: CreationLookup): ReturnUrls | undefined {
  const { successUrl, cancelUrl, failureUrl } = lookup;
  if (typeof successUrl !== 'string' || typeof cancelUrl !== 'string' || typeof failureUrl !== 'string') return undefined;
  return { success: successUrl, cancel: cancelUrl, failure: failureUrl };
}
