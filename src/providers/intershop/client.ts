import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import { callProvider, parseWire, type ProviderResponse } from '../http.js';
import { rejectionDetails } from './mapping.js';
import {
  IntershopErrors,
  IntershopOrderDocument,
  IntershopOrderListDocument,
  IntershopPaymentsDocument,
  type IntershopContinueRequest,
} from './wire.js';

export interface IntershopClientOptions {
  /** The site's REST base up to `/-` (paths below are relative to it). */
  url: string;
  /** Sent as ICM's `authentication-token` header when set. */
  authToken?: string;
  timeoutMs: number;
}

/** Seed §2.1: without it ICM answers the legacy API, whose shapes are not these. */
const ORDER_V1 = 'application/vnd.intershop.order.v1+json';
/** What every order answer includes, so one call gives status, items and payments. */
const ORDER_INCLUDES = 'include=lineItems,payments,payments.paymentInstrument,payments.paymentMethod';
const PROVIDER = 'Intershop';

/** Intershop ICM's order REST calls (v1), typed with its wire shapes. */
export class IntershopClient {
  constructor(private readonly options: IntershopClientOptions) {}

  async createOrder(basket: string, termsAndConditionsAccepted: boolean): Promise<IntershopOrderDocument> {
    const response = await this.call('POST', `/orders?${ORDER_INCLUDES}`, { basket, termsAndConditionsAccepted });
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopOrderDocument, response.text);
  }

  async continueOrder(id: string, body: IntershopContinueRequest): Promise<IntershopOrderDocument> {
    const response = await this.call('PATCH', `/orders/${encodeURIComponent(id)}?${ORDER_INCLUDES}`, body);
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopOrderDocument, response.text);
  }

  /** Null when ICM does not know the order. */
  async getOrder(id: string): Promise<IntershopOrderDocument | null> {
    const response = await this.call('GET', `/orders/${encodeURIComponent(id)}?${ORDER_INCLUDES}`);
    if (response.status === 404) return null;
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopOrderDocument, response.text);
  }

  /** Seed §3.1: the payments with their methods' display names. */
  async getPayments(id: string): Promise<IntershopPaymentsDocument> {
    const response = await this.call('GET', `/orders/${encodeURIComponent(id)}/payments?include=paymentInstrument,paymentMethod`);
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopPaymentsDocument, response.text);
  }

  /** Seed §2.3: the user's orders, newest first. */
  async listOrders(): Promise<IntershopOrderListDocument> {
    const response = await this.call('GET', `/orders?${ORDER_INCLUDES}`);
    this.expectOk(response);
    return parseWire(PROVIDER, IntershopOrderListDocument, response.text);
  }

  private call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<ProviderResponse> {
    return callProvider(PROVIDER, `${this.options.url}${path}`, {
      method,
      timeoutMs: this.options.timeoutMs,
      headers: {
        accept: ORDER_V1,
        ...(this.options.authToken ? { 'authentication-token': this.options.authToken } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** A 4xx with ICM's error body is ICM talking (PROVIDER_REJECTED); anything else is unreadable. */
  private expectOk(response: ProviderResponse): void {
    if (response.status >= 200 && response.status < 300) return;
    let errors: IntershopErrors;
    try {
      errors = parseWire(PROVIDER, IntershopErrors, response.text);
    } catch {
      throw providerUnavailable(PROVIDER, new Error(`HTTP ${response.status} without an ICM error body`));
    }
    const { message, ...details } = rejectionDetails(errors);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }
}
