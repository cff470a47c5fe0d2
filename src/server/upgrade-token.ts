import type { IncomingMessage } from 'node:http';

/**
 * The upgrade request's own Authorization header, for a graphql-ws socket whose connection_init
 * carries no token (CONTRACT §4 accepts it), unless a page of another site opened the socket.
 *
 * A page cannot set that header on a WebSocket: on a browser's upgrade (browsers always send
 * Origin there) it was added by something in front of the gateway, such as a proxy that turns
 * the browser's session cookie into a bearer token. Taken from any origin, that let another
 * site's page open a socket as the visitor and watch their orders, which a CORS or CSRF check
 * does not stop (WebSockets have neither). A client that names no Origin (a server, a script)
 * or the gateway's own origin keeps the header; a page elsewhere sends its token in
 * connection_init, which only its own script can write.
 */
export function upgradeAuthorization(request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && !sameHost(origin, request.headers.host)) return undefined;
  return request.headers.authorization;
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // `null` (a sandboxed frame, a file) or garbage: not the gateway's own page
  }
}
