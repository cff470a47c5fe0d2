import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * The header a browser client sends on requests a browser would not preflight (GET, SSE
 * subscriptions, form-encoded or text/plain POSTs). Any value will do: what matters is that a
 * cross-site page cannot add a custom header without a CORS preflight, which this gateway grants
 * only without credentials (yoga.ts `cors`): such a request carries no cookie the browser holds.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * CSRF prevention for browsers (Yoga's plugin). A JSON POST is preflighted by every browser, so
 * it passes as it is; a request a browser would send cross-site without asking — a GET, an SSE
 * `EventSource`-style GET, a `<form>` POST (`application/x-www-form-urlencoded`,
 * `multipart/form-data`) or a `text/plain` POST — must carry {@link CSRF_HEADER}, or it is
 * refused with HTTP 403 before it is parsed. Bearer tokens already make classic CSRF hard (a
 * forged request carries no Authorization header); this also stops a cross-site page from making
 * the gateway do work, or from reading anything through a cookie-authenticated proxy in front of
 * it. WebSockets are not affected: graphql-ws needs the token in `connection_init`, which only
 * the page's own script can send (a token in the upgrade request's header counts only when no
 * other site's page opened the socket: upgrade-token.ts).
 */
export function useCsrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }).onRequestParse;
  return {
    onRequestParse(payload) {
      try {
        return check?.(payload);
      } catch {
        // Yoga's refusal has no code and does not say what to send; this one says both.
        throw createGraphQLError(`Required CSRF header not present: send ${CSRF_HEADER} (any value) with this request`, {
          extensions: { code: 'BAD_REQUEST', http: { status: 403 } },
        });
      }
    },
  };
}
