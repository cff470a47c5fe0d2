import { providerUnreached, type GatewayError } from '../../domain/errors.js';
import { comesBackLater } from '../http.js';

/**
 * The error for an answer by which Intergiro turned the request away before doing anything ("come
 * back later": 408, 425, 429, RFC 9110 / 8470 / 6585), or undefined for any other answer. Its HTTP
 * status says so, or, for an Error answered 2xx (round four: the seed names no HTTP status for an
 * Error), the Error's own `status`. Whatever body it carries (Intergiro's own Error, an API
 * gateway's `{message: "Too Many Requests"}`), it is PROVIDER_UNAVAILABLE saying nothing was taken
 * (notSent), never a refusal: the seed shows no limit, yet a platform that "highly recommends" the
 * listing's dates "to optimize behaviour" guards its resources. Read as Intergiro's Error, it was
 * PROVIDER_REJECTED (round sixteen): a card creation or a 3-D Secure resubmission throttled told the
 * shop the payment was refused, a refund was refused, and a capture was sent again at once under the
 * other capture word (capture-word.ts), a failed `capture` recorded on the order where Intergiro
 * takes only `charge`. Taken as not sent, the client's retry under the same key sends it once.
 */
export function turnedAway(httpStatus: number, errorStatus?: number): GatewayError | undefined {
  const status = comesBackLater(httpStatus) ? httpStatus : httpStatus >= 200 && httpStatus < 300 && errorStatus !== undefined && comesBackLater(errorStatus) ? errorStatus : undefined;
  return status === undefined ? undefined : providerUnreached('Intergiro', new Error(`HTTP ${status}: Intergiro turned the request away, come back later`));
}
