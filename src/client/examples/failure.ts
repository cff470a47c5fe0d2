import { GraphQLRequestError } from '../request.js';

/**
 * One line for whatever stopped an example script: a GraphQL error's code and message, a
 * WebSocket close code and reason (graphql-ws hands over the close event itself, whose default
 * printing is a dump of the socket), or an error's message and cause. Never a stack.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof GraphQLRequestError) return `GraphQL error${error.code ? ` ${error.code}` : ''}: ${error.message}`;
  if (typeof error === 'object' && error !== null) {
    const { code, reason, message, cause } = error as { code?: unknown; reason?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'number') return `WebSocket closed with ${code}${typeof reason === 'string' && reason ? `: ${reason}` : ''}`;
    if (typeof message === 'string') {
      // fetch's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, ...).
      const why = (cause as { code?: unknown; message?: unknown } | undefined)?.code ?? (cause as { message?: unknown } | undefined)?.message;
      return typeof why === 'string' && why ? `${message} (${why})` : message;
    }
  }
  return String(error);
}

/** Runs an example's main: on failure one line on stderr and exit code 1. */
export async function runExample(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(describeFailure(error).split('\n')[0]);
    process.exitCode = 1;
  }
}
