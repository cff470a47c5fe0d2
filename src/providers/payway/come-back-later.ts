import type { PaywayError } from './wire.js';

/**
 * Whether Payway's own error answer turned the request away for now, so that nothing was placed
 * and the same request may be sent again (PROVIDER_UNAVAILABLE, sent nothing), rather than refused
 * it (PROVIDER_REJECTED) or left its outcome unknown.
 *
 * The seed: "The error response is sent as application/JSON and will have an HTTP status code
 * ranging between 400-500. An error message will contain these properties in every response."
 * A Payway under load or in maintenance therefore answers its 503 ("service unavailable", RFC
 * 9110: the server could not handle the request now, often with `Retry-After`) with that body
 * too, as a maintenance middleware in front of its controllers does. Round eighteen: such an
 * answer was taken for a lost answer, so the client's retry with the same idempotency key was
 * PROVIDER_UNAVAILABLE until the creation's intent expired (a day: no event ever comes for a
 * purchase never placed), and the attempt stayed a candidate for its merchant reference's
 * events, so under a reused reference the next purchase's order_closed was refused (400 on every
 * delivery, that purchase PENDING though Payway charged it).
 *
 * Only a 503 whose body shows no sign of Adyen: a third-party error (seed: only those carry a
 * `correlation_id`; wire.ts also takes Adyen's pspReference for one) or Adyen's result in its
 * troubleshooting data says the purchase reached Adyen, and is read as the 500 of round seven
 * is (outcome unknown, or the refusal Adyen's result says). A 503 without Payway's body (a proxy,
 * which may answer so after Payway took the request) stays a lost answer.
 *
 * 408, 425 and 429 are the shared "come back later" (providers/http.ts turnedAway), whatever body.
 */
export function paywayTurnedAway(status: number, error: PaywayError): boolean {
  return status === 503 && !error.correlation_id && error.adyen_result === undefined;
}
