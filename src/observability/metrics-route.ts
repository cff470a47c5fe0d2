import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameSecret } from '../same-secret.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * `GET /metrics`, Prometheus' text format. Metrics tell order volumes and provider health, so
 * with METRICS_TOKEN set a scraper must send `Authorization: Bearer <token>`; unset, the route is
 * open, for the usual setup where only the private network reaches it.
 */
export function createMetricsRoute(metrics: GatewayMetrics, token: string | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Method not allowed' }));
      return;
    }
    if (token !== undefined && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Unauthorized' }));
      return;
    }
    const body = await metrics.render();
    response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
