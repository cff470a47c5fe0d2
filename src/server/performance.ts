import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PERFORMANCE, type PerformanceConfig } from '../config.js';
import type { Logger } from '../log.js';
import { useJitErrorsAsGraphQLJs } from './jit-errors.js';

/**
 * The speed-ups `npm run bench` measures one by one (README "Benchmarks"), as Yoga plugins for
 * yoga.ts' `plugins` list. Each keeps every answer the same (errors, masking, auth); only where
 * the time goes changes.
 *
 * - graphql-jit compiles a query once into plain functions and runs those instead of
 *   graphql-js' generic walk over the AST. It caches by document object, so it pays off together
 *   with Yoga's parse cache (which hands out the same document object for the same query text).
 *   Its errors are turned back into graphql-js' (jit-errors.ts), so answers stay byte-identical.
 */
export function performancePlugins(config: PerformanceConfig = DEFAULT_PERFORMANCE, logger?: Logger): Plugin[] {
  const plugins: Plugin[] = [];
  if (config.jit) {
    plugins.push(
      // Before the JIT plugin: it needs Yoga's own execute (see jit-errors.ts).
      useJitErrorsAsGraphQLJs(),
      useGraphQlJit(
        {},
        {
          // Queries only.
          // - Mutations: graphql-jit 0.8.9 (compileListType) handles a rejected element of a list
          //   with `resultArray.push(null)` instead of writing null at the element's index, so
          //   when it settles after later elements were placed, the list grows by one and the
          //   element's own slot stays a hole: `applyOrderEvents` (an element per input, each
          //   its own promise) answered a list of the wrong shape. No query list field has
          //   elements that can reject (orders, items, payments, events are plain arrays).
          //   A mutation costs a provider call anyway: compiling it would win nothing.
          // - Subscriptions: graphql-jit's subscribe reads a subscription field's arguments
          //   wrongly when the variable is named differently from the argument
          //   (`orderStatusChanged(orderId: $id)` subscribed to no order), and a subscription
          //   starts once per client anyway.
          enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation === 'query',
          // A document that validated but cannot be compiled still answers (with its errors);
          // say so once in the log instead of the plugin's console.error.
          onError: (result) => logger?.log('warn', 'graphql-jit could not compile a document', { errors: result.errors?.length ?? 0 }),
        },
      ) as Plugin,
    );
  }
  return plugins;
}

/** Yoga's `parserAndValidationCache` option: on is Yoga's default; off only to measure it. */
export function parserAndValidationCache(config: PerformanceConfig = DEFAULT_PERFORMANCE): boolean {
  return config.parseCache;
}
