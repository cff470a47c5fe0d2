/**
 * Errors of the Pei sandbox, in ASP.NET Web API's shape (Pei's API is a .NET Web API): thrown
 * anywhere inside the sandbox and answered as `{ message, modelState? }` with the HTTP status.
 */
import type { PeiSandboxError } from './wire.js';

export class PeiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: PeiSandboxError,
  ) {
    super(body.message);
  }
}

/** Collects field errors the way model binding does, then fails once with all of them. */
export class ModelState {
  private readonly errors: Record<string, string[]> = {};

  add(key: string, message: string): void {
    (this.errors[key] ??= []).push(message);
  }

  get valid(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** Throws the 400 "The request is invalid." when any field failed. */
  throwIfInvalid(): void {
    if (!this.valid) throw new PeiFailure(400, { message: 'The request is invalid.', modelState: this.errors });
  }
}

export const invalidRequest = (key: string, message: string): PeiFailure =>
  new PeiFailure(400, { message: 'The request is invalid.', modelState: { [key]: [message] } });

export const unauthorized = (): PeiFailure => new PeiFailure(401, { message: 'Authorization has been denied for this request.' });

export const forbidden = (message: string): PeiFailure => new PeiFailure(403, { message });

export const notFound = (message: string): PeiFailure => new PeiFailure(404, { message });

export const conflict = (message: string): PeiFailure => new PeiFailure(409, { message });
