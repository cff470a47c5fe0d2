/**
 * "Seed-minimal" mode, shared by every sandbox: a sandbox that answers with what its provider's
 * seed shows and no more, the way an independent implementation of the provider written from
 * the seed would. In this mode a sandbox
 *   - leaves out every answer field the seed does not show (unless the adapter cannot work
 *     without it: README "Assumptions beyond the seeds" lists those) and every endpoint beyond
 *     the seed that the flows can do without;
 *   - adds fields no seed shows (UNKNOWN_FIELDS), which a tolerant reader ignores;
 *   - writes words in another letter case where the seed allows it;
 * and in either mode it answers a status word the test chooses for an order (`StatusWords`), so
 * the gateway meets a word it does not know. The scenario suite runs every provider against
 * seed-minimal sandboxes as well as full ones (test/scenarios).
 */

/** Fields no provider's seed shows; a reader that fails on an unknown field is found out by them. */
export const UNKNOWN_FIELDS: Readonly<Record<string, unknown>> = {
  sandbox_unknown_field: 'a field no seed shows',
  sandboxUnknownObject: { nested: [1, 'two', null], flag: true },
};

/** `value`'s own fields named in `keep`, in that order; the others are left out. */
export function onlyFields(value: object, keep: readonly string[]): Record<string, unknown> {
  const fields = value as Record<string, unknown>;
  return Object.fromEntries(keep.filter((key) => key in fields).map((key) => [key, fields[key]]));
}

/** Status words chosen per order by a test (e.g. one the gateway does not know); answered instead of the real one. */
export class StatusWords {
  private readonly words = new Map<string, string>();

  /** From now on the API answers `word` as the order's status; null goes back to the real one. */
  set(id: string, word: string | null): void {
    if (word === null) this.words.delete(id);
    else this.words.set(id, word);
  }

  /** The chosen word for the order, or its real one. */
  of<T extends string>(id: string, real: T): T | string {
    return this.words.get(id) ?? real;
  }

  /** The chosen word for the order, if any. */
  get(id: string): string | undefined {
    return this.words.get(id);
  }
}

/** `value` with UNKNOWN_FIELDS added (a JSON object; anything else is left as it is). */
export function withUnknownFields<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return { ...value, ...UNKNOWN_FIELDS };
}
