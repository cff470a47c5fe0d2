import { builder } from './builder.js';
import { ContinueOrderCreationInput, CreateOrderInput, OrderEventsInput, PlaceAdyenOrderInput } from './inputs.js';
import { OrderRef } from './order.js';

builder.mutationFields((t) => ({
  createOrder: t.field({
    type: OrderRef,
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
