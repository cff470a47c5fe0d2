import { badInput, GatewayError, unauthenticated } from '../../domain/errors.js';
import { fieldKey, fieldsByKey } from '../field-names.js';
import { bodyFields } from '../webhook-body.js';
import { bodyAsWritten } from '../long-numbers.js';
import { idDigits } from '../id-digits.js';
import type { WebhookFact, WebhookHint, WebhookRequest } from '../../domain/provider-port.js';
import type { Money } from '../../domain/money.js';
import { authorizedAtTotal, inMinorUnits, selfContained } from './binding.js';
import type { CalledBackTransactions } from './called-back-transactions.js';
import type { DinteroClient } from './client.js';
import { transactionLines } from './lines.js';
import { authorizationRecording, observationOfTransaction, wasAuthorized } from './mapping.js';
import type { DinteroRecording } from './provider-data.js';
import type { DinteroTransaction } from './wire.js';
import type { RecordingLedger } from './recordings.js';
import type { SessionOrders } from './session-orders.js';
import { otherQueryReadings } from './query-readings.js';
import { batchedCallbacks } from './callback-batch.js';
import { isFirstOutcome } from './status.js';

/** Where callbacks find an order's Checkout line_id -> Orders API line_id table (written at createOrder). */
export interface LineTables {
  get(dinteroOrderId: string): Promise<Record<string, number> | undefined>;
  /** The order's total as created (undefined for an order made before it was kept). */
  total(dinteroOrderId: string): Promise<Money | undefined>;
}

export interface DinteroWebhookDependencies {
  client: DinteroClient;
  ledger: RecordingLedger;
  lineTables: LineTables;
  sessionOrders: Pick<SessionOrders, 'get'>;
  calledBack: Pick<CalledBackTransactions, 'add'>;
  now: () => number;
}

interface CallbackParameters {
  transactionId?: string;
  sessionId?: string;
  /** Dintero's order id (our sessions' merchant_reference), which Dintero's callback may also carry. */
  merchantReference?: string;
  /** Dintero's order id as the gateway wrote it into the session's callback URL (create-order.ts). */
  ownOrderReference?: string;
}

/** The callback URL's own parameter naming the Dintero order (create-order.ts callbackUrlFor). */
export const ORDER_PARAMETER = 'gateway_dintero_order';

/**
 * Each parameter by its names in any spelling (fieldKey: `transaction_id`, `transactionId`,
 * `TransactionId`): the seed only says the callback comes "with the session_id
 * and its corresponding transaction". A bare `transaction` / `session` (a string, or an object
 * with its `id`) is taken too, after the `_id` names.
 */
const PARAMETERS: [keyof CallbackParameters, string[]][] = [
  ['transactionId', ['transactionid', 'transaction']],
  ['sessionId', ['sessionid', 'session']],
  ['merchantReference', ['merchantreference']],
  ['ownOrderReference', [fieldKey(ORDER_PARAMETER)]],
];

/**
 * A parameter's value: a non-blank string, a whole number's digits, or the `id` of an object (a
 * JSON body's `transaction: {id}`). Round twenty-five: a Dintero keyed by integers writes its
 * callback's ids as JSON numbers, as its answers do (WireId reads them so); before, a number was no
 * id, so such a callback named no transaction (400) and the paid order waited for the poller, or,
 * without the session read, stayed CREATED for good. Beyond 2^53 they come as the digits written
 * (long-numbers.ts bodyAsWritten); a fraction or a negative number is no id.
 */
function valueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() ? value.trim() : undefined;
  if (typeof value === 'number') return idDigits(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) return valueOf((value as { id?: unknown }).id);
  return undefined;
}

/** Fills what `found` lacks from `fields`, by fieldKey, in the order each parameter's names are listed. */
function take(found: CallbackParameters, fields: Iterable<[string, unknown]>): void {
  const byName = fieldsByKey(fields);
  for (const [parameter, names] of PARAMETERS) {
    if (found[parameter]) continue;
    for (const name of names) {
      const value = valueOf(byName.get(name));
      if (value) {
        found[parameter] = value;
        break;
      }
    }
  }
}

/** Where the callback names the transaction: the query (Dintero's GET), else a JSON or form body. */
function callbackParameters(request: WebhookRequest): CallbackParameters {
  const found: CallbackParameters = {};
  take(found, request.query.entries());
  // A Dintero that glues `?transaction_id=...&session_id=...` after the callback URL, whose own
  // query it does not see, leaves the rest in the value of the URL's last parameter: ours.
  const glued = found.ownOrderReference?.indexOf('?') ?? -1;
  if (found.ownOrderReference && glued >= 0) {
    const rest = new URLSearchParams(found.ownOrderReference.slice(glued + 1));
    const own = found.ownOrderReference.slice(0, glued);
    if (own) found.ownOrderReference = own;
    else delete found.ownOrderReference;
    take(found, rest.entries());
  }
  if (PARAMETERS.some(([parameter]) => !found[parameter])) {
    // A JSON body's ids beyond 2^53 as the digits written (long-numbers.ts): the transaction itself, POSTed by a Dintero keyed by 64-bit integers.
    const body = bodyFields({ ...request, body: bodyAsWritten(request.body) }, { unlabelledForm: true }) ?? {};
    take(found, Object.entries(body));
    if (!found.transactionId) {
      const own = transactionItself(body);
      if (own) found.transactionId = own;
    }
  }
  return found;
}

/**
 * The id of a callback body that is the transaction itself (round nine): `{id, status, ...}` with
 * the session_id beside, as "a callback ... with the session_id and its corresponding transaction"
 * may be read. Only a body with a status word, as a transaction has, names a transaction by its
 * bare `id`; like any callback id it is only a hint, re-read from Dintero before anything is believed.
 * Before, such a callback named no transaction: the order was re-read through its session, and
 * against a Dintero without the session read a paid order stayed CREATED for good.
 */
function transactionItself(body: Record<string, unknown>): string | undefined {
  // Round twenty-eight: its keys in any style (`Status`, `Id`), as the answers' (answer-keys.ts).
  const byKey = fieldsByKey(Object.entries(body));
  const status = byKey.get('status');
  if (typeof status !== 'string' || !status.trim()) return undefined;
  return valueOf(byKey.get('id'));
}

/**
 * What a callback names (unverified), so the gateway can bound the transaction reads callbacks
 * cause; undefined when it names no transaction (nothing is read for it).
 */
export function dinteroWebhookHint(request: WebhookRequest): WebhookHint | undefined {
  // A list of one callback (callback-batch.ts) is that callback's hint. A list of several names no
  // one order: it takes the provider's lease for hints naming none (refresh-lease.ts), so such lists
  // cost at most MAX_BATCHED transaction reads per interval altogether. Before, a list took its first
  // callback's lease, and an anonymous sender could make each admitted request ten reads.
  const batch = batchedCallbacks(request, ORDER_PARAMETER);
  if (batch) return batch.length === 1 ? dinteroWebhookHint({ ...request, body: batch[0]!.body }) : {};
  const { transactionId, sessionId, merchantReference, ownOrderReference } = callbackParameters(request);
  const named = merchantReference ?? ownOrderReference;
  if (!transactionId) return sessionId && named ? { providerOrderId: named } : undefined;
  return named ? { providerOrderId: named } : {};
}

/**
 * Reads `GET|POST /webhooks/dintero` (CONTRACT §5). Dintero's callback is unsigned, so it is only
 * a hint: the transaction it names is re-read from Dintero and only that is believed. A callback
 * naming a transaction Dintero does not know, or one of another session, is UNAUTHENTICATED (401)
 * and changes nothing. The fact names the Dintero order (merchant_reference) and the gateway's
 * own order id (merchant_reference_2, as our sessions carry it), so a callback that beats the
 * order's store is parked under the gateway id; the domain decides which order it is.
 *
 * A transaction that was authorized has its authorization recorded on Dintero's order here (at
 * most once, see RecordingLedger), with its lines matched by line_id through the order's line
 * table. The fact sets the order's creation only for the statuses that can be an order's first
 * outcome: later ones may have recordings pending that only the order knows of.
 */
export function createDinteroWebhookReader({ client, ledger, lineTables, sessionOrders, calledBack, now }: DinteroWebhookDependencies) {
  return async function readDinteroWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    const batch = batchedCallbacks(request, ORDER_PARAMETER);
    if (!batch) return readCallback(request);
    // Round twenty-five: each callback of a list read as one alone. One that is refused (names no
    // transaction, or one of another session) leaves the others believed; a list none of whose
    // callbacks could be read is refused as its first was. A failure that is not a refusal (Dintero
    // or the store down) fails the whole list, so Dintero delivers it again: what was read is
    // read again as a repeat (the authorization is marked once, facts are idempotent).
    const facts: WebhookFact[] = [];
    let refusal: unknown;
    for (const callback of batch) {
      try {
        facts.push(...(await readCallback(callback)));
      } catch (error) {
        if (!(error instanceof GatewayError) || (error.code !== 'UNAUTHENTICATED' && error.code !== 'BAD_USER_INPUT')) throw error;
        refusal ??= error;
      }
    }
    if (facts.length === 0 && refusal !== undefined) throw refusal;
    return facts;
  };

  async function readCallback(request: WebhookRequest): Promise<WebhookFact[]> {
    const parameters = callbackParameters(request);
    const { transactionId, merchantReference } = parameters;
    let sessionId = parameters.sessionId;
    // The order the callback URL names; else, for a Dintero that did not keep the URL's query, the
    // one the gateway made the named session for (session-orders.ts). Unverified, as the URL is:
    // it only picks the order re-read, through its own session.
    const ownOrderReference = parameters.ownOrderReference ?? (sessionId ? await sessionOrders.get(sessionId) : undefined);
    const named = merchantReference ?? ownOrderReference;
    if (!transactionId) {
      // A session-only notice ("the session_id and its corresponding transaction": the seed names
      // no parameter, and a session may have no transaction yet): nothing in it is believed, but
      // the order it names is re-read now, through its own session (reconcile.ts), rather than at
      // the poller's next turn, as before.
      if (sessionId) return named ? [{ providerOrderId: named, observation: null }] : [];
      throw badInput('transaction_id', 'A Dintero callback names a transaction_id');
    }
    let read = await client.getTransaction(transactionId);
    // Round twenty-two: a Dintero that wrote the query unencoded (a `+` read as a space) named a
    // transaction under another reading of its query (query-readings.ts), taken only where its read
    // names the order the callback names. Before, without the session read the paid order stayed
    // CREATED for good (round twenty-one's it.fails).
    // A session id in any reading is the callback's (a Dintero that glues its parameters after a
    // second `?` leaves the transaction's in our parameter's value, read twice, and the session's
    // beside it, read once: each right in another reading).
    const others = read || !named ? { transactionIds: [], sessionIds: [] } : otherReadings(request, transactionId);
    const sessionIds = [sessionId, ...others.sessionIds].filter((id): id is string => id !== undefined);
    for (const otherId of others.transactionIds) {
      const otherRead = await client.getTransaction(otherId).catch(() => null);
      if (!otherRead || otherRead.merchant_reference !== named) continue;
      if (otherRead.session_id && sessionIds.length > 0 && !sessionIds.includes(otherRead.session_id)) continue;
      read = otherRead;
      sessionId = otherRead.session_id ?? sessionId;
      break;
    }
    if (!read) {
      // Not believed (401). But Dintero may call back before its transaction can be read: the order
      // the callback names is re-read now, through its own session (reconcile.ts), so a genuine
      // one is not left to the poller's next turn; a forged one costs that read, as the hint
      // throttle allows, and changes nothing.
      // Round twenty-one: its id is kept for the order it names, and reconciliation reads it
      // later where the session names no transaction (a Dintero without the session read), believing
      // it only where the read names that order itself (reconcile.ts calledBackTransaction). Before,
      // a Dintero that did not send the refused callback again left the paid order CREATED for good.
      // Its other readings are kept too: reconciliation believes only the one whose read names the order.
      if (named) for (const id of [...others.transactionIds].reverse().concat(transactionId)) await calledBack.add(named, id);
      if (named) return [{ providerOrderId: named, observation: null, refusedBecause: 'Dintero does not know the transaction' }];
      throw unauthenticated('Dintero does not know the transaction');
    }
    if (sessionId && read.session_id && read.session_id !== sessionId) {
      throw unauthenticated('The transaction belongs to another session');
    }
    // A transaction that writes its amounts in major units (binding.ts inMinorUnits) is read in
    // minor units against its order's total; before, a callback's 498 showed the order 4.98
    // authorized and marked the authorization on Dintero's order as 4.98.
    const total = read.merchant_reference !== undefined ? await lineTables.total(read.merchant_reference).catch(() => undefined) : undefined;
    // Round fourteen: an amount below the order's total is what the transaction still holds (binding.ts authorizedAtTotal).
    const transaction = selfContained(total ? authorizedAtTotal(inMinorUnits(read, { total }), { total }) : read);
    if (!transaction) {
      // It does not say its order, amount or currency itself: the order it or the callback names
      // is re-read now, through the session the gateway made for it (reconcile.ts), and only that
      // is believed. A callback naming no order at all changes nothing: the poller reads every
      // order that waits for its buyer anyway.
      const reRead = read.merchant_reference ?? named;
      return reRead ? [{ providerOrderId: reRead, ...(read.merchant_reference_2 ? { orderId: read.merchant_reference_2 } : {}), observation: null }] : [];
    }

    if (await supersededInItsSession(client, transaction, sessionId ?? transaction.session_id)) {
      // A declined try whose callback comes after the buyer paid on a second try in the same
      // session (the gateway was down, Dintero retried both): the session's own transaction is the
      // order's, so the order is re-read now through its session (reconcile.ts) instead. Before,
      // the late decline made the order FAILED (final) and the paid try, found next, was voided:
      // the buyer paid, and the gateway undid it.
      return [{ providerOrderId: transaction.merchant_reference, ...(transaction.merchant_reference_2 ? { orderId: transaction.merchant_reference_2 } : {}), observation: null }];
    }
    const recordings: Record<string, DinteroRecording> = {};
    const table = wasAuthorized(transaction) ? await lineTables.get(transaction.merchant_reference) : undefined;
    const lines = table ? transactionLines(transaction, table) : undefined;
    if (lines) {
      const recording = authorizationRecording(transaction, lines, now());
      const outcome = await ledger.ensure(recording);
      recordings[recording.body.id] = outcome.state === 'failed' ? { ...recording, state: 'failed', reason: outcome.reason } : { ...recording, state: outcome.state };
    }
    const observation = observationOfTransaction(transaction, {
      updates: { recordings },
      ...(typeof transaction.status === 'string' && isFirstOutcome(transaction.status) ? { creationFrom: { recordings, pending: {} } } : {}),
    });
    return [
      {
        providerOrderId: transaction.merchant_reference,
        ...(transaction.merchant_reference_2 ? { orderId: transaction.merchant_reference_2 } : {}),
        observation,
      },
    ];
  }
}

/** The transaction and session ids the query's other readings name, where they differ from the standard reading's. */
function otherReadings(request: WebhookRequest, transactionId: string): { transactionIds: string[]; sessionIds: string[] } {
  const transactionIds: string[] = [];
  const sessionIds: string[] = [];
  for (const query of otherQueryReadings(request.rawQuery)) {
    const other = callbackParameters({ ...request, query });
    if (other.transactionId && other.transactionId !== transactionId && !transactionIds.includes(other.transactionId)) transactionIds.push(other.transactionId);
    if (other.sessionId && !sessionIds.includes(other.sessionId)) sessionIds.push(other.sessionId);
  }
  return { transactionIds, sessionIds };
}

/**
 * Whether a transaction that ended without money (FAILED, DECLINED) is no longer its session's:
 * the session names a later one (CONTRACT §8's session read carries `transaction_id`). No seed
 * shows the session read, so one Dintero does not answer (404, an error) says nothing, and the
 * callback is read as before.
 */
async function supersededInItsSession(client: Pick<DinteroClient, 'getSession'>, transaction: DinteroTransaction, sessionId: string | undefined): Promise<boolean> {
  if (!sessionId || (transaction.status !== 'FAILED' && transaction.status !== 'DECLINED')) return false;
  const session = await client.getSession(sessionId).catch(() => null);
  return session?.transaction_id !== undefined && session.transaction_id !== transaction.id;
}
