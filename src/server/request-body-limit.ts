import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * The largest `/graphql` body (and graphql-ws frame after `connection_init`), sized to real
 * operations rather than Yoga's default of 25 MB, which let an anonymous client make the gateway
 * read and parse 25 MB. Measured: the repo's largest document is 728 bytes minified (the persisted
 * manifest) and about 2 KB as written; the largest bodies the tests send are the 5,000-token
 * document that checks the token limit (55 KB) and fuzzed inputs with 20,000-character strings
 * (under 100 KB). 256 KiB leaves room for a basket of a few hundred lines.
 */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** Whether a request declares a body over the limit (it is then refused before a byte is read). */
export function declaresTooLargeBody(contentLength: string | undefined, limit = MAX_REQUEST_BODY_BYTES): boolean {
  return contentLength !== undefined && CONTENT_LENGTH.test(contentLength) && Number(contentLength) > limit;
}

/** Only a single non-negative integer is a valid Content-Length (as Yoga checks it). */
const CONTENT_LENGTH = /^\d+$/;

function tooLarge() {
  return createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
}

function invalidContentLength() {
  return createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
}

/**
 * Yoga's request body limit, with the same answers (413 REQUEST_ENTITY_TOO_LARGE, 400 for a bad
 * Content-Length), but without Yoga's per-request stream wrapper where it cannot matter. Yoga pipes
 * every body through a counting TransformStream; the stream pipeline it builds aborts an
 * AbortController (a DOMException with a stack trace) when it finishes, which was ~6% of a cached
 * read's CPU. A body with a valid Content-Length at or under the limit needs no counting: Node's
 * HTTP parser never hands over more bytes than Content-Length says (and refuses a request that
 * also says Transfer-Encoding). Only a body without one (chunked) is counted as it streams.
 *
 * Use with `maxRequestBodySize: false` so Yoga's own copy is off.
 */
export function useRequestBodyLimit(limit = MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength != null) {
        if (!CONTENT_LENGTH.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > limit) throw tooLarge();
        return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((incoming) => parse(countedBody(incoming, limit, fetchAPI)));
    },
  };
}

type FetchAPI = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

/**
 * The request with its body failing (413) once more than `limit` bytes have streamed in. As Yoga
 * does it: the server's fetch API, but the global TransformStream for a native ReadableStream body
 * (graphql-yoga#4583).
 */
function countedBody(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  const body = request.body;
  if (!body) return request;
  let bytesRead = 0;
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > limit) {
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // Node's fetch requires it for a streamed body.
    duplex: 'half',
  } as RequestInit);
}
