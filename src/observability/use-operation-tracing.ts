import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { operationOf } from './operation-labels.js';
import { currentRequestContext, newRequestId, runWithRequestContext } from './request-context.js';
import type { Tracing } from './tracing.js';

function finish(span: Span, result: unknown): void {
  const errors = isAsyncIterable(result) ? undefined : (result as ExecutionResult).errors;
  if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message ?? 'error' });
  span.end();
}

/**
 * A span per GraphQL operation, named after it (`mutation CreateOrder`), under the HTTP request's
 * span (graphql-ws operations start their own trace). Execution runs in a request context whose
 * span is this one, so provider calls made by the resolvers become its children. A subscription's
 * span covers setting the stream up, not its lifetime.
 */
export function useOperationTracing(tracing: Tracing): Plugin {
  const open = (document: Parameters<typeof operationOf>[0], operationName: string | null | undefined): Span => {
    const { type, name } = operationOf(document, operationName);
    return tracing.startSpan(name ? `${type} ${name}` : type, {
      parent: currentRequestContext()?.span,
      attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) },
    });
  };
  const inSpan = <T>(span: Span, run: () => T): T => {
    const context = currentRequestContext() ?? { requestId: newRequestId() };
    return runWithRequestContext({ ...context, span }, run);
  };
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const span = open(args.document, args.operationName);
      setExecuteFn((executeArgs) => inSpan(span, () => executeFn(executeArgs)));
      return { onExecuteDone: ({ result }) => finish(span, result) };
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const span = open(args.document, args.operationName);
      setSubscribeFn((subscribeArgs) => inSpan(span, () => subscribeFn(subscribeArgs)));
      return { onSubscribeResult: ({ result }) => finish(span, result) };
    },
  };
}
