/**
 * What sets one provider apart, as data each adapter declares in `providers/<name>/capabilities.ts`.
 * The domain asks these instead of comparing provider names; an operation a provider lacks
 * altogether (listing, captures, continuing a creation) is a method the adapter leaves out.
 */
export interface ProviderCapabilities {
  /**
   * The mutation that creates this provider's orders: `createOrder`, or Payway's one-step
   * purchase `placeAdyenOrder` (its createOrder input is refused, pointing there).
   */
  readonly createdWith: 'createOrder' | 'placeAdyenOrder';
  /**
   * Where an order's currency, lines and total come from: the client's input (a currency is then
   * required), or a basket the provider already holds (Intershop ICM: the client sends none of them).
   */
  readonly contents: 'input' | 'basket';
  /**
   * The buyer chooses among the order's lines on the provider's page (Pei: grouped alternatives and
   * optional extras, domain/line-choices.ts): the total is then the default selection's. A line
   * with `group`, `optional` or `selected` for any other provider is refused, since it would be
   * charged whatever it says. Default false.
   */
  readonly lineChoices?: boolean;
  /** The CreateOrderInput field with this provider's own options; a field of another provider is refused. */
  readonly optionsField?: ProviderOptionsField;
  /**
   * `order(id)` re-reads an order still waiting on this provider before answering (for a
   * provider that tells the gateway little by itself, e.g. Pei's unsigned postbacks). Default false.
   */
  readonly refreshOnRead?: boolean;
  /**
   * The provider calls back on every change of a waiting order (Intergiro's signed callbacks), so
   * the gateway's own reads of it are only a safety net against a lost callback: they are spaced
   * by RECONCILE_CALLBACK_GRACE_MS instead of RECONCILE_INTERVAL_MS. An operation whose answer
   * never came is still read every interval. Default false.
   */
  readonly callsBack?: boolean;
  /**
   * How many captures one authorization takes: `one` (Intergiro charges an order once; a partial
   * charge ends what is left of the authorization), so a second capture is INVALID_STATE before
   * any call; `many` (Dintero: partial captures until the authorized amount). Default `many`.
   */
  readonly capturesPerAuthorization?: 'one' | 'many';
  /**
   * The adapter may still have work upstream once an order is final (Dintero: a refund's record on
   * the Orders API still pending): `needsReconciliation` is then asked for final orders too. Default false.
   */
  readonly reconcilesFinalOrders?: boolean;
  /**
   * The HTTP methods a callback may use at `/webhooks/<provider>`. Default POST only; Dintero also
   * calls back with a GET and the transaction in the query.
   */
  readonly webhookMethods?: readonly ('GET' | 'POST')[];
  /**
   * The media types (lower case, no parameters) a POST callback may carry; any other is refused
   * with 415 before its body is read, none at all is left to the body's reader. Absent: any. A
   * GET callback has no body to check.
   */
  readonly webhookContentTypes?: readonly string[];
}

/** CreateOrderInput's per-provider option fields. */
export const PROVIDER_OPTIONS_FIELDS = ['intergiro', 'pei', 'intershop', 'dintero'] as const;
export type ProviderOptionsField = (typeof PROVIDER_OPTIONS_FIELDS)[number];
