/**
 * Gracely errors of the Intergiro sandbox: the exception thrown anywhere inside it to answer with
 * an Intergiro error body, and one constructor per error type it uses.
 */
import type { IntergiroSandboxError } from './wire.js';

/** Thrown inside the sandbox to answer with a gracely error body. */
export class GracelyFailure extends Error {
  constructor(readonly body: IntergiroSandboxError) {
    super(body.content?.description ?? body.error ?? body.type);
  }
}

export function malformed(property: string, type: string, description: string, details?: unknown): GracelyFailure {
  const content = details === undefined ? { property, type, description } : { property, type, description, details };
  return new GracelyFailure({ status: 400, type: 'malformed content', content });
}

export function notFound(error: string): GracelyFailure {
  return new GracelyFailure({ status: 404, type: 'not found', error });
}

export function notAllowed(error: string): GracelyFailure {
  return new GracelyFailure({ status: 409, type: 'not allowed', error });
}

export function unauthorized(error: string): GracelyFailure {
  return new GracelyFailure({ status: 401, type: 'not authorized', error });
}
