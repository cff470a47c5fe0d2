import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

type Encoding = 'br' | 'gzip';

const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  // Quality 5: most of brotli's gain on JSON and HTML at a small part of its top quality's CPU.
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 6 }),
};

/** Below this a compressed answer saves less than the CPU it costs (most single-order answers). */
const MIN_BYTES = 1024;

/**
 * Whole answers only: JSON results and GraphiQL's page. Never `text/event-stream` or
 * `multipart/mixed`: compressing a stream means buffering it, and a subscriber would get its
 * events late (a compressor holds bytes until it has enough to emit).
 */
const COMPRESSIBLE = /^(application\/(graphql-response\+)?json|text\/html)\b/i;

/**
 * The encoding to use for an Accept-Encoding header: brotli, else gzip, each only if the client
 * accepts it with a q above 0 (`*` counts for both); none otherwise.
 */
export function chooseEncoding(acceptEncoding: string | null): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (encoding: Encoding): number => weights.get(encoding) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((encoding) => weight(encoding) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best;
}

/**
 * Compresses HTTP answers with gzip or brotli (node:zlib, off the event loop) when the client asks
 * through Accept-Encoding. GraphiQL's page (its assets come inline from the package, ~9 MB) is
 * the same for every request of a gateway, so its compressed forms are kept: compressed once per
 * encoding, not per visit.
 */
export function useCompression(): Plugin {
  const pageCache = new Map<Encoding, { page: string; compressed: Uint8Array<ArrayBuffer> }>();

  async function compress(encoding: Encoding, body: string, isPage: boolean): Promise<Uint8Array<ArrayBuffer>> {
    const cached = isPage ? pageCache.get(encoding) : undefined;
    if (cached && cached.page === body) return cached.compressed;
    // A Uint8Array of its own ArrayBuffer, as a Fetch Response body wants it.
    const compressed = new Uint8Array(await compressors[encoding](Buffer.from(body)));
    if (isPage) pageCache.set(encoding, { page: body, compressed });
    return compressed;
  }

  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const type = response.headers.get('content-type') ?? '';
      if (!COMPRESSIBLE.test(type) || response.headers.has('content-encoding') || !response.body) return;
      // Caches between the gateway and its clients must keep one copy per encoding.
      response.headers.append('vary', 'Accept-Encoding');
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      // No copy of the body when nothing will be compressed: the cached reads stay as they were.
      if (!encoding || Number(response.headers.get('content-length') ?? MIN_BYTES) < MIN_BYTES) return;
      const body = await response.text();
      const headers = new fetchAPI.Headers(response.headers);
      if (Buffer.byteLength(body) < MIN_BYTES) {
        setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
        return;
      }
      const compressed = await compress(encoding, body, type.startsWith('text/html'));
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(compressed.length));
      setResponse(new fetchAPI.Response(compressed, { status: response.status, statusText: response.statusText, headers }));
    },
  };
}
