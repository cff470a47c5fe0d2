import { z } from 'zod';
import { fieldKey } from '../field-names.js';
import { countsMoreThan, headerText, nextLink, type ResponseHeaders } from '../listing-headers.js';
import { hasAmount, PeiOrder } from './order-shape.js';
import { hasKey, isObject, stringField } from './wire-reading.js';

/* Pei's listing (`GET /api/orders?merchantId&date`): its entries, the list a wrapper holds, and whether it is one page of more. */

/**
 * The order a listing entry names: its `orderId`, else its `id`. The seed's Order schema has no
 * OrderId field (only Submit's answer and the postback say `orderId`), so a Pei echoing the Order
 * in its listing may name each one `id`; only a string is taken (Pei's ids are strings, an `id`
 * written as a number would be some other counter).
 */
export function listedOrderId(entry: unknown): string | null {
  if (!isObject(entry)) return null;
  return (stringField(entry, 'orderId') ?? stringField(entry, 'id'))?.trim() ?? null;
}

/** What a listing entry the reader cannot take as an order (a summary without the amount, say) still tells: the order it names and its reference. */
export function listingEntryHints(entry: unknown): { orderId: string | null; reference: string | null } {
  return { orderId: listedOrderId(entry), reference: isObject(entry) ? (stringField(entry, 'reference')?.trim() ?? null) : null };
}

/** A listing entry as an order, named by its `orderId` or, without one, its `id` (listedOrderId). */
export const PeiListedOrder = z.preprocess((entry) => {
  if (!isObject(entry) || hasKey(entry, 'orderId')) return entry;
  const id = listedOrderId(entry);
  return id === null ? entry : { ...entry, orderId: id };
}, PeiOrder);

/** Names a wrapper gives the list it holds (`{orders: [...]}`, .NET's `{data: [...], errors: []}`, OData's `value`). */
const LIST_KEYS = new Set(['orders', 'items', 'data', 'results', 'result', 'value', 'list']);

/**
 * The list an object holding one carries: its one array-valued field; among several (an envelope
 * with `errors: []`, `links: []` beside the list), the one named as lists are, else the one
 * non-empty array of orders; several empty arrays are an empty list. Undefined when none of these.
 */
function heldList(json: Record<string, unknown>): unknown[] | undefined {
  const arrays = Object.entries(json).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  if (arrays.length === 1) return arrays[0]![1];
  const named = arrays.filter(([key]) => LIST_KEYS.has(fieldKey(key)));
  if (named.length === 1) return named[0]![1];
  const ofOrders = arrays.filter(([, list]) => list.length > 0 && list.every((entry) => isObject(entry) && (hasAmount(entry) || hasKey(entry, 'orderId'))));
  if (ofOrders.length === 1) return ofOrders[0]![1];
  return arrays.length > 0 && arrays.every(([, list]) => list.length === 0) ? [] : undefined;
}

/**
 * The listing: an array whose entries are read one by one (an unreadable one is skipped, not fatal).
 * The seed shows no output for it, so an object holding the list (`{orders: [...], totalCount}`,
 * `{data: [...], errors: [], links: []}`) is read as that list (heldList). An object with an
 * orderId is an order, not a list, and an object whose list cannot be told is not known: both
 * are errors.
 */
export const PeiOrderList = z.union([
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()).transform((json, ctx): unknown[] => {
    const list = hasKey(json, 'orderId') ? undefined : heldList(json);
    if (list === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a Pei listing' });
      return z.NEVER;
    }
    return list;
  }),
]);

/** A wrapper's count of the whole result (a .NET paged result's `totalCount`, `{items, total}`), by name in any letter case. */
const COUNT_KEYS = new Set(['totalcount', 'total', 'count', 'totalitems', 'totalrecords', 'totalresults', 'recordstotal']);
/** A wrapper's pointer to a page after this one. */
const NEXT_KEYS = new Set(['next', 'nextpage', 'nextpageurl', 'nextlink', 'odatanextlink', 'nextpagetoken', 'continuationtoken', 'cursor']);
/** A wrapper's flag that more pages follow. */
const MORE_KEYS = new Set(['hasmore', 'hasnext', 'hasnextpage', 'more']);

/**
 * Whether a listing answer says it holds only part of the day: a wrapper counting more orders than
 * it carries (`{data: [3 orders], totalCount: 7}`), or pointing at a next page (`nextPage`,
 * `@odata.nextLink`, `hasMore: true`). The seed shows no listing output, no paging and no way to
 * ask for another page, so the gateway reads the page it is given; but an order not on it is not
 * "not there", and a lost charge's search must not take it for absent (a retry would charge again).
 */
export function listingLeavesOut(json: unknown, listed: number): boolean {
  if (!isObject(json)) return false;
  const numberAt = (names: string[]) => {
    const value = Object.entries(json).find(([key]) => names.includes(fieldKey(key)))?.[1];
    return typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  };
  // `{TotalPages: 3, CurrentPage: 1}`: pages after this one.
  if (numberAt(['totalpages', 'pagecount']) > numberAt(['currentpage', 'page', 'pagenumber', 'pageindex'])) return true;
  return Object.entries(json).some(([key, value]) => {
    const name = fieldKey(key).replace(/[^a-z0-9]/g, '');
    if (COUNT_KEYS.has(name)) {
      const count = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      return count > listed;
    }
    if (NEXT_KEYS.has(name)) return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && value > 0) || isObject(value);
    if (MORE_KEYS.has(name)) return value === true || value === 'true';
    return false;
  });
}

/**
 * Whether a listing's headers say it is one page of more, as ASP.NET APIs often page a bare
 * array: `X-Total-Count` above what it carries, a `Link` with `rel="next"`, or an `X-Pagination`
 * JSON header (`{TotalCount, PageSize, CurrentPage, TotalPages, HasNext}`) read as a wrapper is
 * (listingLeavesOut).
 */
export function headersLeaveOut(headers: ResponseHeaders, listed: number): boolean {
  if (!headers) return false;
  if (countsMoreThan(headers, listed) || nextLink(headerText(headers, 'link')) !== undefined) return true;
  for (const name of ['x-pagination', 'pagination', 'x-paging']) {
    const text = headerText(headers, name).trim();
    if (!text.startsWith('{')) continue;
    try {
      if (listingLeavesOut(JSON.parse(text) as unknown, listed)) return true;
    } catch {
      // not JSON: says nothing
    }
  }
  return false;
}
