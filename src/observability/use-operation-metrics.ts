import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { GatewayMetrics, OperationLabels, OperationOutcome, SubscriptionTransport } from './metrics.js';
import { operationOf } from './operation-labels.js';
import type { Caller } from '../domain/caller.js';

function outcomeOf(result: unknown): OperationOutcome {
  if (isAsyncIterable(result)) return 'success';
  return (result as ExecutionResult).errors?.length ? 'error' : 'success';
}

/** graphql-ws hands the socket in the context (server/graphql-ws.ts); HTTP subscriptions are SSE. */
function transportOf(context: unknown): SubscriptionTransport {
  return typeof context === 'object' && context !== null && 'socket' in context && context.socket ? 'graphql-ws' : 'sse';
}

/**
 * The caller of an operation's context whose token was verified (schema/builder.ts
 * `Context.caller`: null without a token, throws for a bad one), or undefined. The label slots a
 * name it sends may take depend on it (GatewayMetrics.nameLabel).
 */
function verifiedCaller(context: unknown): Caller | undefined {
  if (typeof context !== 'object' || context === null || !('caller' in context) || typeof context.caller !== 'function') return undefined;
  try {
    return ((context.caller as () => Caller | null)()) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Counts and times every GraphQL operation, and keeps the open-subscription gauge. One plugin for
 * both transports: graphql-ws executes through the same envelop (server/graphql-ws.ts). A
 * document refused before execution (does not parse, fails validation or a limit) is `invalid`.
 */
export function useOperationMetrics(metrics: GatewayMetrics): Plugin {
  const labelsOf = (args: Parameters<typeof operationOf>, context?: unknown): OperationLabels => {
    const { type, name } = operationOf(...args);
    return { type, name: metrics.nameLabel(name, verifiedCaller(context)) };
  };
  return {
    onParse() {
      return ({ result }) => {
        if (result instanceof Error) metrics.operation({ type: 'unknown', name: 'unknown' }, 'invalid');
      };
    },
    onValidate({ params }) {
      return ({ valid }) => {
        if (!valid) metrics.operation(labelsOf([params.documentAST, undefined]), 'invalid');
      };
    },
    onExecute({ args }) {
      const labels = labelsOf([args.document, args.operationName], args.contextValue);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          metrics.operation(labels, outcomeOf(result), (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const labels = labelsOf([args.document, args.operationName], args.contextValue);
      const started = performance.now();
      return {
        onSubscribeResult({ result }) {
          metrics.operation(labels, outcomeOf(result), (performance.now() - started) / 1000);
          if (!isAsyncIterable(result)) return;
          return { onEnd: metrics.subscriptionOpened(transportOf(args.contextValue)) };
        },
      };
    },
  };
}
