/**
 * Errors of the Dintero sandbox: Dintero answers `{error: {code, message, errors?}}` with the HTTP
 * status; anything inside the sandbox throws DinteroFailure to answer with one.
 */
import type { DinteroSandboxErrorBody } from './wire.js';

export class DinteroFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: DinteroSandboxErrorBody,
  ) {
    super(body.error.message);
  }
}

export const badRequest = (message: string, path?: string): DinteroFailure =>
  new DinteroFailure(400, { error: { code: 'BAD_REQUEST', message, ...(path ? { errors: [{ path, message }] } : {}) } });

export const unauthorized = (message: string): DinteroFailure => new DinteroFailure(401, { error: { code: 'UNAUTHORIZED', message } });

export const forbidden = (message: string): DinteroFailure => new DinteroFailure(403, { error: { code: 'FORBIDDEN', message } });

export const notFound = (message: string): DinteroFailure => new DinteroFailure(404, { error: { code: 'NOT_FOUND', message } });

export const conflict = (code: string, message: string): DinteroFailure => new DinteroFailure(409, { error: { code, message } });

export const internalError = (message: string): DinteroFailure => new DinteroFailure(500, { error: { code: 'INTERNAL_ERROR', message } });
