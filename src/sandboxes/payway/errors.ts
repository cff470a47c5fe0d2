/**
 * Payway's error answers in the sandbox (seed "Errors"): HTTP 400-500, JSON with every property
 * present — `code`, `field`, `message`, `correlation_id` (null unless a third party, Adyen, erred).
 */
import { randomUUID } from 'node:crypto';

export interface PaywaySandboxErrorBody {
  code: string;
  field: string | null;
  message: string;
  correlation_id: string | null;
}

/** Thrown anywhere inside the sandbox to answer with a Payway error body. */
export class PaywayFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: PaywaySandboxErrorBody,
  ) {
    super(body.message);
  }
}

export const invalidParameter = (field: string, message: string): PaywayFailure =>
  new PaywayFailure(400, { code: 'invalid_parameter', field, message, correlation_id: null });

export const notFound = (code: string, field: string | null, message: string): PaywayFailure =>
  new PaywayFailure(404, { code, field, message, correlation_id: null });

export const unauthorized = (): PaywayFailure =>
  new PaywayFailure(401, { code: 'unauthorized', field: null, message: 'A valid bearer token with identity is required', correlation_id: null });

/** Adyen refused the payment: a third-party error, so it carries a correlation id. */
export const refused = (message: string): PaywayFailure =>
  new PaywayFailure(400, { code: 'payment_refused', field: 'payment_method', message, correlation_id: randomUUID() });

/**
 * Adyen answered the request with an error that does not end the purchase (a detail it could not
 * read): a third-party error, so it carries a correlation id too (ASSUMED code and status).
 */
export const thirdPartyError = (field: string, message: string): PaywayFailure =>
  new PaywayFailure(422, { code: 'third_party_error', field, message, correlation_id: randomUUID() });
