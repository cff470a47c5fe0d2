import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signClientToken } from '../server/auth.js';
import { isLoopbackHost, type DevHostCheck } from '../server/dev-hosts.js';
import type { PersistedOperationsMode } from '../server/persisted-operations.js';
import { bundleDemoApp } from './bundle.js';
import { demoPage } from './page.js';

export interface DemoOptions {
  /** The secret client tokens are signed with (sandbox mode always has one). */
  authSecret: string;
  issuer?: string;
  audience?: string;
  /** Tells the page whether to send documents by hash. */
  persisted: PersistedOperationsMode;
  /**
   * Origins of the sandboxes' 3-D Secure (ACS) pages: the page frames them and posts the step's
   * form to them, so its CSP names them in frame-src and form-action. None: no 3-D Secure frame.
   */
  threeDSOrigins?: string[];
  /**
   * The Host headers `/demo/token` hands tokens to (server/dev-hosts.ts): another is refused with
   * 403, as a DNS-rebound page would name its own host. Default: loopback names only.
   */
  tokenHosts?: DevHostCheck;
}

/** Why `/demo/token` refused a request naming another host (see DemoOptions.tokenHosts). */
const DEMO_TOKEN_REFUSED =
  'The demo hands out tokens only to a page opened at localhost, 127.0.0.1 or [::1] (or the host of PUBLIC_URL): this request names another host, as a page of another site whose name resolves here would';

/** A demo visitor's token lives this long: one checkout, not a session. */
const TOKEN_TTL_SECONDS = 30 * 60;

/**
 * The page only talks to its own origin; the provider pages are navigations, which CSP leaves
 * alone. The one exception is 3-D Secure, which happens in a frame of the ACS's origin.
 */
function contentSecurityPolicy(threeDSOrigins: string[]): string {
  const acs = threeDSOrigins.join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    `frame-src ${acs || "'none'"}`,
    `form-action 'self'${acs ? ` ${acs}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * `/demo` (sandbox mode only; the gateway does not route here otherwise): the page, its bundled
 * app, and `/demo/token`, which hands each visitor a short-lived `orders:create` token with its
 * own `sub` — so a visitor sees only its own orders, and never the all-scopes dev token.
 */
export function createDemoRoute(options: DemoOptions) {
  const csp = contentSecurityPolicy(options.threeDSOrigins ?? []);
  let bundle: Promise<string> | undefined;
  const app = (): Promise<string> => {
    // Built on first request and kept; a failed build (logged by the request handler) is retried on the next request.
    bundle ??= bundleDemoApp().catch((error: unknown) => {
      bundle = undefined;
      throw error;
    });
    return bundle;
  };

  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(405, 'application/json', JSON.stringify({ error: 'Method not allowed' }), { allow: 'GET, HEAD' });
    }
    switch (url.pathname) {
      case '/demo':
      case '/demo/':
        return send(200, 'text/html; charset=utf-8', demoPage({ persisted: options.persisted }), {
          'content-security-policy': csp,
          'cache-control': 'no-store',
        });
      case '/demo/app.js':
        return send(200, 'text/javascript; charset=utf-8', await app(), { 'cache-control': 'no-cache' });
      case '/demo/token': {
        if (!(options.tokenHosts ?? isLoopbackHost)(request.headers.host)) {
          return send(403, 'application/json', JSON.stringify({ error: DEMO_TOKEN_REFUSED }), { 'cache-control': 'no-store' });
        }
        const token = await signClientToken(
          options.authSecret,
          {
            sub: `demo-${randomUUID()}`,
            scope: 'orders:create',
            ...(options.issuer ? { issuer: options.issuer } : {}),
            ...(options.audience ? { audience: options.audience } : {}),
          },
          `${TOKEN_TTL_SECONDS}s`,
        );
        return send(200, 'application/json', JSON.stringify({ token, expiresIn: TOKEN_TTL_SECONDS }), { 'cache-control': 'no-store' });
      }
      default:
        return send(404, 'application/json', JSON.stringify({ error: 'Not found' }));
    }
  };
}
