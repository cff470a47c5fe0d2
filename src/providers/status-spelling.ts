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
