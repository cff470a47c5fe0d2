/**
 * A provider's status word in the one spelling an adapter's word list uses, lower case: any
 * letter case, and "canceled" as "cancelled". Intergiro's seed writes "canceled" where CONTRACT
 * §8 lists "cancelled"; for Pei it is the other English spelling and .NET's own. Adapters compare
 * their known words' lower case with it.
 */
export function statusSpelling(word: string): string {
  const lower = word.trim().toLowerCase();
  return lower === 'canceled' ? 'cancelled' : lower;
}

/**
 * A word by its letters and digits only, lower case: how adapters compare words whose separators
 * no seed fixes, as each stack serialises an enum its own way (`PartiallyCaptured`,
 * `partially-captured`, `PARTIALLY_CAPTURED`, `Partially captured`; `RECURRING_ORDER` for
 * `recurring.order`; `AUTHORIZATION_VOIDED` for `AUTHORIZATIONVOIDED`). A word list must hold no
 * two words that differ only in those.
 */
export function statusLetters(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}
