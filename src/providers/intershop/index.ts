import type { IntershopConfig } from '../../config.js';
import { GatewayError } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { ContinueCreationInput, CreateOrderCommand, CreatedOrder, ListedOrder, ProviderAdapter, ProviderListFilter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { IntershopClient } from './client.js';
import { checkIntershopCreate, continueRequest, observationOf, redirectUrlsRequest, totalsOf } from './mapping.js';
import type { IntershopOrderDocument, IntershopPaymentsDocument } from './wire.js';

/**
 * How long an order stays re-read while its buyer is at the PSP. A PSP notification can finish
 * the order at ICM without the shop ever continuing (the buyer closed the tab); ICM tells nobody,
 * so the gateway looks. An abandoned checkout stops being read after this.
 */
const REDIRECT_WATCH_MS = 60 * 60 * 1000;

/** Intershop ICM's order creation chain in the gateway's terms (seed intershop-icm-order-rest-v1.txt, CONTRACT §7-§8). */
export function createIntershopAdapter(config: IntershopConfig, context: AdapterContext): ProviderAdapter {
  const client = new IntershopClient({ url: config.url, timeoutMs: context.timeoutMs, ...(config.authToken ? { authToken: config.authToken } : {}) });

  /**
   * The order exists at ICM once POST /orders answered: a failing follow-up PATCH must not lose it.
   * The client is then told the first stop (redirect_urls_required) and continues itself.
   */
  async function continueWithUrls(document: IntershopOrderDocument, command: CreateOrderCommand): Promise<IntershopOrderDocument> {
    const stop = document.data.orderCreation.stopAction;
    if (!command.returnUrls || document.data.orderCreation.status !== 'STOPPED' || stop?.exitReason !== 'redirect_urls_required') return document;
    try {
      return await client.continueOrder(document.data.id, redirectUrlsRequest(command.returnUrls, 'input.returnUrls'));
    } catch (error) {
      if (error instanceof GatewayError) return document;
      throw error;
    }
  }

  /**
   * The payments resource (method display names, amounts) for a step's answer. It only adds
   * detail: when it cannot be read, the step's own document still counts and a later re-read fills it in.
   */
  async function paymentsOrNone(orderId: string): Promise<IntershopPaymentsDocument | undefined> {
    try {
      return await client.getPayments(orderId);
    } catch (error) {
      if (error instanceof GatewayError) return undefined;
      throw error;
    }
  }

  return {
    provider: 'INTERSHOP',

    validateCreate(command) {
      checkIntershopCreate(command);
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const options = checkIntershopCreate(command);
      const created = await client.createOrder(options.basketId, options.termsAndConditionsAccepted);
      const document = await continueWithUrls(created, command);
      return {
        providerOrderId: document.data.id,
        ...(command.reference ? { reference: command.reference } : {}),
        ...totalsOf(created.data, created.included),
        observation: observationOf(document, document.data, await paymentsOrNone(document.data.id)),
      };
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      const request = continueRequest(order, input);
      if (!order.providerOrderId) throw new Error('an Intershop order always has its ICM id');
      const document = await client.continueOrder(order.providerOrderId, request);
      return observationOf(document, document.data, await paymentsOrNone(order.providerOrderId));
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      const document = await client.getOrder(order.providerOrderId);
      if (!document) return null;
      const payments = await client.getPayments(order.providerOrderId);
      return observationOf(document, document.data, payments);
    },

    needsReconciliation(order: Order): boolean {
      if (!order.providerOrderId) return false;
      if (order.status === 'PENDING') return true; // waiting_for_pending_payments: only the PSP's notification settles it
      const atPsp = order.status === 'ACTION_REQUIRED' && order.creation.stopAction?.type === 'REDIRECT';
      return atPsp && Date.now() - Date.parse(order.updatedAt) < REDIRECT_WATCH_MS;
    },

    async listOrders(filter: ProviderListFilter): Promise<ListedOrder[]> {
      const list = await client.listOrders();
      return list.data
        .map((data) => ({ data, createdAt: new Date(data.creationDate).toISOString() }))
        .filter(({ createdAt }) => inRange(createdAt.slice(0, 10), filter))
        .map(({ data, createdAt }) => {
          const observation = observationOf({ included: list.included }, data);
          return { providerOrderId: data.id, createdAt, status: observation.status, observation, ...totalsOf(data, list.included) };
        });
    },
  };
}

/** `from` / `to` are calendar days (UTC), both inclusive; ICM's list has no date filter of its own. */
function inRange(day: string, filter: ProviderListFilter): boolean {
  return (!filter.from || day >= filter.from.slice(0, 10)) && (!filter.to || day <= filter.to.slice(0, 10));
}
