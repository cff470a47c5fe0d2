import SchemaBuilder from '@pothos/core';
import ZodPlugin from '@pothos/plugin-zod';
import type { ZodError } from 'zod';
import type { Caller } from '../domain/caller.js';
import { badInput } from '../domain/errors.js';
import type { OrderService } from '../domain/orders/service.js';
import type { Order } from '../domain/order.js';
import type { PushChange } from '../domain/order-watch.js';
import type { TextScrubber } from '../scrub.js';
import type { ChangeHub } from '../store/change-hub.js';
import type { FeedLog, OrderStore } from '../store/types.js';

/** What every resolver receives. */
export interface Context {
  service: OrderService;
  orders: OrderStore;
  hub: ChangeHub;
  /** The gateway-wide feed's kept history (orderUpdates' replay). */
  feed: FeedLog;
  /**
   * The verified caller, or null when no token was sent. Throws UNAUTHENTICATED when a token
   * was sent but is bad, so a bad token never silently acts as "anonymous".
   */
  caller(): Caller | null;
  /** Aborted when the client goes away (ends subscriptions). */
  signal?: AbortSignal;
  /** Scrubs a provider's words before the client reads them (src/scrub.ts): an Info's message. */
  scrub: TextScrubber;
  /**
   * Over HTTP, where an answer about one order may be kept by the read cache
   * (server/read-cache.ts): told each order a field answered from, and of any other read.
   */
  reads?: { order(order: Order): void; other(): void };
  /** SSE: the `Last-Event-ID` the client reconnected with (server/sse-event-ids.ts). */
  lastEventId?: string;
  /** SSE: where a subscription's resolver puts the id of the event it resolves. */
  eventIdSink?: EventIdSink;
  /** graphql-ws: sends a live change's message straight to the socket (server/shared-push.ts). */
  pushChange?: PushChange;
}

/** The SSE `id:` of the result being resolved (server/sse-event-ids.ts). */
export interface EventIdSink {
  id: string | null;
}

export type Scalars = {
  Decimal: { Input: string; Output: string };
  DateTime: { Input: Date; Output: Date | string };
  Date: { Input: string; Output: string };
  URL: { Input: string; Output: string };
  /** Any JSON value. As an input never undefined: `NonNullable<unknown> | null` (not `unknown`) lets an input that holds one be implemented against a declared shape. */
  JSON: { Input: NonNullable<unknown> | null; Output: unknown };
  SafeInt: { Input: number; Output: number };
};

/** zod's first issue becomes BAD_USER_INPUT naming the input path (CONTRACT §3). */
function toBadUserInput(error: ZodError): Error {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  return badInput(field, issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'Invalid input');
}

export const builder = new SchemaBuilder<{ Context: Context; Scalars: Scalars; DefaultFieldNullability: false }>({
  plugins: [ZodPlugin],
  defaultFieldNullability: false,
  zod: { validationError: (error) => toBadUserInput(error) },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
