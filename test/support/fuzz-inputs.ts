import fc from 'fast-check';
import {
  hostileCurrency,
  hostileDate,
  hostileDateTime,
  hostileDecimal,
  hostileFloat,
  hostileInt,
  hostileJson,
  hostileString,
  hostileUrl,
  notADecimal,
  optional,
  record,
} from './fuzz-arbitraries.js';

/** One arbitrary per input type of the schema (schema/schema.graphql), with hostile values. */

const PROVIDERS = ['INTERGIRO', 'PEI', 'INTERSHOP', 'DINTERO', 'PAYWAY'] as const;
const STATUSES = ['CREATED', 'ACTION_REQUIRED', 'PENDING', 'AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'CANCELLED', 'FAILED', 'EXPIRED'] as const;

/** Mostly a Decimal the scalar accepts; now and then one it does not (GraphQL's own error). */
const decimal = fc.oneof({ weight: 9, arbitrary: hostileDecimal }, { weight: 1, arbitrary: notADecimal });

export const lineItemInput = record({
  lineId: optional(fc.oneof(hostileString, fc.constantFrom('a', 'a', 'line-1'))),
  code: optional(hostileString),
  name: hostileString,
  quantity: optional(hostileFloat),
  unit: optional(hostileString),
  unitPrice: optional(decimal),
  amount: decimal,
  taxRate: optional(hostileFloat),
  group: optional(hostileString),
  optional: optional(fc.boolean()),
  selected: optional(fc.boolean()),
});

export const buyerInput = record({
  customerId: optional(hostileString),
  name: optional(hostileString),
  email: optional(fc.oneof(hostileString, fc.emailAddress())),
  phone: optional(hostileString),
  nationalId: optional(fc.oneof(hostileString, fc.stringMatching(/^\d{10}$/))),
});

export const returnUrlsInput = record({ success: optional(hostileUrl), cancel: optional(hostileUrl), failure: optional(hostileUrl) });

export const intergiroOrderOptions = record({
  paymentType: fc.constantFrom('CARD', 'CUSTOMER', 'LINK'),
  cardToken: optional(fc.oneof(hostileString, fc.constantFrom('tok_ok', 'tok_3ds', 'tok_deny', 'tok_pending'))),
  browser: optional(hostileJson),
  subsequent: optional(record({ reference: hostileString, initiator: fc.oneof(hostileString, fc.constantFrom('cardholder', 'merchant')) })),
  customerId: optional(fc.oneof(hostileString, fc.constant('cus_sandbox_1'))),
  cardholderName: optional(fc.boolean()),
  charge: optional(fc.boolean()),
});

export const peiOrderOptions = record({
  sequenceType: optional(fc.constantFrom('ONE_OFF', 'FIRST', 'RECURRING')),
  mandateId: optional(hostileString),
  subscription: optional(record({ startDate: hostileDate, frequency: fc.constantFrom('WEEK', 'MONTH'), frequencyInterval: hostileInt, cycles: hostileInt })),
  purchaseForBuyer: optional(fc.boolean()),
});

export const intershopOrderOptions = record({ basketId: fc.oneof(hostileString, fc.constant('sandbox-basket-eur')), termsAndConditionsAccepted: fc.boolean() });

export const dinteroOrderOptions = record({ profileId: optional(hostileString), generateOrderId: optional(fc.oneof(hostileString, fc.constant('ALPHANUMERIC_9'))) });

export const createOrderInput = record({
  provider: fc.constantFrom(...PROVIDERS),
  reference: optional(hostileString),
  currency: optional(hostileCurrency),
  items: optional(fc.array(lineItemInput, { maxLength: 4 })),
  amount: optional(decimal),
  buyer: optional(buyerInput),
  returnUrls: optional(returnUrlsInput),
  expiresAt: optional(hostileDateTime),
  intergiro: optional(intergiroOrderOptions),
  pei: optional(peiOrderOptions),
  intershop: optional(intershopOrderOptions),
  dintero: optional(dinteroOrderOptions),
  idempotencyKey: optional(hostileString),
});

/** An order id: one of the caller's real orders (so the checks behind the lookup run), or anything. */
export const orderId = (known: readonly string[]): fc.Arbitrary<string> =>
  known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: hostileString }) : hostileString;

export const continueOrderCreationInput = (known: readonly string[]) =>
  record({
    orderId: orderId(known),
    returnUrls: optional(returnUrlsInput),
    redirectResult: optional(record({ status: fc.constantFrom('SUCCESS', 'CANCEL', 'FAILURE'), parameters: optional(fc.array(record({ name: hostileString, value: hostileString }), { maxLength: 4 })) })),
    threeDS: optional(hostileJson),
  });

export const orderEventInput = record({
  type: fc.constantFrom('CAPTURE', 'REFUND', 'CANCEL'),
  amount: optional(decimal),
  items: optional(fc.array(record({ lineId: hostileString, amount: decimal }), { maxLength: 3 })),
  reason: optional(hostileString),
  idempotencyKey: optional(hostileString),
});

/** Lists of elements, empty lists, and the same order twice. */
export const orderEventsInputs = (known: readonly string[]) =>
  fc.array(record({ orderId: orderId(known), events: fc.array(orderEventInput, { maxLength: 3 }) }), { maxLength: 4 });

export const browserInfoInput = record({
  browserIp: fc.oneof(hostileString, fc.ipV4(), fc.ipV6()),
  browserLanguage: hostileString,
  browserUserAgent: hostileString,
  referer: fc.oneof(hostileString, hostileUrl),
  acceptHeader: hostileString,
  colorDepth: hostileInt,
  screenHeight: hostileInt,
  screenWidth: hostileInt,
  timeZoneOffset: hostileInt,
  javaEnabled: fc.boolean(),
});

export const deliveryAddressInput = record({
  firstName: hostileString,
  lastName: hostileString,
  street: hostileString,
  streetNumber: optional(hostileString),
  zipCode: hostileString,
  floor: optional(hostileString),
  apartmentNumber: optional(hostileString),
  entrance: optional(hostileString),
  city: hostileString,
  dropbox: optional(hostileString),
  countryCode: fc.oneof(fc.constantFrom('SE', 'FI', 'AX', 'se', 'US', ''), hostileString),
});

export const placeAdyenOrderInput = record({
  paymentMethod: fc.oneof(hostileJson, fc.constant({ type: 'scheme', encryptedCardNumber: 'test_4111111111111111' })),
  productCode: fc.oneof(hostileString, fc.constant('package_code')),
  periodId: fc.oneof(hostileString, fc.constant('5e4beac909c04c404a46c730')),
  returnUrl: hostileUrl,
  origin: hostileUrl,
  trafficSource: optional(hostileString),
  subscriptionStartDate: optional(hostileDate),
  discountCode: optional(hostileString),
  merchantReference: optional(hostileString),
  browserInfo: browserInfoInput,
  deliveryAddress: optional(deliveryAddressInput),
  amount: optional(decimal),
  currency: optional(hostileCurrency),
  idempotencyKey: optional(hostileString),
});

export const ordersArgs = record({
  filter: record({ provider: fc.constantFrom(...PROVIDERS), from: optional(hostileDate), to: optional(hostileDate), status: optional(fc.constantFrom(...STATUSES)) }),
  first: optional(hostileInt),
  after: optional(hostileString),
});
