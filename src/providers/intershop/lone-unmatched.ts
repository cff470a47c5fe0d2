/**
 * The one item of `named` whose id `others` does not have, beside the one of `others` whose id
 * `named` does not have: taken for the same payment under two ids. ICM names an order's open
 * tender by an id in seed §2.2's POST answer (`lgAKAB2_...`) and `open-tender` in §3.1's payments
 * resource and §3.2.3/§3.2.4's PATCH answers, and an ICM may do both for one order. Undefined when
 * either side has none or more than one left over (which of two went by another id cannot be
 * said). A caller that has amounts on both sides checks them too (known-payment-ids.ts).
 */
export function loneUnmatched<N, O>(named: readonly N[], idOfNamed: (one: N) => string, others: readonly O[], idOfOther: (one: O) => string): [N, O] | undefined {
  const namedIds = new Set(named.map(idOfNamed));
  const otherIds = new Set(others.map(idOfOther));
  const unmatched = named.filter((one) => !otherIds.has(idOfNamed(one)));
  const spare = others.filter((one) => !namedIds.has(idOfOther(one)));
  const [one] = unmatched;
  const [other] = spare;
  return unmatched.length === 1 && spare.length === 1 && one !== undefined && other !== undefined ? [one, other] : undefined;
}
