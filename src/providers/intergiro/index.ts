import { badInput, GatewayError, invalidState, providerUnavailable } from '../../domain/errors.js';
import type { Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import type { ContinueCreationInput, CreateOrderCommand, CreatedOrder, OrderChangeRequest, OrderChangeResult, ProviderAdapter } from '../../domain/provider-port.js';
import { IntergiroClient, type CreateResult } from './client.js';
import {
  checkIntergiroOptions,
  isVerificationRequired,
  listedTotals,
  observationOfAppliedChange,
  observationOfOrder,
  observationOfVerification,
  rejectionDetails,
  toEventCreatable,
  toOrderCreatable,
  toVerifiedCreatable,
} from './mapping.js';
import { createIntergiroWebhookReader } from './webhook.js';
import { IntergiroOrder, IntergiroVerificationDetails, type IntergiroOrderCreatable } from './wire.js';

export interface IntergiroAdapterOptions {
  url: string;
  apiKey: string;
  callbackSecret?: string;
  callbackJwksUrl?: string;
  /** The gateway's public base URL; callbacks go to `<publicUrl>/webhooks/intergiro`. */
  publicUrl: string;
  /** Bound for each Intergiro call, ms. */
  timeoutMs: number;
}

/** Intergiro's operations in the gateway's terms (seed intergiro-orders.txt, CONTRACT §7-§8). */
export function createIntergiroAdapter(options: IntergiroAdapterOptions): ProviderAdapter {
  const client = new IntergiroClient({ url: options.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs });
  const callbackUrl = `${options.publicUrl}/webhooks/intergiro`;

  /** An order, a 3-D Secure step, or PROVIDER_REJECTED: what a create or resubmit answered. */
  function observationOfCreate(result: CreateResult, creatable: IntergiroOrderCreatable, total: Money, type: string): ProviderObservation {
    if (result.ok) return observationOfOrder(result.order, type);
    const error = result.error;
    if (isVerificationRequired(error) && error.id) {
      const details = IntergiroVerificationDetails.safeParse(error.content?.details);
      if (!details.success) throw providerUnavailable('Intergiro', details.error);
      return observationOfVerification(error.id, details.data, total, creatable);
    }
    const { message, ...details } = rejectionDetails(error);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }

  /** The order as the seed's `GET /v1/order?start&end` lists it, from the day before its creation to the day after. */
  async function listedOrder(id: string, createdAt: string): Promise<IntergiroOrder | null> {
    const day = (offset: number): string => new Date(Date.parse(createdAt) + offset * 86_400_000).toISOString().slice(0, 10);
    const entries = await client.listOrders({ start: day(-1), end: day(1) });
    const orders = readEachEntry('INTERGIRO', entries, (entry) => IntergiroOrder.parse(entry));
    return orders.find((candidate) => candidate.id === id) ?? null;
  }

  return {
    provider: 'INTERGIRO',

    validateCreate(command) {
      checkIntergiroOptions(command);
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const creatable = toOrderCreatable(command, checkIntergiroOptions(command), callbackUrl);
      const total = command.total;
      if (!total) throw new Error('checked by validateCreate');
      const observation = observationOfCreate(await client.createOrder(creatable), creatable, total, 'created');
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.reference ? { reference: command.reference } : {}),
        total,
        items: command.items,
        observation,
      };
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      if (input.returnUrls || input.redirectResult) {
        throw badInput('input', 'An Intergiro order is continued with threeDS only');
      }
      if (input.threeDS === undefined || input.threeDS === null || typeof input.threeDS !== 'object' || Array.isArray(input.threeDS)) {
        throw badInput('input.threeDS', 'The 3-D Secure result object is required');
      }
      const creatable = order.providerData.creatable as IntergiroOrderCreatable | undefined;
      if (order.creation.stopAction?.type !== 'THREE_DS' || !creatable || !order.providerOrderId) {
        throw invalidState('The order is not waiting for 3-D Secure');
      }
      const resubmitted = toVerifiedCreatable(creatable, order.providerOrderId, input.threeDS as Record<string, unknown>);
      const result = await client.createOrder(resubmitted);
      if (result.ok && result.order.id !== order.providerOrderId) {
        // Intergiro must keep the id it gave; an answer about another order is not believable.
        throw providerUnavailable('Intergiro', new Error('resubmission answered with another order id'));
      }
      return observationOfCreate(result, creatable, order.total, 'verified');
    },

    async applyOrderChanges(requests: OrderChangeRequest[]): Promise<OrderChangeResult[]> {
      const body = requests.map(({ order, changes }) => {
        if (!order.providerOrderId) throw invalidState('The order has no Intergiro id yet');
        return { id: order.providerOrderId, event: changes.map(toEventCreatable) };
      });
      const answer = await client.changeOrders(body);
      return requests.map(({ order, changes }, index): OrderChangeResult => {
        const echoed = answer.find((element) => element.id === order.providerOrderId) ?? answer[index];
        if (!echoed || echoed.event.length !== changes.length) {
          const error = providerUnavailable('Intergiro', new Error('PATCH answer does not match the request'));
          return { ok: false, error, observations: [], applied: changes.map(() => false) };
        }
        // Intergiro applies each event of the array on its own: a refused one is echoed as a
        // `fail` event and the others still take effect (CONTRACT §8), so all are accounted for.
        const observations: ProviderObservation[] = [];
        const applied: boolean[] = [];
        let refusal: GatewayError | undefined;
        let projected = order;
        for (const [position, change] of changes.entries()) {
          const event = echoed.event[position];
          if (!event || event.type === 'fail') {
            const details = rejectionDetailsOfFail(event?.error);
            refusal ??= new GatewayError('PROVIDER_REJECTED', details.message, details);
            applied.push(false);
            continue;
          }
          projected = projectOrderChange(projected, change);
          observations.push(observationOfAppliedChange(projected, change, event, position));
          applied.push(true);
        }
        return refusal ? { ok: false, error: refusal, observations, applied } : { ok: true, observations };
      });
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      // GET /v1/order/{id} is Intergiro's public API but not in the seed: where it answers 404
      // the order is looked up in the seed's listing of the days around its creation instead.
      const found = (await client.getOrder(order.providerOrderId)) ?? (await listedOrder(order.providerOrderId, order.createdAt));
      return found ? observationOfOrder(found) : null;
    },

    needsReconciliation(order: Order): boolean {
      // Waiting on the buyer (a payment link) or on the acquirer (pending): a lost callback must
      // not leave the order stuck. A 3-D Secure step waits on our own client, not on Intergiro.
      return Boolean(order.providerOrderId) && (order.status === 'CREATED' || order.status === 'PENDING');
    },

    async listOrders(filter) {
      const orders = await client.listOrders({
        ...(filter.from ? { start: filter.from } : {}),
        ...(filter.to ? { end: filter.to } : {}),
      });
      return readEachEntry('INTERGIRO', orders, (entry) => {
        const order = IntergiroOrder.parse(entry);
        const created = new Date(order.created);
        if (Number.isNaN(created.getTime())) throw new RangeError('created is not a date');
        const observation = observationOfOrder(order);
        return {
          providerOrderId: order.id,
          ...(order.number ? { reference: order.number } : {}),
          ...listedTotals(order),
          createdAt: created.toISOString(),
          status: observation.status,
          observation,
        };
      });
    },

    // The signed order as application/jwt; an operation's failure as a JSON Error.
    webhookContentTypes: ['application/jwt', 'application/json'],
    readWebhook: createIntergiroWebhookReader({
      client,
      ...(options.callbackSecret ? { callbackSecret: options.callbackSecret } : {}),
      ...(options.callbackJwksUrl ? { callbackJwksUrl: options.callbackJwksUrl } : {}),
    }),
  };
}

function rejectionDetailsOfFail(error: unknown): { message: string; providerCode: string; providerField?: string } {
  const parsed = error && typeof error === 'object' ? (error as { type?: unknown; error?: unknown; content?: { property?: unknown } }) : {};
  const code = typeof parsed.type === 'string' ? parsed.type : 'fail';
  const field = typeof parsed.content?.property === 'string' ? parsed.content.property : undefined;
  const reason = typeof parsed.error === 'string' ? parsed.error : code;
  return { message: `Intergiro refused the change: ${reason}`, providerCode: code, ...(field ? { providerField: field } : {}) };
}
