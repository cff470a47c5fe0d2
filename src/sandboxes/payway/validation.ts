/**
 * The seed's place_order parameter table (and perform_additional_action's, CONTRACT §8), as the
 * sandbox enforces it: the first violation answers 400 `invalid_parameter` naming the field as
 * Payway spells it (`browser_info.color_depth`), like Payway's documented error example.
 */
import { invalidParameter } from './errors.js';
import type { PaywaySandboxPlaceOrder } from './wire.js';

const HEX24 = /^[a-f\d]{24}$/i;
const PRODUCT_CODE = /^[a-zA-Z\-_0-9]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRIES = ['SE', 'FI', 'AX'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function string(body: Json, field: string, path: string, rule: { required: boolean; min?: number; max?: number; pattern?: RegExp }): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (rule.required) throw invalidParameter(path, 'Parameter is required');
    return undefined;
  }
  if (typeof value !== 'string') throw invalidParameter(path, 'Parameter must be a string');
  if (rule.min !== undefined && value.length < rule.min) throw invalidParameter(path, `Parameter must be at least ${rule.min} characters`);
  if (rule.max !== undefined && value.length > rule.max) throw invalidParameter(path, `Parameter must be at most ${rule.max} characters`);
  if (rule.pattern && !rule.pattern.test(value)) throw invalidParameter(path, `Parameter must match format (${rule.pattern.source})`);
  return value;
}

function absoluteUri(body: Json, field: string, path: string): string {
  const value = string(body, field, path, { required: true, max: 1024 }) as string;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // fall through
  }
  throw invalidParameter(path, 'Parameter must be an absolute URI');
}

function integer(body: Json, field: string, path: string): void {
  if (!Number.isInteger(body[field])) throw invalidParameter(path, 'Parameter must be an integer');
}

function browserInfo(value: unknown): void {
  if (!isObject(value)) throw invalidParameter('browser_info', 'Parameter is required');
  for (const field of ['browser_ip', 'browser_language', 'browser_user_agent', 'referer', 'accept_header']) {
    string(value, field, `browser_info.${field}`, { required: true, min: 1 });
  }
  for (const field of ['color_depth', 'screen_height', 'screen_width', 'time_zone_offset']) integer(value, field, `browser_info.${field}`);
  if (typeof value.java_enabled !== 'boolean') throw invalidParameter('browser_info.java_enabled', 'Parameter must be a boolean');
}

function deliveryAddress(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw invalidParameter('delivery_address', 'Parameter must be an object');
  for (const field of ['first_name', 'last_name', 'street', 'zip_code', 'city']) {
    string(value, field, `delivery_address.${field}`, { required: true, min: 1 });
  }
  for (const field of ['street_number', 'floor', 'apartment_number', 'entrance', 'dropbox']) {
    string(value, field, `delivery_address.${field}`, { required: false });
  }
  const country = string(value, 'country_code', 'delivery_address.country_code', { required: true });
  if (!COUNTRIES.includes(country as string)) throw invalidParameter('delivery_address.country_code', 'Parameter must be one of SE, FI, AX');
}

export function parsePlaceOrder(body: unknown): PaywaySandboxPlaceOrder {
  if (!isObject(body)) throw invalidParameter('body', 'The body must be a JSON object');
  const method = body.payment_method;
  if (!isObject(method) || typeof method.type !== 'string') throw invalidParameter('payment_method', 'Parameter is required');
  string(body, 'product_code', 'product_code', { required: true, min: 1, max: 50, pattern: PRODUCT_CODE });
  string(body, 'period_id', 'period_id', { required: true, max: 24, pattern: HEX24 });
  absoluteUri(body, 'return_url', 'return_url');
  absoluteUri(body, 'origin', 'origin');
  string(body, 'traffic_source', 'traffic_source', { required: false, max: 100 });
  const start = string(body, 'subscription_start_date', 'subscription_start_date', { required: false, pattern: DATE });
  if (start !== undefined && Number.isNaN(Date.parse(`${start}T00:00:00Z`))) throw invalidParameter('subscription_start_date', 'Parameter must be a date');
  string(body, 'discount_code', 'discount_code', { required: false, min: 1, max: 100 });
  string(body, 'merchant_reference', 'merchant_reference', { required: false, max: 1024 });
  browserInfo(body.browser_info);
  deliveryAddress(body.delivery_address);
  return body as unknown as PaywaySandboxPlaceOrder;
}

export function parseAdditionalAction(body: unknown): { details: Json; session_reference: string; origin: string } {
  if (!isObject(body)) throw invalidParameter('body', 'The body must be a JSON object');
  if (!isObject(body.details)) throw invalidParameter('details', 'Parameter is required');
  const session = string(body, 'session_reference', 'session_reference', { required: true, max: 24, pattern: HEX24 }) as string;
  const origin = absoluteUri(body, 'origin', 'origin');
  return { details: body.details, session_reference: session, origin };
}
