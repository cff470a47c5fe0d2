import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Keeps answers under graphql-jit byte for byte what graphql-js (Yoga's executor) answers. Goes
 * right BEFORE the JIT plugin in the list, so it still sees Yoga's own execute function.
 *
 * - A request that never ran (its variables did not coerce: no `data` at all) is answered by
 *   Yoga's executor instead: nothing was executed, so running it there is safe, and graphql-jit's
 *   coercion messages and HTTP status differ from graphql-js'. Client mistakes only, so rare.
 * - Field errors: graphql-jit's own error objects carry `locations` but not graphql-js' `nodes`,
 *   from which the gateway's maskError (errors.ts) rebuilds a GatewayError, and JIT puts `data`
 *   before `errors`. Each becomes the GraphQLError graphql-js would have made (same message,
 *   path and original error, the field nodes the path points at), in graphql-js' key order.
 *
 * Results without errors are not touched: they keep JIT's fast path.
 */
export function useJitErrorsAsGraphQLJs(): Plugin {
  return {
    onExecute({ args, executeFn }) {
      const stockExecute = executeFn;
      return {
        async onExecuteDone({ result, setResult }) {
          if (!isResult(result) || !result.errors?.length) return;
          if (result.data === undefined) {
            setResult((await stockExecute(args)) as ExecutionResult);
            return;
          }
          const operation = operationOf(args.document, args.operationName ?? undefined);
          const errors = result.errors.map((error) => asGraphQLJsError(error, args.document, operation));
          const { data, extensions } = result;
          setResult({ errors, data, ...(extensions ? { extensions } : {}) });
        },
      };
    },
  };
}

function isResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);
}

function asGraphQLJsError(error: GraphQLError, document: DocumentNode, operation: OperationDefinitionNode | undefined): GraphQLError {
  if (error instanceof GraphQLError && error.nodes) return error;
  const nodes = operation && error.path ? fieldNodesAt(document, operation, error.path) : [];
  const original = error.originalError ?? undefined;
  return new GraphQLError(error.message, {
    ...(nodes.length ? { nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(original ? { originalError: original } : {}),
    ...(error.extensions && !original ? { extensions: error.extensions } : {}),
  });
}

function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return name === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((operation) => operation.name?.value === name);
}

/** The field nodes a response path points at (aliases, inline fragments and fragment spreads followed). */
function fieldNodesAt(document: DocumentNode, operation: OperationDefinitionNode, path: readonly (string | number)[]): FieldNode[] {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  let sets: SelectionSetNode[] = [operation.selectionSet];
  let fields: FieldNode[] = [];
  for (const key of path) {
    if (typeof key === 'number') continue;
    fields = sets.flatMap((set) => fieldsNamed(set, key, fragments));
    sets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return fields;
}

function fieldsNamed(set: SelectionSetNode, responseKey: string, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return (selection.alias ?? selection.name).value === responseKey ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(selection.selectionSet, responseKey, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? fieldsNamed(fragment.selectionSet, responseKey, fragments) : [];
  });
}
