import { builder } from './builder.js';
import { ContinueOrderCreationInput, CreateOrderInput, OrderEventsInput, PlaceAdyenOrderInput } from './inputs.js';
import { OrderRef } from './order.js';

builder.mutationFields((t) => ({
  createOrder: t.field({
    type: OrderRef,
    description:
      "Needs orders:create. A creation that charges the buyer without them (INTERGIRO paymentType CUSTOMER or a saved card the merchant initiates, PEI purchaseForBuyer, PEI RECURRING) also needs orders:manage, except a RECURRING order on a mandate issued on the caller's own order: FORBIDDEN otherwise.",
    args: { input: t.arg({ type: CreateOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.service.createOrder(ctx.caller(), input),
  }),
  continueOrderCreation: t.field({
    type: OrderRef,
    args: { input: t.arg({ type: ContinueOrderCreationInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.service.continueOrderCreation(ctx.caller(), input),
  }),
  applyOrderEvents: t.field({
    type: [OrderRef],
    nullable: { list: false, items: true },
    description: 'Element i answers input i; a failed element is null with its own error (path [applyOrderEvents, i]).',
    args: { input: t.arg({ type: [OrderEventsInput], required: true, validate: { maxLength: 100 } }) },
    resolve: (_root, { input }, ctx) => ctx.service.applyOrderEvents(ctx.caller(), input),
  }),
  placeAdyenOrder: t.field({
    type: OrderRef,
    args: { input: t.arg({ type: PlaceAdyenOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.service.placeAdyenOrder(ctx.caller(), input),
  }),
}));
