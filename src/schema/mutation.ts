import { compact } from '../domain/compact.js';
import type { PlaceAdyenOrderInput as PlaceAdyenOrder } from '../domain/orders/place-one-step.js';
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
    resolve: (_root, { input }, ctx) => {
      const { paymentMethod, browserInfo, deliveryAddress, ...rest } = input;
      return ctx.service.placeAdyenOrder(ctx.caller(), {
        ...compact(rest),
        productCode: input.productCode,
        periodId: input.periodId,
        returnUrl: input.returnUrl,
        origin: input.origin,
        // Checked by the field's zod rule: an object with a `type`.
        paymentMethod: paymentMethod as Record<string, unknown>,
        browserInfo,
        ...(deliveryAddress ? { deliveryAddress: compact(deliveryAddress) as PlaceAdyenOrder['deliveryAddress'] } : {}),
      });
    },
  }),
}));
