import type { DinteroConfig } from '../../config.js';
import { badInput } from '../../domain/errors.js';
import type { LineItem } from '../../domain/order.js';
import type { CreateOrderCommand } from '../../domain/provider-port.js';
import { readOptions } from '../options.js';
import { checkoutLineId, orderLineNumber } from './lines.js';
import { DinteroOptionsInput } from './options.js';
import type { DinteroCheckoutItem, DinteroDraftOrderRequest, DinteroMoneyOperation, DinteroRecordingBody, DinteroSessionRequest } from './wire.js';

export interface DinteroOptions {
  profileId: string;
  generateOrderId?: string;
}

/** At most this many decimals in a tax rate, so the tax is computed exactly. */
const TAX_RATE_DECIMALS = 4;
const TAX_SCALE = 10n ** BigInt(TAX_RATE_DECIMALS);

/** Provider-specific input rules, checked before anything is stored or sent. */
export function checkDinteroCreate(command: CreateOrderCommand, config: Pick<DinteroConfig, 'profileId'>): DinteroOptions {
  const options = readOptions(DinteroOptionsInput, command.options, 'input.dintero') ?? {};
  if (!command.items.length) throw badInput('input.items', 'A DINTERO order needs items');
  if (!command.returnUrls?.success) throw badInput('input.returnUrls.success', "A DINTERO order needs the URL the buyer returns to (Dintero's return_url)");
  if (command.returnUrls.cancel || command.returnUrls.failure) {
    throw badInput('input.returnUrls', 'Dintero takes one return URL: returnUrls.success (the outcome comes as a query parameter)');
  }
  // CONTRACT: expiresAt is Pei's ExpirationDate. The seed's session body has no expiry, and the
  // session's own expires_at is Dintero's to set: before, it was accepted and silently dropped,
  // so the buyer could still pay after the time the shop asked for.
  if (command.expiresAt) throw badInput('input.expiresAt', 'A Dintero session expires when Dintero says; an order takes no expiresAt');
  const profileId = options.profileId ?? config.profileId;
  if (!profileId || !profileId.trim()) throw badInput('input.dintero.profileId', 'A DINTERO order needs a payment profile (dintero.profileId)');
  const generateOrderId = options.generateOrderId ?? undefined;
  if (generateOrderId !== undefined && !/^(ALPHANUMERIC|NUMERIC)_\d{1,2}$/.test(generateOrderId)) {
    throw badInput('input.dintero.generateOrderId', 'generateOrderId is ALPHANUMERIC_<n> or NUMERIC_<n>, e.g. "ALPHANUMERIC_9"');
  }
  command.items.forEach((item, index) => {
    if (item.taxRate !== undefined && !hasFewDecimals(item.taxRate)) {
      throw badInput(`input.items.${index}.taxRate`, `A tax rate has at most ${TAX_RATE_DECIMALS} decimals`);
    }
  });
  return { profileId, ...(generateOrderId ? { generateOrderId } : {}) };
}

function hasFewDecimals(rate: number): boolean {
  const scaled = rate * Number(TAX_SCALE);
  return Number.isFinite(rate) && Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * The tax inside a gross amount (Dintero's amounts include tax): gross × rate / (100 + rate),
 * computed exactly on integers and rounded half up to the minor unit (the seed: 39800 at 25 % is
 * 7960).
 */
export function taxIncluded(grossMinor: number, ratePercent: number): number {
  const rate = BigInt(Math.round(ratePercent * Number(TAX_SCALE)));
  const numerator = BigInt(grossMinor) * rate;
  const denominator = 100n * TAX_SCALE + rate;
  return Number((2n * numerator + denominator) / (2n * denominator));
}

const quantityOf = (item: LineItem): number => item.quantity ?? 1;

/**
 * The seed's draft always says how its order id comes; an order whose client names no rule asks
 * for the seed's own. Before, such a draft said nothing, and a Dintero that needs a rule (or an
 * `order_id` of the caller's) refused every order without `dintero.generateOrderId`.
 */
export const DEFAULT_ORDER_ID_RULE = 'ALPHANUMERIC_9';

export function toDraftOrder(command: CreateOrderCommand, options: DinteroOptions): DinteroDraftOrderRequest {
  if (!command.currency) throw new Error('the domain guarantees a currency');
  return {
    options: { generate_order_id: options.generateOrderId ?? DEFAULT_ORDER_ID_RULE },
    order: {
      currency: command.currency,
      ...(command.reference ? { merchant_reference: command.reference } : {}),
      items: command.items.map((item, index) => ({
        id: item.code ?? checkoutLineId(item, index),
        line_id: orderLineNumber(index),
        quantity: quantityOf(item),
        gross_amount: item.amount.minor,
        ...(item.taxRate !== undefined ? { tax_lines: [{ amount: taxIncluded(item.amount.minor, item.taxRate), percentage: item.taxRate }] } : {}),
        description: item.name,
        // The seed's draft line has a short alias beside its description; the gateway knows one name, so both carry it.
        description_alias: item.name,
      })),
    },
  };
}

function toCheckoutItem(item: LineItem, index: number): DinteroCheckoutItem {
  return {
    id: item.code ?? checkoutLineId(item, index),
    line_id: checkoutLineId(item, index),
    description: item.name,
    quantity: quantityOf(item),
    amount: item.amount.minor,
    ...(item.taxRate !== undefined ? { vat_amount: taxIncluded(item.amount.minor, item.taxRate), vat: item.taxRate } : {}),
  };
}

/**
 * The checkout session for a completed Dintero order (seed "Create session"): its
 * merchant_reference is Dintero's order_id, merchant_reference_2 the gateway's order id.
 */
export function toSessionRequest(command: CreateOrderCommand, options: DinteroOptions, dinteroOrderId: string, callbackUrl: string): DinteroSessionRequest {
  if (!command.total || !command.currency || !command.returnUrls?.success) throw new Error('checked by checkDinteroCreate');
  const items = command.items.map(toCheckoutItem);
  const taxed = items.some((item) => item.vat_amount !== undefined);
  return {
    url: { return_url: command.returnUrls.success, callback_url: callbackUrl },
    order: {
      amount: command.total.minor,
      currency: command.currency,
      merchant_reference: dinteroOrderId,
      merchant_reference_2: command.orderId,
      ...(taxed ? { vat_amount: items.reduce((total, item) => total + (item.vat_amount ?? 0), 0) } : {}),
      items,
    },
    profile_id: options.profileId,
  };
}

/*
 * The bodies as the seed's examples show them, field by field (round eight). The gateway adds a few
 * fields the seed's bodies do not have: the draft's `merchant_reference` (the client's reference),
 * the session's `merchant_reference_2` (the gateway's order id, read back from a callback's
 * transaction) and order-level `vat_amount`, a mark's `id` (so a resend is a replay). A Dintero that
 * validates its bodies against those examples with no field beyond them refuses each with a 400:
 * before, every createOrder was PROVIDER_REJECTED there, and every mark failed. The client sends
 * these where the full body is refused as invalid (client.ts seedShapedAfterRefusal).
 */

/** The draft without the client's `merchant_reference` (the seed's draft names no reference). */
export function draftAsSeedShows(body: DinteroDraftOrderRequest): DinteroDraftOrderRequest {
  const { merchant_reference: _reference, ...order } = body.order;
  return { ...body, order };
}

/** The session without `merchant_reference_2` and the order-level `vat_amount` (the seed's has VAT per line only). */
export function sessionAsSeedShows(body: DinteroSessionRequest): DinteroSessionRequest {
  const { merchant_reference_2: _gatewayOrderId, vat_amount: _vat, ...order } = body.order;
  return { ...body, order };
}

/** A mark without its `id` (the seed's marks carry items, payment_details and success only). */
export function recordingAsSeedShows(body: DinteroRecordingBody): Omit<DinteroRecordingBody, 'id'> {
  const { id: _id, ...seen } = body;
  return seen;
}

/**
 * A refund without its `reason` (round twelve). No seed shows a refund's body ("see refund
 * transaction"); CONTRACT §8 shows only the capture's, `{amount, capture_reference, items}`, and a
 * Dintero whose refund is written after it, with no field beyond, refuses the gateway's `reason`
 * 400, naming it. Before, every refund with a reason was PROVIDER_REJECTED there (nothing moved, but
 * none could be made); the client now sends it once more without the reason (client.ts
 * seedShapedAfterRefusal: a refusal made nothing, so the second send cannot refund twice).
 */
export function refundAsContractShows(body: DinteroMoneyOperation): DinteroMoneyOperation {
  const { reason: _reason, ...shown } = body;
  return shown;
}
