import type { Plugin } from 'graphql-yoga';

/**
 * GraphiQL's page is ~9 MB of HTML (its assets come inline from the package, so it works offline)
 * and anyone may ask for it, without a token: `GET /graphql` with `Accept: text/html`. Yoga
 * rendered it afresh for each request and answered it as a string, which Node copied into a buffer
 * of its own per connection and kept until the client had read it all. A client that asks and then
 * reads slowly (or never) held ~16 MB of the gateway's memory per connection: 60 such connections
 * took an idle gateway from 190 MB to 1.1 GB (security probe 5), where a client without a token
 * must make it hold a few KB (README "Request sizes and tokens").
 *
 * Now each distinct page (there are at most two: with the sandbox dev token, and without) is
 * rendered once and encoded once, and every answer is that one byte array: Node writes it to each
 * socket by reference, so a slow reader holds a reference, not a copy. The compressed forms were
 * already kept once per encoding (compression.ts) and sent as a byte array the same way.
 */

/** A render function as Yoga takes it (`renderGraphiQL`), memoised by its options. */
export function renderedOnce<Options>(render: (options: Options) => string): (options: Options) => string {
  const pages = new Map<string, string>();
  return (options) => {
    const key = JSON.stringify(options);
    let page = pages.get(key);
    if (page === undefined) {
      page = render(options);
      // The options are the page's title, headers and default query: a handful per gateway.
      if (pages.size >= MAX_PAGES) pages.clear();
      pages.set(key, page);
    }
    return page;
  };
}

/** Distinct pages kept: with the dev token and without, and room for one more. */
const MAX_PAGES = 4;

/**
 * Answers an uncompressed GraphiQL page (a 200 `text/html` answer from Yoga, which renders no
 * other HTML) as the one encoded copy of that page. Placed after useCompression: a compressed
 * answer is a byte array already and is left as it is.
 */
export function useSharedGraphiQLPage(): Plugin {
  const encoded = new Map<string, Uint8Array<ArrayBuffer>>();
  return {
    async onResponse({ response, setResponse, fetchAPI }) {
      if (response.status !== 200 || response.headers.has('content-encoding')) return;
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html') || !response.body) return;
      // The same string object each time (renderedOnce): the lookup hashes it once, V8 keeps the hash.
      const page = await response.text();
      let bytes = encoded.get(page);
      if (!bytes) {
        bytes = new Uint8Array(Buffer.from(page));
        if (encoded.size >= MAX_PAGES) encoded.clear();
        encoded.set(page, bytes);
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-length', String(bytes.length));
      setResponse(new fetchAPI.Response(bytes, { status: response.status, statusText: response.statusText, headers }));
    },
  };
}
