/*
 * A collection resource's `data` written `null`, read as the empty list it stands for. Pure.
 *
 * ICM's list of orders (seed §2.3) and an order's payments resource (§3.1: "the list of (limited and
 * open tender) payments used to pay the order") answer `{"data": [...]}`. A Java resource whose
 * collection field is left null when it has nothing writes `"data": null` (Jackson's default), and
 * ICM's answers are otherwise read with `null` as absent (client.ts ICM_JSON), which left such an
 * answer without the list it is: a user with no order yet made round eleven's reading of the list
 * after a bodiless 400 PROVIDER_UNAVAILABLE (no order could be made), and a free order's payments
 * resource (round fifteen) unreadable, so the order had no total and its create failed though ICM
 * had placed it (round nineteen). Only an explicit `null` says "none": an answer without `data` at
 * all says nothing and stays unreadable, as before.
 */

/** The body with a top-level `"data": null` written as `"data": []`; any other body as it is. */
export function nullCollectionAsEmpty(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return text;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return text;
  const record = body as Record<string, unknown>;
  return Object.hasOwn(record, 'data') && record.data === null ? JSON.stringify({ ...record, data: [] }) : text;
}
