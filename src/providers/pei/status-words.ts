import { z } from 'zod';
import { fieldKey } from '../field-names.js';
import { statusSpelling } from '../status-spelling.js';
import { isObject, stringField } from './wire-reading.js';
import { isPlaceholderText } from '../no-value-text.js';

/*
 * Pei's status words (the seed names none): the words the gateway knows, the words for paid and for
 * refused, and where an answer may write its status (a row, another field's name).
 */

/** The status words the gateway knows. */
export const PEI_STATUSES = ['Pending', 'Confirmed', 'Cancelled', 'Expired'] as const;
export type PeiStatus = (typeof PEI_STATUSES)[number];
/** A status word outside PEI_STATUSES, kept as Pei wrote it. */
export interface PeiUnknownStatus {
  unknown: string;
}
export const PeiStatusWord = z.string().transform((value): PeiStatus | PeiUnknownStatus => {
  return PEI_STATUSES.find((candidate) => candidate.toLowerCase() === statusSpelling(value)) ?? { unknown: value };
});
/**
 * English words for a purchase that went through, which a Pei may write for its confirmed orders
 * (the seed names no status word; "confirms" is its verb). Believed only beside a purchase id.
 */
const PAID_WORDS = new Set(['paid', 'completed', 'complete', 'purchased', 'succeeded', 'success', 'successful', 'settled', 'captured', 'charged']);
export function meansPaid(word: string): boolean {
  return PAID_WORDS.has(statusSpelling(word).replace(/[\s_-]/g, ''));
}
/**
 * Words for a charge attempt refused (round twelve), in English and Icelandic (Pei is Icelandic:
 * `Hafnað` rejected, `Synjað` denied, `Mistókst` failed), which a Pei posting every change may post
 * beside the attempt's purchase id. Round eleven took every word the gateway does not know that
 * does not say paid for a refusal; a Pei's own word for the buyer's confirmation (`Approved`,
 * `Greitt`) then noted the paid purchase as refused (postbackWord: now `unknown`).
 */
const REFUSED_WORDS = new Set([
  'declined', 'decline', 'failed', 'failure', 'fail', 'rejected', 'refused', 'denied', 'error', 'errored', 'unsuccessful', 'unpaid', 'notpaid',
  'paymentfailed', 'paymentdeclined', 'chargefailed', 'chargedeclined', 'hafnað', 'synjað', 'mistókst',
]);
export function meansRefused(word: string): boolean {
  return REFUSED_WORDS.has(statusSpelling(word).replace(/[\s_-]/g, ''));
}
/** An order's `status`: a word, a number (also as a numeric string), which says nothing (see the header: null), or blank, which says nothing either. */
export const PeiStatusField = z.union([
  z.string().regex(/^\s*$/).transform(() => null),
  // A number written as a string ("1") is a number all the same: it says nothing either.
  z.string().regex(/^\s*-?\d+\s*$/).transform(() => null),
  // Round twenty-five: a placeholder for no status (`N/A`, `-`, `null`: a report's
  // `ISNULL(Status, 'N/A')` for an order whose status column is unset) says nothing, as a blank
  // does. Before, it was a word the gateway does not know: the order held with it, never expired
  // by its date, its providerStatus `N/A`.
  z.string().refine(isPlaceholderText).transform(() => null),
  PeiStatusWord,
  z.number().transform(() => null),
]);

/** The fields a status table's row names its status by (`{"id": 2, "name": "Confirmed"}`), in that order of preference. */
const STATUS_ROW_NAMES = ['name', 'status', 'value', 'description', 'displayName', 'text'];

/**
 * A status written as its status table's row (round eight): an ORM serialising the order with its
 * navigation property writes `"status": {"id": 2, "name": "Confirmed"}`, which the seed (naming no
 * status field at all) does not rule out. The row's name is the word; a row without one says
 * nothing, as no status does (its number alone is not believed, as a status number is not).
 * Anything else is left as it is.
 */
export function statusRowWord(value: unknown): unknown {
  if (!isObject(value)) return value;
  for (const name of STATUS_ROW_NAMES) {
    const word = stringField(value, name);
    if (word !== null) return word;
  }
  return null;
}

/**
 * Other names a Pei may give its status field (round nine), in order of preference after
 * `status`: the seed names no status field at all, so its name is as open as its words. A .NET
 * property is often named after its enum type (`OrderStatus OrderStatus`) or the entity's state
 * (`State`), and a DTO carrying both an enum's number and its display name writes the word beside
 * the number (`{"status": 2, "statusName": "Confirmed"}`).
 */
export const OTHER_STATUS_KEYS = [
  'orderStatus',
  'statusName',
  'statusText',
  'statusDescription',
  'state',
  'orderState',
  // Round twenty: the display name beside the number under any of those names (round nine's
  // `statusName` beside `status`, as round nine's DTO writes it beside `orderStatus` or `state`:
  // `{"orderStatus": 9, "orderStatusName": "Cancelled"}`). Before, only `statusName` was read, so
  // at a Pei naming its field `orderStatus` and writing numbers with names, the buyer's Cancel (and
  // Pei's Expired) went unseen: the order waited CREATED to its expiry.
  ...['orderStatus', 'state', 'orderState'].flatMap((key) => [`${key}Name`, `${key}Text`, `${key}Description`]),
];

/** The word a status value says: a non-blank string that is not a number, or a status row's name (statusRowWord); else null. */
export function statusWordOf(value: unknown): string | null {
  const word = statusRowWord(value);
  return typeof word === 'string' && word.trim() !== '' && !/^\s*-?\d+\s*$/.test(word) && !isPlaceholderText(word) ? word : null;
}

/**
 * An order answer with its status word under `status` (round nine). Where `status` says no word
 * (absent, blank, a number, a row without a name) and another status field does (OTHER_STATUS_KEYS),
 * that word is the status. Before, such a word was never read: the order was judged as one without
 * a status, by its purchase id alone, so a charge Pei declined (its attempt's purchase id beside
 * `"orderStatus": "Declined"`) was CAPTURED, and Pei's `Expired` or `Cancelled` went unseen.
 */
export function withStatusWord(json: unknown): unknown {
  if (!isObject(json)) return json;
  const valuesOf = (name: string) => Object.entries(json).filter(([key]) => fieldKey(key) === fieldKey(name)).map(([, value]) => value);
  if (valuesOf('status').some((value) => statusWordOf(value) !== null)) return json;
  for (const name of OTHER_STATUS_KEYS) {
    const word = valuesOf(name).map(statusWordOf).find((found) => found !== null);
    if (word == null) continue;
    const rest = Object.fromEntries(Object.entries(json).filter(([key]) => fieldKey(key) !== fieldKey('status')));
    return { ...rest, status: word };
  }
  return json;
}
