/**
 * An answer's keys in the seed's snake_case (round twenty-eight). The seed writes every body it
 * shows in snake_case (`merchant_reference`, `line_id`, `payment_details`), but those are requests
 * only: it shows no answer at all, and a Dintero whose serialiser has its own naming policy writes
 * `merchantReference` (System.Text.Json's and Jackson's usual camelCase) or `MerchantReference`
 * (.NET's default, no policy). Before, such a transaction had no `status` the adapter could read:
 * every read of it failed, so a paid order stayed CREATED (or, the callback its only news, was
 * never believed), and its money history was never read.
 *
 * Only a key with a capital letter or a hyphen is respelled (`merchantReference2`,
 * `MerchantReference_2` and `merchant-reference-2` are `merchant_reference_2`); a key already in
 * snake_case is left as it is, and where both spellings of one key are in an object the snake_case
 * one is kept. Values are never touched.
 */
export function snakeCaseKey(key: string): string {
  if (!/[A-Z-]/.test(key)) return key;
  return key
    .replace(/-/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([A-Za-z])([0-9])/g, '$1_$2')
    .replace(/__+/g, '_')
    .toLowerCase();
}

/** `value` with every object's keys, at any depth, in snake_case (snakeCaseKey); the same value where none needed it. */
export function withSnakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withSnakeCaseKeys);
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const fields = value as Record<string, unknown>;
  let changed = false;
  const out: Record<string, unknown> = {};
  // The snake_case spellings first, so that a respelled key never overwrites one written so.
  const names = Object.keys(fields).sort((a, b) => Number(snakeCaseKey(a) !== a) - Number(snakeCaseKey(b) !== b));
  for (const name of names) {
    const key = snakeCaseKey(name);
    const item = withSnakeCaseKeys(fields[name]);
    if (key !== name || item !== fields[name]) changed = true;
    // Own keys only, and defined rather than assigned: a key named `constructor` or `toString`
    // is not taken for one already there, and `__proto__` stays a plain key (no prototype is set).
    if (!Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else changed = true;
  }
  return changed ? out : value;
}
