import { createHmac } from 'node:crypto';
import { sameSecret } from '../../same-secret.js';

/*
 * The postback URL each order is submitted with names its gateway order and carries a MAC of it
 * (`?order=<id>&sig=<MAC>`). Pei's postback is unsigned and the seed leaves its order read's output
 * empty: a Pei whose read does not say the order is confirmed (no status word, no purchase) can
 * only be believed through this URL, which only Pei and the gateway know (the buyer never sees it).
 * The key is derived from PEI_CLIENT_SECRET, which every instance has; a postback to a URL whose
 * MAC does not hold vouches for nothing and is judged by the read alone, as before.
 */

export const ORDER_PARAMETER = 'order';
export const MAC_PARAMETER = 'sig';

/** The MAC key for postback URLs, from the client secret (never the secret itself). */
export function postbackKey(clientSecret: string): Buffer {
  return createHmac('sha256', clientSecret).update('pei postback url v1').digest();
}

function macOf(key: Buffer, orderId: string): string {
  return createHmac('sha256', key).update(orderId).digest('base64url');
}

/** `base` with the gateway order and its MAC. */
export function signedPostbackUrl(base: string, key: Buffer, orderId: string): string {
  const url = new URL(base);
  url.searchParams.set(ORDER_PARAMETER, orderId);
  url.searchParams.set(MAC_PARAMETER, macOf(key, orderId));
  return url.toString();
}

/**
 * The gateway order a postback's URL vouches for, when its MAC holds.
 *
 * Round twelve: the MAC is read up to the first character base64url does not use. The seed's
 * PostbackUrl is "A URL that the Order ID and more will be posted to", and a Pei adding the order
 * id to it by string concatenation (`${postbackUrl}?orderId=...`, a second `?`) leaves its text in
 * the last parameter's value, the MAC's (`sig=<MAC>?orderId=...`). Before, such a URL vouched for
 * nothing: Pei's confirmation was refused where its read cannot say, and its `Declined` was judged
 * as anyone's postback, so a declined charge's read made the order CAPTURED. The MAC itself is
 * compared whole, as before: what follows it vouches for nothing.
 */
export function vouchedOrder(query: URLSearchParams, key: Buffer): string | undefined {
  const orderId = query.get(ORDER_PARAMETER);
  const given = /^[A-Za-z0-9_-]*/.exec(query.get(MAC_PARAMETER) ?? '')?.[0];
  if (!orderId || !given) return undefined;
  return sameSecret(given, macOf(key, orderId)) ? orderId : undefined;
}
