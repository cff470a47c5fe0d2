/**
 * ICM's REST error answers (CONTRACT §8: `{errors: [{code, message, status, causes}]}`): the
 * exception thrown anywhere in the sandbox to answer with one, and one constructor per case.
 * `status` is the HTTP status as a string, as ICM writes it.
 */
import type { IntershopSandboxError } from './wire.js';

export class IntershopSandboxFailure extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: IntershopSandboxError,
  ) {
    super(error.message);
  }
}

function failure(httpStatus: number, code: string, message: string, paths?: string[]): IntershopSandboxFailure {
  return new IntershopSandboxFailure(httpStatus, { code, message, status: String(httpStatus), ...(paths ? { paths } : {}) });
}

export const unauthorized = (): IntershopSandboxFailure =>
  failure(401, 'authentication.token.invalid.error', 'The authentication token is missing, invalid or expired.');

export const notFound = (what: string): IntershopSandboxFailure => failure(404, 'resource.not_found.error', `${what} could not be found.`);

export const malformed = (message: string, path?: string): IntershopSandboxFailure =>
  failure(400, 'request.body.invalid.error', message, path ? [path] : undefined);

export const basketNotFound = (basketId: string): IntershopSandboxFailure =>
  failure(422, 'basket.not_found.error', `The basket '${basketId}' could not be found or is no longer open.`, ['$.basket']);

export const termsNotAccepted = (): IntershopSandboxFailure =>
  failure(422, 'order.terms_and_conditions.not_accepted.error', 'The terms and conditions have to be accepted.', ['$.termsAndConditionsAccepted']);

export const redirectNotConfirmed = (): IntershopSandboxFailure =>
  failure(
    422,
    'order.creation.redirect.not_confirmed.error',
    'The payment service provider has not confirmed the payment of this redirect.',
    ['$.orderCreation.redirect'],
  );
