import { GraphQLError } from 'graphql';

/**
 * The error with its message rewritten: a new GraphQLError with the same location, path, cause and
 * extensions (GraphQLError's message cannot be changed in place); the error itself when the
 * rewrite changes nothing or it is not a GraphQLError. Used to take out what a message must not
 * carry (no-suggestions.ts: "Did you mean" hints; refused-values.ts: the values it refused).
 */
export function withRewrittenMessage<E extends Error>(error: E, rewrite: (message: string) => string): E | GraphQLError {
  const message = rewrite(error.message);
  if (message === error.message || !(error instanceof GraphQLError)) return error;
  return new GraphQLError(message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: error.extensions,
  });
}
