/**
 * A field's name as adapters compare names that no seed fixes the spelling of: any letter case,
 * with or without `_` or `-` between its words (`transaction_id`, `transactionId`,
 * `TransactionId` and `transaction-id` are one field). Pei's .NET answers, Dintero's callback
 * parameters and Payway's events are read through it.
 */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** `object`'s fields by fieldKey; of two spellings of one field the first is kept. */
export function fieldsByKey(fields: Iterable<[string, unknown]>): Map<string, unknown> {
  const byKey = new Map<string, unknown>();
  for (const [name, value] of fields) {
    const key = fieldKey(name);
    if (!byKey.has(key)) byKey.set(key, value);
  }
  return byKey;
}
