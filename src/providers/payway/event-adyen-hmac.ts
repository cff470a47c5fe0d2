import { createHmac } from 'node:crypto';
import { fieldsByKey } from '../field-names.js';
import { sameSecret } from '../../same-secret.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';

/**
 * Adyen's own proof of a notification, for a Payway that passes Adyen's notifications on (or
 * sends its own the way Adyen does) signed with the merchant's key: each item's
 * `additionalData.hmacSignature`, the base64 HMAC-SHA256 of
 * "pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success"
 * (Adyen's documented order, an absent field empty), keyed by the HMAC key, which Adyen gives as
 * hex and uses hex-decoded (PAYWAY_WEBHOOK_SECRET written so), else by the secret's own bytes.
 * Such a notification carries no other proof (no header, no timestamp): round fourteen, it was
 * 401 on every delivery, and each pending purchase it settled stayed PENDING.
 *
 * Adyen signs those eight fields only, not the body: the notification is believed only when every
 * item's signature holds, and what is returned is those signed fields alone (event-adyen.ts reads
 * its event from them), never the unsigned rest (a `reason`, additionalData). No time is signed:
 * a replay is the same facts again, which change nothing.
 */
export function adyenSignedText(text: string, secret: string): string | undefined {
  let json: unknown;
  try {
    // A pspReference written as a number beyond 2^53 is signed as its digits (long-numbers.ts).
    // A leading byte order mark is no part of the JSON (round twenty: JSON.parse refused it, so a
    // notification so written was 401 on every delivery, read everywhere else as the readers
    // drop the mark).
    json = JSON.parse(wholeNumbersAsWritten(text.replace(/^\uFEFF/, '')));
  } catch {
    return undefined;
  }
  const items = notificationItems(json);
  if (!items?.length) return undefined;
  const keys = keysOf(secret);
  const signed: Record<string, unknown>[] = [];
  for (const item of items) {
    const fields = signedFields(item);
    const signature = hmacSignatureOf(item);
    if (!fields || !signature) return undefined;
    const message = SIGNED_ORDER.map((name) => fields[name] ?? '').join(':');
    if (!keys.some((key) => sameSecret(signature, createHmac('sha256', key).update(message, 'utf8').digest('base64')))) return undefined;
    signed.push({ NotificationRequestItem: signedItem(fields) });
  }
  return JSON.stringify({ notificationItems: signed });
}

const SIGNED_ORDER = ['pspReference', 'originalReference', 'merchantAccountCode', 'merchantReference', 'value', 'currency', 'eventCode', 'success'] as const;
type SignedName = (typeof SIGNED_ORDER)[number];

/** Adyen's keys are hex (64 digits): decoded then. The secret's own bytes always. */
function keysOf(secret: string): Buffer[] {
  const hex = /^(?:[0-9a-f]{2})+$/i.test(secret) ? [Buffer.from(secret, 'hex')] : [];
  return [...hex, Buffer.from(secret, 'utf8')];
}

/** The items of `{notificationItems: [{NotificationRequestItem: {...}}]}`, or of one `{NotificationRequestItem: {...}}`. */
function notificationItems(json: unknown): Record<string, unknown>[] | undefined {
  if (!isObject(json)) return undefined;
  const top = fieldsByKey(Object.entries(json));
  const list = top.get('notificationitems');
  const entries = Array.isArray(list) ? list : top.has('notificationrequestitem') ? [json] : undefined;
  if (!entries) return undefined;
  const items = entries.map((entry) => (isObject(entry) ? fieldsByKey(Object.entries(entry)).get('notificationrequestitem') : undefined));
  return items.every(isObject) ? (items as Record<string, unknown>[]) : undefined;
}

/** The eight signed fields as Adyen writes them into the signed text, or undefined when the item has no event code. */
function signedFields(item: Record<string, unknown>): Partial<Record<SignedName, string>> | undefined {
  const fields = fieldsByKey(Object.entries(item));
  const amount = fields.get('amount');
  const amountFields = isObject(amount) ? fieldsByKey(Object.entries(amount)) : new Map<string, unknown>();
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);
  const read: Partial<Record<SignedName, string>> = {};
  for (const name of SIGNED_ORDER) {
    const value = name === 'value' || name === 'currency' ? amountFields.get(name) : fields.get(name.toLowerCase());
    const written = text(value);
    if (written !== undefined) read[name] = written;
  }
  return read.eventCode ? read : undefined;
}

function signedItem(fields: Partial<Record<SignedName, string>>): Record<string, unknown> {
  const { value, currency, ...rest } = fields;
  return { ...rest, ...(value !== undefined || currency !== undefined ? { amount: { value, currency } } : {}) };
}

function hmacSignatureOf(item: Record<string, unknown>): string | undefined {
  const additional = fieldsByKey(Object.entries(item)).get('additionaldata');
  const signature = isObject(additional) ? fieldsByKey(Object.entries(additional)).get('hmacsignature') : undefined;
  return typeof signature === 'string' && signature.trim() !== '' ? signature.trim() : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
