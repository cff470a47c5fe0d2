import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { ReturnUrls } from '../../domain/provider-port.js';
import { chainStep, type ChainReading } from './chain.js';
import { lastWordUnknown } from './mapping.js';
import { returnUrlsLookup, returnUrlsOf } from './return-urls.js';
import type { IntershopContinueRequest } from './wire.js';

/*
 * An order whose return URLs ICM answered with a stop the gateway does not know (seed §2.2: "The
 * order creation is continued and may stop for another reason"; an approval, a fraud check), which
 * ICM later leaves by itself for the PSP's page. Seed §3.2.3 reports the PSP's URL back in the
 * answer to a PATCH ("Afterwards the URL for redirecting the customer to the PSP can be generated
 * and is reported back"); a read need not carry it: an ICM whose reads carry no chain (round one)
 * reads such an order as one still waiting for its URLs (statusCode PENDING, payment Unprocessed),
 * and one whose reads carry the last answered chain (round five) shows the unknown stop for good.
 * Before, the order stayed ACTION_REQUIRED with `provider.unknown_status` until its watch ended (or,
 * chainless, its first re-read cleared the unknown word and ended the watch), the buyer never sent
 * to the PSP: no order of such an ICM could be paid without the client guessing it must send its
 * URLs again. The gateway keeps the URLs it sent with such an answer and, while reads say nothing
 * past that step, sends that same CONTINUE again: §2.2's end makes it harmless ("not harmed or
 * restarted. All steps of the chain are checked"), as a lost answer's resend already relies on
 * (return-urls.ts continueWithUrls), and its answer says where the chain stands.
 */

/** The observation of an answer to `request`, carrying the return URLs it sent when that answer had a word the gateway does not know. */
export function keepUrlsForUnsaidStop(observation: ProviderObservation, urls: ReturnUrls | IntershopContinueRequest | undefined): ProviderObservation {
  if (!urls || observation.providerData?.intershopUnknownWord !== true) return observation;
  const kept = 'orderCreation' in urls ? urlsOfRequest(urls) : returnUrlsLookup(urls);
  if (!kept.successUrl) return observation;
  return { ...observation, providerData: { ...observation.providerData, intershopUnsaidStopUrls: kept } };
}

/** The return URLs to send again (see above): the order's latest answer had an unknown word, by the gateway's record it still waits for its URLs (or, made by a create so answered, has no stop yet), and they were kept. */
export function urlsToSendAgain(order: Order): ReturnUrls | undefined {
  if (!lastWordUnknown(order.providerData) || order.creation.status !== 'STOPPED') return undefined;
  // A create's answer leaves the new order without a stop; a continue's keeps the one it was sent at.
  const stop = order.creation.stopAction;
  if (stop && (stop.type !== 'WORKFLOW' || stop.reason !== 'redirect_urls_required')) return undefined;
  const kept = order.providerData.intershopUnsaidStopUrls;
  if (typeof kept !== 'object' || kept === null) return undefined;
  const { successUrl, cancelUrl, failureUrl } = kept as Record<string, unknown>;
  if (typeof successUrl !== 'string' || typeof cancelUrl !== 'string' || typeof failureUrl !== 'string') return undefined;
  return returnUrlsOf({ successUrl, cancelUrl, failureUrl });
}

/**
 * Whether a read's chain step (chain.ts chainStep) is past the unknown stop: at the PSP's page or
 * later. A read before it (chainless: waiting for the URLs) or at it (the last answered chain), or
 * one whose step is not said, says nothing new, and the URLs are sent again.
 */
export function pastUnsaidStop(readStep: number | undefined): boolean {
  return readStep !== undefined && readStep >= 2;
}

/**
 * Whether a read stands at the PSP's page without naming its URL (round twenty): §3.2.3 reports
 * the URL back in the answer to a PATCH, and a read need not carry it (round four's
 * `readsOmitRedirectUrl`). Past the unknown stop, such a read still leaves the gateway with no page
 * to send the buyer to: the URLs are sent again (harmless, §2.2's end), and that answer names it.
 * Before, at an ICM whose chain stopped for another reason first and whose reads leave the PSP's
 * URL out, the order stayed waiting for its URLs for good, the buyer never sent to pay.
 */
export function atPspWithoutUrl(chain: ChainReading): boolean {
  if (!('creation' in chain)) return false;
  const { stopAction, redirect } = chain.creation;
  return chainStep(chain) === 2 && !stopAction?.redirectUrl && !redirect?.redirectUrl;
}

function urlsOfRequest(request: IntershopContinueRequest): Record<string, string> {
  const redirect = request.orderCreation.redirect;
  return 'successUrl' in redirect ? { ...redirect } : {};
}
