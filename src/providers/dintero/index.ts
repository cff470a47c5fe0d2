import { randomUUID } from 'node:crypto';
import type { DinteroConfig } from '../../config.js';
import { GatewayError, invalidState, providerUnavailable } from '../../domain/errors.js';
import { formatMoney } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { CreatedOrder, CreateOrderCommand, OrderChangeRequest, OrderChangeResult, ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { DinteroClient } from './client.js';
import {
  authorizationRecording,
  checkDinteroCreate,
  linesFor,
  observationOfCancelledSession,
  observationOfExpiredSession,
  observationOfSession,
  observationOfTransaction,
  orderLines,
  recordingsOf,
  toDraftOrder,
  toSessionRequest,
  wasAuthorized,
  type DinteroRecording,
} from './mapping.js';
import { RecordingLedger } from './recordings.js';
import { createDinteroWebhookReader } from './webhook.js';
import type { DinteroTransaction } from './wire.js';

/** What the adapter keeps in `Order.providerData` besides the recordings (mapping.ts). */
interface DinteroOrderData {
  draftId?: string;
  sessionId?: string;
  transactionId?: string;
}

const dataOf = (order: Order): DinteroOrderData => order.providerData as DinteroOrderData;

const WAITING_ON_BUYER = new Set(['CREATED', 'ACTION_REQUIRED', 'PENDING']);
const AUTHORIZED_ONWARDS = new Set(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * Dintero in the gateway's terms (seed dintero-orders-and-checkout.txt, CONTRACT §7-§8): a draft
 * order, completed, paid through a checkout session; the transaction is the truth about money,
 * and every money operation is then recorded on the Orders API order (authorizations, captures,
 * refunds, cancel). A recording that fails after the money moved does not fail the operation: it
 * stays pending in providerData, shows as an Info on the order, and reconciliation retries it.
 */
export function createDinteroAdapter(config: DinteroConfig, context: AdapterContext): ProviderAdapter {
  const client = new DinteroClient({ config, timeoutMs: context.timeoutMs, kv: context.kv });
  const ledger = new RecordingLedger({ kv: context.kv, client, accountId: config.accountId, timeoutMs: context.timeoutMs });
  const callbackUrl = `${context.publicUrl}/webhooks/dintero`;

  async function record(recording: DinteroRecording): Promise<DinteroRecording> {
    return { ...recording, done: await ledger.ensure(recording) };
  }

  /**
   * A capture or refund whose answer was lost (a timeout, a reset, a 5xx) may still have
   * happened at Dintero. Before calling it failed, the transaction is read once more: an event
   * carrying this operation's reference means it did happen, and it is counted (a retry would
   * otherwise move the money twice).
   */
  async function moveMoney(
    transactionId: string,
    reference: { field: 'capture_reference' | 'refund_reference'; id: string },
    operation: () => Promise<DinteroTransaction>,
  ): Promise<DinteroTransaction> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_UNAVAILABLE') throw error;
      const reread = await client.getTransaction(transactionId).catch(() => null);
      if (reread?.events.some((event) => event[reference.field] === reference.id)) return reread;
      throw error;
    }
  }

  /** One capture / refund / cancel: the money operation, then its recording on the order. */
  async function applyChange(
    order: Order,
    transactionId: string,
    recordings: Record<string, DinteroRecording>,
    change: OrderChange,
  ): Promise<{ transaction: DinteroTransaction; recording: DinteroRecording }> {
    const orderId = order.providerOrderId ?? '';
    const payment = { payment_id: transactionId };
    const label = (verb: string): string => (change.amount ? `${verb} of ${formatMoney(change.amount)} ${change.amount.currency}` : verb);
    switch (change.type) {
      case 'CAPTURE': {
        const lines = linesFor(order, recordings, change);
        const id = `cap-${randomUUID()}`;
        const transaction = await moveMoney(transactionId, { field: 'capture_reference', id }, () =>
          client.capture(transactionId, { amount: change.amount?.minor ?? 0, capture_reference: id, items: lines.checkout }),
        );
        const recording = { kind: 'captures' as const, orderId, body: { id, items: lines.orders, payment_details: payment, success: true as const }, done: false, label: label('capture') };
        return { transaction, recording: await record(recording) };
      }
      case 'REFUND': {
        const lines = linesFor(order, recordings, change);
        const id = `ref-${randomUUID()}`;
        const transaction = await moveMoney(transactionId, { field: 'refund_reference', id }, () =>
          client.refund(transactionId, {
            amount: change.amount?.minor ?? 0,
            refund_reference: id,
            ...(change.reason ? { reason: change.reason } : {}),
            items: lines.checkout,
          }),
        );
        const recording = { kind: 'refunds' as const, orderId, body: { id, items: lines.orders, payment_details: payment, success: true as const }, done: false, label: label('refund') };
        return { transaction, recording: await record(recording) };
      }
      case 'CANCEL': {
        const transaction = await client.void(transactionId);
        const id = `cancel-${transactionId}`;
        const recording = { kind: 'cancel' as const, orderId, body: { id, items: orderLines(order), payment_details: payment, success: true as const }, done: false, label: 'cancellation' };
        return { transaction, recording: await record(recording) };
      }
    }
  }

  async function applyChanges({ order, changes }: OrderChangeRequest): Promise<OrderChangeResult> {
    const transactionId = dataOf(order).transactionId;
    const observations: ProviderObservation[] = [];
    const applied: boolean[] = [];
    const recordings = recordingsOf(order);
    for (const change of changes) {
      try {
        if (!transactionId || !order.providerOrderId) throw invalidState('The order has no Dintero transaction yet');
        const { transaction, recording } = await applyChange(order, transactionId, recordings, change);
        recordings[recording.body.id] = recording;
        const type = change.type === 'CAPTURE' ? 'captured' : change.type === 'REFUND' ? 'refunded' : 'voided';
        observations.push(
          observationOfTransaction(transaction, {
            recordings: { [recording.body.id]: recording },
            creationFrom: recordings,
            type,
            ...(change.amount ? { amount: change.amount } : {}),
          }),
        );
        applied.push(true);
      } catch (error) {
        // The money operation was refused (or its outcome is unknown): this change and the ones
        // after it did not happen; the ones before did.
        const rest = changes.slice(applied.length).map(() => false);
        return { ok: false, error: error instanceof Error ? error : new Error(String(error)), observations, applied: [...applied, ...rest] };
      }
    }
    return { ok: true, observations };
  }

  return {
    provider: 'DINTERO',
    // A refund recording may still be pending when the order is REFUNDED (final).
    reconcilesFinalOrders: true,

    validateCreate(command) {
      checkDinteroCreate(command, config);
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const options = checkDinteroCreate(command, config);
      const total = command.total;
      if (!total) throw new Error('the domain sums the items');
      const draft = await client.createDraftOrder(toDraftOrder(command, options));
      const completed = await client.completeDraftOrder(draft.id);
      const session = await client.createSession(toSessionRequest(command, options, completed.order_id, callbackUrl));
      return {
        providerOrderId: completed.order_id,
        reference: command.reference ?? completed.order_id,
        total,
        items: command.items,
        observation: observationOfSession(completed.order_id, session, draft.id),
      };
    },

    async applyOrderChanges(requests: OrderChangeRequest[]): Promise<OrderChangeResult[]> {
      return Promise.all(requests.map(applyChanges));
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      const data = dataOf(order);
      let transactionId = data.transactionId;
      if (!transactionId) {
        if (!data.sessionId || !order.providerOrderId) return null;
        const session = await client.getSession(data.sessionId);
        if (!session) return null;
        if (session.cancelled_at && !session.transaction_id) return observationOfCancelledSession(session, order.providerOrderId);
        if (!session.transaction_id) {
          const expired = session.expires_at !== undefined && Date.parse(session.expires_at) <= Date.now();
          return expired ? observationOfExpiredSession(session, order.providerOrderId) : null; // else the buyer is still on the page
        }
        transactionId = session.transaction_id;
      }
      const transaction = await client.getTransaction(transactionId);
      if (!transaction) return null;
      if (transaction.merchant_reference !== order.providerOrderId) {
        throw providerUnavailable('Dintero', new Error('the transaction belongs to another Dintero order'));
      }
      // Retry what is pending (never the money operation), and record an authorization nobody did.
      const known = recordingsOf(order);
      const updates: Record<string, DinteroRecording> = {};
      for (const [id, recording] of Object.entries(known)) {
        if (!recording.done && (await ledger.ensure(recording))) updates[id] = { ...recording, done: true };
      }
      if (wasAuthorized(transaction)) {
        const authorization = authorizationRecording(transaction, orderLines(order));
        if (!known[authorization.body.id]) updates[authorization.body.id] = await record(authorization);
      }
      const all = { ...known, ...updates };
      const fact = observationOfTransaction(transaction, { recordings: updates, creationFrom: all });
      // A fact that corrects what the order shows (a late, stale one overwrote it) must not be
      // mistaken for one already applied: the order's version makes its key new.
      const corrects = Object.keys(updates).length > 0 || JSON.stringify(fact.creation) !== JSON.stringify(order.creation);
      return corrects ? { ...fact, key: `${fact.key}:v${order.version}` } : fact;
    },

    needsReconciliation(order: Order): boolean {
      if (WAITING_ON_BUYER.has(order.status)) return Boolean(dataOf(order).sessionId || dataOf(order).transactionId);
      const recordings = Object.values(recordingsOf(order));
      if (recordings.some((recording) => !recording.done)) return true;
      if (AUTHORIZED_ONWARDS.has(order.status) && !recordings.some((recording) => recording.kind === 'authorizations')) return true;
      return order.creation.status === 'STOPPED' && Boolean(dataOf(order).transactionId);
    },

    readWebhook: createDinteroWebhookReader(client, ledger),
  };
}

