import type { DinteroConfig } from '../../config.js';
import type { ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { createCalledBackTransactionStore } from './called-back-transactions.js';
import { dinteroCapabilities } from './capabilities.js';
import { DinteroClient } from './client.js';
import { createDinteroOrder } from './create-order.js';
import type { DinteroDeps } from './deps.js';
import { createLineTableStore } from './line-tables.js';
import { movementJournal } from './movement-journal.js';
import { applyDinteroOrderChanges } from './order-changes.js';
import { dinteroNeedsReconciliation, fetchDinteroOrder } from './reconcile.js';
import { createRecorder } from './recorder.js';
import { RecordingLedger } from './recordings.js';
import { checkDinteroCreate } from './request.js';
import { createSessionExpiryStore } from './session-expiries.js';
import { createSessionOrderStore } from './session-orders.js';
import { createDinteroWebhookReader, dinteroWebhookHint } from './webhook.js';

export { EXPIRY_GRACE_MS, UNKNOWN_OUTCOME_BOUND_MS } from './reconcile.js';
export { RECORDING_RETRY_BOUND_MS } from './recorder.js';

/** Knobs of the Dintero adapter beyond its configuration (tests set them; production uses the defaults). */
export interface DinteroAdapterOptions {
  /** Clock, epoch ms: session expiry, unknown outcomes, recording retries. Default the system clock. */
  now?: () => number;
  /** Wait between looks at a busy order lock or recording claim. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Dintero in the gateway's terms (seed dintero-orders-and-checkout.txt, CONTRACT §7-§8): a draft
 * order, completed, paid through a checkout session; the transaction is the truth about money,
 * and every money operation is then recorded on the Orders API order (authorizations, captures,
 * refunds, cancel). Once money moved, nothing undoes the change: a recording that fails stays
 * pending in providerData, shows as an Info, and reconciliation retries it; a money call whose
 * answer was lost is kept as "unknown" (the client's idempotency key with it) until a re-read of
 * the transaction settles it.
 *
 * The adapter is composed of: create-order.ts, order-changes.ts (+ money-change.ts), reconcile.ts
 * (fetchOrder, needsReconciliation) and webhook.ts, over the parts built here (deps.ts).
 */
export function createDinteroAdapter(config: DinteroConfig, context: AdapterContext, options: DinteroAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { kv, timeoutMs } = context;
  const client = new DinteroClient({ config, timeoutMs, kv, now });
  const ledger = new RecordingLedger({ kv, client, accountId: config.accountId, timeoutMs, now, sleep });
  const deps: DinteroDeps = {
    config,
    client,
    timeoutMs,
    now,
    journalOf: (orderId) => movementJournal(kv, config.accountId, orderId),
    recorder: createRecorder(ledger, now),
    lineTables: createLineTableStore(kv, config.accountId),
    sessionOrders: createSessionOrderStore(kv, config.accountId),
    calledBack: createCalledBackTransactionStore(kv, config.accountId),
    sessionExpiries: createSessionExpiryStore(kv, config.accountId, now),
    callbackUrl: `${context.publicUrl}/webhooks/dintero`,
  };

  return {
    provider: 'DINTERO',
    capabilities: dinteroCapabilities,
    validateCreate: (command) => void checkDinteroCreate(command, config),
    createOrder: (command) => createDinteroOrder(deps, command),
    applyOrderChanges: (requests) => applyDinteroOrderChanges(deps, requests),
    fetchOrder: (order) => fetchDinteroOrder(deps, order),
    needsReconciliation: (order) => dinteroNeedsReconciliation(order, now()),
    // Dintero calls back with a GET; a POST carries the same parameters as JSON or a form.
    readWebhook: createDinteroWebhookReader({ client, ledger, lineTables: deps.lineTables, sessionOrders: deps.sessionOrders, calledBack: deps.calledBack, now }),
    webhookHint: dinteroWebhookHint,
  };
}
