import type { PeiConfig } from '../../config.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { CreatedOrder, CreateOrderCommand, ListedOrder, ProviderAdapter, ProviderListFilter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { PeiClient } from './client.js';
import {
  checkPeiCreate,
  lineItemsOf,
  listingDays,
  observationOfOrder,
  observationOfPaid,
  observationOfSubmitted,
  toOrderRequest,
  toPayRequest,
  totalOf,
} from './mapping.js';
import { createPeiWebhookReader } from './webhook.js';

export interface PeiAdapterOptions {
  /** Injectable clock (expiry, default expiration date, "today" for listings). Default the system clock. */
  now?: () => Date;
}

/** Pei's operations in the gateway's terms (seed pei-orders.txt, CONTRACT §7-§8). */
export function createPeiAdapter(config: PeiConfig, context: AdapterContext, options: PeiAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? (() => new Date());
  const client = new PeiClient({
    url: config.url,
    tokenUrl: config.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    timeoutMs: context.timeoutMs,
    kv: context.kv,
  });
  const merchantId = Number(config.merchantId);
  const postbackUrl = `${context.publicUrl}/webhooks/pei`;
  const checkoutUrl = config.checkoutUrl.replace(/\/$/, '');

  return {
    provider: 'PEI',
    // Pei's postback is unsigned and only comes on confirmation: a waiting order is re-read when asked for.
    refreshOnRead: true,

    validateCreate(command) {
      checkPeiCreate(command, now());
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const plan = checkPeiCreate(command, now());
      const total = command.total;
      if (!total) throw new Error('checked by validateCreate');
      const requestContext = { merchantId, postbackUrl, now: now() };
      let observation: ProviderObservation;
      if (plan.kind === 'pay') {
        const paid = await client.payForBuyer(toPayRequest(command, plan, requestContext));
        observation = observationOfPaid(paid, total, checkoutUrl);
      } else {
        const orderId = await client.submitOrder(toOrderRequest(command, plan, requestContext));
        observation = observationOfSubmitted(orderId, total, plan, checkoutUrl);
      }
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.reference ? { reference: command.reference } : {}),
        total,
        items: command.items,
        observation,
      };
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      const found = await client.getOrder(order.providerOrderId);
      return found ? observationOfOrder(found, now(), checkoutUrl) : null;
    },

    needsReconciliation(order: Order): boolean {
      // Waiting on the buyer (who may cancel, which Pei never posts back, or let it expire) or on a
      // recurring charge; a lost postback must not leave the order waiting.
      return Boolean(order.providerOrderId) && (order.status === 'CREATED' || order.status === 'PENDING');
    },

    async listOrders(filter: ProviderListFilter): Promise<ListedOrder[]> {
      const days = listingDays(filter.from, filter.to, now().toISOString().slice(0, 10));
      const listed: ListedOrder[] = [];
      for (const day of days) {
        for (const order of await client.ordersOn(merchantId, day)) {
          const observation = observationOfOrder(order, now(), checkoutUrl);
          listed.push({
            providerOrderId: order.orderId,
            ...(order.reference ? { reference: order.reference } : {}),
            total: totalOf(order),
            items: lineItemsOf(order),
            createdAt: new Date(order.created).toISOString(),
            status: observation.status,
            observation,
          });
        }
      }
      return listed;
    },

    readWebhook: createPeiWebhookReader({ client, checkoutUrl, now }),

    // Pei has no capture, refund or cancel: applyOrderChanges is absent, so each element answers NOT_SUPPORTED.
  };
}
