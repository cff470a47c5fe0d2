import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../domain/errors.js';
import type { OrderService } from '../domain/orders/service.js';
import type { Provider } from '../domain/order.js';
import type { ProviderAdapter } from '../domain/provider-port.js';
import type { WebhookHintThrottle } from '../domain/refresh-lease.js';
import { HintAnswerPace } from './hint-answer-pace.js';
import type { Logger } from '../log.js';

/** Callbacks are small; anything bigger is not a provider talking. */
const MAX_BODY_BYTES = 256 * 1024;

const ROUTES: Record<string, Provider> = {
  intergiro: 'INTERGIRO',
  pei: 'PEI',
  dintero: 'DINTERO',
  payway: 'PAYWAY',
};

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * `/webhooks/<provider>` (CONTRACT §5): verify -> narrow -> map in the adapter, then store.
 * The provider gets 2xx only after the effect is stored (so a failure makes it retry), 401 for
 * anything forged or unverifiable, and never an internal detail.
 */
export function createWebhookHandler(options: {
  service: OrderService;
  adapters: readonly ProviderAdapter[];
  logger: Logger;
  /** Bounds the provider re-reads unsigned callbacks cause (domain/refresh-lease.ts); default none. */
  hints?: WebhookHintThrottle;
}) {
  const adapters = new Map(options.adapters.map((adapter) => [adapter.provider, adapter]));
  const pace = new HintAnswerPace();
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const provider = ROUTES[url.pathname.slice('/webhooks/'.length)];
    const adapter = provider ? adapters.get(provider) : undefined;
    if (!provider || !adapter?.readWebhook) return reply(response, 404, { error: 'No such webhook' });
    const methods = adapter.capabilities.webhookMethods ?? ['POST'];
    if (!methods.some((method) => method === request.method)) {
      response.setHeader('allow', methods.join(', '));
      return reply(response, 405, { error: 'Method not allowed' });
    }
    // Refused before a byte of the body is read; the connection closes after the answer, so a
    // client still sending a huge body is not read to its end either.
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > MAX_BODY_BYTES) {
      response.setHeader('connection', 'close');
      return reply(response, 413, { error: 'Body too large' });
    }
    const contentTypes = adapter.capabilities.webhookContentTypes;
    if (request.method === 'POST' && contentTypes) {
      // A callback that names no type is read by its body: no seed names the type of the callbacks
      // it does not show, and a plain HTTP client sends none unless told to. It is then verified or
      // re-read like any other (a webhook has no cookie or session a cross-site post could borrow).
      // A type that is named must be one of the provider's.
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (mediaType !== '' && !contentTypes.includes(mediaType)) {
        response.setHeader('connection', 'close');
        response.setHeader('accept-post', contentTypes.join(', '));
        return reply(response, 415, { error: 'Unsupported content type' });
      }
    }
    try {
      const body = await readBody(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
      );
      const webhook = { headers, body, query: url.searchParams, rawQuery: url.search.slice(1) };
      const hint = options.hints ? adapter.webhookHint?.(webhook) : undefined;
      if (hint && options.hints) {
        const admission = await options.hints.admit(provider, hint);
        if (!admission.admitted) {
          // Not believed nor refused: the order is re-read when the lease ends (refresh-lease.ts).
          options.logger.log('info', 'webhook hint throttled', { provider });
          response.setHeader('retry-after', String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))));
          return reply(response, 429, { error: 'Too many callbacks for this order; it will be re-read' });
        }
        if (admission.unread) {
          // An id the gateway does not know, while another unknown id holds the provider's read:
          // answered as that read answers one (the provider does not know a made-up id either),
          // after about as long, so neither status nor timing tells that the id is unknown.
          await pace.wait(provider);
          options.logger.log('warn', 'webhook rejected', { provider, reason: 'names no order the gateway knows (not re-read: unknown ids share one read per interval)' });
          return reply(response, 401, { error: 'Unverifiable callback' });
        }
      }
      const readStarted = performance.now();
      const facts = await adapter.readWebhook(webhook).finally(() => {
        if (hint) pace.observe(provider, performance.now() - readStarted);
      });
      await options.service.acceptWebhookFacts(provider, facts);
      const refusal = facts.find((fact) => fact.refusedBecause)?.refusedBecause;
      if (refusal) {
        options.logger.log('warn', 'webhook rejected', { provider, reason: refusal });
        return reply(response, 401, { error: 'Unverifiable callback' });
      }
      options.logger.log('info', 'webhook accepted', { provider, facts: facts.length });
      reply(response, 200, { received: true });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // A body longer than it said (or chunked): reading stopped at the limit, nothing kept.
        response.setHeader('connection', 'close');
        return reply(response, 413, { error: 'Body too large' });
      }
      if (error instanceof GatewayError && error.code === 'UNAUTHENTICATED') {
        options.logger.log('warn', 'webhook rejected', { provider, reason: error.message });
        return reply(response, 401, { error: 'Unverifiable callback' });
      }
      if (error instanceof GatewayError && error.code === 'BAD_USER_INPUT') {
        return reply(response, 400, { error: error.message });
      }
      if (error instanceof GatewayError && error.details.retryAfterMs !== undefined) {
        // Refused for want of room (a bound on provider calls in flight), before any call: the
        // provider retries; a warning, since a flood of forged callbacks is no fault of ours.
        options.logger.log('warn', 'webhook deferred', { provider, reason: error.message });
        response.setHeader('retry-after', String(Math.max(1, Math.ceil(error.details.retryAfterMs / 1000))));
        return reply(response, 503, { error: 'Try again later' });
      }
      // The store or the provider (verify endpoint) failed: 503 so the provider retries later.
      options.logger.log('error', 'webhook failed', { provider, error });
      reply(response, 503, { error: 'Try again later' });
    }
  };
}
