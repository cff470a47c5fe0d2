import type { IncomingMessage } from 'node:http';
import { GraphQLError, Kind, valueFromASTUntyped, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rateLimitedError, type RateLimiter } from './rate-limit.js';

/**
 * Root fields that make a provider create an order or move money. One such field is what an
 * operation is for; aliases let one operation hold many (15 `createOrder`s made 15 provider
 * orders and counted once against the rate limit), so each counts on its own. `applyOrderEvents`
 * counts its events: each is a capture, refund or cancel at the provider.
 */
const MONEY_FIELDS = new Set(['createOrder', 'placeAdyenOrder', 'continueOrderCreation', 'applyOrderEvents']);

/** Default QUERY_MAX_MONEY_FIELDS: a back office's batch of 20 captures fits; the fuzzed inputs' 12 events too. */
export const DEFAULT_MAX_MONEY_FIELDS = 20;

/** What the transports put into the context that this plugin reads. */
interface RateContext {
  /** HTTP and graphql-ws: Node's request (the upgrade request over graphql-ws). */
  req?: IncomingMessage;
  /** graphql-ws: the bucket the socket's token chose at connection_init (graphql-ws.ts). */
  wsRateBucket?: string;
}

interface MoneyField {
  /** The response key (the alias, or the field's name). */
  key: string;
  /** What it costs: 1, or for applyOrderEvents the number of its events. */
  units: number;
}

/** The money fields at the root of a mutation, fragments followed; directives are ignored (counted anyway). */
function moneyFields(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): MoneyField[] {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const found: MoneyField[] = [];
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (MONEY_FIELDS.has(selection.name.value)) found.push({ key: selection.alias?.value ?? selection.name.value, units: unitsOf(selection, variables) });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread twice selects its fields once (they merge): count it once.
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}

/** applyOrderEvents: its events (each element at least 1); any other money field: 1. */
function unitsOf(field: FieldNode, variables: Record<string, unknown>): number {
  if (field.name.value !== 'applyOrderEvents') return 1;
  const argument = field.arguments?.find((candidate) => candidate.name.value === 'input');
  if (!argument) return 1;
  const value: unknown = valueFromASTUntyped(argument.value, variables);
  // A single object is a list of one (GraphQL's list input coercion).
  const elements = Array.isArray(value) ? value : [value];
  let units = 0;
  for (const element of elements) {
    const events = element && typeof element === 'object' ? (element as { events?: unknown }).events : undefined;
    units += Array.isArray(events) ? Math.max(1, events.length) : 1;
  }
  return Math.max(1, units);
}

function tooManyError(field: string, found: number, max: number): GraphQLError {
  return new GraphQLError(`At most ${max} orders created or money movements (order events) per operation; this one has ${found}`, {
    extensions: { code: 'BAD_USER_INPUT', field },
  });
}

/**
 * Counts every order-creating or money-moving root field of a mutation against the caller's rate
 * limit, and refuses an operation with more than `max` of them, before anything executes:
 * BAD_USER_INPUT (`extensions.field`: the field past the limit) for too many in one operation,
 * RATE_LIMITED (HTTP 429, Retry-After) when they exceed what is left of the caller's budget. The
 * operation itself was already counted once as it arrived (rate-limit.ts, graphql-ws.ts), so a
 * plain one-field mutation costs nothing extra here.
 */
export function useMoneyFieldLimit(options: { limiter?: RateLimiter; max?: number }): Plugin<RateContext> {
  const max = options.max ?? DEFAULT_MAX_MONEY_FIELDS;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const document: DocumentNode = args.document;
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION && (!args.operationName || definition.name?.value === args.operationName),
      );
      if (operation?.operation !== 'mutation') return;
      const fields = moneyFields(document, operation, (args.variableValues ?? {}) as Record<string, unknown>);
      let total = 0;
      for (const field of fields) {
        total += field.units;
        if (total > max) {
          const found = fields.reduce((sum, each) => sum + each.units, 0);
          return setResultAndStopExecution({ errors: [tooManyError(field.key, found, max)] });
        }
      }
      if (total <= 1 || !options.limiter) return;
      const limiter = options.limiter;
      const context = args.contextValue as RateContext;
      const bucket =
        context.wsRateBucket ??
        (context.req ? await limiter.bucketOf(context.req.headers.authorization, limiter.addressOf(context.req)) : undefined);
      if (!bucket) return;
      // One increment per extra unit: the store counts by one, and `max` bounds how many.
      const decisions = await Promise.all(Array.from({ length: total - 1 }, () => limiter.take(bucket)));
      const refused = decisions.find((decision) => !decision.allowed);
      if (refused && !refused.allowed) setResultAndStopExecution({ errors: [rateLimitedError(refused.retryAfterSeconds)] });
    },
  };
}
