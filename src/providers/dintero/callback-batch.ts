import type { WebhookRequest } from '../../domain/provider-port.js';
import { bodyAsWritten } from '../long-numbers.js';
import { fieldKey } from '../field-names.js';

/**
 * A callback whose JSON body is a list of callbacks (round twenty-five). The seed shows no callback
 * body at all, only that "you will receive a redirect or callback to your site with the session_id
 * and its corresponding transaction"; a platform that batches its deliveries writes a list, of one
 * callback or of several (held ones, retried together). Before, a list was no callback: answered
 * 400 ("names a transaction_id"), so the paid order waited for the poller, and at a Dintero without
 * the session read stayed CREATED for good.
 *
 * Each object in the list is read as a callback of its own, every one only a hint re-read from
 * Dintero as ever. At most MAX_BATCHED are read: each costs a transaction read, and a list of
 * several is one hint naming no order to the gateway's throttle (webhook.ts dinteroWebhookHint:
 * one such list per interval per provider); a genuine one beyond them is left to the poller (or to
 * Dintero's next delivery, after its 429).
 */
export const MAX_BATCHED = 10;

/**
 * The callbacks of a list body, each as a request of its own (the same headers and query), or
 * undefined where the body is no JSON list of objects. In a list of several, the callback URL's
 * own parameter (`ownParameter`: the order the gateway made the URL for) is left out of each: a
 * Dintero that batches posts them all to one URL, so it names one order for callbacks of several,
 * and each is then tied to its order by its own session or transaction instead.
 */
export function batchedCallbacks(request: WebhookRequest, ownParameter: string): WebhookRequest[] | undefined {
  let parsed: unknown;
  try {
    // Ids beyond 2^53 as the digits written (long-numbers.ts), as for a callback alone.
    parsed = JSON.parse(bodyAsWritten(request.body).toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : wrappedList(parsed);
  if (!list) return undefined;
  const objects = list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item)).slice(0, MAX_BATCHED);
  if (objects.length === 0) return undefined;
  const query = objects.length === 1 ? request.query : withoutParameter(request.query, ownParameter);
  const rawQuery = objects.length === 1 ? request.rawQuery : query.toString();
  return objects.map((object) => ({
    ...request,
    body: Buffer.from(JSON.stringify(object)),
    query,
    ...(rawQuery !== undefined ? { rawQuery } : {}),
  }));
}

/**
 * The list a delivery wraps in an object (round twenty-eight): `{events: [...]}`, `{data: [...],
 * delivery_id}`, as a platform's webhook envelope writes a batch. No seed shows a callback body, so
 * no name of the member can be relied on: the list is the object's one member holding a list of
 * objects, and only where the object names no transaction or session itself (no callback's own
 * field, so a transaction POSTed as its callback, whose `items` and `events` are lists of objects,
 * is never opened). Two such members, or none, are no list: which one holds the callbacks would be
 * a guess. Before, such a body named no transaction (400): with the session read the paid order
 * waited for the poller, without it it stayed CREATED for good. Each callback found is only a hint
 * re-read from Dintero, as any.
 */
function wrappedList(parsed: unknown): unknown[] | undefined {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const fields = Object.entries(parsed as Record<string, unknown>);
  if (fields.some(([name]) => CALLBACK_FIELDS.has(fieldKey(name)))) return undefined;
  const lists = fields
    .map(([, value]) => value)
    .filter((value): value is unknown[] => Array.isArray(value) && value.length > 0 && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)));
  return lists.length === 1 ? lists[0] : undefined;
}

/** What a callback, or a transaction POSTed as one, names itself by (fieldKey): an object with one is a callback, not a wrapper. */
const CALLBACK_FIELDS = new Set(['id', 'transactionid', 'transaction', 'sessionid', 'session', 'status', 'merchantreference']);

function withoutParameter(query: URLSearchParams, name: string): URLSearchParams {
  const kept = new URLSearchParams(query);
  kept.delete(name);
  return kept;
}
