import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DinteroConfig } from '../../config.js';
import { GatewayError, invalidState, providerUnavailable } from '../../domain/errors.js';
import { formatMoney, type Money } from '../../domain/money.js';
import { applyObservation, type ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { OrderChange } from '../../domain/order-events.js';
import type { CreatedOrder, CreateOrderCommand, OrderChangeRequest, OrderChangeResult, ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { DinteroClient, neverSent } from './client.js';
import { lineTable, linesFor, orderLines, type LineMovement } from './lines.js';
import {
  authorizationRecording,
  observationOfCancelledSession,
  observationOfExpiredSession,
  observationOfSession,
  observationOfTransaction,
  observationOfUnknownOutcome,
  showsOperation,
  wasAuthorized,
  type Bookkeeping,
} from './mapping.js';
import { OrderLocks, type MovementJournal } from './order-lock.js';
import { dataOf, type DinteroPendingMoney, type DinteroRecording } from './provider-data.js';
import { RecordingLedger, type RecordingOutcome } from './recordings.js';
import { checkDinteroCreate, toDraftOrder, toSessionRequest } from './request.js';
import { createDinteroWebhookReader, dinteroWebhookHint, type LineTables } from './webhook.js';
import type { DinteroTransaction } from './wire.js';

/** Knobs of the Dintero adapter beyond its configuration (tests set them; production uses the defaults). */
export interface DinteroAdapterOptions {
  /** Clock, epoch ms: session expiry, unknown outcomes, recording retries. Default the system clock. */
  now?: () => number;
  /** Wait between looks at a busy order lock or recording claim. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A session past its `expires_at` is not EXPIRED at once: a buyer who started paying just before
 * (a wallet app, a 3-D Secure step) may still be authorized, and the transaction shows on the
 * session only then. EXPIRED is final, so the gateway waits this long before saying it.
 */
export const EXPIRY_GRACE_MS = 10 * 60 * 1000;

/**
 * How long a capture, refund or void whose answer was lost is looked for in the transaction.
 * Dintero finishes or drops an operation well within this; after it, it is taken as not done.
 */
export const UNKNOWN_OUTCOME_BOUND_MS = 10 * 60 * 1000;

/** How long a recording Dintero does not take (5xx, timeouts) is retried before it is marked failed. */
export const RECORDING_RETRY_BOUND_MS = 24 * 60 * 60 * 1000;

/** Line tables are kept as long as a callback for the order may still come. */
const LINE_TABLE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const LineTable = z.record(z.string(), z.number().int().positive());

const WAITING_ON_BUYER = new Set(['CREATED', 'ACTION_REQUIRED', 'PENDING']);
const AUTHORIZED_ONWARDS = new Set(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/** What one capture / refund / cancel left: the fact to record, and the error when its outcome is unknown. */
interface ChangeOutcome {
  observation: ProviderObservation;
  unknown?: GatewayError;
}

/**
 * Dintero in the gateway's terms (seed dintero-orders-and-checkout.txt, CONTRACT §7-§8): a draft
 * order, completed, paid through a checkout session; the transaction is the truth about money,
 * and every money operation is then recorded on the Orders API order (authorizations, captures,
 * refunds, cancel). Once money moved, nothing undoes the change: a recording that fails stays
 * pending in providerData, shows as an Info, and reconciliation retries it; a money call whose
 * answer was lost is kept as "unknown" (the client's idempotency key with it) until a re-read of
 * the transaction settles it.
 */
export function createDinteroAdapter(config: DinteroConfig, context: AdapterContext, options: DinteroAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { kv, timeoutMs } = context;
  const client = new DinteroClient({ config, timeoutMs, kv, now });
  const ledger = new RecordingLedger({ kv, client, accountId: config.accountId, timeoutMs, now, sleep });
  const locks = new OrderLocks({ kv, accountId: config.accountId, waitMs: timeoutMs * 2, now, sleep });
  const callbackUrl = `${context.publicUrl}/webhooks/dintero`;
  const lineTableKey = (dinteroOrderId: string): string => `dintero:lines:${config.accountId}:${dinteroOrderId}`;
  const lineTables: LineTables = {
    async get(dinteroOrderId) {
      const raw = await kv.get(lineTableKey(dinteroOrderId));
      return raw === null ? undefined : LineTable.parse(JSON.parse(raw));
    },
  };

  function settle(recording: DinteroRecording, outcome: RecordingOutcome): DinteroRecording {
    switch (outcome.state) {
      case 'done':
        return { ...recording, state: 'done' };
      case 'failed':
        return { ...recording, state: 'failed', reason: outcome.reason };
      case 'pending':
        return now() - recording.firstTriedAt >= RECORDING_RETRY_BOUND_MS
          ? { ...recording, state: 'failed', reason: 'Dintero did not take it within 24 hours' }
          : recording;
    }
  }

  async function record(recording: DinteroRecording): Promise<DinteroRecording> {
    return settle(recording, await ledger.ensure(recording));
  }

  /**
   * After the money moved the change has happened, whatever the recording does: a recording that
   * cannot even be tried (the store fails) stays pending, for reconciliation to send.
   */
  async function recordAfterMoney(recording: DinteroRecording): Promise<DinteroRecording> {
    try {
      return await record(recording);
    } catch {
      return recording;
    }
  }

  /**
   * A capture, refund or void whose answer was lost (a timeout, a reset, a 5xx) may still have
   * happened at Dintero. The transaction is read once more: if it shows the operation (its
   * reference; for a void, AUTHORIZATION_VOIDED) it happened. Otherwise the outcome is unknown
   * (Dintero may still be processing it): not "failed", or a retry would move the money twice.
   */
  async function moveMoney(
    transactionId: string,
    operation: Pick<DinteroPendingMoney, 'kind' | 'ref'>,
    call: () => Promise<DinteroTransaction>,
  ): Promise<{ known: true; transaction: DinteroTransaction } | { known: false; transaction: DinteroTransaction | null; error: GatewayError }> {
    try {
      return { known: true, transaction: await call() };
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_UNAVAILABLE' || neverSent(error)) throw error;
      const reread = await client.getTransaction(transactionId).catch(() => null);
      if (reread && showsOperation(reread, operation)) return { known: true, transaction: reread };
      return { known: false, transaction: reread, error };
    }
  }

  /** Every capture / refund that may have happened on the order, recorded or not, by id. */
  function movementsOf(book: Bookkeeping, journaled: Record<string, LineMovement>): LineMovement[] {
    const movements = new Map<string, LineMovement>();
    const dropped = new Set(Object.values(book.pending).filter((entry) => entry.state === 'dropped').map((entry) => entry.ref));
    for (const [id, movement] of Object.entries(journaled)) if (!dropped.has(id)) movements.set(id, movement);
    for (const [id, recording] of Object.entries(book.recordings)) {
      if (recording.kind === 'captures' || recording.kind === 'refunds') movements.set(id, { kind: recording.kind, items: recording.body.items });
    }
    for (const entry of Object.values(book.pending)) {
      if (entry.state === 'unsettled' && entry.kind !== 'cancel') movements.set(entry.ref, { kind: entry.kind, items: entry.lines });
    }
    return [...movements.values()];
  }

  /** One capture / refund / cancel on an order this caller holds the lock of: the money operation, then its recording. */
  async function applyChange(order: Order, transactionId: string, change: OrderChange, journal: MovementJournal, journaled: Record<string, LineMovement>): Promise<ChangeOutcome> {
    const orderId = order.providerOrderId ?? '';
    const book = dataOf(order);
    const payment = { payment_id: transactionId };
    const label = (verb: string, amount?: Money): string => (amount ? `${verb} of ${formatMoney(amount)} ${amount.currency}` : verb);
    const sentAt = now();

    let kind: DinteroPendingMoney['kind'];
    let ref: string;
    let lines: { line_id: number; amount: number }[];
    let moved: Awaited<ReturnType<typeof moveMoney>>;
    switch (change.type) {
      case 'CAPTURE':
      case 'REFUND': {
        const capture = change.type === 'CAPTURE';
        kind = capture ? 'captures' : 'refunds';
        // With an idempotency key the reference is the same on every retry of this change, and a
        // retry first looks for it in the transaction: a gateway that died after Dintero moved the
        // money, before anything was stored, must not move it a second time. (Without a key
        // nothing can tell a retry from a new request.)
        const id = change.requestKey ? `${capture ? 'cap' : 'ref'}-${stableReference(transactionId, change.requestKey)}` : `${capture ? 'cap' : 'ref'}-${randomUUID()}`;
        ref = id;
        const earlier = change.requestKey ? await client.getTransaction(transactionId) : null;
        const done = earlier && showsOperation(earlier, { kind, ref }) ? earlier : null;
        const alreadyJournaled = done ? journaled[id] : undefined;
        const chosen = alreadyJournaled ? { orders: alreadyJournaled.items, checkout: [] } : linesFor(order, movementsOf(book, journaled), change);
        lines = chosen.orders;
        const amount = change.amount?.minor ?? 0;
        moved = done
          ? { known: true, transaction: done }
          : await moveMoney(transactionId, { kind, ref }, () =>
              capture
                ? client.capture(transactionId, { amount, capture_reference: id, items: chosen.checkout })
                : client.refund(transactionId, { amount, refund_reference: id, ...(change.reason ? { reason: change.reason } : {}), items: chosen.checkout }),
            );
        // The next holder of the lock counts this money too, whatever its order snapshot says.
        const movement: LineMovement = { kind: capture ? 'captures' : 'refunds', items: lines };
        journaled[id] = movement;
        await journal.add(id, movement).catch(() => undefined);
        break;
      }
      case 'CANCEL': {
        kind = 'cancel';
        ref = `cancel-${transactionId}`;
        lines = orderLines(order);
        moved = await moveMoney(transactionId, { kind, ref }, () => client.void(transactionId));
        break;
      }
    }
    const verb = change.type === 'CAPTURE' ? 'capture' : change.type === 'REFUND' ? 'refund' : 'cancellation';
    const type = change.type === 'CAPTURE' ? 'captured' : change.type === 'REFUND' ? 'refunded' : 'voided';
    const described = label(verb, change.amount);

    if (!moved.known) {
      const entry: DinteroPendingMoney = { ref, kind, amount: change.amount?.minor ?? 0, lines, label: described, since: sentAt, state: 'unsettled' };
      const all: Bookkeeping = { recordings: book.recordings, pending: { ...book.pending, [ref]: entry } };
      const observation = moved.transaction
        ? observationOfTransaction(moved.transaction, { updates: { pending: { [ref]: entry } }, creationFrom: all, type: 'outcome_unknown', ...(change.amount ? { amount: change.amount } : {}) })
        : observationOfUnknownOutcome(order, transactionId, entry, all, change.amount);
      return { observation, unknown: moved.error };
    }

    const recording = await recordAfterMoney({
      kind,
      orderId,
      body: { id: ref, items: lines, payment_details: payment, success: true },
      state: 'pending',
      label: described,
      firstTriedAt: sentAt,
    });
    const all: Bookkeeping = { recordings: { ...book.recordings, [ref]: recording }, pending: book.pending };
    const observation = observationOfTransaction(moved.transaction, {
      updates: { recordings: { [ref]: recording } },
      creationFrom: all,
      type,
      ...(change.amount ? { amount: change.amount } : {}),
    });
    return { observation };
  }

  /** One applyOrderEvents element: its changes in order, under the order's lock. */
  async function applyChanges({ order, changes }: OrderChangeRequest): Promise<OrderChangeResult> {
    const observations: ProviderObservation[] = [];
    let done = 0;
    // Changes before `done` took effect; the one at `done` too when its outcome is unknown (the
    // service then keeps its idempotency key, so a retry does not send it again).
    const fail = (error: unknown, unknownOutcome: boolean): OrderChangeResult => ({
      ok: false,
      error: error instanceof Error ? error : new Error(String(error)),
      observations,
      applied: changes.map((_, index) => index < done || (unknownOutcome && index === done)),
    });
    const transactionId = dataOf(order).transactionId;
    if (!transactionId || !order.providerOrderId) return fail(invalidState('The order has no Dintero transaction yet'), false);
    const lockTtl = timeoutMs * 4 * changes.length + 1000;
    try {
      return await locks.withLock(order.id, lockTtl, async (journal) => {
        const journaled = await journal.read();
        let current = order;
        for (const change of changes) {
          let outcome: ChangeOutcome;
          try {
            outcome = await applyChange(current, transactionId, change, journal, journaled);
          } catch (error) {
            return fail(error, false); // refused before or by Dintero: this change and the rest did not happen
          }
          observations.push(outcome.observation);
          if (outcome.unknown) return fail(outcome.unknown, true);
          done += 1;
          current = applyObservation(current, outcome.observation, 'CLIENT', new Date(now()).toISOString()) ?? current;
        }
        return { ok: true as const, observations };
      });
    } catch (error) {
      return fail(error, false); // the lock could not be had, or the store failed before any money moved
    }
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
      // For callbacks, which see only the transaction: its Checkout lines -> the Orders API's. Without
      // it a callback leaves the authorization's recording to reconciliation, which knows the order.
      await kv.set(lineTableKey(completed.order_id), JSON.stringify(lineTable(command.items)), LINE_TABLE_TTL_MS).catch(() => undefined);
      const session = await client.createSession(toSessionRequest(command, options, completed.order_id, callbackUrl));
      return {
        providerOrderId: completed.order_id,
        reference: command.reference ?? completed.order_id,
        total,
        items: command.items,
        observation: observationOfSession(completed.order_id, session, draft.id),
      };
    },

    /**
     * Elements for different orders run side by side; elements for the same order one after
     * another, each seeing what the one before did (its recordings count against the lines).
     */
    async applyOrderChanges(requests: OrderChangeRequest[]): Promise<OrderChangeResult[]> {
      const results: OrderChangeResult[] = new Array<OrderChangeResult>(requests.length);
      const byOrder = new Map<string, number[]>();
      requests.forEach((request, index) => byOrder.set(request.order.id, [...(byOrder.get(request.order.id) ?? []), index]));
      await Promise.all(
        [...byOrder.values()].map(async (indexes) => {
          let carried: Order | undefined;
          for (const index of indexes) {
            const request = requests[index];
            if (!request) continue;
            const order = carried ?? request.order;
            const result = await applyChanges({ order, changes: request.changes });
            results[index] = result;
            const at = new Date(now()).toISOString();
            carried = result.observations.reduce((next, fact) => applyObservation(next, fact, 'CLIENT', at) ?? next, order);
          }
        }),
      );
      return results;
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
          const expired = session.expires_at !== undefined && Date.parse(session.expires_at) + EXPIRY_GRACE_MS <= now();
          return expired ? observationOfExpiredSession(session, order.providerOrderId) : null; // else the buyer may still pay
        }
        transactionId = session.transaction_id;
      }
      const transaction = await client.getTransaction(transactionId);
      if (!transaction) return null;
      if (transaction.merchant_reference !== order.providerOrderId) {
        throw providerUnavailable('Dintero', new Error('the transaction belongs to another Dintero order'));
      }
      const at = now();
      // Retry what is pending (never the money operation), settle what is unknown, and record an
      // authorization nobody did.
      const recordings: Record<string, DinteroRecording> = {};
      for (const [id, recording] of Object.entries(data.recordings)) {
        if (recording.state !== 'pending') continue;
        const next = await record(recording);
        if (next.state !== 'pending') recordings[id] = next;
      }
      const pending: Record<string, DinteroPendingMoney> = {};
      for (const [ref, entry] of Object.entries(data.pending)) {
        if (entry.state !== 'unsettled') continue;
        if (showsOperation(transaction, entry)) {
          pending[ref] = { ...entry, state: 'counted' };
          const items = entry.kind === 'cancel' ? orderLines(order) : entry.lines;
          recordings[ref] = await record({
            kind: entry.kind,
            orderId: transaction.merchant_reference,
            body: { id: ref, items, payment_details: { payment_id: transaction.id }, success: true },
            state: 'pending',
            label: entry.label,
            firstTriedAt: at,
          });
        } else if (at - entry.since >= UNKNOWN_OUTCOME_BOUND_MS) {
          pending[ref] = { ...entry, state: 'dropped' };
        }
      }
      if (wasAuthorized(transaction)) {
        const authorization = authorizationRecording(transaction, orderLines(order), at);
        if (!data.recordings[authorization.body.id]) recordings[authorization.body.id] = await record(authorization);
      }
      const all: Bookkeeping = { recordings: { ...data.recordings, ...recordings }, pending: { ...data.pending, ...pending } };
      const fact = observationOfTransaction(transaction, { updates: { recordings, pending }, creationFrom: all });
      // A fact that corrects what the order shows (a late, stale one overwrote it) must not be
      // mistaken for one already applied: the order's version makes its key new.
      const changed = Object.keys(recordings).length > 0 || Object.keys(pending).length > 0;
      const corrects = changed || JSON.stringify(fact.creation) !== JSON.stringify(order.creation);
      return corrects ? { ...fact, key: `${fact.key}:v${order.version}` } : fact;
    },

    needsReconciliation(order: Order): boolean {
      const data = dataOf(order);
      if (WAITING_ON_BUYER.has(order.status)) return Boolean(data.sessionId || data.transactionId);
      if (Object.values(data.pending).some((entry) => entry.state === 'unsettled')) return true;
      const recordings = Object.values(data.recordings);
      if (recordings.some((recording) => recording.state === 'pending')) return true;
      if (AUTHORIZED_ONWARDS.has(order.status) && !recordings.some((recording) => recording.kind === 'authorizations')) return true;
      return order.creation.status === 'STOPPED' && Boolean(data.transactionId);
    },

    // Dintero calls back with a GET; a POST carries the same parameters as JSON or a form.
    webhookContentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    readWebhook: createDinteroWebhookReader({ client, ledger, lineTables, now }),
    webhookHint: dinteroWebhookHint,
  };
}

/** A capture / refund reference that depends only on the transaction and the change's request key. */
function stableReference(transactionId: string, requestKey: string): string {
  return createHash('sha256').update(`${transactionId}\n${requestKey}`).digest('hex').slice(0, 32);
}
