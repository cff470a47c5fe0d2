import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useQueryCostLimit } from './query-cost.js';

/**
 * How big a document may be. Every document the gateway's clients send (test/support/documents.ts,
 * GraphiQL's walk-through, GraphiQL's own introspection query) fits with room to spare; a
 * document built to make the server work hard (deep nesting, thousands of fields, aliases or
 * directives) does not, and is refused before anything executes.
 */
export interface QueryLimits {
  /** Nesting of selections (a fragment spread counts as a level, as graphql-armor counts). Default 15. */
  maxDepth: number;
  /**
   * graphql-armor's cost (objects 2, scalars 1, times a factor per level), times the page a paged
   * field will fetch, its variables counted (query-cost.ts). Default 60,000: a back office's page
   * of 100 orders with every field costs about 57,000 through a fragment (a spread counts as a
   * level) and 26,000 inline, so one page fits and three in one document do not, whether `first`
   * is written in the document or sent as a variable.
   */
  maxCost: number;
  /**
   * Aliased fields per operation, `__typename` included. Default 15. graphql-armor leaves aliased
   * `__typename` out by default; no client of the gateway aliases it, and each alias is one more
   * key in the answer, so it counts like any other.
   */
  maxAliases: number;
  /** Lexical tokens in the whole document, counted while parsing. Default 5000. */
  maxTokens: number;
  /** Directives per operation. Default 10. */
  maxDirectives: number;
}

/** graphql-armor's reject callback (its types package is not a dependency of ours). */
type ArmorConfig = NonNullable<Parameters<typeof EnvelopArmorPlugin>[0]>;
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 60_000,
  maxAliases: 15,
  maxTokens: 5000,
  maxDirectives: 10,
};

/**
 * graphql-armor throws its refusal out of a validation rule, prefixed "Syntax Error: " (it is not
 * one). Reported through the validation context instead, it is an ordinary validation error: Yoga
 * answers HTTP 400 with `GRAPHQL_VALIDATION_FAILED`, unmasked, and nothing executes — over HTTP,
 * SSE and graphql-ws alike, since graphql-ws validates through the same envelop.
 */
const report: RejectCallback = (context, error) => {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
};

/**
 * Depth, cost, alias, token and directive limits. The cost is counted by useQueryCostLimit
 * (query-cost.ts), where the variables are known; graphql-armor's own cost rule is off (it counted
 * `first: $n` as a page of one).
 *
 * Introspection stays on: the schema is the published contract (CONTRACT §2, the committed SDL)
 * that typed clients are generated from, and GraphiQL needs it; hiding it would protect nothing.
 * Suggestions are removed anyway (useNoSuggestions), so a probe learns no name from an error
 * message, should introspection ever be turned off. The introspection query itself is exempt from depth and cost
 * (graphql-armor's `ignoreIntrospection`), but not from the token limit.
 */
export function useQueryLimits(limits: QueryLimits = DEFAULT_QUERY_LIMITS): Plugin {
  const reject = { onReject: [report], propagateOnRejection: false, exposeLimits: true };
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reject },
    costLimit: { enabled: false },
    // An empty allow list: aliased `__typename` counts too (graphql-armor's default leaves it out).
    maxAliases: { n: limits.maxAliases, allowList: [], ...reject },
    maxDirectives: { n: limits.maxDirectives, ...reject },
    // The parser has no validation context to report to: this one throws, as a syntax error does
    // (HTTP 400, GRAPHQL_PARSE_FAILED).
    maxTokens: { n: limits.maxTokens, exposeLimits: true },
    // "Did you mean" is removed by useNoSuggestions (no-suggestions.ts), which knows every form of it.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
  const cost = useQueryCostLimit(limits.maxCost);
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
      addPlugin(cost);
    },
  };
}
