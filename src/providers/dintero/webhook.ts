import { badInput, unauthenticated } from '../../domain/errors.js';
import type { WebhookFact, WebhookRequest } from '../../domain/provider-port.js';
import type { DinteroClient } from './client.js';
import { authorizationRecording, isFirstOutcome, observationOfTransaction, transactionLines, wasAuthorized, type DinteroRecording } from './mapping.js';
import type { RecordingLedger } from './recordings.js';

/** Gateway order ids (order-service newOrderId): what our sessions carry as merchant_reference_2. */
const GATEWAY_ORDER_ID = /^ord_[0-9A-Za-z]{20}$/;

/** Where the callback names the transaction: the query (Dintero's GET), else a JSON or form body. */
function callbackParameters(request: WebhookRequest): { transactionId?: string; sessionId?: string } {
  let transactionId = request.query.get('transaction_id') ?? undefined;
  let sessionId = request.query.get('session_id') ?? undefined;
  const text = request.body.toString('utf8').trim();
  if (text && (!transactionId || !sessionId)) {
    let fields: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
    } catch {
      fields = Object.fromEntries(new URLSearchParams(text));
    }
    if (!transactionId && typeof fields.transaction_id === 'string') transactionId = fields.transaction_id;
    if (!sessionId && typeof fields.session_id === 'string') sessionId = fields.session_id;
  }
  return { ...(transactionId ? { transactionId } : {}), ...(sessionId ? { sessionId } : {}) };
}

/**
 * Reads `GET|POST /webhooks/dintero` (CONTRACT §5). Dintero's callback is unsigned, so it is only
 * a hint: the transaction it names is re-read from Dintero and only that is believed. A callback
 * naming a transaction Dintero does not know, or one of another session, or one that is not a
 * gateway order's (merchant_reference_2), is UNAUTHENTICATED (401) and changes nothing.
 *
 * A transaction that was authorized has its authorization recorded on Dintero's order here (at
 * most once, see RecordingLedger). The fact sets the order's creation only for the statuses that
 * can be an order's first outcome: later ones may have recordings pending that only the order
 * knows of (reconciliation owns those).
 */
export function createDinteroWebhookReader(client: DinteroClient, ledger: RecordingLedger) {
  return async function readDinteroWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    const { transactionId, sessionId } = callbackParameters(request);
    if (!transactionId) {
      if (sessionId) return []; // a session-only notice: reconciliation reads sessions anyway
      throw badInput('transaction_id', 'A Dintero callback names a transaction_id');
    }
    const transaction = await client.getTransaction(transactionId);
    if (!transaction) throw unauthenticated('Dintero does not know the transaction');
    if (sessionId && transaction.session_id && transaction.session_id !== sessionId) {
      throw unauthenticated('The transaction belongs to another session');
    }
    if (!transaction.merchant_reference_2 || !GATEWAY_ORDER_ID.test(transaction.merchant_reference_2)) {
      throw unauthenticated('The transaction is not one of this gateway');
    }

    const recordings: Record<string, DinteroRecording> = {};
    const lines = transactionLines(transaction);
    if (wasAuthorized(transaction) && lines) {
      const recording = authorizationRecording(transaction, lines);
      recordings[recording.body.id] = { ...recording, done: await ledger.ensure(recording) };
    }
    const observation = observationOfTransaction(transaction, {
      recordings,
      ...(isFirstOutcome(transaction.status) ? { creationFrom: recordings } : {}),
    });
    return [{ providerOrderId: transaction.merchant_reference, observation }];
  };
}
