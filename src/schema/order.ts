import type { Info, LineItem, Order, OrderCreation, OrderEvent, Payment, StopAction, ThreeDSAction } from '../domain/order.js';
import { builder } from './builder.js';
import {
  EventSourceEnum,
  OrderCreationStatusEnum,
  OrderStatusEnum,
  PaymentStatusEnum,
  ProviderEnum,
  StopActionTypeEnum,
} from './enums.js';
import { MoneyRef } from './money.js';
import { webOnlyStepDetails } from './step-details.js';

export const LineItemRef = builder.objectRef<LineItem>('LineItem').implement({
  fields: (t) => ({
    lineId: t.exposeString('lineId', { nullable: true }),
    code: t.exposeString('code', { nullable: true }),
    name: t.exposeString('name'),
    quantity: t.exposeFloat('quantity', { nullable: true }),
    unit: t.exposeString('unit', { nullable: true }),
    unitPrice: t.expose('unitPrice', { type: MoneyRef, nullable: true }),
    amount: t.expose('amount', { type: MoneyRef }),
    taxRate: t.exposeFloat('taxRate', { nullable: true, description: 'Percent.' }),
  }),
});

export const PaymentRef = builder.objectRef<Payment>('Payment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    method: t.exposeString('method'),
    status: t.expose('status', { type: PaymentStatusEnum }),
    amount: t.expose('amount', { type: MoneyRef }),
    capturedAmount: t.expose('capturedAmount', { type: MoneyRef }),
    refundedAmount: t.expose('refundedAmount', { type: MoneyRef }),
    providerReference: t.exposeString('providerReference', { nullable: true }),
    methodName: t.exposeString('methodName', { nullable: true, description: "The payment method's display name, where the provider gives one." }),
    mandateId: t.exposeString('mandateId', {
      nullable: true,
      description: "A reusable authorization issued with this payment (Pei: the First order's mandateId, for Recurring orders).",
    }),
  }),
});

export const ThreeDSActionRef = builder.objectRef<ThreeDSAction>('ThreeDSAction').implement({
  description: 'A 3-D Secure step the buyer must perform before the order can go on.',
  fields: (t) => ({
    type: t.exposeString('type'),
    token: t.exposeString('token', { nullable: true }),
    paymentMethodType: t.exposeString('paymentMethodType', { nullable: true }),
    sessionReference: t.exposeString('sessionReference', { nullable: true }),
    details: t.field({
      type: 'JSON',
      nullable: true,
      description: "The provider's step details as it gave them (Intergiro: visible, method, url, data).",
      // Never a `javascript:` or `data:` URL a provider answered: a frontend performs the step from
      // these (security probe 8, step-details.ts).
      resolve: (action) => (action.details ? webOnlyStepDetails(action.details) : null),
    }),
  }),
});

export const StopActionRef = builder.objectRef<StopAction>('StopAction').implement({
  fields: (t) => ({
    type: t.expose('type', { type: StopActionTypeEnum }),
    reason: t.exposeString('reason', { nullable: true }),
    // Only an http(s) URL: a frontend sends the buyer there (`location.assign`, as the demo does),
    // so a `javascript:` or `data:` URL a provider's answer carried (Intergiro's link, ICM's PSP
    // redirect, Adyen's action, Dintero's session: none is checked by its adapter but Pei's) ran
    // in the shop's own page. Such a URL is answered as null (security probe 2).
    redirectUrl: t.field({ type: 'URL', nullable: true, resolve: (action) => (action.redirectUrl !== undefined && isWebUrl(action.redirectUrl) ? action.redirectUrl : null) }),
    threeDS: t.expose('threeDS', { type: ThreeDSActionRef, nullable: true }),
  }),
});

export const InfoRef = builder.objectRef<Info>('Info').implement({
  // An Info's message may be a provider's own words (Payway's answer, a refusal kept with the
  // order): scrubbed like an error's (src/scrub.ts).
  fields: (t) => ({ code: t.exposeString('code'), message: t.string({ resolve: (info, _args, context) => context.scrub(info.message) }) }),
});

export const OrderCreationRef = builder.objectRef<OrderCreation>('OrderCreation').implement({
  fields: (t) => ({
    status: t.expose('status', { type: OrderCreationStatusEnum }),
    stopAction: t.expose('stopAction', { type: StopActionRef, nullable: true }),
    infos: t.expose('infos', { type: [InfoRef] }),
  }),
});

export const OrderEventRef = builder.objectRef<OrderEvent>('OrderEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
    type: t.exposeString('type'),
    status: t.expose('status', { type: OrderStatusEnum }),
    amount: t.expose('amount', { type: MoneyRef, nullable: true }),
    source: t.expose('source', { type: EventSourceEnum }),
  }),
});

export const OrderRef = builder.objectRef<Order>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Issued by the gateway, stable for the order\'s life.' }),
    provider: t.expose('provider', { type: ProviderEnum }),
    providerOrderId: t.exposeString('providerOrderId', { nullable: true }),
    reference: t.exposeString('reference', { nullable: true }),
    status: t.expose('status', { type: OrderStatusEnum }),
    providerStatus: t.exposeString('providerStatus', { nullable: true, description: "The provider's raw status word." }),
    total: t.expose('total', { type: MoneyRef }),
    items: t.expose('items', { type: [LineItemRef] }),
    payments: t.expose('payments', { type: [PaymentRef] }),
    creation: t.expose('creation', { type: OrderCreationRef }),
    events: t.expose('events', { type: [OrderEventRef], description: 'History, oldest first.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (order) => order.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (order) => order.updatedAt }),
  }),
});

/**
 * An absolute http(s) URL without a user name or password: the only kind a buyer is sent to. A
 * `https://shop.example@pay.example/` reads as the shop while it goes elsewhere (security probe 8:
 * refused in a provider's answer as `returnUrls` refuses it in a client's input, validators.ts).
 */
function isWebUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, username, password } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && username === '' && password === '';
}
