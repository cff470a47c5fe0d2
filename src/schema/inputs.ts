import type { ContinueOrderCreationInput as ContinueOrderCreationShape } from '../domain/orders/continue-order.js';
import type { CreateOrderInput as CreateOrderShape, LineItemInput as LineItemShape } from '../domain/orders/create-order-input.js';
import type { OrderEventsInput as OrderEventsShape } from '../domain/orders/apply-order-events.js';
import type { OrderFilter as OrderFilterShape } from '../domain/orders/list-orders.js';
import type { PlaceAdyenOrderInput as PlaceAdyenOrderShape } from '../domain/orders/place-one-step.js';
import type { DinteroOptionsInput } from '../providers/dintero/options.js';
import type { IntergiroOptions } from '../providers/intergiro/options.js';
import type { IntershopOptions } from '../providers/intershop/options.js';
import type { PeiOptions } from '../providers/pei/options.js';
import { builder } from './builder.js';
import {
  IntergiroPaymentTypeEnum,
  OrderEventTypeEnum,
  OrderStatusEnum,
  PeiFrequencyEnum,
  PeiSequenceTypeEnum,
  ProviderEnum,
  RedirectStatusEnum,
} from './enums.js';
import { absoluteUrl, currencyCode, idempotencyKey, shortText, threeDSResult } from './validators.js';
import { paywayRules } from './payway-rules.js';

/*
 * CONTRACT §2 inputs. Formats are checked here with zod (BAD_USER_INPUT naming the field);
 * rules that need the order or the currency (decimals, sums, bounds) are the domain's.
 *
 * Where the domain or an adapter reads an input, its shape is declared once there (the domain's
 * CreateOrderInput, each provider's options.ts) and the input below is implemented against it
 * (`builder.inputRef<Shape, false>`): a field that does not fit that shape fails the type check.
 */

export const LineItemInput = builder.inputRef<LineItemShape, false>('LineItemInput').implement({
  fields: (t) => ({
    lineId: t.string({ validate: { schema: shortText(64) } }),
    code: t.string({ validate: { schema: shortText(128) } }),
    name: t.string({ required: true, validate: { schema: shortText(256) } }),
    quantity: t.float(),
    unit: t.string({ validate: { schema: shortText(32) } }),
    unitPrice: t.field({ type: 'Decimal' }),
    amount: t.field({ type: 'Decimal', required: true }),
    taxRate: t.float({ description: 'Percent, e.g. 25.' }),
    group: t.string({ validate: { schema: shortText(128) }, description: "PEI: one alternative of a group the buyer picks one of on Pei's page; counts toward the total only when `selected`." }),
    optional: t.boolean({ description: 'PEI: an extra the buyer may tick; counts toward the total only when `selected`.' }),
    selected: t.boolean({ description: 'PEI: chosen by default. Other providers refuse `group`, `optional` and `selected`.' }),
  }),
});

export const BuyerInput = builder.inputType('BuyerInput', {
  fields: (t) => ({
    customerId: t.string({ validate: { schema: shortText(128) } }),
    name: t.string({ validate: { schema: shortText(256) } }),
    email: t.string({ validate: { email: true, maxLength: 254 } }),
    phone: t.string({ validate: { schema: shortText(32) } }),
    nationalId: t.string({ validate: { schema: shortText(32) } }),
  }),
});

export const ReturnUrlsInput = builder.inputType('ReturnUrlsInput', {
  fields: (t) => ({
    success: t.field({ type: 'URL', validate: { schema: absoluteUrl } }),
    cancel: t.field({ type: 'URL', validate: { schema: absoluteUrl } }),
    failure: t.field({ type: 'URL', validate: { schema: absoluteUrl } }),
  }),
});

export const IntergiroSubsequentInput = builder.inputType('IntergiroSubsequentInput', {
  fields: (t) => ({
    reference: t.string({ required: true, validate: { schema: shortText(128) } }),
    initiator: t.string({ required: true, description: '"cardholder" or "merchant".', validate: { schema: shortText(32) } }),
  }),
});

export const IntergiroOrderOptions = builder.inputRef<IntergiroOptions, false>('IntergiroOrderOptions').implement({
  fields: (t) => ({
    paymentType: t.field({ type: IntergiroPaymentTypeEnum, required: true }),
    cardToken: t.string({ description: 'CARD: the card token.', validate: { schema: shortText(4096) } }),
    browser: t.field({ type: 'JSON', description: 'CARD: the browser object of the seed.' }),
    subsequent: t.field({ type: IntergiroSubsequentInput, description: 'CARD with a saved card.' }),
    customerId: t.string({ description: 'CUSTOMER (required) and saved-card CARD.', validate: { schema: shortText(128) } }),
    cardholderName: t.boolean({ description: 'LINK: ask the payer for the cardholder name.' }),
    charge: t.boolean({ description: 'true sends "charge": "auto" (capture at once).' }),
  }),
});

export const PeiSubscriptionInput = builder.inputType('PeiSubscriptionInput', {
  fields: (t) => ({
    startDate: t.field({ type: 'Date', required: true }),
    frequency: t.field({ type: PeiFrequencyEnum, required: true }),
    frequencyInterval: t.int({ required: true }),
    cycles: t.int({ required: true }),
  }),
});

export const PeiOrderOptions = builder.inputRef<PeiOptions, false>('PeiOrderOptions').implement({
  fields: (t) => ({
    sequenceType: t.field({ type: PeiSequenceTypeEnum, defaultValue: 'ONE_OFF' }),
    mandateId: t.string(),
    subscription: t.field({ type: PeiSubscriptionInput }),
    purchaseForBuyer: t.boolean(),
  }),
});

export const IntershopOrderOptions = builder.inputRef<IntershopOptions, false>('IntershopOrderOptions').implement({
  fields: (t) => ({
    basketId: t.string({ required: true }),
    termsAndConditionsAccepted: t.boolean({ required: true }),
  }),
});

export const DinteroOrderOptions = builder.inputRef<DinteroOptionsInput, false>('DinteroOrderOptions').implement({
  fields: (t) => ({
    profileId: t.string(),
    generateOrderId: t.string({ description: 'e.g. "ALPHANUMERIC_9".' }),
  }),
});

export const CreateOrderInput = builder.inputRef<CreateOrderShape, false>('CreateOrderInput').implement({
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, required: true }),
    reference: t.string({ description: 'Intergiro number, Pei Reference, Dintero merchant_reference.', validate: { schema: shortText(256) } }),
    currency: t.string({ description: 'ISO 4217; not for INTERSHOP (the basket has it).', validate: { schema: currencyCode } }),
    items: t.field({ type: [LineItemInput], validate: { maxLength: [500, { message: 'At most 500 items' }] } }),
    amount: t.field({ type: 'Decimal', description: "Total when there are no items; must equal the items' sum when both are given (PEI: the lines selected by default)." }),
    buyer: t.field({ type: BuyerInput }),
    returnUrls: t.field({ type: ReturnUrlsInput }),
    expiresAt: t.field({ type: 'DateTime' }),
    intergiro: t.field({ type: IntergiroOrderOptions }),
    pei: t.field({ type: PeiOrderOptions }),
    intershop: t.field({ type: IntershopOrderOptions }),
    dintero: t.field({ type: DinteroOrderOptions }),
    idempotencyKey: t.string({ validate: { schema: idempotencyKey } }),
  }),
});

export const NameValueInput = builder.inputType('NameValueInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true }) }),
});

export const RedirectResultInput = builder.inputType('RedirectResultInput', {
  fields: (t) => ({
    status: t.field({ type: RedirectStatusEnum, required: true }),
    parameters: t.field({ type: [NameValueInput] }),
  }),
});

export const ContinueOrderCreationInput = builder.inputRef<ContinueOrderCreationShape, false>('ContinueOrderCreationInput').implement({
  fields: (t) => ({
    orderId: t.id({ required: true }),
    returnUrls: t.field({ type: ReturnUrlsInput }),
    redirectResult: t.field({ type: RedirectResultInput }),
    threeDS: t.field({
      type: 'JSON',
      validate: { schema: threeDSResult },
      description:
        'INTERGIRO: the 3-D Secure result ({type: "method"|"challenge", data: "<iframe response>"}), resubmitted under the same provider order id. PAYWAY: Adyen\'s `details`.',
    }),
  }),
});

export const OrderEventItemInput = builder.inputType('OrderEventItemInput', {
  fields: (t) => ({
    lineId: t.string({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
  }),
});

export const OrderEventInput = builder.inputType('OrderEventInput', {
  fields: (t) => ({
    type: t.field({ type: OrderEventTypeEnum, required: true }),
    amount: t.field({ type: 'Decimal', description: 'CAPTURE / REFUND: the amount; the whole remainder when absent.' }),
    items: t.field({ type: [OrderEventItemInput] }),
    reason: t.string({ validate: { schema: shortText(256) } }),
    idempotencyKey: t.string({ validate: { schema: idempotencyKey } }),
  }),
});

export const OrderEventsInput = builder.inputRef<OrderEventsShape, false>('OrderEventsInput').implement({
  fields: (t) => ({
    orderId: t.id({ required: true }),
    events: t.field({ type: [OrderEventInput], required: true, validate: { minLength: 1, maxLength: 50 } }),
  }),
});

export const OrderFilter = builder.inputRef<OrderFilterShape, false>('OrderFilter').implement({
  description: 'Every field optional; `from` and `to` are days (UTC) of createdAt, both included.',
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum }),
    from: t.field({ type: 'Date' }),
    to: t.field({ type: 'Date' }),
    status: t.field({ type: OrderStatusEnum }),
    reference: t.string({ description: "The merchant's own reference, exactly.", validate: { maxLength: 200 } }),
  }),
});

const browser = paywayRules.browserInfo;
export const BrowserInfoInput = builder.inputType('BrowserInfoInput', {
  description: "Payway's browser_info: the buyer's browser, for Adyen's 3-D Secure 2 risk checks.",
  fields: (t) => ({
    browserIp: t.string({ required: true, validate: { schema: browser.browserIp } }),
    browserLanguage: t.string({ required: true, validate: { schema: browser.browserLanguage } }),
    browserUserAgent: t.string({ required: true, validate: { schema: browser.browserUserAgent } }),
    referer: t.string({ required: true, validate: { schema: browser.referer } }),
    acceptHeader: t.string({ required: true, validate: { schema: browser.acceptHeader } }),
    colorDepth: t.int({ required: true, validate: { schema: browser.colorDepth } }),
    screenHeight: t.int({ required: true, validate: { schema: browser.screenHeight } }),
    screenWidth: t.int({ required: true, validate: { schema: browser.screenWidth } }),
    timeZoneOffset: t.int({ required: true, validate: { schema: browser.timeZoneOffset } }),
    javaEnabled: t.boolean({ required: true }),
  }),
});

const address = paywayRules.deliveryAddress;
export const DeliveryAddressInput = builder.inputType('DeliveryAddressInput', {
  description: "Payway's delivery_address; countryCode is SE, FI or AX.",
  fields: (t) => ({
    firstName: t.string({ required: true, validate: { schema: address.requiredText } }),
    lastName: t.string({ required: true, validate: { schema: address.requiredText } }),
    street: t.string({ required: true, validate: { schema: address.requiredText } }),
    streetNumber: t.string({ validate: { schema: address.optionalText } }),
    zipCode: t.string({ required: true, validate: { schema: address.requiredText } }),
    floor: t.string({ validate: { schema: address.optionalText } }),
    apartmentNumber: t.string({ validate: { schema: address.optionalText } }),
    entrance: t.string({ validate: { schema: address.optionalText } }),
    city: t.string({ required: true, validate: { schema: address.requiredText } }),
    dropbox: t.string({ validate: { schema: address.optionalText } }),
    countryCode: t.string({ required: true, validate: { schema: address.countryCode } }),
  }),
});

export const PlaceAdyenOrderInput = builder.inputRef<PlaceAdyenOrderShape, false>('PlaceAdyenOrderInput').implement({
  description:
    "Payway's place_order parameters in camelCase, each checked against Payway's parameter table, plus the price the shopper was shown (amount, currency).",
  fields: (t) => ({
    paymentMethod: t.field({
      type: 'JSON',
      required: true,
      description: "The Adyen drop-in's state.data.paymentMethod (onSubmit).",
      validate: { schema: paywayRules.paymentMethod },
    }),
    productCode: t.string({ required: true, validate: { schema: paywayRules.productCode } }),
    periodId: t.string({ required: true, validate: { schema: paywayRules.periodId } }),
    returnUrl: t.field({ type: 'URL', required: true, validate: { schema: paywayRules.returnUrl } }),
    origin: t.field({ type: 'URL', required: true, validate: { schema: paywayRules.origin } }),
    trafficSource: t.string({ validate: { schema: paywayRules.trafficSource } }),
    subscriptionStartDate: t.field({ type: 'Date' }),
    discountCode: t.string({ validate: { schema: paywayRules.discountCode } }),
    merchantReference: t.string({
      description: "Payway's merchant_reference; when absent the gateway sends its own order id, to match Payway's later purchase events.",
      validate: { schema: paywayRules.merchantReference },
    }),
    browserInfo: t.field({ type: BrowserInfoInput, required: true }),
    deliveryAddress: t.field({ type: DeliveryAddressInput }),
    amount: t.field({
      type: 'Decimal',
      description:
        "The price the shopper was shown, in major units (\"199.00\"), with `currency`. Payway's answers carry no price, so without it the mutation is BAD_USER_INPUT on input.amount before any call to Payway. The order's total is Payway's own figure where one is given, else this amount (Info payway.total_as_stated).",
    }),
    currency: t.string({ description: 'The ISO 4217 code of `amount`, e.g. "SEK".' }),
    idempotencyKey: t.string({ validate: { schema: idempotencyKey } }),
  }),
});
