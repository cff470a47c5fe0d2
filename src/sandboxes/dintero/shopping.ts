/**
 * The Orders API ("shopping") of the Dintero sandbox: draft orders, completing them (which assigns
 * the `order_id`), and the records a merchant keeps on an order of what happened to its payment:
 * authorizations, captures, refunds and cancellations. These move no money; they only record.
 */
import { badRequest, conflict, internalError, notFound } from './errors.js';
import { generatedOrderId, uuid } from './ids.js';
import type { DinteroSandboxOrder, DinteroSandboxOrderItem, DinteroSandboxRecording, DinteroSandboxTaxLine } from './wire.js';

export type RecordingKind = 'authorizations' | 'captures' | 'refunds' | 'cancel';

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function parseTaxLines(value: unknown, path: string, gross: number): DinteroSandboxTaxLine[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest('tax_lines must be an array', path);
  return value.map((line, index) => {
    const at = `${path}.${index}`;
    if (!isObject(line) || !isInt(line.amount) || line.amount < 0 || line.amount > gross) {
      throw badRequest('a tax line amount is an integer from 0 to the gross amount', `${at}.amount`);
    }
    if (typeof line.percentage !== 'number' || line.percentage < 0 || line.percentage > 100) {
      throw badRequest('a tax line percentage is from 0 to 100', `${at}.percentage`);
    }
    return { amount: line.amount, percentage: line.percentage };
  });
}

function parseItems(value: unknown): DinteroSandboxOrderItem[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('order.items must be a non-empty array', 'order.items');
  const seen = new Set<number>();
  return value.map((item, index) => {
    const path = `order.items.${index}`;
    if (!isObject(item)) throw badRequest('an item must be an object', path);
    if (!isInt(item.line_id) || item.line_id < 1) throw badRequest('line_id must be a positive integer', `${path}.line_id`);
    if (seen.has(item.line_id)) throw badRequest('line_id must be unique', `${path}.line_id`);
    seen.add(item.line_id);
    if (!isInt(item.gross_amount) || item.gross_amount < 0) throw badRequest('gross_amount must be a non-negative integer', `${path}.gross_amount`);
    if (item.quantity !== undefined && !(typeof item.quantity === 'number' && item.quantity > 0)) {
      throw badRequest('quantity must be a positive number', `${path}.quantity`);
    }
    const taxLines = parseTaxLines(item.tax_lines, `${path}.tax_lines`, item.gross_amount);
    const text = (key: string): string | undefined => (typeof item[key] === 'string' ? item[key] : undefined);
    const id = text('id');
    const description = text('description');
    const alias = text('description_alias');
    return {
      line_id: item.line_id,
      gross_amount: item.gross_amount,
      ...(id !== undefined ? { id } : {}),
      ...(item.quantity !== undefined ? { quantity: item.quantity as number } : {}),
      ...(taxLines ? { tax_lines: taxLines } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(alias !== undefined ? { description_alias: alias } : {}),
    };
  });
}

export interface ShoppingOptions {
  now: () => Date;
}

export class ShoppingOrders {
  private readonly drafts = new Map<string, DinteroSandboxOrder>();
  private readonly byOrderId = new Map<string, DinteroSandboxOrder>();
  private readonly generateRules = new Map<string, string>();
  private failuresArmed = 0;

  constructor(private readonly options: ShoppingOptions) {}

  /** The next `count` recording requests answer 500 and record nothing. */
  private refusalsArmed = 0;

  /** The next `count` recordings are refused with a 400 (as a recording Dintero will never take), nothing stored. */
  refuseNextRecordings(count: number): void {
    this.refusalsArmed = count;
  }

  failNextRecordings(count: number): void {
    this.failuresArmed = count;
  }

  createDraft(body: Record<string, unknown>): DinteroSandboxOrder {
    const order = body.order;
    if (!isObject(order)) throw badRequest('order is required', 'order');
    const options = body.options;
    if (options !== undefined && !isObject(options)) throw badRequest('options must be an object', 'options');
    const rule = options?.generate_order_id;
    if (rule !== undefined && (typeof rule !== 'string' || generatedOrderId(rule) === undefined)) {
      throw badRequest('generate_order_id is ALPHANUMERIC_<6-20> or NUMERIC_<6-20>', 'options.generate_order_id');
    }
    if (typeof order.currency !== 'string' || !/^[A-Z]{3}$/.test(order.currency)) throw badRequest('currency must be ISO 4217', 'order.currency');
    if (order.merchant_reference !== undefined && typeof order.merchant_reference !== 'string') {
      throw badRequest('merchant_reference must be a string', 'order.merchant_reference');
    }
    const items = parseItems(order.items);
    const draft: DinteroSandboxOrder = {
      id: uuid(),
      status: 'DRAFT',
      currency: order.currency,
      gross_amount: items.reduce((total, item) => total + item.gross_amount, 0),
      ...(typeof order.merchant_reference === 'string' ? { merchant_reference: order.merchant_reference } : {}),
      items,
      created_at: this.options.now().toISOString(),
      authorizations: [],
      captures: [],
      refunds: [],
      cancellations: [],
    };
    this.drafts.set(draft.id, draft);
    if (typeof rule === 'string') this.generateRules.set(draft.id, rule);
    return draft;
  }

  getDraft(id: string): DinteroSandboxOrder {
    const draft = this.drafts.get(id);
    if (!draft) throw notFound(`no draft order ${id}`);
    return draft;
  }

  /** PUT .../draft_orders/{id}/complete; completing twice answers the same order. */
  complete(id: string): DinteroSandboxOrder {
    const draft = this.getDraft(id);
    if (draft.status === 'COMPLETED') return draft;
    const rule = this.generateRules.get(id);
    let orderId = rule ? generatedOrderId(rule) : draft.id;
    while (orderId === undefined || this.byOrderId.has(orderId)) orderId = rule ? generatedOrderId(rule) : uuid();
    draft.order_id = orderId;
    draft.status = 'COMPLETED';
    draft.completed_at = this.options.now().toISOString();
    this.byOrderId.set(orderId, draft);
    return draft;
  }

  get(orderId: string): DinteroSandboxOrder {
    const order = this.byOrderId.get(orderId);
    if (!order) throw notFound(`no order ${orderId}`);
    return order;
  }

  /**
   * POST .../orders/{order_id}/authorizations | captures | refunds | cancel. A recording whose `id`
   * is already on the order is a replay: answered 200 with the stored record, nothing added.
   */
  record(orderId: string, kind: RecordingKind, body: Record<string, unknown>): { replay: boolean; recording: DinteroSandboxRecording } {
    const order = this.get(orderId);
    if (this.failuresArmed > 0) {
      this.failuresArmed -= 1;
      throw internalError('sandbox fault: the recording was not stored');
    }
    if (this.refusalsArmed > 0) {
      this.refusalsArmed -= 1;
      throw badRequest('sandbox fault: the recording is refused', 'items');
    }
    const list = kind === 'cancel' ? order.cancellations : order[kind];
    const id = body.id;
    if (id !== undefined && (typeof id !== 'string' || id === '')) throw badRequest('id must be a non-empty string', 'id');
    const known = typeof id === 'string' ? list.find((entry) => entry.id === id) : undefined;
    if (known) return { replay: true, recording: known };

    const details = body.payment_details;
    if (!isObject(details) || typeof details.payment_id !== 'string' || details.payment_id === '') {
      throw badRequest('payment_details.payment_id is required', 'payment_details.payment_id');
    }
    if (typeof body.success !== 'boolean') throw badRequest('success must be a boolean', 'success');
    const items = this.recordingItems(order, kind, body.items);
    if (kind === 'authorizations' && body.success && order.authorizations.some((entry) => entry.success && entry.payment_details.payment_id === details.payment_id)) {
      throw conflict('DUPLICATE_AUTHORIZATION', `payment ${details.payment_id} is already recorded as authorized`);
    }
    this.checkBounds(order, kind, items, body.success);
    const recording: DinteroSandboxRecording = {
      id: typeof id === 'string' ? id : uuid(),
      created_at: this.options.now().toISOString(),
      items,
      payment_details: { payment_id: details.payment_id },
      success: body.success,
    };
    list.push(recording);
    return { replay: false, recording };
  }

  private recordingItems(order: DinteroSandboxOrder, kind: RecordingKind, value: unknown): { amount: number; line_id: number }[] {
    if (value === undefined && kind === 'cancel') return [];
    if (!Array.isArray(value) || value.length === 0) throw badRequest('items must be a non-empty array', 'items');
    return value.map((item, index) => {
      if (!isObject(item) || !isInt(item.line_id) || !order.items.some((line) => line.line_id === item.line_id)) {
        throw badRequest('line_id must name a line of the order', `items.${index}.line_id`);
      }
      if (!isInt(item.amount) || item.amount <= 0) throw badRequest('amount must be a positive integer', `items.${index}.amount`);
      return { amount: item.amount, line_id: item.line_id };
    });
  }

  /** Per line: captured never exceeds the line's gross amount, refunded never exceeds captured. */
  private checkBounds(order: DinteroSandboxOrder, kind: RecordingKind, items: { amount: number; line_id: number }[], success: boolean): void {
    if (!success || (kind !== 'captures' && kind !== 'refunds')) return;
    const perLine = (list: DinteroSandboxRecording[], lineId: number): number =>
      list.filter((entry) => entry.success).flatMap((entry) => entry.items).filter((item) => item.line_id === lineId).reduce((total, item) => total + item.amount, 0);
    items.forEach((item, index) => {
      const line = order.items.find((candidate) => candidate.line_id === item.line_id);
      const captured = perLine(order.captures, item.line_id);
      const ceiling = kind === 'captures' ? (line?.gross_amount ?? 0) - captured : captured - perLine(order.refunds, item.line_id);
      if (item.amount > ceiling) throw badRequest(`line ${item.line_id} has only ${ceiling} left to ${kind === 'captures' ? 'capture' : 'refund'}`, `items.${index}.amount`);
    });
  }
}
