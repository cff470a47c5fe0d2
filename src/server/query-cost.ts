import {
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  getNamedType,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE, MAX_PAGE } from '../domain/orders/list-orders.js';

/**
 * graphql-armor's cost (objects 2, scalars 1, ×1.5 per level, a fragment spread counting as a
 * level), with one difference: a paged field is multiplied by the page it will really fetch.
 * graphql-armor multiplied only by a *literal* `first`, from a validation rule that cannot see
 * variables (Yoga caches validation per document, whatever the variables): `first: $n` with
 * `{"n": 100}` counted as a page of one, so 15 aliased pages of 100 orders with every field (about
 * 430,000) ran where three literal ones (97,406) were refused. Here the count runs where the
 * variables are known (onExecute / onSubscribe, for every transport), and a paged field counts:
 *
 * - a literal or a variable's value (the request's, else the variable's default) at that value;
 * - `first` left out or null at the page the field fetches then (`orders`: DEFAULT_PAGE, 50);
 * - anything else (not a whole number from 0 to the largest page: the resolver refuses it) at the
 *   largest page (MAX_PAGE, 100), so what cannot be known is never counted small.
 *
 * A paged field is one whose definition takes `first` or `last` (in this schema only `orders`).
 */
export interface PageSizes {
  /** Page of a paged field without `first`. Default DEFAULT_PAGE (list-orders.ts). */
  defaultPage: number;
  /** Largest page; a value that cannot be one counts at this. Default MAX_PAGE (list-orders.ts). */
  maxPage: number;
}

const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;

interface Counted {
  cost: number;
  /** Whether a page size came from a variable (so the cost holds for these variables only). */
  fromVariables: boolean;
}

/** The cost of the operation `operationName` names (or the only one) with these variables; 0 when there is none. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  pages: PageSizes = { defaultPage: DEFAULT_PAGE, maxPage: MAX_PAGE },
): Counted {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation) return { cost: 0, fromVariables: false };
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const defaults = new Map((operation.variableDefinitions ?? []).flatMap((definition) => (definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)] as const] : [])));
  const given = variables ?? {};
  // A fragment costs the same wherever it is spread (graphql-armor counts it once, then reuses it).
  const fragmentCosts = new Map<string, number>();
  let fromVariables = false;

  /** The page a field will fetch, or 1 for a field that is not paged. */
  const pageOf = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number => {
    const argument = field.arguments?.find((candidate) => candidate.name.value === 'first' || candidate.name.value === 'last');
    const paged = definition ? definition.args.some((arg) => arg.name === 'first' || arg.name === 'last') : argument !== undefined;
    if (!paged) return 1;
    let value: unknown = null;
    if (argument?.value.kind === Kind.VARIABLE) {
      fromVariables = true;
      const name = argument.value.name.value;
      value = Object.hasOwn(given, name) ? given[name] : (defaults.get(name) ?? null);
    } else if (argument) {
      value = valueFromASTUntyped(argument.value);
    }
    if (value === null || value === undefined) return pages.defaultPage;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= pages.maxPage) return Math.max(1, value);
    return pages.maxPage;
  };

  const countSet = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let cost = OBJECT_COST;
    for (const selection of selectionSet.selections) cost += DEPTH_FACTOR * countSelection(selection, type);
    return cost;
  };

  const countSelection = (selection: SelectionSetNode['selections'][number], parent: GraphQLNamedType | undefined): number => {
    if (selection.kind === Kind.FIELD) {
      // The introspection query is exempt (GraphiQL must load), as graphql-armor's ignoreIntrospection.
      if (selection.name.value === '__schema') return 0;
      if (!selection.selectionSet) return SCALAR_COST;
      const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      const type = definition ? getNamedType(definition.type) : undefined;
      return countSet(selection.selectionSet, type) * pageOf(selection, definition);
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return countSet(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
    }
    const name = selection.name.value;
    let fragmentCost = fragmentCosts.get(name);
    if (fragmentCost === undefined) {
      const fragment: FragmentDefinitionNode | undefined = fragments.get(name);
      // Marked first: a cycle (refused by validation before anything executes) cannot recurse here.
      fragmentCosts.set(name, 0);
      fragmentCost = fragment ? countSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)) : 0;
      fragmentCosts.set(name, fragmentCost);
    }
    return SCALAR_COST + DEPTH_FACTOR * fragmentCost;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  let cost = 0;
  for (const selection of operation.selectionSet.selections) cost += countSelection(selection, root ?? undefined);
  return { cost, fromVariables };
}

/**
 * Refuses an operation costlier than `maxCost` before it runs, counted with its variables
 * (queryCost). The refusal reads and answers as graphql-armor's did: "Query Cost limit of N
 * exceeded, found M.", `GRAPHQL_VALIDATION_FAILED`, HTTP 400 (200 for a client that accepts only
 * `application/json`, as for any refused document); over graphql-ws and SSE it is that
 * operation's error and the connection stays.
 */
export function useQueryCostLimit(maxCost: number, pages?: PageSizes): Plugin {
  // Most documents page by literals or not at all: their cost is counted once per document object
  // (Yoga's parse cache hands out the same one for the same text) and operation.
  const fixed = new WeakMap<DocumentNode, Map<string, number>>();
  const refusal = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Readonly<Record<string, unknown>> | null }): ExecutionResult | undefined => {
    const key = args.operationName ?? '';
    let cost = fixed.get(args.document)?.get(key);
    if (cost === undefined) {
      const counted = queryCost(args.schema, args.document, args.operationName, args.variableValues, pages);
      cost = counted.cost;
      if (!counted.fromVariables) {
        const costs = fixed.get(args.document) ?? new Map<string, number>();
        costs.set(key, cost);
        fixed.set(args.document, costs);
      }
    }
    if (cost <= maxCost) return undefined;
    return {
      errors: [
        new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`, {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400, spec: true } },
        }),
      ],
    };
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
