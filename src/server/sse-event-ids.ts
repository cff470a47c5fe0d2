import type { Plugin } from 'graphql-yoga';
import type { Context, EventIdSink } from '../schema/builder.js';

/**
 * SSE `id:` lines and `Last-Event-ID` resume (CONTRACT §2 "Resumable feeds").
 *
 * Yoga's own text/event-stream writer (graphql-yoga's result-processor/sse.js) writes each result
 * as `event: next` + `data: <json>` and no id, and graphql-sse's protocol has none either, so a
 * browser's EventSource could never resume. The writer serialises a result with its own
 * `stringify` when it has one: each result of an SSE subscription gets a non-enumerable one that
 * appends `\nid: <id>` to the data line, which is a well-formed SSE event (`event`, `data`, `id`
 * lines in any order). The id is what the subscription's resolver put into `ctx.eventIdSink` for
 * that result (the eventId for orderStatusChanged, the cursor for orderUpdates): graphql-js
 * resolves result N before it yields it and pulls nothing further until the writer asks, so the
 * sink always holds the id of the result in hand.
 *
 * A reconnecting EventSource sends the last id it saw as `Last-Event-ID`; it is handed to the
 * resolvers as `ctx.lastEventId`, which they take as `after` when no `after` argument is given.
 */
interface HttpContext {
  request?: Request;
}

export function useSseEventIds(): Plugin<Context> {
  const sinks = new WeakMap<Request, EventIdSink>();
  return {
    onSubscribe({ args, extendContext }) {
      const request = (args.contextValue as Context & HttpContext).request;
      if (!request || !acceptsEventStream(request)) return;
      const sink: EventIdSink = { id: null };
      sinks.set(request, sink);
      const lastEventId = request.headers.get('last-event-id');
      extendContext({ eventIdSink: sink, ...(lastEventId ? { lastEventId } : {}) });
    },
    onResultProcess({ request, result, setResult }) {
      const sink = sinks.get(request);
      if (!sink || !isAsyncIterable(result)) return;
      setResult(withIds(result, sink));
    },
  };
}

/** Only for a request that takes SSE alone: a multipart writer would put the id into its JSON. */
function acceptsEventStream(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/event-stream') && !accept.includes('multipart/mixed');
}

function isAsyncIterable<T>(value: T): value is Extract<T, AsyncIterable<unknown>> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* withIds<T>(results: AsyncIterable<T>, sink: EventIdSink): AsyncGenerator<T> {
  for await (const result of results) {
    const id = sink.id;
    sink.id = null;
    // An id carries no line break (eventIds and cursors are digits and '-'); checked anyway, as a
    // line break would end the event early.
    if (id !== null && /^[\w-]+$/.test(id) && typeof result === 'object' && result !== null) {
      Object.defineProperty(result, 'stringify', { value: (value: unknown) => `${JSON.stringify(value)}\nid: ${id}`, enumerable: false });
    }
    yield result;
  }
}
