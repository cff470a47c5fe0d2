import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js parses recursively: about 2,000 nested `[`, `{` or selection sets (some 4,000
 * tokens, under the token limit) overflow the stack before graphql-armor's depth rule ever sees
 * the document. The RangeError used to reach the error mask as a bug: `INTERNAL_SERVER_ERROR`
 * and an error-level log line, for any anonymous client. Here it is what it is, a document the
 * gateway refuses to parse: a syntax error (HTTP 400, `GRAPHQL_PARSE_FAILED`) over HTTP and SSE,
 * an error for that operation over graphql-ws (the socket stays).
 *
 * Wraps whatever parse function the plugins before it settled on (the token limit's), so it must
 * come after useQueryLimits.
 */
export function useDeepDocumentRefusal(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (error instanceof RangeError) throw new GraphQLError('Syntax Error: the document is nested too deeply');
          throw error;
        }
      });
    },
  };
}
