import { GraphQLError } from 'graphql';
import { GatewayError, type ErrorCode } from '../domain/errors.js';
import type { Logger } from '../log.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

/** The GatewayError behind a GraphQL error, if any (resolvers' errors arrive wrapped). */
export function gatewayErrorOf(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof GatewayError) return current;
    current = current instanceof GraphQLError ? current.originalError : current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

export function gatewayErrorExtensions(error: GatewayError): Record<string, unknown> {
  const { field, providerCode, providerField, correlationId } = error.details;
  const status = HTTP_STATUS[error.code];
  return {
    code: error.code,
    ...(field !== undefined ? { field } : {}),
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(providerField !== undefined ? { providerField } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
    ...(status ? { http: { status } } : {}),
  };
}

/**
 * Yoga's maskError: a GatewayError becomes a GraphQLError with the contract's code and details;
 * GraphQL's own errors (parse, validation, coercion) pass unchanged; anything else is a bug,
 * logged and answered with a bare "Unexpected error." so no stack or secret leaves the gateway.
 */
export function createMaskError(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const gatewayError = gatewayErrorOf(error);
    if (gatewayError) {
      const located = error instanceof GraphQLError ? error : undefined;
      return new GraphQLError(gatewayError.message, {
        ...(located?.nodes ? { nodes: located.nodes } : {}),
        ...(located?.path ? { path: located.path } : {}),
        extensions: gatewayErrorExtensions(gatewayError),
      });
    }
    if (error instanceof GraphQLError && !error.originalError) return error;
    if (error instanceof GraphQLError && error.originalError instanceof GraphQLError) return error.originalError;
    logger.log('error', 'unexpected error', {
      error: error instanceof GraphQLError ? (error.originalError ?? error) : error,
      path: error instanceof GraphQLError ? error.path : undefined,
    });
    return new GraphQLError(message, {
      ...(error instanceof GraphQLError && error.path ? { path: error.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
